// Python literal values read from source without evaluating anything.
//
// Alembic's revision header (`down_revision = ("a", "b")`) and the settings
// env.py passes to context.configure() (`render_as_batch=True`) are, in the
// files Alembic writes and nearly all files people write, literals. ReadLiteral()
// accepts exactly the forms ast.literal_eval() would give these values in:
// None, True, False, strings (see string_literal.h), and a tuple or list of
// those (one level; `"a", "b"` without parentheses is a tuple too), each
// possibly in parentheses. Anything else (a name, a call, `"a" + "b"`) is
// refused: its value is only known by running Python.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "python/parser.h"

namespace sqlmend::python {

struct Literal {
  enum class Kind { kNone, kBool, kString, kSequence };
  Kind kind = Kind::kNone;
  bool boolean = false;        // kBool
  std::string string;          // kString: the decoded UTF-8 text
  std::vector<Literal> items;  // kSequence (tuple or list): scalar items only
  SourceSpan span;             // where the value is written
};

// Reads the expression `node` of `module` as a Literal. On failure returns
// Code::kRefused located at the offending expression: "<what> is not a
// literal value: <the expression>", or the string decoding error. `what`
// names the value for the message ("down_revision", "version_table=").
base::Result<Literal> ReadLiteral(const PythonModule& module, Node node, std::string_view what);

// "None", "True", "a string", "a tuple": for messages about a wrong kind.
std::string DescribeLiteralKind(const Literal& literal);

}  // namespace sqlmend::python
