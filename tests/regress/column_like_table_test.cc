// Bug: fix-fk rewrote every identifier spelt like the dropped table inside
// views and triggers, so a column named price_old became "price". Only table
// positions (FROM lists, INTO, UPDATE, qualifiers) are rewritten now.
#include <gtest/gtest.h>

#include "regress/regress_util.h"

namespace sqlmend {
namespace {

TEST(RegressColumnLikeTable, ColumnStays) {
  testutil::TempDir dir;
  repair::Report report;
  std::string path;
  ASSERT_OK(regress::FixSql(dir,
                            "CREATE TABLE price(id INTEGER PRIMARY KEY, amount);"
                            "CREATE TABLE q(price_id REFERENCES price(id), price_old);"
                            "CREATE VIEW v AS SELECT price_old FROM q JOIN price ON price.id = price_id;"
                            "ALTER TABLE price RENAME TO price_old;"
                            "CREATE TABLE price(id INTEGER PRIMARY KEY, amount);"
                            "DROP TABLE price_old;",
                            &report, &path));
  EXPECT_EQ(testutil::Query(path, "SELECT sql FROM sqlite_schema WHERE name='v'"),
            std::vector<std::string>{"CREATE VIEW v AS SELECT price_old FROM q JOIN \"price\" ON "
                                     "\"price\".id = price_id"});
}

}  // namespace
}  // namespace sqlmend
