// Column(..., default=...): SQLAlchemy 1.4's ColumnDefault, the value an
// INSERT gives a column it is given no value for, computed in Python rather
// than by the database (server_default=). Three kinds, as
// sqlalchemy/sql/schema.py tells them apart:
//   - a SQL expression (sa.func.now(), sa.text("..."), sa.literal(1) + 2):
//     written into the INSERT in place of a value ("VALUES (?, lower(?))");
//   - a callable (a function, lambda, builtin, class, bound method): called
//     once per row, with an ExecutionContext when it takes one positional
//     parameter (context.get_current_parameters() is the row's values),
//     with nothing when it takes none; more is an ArgumentError when the
//     Column is made;
//   - any other value: used as it is.
// A callable's or a value's result is bound as the column's type binds a
// value (False -> 0). Where SQLAlchemy compiles with literal binds (--sql)
// it writes such a value as NULL: it would fetch it just before executing,
// which --sql never does. default=None is no default.
//
// onupdate= takes the same kinds, for an UPDATE that does not set the column
// (a Core update(), the ORM's flush of a changed object).
//
// Where default= applies (as in SQLAlchemy): a Core insert() without a value for
// the column (compiler.h), insert().from_select() (include_defaults=True),
// the ORM's INSERT of an object whose attribute is unset or None (orm.h),
// and a batch rebuild whose copy of the rows fills a column the batch adds
// (alembic, ops/batch.h). ALTER TABLE ADD COLUMN never uses it.
#pragma once

#include "base/status.h"
#include "ops/schema_item.h"
#include "python/value.h"

namespace sqlmend::sqlalchemy {

class ColumnValue;

enum class DefaultKind { kNone, kValue, kCallable, kExpression };

// Which kind of default `value` (a Column's default= argument) is.
DefaultKind DefaultKindOf(const python::Value& value);

// ColumnDefault's check of a callable when the Column is made: OK for zero
// or one positional parameters without a default (self not counted), else
// ArgumentError "ColumnDefault Python function takes zero or one positional
// arguments". A callable it cannot inspect (a builtin) is called without one.
base::Status CheckDefaultCallable(python::CallContext& context, const python::Value& callable);

// The Python value a kValue or kCallable default gives one row: the value,
// or the callable's result. `parameters` (a dict, column name -> value) is
// what the row has so far: an ExecutionContext passed to a callable returns
// it from get_current_parameters() and .current_parameters. Errors the
// callable raises pass through.
base::Result<python::Value> DefaultValueFor(python::CallContext& context,
                                            const python::Value& default_value,
                                            const python::Value& parameters);

// `column`'s default as a batch rebuild's copy writes it (ops::ColumnDefault):
// a kValue or kCallable default evaluated now and bound; a kExpression
// compiled. nullopt without a default. `parameters` (a dict) is the copy's
// context: every added column with a value or callable default, None until
// computed (as SQLAlchemy's prefetch parameters); the value joins it.
base::Result<std::optional<ops::ColumnDefault>> CopyDefaultOf(python::CallContext& context,
                                                              const ColumnValue& column,
                                                              python::Value& parameters);

}  // namespace sqlmend::sqlalchemy
