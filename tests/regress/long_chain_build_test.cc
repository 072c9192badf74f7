// Bug: loading a script directory took time quadratic in its length. To
// drop the dependencies an ancestor already brings in, the revision map
// walked every revision's ancestors, also for the revisions that have no
// dependency at all: `sqlmend heads` on a chain of 100,000 revisions ran for
// about an hour. Only revisions with dependencies are walked now, and such a
// chain loads in seconds.
#include <gtest/gtest.h>

#include <chrono>

#include "graph/revision_map.h"
#include "regress/regress_util.h"

namespace sqlmend {
namespace {

TEST(RegressLongChainBuild, ChainOfFortyThousandBuildsInLinearTime) {
  constexpr int kLength = 40000;
  const auto start = std::chrono::steady_clock::now();
  auto map = graph::RevisionMap::Build(regress::Chain(kLength));
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(map);
  // Quadratic, this took over ten seconds; linear, well under one.
  EXPECT_LT(took, std::chrono::seconds(3));
  ASSERT_NE(map->Find("r39999"), nullptr);
  EXPECT_TRUE(map->Find("r39999")->is_head());
}

}  // namespace
}  // namespace sqlmend
