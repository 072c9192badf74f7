// Reflection of live tables into a MetaData, as SQLAlchemy 1.4 does it on
// SQLite, for data migrations that work on the tables as they stand:
//
//   meta = sa.MetaData(bind=op.get_bind())      the bind reflect() and
//                                               autoload=True fall back to
//   meta.reflect(bind=None, schema=None, views=False, only=None,
//                extend_existing=False, autoload_replace=True, resolve_fks=True)
//   sa.Table("role", meta, autoload_with=op.get_bind())   (or autoload=True)
//   sa.Table("role", meta)                      the table meta already holds
//
// A reflected Table has the columns (with reflected types: VARCHAR(128),
// INTEGER, ...), primary key, foreign keys, unique and check constraints
// and indexes of Connection::ReflectTable, the one reflection the runner
// has (the Inspector's). With resolve_fks (the default) the tables its
// foreign keys refer to are reflected into the MetaData too. Columns given
// to an autoloaded Table replace the reflected ones of the same name
// (autoload_replace) or are added after them.
//
// Errors as SQLAlchemy raises them: NoSuchTableError for a missing table,
// InvalidRequestError for names `only` lists that the database lacks,
// UnboundExecutionError when no bind is given or bound. While a revision is
// planned (no live connection), reflection stops the planning with the
// bind's DatabaseNeeded() error and the runner evaluates it online.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "python/value.h"
#include "sqlalchemy/connection.h"
#include "sqlalchemy/schema.h"

namespace sqlmend::sqlalchemy {

// The live connection behind `bind` (a connection value); the planning
// stop while planning; TypeError for a value that is no bind.
base::Result<Connection*> LiveConnection(python::CallContext& context, const python::Value& bind);

// Table `name` reflected through `connection` into `metadata` (added to
// it, with the referred tables when `resolve_fks`). `items` (Columns,
// constraints, indexes given to Table()) override or extend the reflected
// ones. Raises NoSuchTableError when the database has no such table or view.
base::Result<std::shared_ptr<TableValue>> ReflectTableInto(
    python::CallContext& context, MetaDataValue& metadata, Connection* connection,
    const std::string& name, bool resolve_fks, const std::vector<python::Value>& items);

// metadata.reflect(...) with the signature above; returns None.
base::Result<python::Value> ReflectMetaData(python::CallContext& context, MetaDataValue& metadata,
                                            python::Args& args);

}  // namespace sqlmend::sqlalchemy
