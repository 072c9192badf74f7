// The dump writer behind `sqlmend dump`: the SQL text of a database in the
// layout of the sqlite3 shell's .dump, loadable by `sqlite3 new.db < out.sql`,
// that loses nothing SQL text can carry.
//
// Unlike .dump it keeps rowids of tables without an INTEGER PRIMARY KEY
// (INSERT INTO t(rowid,...)), writes TEXT holding NUL bytes or invalid UTF-8
// exactly (CAST(X'..' AS TEXT) in the database's encoding), writes doubles
// that SQLite's decimal parser would not give back bit for bit as an exact
// product of powers of two, and writes the header settings as PRAGMA
// statements (page_size, auto_vacuum, encoding before anything is created;
// user_version, application_id; journal_mode=WAL after COMMIT) with the rest
// (freelist, page count) as a comment.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include "base/status.h"
#include "sqlite/db.h"

namespace sqlmend::repair {

struct DumpOptions {
  // Called with (type, name, sql) for every schema object; returns the SQL to
  // write. The default writes the stored text. `dump --fix-fk` passes the
  // repair's rewrite here.
  std::function<std::string(std::string_view type, std::string_view name, std::string_view sql)>
      rewrite_sql;
};

// Writes the dump of the open database `db` (schema "main") to `out`.
// Reads inside one read transaction so the text is a consistent snapshot.
// On failure the text written so far ends with a comment naming the error and
// the Status says what failed; nothing is written to the database.
base::Status WriteDump(sqlite::Db& db, const DumpOptions& options, std::ostream& out);

}  // namespace sqlmend::repair
