// The SQLite tokenizer (sql/tokenizer.h) on arbitrary bytes. Invariants:
// tokens cover the input in order with no gap and no empty token, so joining
// their text gives back the input byte for byte; SignificantTokens() is the
// same list without spaces and comments; a quoted name or string read back
// through TokenName() and quoted again is one token of the same name.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "sql/tokenizer.h"

namespace {

using sqlmend::sql::Token;
using sqlmend::sql::TokenKind;

void CheckRequotes(const Token& token) {
  std::string name = sqlmend::sql::TokenName(token);
  // SQLite ends its text at a NUL byte, so a name holding one cannot be
  // quoted back into one token.
  if (name.find('\0') != std::string::npos) return;
  std::string quoted = token.kind == TokenKind::kString ? sqlmend::sql::QuoteString(name)
                                                        : sqlmend::sql::QuoteIdentifier(name);
  auto again = sqlmend::sql::Tokenize(quoted);
  FUZZ_CHECK(again.size() == 1, "quoted back into several tokens: " + quoted);
  FUZZ_CHECK(sqlmend::sql::TokenName(again[0]) == name, "name changed by quoting: " + quoted);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto tokens = sqlmend::sql::Tokenize(input);
  std::string joined;
  size_t significant = 0;
  for (const Token& token : tokens) {
    FUZZ_CHECK(!token.text.empty(), "empty token");
    FUZZ_CHECK(token.offset == joined.size(), "token offset is not where the previous ended");
    FUZZ_CHECK(token.text.data() == input.data() + token.offset, "token text is not a view of the input");
    joined.append(token.text);
    if (token.kind != TokenKind::kSpace && token.kind != TokenKind::kComment) ++significant;
    if (sqlmend::sql::IsNameToken(token) && token.kind != TokenKind::kWord) CheckRequotes(token);
  }
  FUZZ_CHECK(joined == input, "tokenize then join changed the input");
  FUZZ_CHECK(sqlmend::sql::SignificantTokens(input).size() == significant,
             "SignificantTokens() disagrees with Tokenize()");
  return 0;
}
