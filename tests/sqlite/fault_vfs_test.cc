// Tests of the fault-injecting VFS (tests/testutil/fault_vfs.h) that the
// repair tests use to simulate a full disk, a write error or a failing fsync:
// the faults fire when armed, never before, and SQLite's rollback leaves a
// consistent database behind, so what the repair tests see is SQLite's real
// reaction to a real-looking fault.
#include "testutil/fault_vfs.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "testutil/testutil.h"

namespace sqlmend::testutil {
namespace {

// A connection opened through `vfs` (nullptr: the default VFS), closed on
// destruction.
class Connection {
 public:
  Connection(const std::string& path, const char* vfs) {
    rc_ = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
  }
  ~Connection() { sqlite3_close_v2(db_); }
  Connection(const Connection&) = delete;

  int open_rc() const { return rc_; }
  // sqlite3_exec's result code; the message is kept for failure output.
  int Exec(const std::string& sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    last_message_ = message ? message : "";
    sqlite3_free(message);
    return rc;
  }
  // The first column of the first row as text ("" for none or on error).
  std::string QueryText(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string result;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      result = text ? reinterpret_cast<const char*>(text) : "NULL";
    }
    sqlite3_finalize(stmt);
    return result;
  }
  int ExtendedErrcode() const { return sqlite3_extended_errcode(db_); }
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  const std::string& last_message() const { return last_message_; }

 private:
  sqlite3* db_ = nullptr;
  int rc_ = SQLITE_OK;
  std::string last_message_;
};

constexpr const char* kCreateTable =
    "CREATE TABLE t(id INTEGER PRIMARY KEY, payload BLOB NOT NULL)";
// One row of about 1 KB: each autocommit insert writes a journal and a few
// pages, several KB in all.
constexpr const char* kInsertRow = "INSERT INTO t(payload) VALUES (randomblob(1000))";

class FaultVfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(FaultVfs::Install());
    FaultVfs::Reset();
  }
  void TearDown() override { FaultVfs::Reset(); }

  // The checks made after a fault, with the disk "freed" and through the
  // default VFS, so nothing of the fault VFS can hide a damaged file.
  void ExpectConsistent(int64_t expected_rows) {
    FaultVfs::Reset();
    Connection check(db_path_, nullptr);
    ASSERT_EQ(check.open_rc(), SQLITE_OK);
    EXPECT_EQ(check.QueryText("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(check.QueryText("SELECT count(*) FROM t"), std::to_string(expected_rows));
  }

  TempDir dir_;
  std::string db_path_ = dir_.File("fault.sqlite");
};

TEST_F(FaultVfsTest, InstallIsIdempotentAndNotTheDefault) {
  ASSERT_OK(FaultVfs::Install());
  ASSERT_OK(FaultVfs::Install());
  sqlite3_vfs* fault = sqlite3_vfs_find(FaultVfs::kName);
  ASSERT_NE(fault, nullptr);
  EXPECT_NE(sqlite3_vfs_find(nullptr), fault);
  // Registered once: the VFS list holds the name a single time.
  int seen = 0;
  for (sqlite3_vfs* vfs = sqlite3_vfs_find(nullptr); vfs != nullptr; vfs = vfs->pNext) {
    if (std::string(vfs->zName) == FaultVfs::kName) ++seen;
  }
  EXPECT_EQ(seen, 1);
}

TEST_F(FaultVfsTest, CountsBytesWrittenAndResetClearsThem) {
  Connection db(db_path_, FaultVfs::kName);
  ASSERT_EQ(db.open_rc(), SQLITE_OK);
  EXPECT_EQ(FaultVfs::BytesWritten(), 0);
  ASSERT_EQ(db.Exec(kCreateTable), SQLITE_OK) << db.last_message();
  ASSERT_EQ(db.Exec(kInsertRow), SQLITE_OK) << db.last_message();
  EXPECT_GE(FaultVfs::BytesWritten(), 1000);
  FaultVfs::Reset();
  EXPECT_EQ(FaultVfs::BytesWritten(), 0);
}

TEST_F(FaultVfsTest, InsertsSucceedUntilTheDiskIsFull) {
  Connection db(db_path_, FaultVfs::kName);
  ASSERT_EQ(db.open_rc(), SQLITE_OK);
  ASSERT_EQ(db.Exec(kCreateTable), SQLITE_OK) << db.last_message();

  const int64_t budget = 256 * 1024;
  const int64_t armed_at = FaultVfs::BytesWritten();
  FaultVfs::FailWritesAfter(budget, SQLITE_FULL);
  int64_t inserted = 0;
  int rc = SQLITE_OK;
  while (inserted < 10000 && (rc = db.Exec(kInsertRow)) == SQLITE_OK) ++inserted;

  EXPECT_GT(inserted, 5) << "the budget should hold several inserts";
  EXPECT_EQ(rc, SQLITE_FULL) << db.last_message();
  EXPECT_EQ(db.ExtendedErrcode(), SQLITE_FULL);
  EXPECT_LE(FaultVfs::BytesWritten() - armed_at, budget);
  // The disk stays full: later writes fail too, even small ones.
  EXPECT_EQ(db.Exec("INSERT INTO t(payload) VALUES (x'00')"), SQLITE_FULL);

  ExpectConsistent(inserted);
}

// Both error codes the unix VFS reports for a failed write reach the caller.
TEST_F(FaultVfsTest, AWriteFailsWithTheArmedError) {
  struct Case {
    int armed;
    int primary;
  };
  const Case cases[] = {{SQLITE_FULL, SQLITE_FULL}, {SQLITE_IOERR_WRITE, SQLITE_IOERR}};
  for (const Case& c : cases) {
    SCOPED_TRACE(sqlite3_errstr(c.armed));
    std::filesystem::remove(db_path_);
    FaultVfs::Reset();
    Connection db(db_path_, FaultVfs::kName);
    ASSERT_EQ(db.open_rc(), SQLITE_OK);
    ASSERT_EQ(db.Exec(kCreateTable), SQLITE_OK) << db.last_message();
    FaultVfs::FailWritesAfter(0, c.armed);
    EXPECT_EQ(db.Exec(kInsertRow), c.primary) << db.last_message();
    EXPECT_EQ(db.ExtendedErrcode(), c.armed);
  }
}

// A transaction too big for the page cache spills pages into the database
// file before COMMIT; a full disk in the middle of it must roll everything
// back, and the journal must restore the file once space is back.
TEST_F(FaultVfsTest, ALargeTransactionIsRolledBackWhenTheDiskFills) {
  Connection db(db_path_, FaultVfs::kName);
  ASSERT_EQ(db.open_rc(), SQLITE_OK);
  ASSERT_EQ(db.Exec(kCreateTable), SQLITE_OK) << db.last_message();
  ASSERT_EQ(db.Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)"
                    " INSERT INTO t(payload) SELECT randomblob(1000) FROM n"),
            SQLITE_OK)
      << db.last_message();
  ASSERT_EQ(db.Exec("PRAGMA cache_size = 10"), SQLITE_OK);  // pages: forces spills

  FaultVfs::FailWritesAfter(512 * 1024, SQLITE_FULL);
  ASSERT_EQ(db.Exec("BEGIN"), SQLITE_OK);
  int rc = SQLITE_OK;
  int inserted = 0;
  while (inserted < 5000 && (rc = db.Exec(kInsertRow)) == SQLITE_OK) ++inserted;
  EXPECT_EQ(rc, SQLITE_FULL) << db.last_message();
  EXPECT_GT(inserted, 100) << "the failure should come after pages were spilled";
  if (db.InTransaction()) db.Exec("ROLLBACK");  // may itself fail: the disk is still full

  ExpectConsistent(100);
}

TEST_F(FaultVfsTest, FailSyncMakesCommitFailWithAnIoError) {
  Connection db(db_path_, FaultVfs::kName);
  ASSERT_EQ(db.open_rc(), SQLITE_OK);
  ASSERT_EQ(db.Exec(kCreateTable), SQLITE_OK) << db.last_message();
  ASSERT_EQ(db.Exec(kInsertRow), SQLITE_OK) << db.last_message();
  ASSERT_EQ(db.Exec("PRAGMA synchronous = FULL"), SQLITE_OK);

  ASSERT_EQ(db.Exec("BEGIN"), SQLITE_OK);
  ASSERT_EQ(db.Exec(kInsertRow), SQLITE_OK) << db.last_message();
  FaultVfs::FailSync(true);
  EXPECT_EQ(db.Exec("COMMIT"), SQLITE_IOERR) << db.last_message();
  EXPECT_EQ(db.ExtendedErrcode(), SQLITE_IOERR_FSYNC);
  if (db.InTransaction()) db.Exec("ROLLBACK");

  // The journal was never synced, so the database file was never touched.
  ExpectConsistent(1);
  // With the fault lifted, the same connection commits again.
  ASSERT_EQ(db.Exec(kInsertRow), SQLITE_OK) << db.last_message();
  EXPECT_EQ(db.QueryText("SELECT count(*) FROM t"), "2");
}

// WAL mode needs the version-2 io_methods (shared memory); the wrapper must
// forward them so that two connections see each other's commits.
TEST_F(FaultVfsTest, ForwardsSharedMemoryForWalMode) {
  Connection writer(db_path_, FaultVfs::kName);
  ASSERT_EQ(writer.open_rc(), SQLITE_OK);
  ASSERT_EQ(writer.QueryText("PRAGMA journal_mode = WAL"), "wal");
  ASSERT_EQ(writer.Exec(kCreateTable), SQLITE_OK) << writer.last_message();
  ASSERT_EQ(writer.Exec(kInsertRow), SQLITE_OK) << writer.last_message();
  EXPECT_TRUE(std::filesystem::exists(db_path_ + "-wal"));
  EXPECT_TRUE(std::filesystem::exists(db_path_ + "-shm"));

  Connection reader(db_path_, FaultVfs::kName);
  ASSERT_EQ(reader.open_rc(), SQLITE_OK);
  EXPECT_EQ(reader.QueryText("SELECT count(*) FROM t"), "1");
  ASSERT_EQ(writer.Exec(kInsertRow), SQLITE_OK) << writer.last_message();
  EXPECT_EQ(reader.QueryText("SELECT count(*) FROM t"), "2");

  // A full disk while appending to the WAL fails the commit the same way.
  FaultVfs::FailWritesAfter(0, SQLITE_FULL);
  EXPECT_EQ(writer.Exec(kInsertRow), SQLITE_FULL) << writer.last_message();
  FaultVfs::Reset();
  EXPECT_EQ(reader.QueryText("SELECT count(*) FROM t"), "2");
}

}  // namespace
}  // namespace sqlmend::testutil
