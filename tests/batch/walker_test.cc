// The walker's rules: databases by header, companions and sqlmend's own files
// never inputs, globs, symlinks followed once and never looped, files
// deduplicated by inode.
#include "batch/walker.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include "base/files.h"
#include "batch/fleet_tree.h"
#include "testutil/testutil.h"

namespace sqlmend::batch {
namespace {

namespace fs = std::filesystem;

// "path kind [reason]" per entry, relative to `root`, for compact asserts.
std::map<std::string, std::string> Dump(const std::vector<WalkEntry>& entries,
                                        const std::string& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : entries) {
    std::string path = e.link.empty() ? e.path : e.link;
    if (path.rfind(root + "/", 0) == 0) path = path.substr(root.size() + 1);
    std::string kind;
    switch (e.kind) {
      case WalkEntry::Kind::kCandidate: {
        std::string skip = SkipReason(e);
        kind = skip.empty() ? "database" : "skipped: " + skip;
        break;
      }
      case WalkEntry::Kind::kNamed: kind = "named"; break;
      case WalkEntry::Kind::kSkipped: kind = "skipped: " + e.reason; break;
      case WalkEntry::Kind::kProblem: kind = "problem: " + e.problem.message(); break;
    }
    out[path] = kind;
  }
  return out;
}

class WalkerTest : public ::testing::Test {
 protected:
  std::string At(const std::string& relative) const { return dir_.File(relative); }
  testutil::TempDir dir_;
};

TEST_F(WalkerTest, FolderWalkKeepsDatabasesByHeaderOnly) {
  fleet_tree::Healthy(At("a.data"));
  fleet_tree::BrokenInWal(At("sub/w.db"));
  testutil::WriteFile(At("sub/readme.db"), "text");
  testutil::WriteFile(At("sub/empty"), "");
  testutil::WriteFile(At("a.data-journal"), "x");
  testutil::WriteFile(At(std::string("a.data") + std::string(base::kBackupMarker) + "20260101T000000Z"),
                      testutil::ReadFile(At("a.data")));
  testutil::WriteFile(At(".a.data.sqlmend-tmp-1-1"), "");
  testutil::WriteFile(At(std::string(base::kJournalName)), "");
  auto entries = Walk({dir_.path()});
  std::map<std::string, std::string> expected = {
      {"a.data", "database"},
      {"sub/w.db", "database"},
      {"sub/readme.db", "skipped: not a database (no SQLite header)"},
      {"sub/empty", "skipped: empty file (0 bytes)"},
  };
  EXPECT_EQ(Dump(entries, dir_.path()), expected);
}

TEST_F(WalkerTest, NamedFilesAreTakenCompanionsAreNot) {
  testutil::WriteFile(At("notes.txt"), "text");
  testutil::WriteFile(At("x.db-wal"), "wal");
  auto entries = Walk({At("notes.txt"), At("x.db-wal"), At("missing.db")});
  std::map<std::string, std::string> expected = {
      {"notes.txt", "named"},
      {"x.db-wal", "skipped: a -wal, -shm or -journal companion: travels with its database"},
      {"missing.db", "problem: cannot read: no such file or folder"},
  };
  EXPECT_EQ(Dump(entries, dir_.path()), expected);
}

TEST_F(WalkerTest, GlobsMatchAndAPatternMatchingNothingIsAProblem) {
  fleet_tree::Healthy(At("g/one.db"));
  fleet_tree::Healthy(At("g/two.db"));
  fleet_tree::Healthy(At("g/three.sqlite"));
  auto entries = Walk({At("g/*.db"), At("g/*.nothing")});
  std::map<std::string, std::string> expected = {
      {"g/one.db", "database"},
      {"g/two.db", "database"},
      {"g/*.nothing", "problem: no file matches this pattern"},
  };
  EXPECT_EQ(Dump(entries, dir_.path()), expected);
}

TEST_F(WalkerTest, SymlinksAreFollowedOnceAndNeverLoop) {
  fleet_tree::Healthy(At("tree/real.db"));
  fleet_tree::Healthy(At("elsewhere/target.db"));
  fs::create_symlink(At("tree/real.db"), At("tree/alias.db"));          // same inode: once
  fs::create_symlink(At("elsewhere/target.db"), At("tree/far.db"));     // followed
  fs::create_directory_symlink("..", At("tree/up"));                    // a loop: not descended
  fs::create_directory_symlink(At("elsewhere"), At("tree/elsewhere"));  // not descended
  fs::create_symlink(At("nothing"), At("tree/dangling.db"));
  fs::create_hard_link(At("tree/real.db"), At("tree/zz_hardlink.db"));  // same inode: once
  auto entries = Walk({At("tree")});
  std::map<std::string, std::string> expected = {
      {"tree/alias.db", "database"},
      {"tree/far.db", "database"},
      {"tree/up", "skipped: symlink to a folder (not followed while walking)"},
      {"tree/elsewhere", "skipped: symlink to a folder (not followed while walking)"},
      {"tree/dangling.db", "skipped: symlink to nothing (dangling)"},
  };
  EXPECT_EQ(Dump(entries, dir_.path()), expected);
  for (const auto& e : entries) {
    if (e.link == At("tree/far.db")) {
      EXPECT_EQ(e.path, fs::canonical(At("elsewhere/target.db")));
    }
  }
  // A symlinked folder named on the command line is followed.
  auto named = Walk({At("tree/elsewhere")});
  ASSERT_EQ(named.size(), 1u);
  EXPECT_EQ(named[0].path, At("tree/elsewhere/target.db"));
}

TEST_F(WalkerTest, TheSameFileNamedTwiceIsListedOnce) {
  fleet_tree::Healthy(At("a.db"));
  auto entries = Walk({At("a.db"), dir_.path(), At("./a.db")});
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].kind, WalkEntry::Kind::kNamed);
}

// Another fleet's temporary can vanish between the folder listing and the
// look at it. A dangling link under such a name stands for it here: it is
// passed over by its name, never looked at.
TEST_F(WalkerTest, AConcurrentRunsTemporariesArePassedOverByName) {
  fleet_tree::Healthy(At("f/a.db"));
  fs::create_symlink(At("f/gone"),
                     At(std::string("f/.a.db") + std::string(base::kTempMarker) + "9-0"));
  fs::create_symlink(At("f/gone"), At("f/a.db-wal"));
  std::map<std::string, std::string> expected = {{"f/a.db", "database"}};
  EXPECT_EQ(Dump(Walk({At("f")}), dir_.path()), expected);
  EXPECT_EQ(Dump(Walk({At("f/*")}), dir_.path()), expected);
}

// Files created and removed while folders are walked: whatever is gone by
// the time it is looked at is passed over, never a problem.
TEST_F(WalkerTest, FilesRemovedWhileWalkingArePassedOver) {
  fleet_tree::Healthy(At("busy/keep.db"));
  std::atomic<bool> stop{false};
  std::thread churn([&] {
    for (int i = 0; !stop.load(); ++i) {
      std::string plain = At("busy/churn" + std::to_string(i % 7) + ".db");
      std::string temp =
          At(std::string("busy/.keep.db") + std::string(base::kTempMarker) + std::to_string(i % 5));
      testutil::WriteFile(plain, "");
      testutil::WriteFile(temp, "");
      ::unlink(plain.c_str());
      ::unlink(temp.c_str());
    }
  });
  int problems = 0;
  for (int round = 0; round < 400 && problems == 0; ++round) {
    for (const auto& e : Walk({At("busy"), At("busy/*.db")})) {
      if (e.kind == WalkEntry::Kind::kProblem) {
        ADD_FAILURE() << e.path << ": " << e.problem.message();
        ++problems;
      }
    }
  }
  stop = true;
  churn.join();
}

}  // namespace
}  // namespace sqlmend::batch
