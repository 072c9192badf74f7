// Db::Open's policies for a database file's own SQL (sqlite/db.h): each
// setting is read back from a real connection, and a schema's use of
// SQLite's own JSON and FTS5 still loads with trusted_schema=OFF.
#include <gtest/gtest.h>

#include <string>

#include "sqlite/db.h"
#include "sqlite/unknown_functions.h"
#include "testutil/testutil.h"

namespace sqlmend::sqlite {
namespace {

int DbConfig(const Db& db, int op) {
  int value = -1;
  sqlite3_db_config(db.handle(), op, -1, &value);
  return value;
}

Db OpenAs(const std::string& path, FilePolicy policy, OpenMode mode = OpenMode::kCreate) {
  OpenOptions options;
  options.policy = policy;
  auto opened = Db::Open(path, mode, options);
  EXPECT_TRUE(opened.has_value()) << opened.error().ToString();
  return opened ? std::move(*opened) : Db();
}

// What every policy shares, and where they differ: DEFENSIVE and the caps.
TEST(FilePolicy, EachPolicyReadsBackFromTheConnection) {
  struct Case {
    FilePolicy policy;
    int defensive;
    bool capped;
  };
  for (const Case& c : {Case{FilePolicy::kUntrusted, 1, true},
                        Case{FilePolicy::kUntrustedWriter, 0, true},
                        Case{FilePolicy::kMigration, 0, false}}) {
    SCOPED_TRACE(static_cast<int>(c.policy));
    testutil::TempDir dir;
    Db db = OpenAs(dir.File("a.db"), c.policy);
    EXPECT_EQ(DbConfig(db, SQLITE_DBCONFIG_DEFENSIVE), c.defensive);
    EXPECT_EQ(DbConfig(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA), 0);
    EXPECT_EQ(DbConfig(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION), 0);
    EXPECT_EQ(DbConfig(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER), 0);
    EXPECT_EQ(db.QueryInt("PRAGMA cell_size_check").value_or(-1), 1);
    for (const Limit& limit : kLimits) {
      int value = sqlite3_limit(db.handle(), limit.id, -1);
      if (c.capped) EXPECT_EQ(value, limit.value) << limit.name;
      else EXPECT_GT(value, limit.value) << limit.name;
    }
    // Extension loading is off for SQL too.
    EXPECT_FALSE(db.Exec("SELECT load_extension('/nonexistent/ext')").ok());
    // Defensive: neither the journal turned off nor the schema written.
    EXPECT_EQ(db.QueryText("PRAGMA main.journal_mode=OFF").value_or("") == "off",
              c.defensive == 0);
    ASSERT_OK(db.Exec("CREATE TABLE t(a); PRAGMA writable_schema=ON"));
    EXPECT_EQ(db.Exec("UPDATE sqlite_schema SET sql = 'CREATE TABLE t(b)'").ok(),
              c.defensive == 0);
  }
}

// SQLite 3.40 tags neither its JSON functions nor FTS5 innocuous; a schema
// using them is read, the connection then trusting SQLite's own code.
TEST(FilePolicy, SqlitesOwnJsonAndFtsInTheSchemaStillLoad) {
  testutil::TempDir dir;
  std::string path = dir.File("a.db");
  testutil::ExecSql(path,
                    "CREATE TABLE t(id INTEGER PRIMARY KEY, data, k AS (json_extract(data, '$.k')));"
                    "CREATE INDEX t_id ON t(json_extract(data, '$.id'));"
                    "CREATE VIRTUAL TABLE f USING fts5(x);"
                    "CREATE VIEW fv AS SELECT x FROM f WHERE f MATCH 'a';"
                    "INSERT INTO t(data) VALUES ('{\"k\": 7}'); INSERT INTO f VALUES ('a b');");
  Db db = OpenAs(path, FilePolicy::kUntrusted, OpenMode::kReadOnly);
  EXPECT_EQ(db.QueryInt("SELECT k FROM t").value_or(-1), 7);
  EXPECT_EQ(db.QueryText("SELECT x FROM fv").value_or(""), "a b");
  EXPECT_EQ(DbConfig(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA), 1);
}

// Direct-only functions stay refused to the schema: the fallback does not
// apply to them.
TEST(FilePolicy, DirectOnlyFunctionsStayRefusedToTheSchema) {
  testutil::TempDir dir;
  std::string path = dir.File("a.db");
  testutil::ExecSql(path,
                    "CREATE VIEW tok AS SELECT fts3_tokenizer('simple', X'4141414141414141') AS p;"
                    "CREATE VIEW ext AS SELECT load_extension('/nonexistent/ext') AS e;");
  Db db = OpenAs(path, FilePolicy::kUntrusted, OpenMode::kReadOnly);
  for (const char* view : {"tok", "ext"}) {
    auto stmt = db.Prepare(std::string("SELECT * FROM ") + view);
    ASSERT_FALSE(stmt.has_value()) << view;
    EXPECT_NE(stmt.error().message().find("unsafe use of"), std::string::npos)
        << stmt.error().ToString();
  }
  EXPECT_FALSE(TrustSqliteOwnAfter(db.handle(), "unsafe use of load_extension()"));
  EXPECT_FALSE(TrustSqliteOwnAfter(db.handle(), "unsafe use of fts3_tokenizer()"));
  EXPECT_FALSE(TrustSqliteOwnAfter(db.handle(), "unsafe use of app_defined()"));
  EXPECT_FALSE(TrustSqliteOwnAfter(db.handle(), "no such table: t"));
}

// A placeholder is innocuous: a schema naming an application's function is
// created with trusted_schema=OFF, and calling it still fails.
TEST(FilePolicy, PlaceholdersAreUsableAndNeverReturnAValue) {
  testutil::TempDir dir;
  Db db = OpenAs(dir.File("a.db"), FilePolicy::kUntrustedWriter);
  EXPECT_EQ(ExecDefiningUnknownFunctions(
                db.handle(), "CREATE TABLE t(a, b AS (app_key(a)), CHECK (app_valid(a)))"),
            "");
  EXPECT_NE(ExecDefiningUnknownFunctions(db.handle(), "INSERT INTO t(a) VALUES (1)")
                .find("belongs to the application"),
            std::string::npos);
}

// A schema object over a cap: one line naming the limit, exit class
// unusable input.
TEST(FilePolicy, ASchemaOverALimitIsReportedAsTheLimit) {
  testutil::TempDir dir;
  std::string path = dir.File("a.db");
  std::string deep = "1";
  for (int i = 0; i < 300; ++i) deep += "+1";
  testutil::ExecSql(path, "CREATE VIEW v AS SELECT " + deep + " AS x;");
  Db db = OpenAs(path, FilePolicy::kUntrusted, OpenMode::kReadOnly);
  base::Status status = db.Exec("SELECT * FROM sqlite_schema");
  EXPECT_EQ(status.code(), base::Code::kUnusableInput);
  EXPECT_NE(status.message().find("exceeds a limit sqlmend sets"), std::string::npos)
      << status.ToString();
}

}  // namespace
}  // namespace sqlmend::sqlite
