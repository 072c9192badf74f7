// Alembic's `op` (alembic.operations.Operations) and a batch block's
// `batch_op` (BatchOperations) as interpreter values that record
// ops::Operation values instead of running them.
//
// Every method binds Alembic 1.8.1's signature (sa_args.h) and appends one
// operation, with the location of the call, to the OperationLog; batch_op's
// methods (no table argument) append to the BatchAlterTable that
// batch_alter_table() collects, which joins the log when the `with` block
// ends without an error (Alembic flushes a batch only then).
//
// Planning runs before any database is touched, so nothing can read the
// database: op.get_bind() returns a connection whose execute() records an
// Execute, but whose results (fetchall(), scalar(), iteration, ...),
// inspect() and ORM queries stop the planning with "the result of a
// statement is not available while planning" and mark the log
// needs_database. Online (OperationLog::live), every operation runs when
// called and results are real (sqlalchemy/result.h).
//
// Arguments Alembic accepts that change no SQLite DDL (schema=None,
// comment=, existing_comment=, info=) are accepted; anything else unmodelled
// is Unsupported.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ops/naming_convention.h"
#include "ops/operation.h"
#include "python/interpreter.h"
#include "python/value.h"
#include "sqlalchemy/connection.h"

namespace sqlmend::alembic {

// Where recorded operations go, with where each was called.
struct OperationLog {
  std::vector<ops::Operation> operations;
  std::vector<python::SourceLocation> locations;  // parallel to operations
  // The naming convention of env.py's target_metadata: op.f() and the
  // operations' unnamed constraints use it (Alembic's
  // MigrationContext.opts["target_metadata"]).
  ops::MetaData metadata;
  // The URL env.py configured (configure(url=...) or its connection's
  // engine): op.get_bind().engine.url.
  std::optional<std::string> url;
  // Online: the database the revision migrates. Each operation then runs
  // when it is called (and is still appended here); a failure raises
  // sqlalchemy.exc.OperationalError (IntegrityError for a constraint) in
  // the revision, which may catch it, as under Alembic. Null while
  // planning.
  sqlalchemy::Connection* live = nullptr;
  // Set while planning when the body reached for the database (a result, an
  // inspection, an ORM query): it can only run online.
  bool needs_database = false;
  // Online: the last operation failure, located at its call, and the
  // Python exception raised for it. When that exception ends the body, the
  // located failure is what the run reports.
  std::optional<base::Status> live_failure;
  std::optional<base::Status> live_exception;
};

// Registers `alembic` / `alembic.op` recording into `log`, which must
// outlive every call the interpreter makes. InstallAlembicOp() registers
// `alembic` and `alembic.op`, whose calls append ops::Operation values to an
// OperationLog; batch_alter_table returns a context manager whose batch_op
// collects a BatchAlterTable, appended when the block closes.
void InstallAlembicOp(python::Interpreter& interpreter, std::shared_ptr<OperationLog> log);

// The columns a batch adds that have a Python-side default= (the Column
// values, by the index of their add_column in the batch's operations). When
// the block closes and the batch rebuilds, each default is evaluated into
// its ops::Column (python_default) for the copy of the rows, as SQLAlchemy
// evaluates it when the copy runs; a batch that only ALTERs never calls it.
struct BatchDefaults {
  std::vector<std::pair<size_t, python::Value>> columns;
};

class OperationsValue : public python::HostObject {
 public:
  // `batch`: null for `op`; the BatchAlterTable being collected for a
  // batch_op, with `defaults` collected beside it. `interpreter` and `log`
  // must outlive the value.
  OperationsValue(python::Interpreter* interpreter, std::shared_ptr<OperationLog> log,
                  std::shared_ptr<ops::BatchAlterTable> batch,
                  std::shared_ptr<BatchDefaults> defaults = nullptr)
      : interpreter_(interpreter),
        log_(std::move(log)),
        batch_(std::move(batch)),
        defaults_(std::move(defaults)) {}
  std::string TypeName() const override { return batch_ ? "BatchOperations" : "Operations"; }
  bool ReachesDatabase() const override { return true; }
  std::optional<base::Result<python::Value>> GetAttribute(python::CallContext& context,
                                                          std::string_view name) override;

  python::Interpreter* interpreter() const { return interpreter_; }
  const std::shared_ptr<OperationLog>& log() const { return log_; }
  const std::shared_ptr<ops::BatchAlterTable>& batch() const { return batch_; }
  const std::shared_ptr<BatchDefaults>& defaults() const { return defaults_; }

 private:
  python::Interpreter* interpreter_;
  std::shared_ptr<OperationLog> log_;
  std::shared_ptr<ops::BatchAlterTable> batch_;
  std::shared_ptr<BatchDefaults> defaults_;
};

// The `alembic.op` value recording into `log` (what InstallAlembicOp binds).
python::Value MakeOp(python::Interpreter& interpreter, std::shared_ptr<OperationLog> log);

}  // namespace sqlmend::alembic
