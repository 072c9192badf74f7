// Differential test against the real Alembic 1.8.1 (/usr/bin/alembic's
// package): each tree is written as an Alembic project (`alembic init -t
// generic`, one revision file per revision, an offline env.py), Alembic runs
// a batch of commands, and the graph module must list, order and plan the
// same: heads, heads --resolve-dependencies, history (also ranges),
// branches, and `upgrade/downgrade/stamp --sql` steps with their
// version-table effects, and the FAILED sentences of errors.
//
// Speed: one Python process runs every command of a tree through
// alembic.config.main (the function /usr/bin/alembic calls), so the suite
// pays Alembic's start-up once per tree instead of once per command.
// Order: Alembic reads revision files in os.listdir order, which is
// filesystem order; the driver prints that order and the test builds the
// RevisionMap in it.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "graph/history.h"
#include "graph/plan.h"
#include "graph/revision_map.h"
#include "graph_dump.h"
#include "testutil/testutil.h"

namespace sqlmend::graph {
namespace {

using testutil::RunCommand;
using testutil::ShellQuote;
using testutil::TempDir;
using testutil::WriteFile;

constexpr char kDriver[] = R"PY(
import os, shlex, shutil, sys
sys.stderr = sys.stdout
from alembic.config import main
main(argv=["init", "-t", "generic", "alembic"], prog="alembic")
with open("alembic/env.py", "w") as env:
    env.write(open("env.py.in").read())
for name in open("order.txt").read().split():
    shutil.copy(os.path.join("revs", name), "alembic/versions")
print("=== listdir")
for name in os.listdir("alembic/versions"):
    if name.endswith(".py"):
        print(name[:-len("_r.py")])
for line in open("commands.txt"):
    line = line.strip()
    print("=== " + line, flush=True)
    try:
        main(argv=shlex.split(line), prog="alembic")
    except SystemExit:
        pass
    sys.stdout.flush()
)PY";

// Offline env.py: `-x start=a,b` sets the version table's rows.
constexpr char kEnv[] = R"PY(
from alembic import context
x = context.get_x_argument(as_dictionary=True)
opts = {}
if x.get("start"):
    opts["starting_rev"] = tuple(x["start"].split(","))
context.configure(url="sqlite://", literal_binds=True, **opts)
with context.begin_transaction():
    context.run_migrations()
)PY";

std::string PythonValue(const std::vector<std::string>& items) {
  if (items.empty()) return "None";
  if (items.size() == 1) return "\"" + items[0] + "\"";
  std::string out = "(";
  for (const auto& item : items) out += "\"" + item + "\", ";
  return out + ")";
}

std::string RevisionFile(const Revision& revision) {
  return "\"\"\"" + revision.doc + "\n\n\"\"\"\nrevision = \"" + revision.id +
         "\"\ndown_revision = " + PythonValue(revision.down_revisions) +
         "\nbranch_labels = " + PythonValue(revision.branch_labels) +
         "\ndepends_on = " + PythonValue(revision.depends_on) +
         "\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n";
}

// One command, as Alembic's command line and as the graph module's answer.
struct Command {
  std::string line;  // alembic arguments
  std::function<std::string(const RevisionMap&)> ours;
};

std::string Ids(const std::vector<const Revision*>& revisions) {
  return testing::DumpRevisions(revisions);
}

std::string Failed(const base::Status& status) { return "FAILED: " + status.message(); }

Command HeadsCommand(bool resolve) {
  return {resolve ? "heads --resolve-dependencies" : "heads",
          [resolve](const RevisionMap& map) { return Ids(Heads(map, resolve)); }};
}

Command HistoryCommand(const std::string& range) {
  return {range.empty() ? "history" : "history -r=" + range, [range](const RevisionMap& map) {
            HistoryRange parsed;
            if (!range.empty()) parsed = *ParseHistoryRange(range);
            auto listed = History(map, parsed);
            return listed ? Ids(*listed) : Failed(listed.error());
          }};
}

Command BranchesCommand() {
  return {"branches", [](const RevisionMap& map) { return Ids(BranchPoints(map)); }};
}

std::string StartFlag(const std::vector<std::string>& start) {
  return start.empty() ? "" : "-x start=" + testing::JoinIds(start, ",") + " ";
}

std::string PlanText(const base::Result<Plan>& plan) {
  if (!plan) return Failed(plan.error());
  std::string out;
  for (const Step& step : plan->steps) {
    out += (out.empty() ? "" : "\n") + testing::DumpStepEffect(step);
  }
  return out;
}

Command UpgradeCommand(std::vector<std::string> start, std::string target) {
  return {StartFlag(start) + "upgrade " + target + " --sql",
          [start, target](const RevisionMap& map) {
            return PlanText(PlanUpgrade(map, start, target));
          }};
}

Command DowngradeCommand(std::vector<std::string> start, std::string target) {
  return {StartFlag(start) + "downgrade base:" + target + " --sql",
          [start, target](const RevisionMap& map) {
            return PlanText(PlanDowngrade(map, start, target));
          }};
}

Command StampCommand(std::vector<std::string> start, std::vector<std::string> targets) {
  std::string line = StartFlag(start) + "stamp --sql";
  for (const auto& target : targets) line += " base:" + target;
  return {line, [start, targets](const RevisionMap& map) {
            return PlanText(PlanStamp(map, start, targets, false));
          }};
}

// Turns Alembic's output for one command into the form our answer has.
std::string Normalize(const std::string& line, const std::string& output) {
  std::istringstream in(output);
  std::string text;
  std::vector<std::string> ids;
  std::string steps, removed, added, failed;
  std::vector<std::string> step_removed, step_added;
  std::string step_log;
  auto flush_step = [&] {
    if (step_log.empty()) return;
    std::sort(step_removed.begin(), step_removed.end());
    std::sort(step_added.begin(), step_added.end());
    std::string entry = step_log + " |";
    for (const auto& id : step_removed) entry += " -" + id;
    for (const auto& id : step_added) entry += " +" + id;
    steps += (steps.empty() ? "" : "\n") + entry;
    step_log.clear();
    step_removed.clear();
    step_added.clear();
  };
  auto quoted = [](const std::string& s, size_t from) {
    size_t open = s.find('\'', from);
    return s.substr(open + 1, s.find('\'', open + 1) - open - 1);
  };
  const bool is_plan = line.find("--sql") != std::string::npos;
  const bool is_branches = line == "branches";
  while (std::getline(in, text)) {
    if (text.rfind("FAILED: ", 0) == 0) return text;
    if (is_plan) {
      if (text.rfind("-- Running ", 0) == 0) {
        flush_step();
        step_log = text.substr(11);
      } else if (text.rfind("INSERT INTO alembic_version", 0) == 0) {
        step_added.push_back(quoted(text, 0));
      } else if (text.rfind("DELETE FROM alembic_version", 0) == 0) {
        step_removed.push_back(quoted(text, 0));
      } else if (text.rfind("UPDATE alembic_version", 0) == 0) {
        step_added.push_back(quoted(text, 0));
        step_removed.push_back(quoted(text, text.find("WHERE")));
      }
      continue;
    }
    if (text.empty() || text[0] == ' ' || text.rfind("INFO", 0) == 0) continue;
    if (is_branches || line.rfind("heads", 0) == 0) {
      ids.push_back(text.substr(0, text.find(' ')));
    } else {  // history: "<down> -> <id> ..."
      const size_t arrow = text.find(" -> ") + 4;
      ids.push_back(text.substr(arrow, text.find_first_of(" ,", arrow) - arrow));
    }
  }
  flush_step();
  return is_plan ? steps : testing::JoinIds(ids);
}

void RunDifferential(std::vector<Revision> revisions, const std::vector<Command>& commands) {
  TempDir dir;
  WriteFile(dir.File("driver.py"), kDriver);
  WriteFile(dir.File("env.py.in"), kEnv);
  std::string order, lines;
  RunCommand("mkdir -p " + ShellQuote(dir.File("revs")));
  for (Revision& revision : revisions) {
    if (revision.doc.empty()) revision.doc = "msg " + revision.id;
    WriteFile(dir.File("revs/" + revision.id + "_r.py"), RevisionFile(revision));
    order += revision.id + "_r.py\n";
  }
  for (const Command& command : commands) lines += command.line + "\n";
  WriteFile(dir.File("order.txt"), order);
  WriteFile(dir.File("commands.txt"), lines);
  auto run = RunCommand("cd " + ShellQuote(dir.path()) + " && /usr/bin/python3 driver.py 2>&1");
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;

  // Split the transcript into sections.
  std::map<std::string, std::string> sections;
  std::vector<std::string> listing;
  std::string current;
  std::istringstream in(run.out);
  for (std::string text; std::getline(in, text);) {
    if (text.rfind("=== ", 0) == 0) {
      current = text.substr(4);
      sections[current];
      continue;
    }
    if (current == "listdir") {
      listing.push_back(text);
    } else if (!current.empty()) {
      sections[current] += text + "\n";
    }
  }
  ASSERT_EQ(listing.size(), revisions.size()) << run.out;
  std::vector<Revision> ordered;
  for (const std::string& id : listing) {
    for (const Revision& revision : revisions) {
      if (revision.id == id) ordered.push_back(revision);
    }
  }
  auto map = RevisionMap::Build(ordered);
  ASSERT_TRUE(map.has_value()) << map.error().ToString();
  for (const Command& command : commands) {
    ASSERT_TRUE(sections.count(command.line)) << command.line << "\n" << run.out;
    EXPECT_EQ(command.ours(*map), Normalize(command.line, sections[command.line]))
        << "alembic " << command.line << "\nAlembic printed:\n"
        << sections[command.line];
  }
}

std::vector<Command> ListingCommands() {
  return {HeadsCommand(false), HeadsCommand(true), HistoryCommand(""), BranchesCommand()};
}

std::vector<Command> With(std::vector<Command> base, std::vector<Command> more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

TEST(AlembicDifferentialTest, LinearChain) {
  RunDifferential(
      {Rev("a001"), Rev("b002", {"a001"}), Rev("c003", {"b002"}), Rev("d004", {"c003"})},
      With(ListingCommands(), {HistoryCommand("b002:"),
                               HistoryCommand(":b002"),
                               HistoryCommand("-2:"),
                               HistoryCommand("d004:a001"),
                               HistoryCommand("a001+2:"),
                               UpgradeCommand({}, "head"),
                               UpgradeCommand({"a001"}, "+2"),
                               UpgradeCommand({"a001"}, "+9"),
                               UpgradeCommand({"a001"}, "b002+1"),
                               UpgradeCommand({}, "c0"),
                               UpgradeCommand({}, "zzzz"),
                               UpgradeCommand({"d004"}, "a001"),
                               DowngradeCommand({"d004"}, "base"),
                               DowngradeCommand({"d004"}, "-2"),
                               DowngradeCommand({"d004"}, "b002"),
                               DowngradeCommand({"b002"}, "d004"),
                               StampCommand({}, {"c003"}),
                               StampCommand({"a001"}, {"d004"}),
                               StampCommand({"d004"}, {"b002"}),
                               StampCommand({"d004"}, {"base"})}));
}

TEST(AlembicDifferentialTest, BranchesMergesAndLabels) {
  RunDifferential(
      {Rev("aaaa"), Rev("bbbb", {"aaaa"}), Rev("cccc", {"bbbb"}), Rev("dddd", {"bbbb"}),
       Rev("eeee", {"cccc", "dddd"}), Rev("ffff", {"cccc"}, {"side"}), Rev("gggg", {"ffff"})},
      With(ListingCommands(), {HistoryCommand("cccc:"),
                               HistoryCommand("bbbb:eeee"),
                               HistoryCommand("eeee:aaaa"),
                               HistoryCommand(":head"),
                               HistoryCommand("side@base:side@head"),
                               UpgradeCommand({}, "heads"),
                               UpgradeCommand({}, "head"),
                               UpgradeCommand({"bbbb"}, "eeee"),
                               UpgradeCommand({"eeee"}, "side@head"),
                               UpgradeCommand({"eeee"}, "side@+1"),
                               UpgradeCommand({"cccc", "dddd"}, "heads"),
                               UpgradeCommand({"dddd"}, "gggg"),
                               DowngradeCommand({"eeee", "gggg"}, "cccc"),
                               DowngradeCommand({"eeee"}, "bbbb"),
                               DowngradeCommand({"eeee", "gggg"}, "side@-1"),
                               DowngradeCommand({"eeee", "gggg"}, "base"),
                               DowngradeCommand({"eeee", "gggg"}, "side@base"),
                               StampCommand({"eeee"}, {"gggg"}),
                               StampCommand({"eeee", "gggg"}, {"bbbb"}),
                               StampCommand({}, {"heads"}),
                               StampCommand({}, {"head"}),
                               StampCommand({"dddd"}, {"cccc"})}));
}

TEST(AlembicDifferentialTest, DependsOnAcrossRoots) {
  RunDifferential(
      {Rev("a100", {}, {"lib"}), Rev("a200", {"a100"}), Rev("b100"),
       Rev("b200", {"b100"}, {}, {"a200"}), Rev("b300", {"b200"}, {}, {"lib"}),
       Rev("c100", {}, {}, {"b100"})},
      With(ListingCommands(),
           {HistoryCommand("b100:"), UpgradeCommand({}, "heads"), UpgradeCommand({}, "b200"),
            UpgradeCommand({"b100"}, "b300"), UpgradeCommand({}, "c100"),
            UpgradeCommand({}, "lib@head"), DowngradeCommand({"b300"}, "a100"),
            DowngradeCommand({"b300", "c100"}, "b100"), DowngradeCommand({"b300"}, "base"),
            StampCommand({}, {"b200"}), StampCommand({"b300"}, {"a100"})}));
}

TEST(AlembicDifferentialTest, PartialIdsAndErrors) {
  RunDifferential(
      {Rev("ae1027a6acf"), Rev("ae10bb"), Rev("27c6a30d7c24", {"ae1027a6acf"}),
       Rev("abc", {"27c6a30d7c24"})},
      With(ListingCommands(),
           {UpgradeCommand({}, "ae1027"), UpgradeCommand({}, "ae10"), UpgradeCommand({}, "27c"),
            UpgradeCommand({}, "27c6"), UpgradeCommand({}, "abc"), UpgradeCommand({}, "head"),
            UpgradeCommand({"27c6a30d7c24"}, "-1"), HistoryCommand("ae1027:"),
            HistoryCommand(":nope"), HistoryCommand("abc:ae1027a6acf")}));
}

// The graphs of plan_test.cc and history_test.cc, so their hand-written
// tables are the oracle's answers too.
TEST(AlembicDifferentialTest, UnitTestGraphs) {
  RunDifferential(
      {Rev("a"), Rev("b", {"a"}), Rev("c", {"b"}), Rev("d", {"b"}), Rev("e", {"c", "d"}),
       Rev("f", {"c"}, {"side"})},
      With(ListingCommands(),
           {HistoryCommand("c:"), HistoryCommand(":c"), HistoryCommand("b:e"),
            HistoryCommand("e:a"), HistoryCommand("-1:"), HistoryCommand(":nope"),
            HistoryCommand(":head"), UpgradeCommand({"b"}, "e"), UpgradeCommand({"e"}, "side@head"),
            UpgradeCommand({"e"}, "f"), DowngradeCommand({"e", "f"}, "c"),
            DowngradeCommand({"e"}, "b"), DowngradeCommand({"e", "f"}, "side@-1")}));
  RunDifferential({Rev("a1"), Rev("a2", {"a1"}), Rev("b1"), Rev("b2", {"b1"}, {}, {"a2"})},
                  {UpgradeCommand({}, "b2"), DowngradeCommand({"b2"}, "a1")});
  RunDifferential({Rev("a"), Rev("b", {"a"}), Rev("c", {"b"})},
                  {HistoryCommand("-1:"), HistoryCommand(":a+1"), UpgradeCommand({"a"}, "-1"),
                   UpgradeCommand({"c"}, "head"), DowngradeCommand({"c"}, "-4"),
                   DowngradeCommand({"c"}, "+1"), DowngradeCommand({"a"}, "c")});
  RunDifferential(
      {Rev("a"), Rev("b", {"a"}), Rev("c", {"b"}), Rev("x"), Rev("y", {"x"})},
      {StampCommand({}, {"c"}), StampCommand({"c"}, {"a"}), StampCommand({"c"}, {"y"}),
       StampCommand({"c", "y"}, {"base"}), StampCommand({"c", "y"}, {"c"}),
       StampCommand({}, {"c", "y"}), StampCommand({}, {"heads"}), StampCommand({}, {"nope"})});
}

}  // namespace
}  // namespace sqlmend::graph
