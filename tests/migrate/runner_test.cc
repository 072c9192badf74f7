// RunPlan and CurrentHeads on real files: the same schema and version rows
// as `alembic upgrade` / `downgrade` (also when the two take turns), the
// same log lines, and the safety Alembic does not give on SQLite: a failing
// revision rolls back alone (the whole file stays byte-identical when it is
// the first), and a second migration waits for the lock and then stops.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "alembic_project.h"
#include "graph/plan.h"
#include "migrate/runner.h"

namespace sqlmend::migrate {
namespace {

using testing::AlembicProject;
using testing::Rev;
using testutil::Query;
using testutil::TakeSnapshot;

Target On(const std::string& db) {
  Target target;
  target.database = db;
  return target;
}

// Everything a migration can change that the comparison should see.
std::vector<std::string> Schema(const std::string& db) {
  return Query(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name");
}
std::vector<std::string> VersionRows(const std::string& db) {
  return Query(db, "SELECT version_num FROM alembic_version ORDER BY rowid");
}

std::vector<std::string> Heads(const std::string& db) {
  auto heads = CurrentHeads(On(db));
  EXPECT_TRUE(heads) << heads.error().ToString();
  return heads ? *heads : std::vector<std::string>{};
}

enum class Verb { kUpgrade, kDowngrade };

// `sqlmend upgrade|downgrade <destination>` on `db`, planned from its rows.
base::Status Migrate(const script::ScriptDirectory& scripts, const std::string& db, Verb verb,
                     const std::string& destination, std::vector<std::string>* log = nullptr,
                     int lock_timeout_ms = 10000) {
  auto plan = verb == Verb::kUpgrade
                  ? graph::PlanUpgrade(scripts.map(), Heads(db), destination)
                  : graph::PlanDowngrade(scripts.map(), Heads(db), destination);
  if (!plan) return plan.error();
  RunOptions options;
  options.lock_timeout_ms = lock_timeout_ms;
  if (log) options.log = [log](const std::string& line) { log->push_back(line); };
  return RunPlan(On(db), *plan, scripts, options);
}

std::vector<Rev> LinearAndBranched() {
  return {
      Rev{"a1", {}, {"CREATE TABLE t1 (id INTEGER PRIMARY KEY,\n\tname TEXT)"}, {"DROP TABLE t1"},
          "create t1"},
      Rev{"b2", {"a1"},
          {"ALTER TABLE t1 ADD COLUMN note TEXT", "INSERT INTO t1 (name) VALUES ('x\\:y')"},
          {"DELETE FROM t1", "ALTER TABLE t1 DROP COLUMN note"}},
      Rev{"c3", {"b2"}, {"CREATE INDEX ix_t1_name ON t1 (name)"}, {"DROP INDEX ix_t1_name"}},
      Rev{"d4", {"b2"}, {"CREATE TABLE t4 (x)", "CREATE VIEW v4 AS SELECT * FROM t4"},
          {"DROP VIEW v4", "DROP TABLE t4"}, "second branch"},
      Rev{"e5", {"c3", "d4"}, {"CREATE TABLE t5 (y)"}, {"DROP TABLE t5"}, "merge"},
  };
}

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto scripts = project_.Load();
    ASSERT_TRUE(scripts) << scripts.error().ToString();
    scripts_ = std::make_unique<script::ScriptDirectory>(std::move(*scripts));
  }
  std::string Ours() const { return project_.dir() + "/ours.db"; }

  AlembicProject project_{LinearAndBranched()};
  std::unique_ptr<script::ScriptDirectory> scripts_;
};

TEST_F(RunnerTest, UpgradeAndDowngradeMatchAlembic) {
  auto logs = project_.Alembic({"upgrade heads"}, /*keep_log=*/true);
  std::vector<std::string> ours_log;
  ASSERT_OK(Migrate(*scripts_, Ours(), Verb::kUpgrade, "heads", &ours_log));
  EXPECT_EQ(Schema(Ours()), Schema(project_.db()));
  EXPECT_EQ(VersionRows(Ours()), VersionRows(project_.db()));
  EXPECT_EQ(Query(Ours(), "SELECT * FROM t1"), Query(project_.db(), "SELECT * FROM t1"));

  // The log lines, after Alembic's "INFO  [alembic.runtime.migration] "
  // prefix; only the DDL mode differs (sqlmend is transactional).
  std::string theirs_log;
  const std::string prefix = "INFO  [alembic.runtime.migration] ";
  std::istringstream in(logs[0]);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) theirs_log += line.substr(prefix.size()) + "\n";
  }
  std::string joined;
  for (const auto& line : ours_log) joined += line + "\n";
  const std::string non_transactional = "non-transactional";
  theirs_log.replace(theirs_log.find(non_transactional), non_transactional.size(), "transactional");
  EXPECT_EQ(joined, theirs_log);

  project_.Alembic({"downgrade c3"});
  ASSERT_OK(Migrate(*scripts_, Ours(), Verb::kDowngrade, "c3"));
  EXPECT_EQ(Schema(Ours()), Schema(project_.db()));
  EXPECT_EQ(VersionRows(Ours()), VersionRows(project_.db()));

  project_.Alembic({"downgrade base"});
  ASSERT_OK(Migrate(*scripts_, Ours(), Verb::kDowngrade, "base"));
  EXPECT_EQ(Schema(Ours()), Schema(project_.db()));
  EXPECT_EQ(VersionRows(Ours()), std::vector<std::string>{});
}

// Alembic and sqlmend take turns on one file, one revision each, up to the
// head and back down; the result equals Alembic's run on its own.
TEST_F(RunnerTest, TakesTurnsWithAlembic) {
  const std::string shared = project_.db();
  const std::string alone = project_.dir() + "/alone.db";
  const std::string peak = project_.dir() + "/peak.db";
  struct Turn {
    Verb verb;
    std::string destination;
    std::vector<std::string> heads_after;
  };
  const std::vector<Turn> turns = {
      {Verb::kUpgrade, "a1", {"a1"}},        {Verb::kUpgrade, "b2", {"b2"}},
      {Verb::kUpgrade, "c3", {"c3"}},        {Verb::kUpgrade, "d4", {"c3", "d4"}},
      {Verb::kUpgrade, "e5", {"e5"}},        {Verb::kDowngrade, "d4", {"c3", "d4"}},
      {Verb::kDowngrade, "b2", {"b2"}},      {Verb::kDowngrade, "a1", {"a1"}},
      {Verb::kDowngrade, "base", {}},
  };
  for (size_t i = 0; i < turns.size(); ++i) {
    const Turn& turn = turns[i];
    if (i % 2 == 0) {
      project_.Alembic({(turn.verb == Verb::kUpgrade ? "upgrade " : "downgrade ") +
                        turn.destination});
    } else {
      ASSERT_OK(Migrate(*scripts_, shared, turn.verb, turn.destination));
    }
    auto heads = Heads(shared);
    std::sort(heads.begin(), heads.end());
    EXPECT_EQ(heads, turn.heads_after) << "turn " << i << " to " << turn.destination;
    if (turn.destination == "e5") std::filesystem::copy_file(shared, peak);
  }
  std::filesystem::rename(shared, alone);
  project_.Alembic({"upgrade heads"});
  EXPECT_EQ(Schema(peak), Schema(shared));
  EXPECT_EQ(VersionRows(peak), VersionRows(shared));
  project_.Alembic({"downgrade base"});
  EXPECT_EQ(Schema(alone), Schema(shared));
}

// A project of `revisions` loaded by sqlmend, its database at test.db.
class RunnerSafetyTest : public ::testing::Test {
 protected:
  void Make(const std::vector<Rev>& revisions) {
    project_ = std::make_unique<AlembicProject>(revisions);
    auto scripts = project_->Load();
    ASSERT_TRUE(scripts) << scripts.error().ToString();
    scripts_ = std::make_unique<script::ScriptDirectory>(std::move(*scripts));
    db_ = project_->db();
  }
  std::unique_ptr<AlembicProject> project_;
  std::unique_ptr<script::ScriptDirectory> scripts_;
  std::string db_;
};

TEST_F(RunnerSafetyTest, FailingFirstRevisionLeavesTheFileByteIdentical) {
  ASSERT_NO_FATAL_FAILURE(Make({
      Rev{"a1", {}, {"CREATE TABLE t1 (x)"}, {}},
      Rev{"b2", {"a1"}, {"CREATE TABLE t2 (x)", "INSERT INTO nosuch VALUES (1)"}, {}},
  }));
  ASSERT_OK(Migrate(*scripts_, db_, Verb::kUpgrade, "a1"));
  const auto before = TakeSnapshot(db_);

  base::Status status = Migrate(*scripts_, db_, Verb::kUpgrade, "head");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), base::Code::kRefused);
  EXPECT_EQ(status.object(), project_->dir() + "/alembic/versions/b2_r.py:14");
  EXPECT_EQ(status.message(), "no such table: nosuch in: INSERT INTO nosuch VALUES (1)");
  EXPECT_EQ(TakeSnapshot(db_), before);
}

TEST_F(RunnerSafetyTest, FailingLaterRevisionKeepsTheEarlierOnes) {
  ASSERT_NO_FATAL_FAILURE(Make({
      Rev{"a1", {}, {"CREATE TABLE t1 (x)"}, {}},
      Rev{"b2", {"a1"}, {"CREATE TABLE t2 (x)"}, {}},
      Rev{"c3", {"b2"}, {"CREATE TABLE t3 (x); INSERT INTO t3 VALUES (1); SELEC 2"}, {}},
  }));
  std::vector<std::string> log;
  base::Status status = Migrate(*scripts_, db_, Verb::kUpgrade, "head", &log);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.ToString(), project_->dir() + "/alembic/versions/c3_r.py:13: near \"SELEC\": "
                                               "syntax error in: SELEC 2");
  EXPECT_EQ(log.back(), "Running upgrade b2 -> c3, revision c3");
  EXPECT_EQ(Heads(db_), std::vector<std::string>{"b2"});
  EXPECT_EQ(Query(db_, "SELECT name FROM sqlite_schema ORDER BY name"),
            (std::vector<std::string>{"alembic_version", "sqlite_autoindex_alembic_version_1",
                                      "t1", "t2"}));
}

TEST_F(RunnerSafetyTest, FailingRunOnANewFileLeavesNoFile) {
  ASSERT_NO_FATAL_FAILURE(Make({Rev{"a1", {}, {"CREATE TABLE t1 (x)", "DROP TABLE nosuch"}, {}}}));
  EXPECT_FALSE(Migrate(*scripts_, db_, Verb::kUpgrade, "head").ok());
  EXPECT_FALSE(std::filesystem::exists(db_));
}

// A second migration (here: a connection holding BEGIN IMMEDIATE) makes the
// runner wait lock_timeout_ms and then stop without changing anything.
TEST_F(RunnerSafetyTest, WaitsForAnotherMigrationThenStops) {
  ASSERT_NO_FATAL_FAILURE(Make({Rev{"a1", {}, {"CREATE TABLE t1 (x)"}, {}},
                          Rev{"b2", {"a1"}, {"CREATE TABLE t2 (x)"}, {}}}));
  ASSERT_OK(Migrate(*scripts_, db_, Verb::kUpgrade, "a1"));
  const auto before = TakeSnapshot(db_);

  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const auto start = std::chrono::steady_clock::now();
  base::Status status = Migrate(*scripts_, db_, Verb::kUpgrade, "head", nullptr, 300);
  const auto waited = std::chrono::steady_clock::now() - start;
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);

  EXPECT_EQ(status.code(), base::Code::kEnvironment);
  EXPECT_EQ(status.ToString(), db_ + ": database is locked by another migration; waited 0.3 s");
  EXPECT_GE(waited, std::chrono::milliseconds(290));
  EXPECT_EQ(TakeSnapshot(db_), before);
  ASSERT_OK(Migrate(*scripts_, db_, Verb::kUpgrade, "head"));
  EXPECT_EQ(Heads(db_), std::vector<std::string>{"b2"});
}

// Two runs planned from the same heads: the one that gets the lock second
// finds the rows moved and rolls back instead of applying b2 twice.
TEST_F(RunnerSafetyTest, SecondRunOfTheSamePlanChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(Make({Rev{"a1", {}, {"CREATE TABLE t1 (x)"}, {}},
                          Rev{"b2", {"a1"}, {"INSERT INTO t1 VALUES (1)"}, {}}}));
  ASSERT_OK(Migrate(*scripts_, db_, Verb::kUpgrade, "a1"));
  auto plan = graph::PlanUpgrade(scripts_->map(), Heads(db_), "head");
  ASSERT_TRUE(plan);
  ASSERT_OK(RunPlan(On(db_), *plan, *scripts_, {}));
  const auto before = TakeSnapshot(db_);
  base::Status second = RunPlan(On(db_), *plan, *scripts_, {});
  EXPECT_EQ(second.message(),
            "Online migration expected to match one row when updating 'a1' to 'b2' in "
            "'alembic_version'; 0 found");
  EXPECT_EQ(TakeSnapshot(db_), before);
  EXPECT_EQ(Query(db_, "SELECT count(*) FROM t1"), std::vector<std::string>{"1"});
}

TEST_F(RunnerSafetyTest, RefusesTransactionControlAndUnboundParameters) {
  ASSERT_NO_FATAL_FAILURE(Make({Rev{"a1", {}, {"CREATE TABLE t1 (x)"}, {}},
                          Rev{"b2", {"a1"}, {"CREATE TABLE t2 (x)", "COMMIT"}, {}},
                          Rev{"c3", {"a1"}, {"INSERT INTO t1 VALUES (:value)"}, {}},
                          Rev{"d4", {"a1"}, {"INSERT INTO t1 VALUES (?)"}, {}}}));
  ASSERT_OK(Migrate(*scripts_, db_, Verb::kUpgrade, "a1"));
  const auto before = TakeSnapshot(db_);
  base::Status status = Migrate(*scripts_, db_, Verb::kUpgrade, "b2");
  EXPECT_EQ(status.message(),
            "transaction control is not allowed in a revision (sqlmend runs each revision in its "
            "own savepoint) in: COMMIT");
  status = Migrate(*scripts_, db_, Verb::kUpgrade, "c3");
  EXPECT_EQ(status.message(),
            "A value is required for bind parameter 'value' in: INSERT INTO t1 VALUES (:value)");
  status = Migrate(*scripts_, db_, Verb::kUpgrade, "d4");
  EXPECT_EQ(status.message(),
            "Incorrect number of bindings supplied. The current statement uses 1, and there are 0 "
            "supplied. in: INSERT INTO t1 VALUES (?)");
  EXPECT_EQ(TakeSnapshot(db_), before);
}

TEST(RunPlanTest, EmptyPlanCreatesTheVersionTable) {
  testutil::TempDir dir;
  script::ScriptDirectory no_scripts;
  const std::string db = dir.File("new.db");
  std::vector<std::string> log;
  RunOptions options;
  options.log = [&log](const std::string& line) { log.push_back(line); };
  ASSERT_OK(RunPlan(On(db), graph::Plan{}, no_scripts, options));
  EXPECT_EQ(Query(db, "SELECT sql FROM sqlite_schema WHERE name = 'alembic_version'"),
            std::vector<std::string>{
                "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\t"
                "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)"});
  EXPECT_EQ(log, (std::vector<std::string>{"Context impl SQLiteImpl.",
                                           "Will assume transactional DDL."}));
}

TEST_F(RunnerSafetyTest, StampRunsNoStatementsAndPurgeEmptiesTheTable) {
  ASSERT_NO_FATAL_FAILURE(Make({Rev{"a1", {}, {"CREATE TABLE t1 (x)"}, {}},
                          Rev{"b2", {"a1"}, {"CREATE TABLE t2 (x)"}, {}}}));
  auto stamp = graph::PlanStamp(scripts_->map(), {}, {"b2"}, false);
  ASSERT_TRUE(stamp);
  std::vector<std::string> log;
  RunOptions options;
  options.log = [&log](const std::string& line) { log.push_back(line); };
  ASSERT_OK(RunPlan(On(db_), *stamp, *scripts_, options));
  EXPECT_EQ(log.back(), "Running stamp_revision  -> b2");
  EXPECT_EQ(Query(db_, "SELECT name FROM sqlite_schema WHERE type = 'table'"),
            std::vector<std::string>{"alembic_version"});
  EXPECT_EQ(Heads(db_), std::vector<std::string>{"b2"});

  testutil::ExecSql(db_, "INSERT INTO alembic_version VALUES ('junk')");
  auto purge = graph::PlanStamp(scripts_->map(), {}, {"a1"}, true);
  ASSERT_TRUE(purge);
  ASSERT_OK(RunPlan(On(db_), *purge, *scripts_, {}, /*purge=*/true));
  EXPECT_EQ(Heads(db_), std::vector<std::string>{"a1"});
}

TEST(RunPlanTest, RefusesASchemaThatIsNotAttached) {
  testutil::TempDir dir;
  script::ScriptDirectory no_scripts;
  Target target = On(dir.File("x.db"));
  target.version_table_schema = "aux";
  base::Status status = RunPlan(target, graph::Plan{}, no_scripts, {});
  EXPECT_EQ(status.code(), base::Code::kUsage);
  EXPECT_NE(status.message().find("version_table_schema 'aux' is not an attached database"),
            std::string::npos);
  EXPECT_EQ(testutil::ListDir(dir.path()), std::vector<std::string>{});
  target.version_table_schema = "main";
  ASSERT_OK(RunPlan(target, graph::Plan{}, no_scripts, {}));
  auto heads = CurrentHeads(target);
  ASSERT_TRUE(heads);
  EXPECT_TRUE(heads->empty());
}

TEST(CurrentHeadsTest, MissingFileOrTableIsEmptyAndNothingIsCreated) {
  testutil::TempDir dir;
  auto heads = CurrentHeads(On(dir.File("missing.db")));
  ASSERT_TRUE(heads) << heads.error().ToString();
  EXPECT_TRUE(heads->empty());
  EXPECT_EQ(testutil::ListDir(dir.path()), std::vector<std::string>{});

  testutil::ExecSql(dir.File("wal.db"), "PRAGMA journal_mode=WAL; CREATE TABLE t (x);");
  heads = CurrentHeads(On(dir.File("wal.db")));
  ASSERT_TRUE(heads) << heads.error().ToString();
  EXPECT_TRUE(heads->empty());
  EXPECT_EQ(testutil::ListDir(dir.path()), std::vector<std::string>{"wal.db"});

  testutil::ExecSql(dir.File("wal.db"),
                    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);"
                    "INSERT INTO alembic_version VALUES ('b'), ('a');");
  const auto before = TakeSnapshot(dir.File("wal.db"));
  heads = CurrentHeads(On(dir.File("wal.db")));
  ASSERT_TRUE(heads) << heads.error().ToString();
  EXPECT_EQ(*heads, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(TakeSnapshot(dir.File("wal.db")), before);
}

// A plain-SQL revision (sqlmend's own format; Alembic ignores .sql files):
// its section runs statement by statement, an error names the statement's
// own line, and --sql prints each statement once with its ';'.
TEST_F(RunnerSafetyTest, SqlRevisionRunsStatementByStatement) {
  ASSERT_NO_FATAL_FAILURE(Make({Rev{"a1", {}, {"CREATE TABLE t1 (x)"}, {}}}));
  const std::string sql_file = project_->dir() + "/alembic/versions/b2_add.sql";
  testutil::WriteFile(sql_file,
                      "-- revision: b2\n-- down_revision: a1\n-- message: add rows\n\n"
                      "-- upgrade\nINSERT INTO t1 VALUES (1);\n"
                      "CREATE TRIGGER t1_ins AFTER INSERT ON t1 BEGIN\n"
                      "  SELECT 1;\nEND;\n\n-- a comment\nINSERT INTO t1 VALUES (2)\n\n"
                      "-- downgrade\nDROP TRIGGER t1_ins;\nDELETE FROM nosuch;\n");
  auto reloaded = project_->Load();
  ASSERT_TRUE(reloaded) << reloaded.error().ToString();
  *scripts_ = std::move(*reloaded);

  auto plan = graph::PlanUpgrade(scripts_->map(), {}, "head");
  ASSERT_TRUE(plan);
  std::ostringstream offline;
  ASSERT_OK(WriteOfflineSql(On(""), *plan, {}, *scripts_, offline));
  const std::string script = offline.str();
  EXPECT_NE(script.find("-- Running upgrade a1 -> b2\n\nINSERT INTO t1 VALUES (1);\n\n"
                        "CREATE TRIGGER t1_ins AFTER INSERT ON t1 BEGIN\n  SELECT 1;\nEND;\n\n"
                        "-- a comment\nINSERT INTO t1 VALUES (2);\n\nUPDATE alembic_version"),
            std::string::npos)
      << script;

  std::vector<std::string> log;
  ASSERT_OK(Migrate(*scripts_, db_, Verb::kUpgrade, "head", &log));
  EXPECT_EQ(log.back(), "Running upgrade a1 -> b2, add rows");
  EXPECT_EQ(Query(db_, "SELECT x FROM t1 ORDER BY x"), (std::vector<std::string>{"1", "2"}));

  const auto before = TakeSnapshot(db_);
  base::Status status = Migrate(*scripts_, db_, Verb::kDowngrade, "a1");
  EXPECT_EQ(status.ToString(), sql_file + ":16: no such table: nosuch in: DELETE FROM nosuch;");
  EXPECT_EQ(TakeSnapshot(db_), before);
}

}  // namespace
}  // namespace sqlmend::migrate
