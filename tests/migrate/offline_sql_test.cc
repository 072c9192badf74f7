// WriteOfflineSql against the real `alembic <verb> --sql` (Alembic 1.8.1,
// SQLite): for linear, branched and merged projects whose revisions run
// op.execute() only, every script must match Alembic's stdout byte for
// byte: the version table's CREATE and DROP, "-- Running" lines, the
// statements as text() compiles them, and the INSERT/UPDATE/DELETE rows.
#include <gtest/gtest.h>

#include <sstream>

#include "alembic_project.h"
#include "graph/plan.h"
#include "migrate/runner.h"

namespace sqlmend::migrate {
namespace {

using testing::AlembicProject;
using testing::Rev;

// One `--sql` command and the plan sqlmend makes for it.
struct OfflineCase {
  std::string alembic;                   // arguments after `alembic`
  std::vector<std::string> start;        // starting heads (the range's left side)
  enum Verb { kUpgrade, kDowngrade, kStamp } verb;
  std::vector<std::string> destination;  // one, or stamp's targets
};

std::string Ours(const script::ScriptDirectory& scripts, const OfflineCase& c,
                 const Target& target = {}) {
  base::Result<graph::Plan> plan =
      c.verb == OfflineCase::kUpgrade
          ? graph::PlanUpgrade(scripts.map(), c.start, c.destination[0])
      : c.verb == OfflineCase::kDowngrade
          ? graph::PlanDowngrade(scripts.map(), c.start, c.destination[0])
          : graph::PlanStamp(scripts.map(), c.start, c.destination, false);
  if (!plan) return "FAILED: " + plan.error().message();
  std::ostringstream out;
  base::Status status = WriteOfflineSql(target, *plan, c.start, scripts, out);
  if (!status.ok()) return "ERROR: " + status.ToString();
  return out.str();
}

void ExpectSameAsAlembic(const std::vector<Rev>& revisions, const std::vector<OfflineCase>& cases) {
  AlembicProject project(revisions);
  std::vector<std::string> lines;
  for (const auto& c : cases) lines.push_back(c.alembic);
  std::vector<std::string> theirs = project.Alembic(lines);
  auto scripts = project.Load();
  ASSERT_TRUE(scripts) << scripts.error().ToString();
  ASSERT_EQ(theirs.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(Ours(*scripts, cases[i]), theirs[i]) << "alembic " << cases[i].alembic;
  }
}

TEST(OfflineSqlTest, LinearProjectMatchesAlembic) {
  ExpectSameAsAlembic(
      {
          Rev{"a1", {}, {"CREATE TABLE t1 (id INTEGER PRIMARY KEY,\n\tname TEXT)  "},
              {"DROP TABLE t1"}, "create t1"},
          Rev{"b2", {"a1"}, {"ALTER TABLE t1 ADD COLUMN note TEXT", "INSERT INTO t1 VALUES (1, 'a:b', '')"},
              {"ALTER TABLE t1 DROP COLUMN note"}},
          Rev{"c3", {"b2"},
              {"SELECT 100%, 'x\\:y', \"q\"", "DROP TABLE t2;", "\n  SELECT 1 -- c\n\n",
               "SELECT :x, x::int, :y:"},
              {}},
      },
      {
          {"upgrade head --sql", {}, OfflineCase::kUpgrade, {"head"}},
          {"upgrade a1:head --sql", {"a1"}, OfflineCase::kUpgrade, {"head"}},
          {"upgrade b2 --sql", {}, OfflineCase::kUpgrade, {"b2"}},
          {"downgrade c3:base --sql", {"c3"}, OfflineCase::kDowngrade, {"base"}},
          {"downgrade c3:a1 --sql", {"c3"}, OfflineCase::kDowngrade, {"a1"}},
          {"downgrade base:base --sql", {}, OfflineCase::kDowngrade, {"base"}},
          {"stamp b2 --sql", {}, OfflineCase::kStamp, {"b2"}},
          {"stamp a1:c3 --sql", {"a1"}, OfflineCase::kStamp, {"c3"}},
          {"stamp c3:base --sql", {"c3"}, OfflineCase::kStamp, {"base"}},
          {"stamp base --sql", {}, OfflineCase::kStamp, {"base"}},
      });
}

// NOTE: a merge whose parents are not the only heads (another branch is
// present) deletes and updates its parents' rows in Python set order, which
// changes with PYTHONHASHSEED; those trees are left out of byte comparisons
// (the graph module's differential test covers them order-free).
TEST(OfflineSqlTest, BranchedAndMergedProjectMatchesAlembic) {
  ExpectSameAsAlembic(
      {
          Rev{"root", {}, {"CREATE TABLE r (x)"}, {"DROP TABLE r"}},
          Rev{"left", {"root"}, {"CREATE TABLE l (x)"}, {"DROP TABLE l"}, "left side"},
          Rev{"right", {"root"}, {"CREATE TABLE rt (x)"}, {"DROP TABLE rt"}},
          Rev{"merge", {"left", "right"}, {"CREATE VIEW v AS SELECT * FROM l, rt"},
              {"DROP VIEW v"}, "merge the two"},
          Rev{"after", {"merge"}, {"CREATE TABLE a2 (x)"}, {"DROP TABLE a2"}},
      },
      {
          {"upgrade heads --sql", {}, OfflineCase::kUpgrade, {"heads"}},
          {"upgrade left --sql", {}, OfflineCase::kUpgrade, {"left"}},
          {"upgrade left:merge --sql", {"left"}, OfflineCase::kUpgrade, {"merge"}},
          {"upgrade root:heads --sql", {"root"}, OfflineCase::kUpgrade, {"heads"}},
          {"upgrade root:left --sql", {"root"}, OfflineCase::kUpgrade, {"left"}},
          {"downgrade merge:root --sql", {"merge"}, OfflineCase::kDowngrade, {"root"}},
          {"downgrade after:base --sql", {"after"}, OfflineCase::kDowngrade, {"base"}},
          {"downgrade merge:left --sql", {"merge"}, OfflineCase::kDowngrade, {"left"}},
          {"stamp merge --sql", {}, OfflineCase::kStamp, {"merge"}},
          {"stamp left right --sql", {}, OfflineCase::kStamp, {"left", "right"}},
          {"stamp merge:root --sql", {"merge"}, OfflineCase::kStamp, {"root"}},
          {"stamp left:right --sql", {"left"}, OfflineCase::kStamp, {"right"}},
      });
}

TEST(OfflineSqlTest, TwoBasesAndADependencyMatchAlembic) {
  ExpectSameAsAlembic(
      {
          Rev{"users", {}, {"CREATE TABLE users (id INTEGER PRIMARY KEY)"}, {"DROP TABLE users"}},
          Rev{"audit", {}, {"CREATE TABLE audit (at TEXT)"}, {"DROP TABLE audit"}, "audit log"},
          Rev{"email", {"users"}, {"ALTER TABLE users ADD COLUMN email TEXT"},
              {"ALTER TABLE users DROP COLUMN email"}, "", {"audit"}},
          Rev{"trig", {"email"},
              {"CREATE TRIGGER log AFTER INSERT ON users BEGIN\n\tINSERT INTO audit VALUES "
               "(datetime('now'));\nEND"},
              {"DROP TRIGGER log"}},
      },
      {
          {"upgrade heads --sql", {}, OfflineCase::kUpgrade, {"heads"}},
          {"upgrade email --sql", {}, OfflineCase::kUpgrade, {"email"}},
          {"upgrade users:trig --sql", {"users"}, OfflineCase::kUpgrade, {"trig"}},
          {"downgrade trig:users --sql", {"trig"}, OfflineCase::kDowngrade, {"users"}},
          {"stamp audit --sql", {}, OfflineCase::kStamp, {"audit"}},
          {"stamp users:audit --sql", {"users"}, OfflineCase::kStamp, {"audit"}},
      });
}

// A version table with a schema and a name SQLAlchemy must quote, as env.py
// can configure it; Alembic's output is checked once, here.
TEST(OfflineSqlTest, QuotedVersionTableMatchesAlembic) {
  AlembicProject project({Rev{"a1", {}, {"CREATE TABLE t (x)"}, {"DROP TABLE t"}},
                          Rev{"b2", {"a1"}, {}, {}}});
  std::string env = testutil::ReadFile(project.dir() + "/alembic/env.py");
  const std::string key = "literal_binds=True,";
  env.replace(env.find(key), key.size(),
              key + " version_table=\"My Version\", version_table_schema=\"aux\",");
  testutil::WriteFile(project.dir() + "/alembic/env.py", env);
  auto theirs = project.Alembic({"upgrade head --sql", "downgrade b2:base --sql"});
  auto scripts = project.Load();
  ASSERT_TRUE(scripts) << scripts.error().ToString();
  Target target;
  target.version_table = "My Version";
  target.version_table_schema = "aux";
  EXPECT_EQ(Ours(*scripts, {"", {}, OfflineCase::kUpgrade, {"head"}}, target), theirs[0]);
  EXPECT_EQ(Ours(*scripts, {"", {"b2"}, OfflineCase::kDowngrade, {"base"}}, target), theirs[1]);
}

TEST(OfflineSqlTest, WritesNothingWhenABodyCannotBeRead) {
  AlembicProject project({Rev{"a1", {}, {"CREATE TABLE t (x)"}, {}}});
  testutil::WriteFile(project.dir() + "/alembic/versions/a1_r.py",
                      testing::RevisionFile(Rev{"a1", {}, {}, {}}) +
                          "\n\ndef upgrade():\n    op.create_table('t')\n");
  auto scripts = project.Load();
  ASSERT_TRUE(scripts) << scripts.error().ToString();
  auto plan = graph::PlanUpgrade(scripts->map(), {}, "head");
  ASSERT_TRUE(plan);
  std::ostringstream out;
  base::Status status = WriteOfflineSql({}, *plan, {}, *scripts, out);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace sqlmend::migrate
