// sa.inspect(bind) online: SQLAlchemy 1.4's Inspector over the live
// database, answering from the one reflection the runner has
// (Connection::ReflectTable, the same that batch rebuilds use).
//
//   get_table_names(), get_view_names(), has_table(name)
//   get_columns(t)             [{name, type, nullable, default, autoincrement,
//                                primary_key}]
//   get_pk_constraint(t)       {constrained_columns, name}
//   get_foreign_keys(t)        [{name, constrained_columns, referred_schema,
//                                referred_table, referred_columns, options}]
//   get_indexes(t)             [{name, column_names, unique}] (+ dialect_options
//                                {sqlite_where} for a partial index)
//   get_unique_constraints(t)  [{name, column_names}]
//   get_check_constraints(t)   [{name, sqltext}]
//   get_table_options(t)       {}
// Names of unnamed constraints are None, as SQLAlchemy reports them on
// SQLite. A missing table raises NoSuchTableError. Types are type objects
// that print as SQLAlchemy's reflected ones (INTEGER(), VARCHAR(length=50)
// as repr, the SQL as str()).
#pragma once

#include "python/value.h"
#include "sqlalchemy/connection.h"

namespace sqlmend::sqlalchemy {

// A reflected type: the type object SQLAlchemy's SQLite dialect reflects
// ("VARCHAR" of "VARCHAR(50)"), holding the SQL it compiles to.
python::Value ReflectedTypeValue(const ops::Type& type);

// The Inspector of `connection` (never null).
python::Value MakeInspector(Connection* connection);

// sqlalchemy.inspect: an Inspector for a connection; while planning, the
// bind's DatabaseNeeded() error. Anything else (a mapped class, a model
// instance) is Unsupported.
void AddInspect(python::ModuleObject& module);

// sqlalchemy.engine.reflection.Inspector (from_engine(bind), or called).
void AddInspectorClass(python::ModuleObject& module);

}  // namespace sqlmend::sqlalchemy
