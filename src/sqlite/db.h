// RAII wrappers over the SQLite C API: Db (a connection) and Stmt (a prepared
// statement), plus the mapping of SQLite result codes onto sqlmend's Status
// codes (a locked file is kEnvironment, a corrupt one kUnusableInput, ...).
//
// Every connection is opened by Db::Open, which applies one of the policies
// of FilePolicy: what a database file's own SQL (its views, triggers, CHECK
// constraints, DEFAULTs, generated columns, expression indexes) may do on the
// connection. It follows SQLite's guidance for files of unknown origin
// (https://www.sqlite.org/security.html).
//
// Db never checkpoints a WAL when it closes (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE):
// reading a database must not move its WAL frames into the main file, so a
// file sqlmend refuses stays byte-identical. Connections that write a new
// file ask for the checkpoint explicitly (see Db::Open's options).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
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

// What a connection lets a database file's own SQL do.
//
// Every policy: extension loading is off (the C API and load_extension()
// alike), the two-argument fts3_tokenizer() is off, trusted_schema is OFF
// (see TrustSqliteOwnAfter for SQLite 3.40's own untagged functions),
// cell_size_check is ON, and no function sqlmend defines is visible to the
// schema except the placeholders of unknown_functions.h, which only fail.
enum class FilePolicy {
  // A file sqlmend did not create, or a copy built from one (the default):
  // also SQLITE_DBCONFIG_DEFENSIVE (no writable_schema, no journal_mode=OFF,
  // no writes to shadow tables or sqlite_dbpage) and the caps of kLimits.
  kUntrusted,
  // The connection that builds fix-fk's copy with the source attached: as
  // kUntrusted but without DEFENSIVE, which would forbid the writable_schema
  // and journal_mode=OFF the copy is built with (repair/reload.h).
  kUntrustedWriter,
  // A database the user's own migrations write: no DEFENSIVE (a migration
  // may run any PRAGMA its author wrote) and SQLite's default limits (they
  // bound the author's own statements, as Alembic's connection does not).
  kMigration,
};

// One SQLITE_LIMIT_* cap on kUntrusted and kUntrustedWriter connections.
struct Limit {
  int id;            // SQLITE_LIMIT_...
  const char* name;  // as the README names it
  int value;
};
// SQLite's defaults are 1e9 bytes, 1e9 bytes, 1000, 500 and 1000. A schema
// object over a cap makes SQLite refuse the whole schema, which sqlmend
// reports as a limit (exit 4), writing nothing.
//
// NOTE: columns keep SQLite's own limit, 2000, which is also the most its
// default build can ever read: a table of up to 2000 columns is one any
// SQLite (and any migration sqlmend runs) creates, so refusing it would
// refuse valid databases, while a lower cap bounds nothing SQLite does not
// already bound.
inline constexpr Limit kLimits[] = {
    {SQLITE_LIMIT_LENGTH, "length of a string or BLOB (bytes)", 256 << 20},
    {SQLITE_LIMIT_SQL_LENGTH, "length of one SQL statement (bytes)", 1 << 20},
    {SQLITE_LIMIT_EXPR_DEPTH, "depth of an expression tree", 250},
    {SQLITE_LIMIT_COMPOUND_SELECT, "terms of a compound SELECT", 200},
    {SQLITE_LIMIT_TRIGGER_DEPTH, "depth of nested trigger calls", 10},
};

struct OpenOptions {
  // How long to wait for another process's lock, in milliseconds.
  int busy_timeout_ms = 0;
  // Leave the WAL alone on close (the default for every source file).
  bool checkpoint_on_close = false;
  // A registered VFS name (tests use a fault-injecting one); empty: default.
  std::string vfs;
  FilePolicy policy = FilePolicy::kUntrusted;
};

// trusted_schema=OFF refuses, when the schema uses it, every function and
// virtual table not tagged SQLITE_INNOCUOUS. SQLite 3.40 leaves its own JSON
// functions, its FTS and R*Tree helpers and every virtual table untagged, so
// a schema using them (a generated column over json_extract(), a view over
// an FTS5 table) could not even be read. When `message` is such a refusal of
// a function registered on `db` that is not SQLITE_DIRECTONLY, or of a
// virtual table, this sets trusted_schema=ON on `db` and returns true: the
// caller runs the statement again. sqlmend registers no function and no
// module of its own on any connection (apart from the placeholders, which
// only fail), so what is trusted then is SQLite's own code;
// SQLITE_DIRECTONLY functions (load_extension(), fts3_tokenizer()) stay
// refused to the schema either way.
bool TrustSqliteOwnAfter(sqlite3* db, std::string_view message);

// The Status of a lock lost to another process (the one message the README
// documents for it, whatever kept the lock).
Status LockedStatus(const std::string& object);

// The Status for SQLite result code `rc` with message `message` about
// `object`: BUSY/LOCKED, FULL, IOERR, READONLY, CANTOPEN, PERM are
// kEnvironment; NOTADB, CORRUPT, EMPTY are kUnusableInput; the rest kRefused.
Status StatusFromSqlite(int rc, std::string_view message, const std::string& object);

class Stmt;

class Db {
 public:
  // Opens `path` under `options.policy`. The returned Db names `path` in
  // every error it reports.
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
  // The statement `sql`, prepared on first use and kept until the
  // connection closes, for a query run many times with other parameters
  // (reflection's pragma functions). The Stmt returned borrows it: its
  // destructor resets it and clears its bindings. One borrower at a time.
  Result<Stmt> PrepareCached(std::string_view sql);
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

  // sqlite3_prepare_v2 of the first statement of `sql` (`tail` as its
  // pzTail), prepared again when TrustSqliteOwnAfter trusts the refusal.
  // For callers that walk several statements themselves.
  int PrepareOne(std::string_view sql, sqlite3_stmt** stmt, const char** tail);

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  std::map<std::string, sqlite3_stmt*, std::less<>> cached_;  // PrepareCached()
};

// A prepared statement. Column accessors are valid after Step() returned true.
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3_stmt* stmt, const Db* db, bool borrowed = false)
      : stmt_(stmt), db_(db), borrowed_(borrowed) {}
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
  // Frees (or, when borrowed from Db::PrepareCached, resets) the statement.
  void Release();

  sqlite3_stmt* stmt_ = nullptr;
  const Db* db_ = nullptr;
  bool borrowed_ = false;
};

}  // namespace sqlmend::sqlite
