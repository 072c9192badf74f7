// The Alembic operations sqlmend runs, as data: what `op.create_table(...)`,
// `op.add_column(...)` and the rest of a revision's upgrade() produce once
// the alembic module has evaluated them (alembic/operations/ops.py holds the same
// vocabulary as classes).
//
// Each operation is a plain value owning its data; RenderSqlite
// (sqlite_renderer.h) turns one into the statements SQLAlchemy would run.
// Names are stored as the revision wrote them (unquoted): quoting is the
// renderer's job, so a name compares equal to what SQLite reports.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "ops/schema_item.h"

namespace sqlmend::ops {

// op.create_table(name, *columns_and_constraints, **kw): CREATE TABLE, then
// one CREATE INDEX per index (index=True columns, then the given Indexes).
struct CreateTable {
  Table table;
};

// op.drop_table(name): "DROP TABLE name"; the indexes go with the table.
struct DropTable {
  std::string table;
};

// op.add_column(table, column). A column with index=True adds CREATE INDEX;
// one with unique=True or a ForeignKey cannot be added on SQLite (Alembic
// raises NotImplementedError and points to batch mode).
struct AddColumn {
  std::string table;
  Column column;
};

// op.drop_column(table, column): ALTER TABLE ... DROP COLUMN (SQLite 3.35+).
struct DropColumn {
  std::string table;
  std::string column;
};

// op.create_index(name, table, columns, unique=, sqlite_where=,
// if_not_exists=).
struct CreateIndex {
  Index index;
  bool if_not_exists = false;  // "CREATE INDEX IF NOT EXISTS"
};

// op.drop_index(name, table_name=): "DROP INDEX name". SQLite's DROP INDEX
// takes no table; the table only feeds a naming convention.
struct DropIndex {
  ConstraintName name;
  std::string table;  // used only by a naming convention
  bool if_exists = false;  // "DROP INDEX IF EXISTS"
};

// op.rename_table(old, new): "ALTER TABLE old RENAME TO new". SQLite
// rewrites the foreign keys of other tables that point at it (unless
// legacy_alter_table is on); that is the database's business, not ours.
struct RenameTable {
  std::string table;
  std::string new_name;
};

// op.execute(sql) and op.get_bind().execute(statement).
// `text_clause`: the SQL passes through SQLAlchemy's text() rules
// (migrate/text_clause.h): ":name" is a bind parameter, "\:" a colon. A
// plain string given to op.execute() is wrapped in text() by Alembic, so this
// is true for it too; false only for SQL that sqlmend compiled itself (an
// insert()/update()/delete() statement), which uses `parameters` by
// position ("?").
// `parameters`: the bind values by name (text) or position (compiled).
// `literal_sql`: for a Core statement, the statement with its values
// inline as SQLAlchemy's literal_binds compiles it (what --sql writes).
struct Execute {
  std::string sql;
  bool text_clause = true;
  std::vector<std::pair<std::string, Literal>> parameters;
  std::string literal_sql;
  // For --sql without literal binds, when it differs from `sql` (an IN
  // list is one expanding parameter there).
  std::string placeholder_sql;
  // A str given to execute() with positional values, sent to the driver as
  // written. --sql ignores the values, as Alembic's offline connection
  // does, and writes the str as text(): unbound :name as NULL.
  bool plain_string = false;
  // Why `literal_sql` cannot be written (SQLAlchemy's CompileError for a
  // value without a literal renderer, such as bytes in an untyped column),
  // or empty. The statement runs online with bound values; --sql with
  // literal binds fails with this message, as Alembic's does.
  std::string literal_error = {};
};

// op.bulk_insert(table, rows, multiinsert=True): rows of column -> value.
// Online, one "INSERT INTO t (a, b) VALUES (?, ?)" executed per row, with
// the columns of the first row (as SQLAlchemy's executemany); offline, one
// INSERT per row with the values rendered inline.
struct BulkInsert {
  std::string table;
  std::vector<Column> columns;  // sa.table("t", sa.column("a", sa.Integer), ...)
  std::vector<std::vector<std::pair<std::string, Literal>>> rows;
  bool multiinsert = true;
};

// batch_op.alter_column / op.alter_column(table, column, ...). Each
// optional is "not given"; server_default holds an inner nullopt for
// server_default=None (drop the default). The existing_* values describe
// the column as it is, for Alembic's renderer (SQLite rebuilds ignore most
// of them: the reflected column wins).
struct AlterColumn {
  std::string table;
  std::string column;
  std::optional<bool> nullable;
  std::optional<Type> type;
  std::optional<std::optional<ServerDefault>> server_default;
  std::optional<std::string> new_column_name;
  std::optional<Autoincrement> autoincrement;
  std::optional<std::optional<std::string>> comment;  // ignored by SQLite
  std::optional<Type> existing_type;
  std::optional<bool> existing_nullable;
  std::optional<std::optional<ServerDefault>> existing_server_default;
};

// op.create_unique_constraint / create_foreign_key / create_check_constraint
// / create_primary_key, and their batch_op forms. `constraint` names its
// table's columns; the table is `table`. Outside batch mode Alembic refuses
// these on SQLite ("No support for ALTER of constraints in SQLite dialect.
// Please refer to the batch mode feature which allows for SQLite migrations
// using a copy-and-move strategy.").
struct AddConstraint {
  std::string table;
  Constraint constraint;
};

// op.drop_constraint(name, table, type_=) and batch_op.drop_constraint.
// `type` is "foreignkey", "unique", "check", "primary" or empty.
struct DropConstraint {
  ConstraintName name;
  std::string table;
  std::string type;
};

// op.create_table_comment / drop_table_comment and column comments:
// recorded so that --sql can say what Alembic says; SQLite keeps no
// comments, so nothing runs online.
struct Comment {
  std::string table;
  std::optional<std::string> column;
  std::optional<std::string> text;  // nullopt: drop the comment
};

// One operation inside a batch_alter_table block, in the order called.
using BatchOperation = std::variant<AddColumn, DropColumn, AlterColumn, AddConstraint,
                                    DropConstraint, CreateIndex, DropIndex, Comment>;

// with op.batch_alter_table(table, recreate=, copy_from=, table_args=,
// table_kwargs=, naming_convention=, partial_reordering=, reflect_args=) as batch_op: the
// operations collected in the block, applied when it closes. On SQLite,
// recreate="auto" rebuilds the table (create _alembic_tmp_<t>, copy, drop,
// rename, recreate indexes) unless every operation is create_index /
// drop_index / add_column without an expression default; "always" rebuilds;
// "never" runs each operation as ALTER.
struct BatchAlterTable {
  enum class Recreate { kAuto, kAlways, kNever };
  std::string table;
  Recreate recreate = Recreate::kAuto;
  // copy_from=sa.Table(...): the table as given instead of reflected.
  std::optional<Table> copy_from;
  // table_args=(sa.CheckConstraint(...), ...): added to the rebuilt table.
  std::vector<Constraint> table_args;
  // table_kwargs={"sqlite_autoincrement": True, ...}: the rebuilt table's
  // keywords (a rebuild without them drops AUTOINCREMENT, as Alembic's does:
  // reflection does not report it).
  bool sqlite_autoincrement = false;
  bool sqlite_with_rowid = true;
  // naming_convention={...}: names the reflected unnamed constraints so that
  // drop_constraint can find them.
  std::optional<std::map<std::string, std::string>> naming_convention;
  // partial_reordering=[("a", "b", "c"), ...]: column order hints.
  std::vector<std::vector<std::string>> partial_reordering;
  std::vector<BatchOperation> operations;
};

// One operation of a revision's upgrade() or downgrade(), in the order the
// revision calls them.
using Operation = std::variant<CreateTable, DropTable, AddColumn, DropColumn, CreateIndex,
                               DropIndex, RenameTable, Execute, BulkInsert, AlterColumn,
                               AddConstraint, DropConstraint, Comment, BatchAlterTable>;

}  // namespace sqlmend::ops
