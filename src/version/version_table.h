// alembic_version, exactly as Alembic creates and updates it, so sqlmend and
// Alembic can take turns on one database.
//
// Alembic (runtime/migration.py) creates the table with SQLAlchemy's DDL for
//   Table("alembic_version", Column("version_num", String(32), nullable=False),
//         PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))
// which SQLite stores as the text in kCreateSql below, byte for byte.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "sqlite/db.h"

namespace sqlmend::version {

inline constexpr char kDefaultTable[] = "alembic_version";

// The CREATE TABLE text Alembic's SQLite DDL produces for `table`.
std::string CreateTableSql(const std::string& table = kDefaultTable);

// True when `schema`.`table` exists.
base::Result<bool> TableExists(sqlite::Db& db, const std::string& table = kDefaultTable,
                               const std::string& schema = "main");

// The version_num rows, in table order; empty when the table is missing.
base::Result<std::vector<std::string>> ReadHeads(sqlite::Db& db,
                                                 const std::string& table = kDefaultTable,
                                                 const std::string& schema = "main");

// What `alembic stamp --purge REV` leaves: the table (created as Alembic
// creates it when absent) holding exactly one row, `revision`. Runs inside
// the caller's transaction when one is open; writes nothing else.
base::Status StampPurge(sqlite::Db& db, const std::string& revision,
                        const std::string& table = kDefaultTable,
                        const std::string& schema = "main");

// One step's change to the table, as Alembic's HeadMaintainer makes it. Each
// must touch exactly one row; otherwise it fails with Alembic's wording:
// "Online migration expected to match one row when updating 'a' to 'b' in
// 'alembic_version'; 0 found".
base::Status InsertHead(sqlite::Db& db, const std::string& revision,
                        const std::string& table = kDefaultTable,
                        const std::string& schema = "main");
base::Status UpdateHead(sqlite::Db& db, const std::string& from, const std::string& to,
                        const std::string& table = kDefaultTable,
                        const std::string& schema = "main");
base::Status DeleteHead(sqlite::Db& db, const std::string& revision,
                        const std::string& table = kDefaultTable,
                        const std::string& schema = "main");
// Creates the table as Alembic does when it is missing (ensure_version).
base::Status EnsureTable(sqlite::Db& db, const std::string& table = kDefaultTable,
                         const std::string& schema = "main");

// Alembic's limit: version_num is VARCHAR(32); a longer id is refused.
base::Status CheckRevisionId(const std::string& revision);

}  // namespace sqlmend::version
