// Python string and bytes literals decoded as CPython decodes them: text to
// UTF-8, bytes to their octets.
//
// Revision files carry their SQL, ids and messages in string literals, so
// the decoded value must be exactly what Python would see. The rules
// (Python 3 lexical analysis, "String and Bytes literals"):
//   - a prefix of r, u, f, rf/fr, b, br/rb (any case); u cannot combine with
//     others, nor b with f.
//   - '...', "...", '''...''' and """...""" quoting.
//   - newlines in the source text (\r\n, \r) read as \n, as Python's
//     tokenizer translates them before the literal is decoded.
//   - escapes, unless raw: \<newline> (nothing), \\ \' \" \a \b \f \n \r \t
//     \v, \ooo (1-3 octal digits, up to \777), \xhh, \uhhhh, \Uhhhhhhhh; an
//     unknown escape keeps its backslash ("\d" is two characters), as Python
//     does (with a warning). \N{name} is refused: sqlmend carries no Unicode
//     name table. A code point that UTF-8 cannot hold (a lone surrogate such
//     as \ud800, which Python keeps in a str) is refused.
//   - raw literals keep every backslash; a backslash still stops the next
//     character from ending the literal (r"\"" is two characters).
//   - f-strings are accepted when they interpolate nothing: {{ and }} stand
//     for { and }; a replacement field ({x}) is refused, since its value is
//     only known by running Python.
//   - bytes literals (b'..', rb'..') hold ASCII characters only; \xhh is one
//     octet, \ooo its low 8 bits; \u, \U and \N are not escapes in bytes
//     and stay as written.
// Adjacent literals ("a" 'b') concatenate, at compile time in Python and in
// DecodeLiteral() here; bytes and text cannot be mixed (a SyntaxError).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "base/status.h"
#include "python/parser.h"

namespace sqlmend::python {

// Why a literal could not be decoded, and where: `offset` is a byte offset
// into the token passed to DecodeStringToken().
struct StringLiteralError {
  size_t offset = 0;
  std::string message;
  bool operator==(const StringLiteralError&) const = default;
};

// A decoded literal: UTF-8 text, or the octets of a bytes literal.
struct LiteralValue {
  std::string value;
  bool bytes = false;
};

// Decodes one literal token exactly as written in the source, prefix and
// quotes included (`r'a\b'`, `"""x"""`, `b'\x00'`). The token must be a
// complete literal, as tree-sitter delimits it.
tl::expected<LiteralValue, StringLiteralError> DecodeLiteralToken(std::string_view token);
// DecodeLiteralToken() for text only: a bytes literal is an error.
tl::expected<std::string, StringLiteralError> DecodeStringToken(std::string_view token);

// Appends the UTF-8 encoding of `code_point` (at most U+10FFFF) to `out`.
void AppendUtf8(uint32_t code_point, std::string& out);

// True for the tree-sitter nodes that are string literals: "string" and
// "concatenated_string" (adjacent literals).
bool IsStringLiteral(Node node);

// The value of the string or bytes literal `node` (see IsStringLiteral()).
// Fails with Code::kRefused located at the offending character
// ("path:line:col") when a part cannot be decoded (an interpolating
// f-string, \N{}) or bytes and text parts are mixed.
base::Result<LiteralValue> DecodeLiteral(const PythonModule& module, Node node);
// DecodeLiteral() for text only: a bytes part is refused where it starts.
base::Result<std::string> DecodeStringLiteral(const PythonModule& module, Node node);

}  // namespace sqlmend::python
