#include "version/version_table.h"

#include <fmt/format.h>

namespace sqlmend::version {

namespace {
std::string Quote(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}
}  // namespace

std::string CreateTableSql(const std::string& table) {
  // SQLAlchemy writes the name bare when it needs no quoting; the default
  // name never does.
  return fmt::format(
      "CREATE TABLE {} (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT {}_pkc PRIMARY KEY "
      "(version_num)\n)",
      table, table);
}

base::Result<bool> TableExists(sqlite::Db& db, const std::string& table,
                               const std::string& schema) {
  auto stmt = db.Prepare(fmt::format(
      "SELECT count(*) FROM {}.sqlite_schema WHERE type='table' AND name=?1 COLLATE NOCASE",
      Quote(schema)));
  if (!stmt) return base::Fail(stmt.error());
  stmt->Bind(1, table);
  auto row = stmt->Step();
  if (!row) return base::Fail(row.error());
  return stmt->ColumnInt(0) > 0;
}

base::Result<std::vector<std::string>> ReadHeads(sqlite::Db& db, const std::string& table,
                                                 const std::string& schema) {
  std::vector<std::string> heads;
  auto exists = TableExists(db, table, schema);
  if (!exists) return base::Fail(exists.error());
  if (!*exists) return heads;
  auto stmt = db.Prepare(
      fmt::format("SELECT version_num FROM {}.{}", Quote(schema), Quote(table)));
  if (!stmt) return base::Fail(stmt.error());
  while (true) {
    auto row = stmt->Step();
    if (!row) return base::Fail(row.error());
    if (!*row) break;
    heads.push_back(stmt->ColumnText(0));
  }
  return heads;
}

base::Status CheckRevisionId(const std::string& revision) {
  if (revision.empty()) return base::Status::Usage("--stamp", "the revision id is empty");
  if (revision.size() > 32) {
    return base::Status::Usage(revision, "revision id longer than alembic_version's 32 characters");
  }
  return base::Status::Ok();
}

base::Status StampPurge(sqlite::Db& db, const std::string& revision, const std::string& table,
                        const std::string& schema) {
  SQLMEND_RETURN_IF_ERROR(CheckRevisionId(revision));
  auto exists = TableExists(db, table, schema);
  if (!exists) return exists.error();
  if (!*exists) {
    // CREATE TABLE takes no schema prefix inside the table text; qualify the
    // statement instead when writing to an attached database.
    std::string create = CreateTableSql(table);
    if (schema != "main") {
      create.replace(0, std::string("CREATE TABLE ").size(),
                     "CREATE TABLE " + Quote(schema) + ".");
    }
    SQLMEND_RETURN_IF_ERROR(db.Exec(create));
  }
  SQLMEND_RETURN_IF_ERROR(db.Exec(fmt::format("DELETE FROM {}.{}", Quote(schema), Quote(table))));
  auto insert = db.Prepare(fmt::format("INSERT INTO {}.{} (version_num) VALUES (?1)",
                                       Quote(schema), Quote(table)));
  if (!insert) return insert.error();
  insert->Bind(1, revision);
  return insert->Run();
}

}  // namespace sqlmend::version
