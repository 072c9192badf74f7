// check-fk, fix-fk and dump on files whose schema calls what it may not be
// trusted with, or exceeds sqlmend's limits: a report or one line on
// stderr, the documented exit code, and on refusal the file byte for byte as
// it was (README: "What sqlmend executes from a database file").
#include <gtest/gtest.h>

#include <cstdio>
#include <utility>
#include <string>
#include <vector>

#include "testutil/testutil.h"

namespace sqlmend {
namespace {

using testutil::RunResult;
using testutil::RunSqlmend;
using testutil::ShellQuote;

// A dangling foreign key (p_old was renamed to p), so fix-fk has work to do.
constexpr char kDamage[] =
    "CREATE TABLE p(id INTEGER PRIMARY KEY);"
    "CREATE TABLE c(id INTEGER PRIMARY KEY, pid REFERENCES p_old(id));"
    "INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1);";

class UntrustedFileTest : public ::testing::Test {
 protected:
  std::string Build(const std::string& schema) {
    std::string path = dir_.File("app.db");
    testutil::ExecSql(path, std::string(kDamage) + schema);
    return path;
  }
  // As Build, on a connection where the application's functions app_valid,
  // app_default, app_key and app_show exist (Python's sqlite3).
  std::string BuildWithApplicationFunctions(const std::string& schema) {
    std::string path = dir_.File("app.db");
    RunResult made = testutil::RunCommand(
        std::string(testutil::kPython) + " -c " +
        ShellQuote("import sqlite3, sys\n"
                   "c = sqlite3.connect(sys.argv[1])\n"
                   "for name in ('app_valid', 'app_key', 'app_show'):\n"
                   "    c.create_function(name, 1, lambda s: s, deterministic=True)\n"
                   "c.create_function('app_default', 0, lambda: 'd', deterministic=True)\n"
                   "c.executescript(sys.argv[2])\n"
                   "c.commit()\n") +
        " " + ShellQuote(path) + " " + ShellQuote(std::string(kDamage) + schema));
    EXPECT_EQ(made.exit_code, 0) << made.err;
    return path;
  }
  static int Lines(const std::string& text) {
    int n = 0;
    for (char c : text) n += c == '\n';
    return n;
  }
  // fix-fk refuses with `exit_code`, one line naming `words`, nothing written.
  void ExpectFixRefused(const std::string& path, int exit_code, const std::string& words) {
    testutil::Snapshot before = testutil::TakeSnapshot(path);
    RunResult fix = RunSqlmend("fix-fk " + ShellQuote(path));
    EXPECT_EQ(fix.exit_code, exit_code) << fix.out << fix.err;
    EXPECT_EQ(Lines(fix.err), 1) << fix.err;
    EXPECT_NE(fix.err.find(words), std::string::npos) << fix.err;
    EXPECT_EQ(testutil::TakeSnapshot(path), before);
    EXPECT_EQ(testutil::ListDir(dir_.path()), std::vector<std::string>{"app.db"});
  }
  testutil::TempDir dir_;
};

// The acceptance case: a view calling load_extension() or the
// two-argument fts3_tokenizer() is reported by check-fk (exit 3) and refused
// by fix-fk, and neither is ever called.
TEST_F(UntrustedFileTest, ViewCallingAnUntrustedFunctionIsReportedNeverRun) {
  for (const std::string& call : std::vector<std::string>{
           "load_extension('/nonexistent/evil')", "fts3_tokenizer('simple', X'4141414141414141')"}) {
    SCOPED_TRACE(call);
    std::string path = Build("CREATE VIEW v AS SELECT " + call + " AS x FROM c;");
    testutil::Snapshot before = testutil::TakeSnapshot(path);
    RunResult check = RunSqlmend("check-fk " + ShellQuote(path));
    EXPECT_EQ(check.exit_code, 3) << check.out << check.err;
    EXPECT_NE(check.out.find("view v: unsafe use of"), std::string::npos) << check.out;
    EXPECT_EQ(Lines(check.err), 1) << check.err;
    EXPECT_EQ(testutil::TakeSnapshot(path), before);
    ExpectFixRefused(path, 3, "unsafe use of");
    // dump writes the view's text; it never runs it.
    RunResult dump = RunSqlmend("dump " + ShellQuote(path));
    EXPECT_EQ(dump.exit_code, 0) << dump.err;
    EXPECT_NE(dump.out.find("CREATE VIEW v AS SELECT " + call), std::string::npos);
    EXPECT_EQ(RunSqlmend("dump --fix-fk " + ShellQuote(path)).exit_code, 3);
    EXPECT_EQ(testutil::TakeSnapshot(path), before);
    std::remove(path.c_str());
  }
}

TEST_F(UntrustedFileTest, TriggerCallingLoadExtensionIsReported) {
  std::string path = Build(
      "CREATE TRIGGER tr AFTER INSERT ON c BEGIN SELECT load_extension('/nonexistent/x'); END;");
  RunResult check = RunSqlmend("check-fk " + ShellQuote(path));
  EXPECT_EQ(check.exit_code, 3) << check.out << check.err;
  EXPECT_NE(check.out.find("unsafe use of load_extension()"), std::string::npos) << check.out;
  ExpectFixRefused(path, 3, "unsafe use of load_extension()");
}

// SQLite does not hold CHECK constraints to SQLITE_DIRECTONLY: what stops
// a CHECK calling load_extension() or the two-argument fts3_tokenizer() (a
// pointer written into a BLOB: the classic exploit) is extension loading
// and the tokenizer being off. A read-only check never evaluates a CHECK;
// the quick_check fix-fk runs on a healthy file under its write lock does,
// and stops with SQLite's one line, the file untouched.
TEST_F(UntrustedFileTest, CheckCallingAnUntrustedFunctionIsNeverRun) {
  for (const auto& [call, words] : std::vector<std::pair<std::string, std::string>>{
           {"load_extension('/nonexistent/x')", "not authorized"},
           {"fts3_tokenizer('simple', X'4141414141414141')", "fts3tokenize disabled"}}) {
    SCOPED_TRACE(call);
    std::string path = dir_.File("app.db");
    testutil::ExecSql(path, "CREATE TABLE k(a CHECK (" + call + " IS NULL));"
                            "PRAGMA ignore_check_constraints=ON; INSERT INTO k VALUES (1);");
    RunResult check = RunSqlmend("check-fk " + ShellQuote(path));
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    ExpectFixRefused(path, 3, words);
    std::remove(path.c_str());
  }
}

// A function only the application registers, in a view, a CHECK and a
// DEFAULT: reported as damage alone, and repaired with placeholders that are
// never called (the rows move as records; an expression index over one
// stops the copy, exit 6, as fix_fk_test shows).
TEST_F(UntrustedFileTest, ApplicationFunctionsInTheSchemaAreNotCalled) {
  std::string path = BuildWithApplicationFunctions(
      "CREATE TABLE a(id INTEGER PRIMARY KEY, s TEXT CHECK (app_valid(s)) DEFAULT (app_default()));"
      "CREATE VIEW av AS SELECT app_show(s) FROM a;"
      "INSERT INTO a(s) VALUES ('1');");
  RunResult check = RunSqlmend("check-fk " + ShellQuote(path));
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  RunResult fix = RunSqlmend("fix-fk " + ShellQuote(path));
  EXPECT_EQ(fix.exit_code, 0) << fix.out << fix.err;
  EXPECT_EQ(RunSqlmend("check-fk " + ShellQuote(path)).exit_code, 0);
}

// A stored generated column over a function only the application has, in a
// table copied row by row: the copy would need its values, so fix-fk stops
// (exit 6, the placeholder's words) and writes nothing.
TEST_F(UntrustedFileTest, GeneratedColumnOverAnApplicationFunctionStopsTheCopy) {
  std::string path = BuildWithApplicationFunctions(
      "CREATE TABLE g(s TEXT, k AS (app_key(s)) STORED); INSERT INTO g(s) VALUES ('a');");
  RunResult check = RunSqlmend("check-fk " + ShellQuote(path));
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  ExpectFixRefused(path, 6, "app_key() belongs to the application");
}

// SQLite's own JSON and FTS5 in the schema do not make the file untrusted.
TEST_F(UntrustedFileTest, JsonAndFtsInTheSchemaAreRepaired) {
  std::string path = Build(
      "CREATE TABLE j(id INTEGER PRIMARY KEY, data, k AS (json_extract(data, '$.k')));"
      "CREATE INDEX j_id ON j(json_extract(data, '$.id'));"
      "CREATE TRIGGER j_touch AFTER INSERT ON j BEGIN "
      "UPDATE j SET data = json_set(data, '$.seen', 1) WHERE id = new.id; END;"
      "CREATE VIRTUAL TABLE f USING fts5(x);"
      "CREATE VIEW fv AS SELECT x FROM f WHERE f MATCH 'a';"
      "INSERT INTO j(data) VALUES ('{\"k\": 1, \"id\": 2}'); INSERT INTO f VALUES ('a b');");
  EXPECT_EQ(RunSqlmend("check-fk " + ShellQuote(path)).exit_code, 1);
  RunResult fix = RunSqlmend("fix-fk --verify full " + ShellQuote(path));
  EXPECT_EQ(fix.exit_code, 0) << fix.out << fix.err;
  EXPECT_EQ(testutil::Query(path, "SELECT k, data FROM j"),
            std::vector<std::string>{"1|{\"k\":1,\"id\":2,\"seen\":1}"});
  EXPECT_EQ(testutil::Query(path, "SELECT x FROM fv"), std::vector<std::string>{"a b"});
}

// Absurd sizes: a CREATE statement of over 1 MiB in sqlite_schema, an
// expression 300 deep. Every command: one line naming the limit, exit 4.
TEST_F(UntrustedFileTest, SchemaOverTheLimitsIsRefusedByEveryCommand) {
  std::string deep = "1";
  for (int i = 0; i < 300; ++i) deep += "+1";
  for (const std::string& schema :
       {"CREATE TABLE huge(a DEFAULT '" + std::string(1200000, 'x') + "');",
        "CREATE VIEW deep AS SELECT " + deep + " AS x;"}) {
    SCOPED_TRACE(schema.substr(0, 40));
    std::string path = Build(schema);
    testutil::Snapshot before = testutil::TakeSnapshot(path);
    for (const std::string& command : std::vector<std::string>{"check-fk", "dump", "doctor"}) {
      RunResult run = RunSqlmend(command + " " + ShellQuote(path));
      EXPECT_EQ(run.exit_code, 4) << command << run.out << run.err;
      EXPECT_NE(run.err.find("exceeds a limit sqlmend sets for database files"), std::string::npos)
          << command << run.err;
      EXPECT_EQ(Lines(run.err), 1) << command << run.err;
    }
    EXPECT_EQ(testutil::TakeSnapshot(path), before);
    ExpectFixRefused(path, 4, "exceeds a limit sqlmend sets for database files");
    std::remove(path.c_str());
  }
}

}  // namespace
}  // namespace sqlmend
