// RunPlan: a plan carried out online, one savepoint per revision inside one
// BEGIN IMMEDIATE transaction (see runner.h for the guarantees).
//
// MigrationRun::Run():
//   1. Read: every step's work (PlanReader). With a Python runtime, a plan of
//      several steps and a second CPU, steps are read on a second thread
//      while the first ones are applied; otherwise all are read first. A
//      body sqlmend cannot run outranks anything that happened on the file:
//      nothing is committed before every step was read, the run is rolled
//      back, its log lines are dropped, and the error is the one the run
//      would have stopped with before opening the file.
//   2. Open: the file (created when missing, as SQLAlchemy's sqlite driver
//      does), busy timeout = lock_timeout_ms; log Alembic's context lines.
//   3. CheckSchema: a version_table_schema must be an attached database.
//   4. Lock: BEGIN IMMEDIATE; SQLITE_BUSY after the timeout means another
//      migration holds the write lock. Then the heads are read again: when
//      another migration moved them while this one waited, the plan is made
//      again from them (RunOptions::replan) and its SQL loaded, under the
//      lock, so no step runs on a database it was not planned for.
//   5. PrepareVersionTable: --purge creates and empties it; otherwise it is
//      created when there are no heads (run_migrations/_ensure_version_table).
//   6. RunSteps: per step SAVEPOINT, "Running ..." log line, each statement,
//      the version changes, RELEASE. A failure rolls back to the savepoint.
//   7. Finish: COMMIT when at least one step succeeded (or none failed);
//      ROLLBACK when the first step failed, so the file is untouched.
#include "migrate/runner.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sqlite3.h>

#include "base/files.h"
#include "base/thread.h"
#include "migrate/apply_operation.h"
#include "schema/reflect.h"
#include "migrate/step_sql.h"
#include "migrate/text_clause.h"
#include "sqlite/db.h"
#include "sqlite/sidecars.h"
#include "version/version_table.h"

namespace sqlmend::migrate {

namespace {

constexpr char kSavepoint[] = "sqlmend_revision";
constexpr size_t kStatementShown = 160;

std::string SchemaOf(const Target& target) {
  return target.version_table_schema.value_or("main");
}

// The statement as shown in an error: whitespace runs folded to one space,
// cut after kStatementShown characters.
std::string Abbreviate(std::string_view statement) {
  std::string out;
  bool space = false;
  for (char c : statement) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() > kStatementShown) out = out.substr(0, kStatementShown) + "...";
  return out;
}

// Counts the newlines of `text` before `end`, going on from where the
// previous call stopped (`*counted` bytes, `*lines` newlines): statements
// are located in order, and counting from the start for each would make a
// revision of many statements quadratic (a 10 MB .sql revision: hours).
int LinesBefore(std::string_view text, size_t end, size_t* counted, int* lines) {
  end = std::min(end, text.size());
  for (; *counted < end; ++*counted) *lines += text[*counted] == '\n';
  return *lines;
}

// Statements that would end the run's transaction or its savepoints are
// refused at prepare time: sqlmend owns transaction control.
int DenyTransactionControl(void*, int action, const char*, const char*, const char*,
                           const char*) {
  return action == SQLITE_TRANSACTION || action == SQLITE_SAVEPOINT ? SQLITE_DENY : SQLITE_OK;
}

// Checks that `schema` names a database of the connection: on SQLite,
// Alembic's version_table_schema is an ATTACHed database's name.
base::Status CheckSchemaAttached(sqlite::Db& db, const std::string& schema) {
  if (schema == "main" || schema == "temp") return base::Status::Ok();
  auto list = db.Prepare("SELECT name FROM pragma_database_list");
  if (!list) return list.error();
  while (true) {
    auto row = list->Step();
    if (!row) return row.error();
    if (!*row) break;
    if (sqlite3_stricmp(list->ColumnText(0).c_str(), schema.c_str()) == 0) {
      return base::Status::Ok();
    }
  }
  return base::Status::Usage(
      schema, fmt::format("version_table_schema '{}' is not an attached database: on SQLite a "
                          "schema is a database ATTACHed to the connection, and sqlmend attaches "
                          "none; keep the version table in the main database",
                          schema));
}

class MigrationRun : public sqlalchemy::Connection {
 public:
  MigrationRun(const Target& target, const graph::Plan& plan,
               const script::ScriptDirectory& scripts, const RunOptions& options, bool purge)
      : target_(target),
        schema_(SchemaOf(target)),
        plan_(plan),
        scripts_(scripts),
        options_(options),
        purge_(purge),
        expected_heads_(options.planned_from) {}

  base::Status Run() {
    SQLMEND_RETURN_IF_ERROR(StartReading());
    const bool in_memory = target_.database == ":memory:" || target_.database.empty();
    // Created here, atomically, rather than by SQLite's open: then exactly
    // one of several runs started on a missing file knows it made it.
    const bool created = !in_memory && base::CreateExclusive(target_.database);
    base::Status status = RunOnFile();
    if (base::Status read = reader_->Finish(); !read.ok()) {
      // RunOnFile committed nothing (Finish and SwitchForeignKeys check the
      // reader first); the run never started, as far as anyone can see.
      status = read;
      log_lines_.clear();
    }
    for (const python::LogRecord& line : log_lines_) {
      if (line.level.empty()) {
        if (options_.log) options_.log(line.text);
      } else if (options_.python != nullptr) {
        options_.python->EmitLog(line);
      }
    }
    // A run that lost the lock leaves the file alone: another run has it
    // open, and removing it under that run would break its commit.
    if (!status.ok() && created && !committed_ && !lost_lock_) {
      // Opening created the file; a run that committed nothing takes it
      // back rather than leave an empty database behind.
      db_.Close();
      if (base::FileSize(target_.database) == 0) base::RemoveIfExists(target_.database);
    }
    return status;
  }

 private:
  base::Status RunOnFile() {
    SQLMEND_RETURN_IF_ERROR(Open());
    SQLMEND_RETURN_IF_ERROR(RunConnectStatements());
    SQLMEND_RETURN_IF_ERROR(CheckSchemaAttached(db_, schema_));
    if (NeedsForeignKeysOff(0)) SQLMEND_RETURN_IF_ERROR(SetForeignKeys(false));
    SQLMEND_RETURN_IF_ERROR(LockAndCheckHeads(0));
    base::Status status = PrepareVersionTable();
    size_t done = 0;
    if (status.ok()) status = RunSteps(&done);
    return Finish(status, done);
  }

  // Held until the run ends: dropped when a step could not be read. The
  // runner's own lines have no level; a body's print() and logging output
  // keeps its own, and goes back to the runtime's sink.
  void Log(const std::string& line) { log_lines_.push_back({"", line, ""}); }
  void Log(const std::vector<python::LogRecord>& output) {
    log_lines_.insert(log_lines_.end(), output.begin(), output.end());
  }

  base::Status Open() {
    sqlite::OpenOptions open;
    open.busy_timeout_ms = options_.lock_timeout_ms;
    // A migration is an ordinary writer: leave no committed frames behind
    // in a WAL when it is the last connection.
    open.checkpoint_on_close = true;
    open.policy = sqlite::FilePolicy::kMigration;
    auto db = sqlite::Db::Open(target_.database, sqlite::OpenMode::kCreate, open);
    if (!db) return db.error();
    db_ = std::move(*db);
    Log("Context impl SQLiteImpl.");
    Log("Will assume transactional DDL.");
    return base::Status::Ok();
  }

  // What SQLAlchemy runs on every new connection: env.py's "connect"
  // listeners (PRAGMA foreign_keys=ON and the like). Whether foreign keys
  // are then enforced decides how rebuilding steps run (runner.h).
  base::Status RunConnectStatements() {
    if (options_.python == nullptr) return base::Status::Ok();
    for (const std::string& sql : options_.python->env().connect_statements) {
      base::Status status = db_.Exec(sql);
      if (!status.ok()) {
        return base::Status(status.code(), "env.py",
                            fmt::format("a \"connect\" listener's statement failed: {} in: {}",
                                        status.message(), Abbreviate(sql)));
      }
    }
    auto enforced = db_.Prepare("PRAGMA foreign_keys");
    if (!enforced) return enforced.error();
    auto row = enforced->Step();
    if (!row) return row.error();
    foreign_keys_enforced_ = *row && enforced->ColumnInt(0) != 0;
    return base::Status::Ok();
  }

  // Whether step `index` rebuilds a table while the application enforces
  // foreign keys: then it runs with them off (runner.h).
  bool NeedsForeignKeysOff(size_t index) {
    if (!foreign_keys_enforced_ || index >= plan_.steps.size()) return false;
    auto sql = reader_->Get(index);
    if (!sql) return false;  // RunSteps stops with the error
    // A body that reads the database was not planned to its end: it may
    // rebuild a table after the read.
    if ((*sql)->needs_database) return true;
    for (const ops::Operation& operation : (*sql)->operations) {
      if (RebuildsTable(operation)) return true;
    }
    return false;
  }

  // PRAGMA foreign_keys, outside any transaction (inside one it is a no-op).
  base::Status SetForeignKeys(bool on) {
    SQLMEND_RETURN_IF_ERROR(db_.Exec(on ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF"));
    foreign_keys_off_ = !on;
    return base::Status::Ok();
  }

  // Ends the transaction so far (its `done` steps) and starts the next one
  // with foreign keys on or off. The lock is released in between, so the
  // heads are checked again when it is retaken (LockAndCheckHeads).
  base::Status SwitchForeignKeys(bool on, size_t done) {
    SQLMEND_RETURN_IF_ERROR(reader_->Finish());
    auto heads = version::ReadHeads(db_, target_.version_table, schema_);
    if (!heads) return heads.error();
    expected_heads_ = std::move(*heads);
    int rc = sqlite3_exec(db_.handle(), "COMMIT", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return (rc & 0xff) == SQLITE_BUSY ? LockedError("its readers") : db_.ErrorFor(rc);
    committed_ = true;
    SQLMEND_RETURN_IF_ERROR(SetForeignKeys(on));
    return LockAndCheckHeads(done);
  }

  // Lock(), then the check that the heads are still those the plan starts
  // from (when they are known: RunOptions::planned_from). Before any step of
  // this run is done, heads another migration moved mean a new plan from
  // them (RunOptions::replan); after (`done` > 0), the rest of the plan no
  // longer applies and the run stops.
  base::Status LockAndCheckHeads(size_t done) {
    SQLMEND_RETURN_IF_ERROR(Lock());
    if (!expected_heads_) return base::Status::Ok();
    auto heads = version::ReadHeads(db_, target_.version_table, schema_);
    if (!heads) return heads.error();
    if (SameHeads(*heads, *expected_heads_)) return base::Status::Ok();
    if (done > 0) {
      return base::Status::Environment(
          target_.database,
          fmt::format("another migration moved the heads from {} to {} while this run released "
                      "its lock to switch foreign keys; the {} revision(s) before were committed, "
                      "the rest were not run",
                      ShowHeads(*expected_heads_), ShowHeads(*heads), done));
    }
    if (!options_.replan) {
      return base::Status::Environment(
          target_.database,
          fmt::format("another migration moved the heads from {} to {} while this one waited "
                      "for the lock; nothing was applied",
                      ShowHeads(*expected_heads_), ShowHeads(*heads)));
    }
    Log(fmt::format("Heads moved to {} while waiting for the lock; planning again",
                    ShowHeads(*heads)));
    auto plan = options_.replan(*heads);
    if (!plan) return plan.error();
    reader_->Finish();  // it reads plan_: done with the old plan before it goes
    plan_ = std::move(*plan);
    expected_heads_ = std::move(*heads);
    return StartReading();
  }

  // Starts reading plan_'s steps (PlanReader), in the background when that
  // can help; otherwise reads them all and returns the first error.
  base::Status StartReading() {
    const bool in_background = options_.read_in_background.value_or(
        options_.python != nullptr && plan_.steps.size() >= 2 && base::SecondCpuAvailable());
    reader_ = std::make_unique<PlanReader>(scripts_, plan_, options_.python, in_background);
    return in_background ? base::Status::Ok() : reader_->Finish();
  }

  // Heads compare as sets: a plan does not depend on the rows' order.
  static bool SameHeads(std::vector<std::string> a, std::vector<std::string> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
  }

  static std::string ShowHeads(const std::vector<std::string>& heads) {
    return heads.empty() ? "(none)" : fmt::format("{}", fmt::join(heads, ", "));
  }

  // The number of rows PRAGMA foreign_key_check reports.
  base::Result<int64_t> CountForeignKeyViolations() {
    auto check = db_.Prepare("SELECT count(*) FROM pragma_foreign_key_check");
    if (!check) return base::Fail(check.error());
    auto row = check->Step();
    if (!row) return base::Fail(row.error());
    return *row ? check->ColumnInt(0) : 0;
  }

  base::Status Lock() {
    int rc = sqlite3_exec(db_.handle(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    if ((rc & 0xff) == SQLITE_BUSY) return LockedError("another migration");
    if (rc != SQLITE_OK) return db_.ErrorFor(rc);
    return base::Status::Ok();
  }

  // Another connection has the file open: the run leaves the file alone.
  base::Status LockedError(std::string_view holder) {
    lost_lock_ = true;
    return base::Status::Environment(
        target_.database, fmt::format("database is locked by {}; waited {:g} s", holder,
                                      options_.lock_timeout_ms / 1000.0));
  }

  base::Status PrepareVersionTable() {
    const std::string& table = target_.version_table;
    if (purge_) {
      SQLMEND_RETURN_IF_ERROR(version::EnsureTable(db_, table, schema_));
      auto purge = db_.Prepare(fmt::format("DELETE FROM \"{}\".\"{}\"", Escape(schema_),
                                           Escape(table)));
      if (!purge) return purge.error();
      return purge->Run();
    }
    auto heads = version::ReadHeads(db_, table, schema_);
    if (!heads) return heads.error();
    if (heads->empty()) return version::EnsureTable(db_, table, schema_);
    return base::Status::Ok();
  }

  static std::string Escape(const std::string& name) {
    std::string out;
    for (char c : name) {
      out += c;
      if (c == '"') out += '"';
    }
    return out;
  }

  base::Status RunSteps(size_t* done) {
    for (size_t i = 0; i < plan_.steps.size(); ++i) {
      if (foreign_keys_enforced_ && NeedsForeignKeysOff(i) != foreign_keys_off_) {
        SQLMEND_RETURN_IF_ERROR(SwitchForeignKeys(foreign_keys_off_, i));
        // Before the first step the plan may have been made again: look at
        // its first step's needs.
        if (i == 0 && NeedsForeignKeysOff(0) != foreign_keys_off_) {
          --i;
          continue;
        }
      }
      const graph::Step& step = plan_.steps[i];
      auto sql = reader_->Get(i);
      if (!sql) return sql.error();
      SQLMEND_RETURN_IF_ERROR(db_.Exec(fmt::format("SAVEPOINT {}", kSavepoint)));
      Log("Running " + step.LogLine());
      // A body that runs online again logs again (RunStep).
      if (!(*sql)->RunsOnline()) Log((*sql)->output);
      base::Status status = RunCheckedStep(step, **sql);
      if (!status.ok()) {
        // SQLite itself may have ended the transaction (ON CONFLICT
        // ROLLBACK, a full disk); then there is no savepoint to go back to.
        if (!sqlite3_get_autocommit(db_.handle())) {
          db_.Exec(fmt::format("ROLLBACK TO {0}; RELEASE {0}", kSavepoint));
        }
        return status;
      }
      SQLMEND_RETURN_IF_ERROR(db_.Exec(fmt::format("RELEASE {}", kSavepoint)));
      *done = i + 1;
    }
    return base::Status::Ok();
  }

  // RunStep, and with foreign keys switched off for it, the check that it
  // left no violation that was not there before.
  base::Status RunCheckedStep(const graph::Step& step, const StepSql& sql) {
    if (!foreign_keys_off_) return RunStep(step, sql);
    auto before = CountForeignKeyViolations();
    if (!before) return before.error();
    SQLMEND_RETURN_IF_ERROR(RunStep(step, sql));
    auto after = CountForeignKeyViolations();
    if (!after) return after.error();
    if (*after > *before) {
      return base::Status::Refused(
          sql.file.empty() ? step.ShortLog() : sql.file,
          fmt::format("the revision leaves {} row(s) violating a foreign key (PRAGMA "
                      "foreign_key_check); it was rolled back",
                      *after - *before));
    }
    return base::Status::Ok();
  }

  base::Status RunStep(const graph::Step& step, const StepSql& sql) {
    for (const script::SqlText& text : sql.texts) {
      SQLMEND_RETURN_IF_ERROR(RunText(text, sql.through_text_clause));
    }
    if (sql.RunsOnline() && options_.python != nullptr) {
      // The interpreter is the reader's until it has read every step.
      SQLMEND_RETURN_IF_ERROR(reader_->Finish());
      // The body runs again, online: each operation when it is called, so
      // what it reads (results, inspection) is the database as the
      // operations before it left it, and a failing one raises in it.
      current_ = &sql;
      auto body = options_.python->Operations(sql.revision, sql.upgrade, this);
      current_ = nullptr;
      if (!body) return body.error();
      Log(body->output);
    } else {
      for (size_t i = 0; i < sql.operations.size(); ++i) {
        SQLMEND_RETURN_IF_ERROR(RunOperation(sql, sql.operations[i], sql.locations[i]));
      }
    }
    for (const graph::VersionChange& change : step.version_changes) {
      const std::string& table = target_.version_table;
      switch (change.kind) {
        case graph::VersionChange::Kind::kInsert:
          SQLMEND_RETURN_IF_ERROR(version::InsertHead(db_, change.to, table, schema_));
          break;
        case graph::VersionChange::Kind::kDelete:
          SQLMEND_RETURN_IF_ERROR(version::DeleteHead(db_, change.from, table, schema_));
          break;
        case graph::VersionChange::Kind::kUpdate:
          SQLMEND_RETURN_IF_ERROR(
              version::UpdateHead(db_, change.from, change.to, table, schema_));
          break;
      }
    }
    return base::Status::Ok();
  }

  // Runs one op.execute() string (or .sql section), statement by statement
  // as sqlite3_prepare_v2's tail pointer divides it, so an error names the
  // statement that failed.
  base::Status RunText(const script::SqlText& text, bool through_text_clause) {
    std::string sql = text.sql;
    if (through_text_clause) {
      CompiledText compiled = CompileTextClause(text.sql, "?");
      if (!compiled.bind_names.empty()) {
        return StatementError(text, text.line, SQLITE_ERROR,
                              fmt::format("A value is required for bind parameter '{}'",
                                          compiled.bind_names.front()),
                              text.sql);
      }
      sql = std::move(compiled.sql);
    }
    sqlite3* handle = db_.handle();
    const char* begin = sql.c_str();
    const char* end = begin + sql.size();
    const char* next = begin;
    size_t counted = 0;
    int lines = 0;
    while (next < end) {
      const char* start = next;
      // A .sql section's statements are located exactly; an op.execute()
      // string is located by its call (escapes make offsets unreliable).
      const int line =
          through_text_clause
              ? text.line
              : text.line + LinesBefore(sql,
                                        sql.find_first_not_of(" \t\r\n\f\v", start - begin),
                                        &counted, &lines);
      sqlite3_stmt* stmt = nullptr;
      sqlite3_set_authorizer(handle, DenyTransactionControl, nullptr);
      int rc = db_.PrepareOne(std::string_view(start, static_cast<size_t>(end - start)), &stmt, &next);
      sqlite3_set_authorizer(handle, nullptr, nullptr);
      if (rc != SQLITE_OK) {
        std::string message = sqlite3_errmsg(handle);
        if (rc == SQLITE_AUTH) {
          message = "transaction control is not allowed in a revision (sqlmend runs each "
                    "revision in its own savepoint)";
        }
        return StatementError(text, line, rc, message, RestOfStatement(start, end));
      }
      if (stmt == nullptr) break;  // only whitespace and comments were left
      std::string_view statement(start, static_cast<size_t>(next - start));
      if (int params = sqlite3_bind_parameter_count(stmt); params > 0) {
        sqlite3_finalize(stmt);
        return StatementError(
            text, line, SQLITE_ERROR,
            fmt::format("Incorrect number of bindings supplied. The current statement uses {}, "
                        "and there are 0 supplied.",
                        params),
            statement);
      }
      do {
        rc = sqlite3_step(stmt);
      } while (rc == SQLITE_ROW);
      // Read the message before finalize() can touch the connection's error.
      const std::string message = rc == SQLITE_DONE ? "" : sqlite3_errmsg(handle);
      sqlite3_finalize(stmt);
      if (rc != SQLITE_DONE) return StatementError(text, line, rc, message, statement);
    }
    return base::Status::Ok();
  }

  // One recorded operation. A plain op.execute() string runs as RunText
  // runs it (statement by statement, with located errors); everything else
  // goes through ApplyOperation.
  base::Status RunOperation(const StepSql& sql, const ops::Operation& operation,
                            const python::SourceLocation& where) {
    if (const auto* execute = std::get_if<ops::Execute>(&operation)) {
      if (execute->text_clause && execute->parameters.empty()) {
        return RunText(script::SqlText{execute->sql, sql.file, where.line}, true);
      }
    }
    ApplyContext context;
    if (options_.python != nullptr) context.metadata = options_.python->env().target_metadata;
    context.foreign_keys_enforced = foreign_keys_off_;
    context.log = [this](const std::string& line) { Log(line); };
    base::Status status = ApplyOperation(db_, operation, context);
    return status.ok() ? status : LocateOperationError(sql, where, status);
  }

  // sqlalchemy::Connection, for the body of the step running online.
  base::Status Apply(const ops::Operation& operation,
                     const python::SourceLocation& where) override {
    return RunOperation(*current_, operation, where);
  }

  base::Result<sqlalchemy::ResultSet> Query(const ops::Execute& statement,
                                            const python::SourceLocation& where) override {
    sqlite3_set_authorizer(db_.handle(), DenyTransactionControl, nullptr);
    auto rows = QueryStatement(db_, statement);
    sqlite3_set_authorizer(db_.handle(), nullptr, nullptr);
    if (rows) return rows;
    std::string message = rows.error().message();
    if (message == "not authorized") {
      message = "transaction control is not allowed in a revision (sqlmend runs each revision "
                "in its own savepoint)";
    }
    return base::Fail(LocateOperationError(
        *current_, where,
        base::Status(rows.error().code(), "",
                     fmt::format("{} in: {}", message, Abbreviate(statement.sql)))));
  }

  base::Result<std::vector<std::string>> ObjectNames(bool views) override {
    return schema::ObjectNames(db_, views);
  }

  base::Result<ops::Table> ReflectTable(const std::string& name) override {
    return schema::ReflectTable(db_, name);
  }

  // A statement the prepare rejected has no tail; show up to its first ';'.
  static std::string_view RestOfStatement(const char* start, const char* end) {
    std::string_view rest(start, static_cast<size_t>(end - start));
    size_t semicolon = rest.find(';');
    return semicolon == std::string_view::npos ? rest : rest.substr(0, semicolon + 1);
  }

  // "<file>:<line>" and "<SQLite's message> in: <statement>", with the
  // code SQLite's result maps to (a failing statement is kRefused, a full
  // disk kEnvironment). `line` is the text's first line.
  static base::Status StatementError(const script::SqlText& text, int line, int rc,
                                     const std::string& message, std::string_view statement) {
    const base::Code code = sqlite::StatusFromSqlite(rc, message, "").code();
    return base::Status(code, fmt::format("{}:{}", text.file, line),
                        fmt::format("{} in: {}", message, Abbreviate(statement)));
  }

  base::Status Finish(base::Status status, size_t done) {
    if (base::Status read = reader_->Finish(); !read.ok()) {
      // A step that could not be read undoes the whole run (Run() reports it).
      status = read;
      done = 0;
    }
    if (!status.ok() && done == 0) {
      // Nothing succeeded: undo everything, the version table's creation
      // included, so the file is as it was.
      if (!sqlite3_get_autocommit(db_.handle())) db_.Exec("ROLLBACK");
      return status;
    }
    if (sqlite3_get_autocommit(db_.handle())) {
      // SQLite rolled the whole transaction back while handling the error.
      return base::Status(status.code(), status.object(),
                          status.message() +
                              " (SQLite rolled back the whole run; nothing was committed)");
    }
    int rc = sqlite3_exec(db_.handle(), "COMMIT", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      base::Status commit_error = (rc & 0xff) == SQLITE_BUSY ? LockedError("its readers")
                                                             : db_.ErrorFor(rc);
      db_.Exec("ROLLBACK");
      return commit_error;
    }
    committed_ = true;
    if (foreign_keys_off_) SQLMEND_RETURN_IF_ERROR(SetForeignKeys(true));
    SQLMEND_RETURN_IF_ERROR(db_.Close());
    return status;
  }

  const Target& target_;
  const std::string schema_;
  // The plan run; made again under the lock when the heads moved.
  graph::Plan plan_;
  const script::ScriptDirectory& scripts_;
  const RunOptions& options_;
  const bool purge_;
  // The heads the plan starts from, when known (RunOptions::planned_from).
  std::optional<std::vector<std::string>> expected_heads_;
  std::unique_ptr<PlanReader> reader_;
  std::vector<python::LogRecord> log_lines_;
  sqlite::Db db_;
  bool committed_ = false;
  bool lost_lock_ = false;  // another connection held a lock past the timeout
  // The connection enforces foreign keys (after the connect listeners), and
  // whether the runner has switched them off for a rebuilding step.
  bool foreign_keys_enforced_ = false;
  bool foreign_keys_off_ = false;
  // The step whose body runs online (its file locates errors).
  const StepSql* current_ = nullptr;
};

}  // namespace

base::Result<std::vector<std::string>> CurrentHeads(const Target& target) {
  std::vector<std::string> none;
  if (target.database.empty() || target.database == ":memory:") return none;
  if (!base::Exists(target.database)) return none;
  // Declared before the connection: removes the -wal/-shm a WAL database's
  // reader creates, once the connection has closed.
  sqlite::SidecarGuard sidecars(target.database);
  sqlite::OpenOptions open;
  open.busy_timeout_ms = 5000;
  open.policy = sqlite::FilePolicy::kMigration;
  auto db = sqlite::Db::Open(target.database, sqlite::OpenMode::kReadOnly, open);
  if (!db) return base::Fail(db.error());
  const std::string schema = SchemaOf(target);
  SQLMEND_RETURN_IF_ERROR(CheckSchemaAttached(*db, schema));
  auto heads = version::ReadHeads(*db, target.version_table, schema);
  SQLMEND_RETURN_IF_ERROR(db->Close());
  return heads;
}

base::Status RunPlan(const Target& target, const graph::Plan& plan,
                     const script::ScriptDirectory& scripts, const RunOptions& options,
                     bool purge) {
  return MigrationRun(target, plan, scripts, options, purge).Run();
}

}  // namespace sqlmend::migrate
