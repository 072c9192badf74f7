// Reload: builds the repaired copy of a database in a fresh file.
//
// The new file is opened as "main" with the source's header settings
// (page_size, auto_vacuum, encoding, user_version, application_id), the
// source ATTACHed read-only as "src". Then, in one transaction on a file no
// one else can see yet (journal off, synchronous off: a crash just leaves a
// temporary to delete):
//   1. ordinary and shadow tables with their repaired SQL, then every index,
//      so SQLite's transfer optimisation copies records and index b-trees;
//   2. each table's rows: INSERT INTO main.t SELECT * FROM src.t when EXPLAIN
//      shows the transfer path (rowids and values kept bit for bit), else an
//      INSERT with an explicit rowid column list;
//   3. sqlite_sequence and sqlite_stat* rows, exactly;
//   4. triggers and views (after the rows: a trigger on the target would
//      disable the transfer), and virtual tables through sqlite_schema as
//      .dump does, so no module has to be instantiated;
//   5. the stamp, when asked;
// and afterwards the source's journal_mode (WAL stays WAL).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "base/status.h"
#include "repair/analyze.h"
#include "repair/report.h"
#include "sqlite/db.h"
#include "sqlite/header.h"

namespace sqlmend::repair {

struct ReloadOptions {
  std::string vfs;                      // VFS for the new file
  std::optional<std::string> stamp;     // --stamp REV
  std::function<void(const ProgressEvent&)> progress;
  std::function<bool()> should_stop;
  // Called on the new file's connection after every row and sequence is
  // copied, before triggers and views exist, inside the copy's transaction
  // (fix-fk's --orphans runs here). A failure fails the reload.
  std::function<base::Status(sqlite::Db& db)> after_rows;
};

struct ReloadResult {
  std::map<std::string, int64_t> rows;  // table -> rows copied
  int transfer_tables = 0;              // copied by the transfer optimisation
  int row_tables = 0;                   // copied with an explicit column list
};

// Writes the repaired copy of the database at `source_path` into `new_path`
// (an empty file created by the caller). On failure `new_path` holds garbage
// the caller deletes; the source is only read.
base::Result<ReloadResult> Reload(const std::string& source_path, const Analysis& analysis,
                                  const sqlite::HeaderSettings& header,
                                  const std::string& new_path, const ReloadOptions& options);

// "file:<path>?mode=ro" with the path percent-encoded, for ATTACH.
std::string ReadOnlyUri(const std::string& path);

}  // namespace sqlmend::repair
