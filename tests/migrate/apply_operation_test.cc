// ApplyOperation's safety behaviour, where sqlmend is deliberately safer
// than Alembic, and its plain operations' outcomes on SQLite.
#include "migrate/apply_operation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testutil/testutil.h"

namespace sqlmend::migrate {
namespace {

using testutil::Query;

constexpr char kFamily[] = R"(
CREATE TABLE p (id INTEGER NOT NULL, name VARCHAR(10), PRIMARY KEY (id));
CREATE TABLE c (id INTEGER NOT NULL, pid INTEGER, PRIMARY KEY (id),
  FOREIGN KEY(pid) REFERENCES p (id) ON DELETE CASCADE);
CREATE TRIGGER p_upper AFTER INSERT ON p BEGIN UPDATE p SET name = upper(name) WHERE id = new.id; END;
INSERT INTO p VALUES (1, 'A'), (2, NULL);
INSERT INTO c VALUES (10, 1), (11, 1), (12, 2);
)";

ops::BatchAlterTable RebuildParent() {
  ops::BatchAlterTable batch;
  batch.table = "p";
  batch.recreate = ops::BatchAlterTable::Recreate::kAlways;
  return batch;
}

TEST(ApplyOperationTest, RebuildKeepsCascadingChildrenAndTriggers) {
  testutil::TempDir dir;
  const std::string path = dir.File("db.sqlite");
  testutil::ExecSql(path, kFamily);
  auto db = sqlite::Db::Open(path, sqlite::OpenMode::kReadWrite);
  ASSERT_TRUE(db.has_value());
  ASSERT_OK(db->Exec("PRAGMA foreign_keys = OFF; BEGIN; SAVEPOINT step"));
  std::vector<std::string> log;
  ApplyContext context;
  context.foreign_keys_enforced = true;
  context.log = [&log](const std::string& line) { log.push_back(line); };
  ASSERT_OK(ApplyOperation(*db, RebuildParent(), context));
  ASSERT_OK(db->Exec("RELEASE step; COMMIT"));
  EXPECT_EQ(Query(path, "SELECT count(*) FROM c"), std::vector<std::string>{"3"});
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("c: 3 rows reference p"), std::string::npos) << log[0];
  EXPECT_EQ(Query(path, "SELECT name FROM sqlite_master WHERE type = 'trigger'"),
            std::vector<std::string>{"p_upper"});
}

TEST(ApplyOperationTest, FailedRebuildLeavesNothingBehind) {
  testutil::TempDir dir;
  const std::string path = dir.File("db.sqlite");
  testutil::ExecSql(path, kFamily);
  const auto before = Query(path, "SELECT type, name, sql FROM sqlite_master ORDER BY 1, 2");
  auto db = sqlite::Db::Open(path, sqlite::OpenMode::kReadWrite);
  ASSERT_TRUE(db.has_value());
  ASSERT_OK(db->Exec("BEGIN; SAVEPOINT step"));
  ops::BatchAlterTable batch = RebuildParent();
  ops::AlterColumn alter;
  alter.table = "p";
  alter.column = "name";
  alter.nullable = false;  // row 2 holds NULL
  batch.operations.push_back(alter);
  const base::Status status = ApplyOperation(*db, batch, {});
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "NOT NULL constraint failed: _alembic_tmp_p.name");
  ASSERT_OK(db->Exec("ROLLBACK TO step; RELEASE step; COMMIT"));
  EXPECT_EQ(Query(path, "SELECT type, name, sql FROM sqlite_master ORDER BY 1, 2"), before);
  EXPECT_EQ(Query(path, "SELECT count(*) FROM c"), std::vector<std::string>{"3"});
}

TEST(ApplyOperationTest, PlainOperationsOnSqlite) {
  testutil::TempDir dir;
  const std::string path = dir.File("db.sqlite");
  testutil::ExecSql(path, kFamily);
  auto db = sqlite::Db::Open(path, sqlite::OpenMode::kReadWrite);
  ASSERT_TRUE(db.has_value());
  ops::AlterColumn rename;
  rename.table = "p";
  rename.column = "name";
  rename.new_column_name = "label";
  EXPECT_OK(ApplyOperation(*db, rename, {}));
  ops::AlterColumn nullable;
  nullable.table = "p";
  nullable.column = "label";
  nullable.nullable = false;
  EXPECT_EQ(ApplyOperation(*db, nullable, {}).message(), "near \"ALTER\": syntax error");
  ops::DropConstraint drop{ops::ConstraintName::Of("x"), "p", "unique"};
  EXPECT_EQ(ApplyOperation(*db, drop, {}).message(),
            "No support for ALTER of constraints in SQLite dialect. Please refer to the batch "
            "mode feature which allows for SQLite migrations using a copy-and-move strategy.");
  ops::Execute execute{"UPDATE p SET label = :v WHERE id = :id",
                       true,
                       {{"v", ops::Literal::Text("z")}, {"id", ops::Literal::Int(1)}},
                       "",
                       ""};
  EXPECT_OK(ApplyOperation(*db, execute, {}));
  ops::Execute missing{"UPDATE p SET label = :v", true, {}, "", ""};
  EXPECT_NE(
      ApplyOperation(*db, missing, {}).message().find("A value is required for bind parameter 'v'"),
      std::string::npos);
  ops::BulkInsert insert;
  insert.table = "p";
  insert.columns = {ops::Column{}, ops::Column{}};
  insert.columns[0].name = "id";
  insert.columns[1].name = "label";
  insert.rows = {{{"id", ops::Literal::Int(5)}, {"label", ops::Literal::Text("e")}},
                 {{"label", ops::Literal::Text("f")}, {"id", ops::Literal::Int(6)}}};
  EXPECT_OK(ApplyOperation(*db, insert, {}));
  ASSERT_OK(db->Close());
  EXPECT_EQ(Query(path, "SELECT id, label FROM p ORDER BY id"),
            (std::vector<std::string>{"1|z", "2|NULL", "5|E", "6|F"}));
}

TEST(ApplyOperationTest, OfflineBatchNeedsCopyFrom) {
  ops::BatchAlterTable batch = RebuildParent();
  auto statements = OfflineStatements(batch, {});
  ASSERT_FALSE(statements.has_value());
  EXPECT_EQ(statements.error().message().rfind(
                "This operation cannot proceed in --sql mode; batch mode with dialect sqlite "
                "requires a live database connection with which to reflect the table \"p\".",
                0),
            0u);
  EXPECT_TRUE(RebuildsTable(batch));
  ops::BatchAlterTable index_only;
  index_only.table = "p";
  index_only.operations.push_back(ops::DropIndex{ops::ConstraintName::Of("ix"), "p"});
  EXPECT_FALSE(RebuildsTable(index_only));
  auto offline = OfflineStatements(index_only, {});
  ASSERT_TRUE(offline.has_value());
  EXPECT_EQ(*offline, std::vector<std::string>{"DROP INDEX ix;"});
}

}  // namespace
}  // namespace sqlmend::migrate
