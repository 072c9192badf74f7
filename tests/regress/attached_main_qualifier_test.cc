// Bug: fix-fk refused, as "database is corrupt", any source whose views or
// triggers qualify a table with main. (main.users). The copy ATTACHes the
// source, and SQLite will not load an attached schema whose views reference
// "database main". The copy now loads the source's schema with
// writable_schema on, which skips those objects: it only reads tables.
#include <gtest/gtest.h>

#include "regress/regress_util.h"

namespace sqlmend {
namespace {

TEST(RegressAttachedMainQualifier, ViewSayingMainIsRepaired) {
  testutil::TempDir dir;
  repair::Report report;
  std::string path;
  ASSERT_OK(regress::FixSql(dir,
                            "CREATE TABLE u(id INTEGER PRIMARY KEY);"
                            "CREATE TABLE c(u_id REFERENCES u(id));"
                            "CREATE VIEW v AS SELECT * FROM main.u JOIN c ON c.u_id = main.u.id;"
                            "ALTER TABLE u RENAME TO u__old; CREATE TABLE u(id INTEGER PRIMARY KEY);"
                            "DROP TABLE u__old;",
                            &report, &path));
  EXPECT_EQ(testutil::Query(path, "SELECT sql FROM sqlite_schema WHERE name='v'"),
            std::vector<std::string>{
                "CREATE VIEW v AS SELECT * FROM main.\"u\" JOIN c ON c.u_id = main.\"u\".id"});
}

}  // namespace
}  // namespace sqlmend
