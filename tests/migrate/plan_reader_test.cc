// RunPlan reading steps on a second thread while it applies the first ones
// (PlanReader): every outcome is the one reading everything first gives. A
// body that cannot be read undoes the run, however far application got, and
// outranks a failure on the file; a body that reads the database runs
// online with the interpreter to itself.
#include <gtest/gtest.h>

#include <filesystem>

#include "alembic_project.h"
#include "graph/plan.h"
#include "migrate/runner.h"
#include "migrate/step_sql.h"
#include "script/python_runtime.h"

namespace sqlmend::migrate {
namespace {

using testing::AlembicProject;
using testing::Rev;
using testutil::Query;
using testutil::TakeSnapshot;

constexpr char kRefusedBody[] = R"PY("""revision e5

"""
from alembic import op

revision = "e5"
down_revision = "d4"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE t5 (x)")
    op.run_async(lambda connection: None)


def downgrade():
    pass
)PY";

// Reads t1 and decides from what it finds: the step runs online.
constexpr char kReadingBody[] = R"PY("""revision c3

"""
from alembic import op
import sqlalchemy as sa

revision = "c3"
down_revision = "b2"
branch_labels = None
depends_on = None


def upgrade():
    count = op.get_bind().execute(sa.text("SELECT count(*) FROM t1")).scalar()
    op.execute("CREATE TABLE seen_%d (x)" % count)


def downgrade():
    pass
)PY";

std::vector<Rev> Chain() {
  return {
      Rev{"a1", {}, {"CREATE TABLE t1 (x)", "INSERT INTO t1 VALUES (1)"}, {}},
      Rev{"b2", {"a1"}, {"INSERT INTO t1 VALUES (2)"}, {}},
      Rev{"c3", {"b2"}, {"CREATE TABLE t3 (x)"}, {}},
      Rev{"d4", {"c3"}, {"CREATE TABLE t4 (x)"}, {}},
      Rev{"e5", {"d4"}, {"CREATE TABLE t5 (x)"}, {}},
      Rev{"f6", {"e5"}, {"CREATE TABLE t6 (x)"}, {}},
  };
}

class PlanReaderTest : public ::testing::TestWithParam<bool> {
 protected:
  void Make(const std::vector<std::pair<std::string, std::string>>& bodies) {
    project_ = std::make_unique<AlembicProject>(Chain());
    for (const auto& [id, text] : bodies) {
      testutil::WriteFile(project_->dir() + "/alembic/versions/" + id + "_r.py", text);
    }
    auto config = project_->Config();
    ASSERT_TRUE(config) << config.error().ToString();
    config_ = std::make_unique<config::AlembicConfig>(std::move(*config));
    auto scripts = script::ScriptDirectory::Load(*config_);
    ASSERT_TRUE(scripts) << scripts.error().ToString();
    scripts_ = std::make_unique<script::ScriptDirectory>(std::move(*scripts));
    auto runtime = script::PythonRuntime::Start(*config_, *scripts_, false);
    ASSERT_TRUE(runtime) << runtime.error().ToString();
    runtime_ = std::move(*runtime);
  }

  // `upgrade <destination>` from the file's heads, reading in the
  // background or not as the test parameter says.
  base::Status Upgrade(const std::string& destination, std::vector<std::string>* log = nullptr) {
    Target target;
    target.database = project_->db();
    auto heads = CurrentHeads(target);
    if (!heads) return heads.error();
    auto plan = graph::PlanUpgrade(scripts_->map(), *heads, destination);
    if (!plan) return plan.error();
    RunOptions options;
    options.python = runtime_.get();
    options.read_in_background = GetParam();
    if (log) options.log = [log](const std::string& line) { log->push_back(line); };
    return RunPlan(target, *plan, *scripts_, options);
  }

  std::string File(const std::string& id) const {
    return project_->dir() + "/alembic/versions/" + id + "_r.py";
  }

  std::unique_ptr<AlembicProject> project_;
  std::unique_ptr<config::AlembicConfig> config_;
  std::unique_ptr<script::ScriptDirectory> scripts_;
  std::unique_ptr<script::PythonRuntime> runtime_;
};

TEST_P(PlanReaderTest, AppliesEveryStepInOrder) {
  ASSERT_NO_FATAL_FAILURE(Make({{"c3", kReadingBody}}));
  std::vector<std::string> log;
  ASSERT_OK(Upgrade("head", &log));
  EXPECT_EQ(Query(project_->db(), "SELECT version_num FROM alembic_version"),
            std::vector<std::string>{"f6"});
  // c3 read the two rows a1 and b2 wrote before it ran.
  EXPECT_EQ(Query(project_->db(),
                  "SELECT name FROM sqlite_schema WHERE name LIKE 'seen%' OR name LIKE 't_'"
                  " ORDER BY name"),
            (std::vector<std::string>{"seen_2", "t1", "t4", "t5", "t6"}));
  ASSERT_EQ(log.size(), 8u);
  EXPECT_EQ(log[2], "Running upgrade  -> a1, revision a1");
  EXPECT_EQ(log[7], "Running upgrade e5 -> f6, revision f6");
}

TEST_P(PlanReaderTest, ABodyThatCannotBeReadUndoesTheRunAndLogsNothing) {
  ASSERT_NO_FATAL_FAILURE(Make({{"e5", kRefusedBody}}));
  ASSERT_OK(Upgrade("b2"));
  const auto before = TakeSnapshot(project_->db());
  std::vector<std::string> log;
  base::Status status = Upgrade("head", &log);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.object().rfind(File("e5") + ":14:5", 0), 0u) << status.ToString();
  EXPECT_TRUE(log.empty()) << log.front();
  EXPECT_EQ(TakeSnapshot(project_->db()), before);
}

TEST_P(PlanReaderTest, ABodyThatCannotBeReadOutranksAFailureOnTheFile) {
  ASSERT_NO_FATAL_FAILURE(Make({{"e5", kRefusedBody}}));
  ASSERT_OK(Upgrade("a1"));
  // b2 inserts into t1, which is gone: applying b2 fails on the file.
  testutil::ExecSql(project_->db(), "DROP TABLE t1");
  const auto before = TakeSnapshot(project_->db());
  base::Status status = Upgrade("head");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.object().rfind(File("e5") + ":14:5", 0), 0u) << status.ToString();
  EXPECT_EQ(TakeSnapshot(project_->db()), before);
}

TEST_P(PlanReaderTest, ABodyThatCannotBeReadLeavesNoNewFile) {
  ASSERT_NO_FATAL_FAILURE(Make({{"e5", kRefusedBody}}));
  EXPECT_FALSE(Upgrade("head").ok());
  EXPECT_FALSE(std::filesystem::exists(project_->db()));
}

INSTANTIATE_TEST_SUITE_P(Background, PlanReaderTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Background" : "First"; });

}  // namespace
}  // namespace sqlmend::migrate
