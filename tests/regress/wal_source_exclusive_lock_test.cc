// Bug: fix-fk failed with "disk I/O error" on every WAL-mode source. The copy
// set journal_mode and locking_mode=EXCLUSIVE without a schema name, so they
// also applied to the source attached afterwards, and an exclusive lock on a
// WAL file our own guard connection holds cannot be taken. The PRAGMAs now
// name "main".
#include <gtest/gtest.h>

#include "regress/regress_util.h"

namespace sqlmend {
namespace {

TEST(RegressWalSourceExclusiveLock, Repairs) {
  testutil::TempDir dir;
  repair::Report report;
  std::string path;
  ASSERT_OK(regress::FixSql(dir,
                            "PRAGMA journal_mode=WAL;"
                            "CREATE TABLE u(id INTEGER PRIMARY KEY);"
                            "CREATE TABLE c(u_id REFERENCES u(id));"
                            "ALTER TABLE u RENAME TO u_tmp; CREATE TABLE u(id INTEGER PRIMARY KEY);"
                            "DROP TABLE u_tmp;",
                            &report, &path));
  EXPECT_EQ(report.outcome, repair::Report::Outcome::kFixed);
  EXPECT_EQ(testutil::Query(path, "PRAGMA journal_mode"), std::vector<std::string>{"wal"});
}

}  // namespace
}  // namespace sqlmend
