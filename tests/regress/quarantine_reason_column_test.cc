// Bug: fix-fk --orphans quarantine failed when the child table already had a
// column named sqlmend_reason. The quarantine table is the child's columns
// plus a reason column, and that column was always called sqlmend_reason, so
// CREATE TABLE sqlmend_orphans_<child> stopped with "duplicate column name"
// and the repair failed although nothing about the file was wrong. The
// reason column now takes the first free name of sqlmend_reason,
// sqlmend_reason_1, sqlmend_reason_2, ... (compared as SQLite compares
// column names, ignoring ASCII case), and the child's own column keeps its
// values in the quarantine table.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "repair/fix_fk.h"
#include "testutil/testutil.h"

namespace sqlmend {
namespace {

// users was rebuilt rename-first, so posts.user_id dangled; post 12 lost
// its user meanwhile. `columns` are posts' extra columns, `values` the
// orphan's values for them.
std::string Orphans(const std::string& columns, const std::string& values) {
  return "CREATE TABLE users(id INTEGER PRIMARY KEY);"
         "CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), " +
         columns +
         ");"
         "INSERT INTO users VALUES (1);"
         "INSERT INTO posts VALUES (10, 1, " +
         values + "), (12, 999, " + values +
         ");"
         "ALTER TABLE users RENAME TO users__old; CREATE TABLE users(id INTEGER PRIMARY KEY);"
         "INSERT INTO users SELECT * FROM users__old; DROP TABLE users__old;";
}

repair::Report Quarantine(const std::string& path) {
  repair::FixOptions options;
  options.orphans = repair::OrphanPolicy::kQuarantine;
  repair::Report report;
  EXPECT_OK(repair::FixFk(path, options, &report));
  return report;
}

TEST(RegressQuarantineReasonColumn, ChildColumnNamedLikeTheReason) {
  testutil::TempDir dir;
  std::string path = dir.File("db.sqlite");
  testutil::ExecSql(path, Orphans("sqlmend_reason TEXT", "'mine'"));
  repair::Report report = Quarantine(path);
  EXPECT_EQ(report.outcome, repair::Report::Outcome::kFixed);
  EXPECT_EQ(testutil::Query(path, "SELECT id, user_id, sqlmend_reason, sqlmend_reason_1 "
                                  "FROM sqlmend_orphans_posts"),
            std::vector<std::string>{"12|999|mine|orphan: (user_id) has no row in users(id)"});
  EXPECT_EQ(testutil::Query(path, "SELECT id, sqlmend_reason FROM posts"),
            std::vector<std::string>{"10|mine"});
  EXPECT_EQ(testutil::Query(path, "PRAGMA foreign_key_check"), std::vector<std::string>{});
}

TEST(RegressQuarantineReasonColumn, SkipsEveryTakenNameIgnoringCase) {
  testutil::TempDir dir;
  std::string path = dir.File("db.sqlite");
  testutil::ExecSql(path, Orphans("SQLMEND_REASON TEXT, Sqlmend_Reason_1 INTEGER", "'a', 7"));
  Quarantine(path);
  EXPECT_EQ(testutil::Query(path, "SELECT name FROM pragma_table_info('sqlmend_orphans_posts')"),
            (std::vector<std::string>{"id", "user_id", "SQLMEND_REASON", "Sqlmend_Reason_1",
                                      "sqlmend_reason_2"}));
  EXPECT_EQ(testutil::Query(path, "SELECT rowid, SQLMEND_REASON, Sqlmend_Reason_1, sqlmend_reason_2 "
                                  "FROM sqlmend_orphans_posts"),
            std::vector<std::string>{"12|a|7|orphan: (user_id) has no row in users(id)"});
}

}  // namespace
}  // namespace sqlmend
