// History ranges, heads, branch points and current: which revisions Alembic
// lists, in its order.
#include "graph/history.h"

#include <gtest/gtest.h>

#include "graph_dump.h"

namespace sqlmend::graph {
namespace {

using testing::DumpRevisions;

TEST(HistoryTest, ParsesRanges) {
  auto both = ParseHistoryRange(" a:b ");
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(both->start.value_or("-"), "a");
  EXPECT_EQ(both->end.value_or("-"), "b");
  auto open = ParseHistoryRange(":b");
  ASSERT_TRUE(open.has_value());
  EXPECT_FALSE(open->start.has_value());
  for (const char* bad : {"ab", "a:b:c"}) {
    auto range = ParseHistoryRange(bad);
    ASSERT_FALSE(range.has_value()) << bad;
    EXPECT_EQ(range.error().message(), "History range requires [start]:[end], [start]:, or :[end]");
  }
}

struct HistoryCase {
  std::optional<std::string> start, end;
  std::vector<std::string> current;
  const char* expected;  // ids newest first, or "!message"
};

TEST(HistoryTest, RangesOverABranchedGraph) {
  auto map = RevisionMap::Build({Rev("a"), Rev("b", {"a"}), Rev("c", {"b"}), Rev("d", {"b"}),
                                 Rev("e", {"c", "d"}), Rev("f", {"c"})});
  ASSERT_TRUE(map.has_value());
  const HistoryCase cases[] = {
      {std::nullopt, std::nullopt, {}, "e f c d b a"},
      {"c", std::nullopt, {}, "e f c"},
      {std::nullopt, "c", {}, "c b a"},
      {"b", "e", {}, "e c d b"},
      {"e",
       "a",
       {},
       "!Requested range e:a does not refer to ancestor/descendant revisions "
       "along the same branch"},
      {"current", std::nullopt, {"c"}, "e f c"},
      {std::nullopt, "current", {"d"}, "d b a"},
      {"-1", std::nullopt, {}, "!Ambiguous walk"},  // -1 from two heads
      {std::nullopt, "nope", {}, "!Can't locate revision identified by 'nope'"},
      {std::nullopt,
       "head",
       {},
       "!Multiple head revisions are present for given argument 'head'; "
       "please specify a specific target revision, '<branchname>@head' to "
       "narrow to a specific head, or 'heads' for all heads"},
  };
  for (const auto& c : cases) {
    auto listed = History(*map, {c.start, c.end}, c.current);
    const std::string label = c.start.value_or("") + ":" + c.end.value_or("");
    if (c.expected[0] == '!') {
      ASSERT_FALSE(listed.has_value()) << label;
      EXPECT_EQ(listed.error().message(), c.expected + 1) << label;
      continue;
    }
    ASSERT_TRUE(listed.has_value()) << label << ": " << listed.error().ToString();
    EXPECT_EQ(DumpRevisions(*listed), c.expected) << label;
  }
  EXPECT_EQ(DumpRevisions(BranchPoints(*map)), "c b");
  EXPECT_EQ(DumpRevisions(Heads(*map)), "e f");
  auto current = Current(*map, {"e"});
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(DumpRevisions(*current), "e");
}

TEST(HistoryTest, RelativeRangeOnALine) {
  auto map = RevisionMap::Build({Rev("a"), Rev("b", {"a"}), Rev("c", {"b"})});
  ASSERT_TRUE(map.has_value());
  auto listed = History(*map, {"-1", std::nullopt});
  ASSERT_TRUE(listed.has_value()) << listed.error().ToString();
  EXPECT_EQ(DumpRevisions(*listed), "c b");
  auto up = History(*map, {std::nullopt, "a+1"});
  ASSERT_TRUE(up.has_value()) << up.error().ToString();
  EXPECT_EQ(DumpRevisions(*up), "b a");
}

TEST(HistoryTest, ResolvedHeadsSkipDependencyOnlyHeads) {
  auto map = RevisionMap::Build({Rev("a"), Rev("b", {"a"}), Rev("x"), Rev("y", {"x"}, {}, {"b"})});
  ASSERT_TRUE(map.has_value());
  EXPECT_EQ(DumpRevisions(Heads(*map)), "b y");
  EXPECT_EQ(DumpRevisions(Heads(*map, true)), "y");
}

}  // namespace
}  // namespace sqlmend::graph
