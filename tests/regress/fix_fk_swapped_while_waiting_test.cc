// Bug: two `fix-fk` runs on one file both repaired it and each kept a
// "backup". The second opened the file, waited for the write lock the first
// held, and got it once the first had renamed its repaired copy over the
// path and let go: a lock on the replaced file. It repaired that old
// content again, kept the first run's repaired file as the "original"
// (the backup is a hard link of the path) and renamed its own copy over it,
// losing anything written to the repaired file in between. fix-fk now reads
// the path's identity before opening and again once it holds the lock, and
// opens the file again when it changed: the second run finds it repaired.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "regress/regress_util.h"

namespace sqlmend {
namespace {

constexpr char kBroken[] =
    "CREATE TABLE users(id INTEGER PRIMARY KEY);"
    "CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id REFERENCES users(id));"
    "INSERT INTO users VALUES (1); INSERT INTO posts VALUES (1, 1);"
    "ALTER TABLE users RENAME TO users_old; CREATE TABLE users(id INTEGER PRIMARY KEY);"
    "INSERT INTO users SELECT * FROM users_old; DROP TABLE users_old;";

TEST(RegressFixFkSwappedWhileWaiting, SecondRunFindsTheRepairedFile) {
  testutil::TempDir dir;
  const std::string path = dir.File("app.db");
  testutil::ExecSql(path, kBroken);
  // What the first run swaps in: a repaired file, written to since.
  const std::string repaired = dir.File("repaired.db");
  testutil::ExecSql(repaired,
                    "CREATE TABLE users(id INTEGER PRIMARY KEY);"
                    "CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id REFERENCES users(id));"
                    "INSERT INTO users VALUES (1), (2); INSERT INTO posts VALUES (1, 1), (2, 2);");

  // The first run holds the write lock while the second opens and waits.
  sqlite3* first = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &first), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(first, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  repair::Report report;
  base::Status status;
  std::thread second([&] {
    repair::FixOptions options;
    options.busy_timeout_ms = 20000;
    status = repair::FixFk(path, options, &report);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  // The first run swaps its copy in and lets go of the old file's lock.
  std::filesystem::rename(repaired, path);
  sqlite3_exec(first, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(first);
  second.join();

  ASSERT_OK(status);
  EXPECT_EQ(report.outcome, repair::Report::Outcome::kHealthy);
  EXPECT_EQ(report.backup_path, "");
  EXPECT_EQ(testutil::ListDir(dir.path()), std::vector<std::string>{"app.db"});
  EXPECT_EQ(testutil::Query(path, "SELECT count(*) FROM posts"), std::vector<std::string>{"2"});
}

}  // namespace
}  // namespace sqlmend
