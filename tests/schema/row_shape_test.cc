// RowShape, the one answer to "which columns are stored and how the rowid is
// reached" that reload, --verify full and dump share: table-driven over real
// tables built in SQLite, printed as "rowid | columns | flags".
#include <gtest/gtest.h>

#include <string>

#include "base/strings.h"
#include "schema/schema.h"
#include "sqlite/db.h"
#include "testutil/testutil.h"

namespace sqlmend::schema {
namespace {

struct ShapeCase {
  const char* create;    // one CREATE TABLE t(...)
  const char* expected;  // "rowid | a, b | generated" (flags: generated, hidden)
};

const ShapeCase kShapeCases[] = {
    {"CREATE TABLE t(a, b)", "rowid | a, b |"},
    {"CREATE TABLE t(id INTEGER PRIMARY KEY, a)", " | id, a |"},
    {"CREATE TABLE t(post_no INTEGER PRIMARY KEY, a)", " | post_no, a |"},
    // Not an alias: SQLite keeps a separate rowid.
    {"CREATE TABLE t(k INTEGER PRIMARY KEY DESC, a)", "rowid | k, a |"},
    {"CREATE TABLE t(id INT PRIMARY KEY, a)", "rowid | id, a |"},
    {"CREATE TABLE t(rowid TEXT, a)", "_rowid_ | rowid, a |"},
    {"CREATE TABLE t(rowid, _rowid_, a)", "oid | rowid, _rowid_, a |"},
    {"CREATE TABLE t(rowid, _rowid_, oid)", " | rowid, _rowid_, oid | hidden"},
    {"CREATE TABLE t(a PRIMARY KEY, b) WITHOUT ROWID", " | a, b |"},
    {"CREATE TABLE t(a, b AS (a * 2) VIRTUAL, c AS (a + 1) STORED, d)", "rowid | a, d | generated"},
    {"CREATE TABLE t(a TEXT PRIMARY KEY, b AS (upper(a)) STORED) WITHOUT ROWID",
     " | a | generated"},
    {"CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER) STRICT", " | id, a |"},
};

std::string Describe(const RowShape& shape) {
  std::string flags;
  if (shape.has_generated) flags += " generated";
  if (shape.rowid_hidden) flags += " hidden";
  return shape.rowid + " | " + base::Join(shape.columns) + " |" + flags;
}

TEST(RowShapeTest, Table) {
  for (const ShapeCase& c : kShapeCases) {
    SCOPED_TRACE(c.create);
    testutil::TempDir dir;
    std::string path = dir.File("t.db");
    testutil::ExecSql(path, c.create);
    auto db = sqlite::Db::Open(path, sqlite::OpenMode::kReadOnly, {});
    ASSERT_TRUE(db.has_value()) << db.error().ToString();
    auto schema = Schema::Read(*db);
    ASSERT_TRUE(schema.has_value()) << schema.error().ToString();
    const Object* table = schema->FindTableOrView("t");
    ASSERT_NE(table, nullptr);
    EXPECT_EQ(Describe(ShapeOf(*table)), c.expected);
  }
}

TEST(RowShapeTest, SelectListQuotesColumnsAndKeepsTheRowidName) {
  RowShape shape;
  shape.rowid = "_rowid_";
  shape.columns = {"rowid", "a b"};
  EXPECT_EQ(shape.SelectList(), "_rowid_, \"rowid\", \"a b\"");
}

}  // namespace
}  // namespace sqlmend::schema
