// Bug: the guard that keeps check-fk, fix-fk and the migration runner's
// reads from leaving "-wal" and "-shm" files beside a WAL database removed
// any it had not seen at its start once its own connections had closed,
// even when another process had opened the database meanwhile and was using
// them. That process then wrote its commits into a WAL nobody else could
// find: the next connection made a fresh "-wal" and "-shm" and did not see
// them. The companions are now removed only while an exclusive lock on the
// database shows that no connection of any process has it open (the test
// SQLite itself makes before it deletes a WAL on close), and then also when
// they were left empty by a process that has since gone.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "sqlite/sidecars.h"
#include "testutil/testutil.h"

namespace sqlmend {
namespace {

// Another process: opens the database, signals "ready", waits for "go",
// commits a row, signals "done", waits for "quit" before it closes.
constexpr char kOtherProcess[] = R"PY(
import os, sqlite3, sys, time
folder, path = sys.argv[1], sys.argv[2]
def wait(name):
    while not os.path.exists(os.path.join(folder, name)):
        time.sleep(0.01)
db = sqlite3.connect(path, isolation_level=None)
db.execute("SELECT count(*) FROM t").fetchone()
open(os.path.join(folder, "ready"), "w").close()
wait("go")
db.execute("INSERT INTO t VALUES (1)")
open(os.path.join(folder, "done"), "w").close()
wait("quit")
db.close()
)PY";

void WaitFor(const std::string& path) {
  for (int i = 0; i < 1000 && !std::filesystem::exists(path); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path;
}

TEST(RegressSidecarInUse, CompanionsOfAnotherProcessStay) {
  testutil::TempDir dir;
  testutil::TempDir signals;
  const std::string db = dir.File("app.db");
  testutil::ExecSql(db, "PRAGMA journal_mode=WAL; CREATE TABLE t(x)");
  ASSERT_FALSE(std::filesystem::exists(db + "-wal"));
  testutil::WriteFile(signals.File("other.py"), kOtherProcess);

  sqlite::SidecarGuard guard(db);  // a reader starts: no companions yet
  testutil::RunResult other;
  std::thread running([&] {
    other = testutil::RunCommand("python3 " + testutil::ShellQuote(signals.File("other.py")) +
                                 " " + testutil::ShellQuote(signals.path()) + " " +
                                 testutil::ShellQuote(db));
  });
  WaitFor(signals.File("ready"));
  guard.Cleanup();  // the reader is done while the other process goes on
  testutil::WriteFile(signals.File("go"), "");
  WaitFor(signals.File("done"));
  const std::vector<std::string> rows = testutil::Query(db, "SELECT count(*) FROM t");
  testutil::WriteFile(signals.File("quit"), "");
  running.join();

  EXPECT_EQ(other.exit_code, 0) << other.err;
  EXPECT_EQ(rows, std::vector<std::string>{"1"});
  // Once nobody has the database open, the guard leaves no companion.
  sqlite::SidecarGuard later(db);
  later.Cleanup();
  EXPECT_FALSE(std::filesystem::exists(db + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(db + "-shm"));
}

}  // namespace
}  // namespace sqlmend
