// Bug: fix-fk's verification failed ("table events has 3 rows, the source
// -1") on a file whose schema row spells a table's name otherwise than its
// CREATE statement (sqlite_schema.name "eVents", "CREATE TABLE events"):
// the source's row counts were kept under one spelling and looked up under
// the other. SQLite matches names without regard to ASCII case, and so do
// the counts now. Found by tools/mutate.sh (seed 7, case 9816).
#include <gtest/gtest.h>

#include "regress/regress_util.h"

namespace sqlmend {
namespace {

TEST(RegressSchemaNameCase, VerifiesAndRepairs) {
  testutil::TempDir dir;
  repair::Report report;
  std::string path;
  ASSERT_OK(regress::FixSql(
      dir,
      "CREATE TABLE events(id INTEGER PRIMARY KEY, kind TEXT);"
      "CREATE TABLE counters(kind TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0);"
      "INSERT INTO events(kind) VALUES ('a'), ('b'), ('c');"
      "CREATE TRIGGER events_count AFTER INSERT ON events BEGIN "
      "UPDATE counters SET n = n + 1 WHERE kind = new.kind; END;"
      "ALTER TABLE counters RENAME TO counters_tmp;"
      "CREATE TABLE counters(kind TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0);"
      "DROP TABLE counters_tmp;"
      "PRAGMA writable_schema=ON;"
      "UPDATE sqlite_schema SET name = 'eVents' WHERE name = 'events';",
      &report, &path));
  EXPECT_EQ(report.outcome, repair::Report::Outcome::kFixed);
  EXPECT_EQ(testutil::Query(path, "SELECT count(*) FROM events"), std::vector<std::string>{"3"});
}

}  // namespace
}  // namespace sqlmend
