// The command line as users and scripts see it: exit codes from the README's
// table, one-line errors naming the file, and well-formed --json.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testutil/testutil.h"

namespace sqlmend {
namespace {

using testutil::RunSqlmend;
using testutil::ShellQuote;

constexpr char kBroken[] =
    "CREATE TABLE users(id INTEGER PRIMARY KEY);"
    "CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id REFERENCES users(id));"
    "INSERT INTO users VALUES (1); INSERT INTO posts VALUES (1, 1), (2, 7);"
    "ALTER TABLE users RENAME TO users_backup0; CREATE TABLE users(id INTEGER PRIMARY KEY);"
    "INSERT INTO users SELECT * FROM users_backup0; DROP TABLE users_backup0;";

class RepairCliTest : public ::testing::Test {
 protected:
  std::string Broken() {
    std::string path = dir_.File("app.sqlite");
    testutil::ExecSql(path, kBroken);
    return path;
  }
  testutil::TempDir dir_;
};

TEST_F(RepairCliTest, CheckFkJsonAndExitCodes) {
  std::string path = Broken();
  auto run = RunSqlmend("check-fk --json " + ShellQuote(path));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  auto j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["outcome"], "damaged");
  EXPECT_EQ(j["names"][0]["missing"], "users_backup0");
  EXPECT_EQ(j["names"][0]["target"], "users");
  EXPECT_EQ(j["names"][0]["rule"], "suffix _backup");
  EXPECT_EQ(j["foreign_keys"][0]["child"], "posts");
  EXPECT_EQ(j["foreign_keys"][0]["orphans"], 1);
  EXPECT_EQ(j["quick_check"], "ok");
  EXPECT_EQ(run.err, "");
}

TEST_F(RepairCliTest, FixFkThenHealthy) {
  std::string path = Broken();
  auto fixed = RunSqlmend("fix-fk --json --stamp 0c3414079bfe " + ShellQuote(path));
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  auto j = nlohmann::json::parse(fixed.out);
  EXPECT_EQ(j["outcome"], "fixed");
  EXPECT_EQ(j["stamped"], "0c3414079bfe");
  EXPECT_FALSE(j["backup"].get<std::string>().empty());
  auto check = RunSqlmend("check-fk " + ShellQuote(path));
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_NE(check.out.find("no dangling references"), std::string::npos);
}

TEST_F(RepairCliTest, ErrorsAreOneLineWithTheFileAndTheDocumentedCode) {
  std::string text = dir_.File("notes.txt");
  testutil::WriteFile(text, "not sqlite");
  auto run = RunSqlmend("fix-fk " + ShellQuote(text));
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_EQ(run.err, "sqlmend: " + text + ": not a database (no SQLite header)\n");

  auto missing = RunSqlmend("check-fk " + ShellQuote(dir_.File("nope.db")));
  EXPECT_EQ(missing.exit_code, 5);
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1);

  std::string path = Broken();
  auto bad_map = RunSqlmend("fix-fk --map nonsense " + ShellQuote(path));
  EXPECT_EQ(bad_map.exit_code, 2);
  auto unused_map = RunSqlmend("fix-fk --map zz=users " + ShellQuote(path));
  EXPECT_EQ(unused_map.exit_code, 2) << unused_map.err;
  auto usage = RunSqlmend("fix-fk");
  EXPECT_EQ(usage.exit_code, 2);
  auto unknown = RunSqlmend("frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
}

TEST_F(RepairCliTest, UnresolvableNameIsRefusedWithMapHint) {
  std::string path = dir_.File("app.sqlite");
  testutil::ExecSql(path,
                    "CREATE TABLE a(id INTEGER PRIMARY KEY); CREATE TABLE c(x REFERENCES a);"
                    "ALTER TABLE a RENAME TO scratch; CREATE TABLE b(id INTEGER PRIMARY KEY);"
                    "DROP TABLE scratch;");
  auto run = RunSqlmend("fix-fk " + ShellQuote(path));
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.out.find("--map scratch=<table>"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("cannot resolve scratch"), std::string::npos) << run.err;
  auto mapped = RunSqlmend("fix-fk --map scratch=b " + ShellQuote(path));
  EXPECT_EQ(mapped.exit_code, 0) << mapped.err;
}

TEST_F(RepairCliTest, DumpLoadsIntoSqlite3AndFixes) {
  std::string path = Broken();
  std::string out = dir_.File("out.sql");
  auto run = RunSqlmend("dump --fix-fk -o " + ShellQuote(out) + " " + ShellQuote(path));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::string loaded = dir_.File("loaded.db");
  auto load = testutil::RunCommand("sqlite3 " + ShellQuote(loaded) + " < " + ShellQuote(out));
  ASSERT_EQ(load.exit_code, 0) << load.err;
  EXPECT_EQ(testutil::Query(loaded, "PRAGMA foreign_key_check"),
            std::vector<std::string>{"posts|2|users|0"});
  auto plain = RunSqlmend("dump " + ShellQuote(path));
  EXPECT_NE(plain.out.find("\"users_backup0\""), std::string::npos);
}

TEST_F(RepairCliTest, OrphansPolicyInJsonTextAndFleets) {
  std::string path = Broken();
  auto check = RunSqlmend("check-fk --json " + ShellQuote(path));
  auto previews = nlohmann::json::parse(check.out)["orphan_policies"];
  ASSERT_EQ(previews.size(), 3u);
  EXPECT_EQ(previews[0]["policy"], "quarantine");
  EXPECT_EQ(previews[0]["actions"][0]["rows"], 1);
  EXPECT_EQ(previews[0]["actions"][0]["into"], "sqlmend_orphans_posts");

  auto bad = RunSqlmend("fix-fk --orphans sideways " + ShellQuote(path));
  EXPECT_EQ(bad.exit_code, 2);

  auto fixed = RunSqlmend("fix-fk --json --orphans delete " + ShellQuote(path));
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  auto j = nlohmann::json::parse(fixed.out);
  EXPECT_EQ(j["orphans"]["policy"], "delete");
  EXPECT_EQ(j["orphans"]["actions"][0]["table"], "posts");
  EXPECT_EQ(j["orphans"]["actions"][0]["action"], "delete");
  EXPECT_EQ(j["orphans"]["actions"][0]["rows"], 1);
  EXPECT_TRUE(j["orphans"]["refused"].is_null());
  EXPECT_EQ(testutil::Query(path, "PRAGMA foreign_key_check"), std::vector<std::string>{});

  // A fleet: JSON lines carry each file's actions, the summary the totals.
  testutil::TempDir fleet;
  for (const char* name : {"a.sqlite", "b.sqlite"}) testutil::ExecSql(fleet.File(name), kBroken);
  auto run = RunSqlmend("fix-fk -j 1 --json --orphans quarantine " + ShellQuote(fleet.path()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::string last = run.out.substr(run.out.rfind('\n', run.out.size() - 2) + 1);
  auto summary = nlohmann::json::parse(last)["summary"];
  EXPECT_EQ(summary["orphans"]["found"], 2);
  EXPECT_EQ(summary["orphans"]["quarantine"], 2);
  auto text = RunSqlmend("check-fk -j 1 " + ShellQuote(fleet.path()));
  EXPECT_EQ(text.exit_code, 0) << text.out;
}

TEST_F(RepairCliTest, DoctorExitCodesJsonAndFix) {
  std::string healthy = dir_.File("healthy.sqlite");
  testutil::ExecSql(healthy, "CREATE TABLE t(id INTEGER PRIMARY KEY);");
  auto clean = RunSqlmend("doctor " + ShellQuote(healthy));
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  EXPECT_NE(clean.out.find("no debris found"), std::string::npos);

  std::string path = dir_.File("debris.sqlite");
  testutil::ExecSql(path, "CREATE TABLE t(id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);"
                          "CREATE TABLE _alembic_tmp_t(id INTEGER PRIMARY KEY, x);"
                          "INSERT INTO _alembic_tmp_t(id) SELECT id FROM t;");
  auto found = RunSqlmend("doctor --json " + ShellQuote(path));
  EXPECT_EQ(found.exit_code, 1) << found.err;
  auto j = nlohmann::json::parse(found.out);
  EXPECT_EQ(j["findings"][0]["kind"], "alembic-tmp");
  EXPECT_EQ(j["findings"][0]["fixed"], false);
  EXPECT_FALSE(j["findings"][0]["fix"].is_null());

  auto fixed = RunSqlmend("doctor --fix --json " + ShellQuote(path));
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_EQ(nlohmann::json::parse(fixed.out)["findings"][0]["fixed"], true);
  EXPECT_EQ(testutil::Query(path, "SELECT count(*) FROM sqlite_schema WHERE name = '_alembic_tmp_t'"),
            std::vector<std::string>{"0"});

  std::string text = dir_.File("notes.txt");
  testutil::WriteFile(text, "not sqlite");
  auto bad = RunSqlmend("doctor " + ShellQuote(text));
  EXPECT_EQ(bad.exit_code, 4);
  EXPECT_EQ(bad.err, "sqlmend: " + text + ": not a database (no SQLite header)\n");
  auto bad_config = RunSqlmend("doctor -c " + ShellQuote(dir_.File("missing.ini")) + " " +
                               ShellQuote(healthy));
  EXPECT_NE(bad_config.exit_code, 0);
  EXPECT_EQ(std::count(bad_config.err.begin(), bad_config.err.end(), '\n'), 1) << bad_config.err;
}

// The debris as Alembic itself leaves it: Debian's alembic runs a batch
// rebuild (recreate="always") that fails on its INSERT ... SELECT (a NOT
// NULL column without a default). pysqlite runs the CREATE TABLE outside the
// transaction the failure rolls back, so _alembic_tmp_t stays behind, and
// the next upgrade would fail with "table _alembic_tmp_t already exists".
TEST_F(RepairCliTest, DoctorCleansUpAfterAnInterruptedAlembicBatch) {
  if (testutil::RunCommand("command -v alembic").exit_code != 0) GTEST_SKIP() << "no alembic";
  std::string project = dir_.path();
  auto init = testutil::RunCommand("cd " + ShellQuote(project) +
                                   " && alembic init -t generic migrations");
  ASSERT_EQ(init.exit_code, 0) << init.err;
  std::string ini = testutil::ReadFile(project + "/alembic.ini");
  size_t url = ini.find("sqlalchemy.url = ");
  ASSERT_NE(url, std::string::npos);
  ini.replace(url, ini.find('\n', url) - url, "sqlalchemy.url = sqlite:///%(here)s/app.sqlite");
  testutil::WriteFile(project + "/alembic.ini", ini);
  testutil::WriteFile(project + "/migrations/versions/aaa_required_code.py", R"(
"""add a required column"""
from alembic import op
import sqlalchemy as sa

revision = "aaa"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("t", recreate="always") as batch:
        batch.add_column(sa.Column("code", sa.String(), nullable=False))


def downgrade():
    pass
)");
  std::string db = project + "/app.sqlite";
  testutil::ExecSql(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT);"
                        "INSERT INTO t VALUES (1, 'a'), (2, 'b');");
  auto upgrade = testutil::RunCommand("cd " + ShellQuote(project) + " && alembic upgrade head");
  ASSERT_NE(upgrade.exit_code, 0);
  ASSERT_EQ(testutil::Query(db, "SELECT count(*) FROM sqlite_schema WHERE name = '_alembic_tmp_t'"),
            std::vector<std::string>{"1"})
      << "alembic did not leave its temporary: " << upgrade.err;

  // script_location is relative to the working folder, as for Alembic.
  auto sqlmend = [&](const std::string& args) {
    return testutil::RunCommand("cd " + ShellQuote(project) + " && " + ShellQuote(SQLMEND_BIN) +
                                " " + args);
  };
  std::string config = " -c alembic.ini ";
  auto found = sqlmend("doctor --json" + config + ShellQuote(db));
  EXPECT_EQ(found.exit_code, 1) << found.err;
  auto j = nlohmann::json::parse(found.out);
  ASSERT_EQ(j["findings"].size(), 1u) << found.out;
  EXPECT_EQ(j["findings"][0]["object"], "table _alembic_tmp_t");

  auto fixed = sqlmend("doctor --fix" + config + ShellQuote(db));
  EXPECT_EQ(fixed.exit_code, 0) << fixed.out << fixed.err;
  EXPECT_EQ(testutil::Query(db, "SELECT id, name FROM t"), (std::vector<std::string>{"1|a", "2|b"}));

  // A revision the project does not know in alembic_version.
  testutil::ExecSql(db, "INSERT INTO alembic_version VALUES ('fedcba987654');");
  auto unknown = sqlmend("doctor" + config + ShellQuote(db));
  EXPECT_EQ(unknown.exit_code, 1) << unknown.err;
  EXPECT_NE(unknown.out.find("fedcba987654, which the project's script directory does not know"),
            std::string::npos)
      << unknown.out;
}

}  // namespace
}  // namespace sqlmend
