// doctor on the files real Alembic runs leave behind. Debian's alembic 1.8.1
// (SQLAlchemy 1.4, pysqlite) runs revisions of a project made at test time
// and is stopped mid-run: by a statement that fails (a CHECK or NOT NULL the
// existing rows violate), or by SIGKILL before any one of its writing
// statements, both with pysqlite's own transactions (Alembic's default for
// SQLite) and with sqlalchemy.isolation_level = AUTOCOMMIT. Then `sqlmend
// doctor` must report what is left (exit codes, --json), write nothing
// without --fix, and with --fix leave a file the upgrade can run on again.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "migrate/alembic_project.h"
#include "testutil/corpus.h"
#include "testutil/testutil.h"

namespace sqlmend {
namespace {

using migrate::testing::AlembicProject;
using migrate::testing::Rev;
using nlohmann::json;
using testutil::Query;
using testutil::ShellQuote;

// Loaded by Python at start-up from PYTHONPATH: logs every statement
// SQLAlchemy sends and SIGKILLs the process just before statement KILL_AT
// (1-based), as a power cut or the OOM killer would stop it there.
constexpr char kKillHook[] = R"PY(
import os
if os.environ.get("KILL_AT"):
    import signal
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    _count = [0]

    def _before(conn, cursor, statement, parameters, context, executemany):
        _count[0] += 1
        with open(os.environ["KILL_LOG"], "a") as log:
            log.write(" ".join(statement.split()) + "\n")
        if _count[0] == int(os.environ["KILL_AT"]):
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "before_cursor_execute", _before)
)PY";

// aaa makes the tables; the rows are added after it, as an application would.
const Rev kTables("aaa", {},
                  {"CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT)",
                   "CREATE INDEX t_by_name ON t(name)",
                   "CREATE TABLE c(id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t(id))"},
                  {});
constexpr char kRows[] =
    "INSERT INTO t VALUES (1, 'ann'), (2, 'bob'), (5, 'cy');"
    "INSERT INTO c VALUES (1, 1), (2, 5);";
const std::vector<std::string> kTRows = {"1|ann", "2|bob", "5|cy"};

std::string RevisionHead(const std::string& id, const std::string& down) {
  return "\"\"\"revision " + id + "\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n\n"
         "revision = \"" + id + "\"\ndown_revision = \"" + down +
         "\"\nbranch_labels = None\ndepends_on = None\n\n\ndef downgrade():\n    pass\n\n\n";
}

// A batch rebuild of t: a new column, a new index, t_by_name carried over.
std::string BatchRevision(const std::string& column) {
  return RevisionHead("bbb", "aaa") +
         "def upgrade():\n"
         "    with op.batch_alter_table(\"t\", recreate=\"always\") as batch:\n"
         "        batch.add_column(" + column + ")\n"
         "        batch.create_index(\"t_by_code\", [\"code\"])\n";
}

// The same change written rename-first, as hand-written revisions do.
const std::vector<std::string> kRenameFirst = {
    "ALTER TABLE t RENAME TO t__old",
    "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT)",
    "INSERT INTO t(id, name, code) SELECT id, name, upper(name) FROM t__old",
    "DROP TABLE t__old",
    "CREATE INDEX t_by_name ON t(name)"};

enum class Mode { kPysqlite, kAutocommit };

class DoctorAfterAlembicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testutil::RunCommand("command -v alembic").exit_code != 0) GTEST_SKIP() << "no alembic";
  }

  // The project, with the batch (or rename-first) revision `bbb` after aaa,
  // and its database at aaa with the rows; seed.db keeps that start.
  void Make(const std::string& bbb_file, Mode mode, const std::string& more_sql = "") {
    project_ = std::make_unique<AlembicProject>(std::vector<Rev>{kTables});
    testutil::WriteFile(project_->dir() + "/alembic/versions/bbb_r.py", bbb_file);
    std::filesystem::create_directories(project_->dir() + "/hook");
    testutil::WriteFile(project_->dir() + "/hook/sitecustomize.py", kKillHook);
    if (mode == Mode::kAutocommit) {
      std::string ini = testutil::ReadFile(project_->dir() + "/alembic.ini");
      const std::string url = "sqlalchemy.url = sqlite:///test.db\n";
      ini.replace(ini.find(url), url.size(), url + "sqlalchemy.isolation_level = AUTOCOMMIT\n");
      testutil::WriteFile(project_->dir() + "/alembic.ini", ini);
    }
    auto base = Alembic("upgrade aaa");
    ASSERT_EQ(base.exit_code, 0) << base.err;
    testutil::ExecSql(db(), kRows + more_sql);
    testutil::WriteFile(seed(), testutil::ReadFile(db()));
  }

  std::string db() const { return project_->db(); }
  std::string seed() const { return project_->dir() + "/seed.db"; }
  void Restart() const {
    testutil::WriteFile(db(), testutil::ReadFile(seed()));
    testutil::WriteFile(log(), "");
  }
  std::string log() const { return project_->dir() + "/statements.log"; }

  // Debian's alembic, killed before statement `kill_at` when it is > 0.
  testutil::RunResult Alembic(const std::string& args, int kill_at = 0) const {
    std::string env = "PYTHONPATH=hook KILL_LOG=" + ShellQuote(log()) + " KILL_AT=" +
                      std::to_string(kill_at) + " ";
    // "; exit $?" keeps the shell's "Killed" notice in the captured stderr.
    return project_->Shell(env + "/usr/bin/alembic " + args + "; exit $?");
  }

  // The statements the last run sent, in order.
  std::vector<std::string> Statements() const {
    std::vector<std::string> lines;
    std::string text = testutil::ReadFile(log());
    for (size_t at = 0, end; at < text.size(); at = end + 1) {
      end = text.find('\n', at);
      lines.push_back(text.substr(at, end - at));
    }
    return lines;
  }

  // sqlmend, from the project folder (script_location is relative to it).
  testutil::RunResult Sqlmend(const std::string& args) const {
    return project_->Shell(ShellQuote(SQLMEND_BIN) + " " + args);
  }

  // `doctor --json -c alembic.ini` on the file, which it must leave as it
  // was, with nothing added beside it.
  json Examine(int expected_exit) const {
    const testutil::Snapshot before = testutil::TakeSnapshot(db());
    const std::vector<std::string> listing = testutil::ListDir(project_->dir());
    auto run = Sqlmend("doctor --json -c alembic.ini test.db");
    EXPECT_EQ(run.exit_code, expected_exit) << run.out << run.err;
    auto text = Sqlmend("doctor -c alembic.ini test.db");
    EXPECT_EQ(text.exit_code, expected_exit) << text.out << text.err;
    EXPECT_TRUE(testutil::TakeSnapshot(db()) == before) << "doctor without --fix wrote the file";
    EXPECT_EQ(testutil::ListDir(project_->dir()), listing);
    return json::parse(run.out);
  }

  json Fix(int expected_exit) const {
    auto run = Sqlmend("doctor --fix --json -c alembic.ini test.db");
    EXPECT_EQ(run.exit_code, expected_exit) << run.out << run.err;
    return json::parse(run.out);
  }

  std::vector<std::string> Tables() const {
    return Query(db(), "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
  }

  static testutil::DbImage Image(const std::string& path) {
    auto image = testutil::ReadImage(path);
    EXPECT_TRUE(image.has_value()) << path;
    return image.value_or(testutil::DbImage{});
  }

  std::unique_ptr<AlembicProject> project_;
};

// The batch's INSERT ... SELECT fails on the existing rows. pysqlite ran
// CREATE TABLE _alembic_tmp_t outside the transaction the failure rolls
// back, so the temporary stays and the next upgrade fails on it.
class FailedBatchCopyTest : public DoctorAfterAlembicTest,
                            public ::testing::WithParamInterface<const char*> {};

TEST_P(FailedBatchCopyTest, DoctorDropsTheTemporaryAndTheUpgradeRunsAgain) {
  const std::string column = GetParam();
  const bool check = column.find("CheckConstraint") != std::string::npos;
  Make(BatchRevision(column), Mode::kPysqlite);
  auto failed = Alembic("upgrade head");
  ASSERT_NE(failed.exit_code, 0);
  EXPECT_NE(failed.err.find(check ? "CHECK constraint failed" : "NOT NULL constraint failed"),
            std::string::npos)
      << failed.err;
  auto again = Alembic("upgrade head");
  ASSERT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("table _alembic_tmp_t already exists"), std::string::npos) << again.err;

  json found = Examine(1);
  EXPECT_EQ(found["exit_code"], 1);
  ASSERT_EQ(found["findings"].size(), 1u) << found.dump();
  const json& f = found["findings"][0];
  EXPECT_EQ(f["kind"], "alembic-tmp");
  EXPECT_EQ(f["object"], "table _alembic_tmp_t");
  EXPECT_NE(f["problem"].get<std::string>().find("t still exists with 3 rows, the temporary "
                                                 "holds 0 rows"),
            std::string::npos)
      << f["problem"];
  EXPECT_EQ(f["fix"], "drop _alembic_tmp_t (t is the table in use)");
  EXPECT_TRUE(f["left"].is_null());
  EXPECT_EQ(f["fixed"], false);
  EXPECT_FALSE(found.contains("backup"));

  json fixed = Fix(0);
  EXPECT_EQ(fixed["findings"][0]["fixed"], true);
  ASSERT_TRUE(fixed["backup"].is_string());
  EXPECT_EQ(Query(project_->dir() + "/" + fixed["backup"].get<std::string>(),
                  "SELECT count(*) FROM sqlite_schema WHERE name = '_alembic_tmp_t'"),
            std::vector<std::string>{"1"});
  EXPECT_EQ(Tables(), (std::vector<std::string>{"alembic_version", "c", "t"}));
  EXPECT_EQ(Query(db(), "SELECT id, name FROM t"), kTRows);
  EXPECT_EQ(Query(db(), "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL"),
            std::vector<std::string>{"t_by_name"});
  EXPECT_EQ(Query(db(), "SELECT version_num FROM alembic_version"),
            std::vector<std::string>{"aaa"});
  Examine(0);

  // The data put right, the same revision now runs to its end.
  if (check) {
    testutil::ExecSql(db(), "UPDATE t SET name = 'cyd' WHERE id = 5;");
  } else {
    // A NOT NULL column without a default can never be filled from rows:
    // the revision itself is wrong; give it its default and run it again.
    testutil::WriteFile(project_->dir() + "/alembic/versions/bbb_r.py",
                        BatchRevision("sa.Column(\"code\", sa.String(), nullable=False, "
                                      "server_default=\"x\")"));
  }
  auto rerun = Alembic("upgrade head");
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_EQ(Query(db(), "SELECT version_num FROM alembic_version"),
            std::vector<std::string>{"bbb"});
  Examine(0);

  // Two rows where the project has one head: reported with -c, left by --fix.
  testutil::ExecSql(db(), "INSERT INTO alembic_version VALUES ('aaa');");
  json rows = Examine(1);
  ASSERT_EQ(rows["findings"].size(), 1u) << rows.dump();
  EXPECT_EQ(rows["findings"][0]["kind"], "version-rows");
  EXPECT_EQ(Fix(1)["findings"][0]["fixed"], false);
  EXPECT_EQ(Query(db(), "SELECT count(*) FROM alembic_version"), std::vector<std::string>{"2"});
}

INSTANTIATE_TEST_SUITE_P(
    Statements, FailedBatchCopyTest,
    ::testing::Values("sa.Column(\"code\", sa.String(), nullable=False)",
                      "sa.Column(\"code\", sa.String(), sa.CheckConstraint(\"length(name) > 2\"), "
                      "server_default=\"x\")"),
    [](const auto& info) { return info.index == 0 ? "NotNull" : "CheckConstraint"; });

// Alembic killed before each statement that writes, in either transaction
// mode. Killing before a read leaves what killing before the next write
// leaves, so these are every state a kill can leave.
class KilledBatchTest : public DoctorAfterAlembicTest,
                        public ::testing::WithParamInterface<Mode> {};

TEST_P(KilledBatchTest, EveryStateDoctorFindsIsReportedAndRepaired) {
  const Mode mode = GetParam();
  Make(BatchRevision("sa.Column(\"code\", sa.String(), nullable=False, server_default=\"x\")"),
       mode);
  Restart();
  auto whole = Alembic("upgrade head", 0);
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const testutil::DbImage finished = Image(db());
  const std::vector<std::string> statements = Statements();
  int create_tmp = 0, rename = 0;
  std::vector<int> writes;
  for (size_t i = 0; i < statements.size(); ++i) {
    const std::string& s = statements[i];
    if (s.rfind("PRAGMA", 0) == 0 || s.rfind("SELECT", 0) == 0) continue;
    writes.push_back(static_cast<int>(i) + 1);
    if (s.rfind("CREATE TABLE _alembic_tmp_t", 0) == 0) create_tmp = writes.back();
    if (s.rfind("ALTER TABLE _alembic_tmp_t RENAME TO t", 0) == 0) rename = writes.back();
  }
  ASSERT_GT(create_tmp, 0) << whole.err;
  ASSERT_GT(rename, create_tmp);
  ASSERT_GE(writes.size(), 5u);  // CREATE, INSERT, DROP, ALTER, CREATE INDEX, INSERT version

  for (int kill_at : writes) {
    SCOPED_TRACE("killed before: " + statements[kill_at - 1]);
    Restart();
    auto killed = Alembic("upgrade head", kill_at);
    ASSERT_EQ(killed.exit_code, 128 + 9) << killed.err;
    // With pysqlite's transactions only the CREATE TABLE was committed; in
    // autocommit mode each statement was, and the rename may be missing.
    const bool debris = mode == Mode::kPysqlite ? kill_at > create_tmp
                                                : kill_at > create_tmp && kill_at <= rename;
    const bool t_missing = mode == Mode::kAutocommit && kill_at == rename;
    json found = Examine(debris ? 1 : 0);
    if (!debris) {
      EXPECT_TRUE(found["findings"].empty()) << found.dump();
      continue;
    }
    ASSERT_EQ(found["findings"].size(), 1u) << found.dump();
    const json& f = found["findings"][0];
    EXPECT_EQ(f["kind"], "alembic-tmp");
    EXPECT_EQ(f["object"], "table _alembic_tmp_t");
    const std::string problem = f["problem"];
    if (t_missing) {
      EXPECT_NE(problem.find("t is missing, the temporary holds its 3 rows"), std::string::npos)
          << problem;
      EXPECT_NE(problem.find("alembic_version still holds aaa"), std::string::npos) << problem;
      EXPECT_EQ(f["fix"], "rename _alembic_tmp_t to t, as the batch would have");
    } else {
      EXPECT_NE(problem.find("t still exists with 3 rows"), std::string::npos) << problem;
      EXPECT_EQ(f["fix"], "drop _alembic_tmp_t (t is the table in use)");
    }

    json fixed = Fix(0);
    EXPECT_EQ(fixed["findings"][0]["fixed"], true) << fixed.dump();
    EXPECT_EQ(Tables(), (std::vector<std::string>{"alembic_version", "c", "t"}));
    EXPECT_EQ(Query(db(), "SELECT id, name FROM t"), kTRows);
    EXPECT_EQ(Query(db(), "PRAGMA foreign_key_check"), std::vector<std::string>{});
    EXPECT_EQ(Query(db(), "SELECT version_num FROM alembic_version"),
              std::vector<std::string>{"aaa"});
    Examine(0);
    if (t_missing) {
      // The batch's shape, without what it would have done after the
      // rename: the revision is left for the user to finish and stamp.
      EXPECT_EQ(Query(db(), "SELECT code FROM t"), (std::vector<std::string>{"x", "x", "x"}));
      continue;
    }
    // Everything the kill left is gone: the upgrade runs again to the file
    // an uninterrupted run gives.
    auto resumed = Alembic("upgrade head");
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    testutil::Aspects content{.header = false, .integrity = true};
    EXPECT_EQ(testutil::DiffImages(finished, Image(db()), content), "");
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, KilledBatchTest,
                         ::testing::Values(Mode::kPysqlite, Mode::kAutocommit),
                         [](const auto& info) {
                           return info.param == Mode::kPysqlite ? "Pysqlite" : "Autocommit";
                         });

// A rename-first revision (ALTER TABLE t RENAME TO t__old; CREATE TABLE t;
// copy; DROP TABLE t__old) stopped before its DROP. SQLite 3.26+ moved c's
// REFERENCES to t__old with the rename.
class RenameFirstTest : public DoctorAfterAlembicTest {
 protected:
  void MakeRenameFirst(Mode mode) {
    std::string file = RevisionHead("bbb", "aaa") + "def upgrade():\n";
    for (const auto& statement : kRenameFirst) {
      file += "    op.execute(" + migrate::testing::PythonString(statement) + ")\n";
    }
    // A view and a trigger that name t: the rename moves them to t__old too.
    Make(file, mode,
         "CREATE VIEW t_names AS SELECT name FROM t;"
         "CREATE TRIGGER c_touch AFTER INSERT ON c BEGIN "
         "UPDATE t SET name = name WHERE id = new.t_id; END;");
  }

  // What doctor says of t__old, and that --fix leaves it, writing nothing;
  // then the user drops it and --fix points c at t.
  void ExpectLeftoverThenRepair(const std::string& rows) {
    json found = Examine(1);
    ASSERT_EQ(found["findings"].size(), 1u) << found.dump();
    const json& f = found["findings"][0];
    EXPECT_EQ(f["kind"], "leftover-table");
    EXPECT_EQ(f["object"], "table t__old");
    const std::string problem = f["problem"];
    EXPECT_NE(problem.find("beside its replacement t: 3 rows in t__old, " + rows + " in t"),
              std::string::npos)
        << problem;
    EXPECT_NE(problem.find("the foreign keys of c name it"), std::string::npos) << problem;
    EXPECT_TRUE(f["fix"].is_null());
    EXPECT_NE(f["left"].get<std::string>().find("DROP TABLE it yourself"), std::string::npos);

    const testutil::Snapshot before = testutil::TakeSnapshot(db());
    const std::vector<std::string> listing = testutil::ListDir(project_->dir());
    json fixed = Fix(1);
    EXPECT_EQ(fixed["findings"][0]["fixed"], false);
    EXPECT_FALSE(fixed.contains("backup")) << fixed.dump();
    EXPECT_TRUE(testutil::TakeSnapshot(db()) == before) << "--fix wrote a file it could not fix";
    EXPECT_EQ(testutil::ListDir(project_->dir()), listing);

    // The user keeps t's rows (copying what is missing) and drops t__old:
    // c's foreign key then dangles, and doctor --fix repairs it.
    testutil::ExecSql(db(), "INSERT OR IGNORE INTO t(id, name, code) "
                            "SELECT id, coalesce(name, '?'), upper(name) FROM t__old;"
                            "DROP TABLE t__old;");
    json dangling = Examine(1);
    ASSERT_EQ(dangling["findings"].size(), 1u) << dangling.dump();
    EXPECT_EQ(dangling["findings"][0]["kind"], "dangling");
    EXPECT_EQ(dangling["findings"][0]["object"], "table c, view t_names, trigger c_touch");
    EXPECT_EQ(dangling["findings"][0]["problem"], "names the missing table t__old");
    json repaired = Fix(0);
    EXPECT_EQ(repaired["findings"][0]["fixed"], true);
    EXPECT_EQ(Query(db(), "SELECT \"table\" FROM pragma_foreign_key_list('c')"),
              std::vector<std::string>{"t"});
    EXPECT_EQ(Query(db(), "PRAGMA foreign_key_check"), std::vector<std::string>{});
    EXPECT_EQ(Query(db(), "SELECT count(*) FROM t_names"), std::vector<std::string>{"3"});
    testutil::ExecSql(db(), "INSERT INTO c VALUES (9, 1);");
    Examine(0);
  }
};

TEST_F(RenameFirstTest, StoppedByAFailingCopy) {
  MakeRenameFirst(Mode::kPysqlite);
  testutil::ExecSql(db(), "UPDATE t SET name = NULL WHERE id = 2;");
  auto failed = Alembic("upgrade head");
  ASSERT_NE(failed.exit_code, 0);
  EXPECT_NE(failed.err.find("NOT NULL constraint failed: t.name"), std::string::npos) << failed.err;
  ExpectLeftoverThenRepair("0 rows");
}

// Killed before DROP TABLE t__old: with pysqlite's transactions the copy
// was in the transaction the kill rolled back; in autocommit mode it stays.
TEST_F(RenameFirstTest, KilledBeforeTheDrop) {
  for (Mode mode : {Mode::kPysqlite, Mode::kAutocommit}) {
    SCOPED_TRACE(mode == Mode::kPysqlite ? "pysqlite" : "autocommit");
    MakeRenameFirst(mode);
    Restart();
    auto whole = Alembic("upgrade head", 0);
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    std::vector<std::string> statements = Statements();
    auto drop = std::find(statements.begin(), statements.end(), "DROP TABLE t__old");
    ASSERT_NE(drop, statements.end());
    Restart();
    auto killed = Alembic("upgrade head", static_cast<int>(drop - statements.begin()) + 1);
    ASSERT_EQ(killed.exit_code, 128 + 9) << killed.err;
    ExpectLeftoverThenRepair(mode == Mode::kPysqlite ? "0 rows" : "3 rows");
  }
}

}  // namespace
}  // namespace sqlmend
