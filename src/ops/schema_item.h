// SQLAlchemy's schema vocabulary as plain data: Column, the constraints,
// Index and Table, as a revision file builds them for op.create_table(),
// op.add_column() and op.create_index().
//
// These are values, not a live object graph: a Table owns its columns and
// constraints, and a foreign key names its target by table and column text,
// as `sa.ForeignKey("parent.id")` does. What SQLAlchemy derives when it
// attaches objects to a Table (the implicit primary key, the UNIQUE of
// `unique=True`, the CHECK of a Boolean, the Index of `index=True`, the
// naming-convention names) is derived by the renderer, in SQLAlchemy's order
// (see sqlite_renderer.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ops/sql_type.h"

namespace sqlmend::ops {

// The name given to a constraint or index. `conv` marks a name wrapped in
// op.f() / sqlalchemy.sql.elements.conv: taken verbatim, never passed
// through the naming convention. No value means "not named": the naming
// convention may name it (see naming_convention.h).
struct ConstraintName {
  std::optional<std::string> value;
  bool conv = false;

  static ConstraintName None() { return {}; }
  static ConstraintName Of(std::string name) { return {std::move(name), false}; }
  static ConstraintName F(std::string name) { return {std::move(name), true}; }  // op.f()
};

// server_default=: a Python string (quoted as an SQL literal), sa.text(...)
// (written verbatim), sa.func.now() (SQLite: CURRENT_TIMESTAMP, in
// parentheses because it is a SQL expression), or another SQL expression
// compiled by the sqlalchemy module (sa.false() -> "0", sa.func.lower("x") -> "lower('x')"),
// written in parentheses as well.
struct ServerDefault {
  enum class Kind { kString, kText, kNow, kExpression };
  Kind kind = Kind::kString;
  std::string text;

  static ServerDefault String(std::string value) { return {Kind::kString, std::move(value)}; }
  static ServerDefault SqlText(std::string sql) { return {Kind::kText, std::move(sql)}; }
  static ServerDefault Now() { return {Kind::kNow, ""}; }
  static ServerDefault Expression(std::string sql) { return {Kind::kExpression, std::move(sql)}; }
};

// A Python value bound to SQL: a bind parameter of op.execute(sa.text(...),
// {...}) / get_bind().execute(...), a value of bulk_insert(), or an
// inline_literal(). Already converted as SQLAlchemy's type would bind it
// (True -> 1, a JSON column's dict -> its json.dumps() text).
struct Literal {
  // kBlob: `text` holds the octets (a Python bytes value, bound as a BLOB).
  enum class Kind { kNull, kInt, kFloat, kText, kBlob };
  Kind kind = Kind::kNull;
  int64_t integer = 0;
  double real = 0;
  std::string text;
  // The SQL --sql writes for it, when that is not the bound value's own
  // spelling: Numeric's literal processor writes the Python value as given
  // (an int 0 as 0) while the bound value is float(0).
  std::string literal_sql;

  static Literal Null() { return {}; }
  static Literal Int(int64_t value) { return {Kind::kInt, value, 0, "", ""}; }
  static Literal Float(double value) { return {Kind::kFloat, 0, value, "", ""}; }
  static Literal Text(std::string value) { return {Kind::kText, 0, 0, std::move(value), ""}; }
  static Literal Blob(std::string octets) { return {Kind::kBlob, 0, 0, std::move(octets), ""}; }
};

// A column's default= (Python-side) as SQLAlchemy writes it into the SELECT
// of an INSERT ... SELECT (a batch rebuild's copy of the rows into a table
// that gains the column): `sql` with "?" for `parameters` (a Python value,
// or a callable's result, bound as the column's type binds it: "?"; a SQL
// expression compiled: "lower(?)", "CURRENT_TIMESTAMP"), `literal_sql` as
// written with literal binds (--sql; a Python value is then "NULL", as
// SQLAlchemy renders the value it would fetch before executing), and the
// stem of the SELECT label SQLAlchemy numbers: "anon", a function's name, or
// "" for none (text()). Filled by the alembic module when a batch rebuilds.
struct ColumnDefault {
  std::string sql;
  std::vector<Literal> parameters;
  std::string literal_sql;
  std::string label;
};

// The options shared by ForeignKey and ForeignKeyConstraint. Each optional
// text is written upper-case as given (ondelete="CASCADE").
struct ForeignKeyOptions {
  std::optional<std::string> ondelete;
  std::optional<std::string> onupdate;
  std::optional<bool> deferrable;  // true: DEFERRABLE, false: NOT DEFERRABLE
  std::optional<std::string> initially;
  std::optional<std::string> match;
};

// sa.ForeignKey("table.column", ...) inside a Column: becomes a one-column
// ForeignKeyConstraint when the column joins its table.
struct ForeignKey {
  std::string target_table;
  std::string target_column;
  ForeignKeyOptions options;
  ConstraintName name;
};

// CheckConstraint("sql text", name=...): the text is written verbatim.
struct CheckConstraint {
  std::string sqltext;
  ConstraintName name;
};

// Whether a column autoincrements: SQLAlchemy's autoincrement="auto" (the
// default), True or False.
enum class Autoincrement { kAuto, kTrue, kFalse };

// sa.Column(name, type, *foreign_keys_and_checks, **flags). Only what changes
// SQLite DDL is kept; comment= is kept for autogenerate.
struct Column {
  std::string name;
  Type type;
  // nullable= as written; unset means "not the primary key" (SQLAlchemy sets
  // NOT NULL on every primary-key column it was not told about).
  std::optional<bool> nullable;
  bool primary_key = false;
  Autoincrement autoincrement = Autoincrement::kAuto;
  bool unique = false;  // UNIQUE constraint, or a unique Index with index=True
  bool index = false;
  std::optional<ServerDefault> server_default;
  std::vector<ForeignKey> foreign_keys;
  // sa.Column("x", sa.Integer, sa.CheckConstraint("x > 0")): written inline
  // after the column ("x INTEGER CONSTRAINT ck CHECK (x > 0)"), in CREATE
  // TABLE and ADD COLUMN alike. NOTE: SQLAlchemy keeps these in a set, so with
  // two or more on one column its order is not defined; sqlmend keeps
  // declaration order.
  std::vector<CheckConstraint> checks;
  // Ignored by SQLite DDL (no COMMENT support); kept for autogenerate.
  std::optional<std::string> comment;
  // default= (Python-side), compiled for a batch rebuild's copy; unset
  // elsewhere (DDL never writes it).
  std::optional<ColumnDefault> python_default;
};

// sa.PrimaryKeyConstraint("a", "b", name=...): the columns in the order
// given, which is the order of "PRIMARY KEY (b, a)". Its columns become NOT
// NULL unless the Column said nullable=True.
struct PrimaryKeyConstraint {
  std::vector<std::string> columns;
  ConstraintName name;
  std::optional<bool> deferrable;
  std::optional<std::string> initially;
};

// sa.UniqueConstraint("a", "b", name=...): "UNIQUE (a, b)". Unnamed, it is
// named by the "uq" convention when there is one, else written unnamed.
struct UniqueConstraint {
  std::vector<std::string> columns;
  ConstraintName name;
  std::optional<bool> deferrable;
  std::optional<std::string> initially;
};

// sa.ForeignKeyConstraint(["a", "b"], ["parent.x", "parent.y"], ...):
// "FOREIGN KEY(a, b) REFERENCES parent (x, y)" and its options, in the order
// MATCH, ON DELETE, ON UPDATE, DEFERRABLE, INITIALLY.
struct ForeignKeyConstraint {
  std::vector<std::string> columns;         // local, in order
  std::string target_table;                 // "parent" of "parent.id"
  std::vector<std::string> target_columns;  // same length as columns
  ForeignKeyOptions options;
  ConstraintName name;
};

// One table-level constraint, in the order written. A tagged value rather
// than std::variant so that tests and the sqlalchemy module can build tables with plain
// braces; only the member named by `kind` is meaningful.
// kPrimaryKey appears only in operations (create_primary_key, table_args of
// a batch); a Table keeps its primary key in Table::primary_key.
struct Constraint {
  enum class Kind { kUnique, kCheck, kForeignKey, kPrimaryKey };
  Kind kind = Kind::kUnique;
  UniqueConstraint unique;
  CheckConstraint check;
  ForeignKeyConstraint foreign_key;
  PrimaryKeyConstraint primary_key;

  static Constraint Of(UniqueConstraint c) { return {Kind::kUnique, std::move(c), {}, {}, {}}; }
  static Constraint Of(CheckConstraint c) { return {Kind::kCheck, {}, std::move(c), {}, {}}; }
  static Constraint Of(ForeignKeyConstraint c) {
    return {Kind::kForeignKey, {}, {}, std::move(c), {}};
  }
  static Constraint Of(PrimaryKeyConstraint c) {
    return {Kind::kPrimaryKey, {}, {}, {}, std::move(c)};
  }
};

// One element of an index: a column name (quoted as needed) or an SQL
// expression given as sa.text(...) (written verbatim).
struct IndexElement {
  std::string text;
  bool is_expression = false;

  static IndexElement ColumnName(std::string name) { return {std::move(name), false}; }
  static IndexElement Expression(std::string sql) { return {std::move(sql), true}; }
};

// sa.Index(name, *elements, unique=, sqlite_where=) or op.create_index():
// "CREATE [UNIQUE] INDEX name ON table (elements) [WHERE sqlite_where]".
// Unnamed, it takes the "ix" convention's name; with no such convention it
// cannot be created.
struct Index {
  ConstraintName name;
  std::string table;
  std::vector<IndexElement> elements;
  bool unique = false;
  std::optional<std::string> sqlite_where;  // sa.text(...), written verbatim
};

// sa.Table / op.create_table: name, columns in order, and the table-level
// items. The column flags (primary_key, unique, index, foreign_keys, type
// CHECKs) are expanded by the renderer, not stored here twice.
struct Table {
  std::string name;
  std::vector<Column> columns;
  // An explicit sa.PrimaryKeyConstraint; without one the primary key is made
  // of the columns flagged primary_key, in column order.
  std::optional<PrimaryKeyConstraint> primary_key;
  std::vector<Constraint> constraints;  // table-level, in the order written
  std::vector<Index> indexes;           // sa.Index(...) given to the table
  bool sqlite_autoincrement = false;    // Table(..., sqlite_autoincrement=True)
  // Table(..., sqlite_with_rowid=False): ")\n WITHOUT ROWID". NOTE:
  // SQLAlchemy 1.4 does not reflect it, so a batch rebuild of such a table
  // loses it in Alembic, and here too (schema/reflect.h).
  bool sqlite_with_rowid = true;
};

}  // namespace sqlmend::ops
