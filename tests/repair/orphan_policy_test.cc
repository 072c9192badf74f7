// fix-fk --orphans: each policy on real files, the cascades it follows as
// SQLite would with foreign_keys=ON, its refusals (nothing written), check-fk's
// preview of every policy, and a kill at every phase leaving either the
// original or the complete result.
#include "repair/orphan_policy.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <string>
#include <vector>

#include "repair/check_fk.h"
#include "repair/fix_fk.h"
#include "repair/kill_at_phase.h"
#include "testutil/fault_vfs.h"
#include "testutil/testutil.h"

namespace sqlmend::repair {
namespace {

using testutil::Query;

// users was rebuilt rename-first, so posts.user_id dangled; post 12 lost its
// user (999) meanwhile. Comments of a post cascade; likes are set to NULL;
// the pins table (WITHOUT ROWID) cascades too.
constexpr char kOrphans[] = R"(
CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), title TEXT);
CREATE TABLE comments(id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE, body TEXT);
CREATE TABLE likes(id INTEGER PRIMARY KEY, post_id INTEGER REFERENCES posts(id) ON DELETE SET NULL);
CREATE TABLE pins(post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE, slot TEXT NOT NULL, PRIMARY KEY (post_id, slot)) WITHOUT ROWID;
INSERT INTO users VALUES (1, 'a'), (2, 'b');
INSERT INTO posts VALUES (10, 1, 'kept'), (11, 2, 'kept too'), (12, 999, 'orphan'), (13, NULL, 'no user');
INSERT INTO comments VALUES (100, 12, 'on orphan'), (101, 12, 'also'), (102, 10, 'fine');
INSERT INTO likes VALUES (200, 12), (201, 11);
INSERT INTO pins VALUES (12, 'top'), (10, 'side');
ALTER TABLE users RENAME TO users__old;
CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT, email TEXT);
INSERT INTO users(id, name) SELECT id, name FROM users__old;
DROP TABLE users__old;
)";

class OrphanPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK(testutil::FaultVfs::Install()); }
  void TearDown() override { testutil::FaultVfs::Reset(); }

  std::string Make(const std::string& extra = "") {
    std::string path = dir_.File("app.sqlite");
    testutil::ExecSql(path, std::string(kOrphans) + extra);
    return path;
  }

  Report Fix(const std::string& path, OrphanPolicy policy, base::Status* status = nullptr) {
    FixOptions options;
    options.orphans = policy;
    Report report;
    base::Status st = FixFk(path, options, &report);
    if (status) {
      *status = st;
    } else {
      EXPECT_OK(st);
    }
    return report;
  }

  static int64_t Rows(const Report& report, const std::string& table, const std::string& action) {
    int64_t rows = 0;
    for (const auto& a : report.orphans.actions) {
      if (a.table == table && a.action == action) rows += a.rows;
    }
    return rows;
  }

  void ExpectRefusedUnchanged(const std::string& path, OrphanPolicy policy,
                              const std::string& words) {
    auto before = testutil::TakeSnapshot(path);
    auto listing = testutil::ListDir(dir_.path());
    base::Status status;
    Fix(path, policy, &status);
    EXPECT_EQ(status.code(), base::Code::kRefused) << status.ToString();
    EXPECT_NE(status.ToString().find(words), std::string::npos) << status.ToString();
    EXPECT_TRUE(testutil::TakeSnapshot(path) == before);
    EXPECT_EQ(testutil::ListDir(dir_.path()), listing);
  }

  testutil::TempDir dir_;
};

TEST_F(OrphanPolicyTest, KeepCountsAndKeepsEveryRow) {
  std::string path = Make();
  Report report = Fix(path, OrphanPolicy::kKeep);
  EXPECT_TRUE(report.orphans.actions.empty());
  EXPECT_EQ(Query(path, "SELECT count(*) FROM posts"), std::vector<std::string>{"4"});
  EXPECT_EQ(Query(path, "PRAGMA foreign_key_check"), std::vector<std::string>{"posts|12|users|0"});
}

TEST_F(OrphanPolicyTest, QuarantineMovesRowsWholeAndFollowsCascades) {
  std::string path = Make();
  Report report = Fix(path, OrphanPolicy::kQuarantine);
  EXPECT_EQ(Rows(report, "posts", "quarantine"), 1);
  EXPECT_EQ(Rows(report, "comments", "quarantine"), 2);
  EXPECT_EQ(Rows(report, "pins", "quarantine"), 1);
  EXPECT_EQ(Rows(report, "likes", "set-null"), 1);
  EXPECT_EQ(Query(path, "PRAGMA foreign_key_check"), std::vector<std::string>{});
  EXPECT_EQ(Query(path, "SELECT id FROM posts ORDER BY id"),
            (std::vector<std::string>{"10", "11", "13"}));
  EXPECT_EQ(Query(path, "SELECT rowid, id, user_id, title, sqlmend_reason FROM sqlmend_orphans_posts"),
            std::vector<std::string>{"12|12|999|orphan|orphan: (user_id) has no row in users(id)"});
  EXPECT_EQ(Query(path, "SELECT id, post_id, body, sqlmend_reason FROM sqlmend_orphans_comments ORDER BY id"),
            (std::vector<std::string>{"100|12|on orphan|ON DELETE CASCADE from posts",
                                      "101|12|also|ON DELETE CASCADE from posts"}));
  EXPECT_EQ(Query(path, "SELECT post_id, slot FROM sqlmend_orphans_pins"),
            std::vector<std::string>{"12|top"});
  EXPECT_EQ(Query(path, "SELECT id, quote(post_id) FROM likes ORDER BY id"),
            (std::vector<std::string>{"200|NULL", "201|11"}));
  EXPECT_EQ(Query(path, "SELECT post_id, slot FROM pins"), std::vector<std::string>{"10|side"});
  // Every row is still somewhere: 4 posts = 3 + 1 quarantined.
  EXPECT_EQ(Query(path, "SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM sqlmend_orphans_posts)"),
            std::vector<std::string>{"4"});
}

TEST_F(OrphanPolicyTest, DeleteRemovesRowsAndTheBackupKeepsThem) {
  std::string path = Make();
  Report report = Fix(path, OrphanPolicy::kDelete);
  EXPECT_EQ(Rows(report, "posts", "delete"), 1);
  EXPECT_EQ(Rows(report, "comments", "delete"), 2);
  EXPECT_EQ(Query(path, "PRAGMA foreign_key_check"), std::vector<std::string>{});
  EXPECT_EQ(Query(path, "SELECT id FROM comments"), std::vector<std::string>{"102"});
  EXPECT_EQ(Query(path, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'sqlmend_orphans_%'"),
            std::vector<std::string>{"0"});
  ASSERT_FALSE(report.backup_path.empty());
  EXPECT_EQ(Query(report.backup_path, "SELECT count(*) FROM comments"), std::vector<std::string>{"3"});
}

TEST_F(OrphanPolicyTest, NullClearsTheDanglingKey) {
  std::string path = Make();
  Report report = Fix(path, OrphanPolicy::kNull);
  EXPECT_EQ(Rows(report, "posts", "set-null"), 1);
  EXPECT_EQ(Query(path, "SELECT id, quote(user_id) FROM posts ORDER BY id"),
            (std::vector<std::string>{"10|1", "11|2", "12|NULL", "13|NULL"}));
  EXPECT_EQ(Query(path, "SELECT count(*) FROM comments"), std::vector<std::string>{"3"});
  EXPECT_EQ(Query(path, "PRAGMA foreign_key_check"), std::vector<std::string>{});
}

TEST_F(OrphanPolicyTest, NullRefusesANotNullColumnAndWritesNothing) {
  std::string path = dir_.File("app.sqlite");
  testutil::ExecSql(path, R"(
CREATE TABLE users(id INTEGER PRIMARY KEY);
CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id));
INSERT INTO users VALUES (1);
INSERT INTO posts VALUES (1, 1), (2, 5);
ALTER TABLE users RENAME TO users_old;
CREATE TABLE users(id INTEGER PRIMARY KEY, x);
INSERT INTO users(id) SELECT id FROM users_old;
DROP TABLE users_old;
)");
  ExpectRefusedUnchanged(path, OrphanPolicy::kNull, "column user_id is NOT NULL");
}

TEST_F(OrphanPolicyTest, RestrictAndNoActionRefuseNamingTheRows) {
  for (const char* action : {"RESTRICT", "NO ACTION"}) {
    SCOPED_TRACE(action);
    testutil::TempDir dir;
    std::string path = Make(std::string("CREATE TABLE audits(id INTEGER PRIMARY KEY, post_id "
                                        "INTEGER REFERENCES posts(id) ON DELETE ") +
                            action + "); INSERT INTO audits VALUES (7, 12), (8, 10);");
    ExpectRefusedUnchanged(path, OrphanPolicy::kDelete, "1 row (\"id\" 7) reference rows of posts");
    ExpectRefusedUnchanged(path, OrphanPolicy::kQuarantine, std::string("ON DELETE ") + action);
    std::remove(path.c_str());
  }
}

TEST_F(OrphanPolicyTest, DryRunReportsThePlanAndWritesNothing) {
  std::string path = Make();
  auto before = testutil::TakeSnapshot(path);
  FixOptions options;
  options.orphans = OrphanPolicy::kQuarantine;
  options.dry_run = true;
  Report report;
  EXPECT_EQ(FixFk(path, options, &report).code(), base::Code::kDamage);
  EXPECT_EQ(Rows(report, "comments", "quarantine"), 2);
  EXPECT_TRUE(testutil::TakeSnapshot(path) == before);
}

TEST_F(OrphanPolicyTest, CheckFkPreviewsEveryPolicy) {
  std::string path = Make();
  auto before = testutil::TakeSnapshot(path);
  Report report;
  EXPECT_EQ(CheckFk(path, {}, &report).code(), base::Code::kDamage);
  ASSERT_EQ(report.orphan_previews.size(), 3u);
  EXPECT_EQ(report.orphan_previews[0].policy, OrphanPolicy::kQuarantine);
  EXPECT_EQ(report.orphan_previews[1].policy, OrphanPolicy::kNull);
  EXPECT_EQ(report.orphan_previews[2].policy, OrphanPolicy::kDelete);
  EXPECT_EQ(report.orphan_previews[0].actions.size(), 4u);  // posts, comments, pins, likes
  EXPECT_EQ(report.orphan_previews[1].actions.size(), 1u);
  EXPECT_TRUE(report.orphan_previews[2].refusal.ok());
  EXPECT_TRUE(testutil::TakeSnapshot(path) == before);
}

// A full disk or an I/O error anywhere in the copy (early, halfway, or
// while the policy's rows move at its end) leaves the original as it was.
TEST_F(OrphanPolicyTest, WriteFaultsAnywhereLeaveTheOriginal) {
  for (OrphanPolicy policy : {OrphanPolicy::kQuarantine, OrphanPolicy::kNull, OrphanPolicy::kDelete}) {
    SCOPED_TRACE(OrphanPolicyName(policy));
    // How much a successful run writes, on a copy.
    testutil::TempDir scratch;
    std::string probe = scratch.File("app.sqlite");
    testutil::ExecSql(probe, kOrphans);
    FixOptions options;
    options.orphans = policy;
    options.vfs = testutil::FaultVfs::kName;
    testutil::FaultVfs::Reset();
    Report probe_report;
    ASSERT_OK(FixFk(probe, options, &probe_report));
    int64_t total = testutil::FaultVfs::BytesWritten();
    ASSERT_GT(total, 0);
    std::string path = Make();
    for (int64_t after : {int64_t{0}, total / 2, total * 9 / 10, total - 1}) {
      SCOPED_TRACE(after);
      auto before = testutil::TakeSnapshot(path);
      auto listing = testutil::ListDir(dir_.path());
      testutil::FaultVfs::Reset();
      testutil::FaultVfs::FailWritesAfter(after, SQLITE_FULL);
      Report report;
      EXPECT_EQ(FixFk(path, options, &report).code(), base::Code::kEnvironment);
      testutil::FaultVfs::Reset();
      EXPECT_TRUE(testutil::TakeSnapshot(path) == before);
      EXPECT_EQ(testutil::ListDir(dir_.path()), listing);
    }
    std::remove(path.c_str());
  }
}

// Killed at any phase, under each policy: the original is intact, or the
// result is complete (foreign_key_check clean, every row accounted for).
TEST_F(OrphanPolicyTest, KillAtEveryPhaseLeavesOriginalOrResult) {
  for (OrphanPolicy policy : {OrphanPolicy::kQuarantine, OrphanPolicy::kNull, OrphanPolicy::kDelete}) {
    for (const char* phase : {"inspect", "copy", "verify", "swap", "backup-kept", "swapped"}) {
      SCOPED_TRACE(std::string(OrphanPolicyName(policy)) + " " + phase);
      testutil::TempDir dir;
      std::string path = dir.File("app.sqlite");
      testutil::ExecSql(path, kOrphans);
      std::string original = testutil::ReadFile(path);
      FixOptions options;
      options.orphans = policy;
      ASSERT_TRUE(FixFkKilledAt(path, options, phase));
      if (std::string(phase) == "swapped") {
        EXPECT_EQ(Query(path, "PRAGMA foreign_key_check"), std::vector<std::string>{});
      } else {
        EXPECT_EQ(testutil::ReadFile(path), original);
      }
      EXPECT_EQ(Query(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    }
  }
}

}  // namespace
}  // namespace sqlmend::repair
