#include "sqlite/db.h"

#include <fmt/format.h>

#include <cctype>
#include <mutex>
#include <set>

namespace sqlmend::sqlite {

namespace {

// SQLite's words when a statement or a schema object exceeds a cap of
// kLimits (sqlite3.c: "statement too long", "Expression tree is too large",
// "too many columns", "too many terms in compound SELECT", "string or blob
// too big", "too many levels of trigger recursion").
bool NamesALimit(std::string_view message) {
  for (std::string_view words : {"statement too long", "tree is too large", "too many columns",
                                 "too many terms", "too big", "too many levels of trigger"}) {
    if (message.find(words) != std::string_view::npos) return true;
  }
  return false;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Applies `policy` to a connection just opened (nothing read yet).
int ApplyPolicy(sqlite3* db, FilePolicy policy) {
  int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_enable_load_extension(db, 0);
  if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  if (rc == SQLITE_OK && policy == FilePolicy::kUntrusted) {
    rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  }
  // A flag pragma: it reads neither the file nor its schema.
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, "PRAGMA cell_size_check=ON", nullptr, nullptr, nullptr);
  if (policy != FilePolicy::kMigration) {
    for (const Limit& limit : kLimits) sqlite3_limit(db, limit.id, limit.value);
  }
  return rc;
}

}  // namespace

// The functions SQLite itself registers on every connection (its built-ins,
// JSON, FTS, R*Tree), lowered, without the SQLITE_DIRECTONLY ones. Read
// once from a fresh in-memory connection, which holds nothing else.
namespace {

const std::set<std::string>& SqliteOwnFunctions() {
  static const std::set<std::string> names = [] {
    std::set<std::string> out, direct_only;
    sqlite3* db = nullptr;
    if (sqlite3_open(":memory:", &db) == SQLITE_OK) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db, "PRAGMA function_list", -1, &stmt, nullptr) == SQLITE_OK) {
        while (sqlite3_step(stmt) == SQLITE_ROW) {
          const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
          if (!name) continue;
          bool direct = (sqlite3_column_int64(stmt, 5) & SQLITE_DIRECTONLY) != 0;
          (direct ? direct_only : out).insert(Lower(name));
        }
      }
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    // A name registered for several argument counts is SQLite's own only
    // when no form of it is direct-only.
    for (const std::string& name : direct_only) out.erase(name);
    return out;
  }();
  return names;
}

}  // namespace

bool TrustSqliteOwnAfter(sqlite3* db, std::string_view message) {
  static constexpr std::string_view kUnsafe = "unsafe use of ";
  size_t at = message.find(kUnsafe);
  if (at == std::string_view::npos) return false;
  std::string_view what = message.substr(at + kUnsafe.size());
  bool allowed = what.rfind("virtual table ", 0) == 0;
  if (!allowed) {
    size_t paren = what.find("()");
    if (paren == std::string_view::npos) return false;
    allowed = SqliteOwnFunctions().count(Lower(what.substr(0, paren))) > 0;
  }
  if (!allowed) return false;
  int trusted = 0;
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, -1, &trusted);
  if (trusted) return false;  // already trusted: the refusal is not this one
  return sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 1, nullptr) == SQLITE_OK;
}

Status LockedStatus(const std::string& object) {
  return Status::Environment(object, "database is locked by another process");
}

Status StatusFromSqlite(int rc, std::string_view message, const std::string& object) {
  std::string msg(message);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return LockedStatus(object);
    case SQLITE_FULL: return Status::Environment(object, "disk full");
    case SQLITE_IOERR: return Status::Environment(object, fmt::format("I/O error ({})", msg));
    case SQLITE_READONLY:
      return Status::Environment(object, fmt::format("cannot write ({})", msg));
    case SQLITE_CANTOPEN: return Status::Environment(object, "cannot open the file");
    case SQLITE_PERM:
    case SQLITE_AUTH: return Status::Environment(object, "permission denied");
    case SQLITE_NOTADB: return Status::Unusable(object, "not a database");
    case SQLITE_CORRUPT:
      if (NamesALimit(msg)) {
        return Status::Unusable(
            object, "schema exceeds a limit sqlmend sets for database files (" + msg + ")");
      }
      return Status::Unusable(object, "database is corrupt (" + msg + ")");
    case SQLITE_TOOBIG:
      return Status::Unusable(
          object, "a value exceeds a limit sqlmend sets for database files (" + msg + ")");
    case SQLITE_EMPTY: return Status::Unusable(object, "database is empty");
    case SQLITE_NOMEM: return Status::Environment(object, "out of memory");
    case SQLITE_INTERRUPT: return Status::Interrupted(object, "interrupted");
    default: return Status::Refused(object, msg);
  }
}

namespace {

// Library-wide settings, made once before SQLite initialises itself (the
// first open; later they would be refused, harmlessly). Memory statistics
// off: with them on, every allocation SQLite makes takes a global mutex
// (about 2% of an `upgrade head`), and sqlmend never reads them.
void ConfigureLibraryOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

Result<Db> Db::Open(const std::string& path, OpenMode mode, const OpenOptions& options) {
  ConfigureLibraryOnce();
  // URI names are enabled for ATTACH 'file:...?mode=ro'; a plain path that
  // happens to start with "file:" is protected by a "./" prefix.
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
  switch (mode) {
    case OpenMode::kReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case OpenMode::kReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case OpenMode::kCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
  }
  Db db;
  db.path_ = path;
  std::string open_path = path.rfind("file:", 0) == 0 ? "./" + path : path;
  int rc = sqlite3_open_v2(open_path.c_str(), &db.db_, flags,
                           options.vfs.empty() ? nullptr : options.vfs.c_str());
  if (rc != SQLITE_OK) {
    Status status = db.db_ ? db.LastError() : StatusFromSqlite(rc, "cannot open", path);
    return base::Fail(status);
  }
  sqlite3_extended_result_codes(db.db_, 1);
  if (int applied = ApplyPolicy(db.db_, options.policy); applied != SQLITE_OK) {
    return base::Fail(db.ErrorFor(applied));
  }
  if (!options.checkpoint_on_close) {
    sqlite3_db_config(db.db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  }
  sqlite3_busy_timeout(db.db_, options.busy_timeout_ms);
  return db;
}

Db::Db(Db&& other) noexcept
    : db_(other.db_), path_(std::move(other.path_)), cached_(std::move(other.cached_)) {
  other.db_ = nullptr;
  other.cached_.clear();
}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    Close();
    db_ = other.db_;
    path_ = std::move(other.path_);
    cached_ = std::move(other.cached_);
    other.db_ = nullptr;
    other.cached_.clear();
  }
  return *this;
}

Db::~Db() { Close(); }

Status Db::Close() {
  for (auto& [sql, stmt] : cached_) sqlite3_finalize(stmt);
  cached_.clear();
  if (!db_) return Status::Ok();
  int rc = sqlite3_close_v2(db_);
  db_ = nullptr;
  if (rc != SQLITE_OK) return StatusFromSqlite(rc, sqlite3_errstr(rc), path_);
  return Status::Ok();
}

Status Db::LastError() const { return ErrorFor(sqlite3_extended_errcode(db_)); }

Status Db::ErrorFor(int rc) const {
  return StatusFromSqlite(rc, db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc), path_);
}

int Db::PrepareOne(std::string_view sql, sqlite3_stmt** stmt, const char** tail) {
  while (true) {
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), stmt, tail);
    if (rc == SQLITE_OK || !TrustSqliteOwnAfter(db_, sqlite3_errmsg(db_))) return rc;
  }
}

// Statement by statement (as sqlite3_exec), so a statement SQLite refused
// for an untagged function of its own is prepared again alone.
Status Db::Exec(std::string_view sql) {
  const char* next = sql.data();
  const char* end = next + sql.size();
  while (next < end) {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = PrepareOne(std::string_view(next, static_cast<size_t>(end - next)), &stmt, &tail);
    if (rc != SQLITE_OK) return ErrorFor(rc);
    next = tail ? tail : end;
    if (!stmt) continue;  // whitespace or a comment
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    Status status = rc == SQLITE_DONE ? Status::Ok() : ErrorFor(rc);
    sqlite3_finalize(stmt);
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = PrepareOne(sql, &stmt, nullptr);
  if (rc != SQLITE_OK) return base::Fail(ErrorFor(rc));
  return Stmt(stmt, this);
}

Result<Stmt> Db::PrepareCached(std::string_view sql) {
  auto found = cached_.find(sql);
  if (found == cached_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = PrepareOne(sql, &stmt, nullptr);
    if (rc != SQLITE_OK) return base::Fail(ErrorFor(rc));
    found = cached_.emplace(std::string(sql), stmt).first;
  }
  return Stmt(found->second, this, /*borrowed=*/true);
}

Result<int64_t> Db::QueryInt(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) return base::Fail(stmt.error());
  auto row = stmt->Step();
  if (!row) return base::Fail(row.error());
  if (!*row) return base::Fail(Status::Refused(path_, fmt::format("no row from: {}", sql)));
  return stmt->ColumnInt(0);
}

Result<std::string> Db::QueryText(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) return base::Fail(stmt.error());
  auto row = stmt->Step();
  if (!row) return base::Fail(row.error());
  if (!*row) return base::Fail(Status::Refused(path_, fmt::format("no row from: {}", sql)));
  return stmt->ColumnText(0);
}

void Db::Interrupt() {
  if (db_) sqlite3_interrupt(db_);
}

Stmt::Stmt(Stmt&& other) noexcept
    : stmt_(other.stmt_), db_(other.db_), borrowed_(other.borrowed_) {
  other.stmt_ = nullptr;
}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    Release();
    stmt_ = other.stmt_;
    db_ = other.db_;
    borrowed_ = other.borrowed_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() { Release(); }

void Stmt::Release() {
  if (stmt_ == nullptr) return;
  if (borrowed_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return base::Fail(db_->ErrorFor(rc));
}

Status Stmt::Run() {
  while (true) {
    auto row = Step();
    if (!row) return row.error();
    if (!*row) return Status::Ok();
  }
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Stmt& Stmt::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Stmt& Stmt::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::BindValue(int index, const sqlite3_value* value) {
  sqlite3_bind_value(stmt_, index, value);
  return *this;
}

int Stmt::ColumnCount() const { return sqlite3_column_count(stmt_); }
int Stmt::ColumnType(int i) const { return sqlite3_column_type(stmt_, i); }
int64_t Stmt::ColumnInt(int i) const { return sqlite3_column_int64(stmt_, i); }
double Stmt::ColumnDouble(int i) const { return sqlite3_column_double(stmt_, i); }
bool Stmt::ColumnIsNull(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
sqlite3_value* Stmt::ColumnValue(int i) const { return sqlite3_column_value(stmt_, i); }

std::string Stmt::ColumnText(int i) const {
  const unsigned char* text = sqlite3_column_text(stmt_, i);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
}

std::string Stmt::ColumnBlob(int i) const {
  const void* blob = sqlite3_column_blob(stmt_, i);
  if (!blob) return {};
  return std::string(static_cast<const char*>(blob),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
}

std::string Stmt::ColumnName(int i) const {
  const char* name = sqlite3_column_name(stmt_, i);
  return name ? name : "";
}

}  // namespace sqlmend::sqlite
