// SQLAlchemy's column types as interpreter values: `sa.Integer` (a type
// class, callable) and `sa.String(50)` (a type instance), the upper-case SQL
// types, `sqlalchemy.dialects.sqlite`'s types, and TypeDecorator subclasses
// a project defines.
//
// Every type becomes an ops::Type (sql_type.h). A Column accepts a type as
// class or instance (SQLAlchemy calls a class with no arguments), so
// TypeOf() accepts both. Spellings follow SQLAlchemy 1.4 on SQLite:
//   Integer/INTEGER -> INTEGER, BigInteger/BIGINT -> BIGINT,
//   String/Unicode/VARCHAR/NVARCHAR -> VARCHAR(n) / NVARCHAR(n),
//   CHAR/NCHAR(n), Text/UnicodeText/TEXT -> TEXT, CLOB, Boolean/BOOLEAN,
//   DateTime/DATETIME (timezone ignored: SQLite has no zone type),
//   TIMESTAMP, Date, Time, Float/FLOAT -> FLOAT, REAL, Numeric/NUMERIC(p, s),
//   DECIMAL(p, s), LargeBinary/BLOB/PickleType -> BLOB, BINARY(n),
//   VARBINARY(n), JSON, Interval -> DATETIME, Enum -> VARCHAR(longest).
// collation= and an Enum length= other than the longest value change the
// DDL in ways ops::Type cannot hold: Unsupported.
//
// TypeDecorator: `class GUID(sa.types.TypeDecorator): impl = sa.CHAR` makes
// GUID(32) a CHAR(32): the impl called with the constructor's arguments, as
// TypeDecorator.__init__ does; a load_dialect_impl(self, dialect) the class
// defines is called with a SQLite dialect (dialect.name == "sqlite",
// dialect.type_descriptor(t) returns t) and wins, as it does for DDL.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "ops/operation.h"
#include "ops/sql_type.h"
#include "python/interpreter.h"
#include "python/value.h"

namespace sqlmend::sqlalchemy {

// A type instance (`sa.String(50)`).
class TypeValue : public python::HostObject {
 public:
  TypeValue(std::string class_name, ops::Type type)
      : class_name_(std::move(class_name)), type_(std::move(type)) {}
  std::string TypeName() const override { return class_name_; }
  std::string Repr() const override;
  // str(type): the type compiled, as SQLAlchemy prints it ("VARCHAR(50)";
  // "NULL" for NullType).
  std::string Str() const override {
    return type_.IsNull() ? "NULL" : ops::CompileSqliteType(type_);
  }
  // .length, .name, .enums, .python_type is not modelled; with_variant(t,
  // "sqlite") gives t, any other dialect gives the type itself.
  std::optional<base::Result<python::Value>> GetAttribute(python::CallContext& context,
                                                          std::string_view name) override;
  const ops::Type& type() const { return type_; }

 private:
  std::string class_name_;
  ops::Type type_;
};

// A type class (`sa.String`): calling it makes a TypeValue.
class TypeClassValue : public python::HostObject {
 public:
  using Factory = std::function<base::Result<ops::Type>(python::CallContext& context,
                                                        const python::Args& args)>;
  TypeClassValue(std::string name, Factory factory)
      : name_(std::move(name)), factory_(std::move(factory)) {}
  std::string TypeName() const override { return "type"; }
  std::string Repr() const override { return "<class 'sqlalchemy.types." + name_ + "'>"; }
  base::Result<python::Value> Call(python::CallContext& context, python::Args& args) override;
  // __name__, as a class has it.
  std::optional<base::Result<python::Value>> GetAttribute(python::CallContext& context,
                                                          std::string_view name) override;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  Factory factory_;
};

// The type `value` stands for: a TypeValue, a TypeClassValue (called with no
// arguments), or an instance of a TypeDecorator subclass. Raises
// ArgumentError-like TypeError for anything else; `what` names the
// parameter in that message.
base::Result<ops::Type> TypeOf(python::CallContext& context, const python::Value& value,
                               std::string_view what);

// True when `value` is a type class, type instance or TypeDecorator
// instance (sa.Column's second positional argument may be one).
bool IsTypeValue(const python::Value& value);

// sqlalchemy.sql.sqltypes.to_instance(t): a type class (a TypeDecorator
// subclass too) called with no arguments, as a Column calls it; anything
// else (a type instance, None for NullType) as it is.
base::Result<python::Value> ToTypeInstance(python::CallContext& context,
                                           const python::Value& value);

// The type class SQLAlchemy names `name` ("Integer", "VARCHAR"), or None.
python::Value TypeClassNamed(std::string_view name);

// Adds every modelled type class to `module` under its SQLAlchemy name.
// `sqlite_dialect`: the names of sqlalchemy.dialects.sqlite (its DATETIME,
// DATE, TIME and JSON, and the upper-case types it re-exports).
void AddTypeClasses(python::ModuleObject& module, bool sqlite_dialect);

// In a MySQL or PostgreSQL dialect module, the upper-case types that are
// also SQLAlchemy's generic ones (mysql.VARCHAR(length=128),
// postgresql.INTEGER()), where `replaceable` says the module holds a
// placeholder for the name: they compile on SQLite as the generic type
// does, with the dialect's own keywords (display_width=, unsigned=,
// charset=, ...) ignored as SQLite's compiler ignores them. The dialect's
// own types that SQLite's type compiler cannot render (postgresql.INTERVAL,
// UUID, JSONB, ARRAY, ...; mysql.TINYINT, LONGTEXT, ENUM, ...) are
// ops::Type::Unrenderable, whatever their arguments: usable where no DDL is
// written (an existing_type), a CompileError where DDL would be.
void AddDialectTypeClasses(python::ModuleObject& module,
                           const std::function<bool(const python::Value&)>& replaceable);

// sqlalchemy.types.TypeDecorator, a class a project's types derive from.
// Built once per interpreter (it is Python run by `interpreter`, so super()
// and __init__ overrides behave as in Python).
base::Result<python::Value> MakeTypeDecoratorClass(python::Interpreter& interpreter);

// `value` as SQLAlchemy 1.4 binds it to a column of type `type_value` on
// SQLite (pysqlite), for op.bulk_insert() rows and typed bind parameters:
//   * a TypeDecorator (class or instance): its process_bind_param(value,
//     dialect) is called, None included, then the impl's processing applies
//     to what it returned;
//   * Boolean: True/False and the ints 0/1 -> 1/0 (other ints ValueError,
//     other values TypeError, SQLAlchemy's strict processor);
//   * Numeric, Float (and REAL, DOUBLE, DECIMAL): a number or a Decimal ->
//     float (pysqlite has no native decimal; the column's NUMERIC affinity
//     may then store 2500.0 as integer), a Decimal written as str() in
//     --sql;
//   * Enum: an enum member -> its name, or its values_callable value;
//   * DateTime: "YYYY-MM-DD HH:MM:SS.ffffff" from a datetime or a date;
//     Date: "YYYY-MM-DD" from a date or datetime; Time: "HH:MM:SS.ffffff";
//     any other non-None value raises SQLAlchemy's TypeError;
//   * JSON: json.dumps(value), None included ("null");
//   * other types, and None for `type_value` (an untyped sa.column): the
//     value as pysqlite adapts it (LiteralOf() in sa_sql.h).
// NOTE: Interval (stored as DATETIME) binds a timedelta as SQLAlchemy's
// epoch + delta; ops::Type cannot tell it from DateTime, so it raises the
// DateTime TypeError instead.
base::Result<ops::Literal> BindLiteral(python::CallContext& context,
                                       const python::Value& type_value, const python::Value& value);

// The type SQLAlchemy infers for a bind parameter given only a value
// (sa.text(...).bindparams(x=value)): Boolean for a bool, Float for a
// float, DateTime, Date or Time for those values; None (NullType: the
// value as pysqlite adapts it) for the rest, whose processing changes
// nothing.
python::Value InferredTypeOf(const python::Value& value);

// The object a TypeDecorator's load_dialect_impl() receives: name "sqlite",
// type_descriptor(t) -> t.
python::Value SqliteDialectValue();

}  // namespace sqlmend::sqlalchemy
