// ReflectIndexes reads a table's indexes as ReflectTable does, and nothing
// else: compared on real tables built in SQLite.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "schema/reflect.h"
#include "sqlite/db.h"
#include "testutil/testutil.h"

namespace sqlmend::schema {
namespace {

// "name unique (elements) where" per index, in order.
std::vector<std::string> Describe(const ops::Table& table) {
  std::vector<std::string> out;
  for (const auto& index : table.indexes) {
    std::string line = index.name.value.value_or("<unnamed>") + (index.unique ? " unique (" : " (");
    for (const auto& element : index.elements) line += element.text + ",";
    line += ")";
    if (index.sqlite_where) line += " where " + *index.sqlite_where;
    out.push_back(line);
  }
  return out;
}

TEST(ReflectIndexesTest, GivesReflectTablesIndexesAlone) {
  testutil::TempDir dir;
  const std::string path = dir.File("t.db");
  testutil::ExecSql(path,
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT UNIQUE, b INTEGER, c TEXT, "
                    "  CONSTRAINT uq_bc UNIQUE (b, c), CONSTRAINT ck_b CHECK (b > 0));"
                    "CREATE INDEX ix_b ON t (b);"
                    "CREATE UNIQUE INDEX ix_c_b ON t (c, b);"
                    "CREATE INDEX ix_partial ON t (a) WHERE b > 1;"
                    "CREATE INDEX ix_lower ON t (lower(c));"
                    "CREATE TABLE other (id INTEGER PRIMARY KEY, x INTEGER);"
                    "CREATE INDEX ix_x ON other (x);");
  auto db = sqlite::Db::Open(path, sqlite::OpenMode::kReadOnly);
  ASSERT_TRUE(db.has_value()) << db.error().ToString();
  auto whole = ReflectTable(*db, "t");
  ASSERT_TRUE(whole.has_value()) << whole.error().ToString();
  auto indexes = ReflectIndexes(*db, "t");
  ASSERT_TRUE(indexes.has_value()) << indexes.error().ToString();

  // Autoindexes and the expression index are left out by both.
  const std::vector<std::string> expected = {"ix_partial (a,) where b > 1", "ix_c_b unique (c,b,)",
                                             "ix_b (b,)"};
  EXPECT_EQ(Describe(*whole), expected);
  EXPECT_EQ(Describe(*indexes), expected);
  for (const auto& index : indexes->indexes) EXPECT_EQ(index.table, "t");
  EXPECT_EQ(indexes->name, "t");
  EXPECT_TRUE(indexes->columns.empty());
  EXPECT_TRUE(indexes->constraints.empty());
  EXPECT_FALSE(indexes->primary_key.has_value());
  EXPECT_FALSE(whole->constraints.empty());

  // The expression index is still found from the indexes alone.
  auto expressions = ExpressionIndexSql(*db, *indexes);
  ASSERT_TRUE(expressions.has_value()) << expressions.error().ToString();
  ASSERT_EQ(expressions->size(), 1u);
  EXPECT_EQ(expressions->begin()->first, "ix_lower");

  auto missing = ReflectIndexes(*db, "nothere");
  ASSERT_TRUE(missing.has_value());
  EXPECT_TRUE(missing->indexes.empty());
}

}  // namespace
}  // namespace sqlmend::schema
