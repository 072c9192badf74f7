// The fleet runner over real trees: each file's outcome in a mixed tree,
// refused and healthy files byte-identical, no leftovers, two runners on one
// tree, a kill in the middle and the rerun that finishes the job, and a dry
// run that writes nothing.
#include "batch/runner.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "base/files.h"
#include "batch/fleet_tree.h"
#include "testutil/testutil.h"

namespace sqlmend::batch {
namespace {

namespace fs = std::filesystem;
using namespace fleet_tree;
using testutil::TakeSnapshot;

RunOptions FixOptions(int jobs = 2) {
  RunOptions options;
  options.verb = Verb::kFixFk;
  options.jobs = jobs;
  options.fix.busy_timeout_ms = 200;
  options.fix.stamp_healthy = false;  // the fleet default (commands::FixFkBatch)
  return options;
}

class RunnerTest : public ::testing::Test {
 protected:
  std::string Root() const { return dir_.File("fleet"); }
  std::string At(const std::string& relative) const { return Root() + "/" + relative; }

  // The mixed tree every case below works on (the locked file is added by
  // the test that holds its lock).
  void BuildMixedTree() {
    Broken(At("broken.db"));
    Healthy(At("healthy.sqlite"));
    Broken(At("nested/deeper/broken2.bin"));  // recognised by header, not extension
    Unresolvable(At("nested/unresolvable.db"));
    testutil::WriteFile(At("notes.db"), "not a database\n");
    testutil::WriteFile(At("nested/empty.db"), "");
    Truncated(At("nested/deeper/truncated.db"));
    BrokenInWal(At("wal.db"));
    Broken(dir_.File("outside/target.db"));
    fs::create_directory_symlink("..", At("nested/loop"));
    fs::create_symlink(dir_.File("outside/target.db"), At("nested/link.db"));
  }

  // Every file of the test folder and its bytes. A -shm is left out: any
  // reader of a WAL database, read-only or not, writes its read marks there.
  std::map<std::string, std::string> TreeBytes() const {
    std::map<std::string, std::string> out;
    for (auto& e : fs::recursive_directory_iterator(dir_.path())) {
      std::string path = e.path();
      if (e.is_regular_file() && !path.ends_with("-shm")) out[path] = testutil::ReadFile(path);
    }
    return out;
  }

  testutil::TempDir dir_;
};

TEST_F(RunnerTest, MixedTreeGetsOneOutcomePerFile) {
  BuildMixedTree();
  Broken(At("locked.db"));
  auto healthy_before = TakeSnapshot(At("healthy.sqlite"));
  auto refused_before = TakeSnapshot(At("nested/unresolvable.db"));
  auto truncated_before = TakeSnapshot(At("nested/deeper/truncated.db"));
  auto locked_before = TakeSnapshot(At("locked.db"));

  // Another connection holds locked.db's write lock for the whole run.
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(At("locked.db").c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  RunOptions options = FixOptions();
  options.fix.stamp = "abc123";
  Summary summary = batch::Run({Root()}, options);
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);

  EXPECT_EQ(OutcomeOf(summary, At("broken.db")), "fixed");
  EXPECT_EQ(OutcomeOf(summary, At("healthy.sqlite")), "healthy");
  EXPECT_EQ(OutcomeOf(summary, At("nested/deeper/broken2.bin")), "fixed");
  EXPECT_EQ(OutcomeOf(summary, At("nested/unresolvable.db")), "refused");
  EXPECT_EQ(OutcomeOf(summary, At("notes.db")), "skipped");
  EXPECT_EQ(OutcomeOf(summary, At("nested/empty.db")), "skipped");
  EXPECT_EQ(OutcomeOf(summary, At("nested/deeper/truncated.db")), "unusable");
  EXPECT_EQ(OutcomeOf(summary, At("wal.db")), "fixed");
  EXPECT_EQ(OutcomeOf(summary, At("nested/loop")), "skipped");
  EXPECT_EQ(OutcomeOf(summary, At("locked.db")), "error");
  // The symlink is followed and the file it names repaired; the link stays.
  const FileResult* linked = Find(summary, At("nested/link.db"));
  ASSERT_NE(linked, nullptr);
  EXPECT_EQ(linked->outcome, Outcome::kFixed);
  EXPECT_EQ(linked->path, fs::canonical(dir_.File("outside/target.db")).string());
  EXPECT_TRUE(fs::is_symlink(At("nested/link.db")));
  EXPECT_EQ(DanglingTables(dir_.File("outside/target.db")), 0);
  // Companions and the -wal are never inputs; nothing else is reported.
  EXPECT_EQ(summary.files, 11);
  EXPECT_EQ(summary.worst, base::Code::kEnvironment);

  // The -wal traveled with its database: folded in and removed by the swap.
  EXPECT_FALSE(fs::exists(At("wal.db-wal")));
  for (const char* fixed : {"broken.db", "nested/deeper/broken2.bin", "wal.db"}) {
    EXPECT_EQ(DanglingTables(At(fixed)), 0) << fixed;
    EXPECT_EQ(testutil::Query(At(fixed), "SELECT version_num FROM alembic_version"),
              std::vector<std::string>{"abc123"});
  }
  // Fleet mode does not stamp healthy files by default: byte-identical.
  EXPECT_EQ(TakeSnapshot(At("healthy.sqlite")), healthy_before);
  EXPECT_EQ(TakeSnapshot(At("nested/unresolvable.db")), refused_before);
  EXPECT_EQ(TakeSnapshot(At("nested/deeper/truncated.db")), truncated_before);
  EXPECT_EQ(TakeSnapshot(At("locked.db")), locked_before);
  EXPECT_TRUE(Leftovers(Root()).empty());
  EXPECT_TRUE(fs::exists(At(std::string(base::kJournalName))));
}

TEST_F(RunnerTest, StampHealthyStampsHealthyFilesToo) {
  Healthy(At("a/healthy.db"));
  Broken(At("b/broken.db"));
  testutil::ExecSql(At("b/broken.db"),
                    "CREATE TABLE alembic_version(version_num VARCHAR(32) NOT NULL PRIMARY KEY);"
                    "INSERT INTO alembic_version VALUES ('old1');");
  RunOptions options = FixOptions();
  options.fix.stamp = "new2";
  options.fix.stamp_healthy = true;
  Summary summary = batch::Run({Root()}, options);
  EXPECT_EQ(OutcomeOf(summary, At("a/healthy.db")), "stamped");
  const FileResult* fixed = Find(summary, At("b/broken.db"));
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(fixed->outcome, Outcome::kFixed);
  EXPECT_EQ(fixed->report.previous_heads, std::vector<std::string>{"old1"});
  for (const char* db : {"a/healthy.db", "b/broken.db"}) {
    EXPECT_EQ(testutil::Query(At(db), "SELECT version_num FROM alembic_version"),
              std::vector<std::string>{"new2"});
  }
}

TEST_F(RunnerTest, DryRunWritesNothing) {
  BuildMixedTree();
  auto before = TreeBytes();
  RunOptions options = FixOptions();
  options.fix.dry_run = true;
  options.fix.stamp = "abc123";
  Summary summary = batch::Run({Root()}, options);
  EXPECT_EQ(OutcomeOf(summary, At("broken.db")), "damaged");
  EXPECT_EQ(OutcomeOf(summary, At("wal.db")), "damaged");
  EXPECT_EQ(OutcomeOf(summary, At("healthy.sqlite")), "healthy");
  EXPECT_EQ(OutcomeOf(summary, At("nested/unresolvable.db")), "refused");
  EXPECT_EQ(summary.journal, "");
  EXPECT_TRUE(TreeBytes() == before);
}

TEST_F(RunnerTest, CheckFkReportsDamageAndWritesNoDatabase) {
  BuildMixedTree();
  auto broken_before = TakeSnapshot(At("broken.db"));
  RunOptions options;
  options.verb = Verb::kCheckFk;
  options.jobs = 2;
  Summary summary = batch::Run({Root()}, options);
  EXPECT_EQ(OutcomeOf(summary, At("broken.db")), "damaged");
  EXPECT_EQ(OutcomeOf(summary, At("nested/unresolvable.db")), "refused");
  EXPECT_EQ(OutcomeOf(summary, At("healthy.sqlite")), "healthy");
  EXPECT_EQ(TakeSnapshot(At("broken.db")), broken_before);
  EXPECT_EQ(summary.worst, base::Code::kUnusableInput);  // the truncated file
}

TEST_F(RunnerTest, TwoRunnersOnOneTreeNeverProcessAFileTwice) {
  for (int i = 0; i < 16; ++i) Broken(At("d" + std::to_string(i % 3) + "/b" + std::to_string(i) + ".db"));
  for (int i = 0; i < 6; ++i) Healthy(At("h/h" + std::to_string(i) + ".db"));
  Summary first, second;
  std::thread a([&] { first = batch::Run({Root()}, FixOptions(2)); });
  std::thread b([&] { second = batch::Run({Root()}, FixOptions(2)); });
  a.join();
  b.join();
  std::map<std::string, int> processed;
  for (const Summary* s : {&first, &second}) {
    for (const auto& r : s->results) {
      if (r.processed) {
        ++processed[r.path];
      } else {
        EXPECT_EQ(r.outcome, Outcome::kDoneEarlier) << r.path << ": " << r.reason;
      }
    }
  }
  EXPECT_EQ(processed.size(), 22u);
  for (const auto& [path, times] : processed) EXPECT_EQ(times, 1) << path;
  EXPECT_EQ(first.Count(Outcome::kFixed) + second.Count(Outcome::kFixed), 16);
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(DanglingTables(At("d" + std::to_string(i % 3) + "/b" + std::to_string(i) + ".db")), 0);
  }
  EXPECT_TRUE(Leftovers(Root()).empty());
}

TEST_F(RunnerTest, RerunAfterAKillFinishesWithoutTouchingFinishedFiles) {
  constexpr int kFiles = 12, kFinishedBeforeKill = 5;
  std::vector<std::string> files;
  for (int i = 0; i < kFiles; ++i) {
    files.push_back(At("n" + std::to_string(i % 2) + "/f" + std::to_string(i) + ".db"));
    if (i % 4 == 3) {
      Healthy(files.back());
    } else {
      Broken(files.back());
    }
  }
  Unresolvable(At("refused.db"));
  files.push_back(At("refused.db"));

  // The child works with one worker and dies (SIGKILL) inside the copy of
  // the file after the first kFinishedBeforeKill.
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int finished = 0;
    RunOptions options = FixOptions(1);
    options.fix.stamp = "rev1";
    options.observer.finished = [&](const FileResult& r) { finished += r.processed ? 1 : 0; };
    options.observer.progress = [&](const std::string&, const repair::ProgressEvent& e) {
      if (finished >= kFinishedBeforeKill && e.phase == "copy") ::kill(::getpid(), SIGKILL);
    };
    batch::Run({Root()}, options);
    ::_exit(0);
  }
  int wstatus = 0;
  ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL) << "the child was not killed";

  // What the killed run finished, by its journal.
  auto journal = testutil::ReadFile(At(std::string(base::kJournalName)));
  std::map<std::string, Touch> finished;
  for (const auto& path : files) {
    if (journal.find("\"" + path + "\"") != std::string::npos) finished[path] = TouchOf(path);
  }
  ASSERT_GE(finished.size(), static_cast<size_t>(kFinishedBeforeKill));
  ASSERT_LT(finished.size(), files.size());
  EXPECT_FALSE(Leftovers(Root()).empty()) << "the kill was meant to land inside a copy";

  RunOptions options = FixOptions(2);
  options.fix.stamp = "rev1";
  Summary rerun = batch::Run({Root()}, options);
  for (const auto& path : files) {
    const FileResult* r = Find(rerun, path);
    ASSERT_NE(r, nullptr);
    if (finished.count(path)) {
      EXPECT_EQ(r->outcome, Outcome::kDoneEarlier) << path;
      EXPECT_EQ(TouchOf(path), finished[path]) << path << " was touched again";
    } else {
      EXPECT_TRUE(r->processed) << path;
    }
    if (path != At("refused.db")) {
      EXPECT_EQ(DanglingTables(path), 0) << path;
    }
  }
  EXPECT_EQ(OutcomeOf(rerun, At("refused.db")), finished.count(At("refused.db")) ? "done-earlier" : "refused");
  EXPECT_EQ(rerun.worst, base::Code::kRefused);  // the refused file is still refused
  EXPECT_TRUE(Leftovers(Root()).empty());

  // A third run has nothing left to do.
  Summary third = batch::Run({Root()}, options);
  EXPECT_EQ(third.Count(Outcome::kDoneEarlier), kFiles + 1);
}

TEST_F(RunnerTest, AChangedFileIsDoneAgainAndNoResumeIgnoresTheJournal) {
  Healthy(At("a.db"));
  RunOptions options = FixOptions(1);
  EXPECT_EQ(OutcomeOf(batch::Run({Root()}, options), At("a.db")), "healthy");
  EXPECT_EQ(OutcomeOf(batch::Run({Root()}, options), At("a.db")), "done-earlier");
  options.resume = false;
  EXPECT_EQ(OutcomeOf(batch::Run({Root()}, options), At("a.db")), "healthy");
  options.resume = true;
  testutil::ExecSql(At("a.db"), kMigrate);  // changed since: now broken
  EXPECT_EQ(OutcomeOf(batch::Run({Root()}, options), At("a.db")), "fixed");
  // Another command (a --stamp) does not count the earlier runs.
  options.fix.stamp = "abc";
  EXPECT_EQ(OutcomeOf(batch::Run({Root()}, options), At("a.db")), "healthy");
}

TEST_F(RunnerTest, StopTakesNoNewFileAndReportsTheRunInterrupted) {
  for (int i = 0; i < 6; ++i) Broken(At("b" + std::to_string(i) + ".db"));
  std::atomic<bool> stop{false};
  RunOptions options = FixOptions(1);
  options.should_stop = [&] { return stop.load(); };
  options.observer.finished = [&](const FileResult&) { stop = true; };
  Summary summary = batch::Run({Root()}, options);
  EXPECT_EQ(summary.Count(Outcome::kFixed), 1);
  EXPECT_EQ(summary.not_started, 5);
  EXPECT_TRUE(summary.interrupted);
  EXPECT_EQ(summary.worst, base::Code::kInterrupted);
}

}  // namespace
}  // namespace sqlmend::batch
