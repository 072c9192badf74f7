// --help and the man page, which the build writes from the same CLI11 app
// (src/cli/help.h): the top level names both halves of sqlmend and groups
// its commands, every subcommand's help ends with examples, and the rendered
// sqlmend.1 lists exactly the flags --help lists, command by command.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "base/status.h"
#include "testutil/testutil.h"

namespace sqlmend {
namespace {

using testutil::RunCommand;
using testutil::RunSqlmend;
using testutil::ShellQuote;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The subcommands --help lists under `group` ("Repair commands:").
std::vector<std::string> Group(const std::string& help, const std::string& group) {
  std::vector<std::string> names;
  bool inside = false;
  for (const std::string& line : Lines(help)) {
    if (line == group) {
      inside = true;
    } else if (inside && line.rfind("  ", 0) == 0) {
      names.push_back(line.substr(2, line.find(' ', 2) - 2));
    } else if (inside) {
      break;
    }
  }
  return names;
}

std::vector<std::string> Subcommands() {
  auto help = RunSqlmend("--help");
  std::vector<std::string> all = Group(help.out, "Repair commands:");
  for (const auto& name : Group(help.out, "Alembic commands:")) all.push_back(name);
  return all;
}

// The flags an option list defines: on each line whose first non-blank
// character is '-', the comma-separated flags at its start ("-j,--jobs N"
// in --help, "-j, --jobs N" in the rendered man page). Lines of prose and
// of examples start otherwise.
std::set<std::string> DefinedFlags(const std::vector<std::string>& lines) {
  static const std::regex kFlag(R"(^(--?[A-Za-z][A-Za-z0-9-]*)(, ?|,|$| ))");
  std::set<std::string> flags;
  for (const std::string& line : lines) {
    size_t start = line.find_first_not_of(' ');
    if (start == std::string::npos || line[start] != '-') continue;
    std::string rest = line.substr(start);
    std::smatch m;
    while (std::regex_search(rest, m, kFlag)) {
      flags.insert(m[1]);
      if (m[2] != "," && m[2] != ", " ) break;
      rest = m.suffix();
    }
  }
  return flags;
}

// `sqlmend [sub] --help`, up to its examples.
std::set<std::string> HelpFlags(const std::string& sub) {
  auto run = RunSqlmend(sub + " --help");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> lines;
  for (const std::string& line : Lines(run.out)) {
    if (line == "Examples:") break;
    lines.push_back(line);
  }
  return DefinedFlags(lines);
}

// sqlmend.1 as `man` shows it, split into the global options (key "") and
// one block per subcommand (the .SS headings, indented by three spaces).
std::map<std::string, std::vector<std::string>> ManBlocks() {
  auto run = RunCommand("MANWIDTH=200 MANPAGER=cat MAN_KEEP_FORMATTING= man -l " +
                        ShellQuote(SQLMEND_MANPAGE));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  std::map<std::string, std::vector<std::string>> blocks;
  std::string section, block;
  bool in_block = false;
  for (const std::string& line : Lines(run.out)) {
    if (!line.empty() && line[0] != ' ') {
      section = line;
      in_block = section == "OPTIONS";
      block = "";
      continue;
    }
    if (section.find("COMMANDS") != std::string::npos && line.rfind("   ", 0) == 0 &&
        line.size() > 3 && line[3] != ' ') {
      block = line.substr(3);
      in_block = true;
      blocks[block];
      continue;
    }
    if (in_block) blocks[block].push_back(line);
  }
  return blocks;
}

TEST(HelpTest, TopLevelNamesBothHalvesAndGroupsTheCommands) {
  auto run = RunSqlmend("--help");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("repair SQLite databases"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("run Alembic migrations"), std::string::npos) << run.out;
  size_t repair = run.out.find("Repair commands:");
  size_t alembic = run.out.find("Alembic commands:");
  ASSERT_NE(repair, std::string::npos) << run.out;
  ASSERT_NE(alembic, std::string::npos) << run.out;
  EXPECT_LT(repair, alembic);
  EXPECT_EQ(Group(run.out, "Repair commands:"),
            (std::vector<std::string>{"check-fk", "fix-fk", "doctor", "dump"}));
  std::vector<std::string> alembic_commands = Group(run.out, "Alembic commands:");
  for (const char* verb : {"upgrade", "downgrade", "stamp", "current", "history", "heads",
                           "revision", "merge", "init"}) {
    EXPECT_NE(std::find(alembic_commands.begin(), alembic_commands.end(), verb),
              alembic_commands.end())
        << verb;
  }
  // The hidden entries stay hidden.
  EXPECT_EQ(run.out.find("__complete"), std::string::npos);
  EXPECT_EQ(run.out.find("__man"), std::string::npos);
}

TEST(HelpTest, EveryHelpEndsWithRealExamples) {
  std::vector<std::string> subs = Subcommands();
  ASSERT_GE(subs.size(), 16u);
  subs.push_back("");  // the top level too
  for (const std::string& sub : subs) {
    auto run = RunSqlmend(sub + " --help");
    ASSERT_EQ(run.exit_code, 0) << sub << run.err;
    std::vector<std::string> lines = Lines(run.out);
    auto examples = std::find(lines.begin(), lines.end(), "Examples:");
    ASSERT_NE(examples, lines.end()) << sub << ":\n" << run.out;
    int commands = 0;
    for (auto it = examples + 1; it != lines.end(); ++it) {
      if (it->rfind("  sqlmend ", 0) == 0) ++commands;
    }
    EXPECT_GE(commands, 2) << sub << ":\n" << run.out;
    EXPECT_LE(commands, 3) << sub << ":\n" << run.out;
  }
  // The seed flow is among them.
  EXPECT_NE(RunSqlmend("upgrade --help").out.find(
                "sqlmend -c data_development/config.ini upgrade head"),
            std::string::npos);
  EXPECT_NE(RunSqlmend("fix-fk --help").out.find("sqlmend fix-fk app.sqlite --stamp 0c3414079bfe"),
            std::string::npos);
  EXPECT_NE(RunSqlmend("check-fk --help").out.find("-j 2 --json backups/"), std::string::npos);
}

TEST(ManPageTest, ListsTheFlagsHelpLists) {
  auto blocks = ManBlocks();
  std::vector<std::string> subs = Subcommands();
  std::set<std::string> man_subs;
  for (const auto& [name, lines] : blocks) {
    if (!name.empty()) man_subs.insert(name);
  }
  EXPECT_EQ(man_subs, std::set<std::string>(subs.begin(), subs.end()));

  std::set<std::string> global = HelpFlags("");
  EXPECT_TRUE(global.count("--config") && global.count("-x") && global.count("--version"));
  EXPECT_EQ(DefinedFlags(blocks[""]), global) << "global options";
  for (const std::string& sub : subs) {
    std::set<std::string> help = HelpFlags(sub);
    EXPECT_TRUE(help.count("--help")) << sub;
    EXPECT_EQ(DefinedFlags(blocks[sub]), help) << sub;
  }
}

TEST(ManPageTest, TheFlagCheckSeesAMissingFlag) {
  // The comparison above must fail when a flag is left out of one side.
  std::vector<std::string> man = {"       -j, --jobs N", "              Files in parallel",
                                  "       --json"};
  std::vector<std::string> help = {"  -j,--jobs N   Files in parallel", "  --json",
                                   "  --no-resume"};
  EXPECT_NE(DefinedFlags(man), DefinedFlags(help));
  EXPECT_EQ(DefinedFlags(man), (std::set<std::string>{"-j", "--jobs", "--json"}));
}

TEST(ManPageTest, ExitStatusIsTheExitCodeTable) {
  auto run = RunCommand("MANWIDTH=200 MANPAGER=cat man -l " + ShellQuote(SQLMEND_MANPAGE));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  size_t exit_status = run.out.find("EXIT STATUS");
  ASSERT_NE(exit_status, std::string::npos);
  for (base::Code code : base::kAllCodes) {
    std::string meaning(base::ExitCodeMeaning(code));
    std::string first_words = meaning.substr(0, meaning.find(' ', 12));
    EXPECT_NE(run.out.find(first_words, exit_status), std::string::npos) << first_words;
  }
  EXPECT_NE(run.out.find("255", exit_status), std::string::npos);
}

}  // namespace
}  // namespace sqlmend
