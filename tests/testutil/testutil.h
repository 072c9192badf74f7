// Test-only helpers: a temporary folder per test, databases built from
// fixture SQL through the real SQLite, byte snapshots of files (a refused file
// must stay byte-identical), running the built CLI, and ASSERT_OK.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"

namespace sqlmend::testutil {

// A fresh folder under $TMPDIR, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The text of fixtures/<relative>.
std::string ReadFixture(const std::string& relative);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& bytes);

// Runs `sql` on the database at `path` (created when missing) with the
// sqlite3 library, in one sqlite3_exec call. Fails the test on error.
void ExecSql(const std::string& path, const std::string& sql);

// Runs a query and returns each row as its columns joined by '|' (NULL as
// "NULL"), like the sqlite3 shell's list mode.
std::vector<std::string> Query(const std::string& path, const std::string& sql);

// Every file in `dir` (names only, sorted), to assert that nothing was left.
std::vector<std::string> ListDir(const std::string& dir);

// The bytes of `path` and of its -wal/-shm/-journal companions, so a test can
// assert that a refusal changed nothing on disk.
struct Snapshot {
  std::map<std::string, std::string> files;  // path -> bytes ("" key absent)
  bool operator==(const Snapshot&) const = default;
};
Snapshot TakeSnapshot(const std::string& path);

// Runs a shell command line; returns its exit status and captured stdout and
// stderr.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
RunResult RunCommand(const std::string& command_line);
// Runs the built sqlmend binary with `args` (already shell-quoted).
RunResult RunSqlmend(const std::string& args);

std::string ShellQuote(const std::string& s);

// The Python that runs the differential oracles (Debian's, with alembic and
// SQLAlchemy installed by tools/setup.sh).
inline constexpr char kPython[] = "/usr/bin/python3";

}  // namespace sqlmend::testutil

#define ASSERT_OK(expr)                                        \
  do {                                                         \
    const ::sqlmend::base::Status _st = (expr);                \
    ASSERT_TRUE(_st.ok()) << _st.ToString();                   \
  } while (0)
#define EXPECT_OK(expr)                                        \
  do {                                                         \
    const ::sqlmend::base::Status _st = (expr);                \
    EXPECT_TRUE(_st.ok()) << _st.ToString();                   \
  } while (0)
