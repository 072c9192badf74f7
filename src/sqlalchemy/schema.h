// SQLAlchemy's schema objects as interpreter values: Column, ForeignKey, the
// four constraints, Index, Table (and the lightweight sa.table/sa.column),
// and MetaData.
//
// Each host object wraps the ops value it stands for (schema_item.h), filled
// from the call's arguments with SQLAlchemy 1.4's signatures; what the
// renderer derives later (the implicit primary key, the UNIQUE of
// unique=True, the names a convention gives) is not derived here.
// Columns and constraints may name columns by str or by Column object.
//
// default= and onupdate= (Python-side) are kept on the column for inserts,
// updates and batch copies (column_default.h). Keywords that cannot change
// SQLite's DDL are accepted and dropped (comment=, info=, doc=, quote=,
// other dialects' keywords); those that would and are not modelled
// (collation, schema other than None, include_columns) are Unsupported.
// autoload_with= and autoload=True reflect the table (reflection.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ops/naming_convention.h"
#include "ops/schema_item.h"
#include "python/value.h"

namespace sqlmend::sqlalchemy {

class TableValue;

// sa.Column / sa.column. `table` is set once the column joins a Table.
class ColumnValue : public python::HostObject {
 public:
  ColumnValue(ops::Column column, bool named, int64_t creation_order)
      : column(std::move(column)), named(named), creation_order(creation_order) {}
  std::string TypeName() const override { return "Column"; }
  std::string Repr() const override;
  // .name, .key, .type, .nullable, .primary_key, .table (its name), and
  // the column operators (in_, like, label, desc, ...: elements.h).
  std::optional<base::Result<python::Value>> GetAttribute(python::CallContext& context,
                                                          std::string_view name) override;
  // `column == 5`, `column + 1`, `~column`: SQL expressions (elements.h).
  std::optional<base::Result<python::Value>> Operator(python::CallContext& context,
                                                      std::string_view op,
                                                      const python::Value& other,
                                                      bool reflected) override;
  std::optional<base::Result<python::Value>> UnaryOperator(python::CallContext& context,
                                                           std::string_view op) override;
  // For the interpreter's heap (python/heap.h).
  void Traverse(const Visitor& visit) const override;
  void Clear() override;

  ops::Column column;
  bool named = false;          // Column(...) without a name waits for declarative
  int64_t creation_order = 0;  // declarative orders columns by creation
  std::string key;             // key= (defaults to the name)
  std::string table;           // the Table it joined, "" before
  // The type as the script gave it (a type, type class or TypeDecorator),
  // for bind processing (BindLiteral in sa_types.h); None when untyped.
  python::Value type_value;
  // default= (Python-side: a value, a callable or a SQL expression;
  // column_default.h); None without one.
  python::Value default_value;
  // onupdate= (Python-side), the same kinds, for an UPDATE; None without.
  python::Value onupdate_value;
  // The Column objects its ForeignKeys were given (ForeignKey(t.c.id)),
  // whose type an untyped column takes when it joins a table.
  std::vector<std::shared_ptr<ColumnValue>> foreign_key_columns;
  // Made by mapped_column() (SQLAlchemy 2.0): its type, when not given,
  // and its nullability, when not given, come from the Mapped[...]
  // annotation of its attribute (declarative.h).
  bool mapped = false;
  bool type_given = false;
  // The Table of a MetaData it belongs to (set by AddTableToMetaData): an
  // Index made later from the column joins that table, as in SQLAlchemy.
  std::weak_ptr<TableValue> owner;
};

class ForeignKeyValue : public python::HostObject {
 public:
  explicit ForeignKeyValue(ops::ForeignKey foreign_key) : foreign_key(std::move(foreign_key)) {}
  std::string TypeName() const override { return "ForeignKey"; }
  void Traverse(const Visitor& visit) const override {
    if (column) visit(static_cast<const HostObject*>(column.get()));
  }
  void Clear() override { column.reset(); }
  ops::ForeignKey foreign_key;
  // The Column it was given, if given one rather than "table.column".
  std::shared_ptr<ColumnValue> column;
};

// PrimaryKeyConstraint, UniqueConstraint, CheckConstraint,
// ForeignKeyConstraint.
class ConstraintValue : public python::HostObject {
 public:
  explicit ConstraintValue(ops::Constraint constraint) : constraint(std::move(constraint)) {}
  std::string TypeName() const override;
  ops::Constraint constraint;
};

class IndexValue : public python::HostObject {
 public:
  explicit IndexValue(ops::Index index) : index(std::move(index)) {}
  std::string TypeName() const override { return "Index"; }
  ops::Index index;
};

// sa.Table(name, metadata, *items) or sa.table(name, *columns)
// (`lightweight`). .name, .c / .columns (by name, iterable), .metadata.
class TableValue : public python::HostObject {
 public:
  explicit TableValue(ops::Table table) : table(std::move(table)) {}
  std::string TypeName() const override { return lightweight ? "TableClause" : "Table"; }
  std::string Repr() const override;
  std::optional<base::Result<python::Value>> GetAttribute(python::CallContext& context,
                                                          std::string_view name) override;
  void Traverse(const Visitor& visit) const override {
    for (const auto& column : columns) visit(static_cast<const HostObject*>(column.get()));
  }
  void Clear() override { columns.clear(); }

  ops::Table table;
  bool lightweight = false;
  // The column values in order, for .c (the ops columns are copies).
  std::vector<std::shared_ptr<ColumnValue>> columns;
};

// sa.MetaData(bind=None, naming_convention=...): the convention, the bind
// and the tables defined on (or reflected into) it, in definition order.
class MetaDataValue : public python::HostObject,
                      public std::enable_shared_from_this<MetaDataValue> {
 public:
  std::string TypeName() const override { return "MetaData"; }
  std::string Repr() const override { return "MetaData()"; }
  // .naming_convention (a dict), .tables (name -> Table), .sorted_tables,
  // .bind, .reflect(...) (reflection.h).
  std::optional<base::Result<python::Value>> GetAttribute(python::CallContext& context,
                                                          std::string_view name) override;
  // The table named `name` the MetaData holds (the last defined), or null.
  std::shared_ptr<TableValue> Find(std::string_view name) const;
  void Traverse(const Visitor& visit) const override {
    for (const auto& table : tables) visit(static_cast<const HostObject*>(table.get()));
    python::VisitValue(bind, visit);
  }
  void Clear() override {
    tables.clear();
    bind = python::Value();
  }

  ops::MetaData metadata;
  std::vector<std::shared_ptr<TableValue>> tables;
  python::Value bind;  // bind= (a connection), None without
  // The declarative classes mapped to its tables, by class name
  // (relationship("Name") finds them here; orm.h).
  std::map<std::string, std::weak_ptr<python::ClassObject>> classes;
};

// The next creation order a new Column takes (declarative orders columns
// by it).
int64_t NextCreationOrder();

// Adds `table` to `metadata` (after the tables already there) and gives
// each column declared without a type whose foreign key now resolves the
// referred column's type, as SQLAlchemy does when the ForeignKey and its
// target column meet in one MetaData. Columns whose target is still missing
// stay NullType (ops::Type::Null()).
void AddTableToMetaData(MetaDataValue& metadata, std::shared_ptr<TableValue> table);

// sqlalchemy.orm.mapped_column(...): Column's arguments (name and type
// optional) and SQLAlchemy 2.0's own (sort_order, insert_default, init,
// repr, ... accepted and dropped where they change no DDL).
base::Result<python::Value> MakeMappedColumn(python::CallContext& context, python::Args& args);

// Adds Column, ForeignKey, PrimaryKeyConstraint, UniqueConstraint,
// CheckConstraint, ForeignKeyConstraint, Index, Table, MetaData, table and
// column to `module`.
void AddSchemaConstructors(python::ModuleObject& module);

// The name of a column given as str or Column, or TypeError.
base::Result<std::string> ColumnNameOf(python::CallContext& context, const python::Value& value,
                                       std::string_view what);

// A constraint/index name: str, op.f("x") (conv) or None. TypeError else.
base::Result<ops::ConstraintName> ConstraintNameOf(python::CallContext& context,
                                                   const python::Value& value);

// op.f(name): a str marked as conv, taken verbatim by naming conventions.
python::Value ConvName(std::string name);

// The ops value behind a ColumnValue / TableValue / ..., or nullptr.
ColumnValue* AsColumn(const python::Value& value);
TableValue* AsTable(const python::Value& value);
ConstraintValue* AsConstraint(const python::Value& value);
IndexValue* AsIndex(const python::Value& value);
MetaDataValue* AsMetaData(const python::Value& value);

// Fills `table` from create_table / Table items: Columns (attached to the
// table), constraints (a PrimaryKeyConstraint becomes table.primary_key),
// Indexes (table set to the table). Raises TypeError for other items.
base::Status AddTableItems(python::CallContext& context, ops::Table& table,
                           std::vector<std::shared_ptr<ColumnValue>>* column_values,
                           const std::vector<python::Value>& items);

// sqlite_autoincrement= and the table keywords that cannot change SQLite
// DDL; refuses the rest (Unsupported). `function` names the caller.
base::Status ApplyTableKeywords(python::CallContext& context, std::string_view function,
                                ops::Table& table,
                                const std::vector<std::pair<std::string, python::Value>>& keywords);

// A MetaData naming_convention dict: keys "pk"/"uq"/"ck"/"fk"/"ix" or the
// constraint classes, values %-templates. TypeError/Unsupported else.
base::Result<std::map<std::string, std::string>> NamingConventionOf(python::CallContext& context,
                                                                    const python::Value& value);

// A new MetaData value with `naming_convention` (nullopt: the default).
std::shared_ptr<MetaDataValue> MakeMetaData(
    std::optional<std::map<std::string, std::string>> naming_convention);

}  // namespace sqlmend::sqlalchemy
