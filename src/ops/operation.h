// The Alembic operations sqlmend runs, as data: what `op.create_table(...)`,
// `op.add_column(...)` and the rest of a revision's upgrade() produce once
// pyrev has evaluated them (alembic/operations/ops.py holds the same
// vocabulary as classes).
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

// op.drop_table(name).
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

// op.drop_index(name).
struct DropIndex {
  ConstraintName name;
  std::string table;  // used only by a naming convention
};

// op.rename_table(old, new).
struct RenameTable {
  std::string table;
  std::string new_name;
};

// op.execute("sql"): the text runs as written.
struct Execute {
  std::string sql;
};

using Operation = std::variant<CreateTable, DropTable, AddColumn, DropColumn, CreateIndex,
                               DropIndex, RenameTable, Execute>;

}  // namespace sqlmend::ops
