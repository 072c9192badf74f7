// Bug: check-fk, fix-fk and dump refused a database holding a table of more
// than 1000 columns ("schema exceeds a limit sqlmend sets for database
// files ... too many columns", exit 4), although SQLite creates tables of
// up to 2000 columns with its defaults, and a migration run by sqlmend
// itself could create one. The cap bounded nothing SQLite's own limit of
// 2000 (the most its default build reads) does not, so columns now keep
// SQLite's limit and such a file is repaired like any other.
#include <gtest/gtest.h>

#include <string>

#include "regress/regress_util.h"

namespace sqlmend {
namespace {

TEST(RegressTwoThousandColumns, WideTableIsCheckedRepairedAndDumped) {
  testutil::TempDir dir;
  const std::string path = dir.File("wide.db");
  std::string wide = "CREATE TABLE wide(id INTEGER PRIMARY KEY, user_id REFERENCES users(id)";
  for (int i = 3; i <= 2000; ++i) wide += ", c" + std::to_string(i) + " INTEGER DEFAULT " + std::to_string(i);
  wide += ");";
  testutil::ExecSql(path, "CREATE TABLE users(id INTEGER PRIMARY KEY);" + wide +
                              "INSERT INTO users VALUES (1); INSERT INTO wide(id, user_id) VALUES (1, 1);"
                              "ALTER TABLE users RENAME TO users_old;"
                              "CREATE TABLE users(id INTEGER PRIMARY KEY);"
                              "INSERT INTO users SELECT * FROM users_old; DROP TABLE users_old;");
  const std::string quoted = testutil::ShellQuote(path);
  auto check = testutil::RunSqlmend("check-fk " + quoted);
  EXPECT_EQ(check.exit_code, 1) << check.err;
  auto dump = testutil::RunSqlmend("dump " + quoted);
  EXPECT_EQ(dump.exit_code, 0) << dump.err;
  auto fix = testutil::RunSqlmend("fix-fk --no-backup " + quoted);
  EXPECT_EQ(fix.exit_code, 0) << fix.err;
  EXPECT_EQ(testutil::RunSqlmend("check-fk " + quoted).exit_code, 0);
  EXPECT_EQ(testutil::Query(path, "SELECT c2000 FROM wide"), std::vector<std::string>{"2000"});
}

}  // namespace
}  // namespace sqlmend
