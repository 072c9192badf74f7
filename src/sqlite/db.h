// RAII wrappers over the SQLite C API: Db (a connection) and Stmt (a prepared
// statement), plus the mapping of SQLite result codes onto sqlmend's Status
// codes (a locked file is kEnvironment, a corrupt one kUnusableInput, ...).
//
// Db never checkpoints a WAL when it closes (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE):
// reading a database must not move its WAL frames into the main file, so a
// file sqlmend refuses stays byte-identical. Connections that write a new
// file ask for the checkpoint explicitly (see Db::Open's options).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sqlmend::sqlite {

using base::Result;
using base::Status;

enum class OpenMode {
  kReadOnly,   // SQLITE_OPEN_READONLY: reads through an existing WAL too
  kReadWrite,  // the file must exist
  kCreate,     // read-write, created when missing
};

struct OpenOptions {
  // How long to wait for another process's lock, in milliseconds.
  int busy_timeout_ms = 0;
  // Leave the WAL alone on close (the default for every source file).
  bool checkpoint_on_close = false;
  // A registered VFS name (tests use a fault-injecting one); empty: default.
  std::string vfs;
};

// The Status for SQLite result code `rc` with message `message` about
// `object`: BUSY/LOCKED, FULL, IOERR, READONLY, CANTOPEN, PERM are
// kEnvironment; NOTADB, CORRUPT, EMPTY are kUnusableInput; the rest kRefused.
Status StatusFromSqlite(int rc, std::string_view message, const std::string& object);

class Stmt;

class Db {
 public:
  // Opens `path`. The returned Db names `path` in every error it reports.
  static Result<Db> Open(const std::string& path, OpenMode mode,
                         const OpenOptions& options = {});

  Db() = default;
  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  ~Db();

  // Closes now (also done by the destructor). Returns SQLite's complaint, if
  // any, as a Status.
  Status Close();

  // Runs one or more statements, discarding rows.
  Status Exec(std::string_view sql);
  Result<Stmt> Prepare(std::string_view sql);
  // The first column of the first row, as integer / text; fails when the
  // statement returns no row.
  Result<int64_t> QueryInt(std::string_view sql);
  Result<std::string> QueryText(std::string_view sql);

  // The Status for the connection's last error, about this database.
  Status LastError() const;
  Status ErrorFor(int rc) const;

  // Asks a running statement on this connection to stop (thread-safe).
  void Interrupt();

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// A prepared statement. Column accessors are valid after Step() returned true.
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3_stmt* stmt, const Db* db) : stmt_(stmt), db_(db) {}
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  ~Stmt();

  // true: a row is ready; false: done. Errors carry the database's name.
  Result<bool> Step();
  // Runs to completion, ignoring rows.
  Status Run();
  void Reset();

  Stmt& Bind(int index, int64_t value);
  Stmt& Bind(int index, std::string_view text);
  Stmt& BindValue(int index, const sqlite3_value* value);

  int ColumnCount() const;
  int ColumnType(int i) const;
  int64_t ColumnInt(int i) const;
  double ColumnDouble(int i) const;
  std::string ColumnText(int i) const;  // full bytes, embedded NULs kept
  std::string ColumnBlob(int i) const;
  bool ColumnIsNull(int i) const;
  std::string ColumnName(int i) const;
  sqlite3_value* ColumnValue(int i) const;

  sqlite3_stmt* handle() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  const Db* db_ = nullptr;
};

}  // namespace sqlmend::sqlite
