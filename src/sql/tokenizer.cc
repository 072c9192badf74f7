// The scanner follows sqlite3GetToken() in SQLite 3.40's tokenize.c rule by
// rule, including its odd corners (each is noted where it happens), because a
// name that SQLite and sqlmend split differently is a name the repair would
// rewrite in the wrong place.
//
// SQLite scans a NUL-terminated string, so a NUL byte ends whatever token is
// in progress and SQLite never looks past it. Here the text is a string_view:
// Byte() answers 0 both at the end and at an embedded NUL, which makes every
// rule stop where SQLite's would; the NUL and everything after it then become
// one kIllegal token, so that the tokens still cover every byte.
#include "sql/tokenizer.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace sqlmend::sql {
namespace {

// SQLite's sqlite3Isspace: the C locale's space characters. Note that a
// vertical tab (0x0b) continues a run of spaces but cannot start one: the
// first byte goes through tokenize.c's class table, where 0x0b is illegal.
bool IsSpaceByte(uint8_t c) { return c == ' ' || (c >= 0x09 && c <= 0x0d); }
bool IsDigitByte(uint8_t c) { return c >= '0' && c <= '9'; }
bool IsHexDigitByte(uint8_t c) {
  return IsDigitByte(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsAlphaByte(uint8_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// SQLite's IdChar(): letters, digits, '_', '$' and every byte of a UTF-8
// sequence, so non-ASCII names need no quoting.
bool IsIdByte(uint8_t c) {
  return IsAlphaByte(c) || IsDigitByte(c) || c == '_' || c == '$' || c >= 0x80;
}
// The bytes that start a bare word (tokenize.c's CC_X, CC_KYWD*, CC_ID and,
// when not a BOM, CC_BOM classes). '$' and digits continue a word only.
bool StartsWord(uint8_t c) { return IsAlphaByte(c) || c == '_' || c >= 0x80; }

class Scanner {
 public:
  explicit Scanner(std::string_view sql) : sql_(sql) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    size_t pos = 0;
    while (pos < sql_.size()) {
      if (sql_[pos] == '\0') {
        // SQLite stops reading at the NUL; keep the rest as one token.
        tokens.push_back({TokenKind::kIllegal, pos, sql_.substr(pos)});
        break;
      }
      TokenKind kind = TokenKind::kIllegal;
      size_t length = Scan(pos, &kind);
      tokens.push_back({kind, pos, sql_.substr(pos, length)});
      pos += length;
    }
    return tokens;
  }

 private:
  // The byte at `pos`, or 0 past the end, as in SQLite's NUL-terminated scan.
  uint8_t Byte(size_t pos) const { return pos < sql_.size() ? static_cast<uint8_t>(sql_[pos]) : 0; }

  // Length (at least 1) and kind of the token starting at `start`, whose
  // byte is not NUL.
  size_t Scan(size_t start, TokenKind* kind) const {
    auto at = [&](size_t i) { return Byte(start + i); };
    const uint8_t c = at(0);
    *kind = TokenKind::kPunct;
    switch (c) {
      case ' ':
      case '\t':
      case '\n':
      case '\f':
      case '\r': {
        size_t i = 1;
        while (IsSpaceByte(at(i))) i++;
        *kind = TokenKind::kSpace;
        return i;
      }
      case '-':
        if (at(1) == '-') {
          // The comment stops before the newline, which becomes a space token.
          size_t i = 2;
          while (at(i) != 0 && at(i) != '\n') i++;
          *kind = TokenKind::kComment;
          return i;
        }
        if (at(1) == '>') return at(2) == '>' ? 3 : 2;  // -> and ->>
        return 1;
      case '/': {
        // NOTE: SQLite reads "/*" at the very end of the text as "/" then "*"
        // (it wants a third byte before it enters the comment); so do we.
        if (at(1) != '*' || at(2) == 0) return 1;
        size_t i = 2;
        while (at(i) != 0 && !(at(i) == '*' && at(i + 1) == '/')) i++;
        if (at(i) != 0) i += 2;  // an unterminated comment runs to the end
        *kind = TokenKind::kComment;
        return i;
      }
      case '(':
      case ')':
      case ';':
      case '+':
      case '*':
      case '%':
      case ',':
      case '&':
      case '~':
        return 1;
      case '=':
        return at(1) == '=' ? 2 : 1;
      case '<':
        return (at(1) == '=' || at(1) == '>' || at(1) == '<') ? 2 : 1;
      case '>':
        return (at(1) == '=' || at(1) == '>') ? 2 : 1;
      case '!':
        if (at(1) == '=') return 2;
        *kind = TokenKind::kIllegal;
        return 1;
      case '|':
        return at(1) == '|' ? 2 : 1;
      case '.':
        if (!IsDigitByte(at(1))) return 1;
        return ScanNumber(start, kind);
      case '\'':
      case '"':
      case '`':
        return ScanQuoted(start, kind);
      case '[': {
        // No escapes inside brackets: the first ']' closes the name.
        size_t i = 1;
        while (at(i) != 0 && at(i) != ']') i++;
        if (at(i) == 0) {
          *kind = TokenKind::kIllegal;
          return i;
        }
        *kind = TokenKind::kQuotedName;
        return i + 1;
      }
      case '?': {
        size_t i = 1;
        while (IsDigitByte(at(i))) i++;
        *kind = TokenKind::kVariable;
        return i;
      }
      case '$':
      case '@':
      case ':':
      case '#':
        return ScanVariable(start, kind);
      default:
        break;
    }
    if (IsDigitByte(c)) return ScanNumber(start, kind);
    if ((c == 'x' || c == 'X') && at(1) == '\'') return ScanBlob(start, kind);
    // A UTF-8 byte order mark is whitespace to SQLite 3.40, wherever it is.
    if (c == 0xef && at(1) == 0xbb && at(2) == 0xbf) {
      *kind = TokenKind::kSpace;
      return 3;
    }
    if (StartsWord(c)) {
      size_t i = 1;
      while (IsIdByte(at(i))) i++;
      *kind = TokenKind::kWord;
      return i;
    }
    // Control bytes, '\\', ']', '^', '{', '}' and DEL start no token.
    *kind = TokenKind::kIllegal;
    return 1;
  }

  // 'string', "name" or `name`; a doubled delimiter stands for itself.
  size_t ScanQuoted(size_t start, TokenKind* kind) const {
    const uint8_t delimiter = Byte(start);
    size_t i = 1;
    for (; Byte(start + i) != 0; i++) {
      if (Byte(start + i) == delimiter) {
        if (Byte(start + i + 1) != delimiter) break;
        i++;
      }
    }
    if (Byte(start + i) == 0) {
      *kind = TokenKind::kIllegal;  // unterminated: the rest of the text
      return i;
    }
    *kind = delimiter == '\'' ? TokenKind::kString : TokenKind::kQuotedName;
    return i + 1;
  }

  // Integers, hex integers, decimals with optional exponent, or ".5".
  size_t ScanNumber(size_t start, TokenKind* kind) const {
    auto at = [&](size_t i) { return Byte(start + i); };
    *kind = TokenKind::kNumber;
    if (at(0) == '0' && (at(1) == 'x' || at(1) == 'X') && IsHexDigitByte(at(2))) {
      // NOTE: SQLite ends a hex literal at the first non-hex byte without
      // checking for trailing letters: "0x1fg" is 0x1f followed by g.
      size_t i = 3;
      while (IsHexDigitByte(at(i))) i++;
      return i;
    }
    size_t i = 0;
    while (IsDigitByte(at(i))) i++;
    if (at(i) == '.') {
      i++;
      while (IsDigitByte(at(i))) i++;
    }
    if ((at(i) == 'e' || at(i) == 'E') &&
        (IsDigitByte(at(i + 1)) ||
         ((at(i + 1) == '+' || at(i + 1) == '-') && IsDigitByte(at(i + 2))))) {
      i += 2;
      while (IsDigitByte(at(i))) i++;
    }
    // A number running into identifier bytes ("12ab", "1_000": SQLite 3.40
    // has no digit separators) is one illegal token.
    while (IsIdByte(at(i))) {
      *kind = TokenKind::kIllegal;
      i++;
    }
    return i;
  }

  // x'hex': an even number of hex digits, else illegal up to the next quote.
  size_t ScanBlob(size_t start, TokenKind* kind) const {
    auto at = [&](size_t i) { return Byte(start + i); };
    *kind = TokenKind::kBlob;
    size_t i = 2;
    while (IsHexDigitByte(at(i))) i++;
    if (at(i) != '\'' || i % 2 != 0) {
      *kind = TokenKind::kIllegal;
      while (at(i) != 0 && at(i) != '\'') i++;
    }
    if (at(i) != 0) i++;
    return i;
  }

  // :name, @name, #name, $name. For Tcl's sake SQLite also accepts "::"
  // inside the name and a trailing "(...)" suffix without spaces
  // ($a::b(c d) stops at the space and is illegal). A sigil with no name
  // after it is illegal.
  size_t ScanVariable(size_t start, TokenKind* kind) const {
    auto at = [&](size_t i) { return Byte(start + i); };
    *kind = TokenKind::kVariable;
    size_t name_bytes = 0;
    size_t i = 1;
    for (; at(i) != 0; i++) {
      const uint8_t c = at(i);
      if (IsIdByte(c)) {
        name_bytes++;
      } else if (c == '(' && name_bytes > 0) {
        do {
          i++;
        } while (at(i) != 0 && !IsSpaceByte(at(i)) && at(i) != ')');
        if (at(i) == ')') {
          i++;
        } else {
          *kind = TokenKind::kIllegal;
        }
        break;
      } else if (c == ':' && at(i + 1) == ':') {
        i++;
      } else {
        break;
      }
    }
    if (name_bytes == 0) *kind = TokenKind::kIllegal;
    return i;
  }

  std::string_view sql_;
};

// SQLite 3.40's 147 keywords (mkkeywordhash.c, sqlite.org/lang_keywords.html),
// upper case and sorted for binary search. The tests compare this list with
// sqlite3_keyword_name() of the linked library.
constexpr std::array<std::string_view, 147> kKeywords = {
    "ABORT",
    "ACTION",
    "ADD",
    "AFTER",
    "ALL",
    "ALTER",
    "ALWAYS",
    "ANALYZE",
    "AND",
    "AS",
    "ASC",
    "ATTACH",
    "AUTOINCREMENT",
    "BEFORE",
    "BEGIN",
    "BETWEEN",
    "BY",
    "CASCADE",
    "CASE",
    "CAST",
    "CHECK",
    "COLLATE",
    "COLUMN",
    "COMMIT",
    "CONFLICT",
    "CONSTRAINT",
    "CREATE",
    "CROSS",
    "CURRENT",
    "CURRENT_DATE",
    "CURRENT_TIME",
    "CURRENT_TIMESTAMP",
    "DATABASE",
    "DEFAULT",
    "DEFERRABLE",
    "DEFERRED",
    "DELETE",
    "DESC",
    "DETACH",
    "DISTINCT",
    "DO",
    "DROP",
    "EACH",
    "ELSE",
    "END",
    "ESCAPE",
    "EXCEPT",
    "EXCLUDE",
    "EXCLUSIVE",
    "EXISTS",
    "EXPLAIN",
    "FAIL",
    "FILTER",
    "FIRST",
    "FOLLOWING",
    "FOR",
    "FOREIGN",
    "FROM",
    "FULL",
    "GENERATED",
    "GLOB",
    "GROUP",
    "GROUPS",
    "HAVING",
    "IF",
    "IGNORE",
    "IMMEDIATE",
    "IN",
    "INDEX",
    "INDEXED",
    "INITIALLY",
    "INNER",
    "INSERT",
    "INSTEAD",
    "INTERSECT",
    "INTO",
    "IS",
    "ISNULL",
    "JOIN",
    "KEY",
    "LAST",
    "LEFT",
    "LIKE",
    "LIMIT",
    "MATCH",
    "MATERIALIZED",
    "NATURAL",
    "NO",
    "NOT",
    "NOTHING",
    "NOTNULL",
    "NULL",
    "NULLS",
    "OF",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "OTHERS",
    "OUTER",
    "OVER",
    "PARTITION",
    "PLAN",
    "PRAGMA",
    "PRECEDING",
    "PRIMARY",
    "QUERY",
    "RAISE",
    "RANGE",
    "RECURSIVE",
    "REFERENCES",
    "REGEXP",
    "REINDEX",
    "RELEASE",
    "RENAME",
    "REPLACE",
    "RESTRICT",
    "RETURNING",
    "RIGHT",
    "ROLLBACK",
    "ROW",
    "ROWS",
    "SAVEPOINT",
    "SELECT",
    "SET",
    "TABLE",
    "TEMP",
    "TEMPORARY",
    "THEN",
    "TIES",
    "TO",
    "TRANSACTION",
    "TRIGGER",
    "UNBOUNDED",
    "UNION",
    "UNIQUE",
    "UPDATE",
    "USING",
    "VACUUM",
    "VALUES",
    "VIEW",
    "VIRTUAL",
    "WHEN",
    "WHERE",
    "WINDOW",
    "WITH",
    "WITHOUT",
};
static_assert(std::is_sorted(kKeywords.begin(), kKeywords.end()));

char AsciiUpperChar(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
char AsciiLowerChar(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// `text` with each `quote` doubled, between `quote`s.
std::string QuoteWith(std::string_view text, char quote) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back(quote);
  for (char c : text) {
    out.push_back(c);
    if (c == quote) out.push_back(quote);
  }
  out.push_back(quote);
  return out;
}

}  // namespace

std::vector<Token> Tokenize(std::string_view sql) { return Scanner(sql).Run(); }

std::vector<Token> SignificantTokens(std::string_view sql) {
  std::vector<Token> tokens = Tokenize(sql);
  std::erase_if(tokens, [](const Token& token) {
    return token.kind == TokenKind::kSpace || token.kind == TokenKind::kComment;
  });
  return tokens;
}

bool IsNameToken(const Token& token) {
  return token.kind == TokenKind::kWord || token.kind == TokenKind::kQuotedName ||
         token.kind == TokenKind::kString;
}

std::string TokenName(const Token& token) {
  std::string_view text = token.text;
  if ((token.kind != TokenKind::kQuotedName && token.kind != TokenKind::kString) ||
      text.size() < 2) {
    return std::string(text);
  }
  const char open = text.front();
  std::string_view inner = text.substr(1, text.size() - 2);
  // Brackets have no escapes: the tokenizer ends [x] at the first ']'.
  if (open == '[') return std::string(inner);
  std::string name;
  name.reserve(inner.size());
  for (size_t i = 0; i < inner.size(); i++) {
    name.push_back(inner[i]);
    if (inner[i] == open && i + 1 < inner.size() && inner[i + 1] == open) i++;
  }
  return name;
}

bool IsKeyword(std::string_view word) {
  // The longest keyword is CURRENT_TIMESTAMP (17 bytes).
  if (word.empty() || word.size() > 17) return false;
  std::string upper(word);
  for (char& c : upper) c = AsciiUpperChar(c);
  return std::binary_search(kKeywords.begin(), kKeywords.end(), std::string_view(upper));
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLowerChar(c);
  return out;
}

bool AsciiIEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    if (AsciiLowerChar(a[i]) != AsciiLowerChar(b[i])) return false;
  }
  return true;
}

bool AsciiILess::operator()(std::string_view a, std::string_view b) const {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; i++) {
    const char x = AsciiLowerChar(a[i]), y = AsciiLowerChar(b[i]);
    if (x != y) return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
  }
  return a.size() < b.size();
}

std::string QuoteIdentifier(std::string_view name) { return QuoteWith(name, '"'); }

std::string QuoteIdentifierIfNeeded(std::string_view name) {
  bool bare = !name.empty() && (IsAlphaByte(name[0]) || name[0] == '_');
  for (size_t i = 1; bare && i < name.size(); i++) {
    const auto c = static_cast<uint8_t>(name[i]);
    bare = IsAlphaByte(c) || IsDigitByte(c) || c == '_';
  }
  if (bare && !IsKeyword(name)) return std::string(name);
  return QuoteIdentifier(name);
}

std::string QuoteString(std::string_view text) { return QuoteWith(text, '\''); }

}  // namespace sqlmend::sql
