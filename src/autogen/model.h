// ModelOf: env.py's target_metadata, as the interpreter evaluated it from
// the project's model modules, turned into the tables compare.h compares and
// the type spellings render.h writes.
//
// target_metadata may be a MetaData, a declarative base class (its
// .metadata) or a list/tuple of them (their tables together, the first
// one's naming convention). Lightweight sa.table() objects are not part of a
// MetaData and are not compared.
//
// Types are written as Alembic's autogenerate writes them: SQLAlchemy's
// own types as "sa.<Class>(<arguments that differ from the defaults>)"
// ("sa.String(length=50)", "sa.Numeric(precision=10, scale=2)",
// "sa.Enum('a', 'b', name='kind')"), and a project's TypeDecorator as
// "<its module>.<Class>()", with the "import <module>" it needs (Alembic
// 1.8 leaves that import out, so its revision fails with a NameError).
#pragma once

#include <functional>
#include <string>

#include "autogen/compare.h"
#include "base/status.h"
#include "python/value.h"

namespace sqlmend::autogen {

// repr(text) of a Python str, as a revision file writes it ('a', "it's").
std::string PythonStr(const std::string& text);

// Fails (kRefused) when target_metadata is None (Alembic's sentence) or not
// a MetaData: autogenerate has nothing to compare.
base::Result<Model> ModelOf(const python::Value& target_metadata, const std::string& env_path);

// The repr Alembic writes for a type reflected from the database
// ("sa.VARCHAR(length=50)", "sa.INTEGER()", "sqlite.DATETIME()"), with the
// import it needs ("from sqlalchemy.dialects import sqlite") or none.
ModelColumnType ReflectedTypeRepr(const ops::Type& type);

// env.py's include_object(object, name, type_, reflected, compare_to) and
// include_name(name, type_, parent_names) callables (None for either when
// not given) as an ObjectFilter, called as Alembic calls them: include_name
// for the names read from the database, include_object for every object,
// with a Table, Column, Index or constraint object carrying the name and
// compare_to None. `call` runs a callable in the project's interpreter.
using PythonCall = std::function<base::Result<python::Value>(const python::Value&, python::Args)>;
ObjectFilter EnvFilter(const python::Value& include_object, const python::Value& include_name,
                       PythonCall call);

}  // namespace sqlmend::autogen
