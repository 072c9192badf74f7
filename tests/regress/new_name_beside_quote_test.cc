// Bug (found by tools/fuzz.sh, target rewriter): a table name written right
// against a quoted name, as in a view's `FROM users__old"u"` (a table and
// its alias, which SQLite reads as two tokens), was rewritten to
// `"users""u"`: the new quoted name ran into the alias and SQLite read one
// name, users"u. check-fk then reported users"u as a missing table it
// could not resolve and refused the file. The rewriter now puts a space
// between a new name and a '"' beside it, as SQLite's own rename does.
#include <gtest/gtest.h>

#include "regress/regress_util.h"
#include "schema/rewriter.h"

namespace sqlmend {
namespace {

TEST(RegressNewNameBesideQuote, RewriterKeepsTheAliasApart) {
  schema::RenameMap renames = {{"users__old", "users"}, {"c", "d"}};
  EXPECT_EQ(schema::RewriteTableNames("SELECT u.id FROM users__old\"u\"", renames).sql,
            "SELECT u.id FROM \"users\" \"u\"");
  EXPECT_EQ(schema::RewriteTableNames("SELECT \"\"c.x", renames).sql,
            "SELECT \"\" \"d\".x");
  EXPECT_EQ(schema::RewriteReferences("CREATE TABLE t(a REFERENCES users__old\"x\")", renames).sql,
            "CREATE TABLE t(a REFERENCES \"users\" \"x\")");
}

TEST(RegressNewNameBesideQuote, RepairsTheView) {
  testutil::TempDir dir;
  repair::Report report;
  ASSERT_OK(regress::FixSql(dir,
                            "CREATE TABLE users(id INTEGER PRIMARY KEY);"
                            "CREATE VIEW v AS SELECT u.id FROM users__old\"u\";",
                            &report));
  EXPECT_EQ(report.outcome, repair::Report::Outcome::kFixed);
}

}  // namespace
}  // namespace sqlmend
