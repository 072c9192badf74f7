// Shell completion: `sqlmend __complete` answers from the CLI11 app and the
// project's script directory, and the bash, zsh and fish scripts in
// src/cli/completions show what it answers. Each shell is driven for real
// on fixtures/pyrev_corpus/inventory_naming, a project with a branch label
// (`reports`) and a merge; its revision ids come from `history --json`.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "testutil/testutil.h"

namespace sqlmend {
namespace {

namespace fs = std::filesystem;
using testutil::RunCommand;
using testutil::RunSqlmend;
using testutil::ShellQuote;

const std::string kProject = std::string(SQLMEND_FIXTURES) + "/pyrev_corpus/inventory_naming";
const std::string kCompletions = std::string(SQLMEND_SOURCE_DIR) + "/src/cli/completions";

std::set<std::string> Words(const std::string& text) {
  std::set<std::string> words;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) words.insert(line.substr(0, line.find('\t')));
  }
  return words;
}

// `cd project && <command>` with the built sqlmend first on PATH, as a shell
// user has it.
testutil::RunResult InProject(const std::string& command) {
  std::string bin_dir = fs::path(SQLMEND_BIN).parent_path().string();
  return RunCommand("cd " + ShellQuote(kProject) + " && PATH=" + ShellQuote(bin_dir) +
                    ":\"$PATH\" " + command);
}

// What a revision argument must offer: every id of the project, the label
// and its @head, and Alembic's symbols.
std::set<std::string> ExpectedRevisions() {
  auto history = InProject("sqlmend -c alembic.ini history --json");
  EXPECT_EQ(history.exit_code, 0) << history.out << history.err;
  std::set<std::string> expected = {"head", "heads", "base", "reports", "reports@head"};
  for (const auto& r : nlohmann::json::parse(history.out)) expected.insert(r["revision"]);
  EXPECT_EQ(expected.size(), 17u);  // 12 revisions and the five above
  return expected;
}

TEST(CompleteTest, SubcommandsFlagsAndChoices) {
  auto top = RunSqlmend("__complete ''");
  ASSERT_EQ(top.exit_code, 0) << top.err;
  std::set<std::string> words = Words(top.out);
  for (const char* sub : {"check-fk", "fix-fk", "dump", "upgrade", "downgrade", "stamp", "current",
                          "history", "heads", "revision", "merge", ":none"}) {
    EXPECT_TRUE(words.count(sub)) << sub << "\n" << top.out;
  }
  EXPECT_FALSE(words.count("__man"));
  EXPECT_NE(top.out.find("fix-fk\tRepair dangling references"), std::string::npos) << top.out;

  EXPECT_EQ(Words(RunSqlmend("__complete fix-fk --st").out),
            (std::set<std::string>{"--stamp", "--stamp-healthy", ":none"}));
  EXPECT_EQ(Words(RunSqlmend("__complete fix-fk --verify ''").out),
            (std::set<std::string>{"default", "full", ":none"}));
  EXPECT_EQ(Words(RunSqlmend("__complete fix-fk --verify=f").out),
            (std::set<std::string>{"--verify=full", ":none"}));
  EXPECT_EQ(Words(RunSqlmend("__complete init -t ''").out),
            (std::set<std::string>{"generic", "sql", ":none"}));
  EXPECT_EQ(Words(RunSqlmend("__complete check-fk -j 2 ''").out), (std::set<std::string>{":files"}));
  EXPECT_EQ(Words(RunSqlmend("__complete init ''").out), (std::set<std::string>{":dirs"}));
  std::set<std::string> globals = Words(RunSqlmend("__complete -").out);
  EXPECT_TRUE(globals.count("--config") && globals.count("-x") && globals.count("--version"));
  // No project here: no revisions, and nothing on stderr.
  auto none = RunCommand("cd / && " + ShellQuote(SQLMEND_BIN) + " __complete upgrade ''");
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_EQ(none.out, ":none\n");
  EXPECT_EQ(none.err, "");
}

TEST(CompleteTest, RevisionsFromTheScriptDirectory) {
  std::set<std::string> expected = ExpectedRevisions();
  expected.insert(":none");
  for (const char* line : {"-c alembic.ini upgrade ''", "-c alembic.ini downgrade ''",
                           "-c alembic.ini stamp ''", "-c alembic.ini show ''",
                           "-c alembic.ini merge heads ''", "-c alembic.ini history -r ''",
                           "-c alembic.ini fix-fk app.sqlite --stamp ''", "upgrade ''"}) {
    auto run = InProject(std::string("sqlmend __complete ") + line);
    EXPECT_EQ(Words(run.out), expected) << line;
  }
  auto labelled = InProject("sqlmend __complete -c alembic.ini upgrade rep");
  EXPECT_EQ(Words(labelled.out), (std::set<std::string>{"reports", "reports@head", ":none"}));
  auto with_env = InProject("ALEMBIC_CONFIG=alembic.ini sqlmend __complete stamp rep");
  EXPECT_EQ(Words(with_env.out), (std::set<std::string>{"reports", "reports@head", ":none"}));
}

// Runs the bash function as bash's `complete -F` would for `line` (the
// cursor at its end) and returns COMPREPLY, a word a line. With
// `bash_completion`, the bash-completion package's helpers are loaded
// first, as on a desktop; without, the script stands alone.
std::string BashComplete(const std::string& line, bool bash_completion) {
  std::string script;
  if (bash_completion) script += "source /usr/share/bash-completion/bash_completion; ";
  script += "source " + ShellQuote(kCompletions + "/sqlmend.bash") + "; ";
  script += "COMP_LINE=" + ShellQuote(line) + "; COMP_POINT=${#COMP_LINE}; ";
  // Split as readline does, with its word breaks (':' and '=' among them).
  script += "COMP_WORDS=(); COMP_CWORD=0; ";
  script += R"(w=""; i=0; while [ $i -lt ${#COMP_LINE} ]; do c=${COMP_LINE:$i:1}; )";
  script += R"(case $c in " ") [ -n "$w" ] && COMP_WORDS+=("$w"); w="";; )";
  script += R"([:=]) [ -n "$w" ] && COMP_WORDS+=("$w"); COMP_WORDS+=("$c"); w="";; )";
  script += R"(*) w+=$c;; esac; i=$((i+1)); done; COMP_WORDS+=("$w"); )";
  script += "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); ";
  script += "complete -p sqlmend >/dev/null || exit 3; ";
  script += "_sqlmend sqlmend \"${COMP_WORDS[COMP_CWORD]}\"; printf '%s\\n' \"${COMPREPLY[@]}\"";
  auto run = InProject("bash --norc --noprofile -c " + ShellQuote(script));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return run.out;
}

TEST(BashCompletionTest, OffersTheRevisionIdsAndLabels) {
  std::set<std::string> expected = ExpectedRevisions();
  for (bool with_package : {false, true}) {
    SCOPED_TRACE(with_package ? "with bash-completion" : "standalone");
    if (with_package) {
      ASSERT_TRUE(fs::exists("/usr/share/bash-completion/bash_completion"))
          << "tools/setup.sh installs bash-completion";
    }
    EXPECT_EQ(Words(BashComplete("sqlmend -c alembic.ini upgrade ", with_package)), expected);
    EXPECT_EQ(Words(BashComplete("sqlmend -c alembic.ini downgrade rep", with_package)),
              (std::set<std::string>{"reports", "reports@head"}));
    EXPECT_EQ(Words(BashComplete("sqlmend fix-fk --st", with_package)),
              (std::set<std::string>{"--stamp", "--stamp-healthy"}));
    EXPECT_EQ(Words(BashComplete("sqlmend up", with_package)), (std::set<std::string>{"upgrade"}));
    // readline replaces only what follows '=': the candidates must too.
    EXPECT_EQ(Words(BashComplete("sqlmend fix-fk --verify=f", with_package)),
              (std::set<std::string>{"full"}));
    // Files where a database is expected.
    EXPECT_TRUE(Words(BashComplete("sqlmend check-fk alem", with_package)).count("alembic.ini"));
  }
}

TEST(ZshCompletionTest, OffersTheRevisionIdsAndLabels) {
  // zsh's completion system needs a terminal; drive the function with the
  // two helpers it calls replaced by ones that print what they are given.
  std::string script =
      "_describe() { local name=${@[-1]}; print -rl -- \"${(@P)name}\" }; "
      "_files() { print -r -- \":files $*\" }; "
      "words=(sqlmend -c alembic.ini upgrade ''); CURRENT=5; "
      "source " + ShellQuote(kCompletions + "/_sqlmend");
  auto run = InProject("zsh -f -c " + ShellQuote(script));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::set<std::string> values;
  for (const std::string& entry : Words(run.out)) {
    // "value:description", with ':' in the value escaped.
    std::string value;
    for (size_t i = 0; i < entry.size() && entry[i] != ':'; ++i) {
      if (entry[i] == '\\' && i + 1 < entry.size()) ++i;
      value += entry[i];
    }
    values.insert(value);
  }
  EXPECT_EQ(values, ExpectedRevisions()) << run.out;
  EXPECT_NE(run.out.find("reports@head:the newest revision of branch reports"), std::string::npos);

  script = "_describe() { :; }; _files() { print -r -- \":files $*\" }; "
           "words=(sqlmend init ''); CURRENT=3; source " + ShellQuote(kCompletions + "/_sqlmend");
  EXPECT_EQ(InProject("zsh -f -c " + ShellQuote(script)).out, ":files -/\n");
}

TEST(FishCompletionTest, OffersTheRevisionIdsAndLabels) {
  std::string script = "source " + ShellQuote(kCompletions + "/sqlmend.fish") +
                       "; complete -C 'sqlmend -c alembic.ini upgrade '";
  auto run = InProject("fish --no-config -c " + ShellQuote(script));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Words(run.out), ExpectedRevisions()) << run.out;
  script = "source " + ShellQuote(kCompletions + "/sqlmend.fish") + "; complete -C 'sqlmend fix-fk --st'";
  EXPECT_EQ(Words(InProject("fish --no-config -c " + ShellQuote(script)).out),
            (std::set<std::string>{"--stamp", "--stamp-healthy"}));
}

}  // namespace
}  // namespace sqlmend
