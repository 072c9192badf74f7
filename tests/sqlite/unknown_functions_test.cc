// Placeholders for functions the application defines: the schema object is
// created, and calling the placeholder fails instead of making up a value.
#include "sqlite/unknown_functions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace sqlmend::sqlite {
namespace {

class UnknownFunctionsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK); }
  void TearDown() override { sqlite3_close(db_); }
  sqlite3* db_ = nullptr;
};

TEST_F(UnknownFunctionsTest, NamesTheFunctionInSqlitesMessage) {
  EXPECT_EQ(UnknownFunctionIn("no such function: REGEXP"), "REGEXP");
  EXPECT_EQ(UnknownFunctionIn("no such table: t"), "");
}

TEST_F(UnknownFunctionsTest, CreatesTheObjectAndFailsWhenCalled) {
  std::vector<std::string> defined;
  EXPECT_EQ(ExecDefiningUnknownFunctions(
                db_, "CREATE TABLE t(a TEXT CHECK (a REGEXP '^x' AND my_valid(a, 2)))", &defined),
            "");
  std::sort(defined.begin(), defined.end());  // SQLite resolves in its own order
  EXPECT_EQ(defined, (std::vector<std::string>{"REGEXP", "my_valid"}));
  EXPECT_EQ(ExecDefiningUnknownFunctions(db_, "CREATE INDEX t_my ON t(my_key(a))"), "");
  std::string message = ExecDefiningUnknownFunctions(db_, "INSERT INTO t VALUES ('xy')");
  EXPECT_NE(message.find("belongs to the application; sqlmend cannot evaluate it"),
            std::string::npos)
      << message;
  EXPECT_NE(ExecDefiningUnknownFunctions(db_, "CREATE TABLE bad("), "");
}

}  // namespace
}  // namespace sqlmend::sqlite
