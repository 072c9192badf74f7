// What SQLAlchemy's text() does to the string of an op.execute("...") call
// before the database sees it, so sqlmend runs and prints the same text.
//
// Alembic wraps a string given to op.execute() in sqlalchemy.text(), and
// compiling a TextClause (SQLAlchemy 1.4, sql/elements.py and
// sql/compiler.py visit_textclause) rewrites it in three ways:
//   1. ":name" is a bind parameter when the ':' follows no ':', word
//      character or backslash, and the name (word characters) is not
//      followed by ':' (so "a:b", "x::int" and "'12:30'" stay as they are;
//      NOTE: quotes are not considered: "':name'" is a parameter too).
//   2. Each parameter is rendered: offline with literal_binds as NULL (no
//      value was given), online as a "?" that no value fills (SQLAlchemy
//      then fails with "A value is required for bind parameter 'name'").
//   3. A backslash-escaped "\:name" loses its backslash.
// SQLite's dialect uses the qmark paramstyle, so '%' is left alone.
//
// Python's \w is Unicode-aware; here ASCII letters, digits, '_' and every
// byte of a multi-byte UTF-8 character count as word characters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sqlmend::migrate {

struct CompiledText {
  std::string sql;                       // the text after steps 1-3
  std::vector<std::string> bind_names;  // each parameter found, in order
};

// Compiles `text` as SQLAlchemy compiles text(text); parameters become
// `placeholder` ("NULL" offline with literal_binds, "?" online).
CompiledText CompileTextClause(std::string_view text, std::string_view placeholder);

// Alembic's offline rendering of one executed string (DefaultImpl._exec):
// tabs become four spaces, surrounding whitespace (Python's str.strip()) is
// removed, and ";" is appended.
std::string OfflineStatement(std::string_view compiled);

}  // namespace sqlmend::migrate
