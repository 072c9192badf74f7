// Bug: fix-fk stopped with "rewritten SQL of v is incomplete" when a view's
// stored text ended in a -- comment: the completeness check appended ";" to
// the text, inside the comment. The terminator now goes on its own line.
#include <gtest/gtest.h>

#include "regress/regress_util.h"

namespace sqlmend {
namespace {

TEST(RegressTrailingCommentView, Repairs) {
  testutil::TempDir dir;
  repair::Report report;
  ASSERT_OK(regress::FixSql(dir,
                            "CREATE TABLE u(id INTEGER PRIMARY KEY);"
                            "CREATE VIEW v AS SELECT id FROM u -- u__old mentioned here\n;"
                            "ALTER TABLE u RENAME TO u__old; CREATE TABLE u(id INTEGER PRIMARY KEY);"
                            "DROP TABLE u__old;",
                            &report));
  EXPECT_EQ(report.outcome, repair::Report::Outcome::kFixed);
}

}  // namespace
}  // namespace sqlmend
