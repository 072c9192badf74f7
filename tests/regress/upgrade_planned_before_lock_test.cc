// Bug: `upgrade` read the heads and made its plan before it took the write
// lock, and ran that plan once it got the lock, whatever another migration
// had committed meanwhile. A hundred `sqlmend upgrade head` started together
// on a new database each planned base -> head; the one that got the lock
// second inserted the first revision's row beside the head the first had
// left, ran every revision again up to the last (whose version change then
// failed on the primary key), and committed them: each revision applied
// twice and alembic_version holding two rows. The runner now reads the heads
// again under the lock and, when they moved, plans again from them: the
// second run finds nothing left to do.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "testutil/testutil.h"

namespace sqlmend {
namespace {

std::string SqlRevision(const std::string& id, const std::string& down) {
  return "-- revision: " + id + "\n-- down_revision: " + down + "\n-- message: step " + id +
         "\n\n-- upgrade\nINSERT INTO applied(rev) VALUES ('" + id +
         "');\n\n-- downgrade\nDELETE FROM applied WHERE rev = '" + id + "';\n";
}

TEST(RegressUpgradePlannedBeforeLock, SecondUpgradeFindsNothingLeft) {
  testutil::TempDir dir;
  std::filesystem::create_directories(dir.File("mig/versions"));
  testutil::WriteFile(dir.File("alembic.ini"),
                      "[alembic]\nscript_location = mig\nsqlalchemy.url = sqlite:///app.db\n");
  testutil::WriteFile(dir.File("mig/versions/a1.sql"), SqlRevision("a1", "None"));
  testutil::WriteFile(dir.File("mig/versions/b2.sql"), SqlRevision("b2", "a1"));
  const std::string db = dir.File("app.db");
  testutil::ExecSql(db, "CREATE TABLE applied(rev TEXT)");

  // Another migration holds the write lock: the upgrade below reads no
  // heads, plans a1 and b2, and waits for the lock.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  testutil::RunResult upgrade;
  std::thread waiting([&] {
    upgrade = testutil::RunCommand("cd " + testutil::ShellQuote(dir.path()) + " && " +
                                   testutil::ShellQuote(SQLMEND_BIN) + " upgrade head");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  // ... and applies both revisions, as `upgrade head` would.
  ASSERT_EQ(sqlite3_exec(other,
                         "INSERT INTO applied(rev) VALUES ('a1'), ('b2');"
                         "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                         "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));"
                         "INSERT INTO alembic_version VALUES ('b2'); COMMIT",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(other);
  waiting.join();

  EXPECT_EQ(upgrade.exit_code, 0) << upgrade.out << upgrade.err;
  EXPECT_EQ(testutil::Query(db, "SELECT rev, count(*) FROM applied GROUP BY rev ORDER BY rev"),
            (std::vector<std::string>{"a1|1", "b2|1"}));
  EXPECT_EQ(testutil::Query(db, "SELECT version_num FROM alembic_version"),
            std::vector<std::string>{"b2"});
  EXPECT_NE(upgrade.err.find("Heads moved to b2 while waiting for the lock; planning again"),
            std::string::npos)
      << upgrade.err;
}

}  // namespace
}  // namespace sqlmend
