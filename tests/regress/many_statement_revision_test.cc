// Bug: a .sql revision of many statements ran in time quadratic in its
// size. Each statement's line (for error messages) was found by counting
// the newlines from the start of the section again, so a 1 MB revision of
// 13,000 INSERTs took 9 seconds and a 10 MB one would have taken hours. The
// count now goes on from the previous statement.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "testutil/testutil.h"

namespace sqlmend {
namespace {

TEST(RegressManyStatementRevision, RunsInLinearTime) {
  testutil::TempDir dir;
  std::filesystem::create_directories(dir.File("mig/versions"));
  testutil::WriteFile(dir.File("alembic.ini"),
                      "[alembic]\nscript_location = mig\nsqlalchemy.url = sqlite:///app.db\n");
  std::string upgrade = "CREATE TABLE big(id INTEGER PRIMARY KEY, payload TEXT);\n";
#if defined(__SANITIZE_ADDRESS__)
  // Under the sanitizers (some 50 times slower) only the located error is
  // checked, on a tenth of the statements: the time is the plain build's.
  constexpr int kStatements = 3000;
  constexpr bool kTimed = false;
#else
  constexpr int kStatements = 30000;  // about 2.5 MB
  constexpr bool kTimed = true;
#endif
  for (int i = 0; i < kStatements; ++i) {
    upgrade += "INSERT INTO big(payload) VALUES ('" + std::string(64, 'x') + "');\n";
  }
  upgrade += "INSERT INTO nosuch VALUES (1);\n";  // located by its line
  testutil::WriteFile(dir.File("mig/versions/a1.sql"),
                      "-- revision: a1\n-- down_revision: None\n-- message: big\n\n-- upgrade\n" +
                          upgrade + "\n-- downgrade\nDROP TABLE big;\n");
  const auto start = std::chrono::steady_clock::now();
  auto run = testutil::RunCommand("cd " + testutil::ShellQuote(dir.path()) + " && " +
                                  testutil::ShellQuote(SQLMEND_BIN) + " upgrade head");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(run.exit_code, 255);
  // The section starts on line 6: the failing statement is on line 6 + N + 1.
  EXPECT_NE(run.out.find("a1.sql:" + std::to_string(kStatements + 7) +
                         ": no such table: nosuch in: INSERT INTO nosuch VALUES (1);"),
            std::string::npos)
      << run.out;
  // Quadratic, this took about a minute; linear, a second or two.
  if (kTimed) {
    EXPECT_LT(took, std::chrono::seconds(15));
  }
}

}  // namespace
}  // namespace sqlmend
