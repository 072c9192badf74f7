#include "schema/rewriter.h"

#include <vector>

#include "sql/splice.h"
#include "sql/tokenizer.h"

namespace sqlmend::schema {

namespace {

// A token that can name a table: a bare word that is not a keyword, or a
// quoted name. String literals are never rewritten.
bool IsIdentifier(const sql::Token& token) {
  if (token.kind == sql::TokenKind::kQuotedName) return true;
  return token.kind == sql::TokenKind::kWord && !sql::IsKeyword(token.text);
}

const std::string* Lookup(const sql::Token& token, const RenameMap& renames) {
  auto it = renames.find(sql::AsciiLower(sql::TokenName(token)));
  return it == renames.end() ? nullptr : &it->second;
}

// The edit that puts `new_name`, double-quoted, in place of `token` of
// `text`. A quoted name next to a '"' would run into it (`users_old"u"`, a
// table and its alias, would become `"users""u"`, one name), so a space
// separates them there, as SQLite's renameEditSql adds one after a name
// followed by '"'.
sql::Edit ReplaceName(std::string_view text, const sql::Token& token,
                      const std::string& new_name) {
  std::string replacement = sql::QuoteIdentifier(new_name);
  const size_t end = token.offset + token.text.size();
  if (token.offset > 0 && text[token.offset - 1] == '"') replacement.insert(0, " ");
  if (end < text.size() && text[end] == '"') replacement.push_back(' ');
  return {token.offset, token.text.size(), std::move(replacement)};
}

}  // namespace

Rewritten RewriteReferences(std::string_view create_table_sql, const RenameMap& renames) {
  std::vector<sql::Token> tokens = sql::SignificantTokens(create_table_sql);
  std::vector<sql::Edit> edits;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i].kind != sql::TokenKind::kWord ||
        !sql::AsciiIEquals(tokens[i].text, "REFERENCES")) {
      continue;
    }
    const sql::Token& target = tokens[i + 1];
    if (!IsIdentifier(target) && target.kind != sql::TokenKind::kString) continue;
    if (const std::string* to = Lookup(target, renames)) {
      edits.push_back(ReplaceName(create_table_sql, target, *to));
    }
  }
  Rewritten out;
  out.edits = static_cast<int>(edits.size());
  out.sql = sql::ApplyEdits(create_table_sql, std::move(edits));
  return out;
}

Rewritten RewriteTableNames(std::string_view text, const RenameMap& renames) {
  // A table is named in a FROM list (after FROM, JOIN or a comma inside the
  // list), after INTO / UPDATE [OR ...] / DELETE FROM, or as the qualifier of
  // a column (t.col, main.t.col). An unqualified column, or a column after a
  // non-schema qualifier (alias.col), is never a table, even when it is
  // spelt like one: those tokens stay.
  std::vector<sql::Token> tokens = sql::SignificantTokens(text);
  std::vector<sql::Edit> edits;
  auto is_word = [&](size_t i, const char* word) {
    return i < tokens.size() && tokens[i].kind == sql::TokenKind::kWord &&
           sql::AsciiIEquals(tokens[i].text, word);
  };
  auto is_punct = [&](size_t i, const char* p) {
    return i < tokens.size() && tokens[i].kind == sql::TokenKind::kPunct && tokens[i].text == p;
  };
  // from_depth[d] is true while the FROM list at parenthesis depth d is open.
  std::vector<bool> from_open(1, false);
  for (size_t i = 0; i < tokens.size(); ++i) {
    const sql::Token& t = tokens[i];
    if (is_punct(i, "(")) {
      from_open.push_back(false);
      continue;
    }
    if (is_punct(i, ")")) {
      if (from_open.size() > 1) from_open.pop_back();
      continue;
    }
    if (t.kind == sql::TokenKind::kWord && sql::IsKeyword(t.text)) {
      if (is_word(i, "FROM") || is_word(i, "JOIN")) {
        from_open.back() = true;
      } else if (!is_word(i, "AS") && !is_word(i, "NATURAL") && !is_word(i, "LEFT") &&
                 !is_word(i, "RIGHT") && !is_word(i, "FULL") && !is_word(i, "INNER") &&
                 !is_word(i, "OUTER") && !is_word(i, "CROSS") && !is_word(i, "INDEXED") &&
                 !is_word(i, "BY") && !is_word(i, "NOT")) {
        from_open.back() = false;  // WHERE, ON, USING, GROUP, SELECT, ...
      }
      continue;
    }
    if (!IsIdentifier(t)) continue;
    const std::string* to = Lookup(t, renames);
    if (!to) continue;
    bool after_dot = i >= 1 && is_punct(i - 1, ".");
    bool qualifier = is_punct(i + 1, ".");
    bool table_position = false;
    if (after_dot) {
      // schema.table, or schema.table.column: the qualifier before the dot
      // must be a schema name.
      std::string schema = i >= 2 ? sql::AsciiLower(sql::TokenName(tokens[i - 2])) : "";
      table_position = schema == "main" || schema == "temp";
    } else if (qualifier) {
      table_position = true;
    } else if (i >= 1) {
      const size_t p = i - 1;
      table_position = is_word(p, "FROM") || is_word(p, "JOIN") || is_word(p, "INTO") ||
                       is_word(p, "UPDATE") || (is_punct(p, ",") && from_open.back()) ||
                       // UPDATE OR REPLACE t
                       (p >= 2 && is_word(p - 1, "OR") && is_word(p - 2, "UPDATE"));
    }
    if (table_position) {
      edits.push_back(ReplaceName(text, t, *to));
    }
  }
  Rewritten out;
  out.edits = static_cast<int>(edits.size());
  out.sql = sql::ApplyEdits(text, std::move(edits));
  return out;
}

}  // namespace sqlmend::schema
