// Whole-database checks shared by check-fk and fix-fk's verification.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "sqlite/db.h"

namespace sqlmend::sqlite {

// PRAGMA quick_check on `schema_name`: "ok", or SQLite's first complaint.
// A database too damaged to check at all fails with kUnusableInput.
base::Result<std::string> QuickCheck(Db& db, const std::string& schema_name = "main");

// SELECT count(*) of one table.
base::Result<int64_t> CountRows(Db& db, const std::string& table,
                                const std::string& schema_name = "main");

// An order-independent 64-bit digest of a table's rows, as read by
// `SELECT <select_list> FROM table` (schema::RowShape::SelectList(): the
// rowid when one is kept, then the stored columns), with every value's
// storage class and exact bytes; equal digests mean equal contents, for
// --verify full.
base::Result<uint64_t> TableDigest(Db& db, const std::string& table,
                                   const std::string& select_list,
                                   const std::string& schema_name = "main");

}  // namespace sqlmend::sqlite
