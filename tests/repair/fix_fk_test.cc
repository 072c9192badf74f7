// fix-fk's promises beyond the corpus: refusals change nothing on disk
// (non-database, empty, truncated, corrupt, unresolvable, locked, read-only
// folder, full disk, I/O error), a healthy file is never rewritten, --output
// and --dry-run leave the original alone, a WAL is read and never left stale,
// and a kill at any phase leaves the original intact.
#include "repair/fix_fk.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "repair/check_fk.h"
#include "repair/kill_at_phase.h"
#include "testutil/corpus.h"
#include "testutil/fault_vfs.h"
#include "testutil/testutil.h"

namespace sqlmend::repair {
namespace {

using testutil::Query;
using testutil::TakeSnapshot;

constexpr char kBroken[] = R"(
CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
                   title TEXT DEFAULT 'users__old');
CREATE VIEW v_posts AS SELECT p.title, u.name FROM posts p JOIN users u ON u.id = p.user_id;
INSERT INTO users VALUES (1,'a'),(2,'b');
INSERT INTO posts VALUES (10,1,'p1'),(11,2,'p2'),(12,999,'orphan');
ALTER TABLE users RENAME TO users__old;
CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
INSERT INTO users(id, name) SELECT id, name FROM users__old;
DROP TABLE users__old;
)";

class FixFkTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK(testutil::FaultVfs::Install()); }
  void TearDown() override { testutil::FaultVfs::Reset(); }

  std::string MakeBroken(const std::string& name = "app.sqlite") {
    std::string path = dir_.File(name);
    testutil::ExecSql(path, kBroken);
    return path;
  }

  // Runs fix-fk and asserts the refusal left `path` byte-identical and no
  // file behind.
  void ExpectRefusalChangesNothing(const std::string& path, FixOptions options,
                                   base::Code expected) {
    auto before = TakeSnapshot(path);
    auto files_before = testutil::ListDir(dir_.path());
    Report report;
    base::Status status = FixFk(path, options, &report);
    EXPECT_EQ(status.code(), expected) << status.ToString();
    EXPECT_NE(status.ToString().find(path), std::string::npos) << status.ToString();
    EXPECT_EQ(TakeSnapshot(path), before);
    EXPECT_EQ(testutil::ListDir(dir_.path()), files_before);
  }

  testutil::TempDir dir_;
};

TEST_F(FixFkTest, RepairsStampsAndKeepsBackup) {
  std::string path = MakeBroken();
  auto original = testutil::ReadFile(path);
  FixOptions options;
  options.stamp = "0c3414079bfe";
  Report report;
  ASSERT_OK(FixFk(path, options, &report));
  EXPECT_EQ(report.outcome, Report::Outcome::kFixed);
  ASSERT_EQ(report.resolutions.size(), 1u);
  EXPECT_EQ(report.resolutions[0].target, "users");
  ASSERT_EQ(report.fks.size(), 1u);
  EXPECT_EQ(report.fks[0].orphans, 1);
  EXPECT_EQ(Query(path, "SELECT version_num FROM alembic_version"),
            std::vector<std::string>{"0c3414079bfe"});
  EXPECT_EQ(Query(path, "PRAGMA foreign_key_check"), std::vector<std::string>{"posts|12|users|0"});
  EXPECT_EQ(Query(path, "SELECT title FROM posts WHERE id=10"), std::vector<std::string>{"p1"});
  EXPECT_EQ(Query(path, "SELECT count(*) FROM v_posts"), std::vector<std::string>{"2"});
  testutil::ExecSql(path, "PRAGMA foreign_keys=ON; INSERT INTO posts VALUES (13, 1, 'new');");
  ASSERT_FALSE(report.backup_path.empty());
  EXPECT_EQ(testutil::ReadFile(report.backup_path), original);
  // Nothing else is left in the folder.
  EXPECT_EQ(testutil::ListDir(dir_.path()).size(), 2u);
}

TEST_F(FixFkTest, VerifyFullComparesContents) {
  std::string path = MakeBroken();
  testutil::ExecSql(path, "CREATE TABLE blobs(b BLOB, r REAL, t TEXT);"
                          "INSERT INTO blobs VALUES (x'00ff', 5e-324, CAST(x'610062' AS TEXT));");
  FixOptions options;
  options.verify = VerifyLevel::kFull;
  Report report;
  ASSERT_OK(FixFk(path, options, &report));
  EXPECT_EQ(report.outcome, Report::Outcome::kFixed);
  EXPECT_EQ(Query(path, "SELECT hex(b), r = 5e-324, hex(t) FROM blobs"),
            std::vector<std::string>{"00FF|1|610062"});
}

TEST_F(FixFkTest, CheckFkNeverWrites) {
  std::string path = MakeBroken();
  testutil::ExecSql(path, "PRAGMA journal_mode=WAL;");
  auto before = TakeSnapshot(path);
  auto files = testutil::ListDir(dir_.path());
  Report report;
  base::Status status = CheckFk(path, {}, &report);
  EXPECT_EQ(status.code(), base::Code::kDamage) << status.ToString();
  EXPECT_EQ(report.fks.size(), 1u);
  EXPECT_EQ(report.fks[0].orphans, 1);
  EXPECT_EQ(report.quick_check, "ok");
  ASSERT_EQ(report.broken_objects.size(), 1u);
  EXPECT_EQ(report.broken_objects[0], "view v_posts");
  EXPECT_EQ(TakeSnapshot(path), before);
  EXPECT_EQ(testutil::ListDir(dir_.path()), files);
}

TEST_F(FixFkTest, RefusesNonDatabaseEmptyTruncatedAndCorrupt) {
  std::string text = dir_.File("notes.txt");
  testutil::WriteFile(text, "hello, not a database\n");
  ExpectRefusalChangesNothing(text, {}, base::Code::kUnusableInput);

  std::string empty = dir_.File("empty.db");
  testutil::WriteFile(empty, "");
  ExpectRefusalChangesNothing(empty, {}, base::Code::kUnusableInput);

  std::string truncated = MakeBroken("truncated.db");
  std::string bytes = testutil::ReadFile(truncated);
  testutil::WriteFile(truncated, bytes.substr(0, bytes.size() - 1000));
  ExpectRefusalChangesNothing(truncated, {}, base::Code::kUnusableInput);

  // Corrupt: garbage over the second page (posts' b-tree or users').
  std::string corrupt = MakeBroken("corrupt.db");
  testutil::ExecSql(corrupt, "VACUUM");
  std::string data = testutil::ReadFile(corrupt);
  for (size_t i = 4096 + 8; i < 4096 + 200 && i < data.size(); ++i) data[i] = '\x5a';
  testutil::WriteFile(corrupt, data);
  ExpectRefusalChangesNothing(corrupt, {}, base::Code::kUnusableInput);
}

TEST_F(FixFkTest, RefusesUnresolvableNameWithMapHint) {
  std::string path = dir_.File("app.sqlite");
  testutil::ExecSql(path,
                    "CREATE TABLE a(id INTEGER PRIMARY KEY);"
                    "CREATE TABLE c(x REFERENCES a(id));"
                    "ALTER TABLE a RENAME TO zz_gone; CREATE TABLE b(id INTEGER PRIMARY KEY);"
                    "DROP TABLE zz_gone;");
  ExpectRefusalChangesNothing(path, {}, base::Code::kRefused);
  Report report;
  FixFk(path, {}, &report);
  ASSERT_EQ(report.resolutions.size(), 1u);
  EXPECT_EQ(report.resolutions[0].missing, "zz_gone");
  EXPECT_TRUE(report.resolutions[0].target.empty());
  // With --map it repairs.
  FixOptions options;
  options.maps = {{"zz_gone", "b"}};
  Report fixed;
  ASSERT_OK(FixFk(path, options, &fixed));
  EXPECT_EQ(fixed.outcome, Report::Outcome::kFixed);
}

TEST_F(FixFkTest, RefusesLockedFile) {
  std::string path = MakeBroken();
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  FixOptions options;
  options.busy_timeout_ms = 50;
  auto before = TakeSnapshot(path);
  Report report;
  base::Status status = FixFk(path, options, &report);
  EXPECT_EQ(status.code(), base::Code::kEnvironment) << status.ToString();
  EXPECT_NE(status.message().find("locked"), std::string::npos);
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  EXPECT_EQ(TakeSnapshot(path), before);
}

TEST_F(FixFkTest, RefusesFullDiskAndIoErrors) {
  std::string path = MakeBroken();
  for (int error : {SQLITE_FULL, SQLITE_IOERR_WRITE}) {
    for (int64_t after : {0, 5000}) {
      FixOptions options;
      options.vfs = testutil::FaultVfs::kName;
      testutil::FaultVfs::FailWritesAfter(after, error);
      ExpectRefusalChangesNothing(path, options, base::Code::kEnvironment);
      testutil::FaultVfs::Reset();
    }
  }
  FixOptions options;
  options.vfs = testutil::FaultVfs::kName;
  Report report;
  ASSERT_OK(FixFk(path, options, &report));  // the disk has room again
}

TEST_F(FixFkTest, RefusesReadOnlyFolder) {
  std::string sub = dir_.File("ro");
  std::filesystem::create_directory(sub);
  std::string path = sub + "/app.sqlite";
  testutil::ExecSql(path, kBroken);
  auto before = TakeSnapshot(path);
  std::filesystem::permissions(dir_.path(), std::filesystem::perms(0755));
  std::filesystem::permissions(sub, std::filesystem::perms(0555));
  ::chmod(path.c_str(), 0666);
  // Root ignores permission bits: run the CLI as nobody, as a user would.
  std::string prefix = ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
  auto run = testutil::RunCommand(prefix + testutil::ShellQuote(SQLMEND_BIN) + " fix-fk " +
                                  testutil::ShellQuote(path));
  EXPECT_EQ(run.exit_code, 5) << run.out << run.err;
  EXPECT_NE(run.err.find(path), std::string::npos) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  std::filesystem::permissions(sub, std::filesystem::perms(0755));
  EXPECT_EQ(TakeSnapshot(path), before);
  EXPECT_EQ(testutil::ListDir(sub), std::vector<std::string>{"app.sqlite"});
}

TEST_F(FixFkTest, HealthyFileIsNeverRewritten) {
  std::string path = dir_.File("healthy.db");
  testutil::ExecSql(path, "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(x REFERENCES p);"
                          "INSERT INTO p VALUES(1);");
  auto before = TakeSnapshot(path);
  Report report;
  ASSERT_OK(FixFk(path, {}, &report));
  EXPECT_EQ(report.outcome, Report::Outcome::kHealthy);
  EXPECT_EQ(TakeSnapshot(path), before);
  // With --stamp: the stamp alone, no backup, no rebuild.
  FixOptions options;
  options.stamp = "abc123";
  ASSERT_OK(FixFk(path, options, &report));
  EXPECT_EQ(report.outcome, Report::Outcome::kStamped);
  EXPECT_EQ(Query(path, "SELECT * FROM alembic_version"), std::vector<std::string>{"abc123"});
  EXPECT_EQ(Query(path, "SELECT * FROM p"), std::vector<std::string>{"1"});
  EXPECT_EQ(testutil::ListDir(dir_.path()), std::vector<std::string>{"healthy.db"});
  // Stamping again at the same revision writes nothing.
  auto stamped = TakeSnapshot(path);
  ASSERT_OK(FixFk(path, options, &report));
  EXPECT_EQ(TakeSnapshot(path), stamped);
}

TEST_F(FixFkTest, StampReplacesEveryHeadLikeStampPurge) {
  std::string path = MakeBroken();
  testutil::ExecSql(path,
                    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT "
                    "alembic_version_pkc PRIMARY KEY (version_num));"
                    "INSERT INTO alembic_version VALUES ('aaa'), ('bbb');");
  FixOptions options;
  options.stamp = "ccc";
  Report report;
  ASSERT_OK(FixFk(path, options, &report));
  EXPECT_EQ(Query(path, "SELECT * FROM alembic_version"), std::vector<std::string>{"ccc"});
}

TEST_F(FixFkTest, OutputAndDryRunLeaveTheOriginalAlone) {
  std::string path = MakeBroken();
  auto before = TakeSnapshot(path);
  FixOptions dry;
  dry.dry_run = true;
  Report report;
  EXPECT_EQ(FixFk(path, dry, &report).code(), base::Code::kDamage);
  EXPECT_TRUE(report.dry_run);
  EXPECT_EQ(report.fks.at(0).orphans, 1);
  EXPECT_EQ(TakeSnapshot(path), before);

  FixOptions same;
  same.output = path;
  EXPECT_EQ(FixFk(path, same, &report).code(), base::Code::kUsage);
  EXPECT_EQ(TakeSnapshot(path), before);

  FixOptions out;
  out.output = dir_.File("fixed.sqlite");
  ASSERT_OK(FixFk(path, out, &report));
  EXPECT_EQ(TakeSnapshot(path), before);
  EXPECT_EQ(Query(*out.output, "PRAGMA foreign_key_check"),
            std::vector<std::string>{"posts|12|users|0"});
  EXPECT_EQ(testutil::ListDir(dir_.path()),
            (std::vector<std::string>{"app.sqlite", "fixed.sqlite"}));
}

// The damage inside an uncheckpointed WAL: the files are copied while the
// writing connection is still open.
std::string MakeBrokenInWal(const testutil::TempDir& dir) {
  std::string path = dir.File("wal.db");
  std::string scratch = dir.File("scratch.db");
  sqlite3* db = nullptr;
  sqlite3_open(scratch.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;", nullptr, nullptr,
               nullptr);
  sqlite3_exec(db, kBroken, nullptr, nullptr, nullptr);
  std::filesystem::copy_file(scratch, path);
  std::filesystem::copy_file(scratch + "-wal", path + "-wal");
  sqlite3_close(db);
  for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(scratch + s);
  return path;
}

TEST_F(FixFkTest, ReadsThroughWalAndLeavesNoStaleWal) {
  std::string path = MakeBrokenInWal(dir_);
  ASSERT_GT(std::filesystem::file_size(path + "-wal"), 0u);
  Report report;
  ASSERT_OK(FixFk(path, {}, &report));
  EXPECT_EQ(report.outcome, Report::Outcome::kFixed);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(path + "-shm"));
  EXPECT_EQ(Query(path, "PRAGMA journal_mode"), std::vector<std::string>{"wal"});
  EXPECT_EQ(Query(path, "SELECT count(*) FROM posts"), std::vector<std::string>{"3"});
  // The backup alone holds the whole original (its WAL was folded in).
  EXPECT_EQ(Query(report.backup_path, "SELECT count(*) FROM posts"),
            std::vector<std::string>{"3"});
  for (const char* s : {"-wal", "-shm"}) std::filesystem::remove(report.backup_path + s);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
}

// A reader in the WAL when the swap folds it in keeps the checkpoint from
// finishing: the run loses as to any other lock, with the documented lock
// message, and replaces nothing.
TEST_F(FixFkTest, AReaderHoldingTheWalAtTheSwapIsALock) {
  std::string path = MakeBrokenInWal(dir_);
  // Its contents, read from a copy (the last connection to close a WAL
  // database folds it in).
  testutil::TempDir side;
  for (const char* s : {"", "-wal"}) std::filesystem::copy_file(path + s, side.File("wal.db") + s);
  auto contents = [](const std::string& db) {
    auto rows = Query(db, "SELECT type, name, sql FROM sqlite_master ORDER BY name");
    for (const char* table : {"users", "posts"}) {
      for (auto& row : Query(db, std::string("SELECT * FROM ") + table)) rows.push_back(row);
    }
    return rows;
  };
  auto before = contents(side.File("wal.db"));
  sqlite3* reader = nullptr;
  FixOptions options;
  options.busy_timeout_ms = 50;
  options.progress = [&](const ProgressEvent& event) {
    if (event.phase != "swap" || reader) return;
    sqlite3_open(path.c_str(), &reader);
    sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM posts;", nullptr, nullptr, nullptr);
  };
  Report report;
  base::Status status = FixFk(path, options, &report);
  ASSERT_NE(reader, nullptr);
  sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(reader);
  EXPECT_EQ(status.code(), base::Code::kEnvironment) << status.ToString();
  EXPECT_EQ(status.message(), "database is locked by another process");
  EXPECT_TRUE(report.backup_path.empty());
  auto left = testutil::ListDir(dir_.path());
  EXPECT_TRUE(left == std::vector<std::string>{"wal.db"} ||
              left == (std::vector<std::string>{"wal.db", "wal.db-shm", "wal.db-wal"}))
      << ::testing::PrintToString(left);
  EXPECT_EQ(contents(path), before);
}

// Kills the process at each phase of the pipeline: the original must survive
// intact every time (byte-identical before the swap, repaired after it), and
// the next run must finish the job and clean up the dead run's temporary.
TEST_F(FixFkTest, KillAtEveryPhaseKeepsTheOriginal) {
  for (const char* phase : {"inspect", "copy", "verify", "swap", "backup-kept", "swapped"}) {
    SCOPED_TRACE(phase);
    testutil::TempDir dir;
    std::string path = dir.File("app.sqlite");
    testutil::ExecSql(path, kBroken);
    std::string original = testutil::ReadFile(path);
    ASSERT_TRUE(FixFkKilledAt(path, {}, phase));
    bool swapped = std::string(phase) == "swapped";
    if (swapped) {
      EXPECT_EQ(Query(path, "PRAGMA foreign_key_check"),
                std::vector<std::string>{"posts|12|users|0"});
    } else {
      EXPECT_EQ(testutil::ReadFile(path), original);
    }
    EXPECT_EQ(Query(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    Report report;
    ASSERT_OK(FixFk(path, {}, &report));
    EXPECT_EQ(report.outcome, swapped ? Report::Outcome::kHealthy : Report::Outcome::kFixed);
    for (const auto& name : testutil::ListDir(dir.path())) {
      EXPECT_EQ(name.find(".sqlmend-tmp-"), std::string::npos) << name;
    }
  }
}

// A copy SQLite refuses to build is exit 6 ("build-failed"), never a
// refusal of the input: here an index on an expression calls a function only
// the application defines, and a generated column with a UNIQUE index sends
// the table down the row path, where SQLite would have to call it.
TEST_F(FixFkTest, ReloadFailureIsBuildFailedNotRefused) {
  std::string path = dir_.File("app.sqlite");
  ASSERT_OK(testutil::LoadSql(path, R"(
CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE handles(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), h TEXT UNIQUE,
                     n INTEGER AS (length(h)) STORED);
CREATE INDEX handles_by_match ON handles(regexp('^a', h));
INSERT INTO users VALUES (1, 'a');
INSERT INTO handles(user_id, h) VALUES (1, 'ann'), (1, 'bob');
ALTER TABLE users RENAME TO users_old;
CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT, email TEXT);
INSERT INTO users(id, name) SELECT id, name FROM users_old;
DROP TABLE users_old;
)"));
  ExpectRefusalChangesNothing(path, {}, base::Code::kBuildFailed);
  Report report;
  base::Status status = FixFk(path, {}, &report);
  EXPECT_NE(status.message().find("regexp() belongs to the application"), std::string::npos)
      << status.ToString();
  EXPECT_EQ(base::ExitCode(status.code()), 6);
}

// A rowid table with neither an INTEGER PRIMARY KEY nor an index, whose
// columns are named rowid, _rowid_ and oid: SQLite's transfer would number
// its rows anew and SQL has no name left to copy them by. Its rowids cannot
// be kept, so the copy is not built (exit 6), and the original stays.
TEST_F(FixFkTest, RowidsHiddenByColumnsAreBuildFailedNotRenumbered) {
  std::string path = dir_.File("app.sqlite");
  ASSERT_OK(testutil::LoadSql(path, R"(
CREATE TABLE owners(id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE marks(owner_id INTEGER REFERENCES owners(id), rowid TEXT, oid TEXT, _rowid_ TEXT);
INSERT INTO owners VALUES (1, 'ann'), (2, 'bob');
INSERT INTO marks VALUES (1, 'a', 'b', 'c'), (2, 'd', 'e', 'f'), (1, 'g', 'h', 'i');
DELETE FROM marks WHERE owner_id = 2;
ALTER TABLE owners RENAME TO owners_old;
CREATE TABLE owners(id INTEGER PRIMARY KEY, name TEXT, email TEXT);
INSERT INTO owners(id, name) SELECT id, name FROM owners_old;
DROP TABLE owners_old;
)"));
  ExpectRefusalChangesNothing(path, {}, base::Code::kBuildFailed);
  Report report;
  base::Status status = FixFk(path, {}, &report);
  EXPECT_NE(status.message().find("the rowids of table marks cannot be kept"), std::string::npos)
      << status.ToString();
  EXPECT_EQ(base::ExitCode(status.code()), 6);
}

}  // namespace
}  // namespace sqlmend::repair
