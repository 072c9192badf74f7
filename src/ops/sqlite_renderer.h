// RenderSqlite: the SQL text SQLAlchemy 1.4's SQLite dialect writes for an
// Alembic operation, byte for byte.
//
// Why byte for byte: SQLite keeps the text of CREATE TABLE and CREATE INDEX
// in sqlite_master, so a database migrated by sqlmend must hold the very
// text a Python run of the same revision leaves; tools that diff schemas
// (and sqlmend's own repair commands) see any difference.
//
// CREATE TABLE is laid out as SQLAlchemy's DDLCompiler does it:
//   "\nCREATE TABLE name (\n\tcol TYPE DEFAULT x NOT NULL, \n\t...
//    , \n\tCONSTRAINT pk PRIMARY KEY (id), \n\t...\n)\n\n"
// with the table-level constraints in SQLAlchemy's creation order:
//   1. the primary key (named by the "pk" convention when unnamed), left out
//      when it is written inline as "PRIMARY KEY AUTOINCREMENT" (a table with
//      sqlite_autoincrement=True and a single Integer, non-foreign-key
//      primary-key column);
//   2. the constraints given to the table, in the order written (Python
//      builds them before the Table exists);
//   3. then, column by column, what each column makes when it joins the
//      table: the UNIQUE of unique=True (unless index=True makes it a unique
//      index), the CHECK of a Boolean/Enum with create_constraint, and the
//      FOREIGN KEY of each sa.ForeignKey.
// Each index (index=True columns in column order, then the table's Index
// objects) follows as its own CREATE INDEX. NOTE: Alembic iterates
// `table.indexes`, a Python set, so with several indexes its order is not
// defined; sqlmend uses declaration order.
//
// Names are quoted by SqlalchemyQuote (identifier_preparer.h); unnamed
// constraints are named by RenderOptions::metadata (naming_convention.h).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "ops/naming_convention.h"
#include "ops/operation.h"

namespace sqlmend::ops {

struct RenderOptions {
  // The target_metadata of env.py: its naming_convention names the
  // constraints and indexes a revision leaves unnamed.
  MetaData metadata;
  // Alembic's offline (--sql) form: tabs become four spaces, the text is
  // stripped and ends with ";" (DefaultImpl._exec with as_sql). Otherwise
  // the text is what SQLAlchemy compiles and executes.
  bool as_sql = false;
};

// The statements `operation` runs, in order (CREATE TABLE, then its
// indexes). Fails without output (kRefused, the table or index as object)
// where SQLAlchemy or Alembic raise: a column without a type (NullType) or
// of a type SQLite cannot render (Type::Unrenderable), an index without a
// name, a
// %(constraint_name)s convention on an unnamed constraint, AUTOINCREMENT on
// a composite primary key, an invalid ON DELETE / INITIALLY phrase, or
// add_column of a unique or foreign-key column, add/drop of a constraint
// (SQLite cannot ALTER constraints; Alembic asks for batch mode), or a column
// comment (SQLAlchemy's SQLite compiler cannot write one). AlterColumn gives
// Alembic's ALTER COLUMN statements, which SQLite rejects except the rename;
// a table Comment gives "COMMENT ON TABLE", likewise rejected; BulkInsert
// gives one INSERT per row with the values inline (the --sql form);
// if_not_exists / if_exists are ignored, as Alembic 1.8.1 ignores them. A
// BatchAlterTable is planned by batch.h, not here.
base::Result<std::vector<std::string>> RenderSqlite(const Operation& operation,
                                                    const RenderOptions& options);

// One column as CREATE TABLE and ADD COLUMN write it ("name TYPE DEFAULT x
// NOT NULL"), without the table-level parts. `inline_autoincrement` appends
// " PRIMARY KEY AUTOINCREMENT" (see step 1 above); `is_primary_key` decides
// the default nullability.
std::string RenderColumnSpecification(const Column& column, bool is_primary_key,
                                      bool inline_autoincrement);

// DefaultImpl._exec in offline mode: tabs become four spaces, the text is
// stripped (Python's str.strip()) and ends with ";".
std::string OfflineForm(const std::string& statement);

// op.bulk_insert's INSERT for one row: the columns of `insert` that `row`
// names, in table order, with the values inline (Alembic's --sql form) or
// as "?" (SQLAlchemy's executemany).
std::string BulkInsertSql(const BulkInsert& insert,
                          const std::vector<std::pair<std::string, Literal>>& row,
                          bool inline_values);

}  // namespace sqlmend::ops
