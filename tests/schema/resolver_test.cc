// Affix inference against real schemas built in SQLite: each case names the
// tables that exist and the dangling name, and expects the resolution.
#include "schema/resolver.h"

#include <gtest/gtest.h>

#include "sqlite/db.h"
#include "testutil/testutil.h"

namespace sqlmend::schema {
namespace {

struct ResolveCase {
  const char* tables_sql;   // creates the live tables and views
  const char* missing;
  const char* target;       // "" when it must stay unresolved
  const char* rule_or_problem;  // substring of the rule, or of the problem
};

const ResolveCase kCases[] = {
    {"CREATE TABLE users(id INTEGER PRIMARY KEY);", "users__old", "users", "suffix __old"},
    {"CREATE TABLE users(id INTEGER PRIMARY KEY);", "users_old", "users", "suffix _old"},
    {"CREATE TABLE users(id INTEGER PRIMARY KEY);", "old_users", "users", "prefix old_"},
    {"CREATE TABLE users(id INTEGER PRIMARY KEY);", "users_tmp", "users", "suffix _tmp"},
    {"CREATE TABLE users(id INTEGER PRIMARY KEY);", "users_temp", "users", "suffix _temp"},
    {"CREATE TABLE users(id INTEGER PRIMARY KEY);", "users_temporary", "users", "_temporary"},
    {"CREATE TABLE users(id INTEGER PRIMARY KEY);", "users_backup", "users", "_backup"},
    {"CREATE TABLE users(id INTEGER PRIMARY KEY);", "users_backup12", "users", "_backup"},
    {"CREATE TABLE users(id INTEGER PRIMARY KEY);", "_alembic_tmp_users", "users", "_alembic_tmp_"},
    {"CREATE TABLE users(id INTEGER PRIMARY KEY);", "new_users", "users", "prefix new_"},
    {"CREATE TABLE foo(id INTEGER PRIMARY KEY);", "_foo_old", "foo", "then"},
    {"CREATE TABLE t(id INTEGER PRIMARY KEY);", "t_old_backup", "t", "suffix _backup, then suffix _old"},
    // ResolveCase-insensitive, ASCII only.
    {"CREATE TABLE Users(id INTEGER PRIMARY KEY);", "USERS__OLD", "Users", "__old"},
    {"CREATE TABLE \"著者\"(id INTEGER PRIMARY KEY);", "著者__old", "著者", "__old"},
    // Refusals: nothing, a view only, a virtual table only, ambiguity.
    {"CREATE TABLE other(id INTEGER PRIMARY KEY);", "users__old", "", "no live table"},
    {"CREATE TABLE t(x); CREATE VIEW users AS SELECT * FROM t;", "users__old", "", "a view"},
    {"CREATE VIRTUAL TABLE users USING fts5(body);", "users_old", "", "virtual table"},
    {"CREATE TABLE t(id INTEGER PRIMARY KEY); CREATE TABLE t_old(id INTEGER PRIMARY KEY);",
     "t_old_backup", "", "ambiguous"},
};

TEST(ResolverTest, TableDriven) {
  for (const ResolveCase& c : kCases) {
    testutil::TempDir dir;
    std::string path = dir.File("db.sqlite");
    testutil::ExecSql(path, c.tables_sql);
    auto db = sqlite::Db::Open(path, sqlite::OpenMode::kReadOnly);
    ASSERT_TRUE(db) << db.error().ToString();
    auto schema = Schema::Read(*db);
    ASSERT_TRUE(schema) << schema.error().ToString();
    Resolved r = Resolve(c.missing, *schema, {});
    SCOPED_TRACE(std::string(c.tables_sql) + " / " + c.missing);
    EXPECT_EQ(r.target, c.target) << r.problem;
    const std::string& text = r.ok() ? r.rule : r.problem;
    EXPECT_NE(text.find(c.rule_or_problem), std::string::npos) << text;
  }
}

TEST(ResolverTest, MapOverridesInferenceAndMustNameATable) {
  testutil::TempDir dir;
  std::string path = dir.File("db.sqlite");
  testutil::ExecSql(path,
                    "CREATE TABLE users(id INTEGER PRIMARY KEY); CREATE TABLE people(id INTEGER "
                    "PRIMARY KEY); CREATE VIEW v AS SELECT 1;");
  auto db = sqlite::Db::Open(path, sqlite::OpenMode::kReadOnly);
  ASSERT_TRUE(db);
  auto schema = Schema::Read(*db);
  ASSERT_TRUE(schema);
  Resolved mapped = Resolve("users__old", *schema, {{"USERS__old", "people"}});
  EXPECT_EQ(mapped.target, "people");
  EXPECT_EQ(mapped.rule, "--map");
  Resolved to_view = Resolve("x", *schema, {{"x", "v"}});
  EXPECT_FALSE(to_view.ok());
  EXPECT_NE(to_view.problem.find("not a table"), std::string::npos);
  Resolved to_nothing = Resolve("x", *schema, {{"x", "nope"}});
  EXPECT_FALSE(to_nothing.ok());
}

}  // namespace
}  // namespace sqlmend::schema
