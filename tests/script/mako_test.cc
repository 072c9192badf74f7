// The Mako subset: each construct Alembic's templates use, table-driven,
// with the output Mako 1.x gives (checked by hand against mako.template).
#include "script/mako.h"

#include <gtest/gtest.h>

namespace sqlmend::script {
namespace {

struct Case {
  const char* source;
  const char* expected;  // or "error: <object>: <message>"
};

TEST(MakoTest, Renders) {
  const MakoContext context = {
      {"up_revision", MakoValue::Str("abc")},
      {"one", MakoValue::Str("a1")},
      {"none", MakoValue::None()},
      {"pair", MakoValue::Tuple({"a", "b"})},
      {"single", MakoValue::Tuple({"x"})},
      {"deps", MakoValue::List({"d1", "d2"})},
      {"quote", MakoValue::Str("it's")},
      {"empty", MakoValue::Str("")},
  };
  const Case cases[] = {
      {"${up_revision}\n", "abc\n"},
      {"${repr(up_revision)} ${repr(none)} ${repr(pair)} ${repr(single)} ${repr(deps)}",
       "'abc' None ('a', 'b') ('x',) ['d1', 'd2']"},
      {"${repr(quote)}", "\"it's\""},
      {"[${pair | comma,n}] [${none | comma,n}] [${one | comma,n}] [${deps | comma,n}]",
       "[a, b] [] [a1] [d1, d2]"},
      // Without `n` the default str() runs first, so comma sees a str.
      {"${pair | comma}", "('a', 'b')"},
      {"${none}", "None"},
      {"${imports if imports else \"\"}|${upgrades if upgrades else \"pass\"}", "|pass"},
      {"${empty if empty else 'x'}", "x"},
      {"${\"lit}eral\"}", "lit}eral"},
      {"## a comment\nA\n  ## indented comment\nB", "A\nB"},
      {"% if one:\nyes\n% else:\nno\n% endif\n", "yes\n"},
      {"% if none:\nyes\n% elif pair:\nelif\n% endif\nend", "elif\nend"},
      {"  % if not one:\n${undefined_name}\n  % endif\n", ""},
      {"% if one == 'a1' and none is None:\nok\n% endif\n", "ok\n"},
      {"100%% sure\n%% literal", "100%% sure\n% literal"},
      {"<%text>${raw}</%text>", "${raw}"},
      {"<%doc>gone</%doc>kept", "kept"},
      {"<%!\nimport re\n\n%>after", "after"},
      {"a\\\nb", "ab"},
      {"${undefined_name}", "error: t.mako:1: an undefined name is printed (Mako: UNDEFINED)"},
      {"x\n% for a in b:\n% endfor\n",
       "error: t.mako:2: unsupported control line '% for a in b:' (only if/elif/else/endif)"},
      {"<% x = 1 %>", "error: t.mako:1: unsupported Mako tag '<% x = 1 %>'"},
      {"${config.get_main_option('x')}",
       "error: t.mako:1: unsupported call 'config.get_main_option('x')'"},
      {"% if one:\n", "error: t.mako:2: '% if' without '% endif'"},
      {"${one | h}", "error: t.mako:1: unsupported filter 'h'"},
  };
  for (const Case& c : cases) {
    auto out = RenderMako(c.source, context, "t.mako");
    std::string got = out ? *out : "error: " + out.error().ToString();
    EXPECT_EQ(got, c.expected) << "template:\n" << c.source;
  }
}

}  // namespace
}  // namespace sqlmend::script
