// The Alembic operations sqlmend runs, as data: what `op.create_table(...)`,
// `op.add_column(...)` and the rest of a revision's upgrade() produce once
// pyrev has evaluated them (alembic/operations/ops.py holds the same
// vocabulary as classes).
//
// Each operation is a plain value owning its data; RenderSqlite
// (sqlite_renderer.h) turns one into the statements SQLAlchemy would run.
// Names are stored as the revision wrote them (unquoted): quoting is the
// renderer's job, so a name compares equal to what SQLite reports.
#pragma once

#include <string>
#include <variant>

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

// op.create_index(name, table, columns, unique=, sqlite_where=).
struct CreateIndex {
  Index index;
};

// op.drop_index(name, table_name=): "DROP INDEX name". SQLite's DROP INDEX
// takes no table; the table only feeds a naming convention.
struct DropIndex {
  ConstraintName name;
  std::string table;  // used only by a naming convention
};

// op.rename_table(old, new): "ALTER TABLE old RENAME TO new". SQLite
// rewrites the foreign keys of other tables that point at it (unless
// legacy_alter_table is on); that is the database's business, not ours.
struct RenameTable {
  std::string table;
  std::string new_name;
};

// op.execute("sql"): the text runs as written. NOTE: Alembic wraps a string
// in sa.text(), where ":name" would be a bind parameter; sqlmend writes the
// text unchanged (migrate/text_clause.h handles that rule when running).
struct Execute {
  std::string sql;
};

// One operation of a revision's upgrade() or downgrade(), in the order the
// revision calls them.
using Operation = std::variant<CreateTable, DropTable, AddColumn, DropColumn, CreateIndex,
                               DropIndex, RenameTable, Execute>;

}  // namespace sqlmend::ops
