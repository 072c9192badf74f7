// The fleet command line end to end (the built binary): one JSON line per
// file then a summary whose counts match the tree, the human summary, the
// exit code, and a single file keeping the single-file output.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>

#include "batch/fleet_tree.h"
#include "testutil/corpus.h"
#include "testutil/testutil.h"

namespace sqlmend::batch {
namespace {

using testutil::RunSqlmend;
using testutil::ShellQuote;

class FleetCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fleet_tree::Broken(At("b1.db"));
    fleet_tree::Broken(At("x/b2.db"));
    fleet_tree::Healthy(At("x/y/h.db"));
    fleet_tree::Unresolvable(At("u.db"));
    testutil::WriteFile(At("x/notes.txt"), "hello");
  }
  std::string At(const std::string& relative) const { return dir_.File("t/" + relative); }
  std::string Root() const { return dir_.File("t"); }
  testutil::TempDir dir_;
};

std::vector<nlohmann::json> JsonLines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    auto parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(parsed.is_discarded()) << line;
    lines.push_back(parsed);
  }
  return lines;
}

TEST_F(FleetCliTest, JsonGivesOneLinePerFileAndAMatchingSummary) {
  auto run = RunSqlmend("fix-fk " + ShellQuote(Root()) + " --stamp rev9 --json -j 2");
  EXPECT_EQ(run.exit_code, 3) << run.err;  // the unresolvable file
  auto lines = JsonLines(run.out);
  ASSERT_EQ(lines.size(), 6u) << run.out;
  std::map<std::string, std::string> outcomes;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    outcomes[lines[i]["path"]] = lines[i]["outcome"];
    EXPECT_TRUE(lines[i].contains("bytes"));
    EXPECT_TRUE(lines[i].contains("seconds"));
    EXPECT_TRUE(lines[i].contains("error"));
  }
  std::map<std::string, std::string> expected = {
      {At("b1.db"), "fixed"},     {At("x/b2.db"), "fixed"},        {At("x/y/h.db"), "healthy"},
      {At("u.db"), "refused"},    {At("x/notes.txt"), "skipped"},
  };
  EXPECT_EQ(outcomes, expected);
  const auto& summary = lines.back()["summary"];
  EXPECT_EQ(summary["files"], 5);
  EXPECT_EQ(summary["fixed"], 2);
  EXPECT_EQ(summary["healthy"], 1);
  EXPECT_EQ(summary["refused"], 1);
  EXPECT_EQ(summary["skipped"], 1);
  EXPECT_EQ(summary["exit_code"], 3);
  for (const auto& line : lines) {
    if (line.contains("outcome") && line["outcome"] == "fixed") {
      EXPECT_EQ(line["stamped"], "rev9");
      EXPECT_EQ(line["previous_heads"], nlohmann::json::array());
      EXPECT_EQ(line["names"][0]["missing"], "users__old");
      EXPECT_EQ(line["names"][0]["target"], "users");
    }
  }

  // The rerun: everything done earlier, the refused file still refused.
  auto again = RunSqlmend("fix-fk " + ShellQuote(Root()) + " --stamp rev9 --json");
  EXPECT_EQ(again.exit_code, 3);
  auto rerun = JsonLines(again.out);
  ASSERT_FALSE(rerun.empty());
  EXPECT_EQ(rerun.back()["summary"]["done-earlier"], 4);
}

TEST_F(FleetCliTest, HumanSummaryListsRefusedAndSkippedFiles) {
  auto run = RunSqlmend("check-fk " + ShellQuote(At("b1.db")) + " " + ShellQuote(At("u.db")) +
                        " " + ShellQuote(Root() + "/x/*.txt"));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.out.find("1 damaged, 1 refused, 1 skipped"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("refused:\n  " + At("u.db") + ": cannot resolve zz_gone"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find(At("x/notes.txt") + ": not a database"), std::string::npos) << run.out;
  EXPECT_TRUE(run.err.empty()) << run.err;  // no progress line off a terminal
}

TEST_F(FleetCliTest, OneFileKeepsTheSingleFileOutput) {
  auto run = RunSqlmend("check-fk " + ShellQuote(At("b1.db")) + " --json");
  EXPECT_EQ(run.exit_code, 1);
  auto lines = JsonLines(run.out);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["outcome"], "damaged");
  EXPECT_FALSE(lines[0].contains("summary"));
  EXPECT_FALSE(std::filesystem::exists(Root() + "/.sqlmend-journal.jsonl"));
}

TEST_F(FleetCliTest, OutputIsRefusedForManyFiles) {
  auto run = RunSqlmend("fix-fk " + ShellQuote(Root()) + " --output " + ShellQuote(dir_.File("o.db")));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--output"), std::string::npos) << run.err;
}

// Over a folder, a parent with generated columns (VIRTUAL and STORED) is
// repaired like any other, and a copy SQLite cannot build (an expression
// index calling a function only the application defines) is a failure of
// the build, exit 6, in every copy: never "refused".
TEST(FleetBuildTest, GeneratedColumnsAreFixedAndBuildFailuresAreNotRefusals) {
  testutil::TempDir dir;
  const std::string generated = std::string(fleet_tree::kSetup) + R"(
ALTER TABLE users RENAME TO users__old;
CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL, upper_name TEXT AS (upper(name)) VIRTUAL,
                   name_len INTEGER AS (length(name)) STORED);
INSERT INTO users(id, name) SELECT id, name FROM users__old;
DROP TABLE users__old;
)";
  // The generated column with a UNIQUE index sends handles down the row
  // path, where SQLite would have to call regexp() for the index.
  const std::string unbuildable = std::string(fleet_tree::kSetup) + R"(
CREATE TABLE handles(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), h TEXT UNIQUE,
                     n INTEGER AS (length(h)) STORED);
CREATE INDEX handles_by_match ON handles(regexp('^a', h));
INSERT INTO handles(user_id, h) VALUES (1, 'ann'), (2, 'bob');
)" + fleet_tree::kMigrate;
  for (const char* name : {"g1.db", "g2.db"}) testutil::ExecSql(dir.File(name), generated);
  for (const char* name : {"r1.db", "r2.db"}) ASSERT_OK(testutil::LoadSql(dir.File(name), unbuildable));

  auto run = RunSqlmend("fix-fk -j 1 --json " + ShellQuote(dir.path()));
  EXPECT_EQ(run.exit_code, 6) << run.out << run.err;
  auto lines = JsonLines(run.out);
  ASSERT_EQ(lines.size(), 5u) << run.out;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    const std::string path = lines[i]["path"];
    SCOPED_TRACE(path);
    if (path.find("/g") != std::string::npos) {
      EXPECT_EQ(lines[i]["outcome"], "fixed");
    } else {
      EXPECT_EQ(lines[i]["outcome"], "error");
      EXPECT_NE(lines[i]["error"].get<std::string>().find("regexp() belongs to the application"),
                std::string::npos)
          << lines[i].dump();
    }
  }
  const auto& summary = lines.back()["summary"];
  EXPECT_EQ(summary["fixed"], 2);
  EXPECT_EQ(summary["error"], 2);
  EXPECT_EQ(summary.value("refused", 0), 0);
  EXPECT_EQ(summary["exit_code"], 6);
  for (const char* name : {"g1.db", "g2.db"}) {
    EXPECT_EQ(testutil::Query(dir.File(name), "SELECT id, name_len FROM users"),
              (std::vector<std::string>{"1|1", "2|1"}));
    EXPECT_EQ(testutil::Query(dir.File(name), "PRAGMA foreign_key_check"), std::vector<std::string>{});
  }

  auto text = RunSqlmend("fix-fk -j 1 --no-resume " + ShellQuote(dir.path()));
  EXPECT_EQ(text.exit_code, 6) << text.out << text.err;
  EXPECT_EQ(text.out.find("refused"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(dir.File("r2.db") + ": "), std::string::npos) << text.out;
}

}  // namespace
}  // namespace sqlmend::batch
