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

// SQLAlchemy writes a name bare when it is a lower-case identifier
// ([a-z_][a-z0-9_$]*) and quotes it otherwise (upper case, spaces, ...).
// NOTE: reserved words are not checked; a version table named like an SQL
// keyword is not supported.
static std::string SqlAlchemyName(const std::string& name) {
  bool bare = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
    bare = bare && ok;
  }
  return bare ? name : Quote(name);
}

std::string CreateTableSql(const std::string& table) {
  return fmt::format(
      "CREATE TABLE {} (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT {} PRIMARY KEY "
      "(version_num)\n)",
      SqlAlchemyName(table), SqlAlchemyName(table + "_pkc"));
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

base::Status EnsureTable(sqlite::Db& db, const std::string& table, const std::string& schema) {
  auto exists = TableExists(db, table, schema);
  if (!exists) return exists.error();
  if (*exists) return base::Status::Ok();
  // CREATE TABLE takes no schema prefix inside the table text; qualify the
  // statement instead when writing to an attached database.
  std::string create = CreateTableSql(table);
  if (schema != "main") {
    create.replace(0, std::string("CREATE TABLE ").size(), "CREATE TABLE " + Quote(schema) + ".");
  }
  return db.Exec(create);
}

namespace {
base::Status ExpectOneRow(sqlite::Db& db, const std::string& what, const std::string& table) {
  int64_t changed = sqlite3_changes64(db.handle());
  if (changed == 1) return base::Status::Ok();
  return base::Status::Refused(
      table, fmt::format("Online migration expected to match one row when {} in '{}'; {} found",
                         what, table, changed));
}
}  // namespace

base::Status InsertHead(sqlite::Db& db, const std::string& revision, const std::string& table,
                        const std::string& schema) {
  auto insert = db.Prepare(fmt::format("INSERT INTO {}.{} (version_num) VALUES (?1)",
                                       Quote(schema), Quote(table)));
  if (!insert) return insert.error();
  insert->Bind(1, revision);
  return insert->Run();
}

base::Status UpdateHead(sqlite::Db& db, const std::string& from, const std::string& to,
                        const std::string& table, const std::string& schema) {
  auto update = db.Prepare(fmt::format(
      "UPDATE {}.{} SET version_num=?1 WHERE version_num = ?2", Quote(schema), Quote(table)));
  if (!update) return update.error();
  update->Bind(1, to).Bind(2, from);
  SQLMEND_RETURN_IF_ERROR(update->Run());
  return ExpectOneRow(db, fmt::format("updating '{}' to '{}'", from, to), table);
}

base::Status DeleteHead(sqlite::Db& db, const std::string& revision, const std::string& table,
                        const std::string& schema) {
  auto del = db.Prepare(
      fmt::format("DELETE FROM {}.{} WHERE version_num = ?1", Quote(schema), Quote(table)));
  if (!del) return del.error();
  del->Bind(1, revision);
  SQLMEND_RETURN_IF_ERROR(del->Run());
  return ExpectOneRow(db, fmt::format("deleting '{}'", revision), table);
}

base::Status StampPurge(sqlite::Db& db, const std::string& revision, const std::string& table,
                        const std::string& schema) {
  SQLMEND_RETURN_IF_ERROR(CheckRevisionId(revision));
  SQLMEND_RETURN_IF_ERROR(EnsureTable(db, table, schema));
  SQLMEND_RETURN_IF_ERROR(db.Exec(fmt::format("DELETE FROM {}.{}", Quote(schema), Quote(table))));
  return InsertHead(db, revision, table, schema);
}

}  // namespace sqlmend::version
