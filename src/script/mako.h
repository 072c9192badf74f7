// The subset of the Mako template language that Alembic's script.py.mako
// and alembic.ini.mako templates use, rendered byte for byte as Mako 1.x
// renders them (Alembic's util.template_to_file: render_unicode, then
// encode).
//
// Understood:
//   ${expr}                 the value of a Python expression, through str()
//   ${expr | f1,f2}         with filters applied left to right; `n` turns off
//                           the default str() filter (Mako's default filters
//                           run first), `comma` is Alembic's format_as_comma
//                           (None -> "", a str as is, a tuple joined by
//                           ", "), `str` and `trim` as Mako's
//   % if expr: / % elif expr: / % else: / % endif
//                           control lines (leading blanks allowed); the whole
//                           line, newline included, produces nothing
//   ## comment              a comment line, dropped with its newline
//   %% at a line start      a literal '%'
//   <%text>...</%text>      raw text; <%doc>...</%doc> dropped
//   <%! import x %>         a module block of imports only: dropped
//   backslash-newline       dropped (Mako's line continuation)
// Expressions are Python, parsed by the python module's parser: names of the context
// (a missing name is Mako's UNDEFINED: false in a test, an error when
// printed), string literals, None/True/False, `a if c else b`, and/or/not,
// == / != / is / is not, parentheses, and calls of repr(), str() and
// comma(). Anything else (% for, <% %> code blocks, attribute access such
// as config.get_main_option) fails with the template's line: the
// multi-database template is not supported.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sqlmend::script {

// A template variable: the kinds of Python value Alembic passes.
struct MakoValue {
  enum class Kind { kUndefined, kNone, kBool, kStr, kTuple, kList };
  Kind kind = Kind::kUndefined;
  bool boolean = false;
  std::string str;
  std::vector<std::string> items;  // kTuple, kList: its str items

  static MakoValue None() { return {Kind::kNone, false, "", {}}; }
  static MakoValue Bool(bool b) { return {Kind::kBool, b, "", {}}; }
  static MakoValue Str(std::string s) { return {Kind::kStr, false, std::move(s), {}}; }
  static MakoValue Tuple(std::vector<std::string> items) {
    return {Kind::kTuple, false, "", std::move(items)};
  }
  static MakoValue List(std::vector<std::string> items) {
    return {Kind::kList, false, "", std::move(items)};
  }
  // Alembic's tuple_rev_as_scalar: None for no ids, a str for one, else the
  // sequence itself (a tuple for the heads, a list for --depends-on, which
  // argparse collects into a list).
  static MakoValue RevisionsAsScalar(const std::vector<std::string>& ids, bool as_list = false);
};

using MakoContext = std::map<std::string, MakoValue>;

// Renders `source` (the text of the template file `path`) with `context`.
// Fails with kUsage, object "path:line", on a construct outside the subset
// above or an expression that Python would reject at render time (printing
// an undefined name, repr() of UNDEFINED).
base::Result<std::string> RenderMako(std::string_view source, const MakoContext& context,
                                     const std::string& path);

}  // namespace sqlmend::script
