// The few pieces of Python's string behaviour that Alembic's configuration
// reading depends on, written once so the ini reader, the pyproject reader and
// the error messages agree: what str.strip() removes, what str.lower() does to
// an option name, and how repr() quotes a string inside an error message
// (configparser and Alembic both build messages with %r / {!r}).
//
// All functions work on UTF-8 bytes and only treat ASCII specially.
// NOTE: Python's str methods are Unicode-aware (strip() also removes U+00A0,
// lower() folds 'Ä'); configuration keys and paths in Alembic projects are
// ASCII in practice, and a byte-wise rule never splits a UTF-8 sequence.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sqlmend::config {

// True for the ASCII characters Python's str.isspace() accepts: space, \t,
// \n, \v, \f, \r and the separators \x1c-\x1f.
bool IsPythonSpace(char c);

// str.strip() / str.rstrip() over IsPythonSpace.
std::string_view PythonStrip(std::string_view text);
std::string_view PythonRightStrip(std::string_view text);

// str.lower() for ASCII letters; other bytes are kept. This is configparser's
// optionxform, applied to every option name it reads or looks up.
std::string AsciiLower(std::string_view text);

// repr() of a str: single quotes unless the text holds a single quote and no
// double quote; backslash, the quote, \t, \n, \r escaped, other control bytes
// as \xNN. Bytes of 0x80 and above are kept as they are.
std::string PythonRepr(std::string_view text);

// sqlalchemy.util.asbool on a string, which Alembic (revision_environment)
// and SQLAlchemy's URL options (uri=) use: after strip() and lower(), "true",
// "yes", "on", "y", "t", "1" are true and "false", "no", "off", "n", "f",
// "0" false; anything else is std::nullopt (Python raises "String is not
// true/false: %r").
std::optional<bool> SqlalchemyAsBool(std::string_view text);

}  // namespace sqlmend::config
