// Damaged files found by tools/mutate.sh. A quick_check verdict of several
// lines ("*** in database main ***" and the complaint) made the error on
// stderr two lines; a name that is not UTF-8 made every --json report abort
// (nlohmann's dump threw, exit 134). Now: one line on stderr, exit 4; the
// JSON holds U+FFFD for the bad byte, with the documented exit code.
#include <gtest/gtest.h>

#include <string>

#include "testutil/testutil.h"

namespace sqlmend {
namespace {

using testutil::RunResult;
using testutil::RunSqlmend;
using testutil::ShellQuote;

constexpr char kDamage[] =
    "CREATE TABLE p(id INTEGER PRIMARY KEY);"
    "CREATE TABLE c(id INTEGER PRIMARY KEY, pid REFERENCES p_old(id));"
    "INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1);";

int Lines(const std::string& text) {
  int n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

TEST(DamagedFileOutput, MultiLineQuickCheckVerdictIsOneErrorLine) {
  testutil::TempDir dir;
  std::string path = dir.File("app.db");
  testutil::ExecSql(path, kDamage);
  // The header's largest root page (offset 52) set to 1 on a file without
  // auto_vacuum: quick_check answers "*** in database main ***\nmax rootpage ...".
  std::string bytes = testutil::ReadFile(path);
  bytes[52] = 0;
  bytes[53] = 0;
  bytes[54] = 0;
  bytes[55] = 1;
  testutil::WriteFile(path, bytes);
  for (const char* command : {"check-fk", "fix-fk", "fix-fk --json", "doctor"}) {
    RunResult run = RunSqlmend(std::string(command) + " " + ShellQuote(path));
    EXPECT_EQ(run.exit_code, 4) << command << ": " << run.out << run.err;
    EXPECT_EQ(Lines(run.err), 1) << command << ": " << run.err;
    EXPECT_NE(run.err.find("quick_check: *** in database main *** max rootpage"),
              std::string::npos)
        << command << ": " << run.err;
  }
  EXPECT_EQ(testutil::ReadFile(path), bytes);
}

TEST(DamagedFileOutput, NameThatIsNotUtf8InJsonReports) {
  testutil::TempDir dir;
  std::string path = dir.File("app.db");
  testutil::ExecSql(path, std::string(kDamage) +
                              "PRAGMA writable_schema=ON;"
                              "UPDATE sqlite_master SET sql='CREATE TABLE c(id INTEGER PRIMARY KEY,"
                              " pid REFERENCES \"p_old' || CAST(X'FF' AS TEXT) || '\"(id))'"
                              " WHERE name='c';");
  std::string before = testutil::ReadFile(path);
  for (const char* command : {"check-fk --json", "fix-fk --dry-run --json", "doctor --json"}) {
    RunResult run = RunSqlmend(std::string(command) + " " + ShellQuote(path));
    EXPECT_TRUE(run.exit_code == 1 || run.exit_code == 3) << command << ": " << run.out << run.err;
    EXPECT_EQ(Lines(run.out), 1) << command << ": " << run.out;
    EXPECT_NE(run.out.find("p_old\xEF\xBF\xBD"), std::string::npos) << command << ": " << run.out;
    EXPECT_EQ(run.err.find("terminate"), std::string::npos) << command << ": " << run.err;
  }
  EXPECT_EQ(testutil::ReadFile(path), before);
  RunResult fix = RunSqlmend("fix-fk --json " + ShellQuote(path));
  EXPECT_TRUE(fix.exit_code == 0 || fix.exit_code == 3) << fix.out << fix.err;
  EXPECT_EQ(Lines(fix.out), 1) << fix.out;
  if (fix.exit_code != 0) {
    EXPECT_EQ(testutil::ReadFile(path), before);
  }
}

}  // namespace
}  // namespace sqlmend
