// RevisionMap: building (every refusal), derived fields, and identifier
// resolution, table by table. Graphs are declared inline as in Alembic's
// tests/test_revision.py.
#include "graph/revision_map.h"

#include <gtest/gtest.h>

#include "graph_dump.h"

namespace sqlmend::graph {
namespace {

using testing::DumpRevisions;
using testing::JoinIds;

RevisionMap MustBuild(std::vector<Revision> revisions) {
  auto map = RevisionMap::Build(std::move(revisions));
  EXPECT_TRUE(map.has_value()) << map.error().ToString();
  return map ? *map : RevisionMap();
}

struct BuildErrorCase {
  const char* name;
  std::vector<Revision> revisions;
  const char* message;
};

TEST(RevisionMapTest, BuildRefusesBrokenGraphs) {
  const BuildErrorCase cases[] = {
      {"duplicate", {Rev("a"), Rev("a")}, "Revision a is present more than once"},
      {"missing down",
       {Rev("a"), Rev("b", {"zz"})},
       "Revision zz referenced from b is not present"},
      {"missing dependency",
       {Rev("a"), Rev("b", {"a"}, {}, {"nope"})},
       "Revision nope referenced from b is not present"},
      {"self loop", {Rev("a", {"a"})}, "Self-loop is detected in revisions (a)"},
      {"dependency self loop",
       {Rev("a", {}, {}, {"a"})},
       "Dependency self-loop is detected in revisions (a)"},
      {"illegal characters",
       {Rev("a-b@c")},
       "Character(s) '-, @' not allowed in revision identifier 'a-b@c'"},
      {"all on a cycle",
       {Rev("a", {"b"}), Rev("b", {"a"})},
       "Cycle is detected in revisions (a, b)"},
      {"cycle beside a line",
       {Rev("a"), Rev("b", {"a"}), Rev("c", {"d"}), Rev("d", {"c"}), Rev("e", {"b"})},
       "Cycle is detected in revisions (c, d)"},
      {"cycle hanging off a base",
       {Rev("a"), Rev("b", {"a", "d"}), Rev("c", {"b"}), Rev("d", {"c"}), Rev("e", {"a"})},
       "Cycle is detected in revisions (b, c, d)"},
      {"dependency cycle",
       {Rev("a"), Rev("b", {"a"}, {}, {"c"}), Rev("c", {"a"}, {}, {"b"})},
       "Dependency cycle is detected in revisions (a, b, c)"},
      {"label clash",
       {Rev("a", {}, {"x"}), Rev("b", {"a"}, {"x"})},
       "Branch name 'x' in revision b already used by revision a"},
      {"label equals an id",
       {Rev("a"), Rev("b", {"a"}, {"a"})},
       "Branch name 'a' in revision b already used by revision a"},
  };
  for (const auto& c : cases) {
    auto map = RevisionMap::Build(c.revisions);
    ASSERT_FALSE(map.has_value()) << c.name;
    EXPECT_EQ(map.error().message(), c.message) << c.name;
    EXPECT_EQ(map.error().code(), base::Code::kRefused) << c.name;
  }
}

TEST(RevisionMapTest, EmptyMapHasNothing) {
  RevisionMap map = MustBuild({});
  EXPECT_TRUE(map.heads().empty());
  EXPECT_TRUE(map.bases().empty());
  auto head = map.GetRevision("head");
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(*head, nullptr);
}

TEST(RevisionMapTest, DerivedFieldsOfBranchAndMerge) {
  // a -> b -> {c, d} -> e (merge); f depends on c.
  RevisionMap map = MustBuild({Rev("a"), Rev("b", {"a"}), Rev("c", {"b"}), Rev("d", {"b"}),
                               Rev("e", {"c", "d"}), Rev("f", {}, {}, {"c"})});
  EXPECT_EQ(JoinIds(map.heads()), "e f");
  EXPECT_EQ(JoinIds(map.real_heads()), "e f");
  EXPECT_EQ(JoinIds(map.bases()), "a f");
  EXPECT_EQ(JoinIds(map.real_bases()), "a");
  const Revision* b = map.Find("b");
  EXPECT_TRUE(b->is_branch_point());
  EXPECT_EQ(JoinIds(b->nextrev), "c d");
  EXPECT_TRUE(map.Find("e")->is_merge_point());
  const Revision* c = map.Find("c");
  EXPECT_EQ(JoinIds(c->nextrev), "e");
  EXPECT_EQ(JoinIds(c->all_nextrev), "e f");
  EXPECT_FALSE(c->is_branch_point());
  EXPECT_TRUE(c->is_real_branch_point());
  EXPECT_TRUE(map.Find("f")->is_base());
  EXPECT_FALSE(map.Find("f")->is_real_base());
}

TEST(RevisionMapTest, DependencyOnlyHeadIsNotARealHead) {
  RevisionMap map = MustBuild({Rev("a"), Rev("b", {"a"}), Rev("x"), Rev("y", {"x"}, {}, {"b"})});
  EXPECT_EQ(JoinIds(map.heads()), "b y");
  EXPECT_EQ(JoinIds(map.real_heads()), "y");
}

TEST(RevisionMapTest, DependenciesImpliedByAncestorsAreNormalizedAway) {
  RevisionMap map =
      MustBuild({Rev("a"), Rev("x"), Rev("b", {"a"}, {}, {"x"}), Rev("c", {"b"}, {}, {"x"})});
  EXPECT_EQ(JoinIds(map.Find("c")->resolved_dependencies), "x");
  EXPECT_TRUE(map.Find("c")->normalized_dependencies.empty());
  EXPECT_EQ(JoinIds(map.Find("b")->NormalizedDownRevisions()), "a x");
}

TEST(RevisionMapTest, LabelsSpreadAlongTheirBranch) {
  // a -> b -> {c -> d (label feat) -> e, f}: feat covers c, d, e but not the
  // branch point b.
  RevisionMap map = MustBuild({Rev("a"), Rev("b", {"a"}), Rev("c", {"b"}),
                               Rev("d", {"c"}, {"feat"}), Rev("e", {"d"}), Rev("f", {"b"})});
  for (const char* id : {"c", "d", "e"}) {
    EXPECT_TRUE(map.Find(id)->HasLabel("feat")) << id;
  }
  for (const char* id : {"a", "b", "f"}) {
    EXPECT_FALSE(map.Find(id)->HasLabel("feat")) << id;
  }
  // A dependency on a label resolves to the labelled revision.
  RevisionMap with_dep =
      MustBuild({Rev("a", {}, {"lib"}), Rev("b", {"a"}), Rev("x", {}, {}, {"lib"})});
  EXPECT_EQ(JoinIds(with_dep.Find("x")->resolved_dependencies), "a");
}

struct ResolveCase {
  const char* identifier;
  const char* expected;  // ids, "<base>" for base, or "!message"
};

void CheckResolution(const RevisionMap& map, const ResolveCase& c) {
  auto revisions = map.GetRevisions(RevisionArg::Symbol(c.identifier));
  if (c.expected[0] == '!') {
    ASSERT_FALSE(revisions.has_value()) << c.identifier;
    EXPECT_EQ(revisions.error().message, c.expected + 1) << c.identifier;
    return;
  }
  ASSERT_TRUE(revisions.has_value()) << c.identifier << ": " << revisions.error().message;
  EXPECT_EQ(DumpRevisions(*revisions), c.expected) << c.identifier;
}

TEST(RevisionMapTest, ResolvesIdentifiersAndSymbols) {
  // ae1027a6acf -> 27c6a30d7c24 -> {3cac04ae8714 (feature), 4a9f3e12b7c0}
  RevisionMap map =
      MustBuild({Rev("ae1027a6acf"), Rev("27c6a30d7c24", {"ae1027a6acf"}),
                 Rev("3cac04ae8714", {"27c6a30d7c24"}, {"feature"}),
                 Rev("4a9f3e12b7c0", {"27c6a30d7c24"}), Rev("4a9f", {"4a9f3e12b7c0"}), Rev("abc")});
  const ResolveCase cases[] = {
      {"ae1027a6acf", "ae1027a6acf"},
      {"ae10", "ae1027a6acf"},
      {"27c6", "27c6a30d7c24"},
      {"4a9f", "4a9f"},  // an exact id wins over prefixes
      {"4a9f3", "4a9f3e12b7c0"},
      {"abc", "abc"},
      {"ab",
       "!No such revision or branch 'ab'; please ensure at least four "
       "characters are present for partial revision identifier matches"},
      {"ae1", "ae1027a6acf"},  // the four-character rule is on the keys
      {"zzzzz", "!No such revision or branch 'zzzzz'"},
      {"feat", "3cac04ae8714"},  // a label prefix matches too
      {"feature", "3cac04ae8714"},
      {"base", ""},
      {"heads", "3cac04ae8714 4a9f abc"},
      {"feature@head", "3cac04ae8714"},
      {"feature@heads", "3cac04ae8714"},
      {"feature@base", ""},
      {"feature@27c6", "27c6a30d7c24"},
      // Prefix matches are filtered by the branch before "not found".
      {"feature@4a9f3", "!No such revision or branch '4a9f3'"},
      {"feature@4a9f3e12b7c0", "!Revision 4a9f3e12b7c0 is not a member of branch 'feature'"},
      // `@head` filters heads by lineage, resolving the label as a revision.
      {"nobranch@head", "!No such revision or branch 'nobranch'"},
      {"nobranch@27c6", "!No such branch: 'nobranch'"},
      {"27c6@heads", "3cac04ae8714 4a9f"},
      {"head",
       "!Multiple heads are present for given argument 'head'; 3cac04ae8714, "
       "4a9f, abc"},
      {"27c6@head",
       "!Multiple heads are present for given argument '27c6@head'; "
       "3cac04ae8714, 4a9f"},
      {"feature@-1", "27c6a30d7c24"},
      {"+1",
       "!No such revision or branch '+1'; please ensure at least four "
       "characters are present for partial revision identifier "
       "matches"},
  };
  for (const auto& c : cases) {
    CheckResolution(map, c);
  }
}

TEST(RevisionMapTest, AmbiguousPrefixListsTheFirstThree) {
  RevisionMap map = MustBuild(
      {Rev("abcd1"), Rev("abcd2", {"abcd1"}), Rev("abcd3", {"abcd2"}), Rev("abcd4", {"abcd3"})});
  CheckResolution(map, {"abcd",
                        "!Multiple revisions start with 'abcd': "
                        "'abcd1', 'abcd2', 'abcd3'..."});
  CheckResolution(map, {"-1", "abcd3"});
  CheckResolution(map, {"-4", "<base>"});
  CheckResolution(map, {"-5", "<base>"});
  auto head = map.GetCurrentHead();
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->value_or(""), "abcd4");
}

TEST(RevisionMapTest, MultipleHeadsBecomeAlembicsSentence) {
  RevisionMap map = MustBuild({Rev("a"), Rev("b", {"a"}), Rev("c", {"a"})});
  auto head = map.GetRevision("head");
  ASSERT_FALSE(head.has_value());
  EXPECT_EQ(ToStatus(head.error()).message(),
            "Multiple head revisions are present for given argument 'head'; "
            "please specify a specific target revision, '<branchname>@head' "
            "to narrow to a specific head, or 'heads' for all heads");
  auto missing = map.GetRevision("nope");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(ToStatus(missing.error()).message(), "Can't locate revision identified by 'nope'");
}

}  // namespace
}  // namespace sqlmend::graph
