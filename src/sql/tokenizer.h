// A SQLite-compatible SQL tokenizer with byte offsets.
//
// Tokenize() splits text into tokens exactly as SQLite's tokenize.c does
// (sqlite3GetToken): whitespace, comments, bare words (identifiers and
// keywords), the three identifier quotings ("x", [x], `x`), string literals
// ('x'), numbers, blobs (x'..'), variables (?1 :a @a $a) and operators.
// Concatenating the text of every token gives back the input byte for byte
// (a tested invariant), so callers edit SQL by replacing token spans and
// never regenerate it (SQLite's own renameEditSql works the same way).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sqlmend::sql {

enum class TokenKind {
  kSpace,       // whitespace
  kComment,     // -- to end of line, or /* ... */ (possibly unterminated)
  kWord,        // bare identifier or keyword: [A-Za-z_\x80-\xff][A-Za-z0-9_$\x80-\xff]*
  kQuotedName,  // "x" (with "" escapes), [x], `x` (with `` escapes)
  kString,      // 'x' with '' escapes
  kNumber,      // 12, 1.5e3, 0x1F, .5
  kBlob,        // x'0A' or X'0a'
  kVariable,    // ?, ?12, :name, @name, $name
  kPunct,       // operators and punctuation: ( ) , ; . = == < <= || -> ->> ...
  kIllegal,     // anything SQLite would reject (unterminated quote, stray byte)
};

struct Token {
  TokenKind kind;
  size_t offset;          // byte offset into the tokenized text
  std::string_view text;  // the token's bytes (a view into the input)
};

// Tokens of `sql`, covering every byte. The views point into `sql`.
// SQLite reads its text up to a NUL byte; a NUL here ends the token in
// progress likewise, and it and every byte after it form one kIllegal token.
std::vector<Token> Tokenize(std::string_view sql);

// Tokens without kSpace and kComment: what a parser looks at.
std::vector<Token> SignificantTokens(std::string_view sql);

// True for a kWord, kQuotedName or kString token: the forms SQLite accepts
// where it expects a name (a string literal is accepted as a name in
// CREATE TABLE ... REFERENCES 'parent', among others).
bool IsNameToken(const Token& token);

// The name a kWord / kQuotedName / kString token stands for: quotes removed
// and doubled quotes undone ("a""b" -> a"b, [x] -> x, `a``b` -> a`b).
std::string TokenName(const Token& token);

// True when `word` is an SQLite keyword (ASCII case-insensitive).
bool IsKeyword(std::string_view word);

// ASCII-only case folding, as SQLite compares identifiers (sqlite3StrICmp):
// 'A'-'Z' fold, every other byte (UTF-8 included) is compared as is.
std::string AsciiLower(std::string_view s);
bool AsciiIEquals(std::string_view a, std::string_view b);
// Orders names as SQLite matches them: a map keyed by table name with this
// finds "events" under "eVents".
struct AsciiILess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

// "name" with " doubled: the form SQLite's ALTER TABLE RENAME writes.
std::string QuoteIdentifier(std::string_view name);
// name bare when it is [A-Za-z_][A-Za-z0-9_]* and not a keyword, else quoted
// as QuoteIdentifier does (the sqlite3 shell's quoteChar rule).
std::string QuoteIdentifierIfNeeded(std::string_view name);
// 'text' with ' doubled.
std::string QuoteString(std::string_view text);

}  // namespace sqlmend::sql
