#include "ops/identifier_preparer.h"

#include <algorithm>
#include <cctype>
#include <iterator>

#include "sql/tokenizer.h"

namespace sqlmend::ops {
namespace {

// SQLiteIdentifierPreparer.reserved_words of SQLAlchemy 1.4.46, sorted for
// binary search. (2.0 has the same list.)
// clang-format off
constexpr std::string_view kReservedWords[] = {
    "add", "after", "all", "alter", "analyze", "and", "as", "asc", "attach", "autoincrement",
    "before", "begin", "between", "by", "cascade", "case", "cast", "check", "collate", "column",
    "commit", "conflict", "constraint", "create", "cross", "current_date", "current_time",
    "current_timestamp", "database", "default", "deferrable", "deferred", "delete", "desc",
    "detach", "distinct", "drop", "each", "else", "end", "escape", "except", "exclusive",
    "exists", "explain", "fail", "false", "for", "foreign", "from", "full", "glob", "group",
    "having", "if", "ignore", "immediate", "in", "index", "indexed", "initially", "inner",
    "insert", "instead", "intersect", "into", "is", "isnull", "join", "key", "left", "like",
    "limit", "match", "natural", "not", "notnull", "null", "of", "offset", "on", "or", "order",
    "outer", "plan", "pragma", "primary", "query", "raise", "references", "reindex", "rename",
    "replace", "restrict", "right", "rollback", "row", "select", "set", "table", "temp",
    "temporary", "then", "to", "transaction", "trigger", "true", "union", "unique", "update",
    "using", "vacuum", "values", "view", "virtual", "when", "where"};
// clang-format on

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// SQLAlchemy's legal_characters, re.compile(r"^[A-Z0-9_$]+$", re.I). Under
// Python's Unicode IGNORECASE two non-ASCII letters match too: U+017F "ſ"
// (folds with s) and U+0131 "ı" (folds with i); both are their own lower
// case, so names made of them stay bare.
bool AllLegalCharacters(std::string_view name) {
  for (size_t i = 0; i < name.size(); i++) {
    const char c = name[i];
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$') continue;
    const std::string_view rest = name.substr(i, 2);
    if (rest == "\xC5\xBF" || rest == "\xC4\xB1") {
      i++;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

bool SqlalchemyRequiresQuotes(std::string_view name) {
  if (name.empty()) return true;  // Python's value[0] would raise; quote.
  // NOTE: Python's str.lower() also folds non-ASCII letters, but the only
  // non-ASCII letters that pass the legal-character test are their own lower
  // case, so ASCII folding gives the same answer.
  const std::string lower = AsciiLower(name);
  if (std::binary_search(std::begin(kReservedWords), std::end(kReservedWords), lower)) return true;
  if (std::isdigit(static_cast<unsigned char>(name[0])) || name[0] == '$') return true;
  if (!AllLegalCharacters(name)) return true;
  return lower != name;
}

std::string SqlalchemyQuote(std::string_view name) {
  return SqlalchemyRequiresQuotes(name) ? sql::QuoteIdentifier(name) : std::string(name);
}

}  // namespace sqlmend::ops
