// The modelled SQLAlchemy and Alembic objects a revision file, env.py and a
// project's model modules use, as host objects of the interpreter
// (value.h's HostObject), and the `op` object that records operations.
//
// InstallSqlalchemy() registers the modules `sqlalchemy` (and its
// submodules: types, schema, sql, sql.expression, dialects.sqlite, orm,
// ext.declarative, engine, pool, event), `enum`, and `datetime` where
// modelled. InstallAlembicOp() registers `alembic` and `alembic.op` whose
// calls append ops::Operation values to an OperationLog; batch_alter_table
// returns a context manager whose batch_op collects a BatchAlterTable,
// appended when the block closes.
//
// A call the model cannot honour (an unknown keyword that would change the
// DDL, an unmodelled function) is Interpreter::Unsupported(): a located error
// the script cannot catch, raised while planning, before any database is
// touched.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ops/naming_convention.h"
#include "ops/operation.h"
#include "pyrev/interpreter.h"
#include "pyrev/python_parser.h"

namespace sqlmend::pyrev {

// Where recorded operations go, with where each was called.
struct OperationLog {
  std::vector<ops::Operation> operations;
  std::vector<SourceLocation> locations;  // parallel to operations
  // The naming convention of env.py's target_metadata: op.f() and the
  // operations' unnamed constraints use it (Alembic's
  // MigrationContext.opts["target_metadata"]).
  ops::MetaData metadata;
};

// Registers the SQLAlchemy model modules in `interpreter`.
void InstallSqlalchemy(Interpreter& interpreter);

// Registers `alembic` / `alembic.op` recording into `log`, which must
// outlive every call the interpreter makes.
void InstallAlembicOp(Interpreter& interpreter, std::shared_ptr<OperationLog> log);

// The MetaData a Value stands for (sa.MetaData(naming_convention=...), or a
// declarative base's .metadata), or nullopt when it is not one.
std::optional<ops::MetaData> MetaDataOf(const Value& value);

}  // namespace sqlmend::pyrev
