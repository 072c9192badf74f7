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
      edits.push_back({target.offset, target.text.size(), sql::QuoteIdentifier(*to)});
    }
  }
  Rewritten out;
  out.edits = static_cast<int>(edits.size());
  out.sql = sql::ApplyEdits(create_table_sql, std::move(edits));
  return out;
}

Rewritten RewriteTableNames(std::string_view text, const RenameMap& renames) {
  std::vector<sql::Token> tokens = sql::SignificantTokens(text);
  std::vector<sql::Edit> edits;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!IsIdentifier(tokens[i])) continue;
    const std::string* to = Lookup(tokens[i], renames);
    if (!to) continue;
    if (i >= 1 && tokens[i - 1].kind == sql::TokenKind::kPunct && tokens[i - 1].text == ".") {
      // Qualified: rewrite only when the qualifier is a schema name.
      if (i < 2) continue;
      std::string qualifier = sql::AsciiLower(sql::TokenName(tokens[i - 2]));
      if (qualifier != "main" && qualifier != "temp") continue;
    }
    edits.push_back({tokens[i].offset, tokens[i].text.size(), sql::QuoteIdentifier(*to)});
  }
  Rewritten out;
  out.edits = static_cast<int>(edits.size());
  out.sql = sql::ApplyEdits(text, std::move(edits));
  return out;
}

}  // namespace sqlmend::schema
