// Orphan rows: child rows whose foreign key finds no parent row. After a
// repair, PRAGMA foreign_key_check reports exactly these for each repaired
// foreign key; they piled up while cascades were broken. sqlmend keeps every
// row and reports the count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "repair/report.h"
#include "schema/schema.h"
#include "sqlite/db.h"

namespace sqlmend::repair {

// The parent columns `fk` matches: as written, or the parent's PRIMARY KEY
// when the REFERENCES clause names none. Fails (kRefused) when they are not
// the parent's primary key or a UNIQUE index's columns: SQLite would then
// fail every write with "foreign key mismatch" after the repair.
base::Result<std::vector<std::string>> ParentKey(sqlite::Db& db, const schema::Schema& schema,
                                                 const AffectedFk& fk,
                                                 const std::string& schema_name = "main");

// Counts rows of fk.child that foreign_key_check would report against
// fk.target, reading `schema_name` of `db`. Uses SQLite's rules: a row with
// any NULL key column is skipped; the child value gets the parent column's
// affinity and is compared with the parent column's collation.
base::Result<int64_t> CountOrphans(sqlite::Db& db, const AffectedFk& fk,
                                   const std::vector<std::string>& parent_key,
                                   const std::string& schema_name = "main");

}  // namespace sqlmend::repair
