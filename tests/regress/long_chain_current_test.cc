// Bug: `sqlmend current` took time quadratic in the length of the chain
// below the current revision. To keep only the branch heads among the
// current revisions and everything below them, each one walked all its
// descendants: on a chain of 100,000 revisions `current` ran for over 15
// minutes (9 s at 20,000). One walk down from all of them marks every
// revision something current descends from, in linear time.
#include <gtest/gtest.h>

#include <chrono>

#include "graph/history.h"
#include "graph/revision_map.h"
#include "regress/regress_util.h"

namespace sqlmend {
namespace {

TEST(RegressLongChainCurrent, CurrentAtTheHeadOfEightyThousandIsLinear) {
  constexpr int kLength = 80000;
  auto map = graph::RevisionMap::Build(regress::Chain(kLength));
  ASSERT_TRUE(map);
  const auto start = std::chrono::steady_clock::now();
  auto current = graph::Current(*map, {"r79999"});
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(current);
  // Quadratic, this took about 15 seconds; linear, milliseconds.
  EXPECT_LT(took, std::chrono::seconds(3));
  ASSERT_EQ(current->size(), 1u);
}

}  // namespace
}  // namespace sqlmend
