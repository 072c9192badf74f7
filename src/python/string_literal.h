// Python string literals decoded as CPython decodes them, to UTF-8.
//
// Revision files carry their SQL, ids and messages in string literals, so
// the decoded value must be exactly what Python would see. The rules
// (Python 3 lexical analysis, "String and Bytes literals"):
//   - a prefix of r, u, f, rf/fr (any case); u cannot combine with others;
//     bytes literals (b, br, rb) are refused: they are not text.
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
// Adjacent literals ("a" 'b') concatenate, at compile time in Python and in
// DecodeStringLiteral() here.
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

// Decodes one literal token exactly as written in the source, prefix and
// quotes included (`r'a\b'`, `"""x"""`). The token must be a complete
// literal, as tree-sitter delimits it.
tl::expected<std::string, StringLiteralError> DecodeStringToken(std::string_view token);

// Appends the UTF-8 encoding of `code_point` (at most U+10FFFF) to `out`.
void AppendUtf8(uint32_t code_point, std::string& out);

// True for the tree-sitter nodes that are string literals: "string" and
// "concatenated_string" (adjacent literals).
bool IsStringLiteral(Node node);

// The value of the string literal `node` (see IsStringLiteral()). Fails with
// Code::kRefused located at the offending character ("path:line:col") when a
// part cannot be decoded: a bytes literal, an interpolating f-string, \N{}.
base::Result<std::string> DecodeStringLiteral(const PythonModule& module, Node node);

}  // namespace sqlmend::python
