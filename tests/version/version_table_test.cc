// alembic_version written by sqlmend against the real Alembic: after
// `alembic stamp --purge` and after sqlmend's StampPurge the table's stored
// CREATE text and rows are identical, so the two can take turns on one file.
#include "version/version_table.h"

#include <gtest/gtest.h>

#include "sqlite/db.h"
#include "testutil/testutil.h"

namespace sqlmend::version {
namespace {

using testutil::Query;
using testutil::RunCommand;
using testutil::ShellQuote;

std::string AlembicStamp(const testutil::TempDir& dir, const std::string& db_name,
                         const std::string& rev) {
  std::string project = dir.File("proj");
  auto init = RunCommand("mkdir -p " + ShellQuote(project) + " && cd " + ShellQuote(project) +
                         " && alembic init -t generic alembic >/dev/null && sed -i "
                         "'s|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///" +
                         dir.File(db_name) + "|' alembic.ini && alembic revision -m r --rev-id " +
                         rev + " >/dev/null");
  EXPECT_EQ(init.exit_code, 0) << init.err;
  // Alembic 1.8's script_location is relative to the working folder.
  auto stamp = RunCommand("cd " + ShellQuote(project) + " && alembic stamp --purge " + rev);
  EXPECT_EQ(stamp.exit_code, 0) << stamp.err;
  return dir.File(db_name);
}

TEST(VersionTableTest, StampPurgeMatchesAlembic) {
  testutil::TempDir dir;
  std::string theirs = dir.File("alembic.db");
  std::string ours = dir.File("ours.db");
  for (const std::string& path : {theirs, ours}) {
    testutil::ExecSql(path,
                      "CREATE TABLE t(x); CREATE TABLE alembic_version (version_num VARCHAR(32) "
                      "NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));"
                      "INSERT INTO alembic_version VALUES ('aaa'), ('bbb');");
  }
  AlembicStamp(dir, "alembic.db", "0c3414079bfe");
  auto db = sqlite::Db::Open(ours, sqlite::OpenMode::kReadWrite);
  ASSERT_TRUE(db);
  ASSERT_OK(StampPurge(*db, "0c3414079bfe"));
  db->Close();
  const char* q = "SELECT version_num FROM alembic_version";
  EXPECT_EQ(Query(ours, q), Query(theirs, q));
  EXPECT_EQ(Query(ours, q), std::vector<std::string>{"0c3414079bfe"});
}

TEST(VersionTableTest, CreatesTheTableAsAlembicDoes) {
  testutil::TempDir dir;
  std::string theirs = dir.File("alembic.db");
  std::string ours = dir.File("ours.db");
  testutil::ExecSql(theirs, "CREATE TABLE t(x);");
  testutil::ExecSql(ours, "CREATE TABLE t(x);");
  AlembicStamp(dir, "alembic.db", "abc");
  auto db = sqlite::Db::Open(ours, sqlite::OpenMode::kReadWrite);
  ASSERT_TRUE(db);
  ASSERT_OK(StampPurge(*db, "abc"));
  db->Close();
  const char* q = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name";
  EXPECT_EQ(Query(ours, q), Query(theirs, q));
  auto heads = [&](const std::string& path) {
    auto d = sqlite::Db::Open(path, sqlite::OpenMode::kReadOnly);
    return *ReadHeads(*d);
  };
  EXPECT_EQ(heads(ours), heads(theirs));
}

TEST(VersionTableTest, RefusesOverlongRevision) {
  EXPECT_EQ(CheckRevisionId(std::string(33, 'a')).code(), base::Code::kUsage);
  EXPECT_TRUE(CheckRevisionId(std::string(32, 'a')).ok());
}

}  // namespace
}  // namespace sqlmend::version

namespace sqlmend::version {
namespace {

TEST(VersionTableTest, StepsTouchExactlyOneRowOrFailAsAlembicSays) {
  testutil::TempDir dir;
  std::string path = dir.File("db.sqlite");
  testutil::ExecSql(path, "CREATE TABLE t(x);");
  auto db = sqlite::Db::Open(path, sqlite::OpenMode::kReadWrite);
  ASSERT_TRUE(db);
  ASSERT_OK(EnsureTable(*db));
  ASSERT_OK(InsertHead(*db, "a"));
  ASSERT_OK(InsertHead(*db, "b"));
  ASSERT_OK(UpdateHead(*db, "a", "c"));
  base::Status missing = UpdateHead(*db, "zz", "d");
  EXPECT_EQ(missing.message(),
            "Online migration expected to match one row when updating 'zz' to 'd' in "
            "'alembic_version'; 0 found");
  ASSERT_OK(DeleteHead(*db, "b"));
  EXPECT_EQ(DeleteHead(*db, "b").message(),
            "Online migration expected to match one row when deleting 'b' in "
            "'alembic_version'; 0 found");
  auto heads = ReadHeads(*db);
  ASSERT_TRUE(heads);
  EXPECT_EQ(*heads, std::vector<std::string>{"c"});
}

}  // namespace
}  // namespace sqlmend::version

namespace sqlmend::version {
namespace {

// A version table name that needs quoting is quoted, as SQLAlchemy does.
TEST(VersionTableTest, QuotesANameThatNeedsIt) {
  EXPECT_EQ(CreateTableSql("My Version"),
            "CREATE TABLE \"My Version\" (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT "
            "\"My Version_pkc\" PRIMARY KEY (version_num)\n)");
  testutil::TempDir dir;
  std::string path = dir.File("db.sqlite");
  testutil::ExecSql(path, "CREATE TABLE t(x);");
  auto db = sqlite::Db::Open(path, sqlite::OpenMode::kReadWrite);
  ASSERT_TRUE(db);
  ASSERT_OK(StampPurge(*db, "abc", "My Version"));
  auto heads = ReadHeads(*db, "My Version");
  ASSERT_TRUE(heads);
  EXPECT_EQ(*heads, std::vector<std::string>{"abc"});
}

}  // namespace
}  // namespace sqlmend::version
