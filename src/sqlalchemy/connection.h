// How a revision reaches the database it migrates: the interface behind
// op.get_bind() when a revision runs online. The sqlalchemy module declares
// it and never includes sqlite3.h; migrate implements it on the connection
// that holds the run's transaction, inside the revision's savepoint.
//
// Without a Connection (planning, and --sql), operations are recorded and
// nothing can be read: a statement's result, inspect() and an ORM query
// stop the planning of that revision with DatabaseNeeded(), and the runner
// evaluates it again online, where they run.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ops/operation.h"
#include "python/parser.h"
#include "python/value.h"

namespace sqlmend::sqlalchemy {

// One value SQLite returned, by its storage class.
struct Cell {
  enum class Kind { kNull, kInt, kFloat, kText, kBlob };
  Kind kind = Kind::kNull;
  int64_t integer = 0;
  double real = 0;
  std::string text;  // kText and kBlob
};

// What a statement gave back: the result columns' names and every row
// (migrations read few; they are fetched at once, so the statement is
// finished before the revision's next one runs).
struct ResultSet {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
  int64_t rowcount = -1;  // rows changed by an INSERT, UPDATE or DELETE
  int64_t last_insert_rowid = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Runs `operation`, called at `where` in the revision, as the runner
  // applies a planned one (DDL, a batch rebuild, bulk_insert). Errors are
  // located as the runner reports a failing operation.
  virtual base::Status Apply(const ops::Operation& operation,
                             const python::SourceLocation& where) = 0;
  // Runs one statement (ops::Execute's SQL and parameters) and returns its
  // rows. Transaction control is refused: the runner owns it.
  virtual base::Result<ResultSet> Query(const ops::Execute& statement,
                                        const python::SourceLocation& where) = 0;
  // Names of the main schema's tables (or views), sorted as SQLAlchemy's
  // SQLite dialect sorts them; sqlite_* tables left out.
  virtual base::Result<std::vector<std::string>> ObjectNames(bool views) = 0;
  // Table `name` as SQLAlchemy 1.4 reflects it (schema/reflect.h).
  virtual base::Result<ops::Table> ReflectTable(const std::string& name) = 0;
};

// A connection value Python code holds (op.get_bind(), a Session's bind).
// live() is null while planning.
class BindValue : public python::HostObject {
 public:
  virtual Connection* live() const = 0;
  // Called where planning needs the database; returns the error that stops
  // the planning (the runner then runs the revision online).
  virtual base::Status DatabaseNeeded(python::CallContext& context) = 0;
};

// `value` as a BindValue (a connection, an engine given as bind=), or null.
BindValue* AsBind(const python::Value& value);

}  // namespace sqlmend::sqlalchemy
