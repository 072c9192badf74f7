// Upgrade, downgrade and stamp plans: the steps in Alembic's order with their
// version-table effects, dumped as "<short log> | -removed +added" lines and
// "= final rows".
#include "graph/plan.h"

#include <gtest/gtest.h>

#include "graph_dump.h"

namespace sqlmend::graph {
namespace {

using testing::DumpPlan;

enum class Op { kUpgrade, kDowngrade, kStamp, kStampPurge };

struct PlanCase {
  Op op;
  std::vector<std::string> current;
  std::vector<std::string> target;  // one entry except for stamps
  const char* expected;             // DumpPlan, or "!message"
};

void CheckPlans(const std::vector<Revision>& revisions, const std::vector<PlanCase>& cases) {
  auto map = RevisionMap::Build(revisions);
  ASSERT_TRUE(map.has_value()) << map.error().ToString();
  for (const PlanCase& c : cases) {
    base::Result<Plan> plan = c.op == Op::kUpgrade ? PlanUpgrade(*map, c.current, c.target[0])
                              : c.op == Op::kDowngrade
                                  ? PlanDowngrade(*map, c.current, c.target[0])
                                  : PlanStamp(*map, c.current, c.target, c.op == Op::kStampPurge);
    const std::string label =
        testing::JoinIds(c.current, ",") + " to " + testing::JoinIds(c.target, ",");
    if (c.expected[0] == '!') {
      ASSERT_FALSE(plan.has_value()) << label;
      EXPECT_EQ(plan.error().message(), c.expected + 1) << label;
      continue;
    }
    ASSERT_TRUE(plan.has_value()) << label << ": " << plan.error().ToString();
    EXPECT_EQ(DumpPlan(*plan), c.expected) << label;
  }
}

TEST(PlanTest, LinearUpgradeAndDowngrade) {
  CheckPlans(
      {Rev("a"), Rev("b", {"a"}), Rev("c", {"b"})},
      {
          {Op::kUpgrade,
           {},
           {"head"},
           "upgrade  -> a | +a\nupgrade a -> b | -a +b\n"
           "upgrade b -> c | -b +c\n= c"},
          {Op::kUpgrade, {"a"}, {"+1"}, "upgrade a -> b | -a +b\n= b"},
          {Op::kUpgrade, {"a"}, {"+3"}, "!Relative revision +3 didn't produce 3 migrations"},
          {Op::kUpgrade,
           {"a"},
           {"+99999999999999999999"},
           "!Relative revision +99999999999999999999 didn't produce "
           "1000000000 migrations"},
          {Op::kUpgrade, {"a"}, {"-1"}, "!Relative revision -1 didn't produce 1 migrations"},
          {Op::kUpgrade, {"c"}, {"head"}, "= c"},
          {Op::kUpgrade, {"a"}, {"b+1"}, "upgrade a -> b | -a +b\nupgrade b -> c | -b +c\n= c"},
          {Op::kUpgrade, {}, {"nope"}, "!Can't locate revision identified by 'nope'"},
          {Op::kDowngrade,
           {"c"},
           {"base"},
           "downgrade c -> b | -c +b\ndowngrade b -> a | -b +a\n"
           "downgrade a ->  | -a\n= "},
          {Op::kDowngrade, {"c"}, {"-1"}, "downgrade c -> b | -c +b\n= b"},
          {Op::kDowngrade, {"c"}, {"-4"}, "!Relative revision -4 didn't produce 4 migrations"},
          {Op::kDowngrade, {"c"}, {"+1"}, "!Relative revision +1 didn't produce 1 migrations"},
          {Op::kDowngrade,
           {"a"},
           {"c"},
           "!Destination c is not a valid downgrade target from "
           "current head(s)"},
      });
}

TEST(PlanTest, BranchesAndMerges) {
  // a -> b -> {c, d} -> e (merge of c and d); f branches from c.
  CheckPlans({Rev("a"), Rev("b", {"a"}), Rev("c", {"b"}), Rev("d", {"b"}), Rev("e", {"c", "d"}),
              Rev("f", {"c"}, {"side"})},
             {
                 {Op::kUpgrade,
                  {},
                  {"head"},
                  "!Multiple head revisions are present for given argument 'head'; "
                  "please specify a specific target revision, '<branchname>@head' to "
                  "narrow to a specific head, or 'heads' for all heads"},
                 {Op::kUpgrade,
                  {"b"},
                  {"e"},
                  "upgrade b -> d | -b +d\nupgrade b -> c | +c\n"
                  "upgrade c, d -> e | -c -d +e\n= e"},
                 {Op::kUpgrade, {"e"}, {"side@head"}, "upgrade c -> f | +f\n= e f"},
                 {Op::kUpgrade, {"e"}, {"f"}, "upgrade c -> f | +f\n= e f"},
                 {Op::kDowngrade,
                  {"e", "f"},
                  {"c"},
                  // d is no descendant of c: it stays.
                  "downgrade e -> c, d | -e +d\ndowngrade f -> c | -f +c\n= d c"},
                 {Op::kDowngrade,
                  {"e"},
                  {"b"},
                  "downgrade e -> c, d | -e +c +d\ndowngrade c -> b | -c\n"
                  "downgrade d -> b | -d +b\n= b"},
                 {Op::kDowngrade, {"e", "f"}, {"side@-1"}, "downgrade f -> c | -f\n= e"},
             });
}

TEST(PlanTest, DependsOnIsPulledIn) {
  // Two roots; b2 depends on a2 of the other root.
  CheckPlans({Rev("a1"), Rev("a2", {"a1"}), Rev("b1"), Rev("b2", {"b1"}, {}, {"a2"})},
             {
                 {Op::kUpgrade,
                  {},
                  {"b2"},
                  "upgrade  -> a1 | +a1\nupgrade a1 -> a2 | -a1 +a2\n"
                  "upgrade  -> b1 | +b1\n"
                  "upgrade b1 -> b2 | -a2 -b1 +b2\n= b2"},
                 {Op::kDowngrade,
                  {"b2"},
                  {"a1"},
                  "downgrade b2 -> b1 | -b2 +a2 +b1\n"
                  "downgrade a2 -> a1 | -a2 +a1\n= a1 b1"},
             });
}

TEST(PlanTest, Stamps) {
  CheckPlans({Rev("a"), Rev("b", {"a"}), Rev("c", {"b"}), Rev("x"), Rev("y", {"x"})},
             {
                 {Op::kStamp, {}, {"c"}, "stamp_revision  -> c | +c\n= c"},
                 {Op::kStamp, {"a"}, {"c"}, "stamp_revision a -> c | -a +c\n= c"},
                 {Op::kStamp, {"c"}, {"a"}, "stamp_revision c -> a | -c +a\n= a"},
                 {Op::kStamp, {"c"}, {"y"}, "stamp_revision  -> y | +y\n= c y"},
                 {Op::kStamp,
                  {"c", "y"},
                  {"base"},
                  "stamp_revision c ->  | -c\nstamp_revision y ->  | -y\n= "},
                 {Op::kStamp, {"c", "y"}, {"c"}, "= c y"},
                 {Op::kStampPurge, {"c", "y"}, {"b"}, "stamp_revision  -> b | +b\n= b"},
                 {Op::kStamp,
                  {},
                  {"c", "y"},
                  "stamp_revision  -> c | +c\nstamp_revision  -> y | +y\n= c y"},
                 {Op::kStamp,
                  {},
                  {"heads"},
                  "stamp_revision  -> c | +c\nstamp_revision  -> y | +y\n= c y"},
                 {Op::kStamp, {}, {"nope"}, "!Can't locate revision identified by 'nope'"},
             });
}

TEST(PlanTest, StampOfAmbiguousHeadUsesStampWording) {
  CheckPlans({Rev("a"), Rev("b", {"a"}), Rev("c", {"a"})},
             {{Op::kStamp,
               {},
               {"head"},
               "!Multiple heads are present; please specify a single target "
               "revision"}});
}

TEST(PlanTest, LogLineCarriesTheDoc) {
  auto map = RevisionMap::Build({Rev("a", {}, {}, {}, "create table"), Rev("b", {"a"})});
  ASSERT_TRUE(map.has_value());
  auto plan = PlanUpgrade(*map, {}, "head");
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->steps[0].LogLine(), "upgrade  -> a, create table");
  EXPECT_EQ(plan->steps[1].LogLine(), "upgrade a -> b");
}

}  // namespace
}  // namespace sqlmend::graph
