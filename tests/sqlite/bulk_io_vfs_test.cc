// Tests of the bulk I/O VFS (src/sqlite/bulk_io_vfs.h) on real files: what
// a connection reads or writes through it is byte for byte what it would be
// through the default VFS, far fewer calls reach the file, and nothing read
// ahead or written behind outlives a lock: another connection sees every
// commit, and a change another connection commits is seen.
#include "sqlite/bulk_io_vfs.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <map>
#include <string>

#include "sqlite/checks.h"
#include "sqlite/db.h"
#include "testutil/testutil.h"

namespace sqlmend::sqlite {
namespace {

// Rows with overflow pages, an index and a WITHOUT ROWID table, in one
// transaction whose pages all fit the cache, so they are written at commit
// in page order, as fix-fk's copy writes most of its pages; every value is
// a function of the row number, so two runs write the same bytes.
// PAGE_SIZE is replaced by the page size under test.
constexpr char kBuild[] = R"(
PRAGMA page_size=PAGE_SIZE;
PRAGMA cache_size=-65536;
BEGIN;
CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, payload BLOB);
CREATE INDEX t_name ON t(name);
CREATE TABLE w(k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
INSERT INTO t SELECT i, 'name ' || (i * 7919 % 3001), zeroblob(i % 9 * 700) || CAST(i AS BLOB) FROM n;
INSERT INTO w SELECT 'k' || id, substr(payload, -300) FROM t;
COMMIT;
)";

std::string BuildSql(int page_size) {
  std::string sql = kBuild;
  sql.replace(sql.find("PAGE_SIZE"), 9, std::to_string(page_size));
  return sql;
}

Db OpenWith(const std::string& path, OpenMode mode, const std::string& vfs) {
  OpenOptions options;
  options.vfs = vfs;
  auto db = Db::Open(path, mode, options);
  EXPECT_TRUE(db.has_value()) << db.error().ToString();
  return std::move(*db);
}

// quick_check and a digest of every table, read in one transaction.
std::map<std::string, std::string> Contents(Db& db) {
  std::map<std::string, std::string> out;
  EXPECT_OK(db.Exec("BEGIN"));
  auto quick = QuickCheck(db);
  out["quick_check"] = quick ? *quick : quick.error().ToString();
  for (const char* table : {"t", "w"}) {
    auto digest = TableDigest(db, table, "");
    out[table] = digest ? std::to_string(*digest) : digest.error().ToString();
  }
  auto by_index = db.QueryInt("SELECT count(*) FROM t WHERE name > 'name 5'");
  out["by_index"] = by_index ? std::to_string(*by_index) : by_index.error().ToString();
  EXPECT_OK(db.Exec("COMMIT"));
  return out;
}

std::map<std::string, std::string> ContentsThroughDefaultVfs(const std::string& path) {
  Db db = OpenWith(path, OpenMode::kReadOnly, "");
  return Contents(db);
}

class BulkIoVfsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_STRNE(BulkIoVfsName(), ""); }
  testutil::TempDir dir_;
};

TEST_F(BulkIoVfsTest, ReadsWhatTheDefaultVfsReadsInFewerCalls) {
  std::string path = dir_.File("db.sqlite");
  testutil::ExecSql(path, BuildSql(4096));
  auto expected = ContentsThroughDefaultVfs(path);
  EXPECT_EQ(expected["quick_check"], "ok");
  BulkIoCounts before = BulkIoCountsSoFar();
  Db db = OpenWith(path, OpenMode::kReadOnly, BulkIoVfsName());
  EXPECT_EQ(Contents(db), expected);
  BulkIoCounts after = BulkIoCountsSoFar();
  int64_t reads = after.reads - before.reads, file_reads = after.file_reads - before.file_reads;
  EXPECT_GT(reads, 1000);
  EXPECT_LT(file_reads * 4, reads) << file_reads << " of " << reads << " reads reached the file";
}

TEST_F(BulkIoVfsTest, SeesWhatAnotherConnectionCommits) {
  for (const char* journal : {"DELETE", "WAL"}) {
    SCOPED_TRACE(journal);
    std::string path = dir_.File(std::string("seen-") + journal + ".sqlite");
    testutil::ExecSql(path, BuildSql(4096) + "PRAGMA journal_mode=" + journal + ";");
    Db reader = OpenWith(path, OpenMode::kReadOnly, BulkIoVfsName());
    auto first = Contents(reader);  // every page read ahead once
    {
      // Another connection rewrites a third of the rows, and checkpoints a
      // WAL so the database file itself changes under the reader.
      Db writer = OpenWith(path, OpenMode::kReadWrite, "");
      ASSERT_OK(writer.Exec("UPDATE t SET name = name || '!', payload = payload || x'01' "
                            "WHERE id % 3 = 0; DELETE FROM w WHERE k LIKE '%5';"));
      if (std::string(journal) == "WAL") ASSERT_OK(writer.Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    auto second = Contents(reader);
    EXPECT_NE(second["t"], first["t"]);
    EXPECT_EQ(second, ContentsThroughDefaultVfs(path));
  }
}

TEST_F(BulkIoVfsTest, WritesTheBytesTheDefaultVfsWritesInFewerCalls) {
  // 65536: a write run holds a single page of the largest size.
  for (int page_size : {4096, 65536}) {
    SCOPED_TRACE(page_size);
    std::string plain = dir_.File("plain-" + std::to_string(page_size) + ".sqlite");
    std::string bulk = dir_.File("bulk-" + std::to_string(page_size) + ".sqlite");
    testutil::ExecSql(plain, BuildSql(page_size));
    BulkIoCounts before = BulkIoCountsSoFar();
    {
      Db db = OpenWith(bulk, OpenMode::kCreate, BulkIoVfsName());
      ASSERT_OK(db.Exec(BuildSql(page_size)));
      ASSERT_OK(db.Close());
    }
    BulkIoCounts after = BulkIoCountsSoFar();
    EXPECT_TRUE(testutil::ReadFile(bulk) == testutil::ReadFile(plain));
    EXPECT_EQ(ContentsThroughDefaultVfs(bulk)["quick_check"], "ok");
    int64_t writes = after.writes - before.writes;
    int64_t file_writes = after.file_writes - before.file_writes;
    EXPECT_GT(writes, 100);
    if (page_size == 4096) {
      EXPECT_LT(file_writes * 4, writes) << file_writes << " of " << writes << " writes reached the file";
    }
  }
}

TEST_F(BulkIoVfsTest, AnotherConnectionSeesEveryCommitAtOnce) {
  for (const char* journal : {"DELETE", "WAL"}) {
    SCOPED_TRACE(journal);
    std::string path = dir_.File(std::string("commit-") + journal + ".sqlite");
    std::string expected_path = dir_.File(std::string("expected-") + journal + ".sqlite");
    testutil::ExecSql(expected_path, BuildSql(4096));
    Db writer = OpenWith(path, OpenMode::kCreate, BulkIoVfsName());
    ASSERT_OK(writer.Exec(std::string("PRAGMA journal_mode=") + journal));
    ASSERT_OK(writer.Exec(BuildSql(4096)));
    // The writer is still open: what it committed must already be in the
    // files another process reads.
    auto seen = ContentsThroughDefaultVfs(path);
    auto expected = ContentsThroughDefaultVfs(expected_path);
    EXPECT_EQ(seen, expected);
    ASSERT_OK(writer.Exec("DELETE FROM t WHERE id > 100"));
    EXPECT_EQ(testutil::Query(path, "SELECT count(*) FROM t"), std::vector<std::string>{"100"});
  }
}

// A write that fails after SQLite was told it succeeded (held back in the
// pending run) still fails the statement, and the journal puts the file
// back: a file-size limit (RLIMIT_FSIZE, so EFBIG from the kernel) stands in
// for a full disk.
TEST_F(BulkIoVfsTest, ADelayedWriteErrorFailsTheTransaction) {
  std::string path = dir_.File("limited.sqlite");
  testutil::ExecSql(path, "CREATE TABLE t(id INTEGER PRIMARY KEY, payload BLOB);"
                          "INSERT INTO t VALUES (1, zeroblob(100));");
  auto before = testutil::ReadFile(path);
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  base::Status status;
  {
    Db db = OpenWith(path, OpenMode::kReadWrite, BulkIoVfsName());
    ASSERT_OK(db.Exec("PRAGMA cache_size=-65536"));
    rlimit limit = saved;
    limit.rlim_cur = 1 << 20;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &limit), 0);
    status = db.Exec(
        "BEGIN;"
        "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
        "INSERT INTO t SELECT i, zeroblob(3000) FROM n;"
        "COMMIT;");
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &saved), 0);
  }
  std::signal(SIGXFSZ, old_handler);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), base::Code::kEnvironment) << status.ToString();
  // The next connection that may write rolls the hot journal back: the
  // file as it was.
  {
    Db db = OpenWith(path, OpenMode::kReadWrite, "");
    auto rows = db.QueryInt("SELECT count(*) FROM t");
    ASSERT_TRUE(rows.has_value()) << rows.error().ToString();
    EXPECT_EQ(*rows, 1);
  }
  EXPECT_EQ(testutil::Query(path, "PRAGMA quick_check"), std::vector<std::string>{"ok"});
  EXPECT_TRUE(testutil::ReadFile(path) == before);
}

}  // namespace
}  // namespace sqlmend::sqlite
