// Bug: fix-fk renumbered the rows of a rowid table that has neither an
// INTEGER PRIMARY KEY nor any index. SQLite's transfer optimisation copies
// records, but for such a table it asks for a new rowid per row (OP_NewRowid),
// so rowid gaps closed up and an FTS5 external-content index pointed at the
// wrong rows. Such tables now take the explicit rowid path.
#include <gtest/gtest.h>

#include "regress/regress_util.h"

namespace sqlmend {
namespace {

TEST(RegressUnindexedRowids, GapsSurvive) {
  testutil::TempDir dir;
  repair::Report report;
  std::string path;
  ASSERT_OK(regress::FixSql(dir,
                            "CREATE TABLE p(id INTEGER PRIMARY KEY);"
                            "CREATE TABLE notes(p_id REFERENCES p(id), body TEXT);"
                            "INSERT INTO p VALUES (1);"
                            "INSERT INTO notes(rowid, p_id, body) VALUES (5,1,'a'),(9,1,'b');"
                            "ALTER TABLE p RENAME TO p_old; CREATE TABLE p(id INTEGER PRIMARY KEY);"
                            "INSERT INTO p SELECT * FROM p_old; DROP TABLE p_old;",
                            &report, &path));
  EXPECT_EQ(report.outcome, repair::Report::Outcome::kFixed);
  EXPECT_EQ(testutil::Query(path, "SELECT rowid, body FROM notes ORDER BY rowid"),
            (std::vector<std::string>{"5|a", "9|b"}));
}

}  // namespace
}  // namespace sqlmend
