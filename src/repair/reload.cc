#include "repair/reload.h"

#include <chrono>

#include <fmt/format.h>

#include "base/files.h"
#include "sql/tokenizer.h"
#include "sqlite/bulk_io_vfs.h"
#include "sqlite/db.h"
#include "sqlite/unknown_functions.h"
#include "version/version_table.h"

namespace sqlmend::repair {

namespace {

using schema::Object;
using schema::ObjectType;
using schema::TableKind;

// True when SQLite compiles `insert` to its transfer path (whole records and
// index entries copied): EXPLAIN then shows RowData (3.40) or RowCell (3.35+).
// False when it does not compile at all: a table with generated columns
// whose transfer needs an empty destination (a WITHOUT ROWID table, a
// UNIQUE index) makes SQLite compile the row path too, where SELECT *
// supplies more values than the table takes.
base::Result<bool> UsesTransfer(sqlite::Db& db, const std::string& insert) {
  auto stmt = db.Prepare("EXPLAIN " + insert);
  if (!stmt) return false;
  while (true) {
    auto row = stmt->Step();
    if (!row) return base::Fail(row.error());
    if (!*row) return false;
    std::string opcode = stmt->ColumnText(1);
    if (opcode == "RowData" || opcode == "RowCell") return true;
  }
}

// State for SQLite's progress handler: polls for Ctrl-C and, at most every
// 200 ms, reports how far the copy of the current table has got, as bytes
// written to the new file (SQLite does not expose rows inside a statement).
struct CopyProgress {
  const ReloadOptions* options = nullptr;
  std::string new_path;
  ProgressEvent event;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last = start;

  void Emit() {
    auto now = std::chrono::steady_clock::now();
    last = now;
    event.seconds = std::chrono::duration<double>(now - start).count();
    event.bytes_done = base::FileSize(new_path);
    if (options->progress) options->progress(event);
  }
};

int ProgressCallback(void* data) {
  auto* progress = static_cast<CopyProgress*>(data);
  if (progress->options->should_stop && progress->options->should_stop()) return 1;
  if (progress->options->progress &&
      std::chrono::steady_clock::now() - progress->last > std::chrono::milliseconds(200)) {
    progress->Emit();
  }
  return 0;
}

// Creates one schema object in the new file. A function the application
// defines (a CHECK calling REGEXP) gets a placeholder that fails if called,
// so the object exists and records copied whole keep their values.
base::Status ExecSchemaSql(sqlite::Db& db, const Object& o, const std::string& sql) {
  std::string message = sqlite::ExecDefiningUnknownFunctions(db.handle(), sql);
  if (message.empty()) return base::Status::Ok();
  base::Status status = db.ErrorFor(sqlite3_extended_errcode(db.handle()));
  if (status.code() != base::Code::kRefused) return status;  // disk full, I/O, ...
  return base::Status::BuildFailed(
      "", fmt::format("creating {} {}: {}", schema::ObjectTypeName(o.type), o.name, message));
}

// A failed copy of `o`'s rows: an SQL error (a CHECK calling a function the
// application defines, a constraint) means the copy cannot be built;
// disk full and I/O errors keep their own class.
base::Status CopyFailed(const Object& o, const base::Status& status) {
  if (status.code() != base::Code::kRefused) return status;
  return base::Status::BuildFailed("", fmt::format("copying the rows of {}: {}", o.name,
                                                   status.message()));
}

}  // namespace

std::string ReadOnlyUri(const std::string& path) {
  std::string uri = "file:";
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c < 0x20) {
      uri += fmt::format("%{:02X}", c);
    } else {
      uri += static_cast<char>(c);
    }
  }
  return uri + "?mode=ro";
}

base::Result<ReloadResult> Reload(const std::string& source_path, const Analysis& analysis,
                                  const sqlite::HeaderSettings& header,
                                  const std::string& new_path, const ReloadOptions& options) {
  sqlite::OpenOptions open_options;
  // The new file is written by this connection alone: written behind, in
  // runs of pages (sqlite/bulk_io_vfs.h).
  open_options.vfs = options.vfs.empty() ? sqlite::BulkIoVfsName() : options.vfs;
  open_options.checkpoint_on_close = true;
  // Not defensive: the copy is built with journal_mode=OFF and
  // writable_schema. The source's schema, attached below, is still held to
  // trusted_schema=OFF and the limits (sqlite/db.h).
  open_options.policy = sqlite::FilePolicy::kUntrustedWriter;
  auto opened = sqlite::Db::Open(new_path, sqlite::OpenMode::kReadWrite, open_options);
  if (!opened) return base::Fail(opened.error());
  sqlite::Db db = std::move(*opened);
  CopyProgress copy_progress;
  copy_progress.options = &options;
  copy_progress.new_path = new_path;
  copy_progress.event.phase = "copy";
  copy_progress.event.bytes_total = base::FileSize(source_path);
  sqlite3_progress_handler(db.handle(), 10000, ProgressCallback, &copy_progress);

  // Header settings first: they only take effect before anything exists.
  // Every PRAGMA names "main": without a schema, journal_mode and
  // locking_mode would also apply to the source attached below, and an
  // exclusive lock on a WAL source fails while our own guard holds it.
  // ignore_check_constraints: a copy keeps every row as the source holds
  // it, so no CHECK is evaluated (one may call a function only the
  // application defines; see sqlite/unknown_functions.h).
  SQLMEND_RETURN_IF_ERROR(db.Exec(
      "PRAGMA main.journal_mode=OFF; PRAGMA main.synchronous=OFF;"
      "PRAGMA main.locking_mode=EXCLUSIVE; PRAGMA main.cache_size=-16384;"
      "PRAGMA foreign_keys=OFF; PRAGMA ignore_check_constraints=ON;"));
  SQLMEND_RETURN_IF_ERROR(db.Exec(sqlite::HeaderPragmasForNewFile(header)));
  // writable_schema lets the attached source's schema load although views
  // and triggers in it may say main.t, which SQLite forbids in an attached
  // database ("cannot reference objects in database main"); the copy only
  // reads its tables. It stays on until the virtual tables are written.
  SQLMEND_RETURN_IF_ERROR(db.Exec("PRAGMA writable_schema=ON"));
  {
    auto attach = db.Prepare("ATTACH ?1 AS src");
    if (!attach) return base::Fail(attach.error());
    // The source is read in page order, table by table: read it ahead.
    std::string vfs = sqlite::BulkIoVfsName();
    attach->Bind(1, ReadOnlyUri(source_path) + (vfs.empty() ? "" : "&vfs=" + vfs));
    if (auto st = attach->Run(); !st.ok()) return base::Fail(st.WithObject(source_path));
  }
  SQLMEND_RETURN_IF_ERROR(db.Exec("BEGIN"));

  const auto& objects = analysis.schema.objects();
  bool has_stat = false;
  // 1. Tables (not virtual, not internal), then indexes.
  for (const Object& o : objects) {
    if (o.type != ObjectType::kTable || o.sql.empty()) continue;
    if (o.kind == TableKind::kVirtual) continue;
    if (o.kind == TableKind::kInternal) {
      if (o.name.rfind("sqlite_stat", 0) == 0) has_stat = true;
      continue;
    }
    SQLMEND_RETURN_IF_ERROR(ExecSchemaSql(db, o, analysis.SqlFor(o)));
  }
  for (const Object& o : objects) {
    if (o.type == ObjectType::kIndex && !o.sql.empty()) {
      SQLMEND_RETURN_IF_ERROR(ExecSchemaSql(db, o, analysis.SqlFor(o)));
    }
  }
  // 2. Rows.
  ReloadResult result;
  int64_t tables_total = 0, tables_done = 0;
  for (const Object& o : objects) {
    if (o.type == ObjectType::kTable && (o.kind == TableKind::kOrdinary || o.kind == TableKind::kShadow)) {
      ++tables_total;
    }
  }
  for (const Object& o : objects) {
    if (o.type != ObjectType::kTable) continue;
    if (o.kind != TableKind::kOrdinary && o.kind != TableKind::kShadow) continue;
    copy_progress.event.table = o.name;
    copy_progress.event.rows_done = 0;
    copy_progress.event.tables_done = tables_done;
    copy_progress.event.tables_total = tables_total;
    if (options.progress) copy_progress.Emit();
    std::string insert = fmt::format("INSERT INTO main.{0} SELECT * FROM src.{0}", sql::QuoteIdentifier(o.name));
    auto transfer = UsesTransfer(db, insert);
    if (!transfer) return base::Fail(transfer.error());
    // The transfer path numbers rows anew (OP_NewRowid) for a rowid table
    // with neither an INTEGER PRIMARY KEY nor an index; such a table takes
    // the explicit rowid path instead.
    bool has_index = false;
    for (const Object& index : objects) {
      if (index.type == ObjectType::kIndex && sql::AsciiIEquals(index.tbl_name, o.name)) {
        has_index = true;
      }
    }
    if (*transfer && (o.without_rowid || o.has_rowid_alias || has_index)) {
      ++result.transfer_tables;
    } else {
      // Name the rowid (when no alias carries it) and every stored column,
      // so the row path keeps rowids and leaves generated columns to SQLite.
      schema::RowShape shape = schema::ShapeOf(o);
      if (shape.rowid_hidden) {
        return base::Fail(base::Status::BuildFailed(
            "", "the rowids of table " + o.name +
                    " cannot be kept: columns named rowid, _rowid_ and oid hide them from SQL"));
      }
      std::string columns = shape.SelectList();
      insert = fmt::format("INSERT INTO main.{0}({1}) SELECT {1} FROM src.{0}",
                           sql::QuoteIdentifier(o.name), columns);
      ++result.row_tables;
    }
    auto stmt = db.Prepare(insert);
    if (!stmt) return base::Fail(CopyFailed(o, stmt.error()));
    if (auto st = stmt->Run(); !st.ok()) return base::Fail(CopyFailed(o, st));
    int64_t rows = sqlite3_changes64(db.handle());
    result.rows[o.name] = rows;
    ++tables_done;
    copy_progress.event.rows_done = rows;
    copy_progress.event.tables_done = tables_done;
    if (options.progress) copy_progress.Emit();
  }
  // 3. Internal tables, exactly.
  for (const Object& o : objects) {
    if (o.name != "sqlite_sequence") continue;
    SQLMEND_RETURN_IF_ERROR(db.Exec(
        "DELETE FROM main.sqlite_sequence;"
        "INSERT INTO main.sqlite_sequence(rowid, name, seq) "
        "SELECT rowid, name, seq FROM src.sqlite_sequence;"));
  }
  if (has_stat) {
    SQLMEND_RETURN_IF_ERROR(db.Exec("ANALYZE main.sqlite_schema"));
    for (const Object& o : objects) {
      if (o.type != ObjectType::kTable || o.name.rfind("sqlite_stat", 0) != 0) continue;
      auto exists = db.QueryInt(fmt::format(
          "SELECT count(*) FROM main.sqlite_schema WHERE name='{}'", o.name));
      if (!exists) return base::Fail(exists.error());
      if (*exists == 0) continue;  // a stat table this build cannot create
      SQLMEND_RETURN_IF_ERROR(db.Exec(fmt::format(
          "DELETE FROM main.{0}; INSERT INTO main.{0} SELECT * FROM src.{0};", o.name)));
    }
  }
  if (options.after_rows) SQLMEND_RETURN_IF_ERROR(options.after_rows(db));
  // 4. Triggers and views in schema order, then virtual tables.
  for (const Object& o : objects) {
    if ((o.type == ObjectType::kTrigger || o.type == ObjectType::kView) && !o.sql.empty()) {
      SQLMEND_RETURN_IF_ERROR(ExecSchemaSql(db, o, analysis.SqlFor(o)));
    }
  }
  for (const Object& o : objects) {
    if (o.type != ObjectType::kTable || o.kind != TableKind::kVirtual) continue;
    auto insert = db.Prepare(
        "INSERT INTO main.sqlite_schema(type, name, tbl_name, rootpage, sql) "
        "VALUES('table', ?1, ?2, 0, ?3)");
    if (!insert) return base::Fail(insert.error());
    insert->Bind(1, o.name).Bind(2, o.tbl_name).Bind(3, analysis.SqlFor(o));
    if (auto st = insert->Run(); !st.ok()) return base::Fail(st);
  }
  SQLMEND_RETURN_IF_ERROR(db.Exec("PRAGMA writable_schema=OFF"));
  // 5. The stamp lands in the same transaction as the repair.
  if (options.stamp) {
    if (auto st = version::StampPurge(db, *options.stamp); !st.ok()) return base::Fail(st);
  }
  SQLMEND_RETURN_IF_ERROR(db.Exec("COMMIT"));
  SQLMEND_RETURN_IF_ERROR(db.Exec("DETACH src"));
  if (header.journal_mode == "wal") {
    SQLMEND_RETURN_IF_ERROR(
        db.Exec("PRAGMA main.locking_mode=NORMAL; PRAGMA main.journal_mode=WAL;"));
  } else {
    SQLMEND_RETURN_IF_ERROR(db.Exec("PRAGMA main.journal_mode=DELETE"));
  }
  if (auto st = db.Close(); !st.ok()) return base::Fail(st);
  return result;
}

}  // namespace sqlmend::repair
