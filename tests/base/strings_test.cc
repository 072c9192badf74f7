// Join and Split, table-driven.
#include "base/strings.h"

#include <gtest/gtest.h>

namespace sqlmend::base {
namespace {

TEST(StringsTest, Join) {
  const struct {
    std::vector<std::string> items;
    const char* separator;
    const char* expected;
  } cases[] = {
      {{}, ", ", ""},
      {{"a"}, ", ", "a"},
      {{"a", "b", "c"}, ", ", "a, b, c"},
      {{"", ""}, ",", ","},
      {{"x", "y"}, "", "xy"},
  };
  for (const auto& c : cases) EXPECT_EQ(Join(c.items, c.separator), c.expected) << c.expected;
  EXPECT_EQ(Join({"a", "b"}), "a, b");
}

TEST(StringsTest, Split) {
  const struct {
    const char* text;
    char separator;
    std::vector<std::string> expected;
  } cases[] = {
      {"", ',', {""}},
      {"a", ',', {"a"}},
      {"a,,b", ',', {"a", "", "b"}},
      {",a,", ',', {"", "a", ""}},
      {"one\ntwo\n", '\n', {"one", "two", ""}},
  };
  for (const auto& c : cases) EXPECT_EQ(Split(c.text, c.separator), c.expected) << c.text;
  for (const auto& c : cases) EXPECT_EQ(Join(Split(c.text, c.separator), std::string(1, c.separator)), c.text);
}

}  // namespace
}  // namespace sqlmend::base
