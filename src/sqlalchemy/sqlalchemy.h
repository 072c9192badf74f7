// SQLAlchemy's public API as a revision file, env.py and a project's model
// modules see it: modelled objects, host objects of the interpreter
// (python/value.h's HostObject).
//
// InstallSqlalchemy() registers the modules `sqlalchemy` (and its
// submodules: types, schema, sql, sql.expression, dialects.sqlite, orm,
// ext.declarative, engine, pool, event), `enum`, and `datetime` where
// modelled.
//
// A call the model cannot honour (an unknown keyword that would change the
// DDL, an unmodelled function) is Interpreter::Unsupported(): a located error
// the script cannot catch, raised while planning, before any database is
// touched.
#pragma once

#include <optional>
#include <string>

#include "ops/naming_convention.h"
#include "ops/operation.h"
#include "python/interpreter.h"
#include "python/parser.h"

namespace sqlmend::sqlalchemy {

// Registers the SQLAlchemy model modules in `interpreter`.
void InstallSqlalchemy(python::Interpreter& interpreter);

// The MetaData a Value stands for (sa.MetaData(naming_convention=...), or a
// declarative base's .metadata), or nullopt when it is not one.
std::optional<ops::MetaData> MetaDataOf(const python::Value& value);

}  // namespace sqlmend::sqlalchemy
