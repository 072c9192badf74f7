// Db::PrepareCached: a statement prepared once per connection, borrowed by
// each caller, reset and unbound when the borrower is done, and finalized
// when the connection closes (also after the Db was moved).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "sqlite/db.h"
#include "testutil/testutil.h"

namespace sqlmend::sqlite {
namespace {

std::string ColumnsOf(Db& db, const std::string& table) {
  auto stmt = db.PrepareCached("SELECT group_concat(name, ',') FROM pragma_table_info(?1)");
  EXPECT_TRUE(stmt) << stmt.error().ToString();
  if (!stmt) return "";
  stmt->Bind(1, table);
  auto row = stmt->Step();
  EXPECT_TRUE(row && *row);
  return stmt->ColumnIsNull(0) ? "" : stmt->ColumnText(0);
}

TEST(PrepareCachedTest, OneStatementServesEveryCallAndClosesWithTheConnection) {
  testutil::TempDir dir;
  auto opened = Db::Open(dir.File("a.db"), OpenMode::kCreate);
  ASSERT_TRUE(opened) << opened.error().ToString();
  Db db = std::move(*opened);
  ASSERT_TRUE(db.Exec("CREATE TABLE a (x, y); CREATE TABLE b (z)").ok());
  sqlite3_stmt* first = nullptr;
  {
    auto stmt = db.PrepareCached("SELECT group_concat(name, ',') FROM pragma_table_info(?1)");
    ASSERT_TRUE(stmt);
    first = stmt->handle();
  }
  EXPECT_EQ(ColumnsOf(db, "a"), "x,y");
  EXPECT_EQ(ColumnsOf(db, "b"), "z");
  // The borrower left it reset and unbound: no stale row, no old binding.
  EXPECT_FALSE(sqlite3_stmt_busy(first));
  EXPECT_EQ(sqlite3_bind_parameter_count(first), 1);
  Db moved = std::move(db);
  EXPECT_EQ(ColumnsOf(moved, "a"), "x,y");
  auto again = moved.PrepareCached("SELECT group_concat(name, ',') FROM pragma_table_info(?1)");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->handle(), first);
  again = Stmt();
  // Before closing, the connection holds exactly this statement; closing
  // finalizes it (one left unfinalized would keep a zombie connection,
  // which the sanitizer pass reports as a leak).
  EXPECT_EQ(sqlite3_next_stmt(moved.handle(), nullptr), first);
  EXPECT_EQ(sqlite3_next_stmt(moved.handle(), first), nullptr);
  EXPECT_TRUE(moved.Close().ok());
  EXPECT_EQ(moved.handle(), nullptr);
}

TEST(PrepareCachedTest, ARefusedStatementIsNotKept) {
  auto opened = Db::Open(":memory:", OpenMode::kCreate);
  ASSERT_TRUE(opened);
  auto stmt = opened->PrepareCached("SELECT * FROM no_such_table WHERE x = ?1");
  ASSERT_FALSE(stmt);
  EXPECT_NE(stmt.error().message().find("no such table"), std::string::npos);
  ASSERT_TRUE(opened->Exec("CREATE TABLE no_such_table (x)").ok());
  EXPECT_TRUE(opened->PrepareCached("SELECT * FROM no_such_table WHERE x = ?1"));
}

}  // namespace
}  // namespace sqlmend::sqlite
