// Alembic's batch mode on SQLite ("move and copy"), as a pure plan: given
// the table as it is (reflected from the database, or copy_from=) and the
// operations of a `with op.batch_alter_table(...)` block, the statements
// that rebuild it, with the text Alembic 1.8.1 + SQLAlchemy 1.4.46 write.
//
// The rules follow alembic/operations/batch.py (ApplyBatchImpl):
//   1. Start from the table: each column keeps its key (its original name)
//      for the copy; unique/index flags are cleared; constraints split into
//      named ones (a dict by name) and unnamed ones. Unnamed ones are first
//      named by the batch's naming_convention (the MetaData the table is
//      reflected into). A reflected unnamed CHECK is dropped (Alembic cannot
//      tell it from a Boolean's): the rebuilt table loses it.
//   2. Apply the operations in order: add_column appends a column (its
//      unique/foreign-key constraints must be named, by name or by env.py's
//      naming convention, else "Constraint must have a name"; index=True
//      becomes a new index); drop_column removes it and its primary-key
//      membership; alter_column renames, retypes (with CAST in the copy when
//      SQLAlchemy's type affinity changes, JSON excepted), sets nullable and
//      server_default; add/drop constraint by name ("No such constraint:
//      'x'"); create_index / drop_index ("No such index: 'x'").
//   3. Order columns: partial_reordering as a topological sort (SQLAlchemy's,
//      ties in current order), else current order with added columns last.
//   4. Write CREATE TABLE _alembic_tmp_<table> (truncated to 50 characters)
//      with the renderer: the primary key, table_args, the named then the
//      unnamed constraints whose columns all survive; then
//      "INSERT INTO tmp (new names) SELECT t.key, CAST(t.key AS T) AS key
//      \nFROM t" (the added columns with a Python-side default last, their
//      values appended to the SELECT: "? AS anon_1", "lower(?) AS lower_1"),
//      "\nDROP TABLE t", "ALTER TABLE tmp RENAME TO t", and the
//      surviving existing indexes followed by the new ones.
// NOTE: Alembic keeps constraints and indexes in Python sets, so the order of
// several named (or several unnamed) constraints in its CREATE TABLE differs
// from run to run even with PYTHONHASHSEED=0 (they hash by address).
// sqlmend uses reflection order: foreign keys, unique constraints, checks.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "ops/naming_convention.h"
#include "ops/operation.h"

namespace sqlmend::ops {

// The statements of one table rebuild, in the order they run.
struct TableRebuild {
  std::string table;
  std::string temp_table;  // "_alembic_tmp_<table>", at most 50 characters
  std::string create_table;
  std::string copy_rows;  // INSERT ... SELECT, "?" for copy_parameters
  // The values of the added columns' Python-side defaults (Column(...,
  // default=)), which SQLAlchemy appends to the copy's SELECT: "? AS
  // anon_1", in "?" order.
  std::vector<Literal> copy_parameters;
  // copy_rows as --sql writes it with literal binds (a Python value: NULL).
  std::string copy_rows_literal;
  std::string drop_table;
  std::string rename_table;
  std::vector<std::string> create_indexes;

  // Every statement above in order (online text; see OfflineForm); with
  // `literal_binds`, copy_rows_literal in place of copy_rows.
  std::vector<std::string> Statements(bool literal_binds = false) const;
};

// Alembic's decision to rebuild: recreate="always" yes, "never" no, "auto"
// (SQLiteImpl.requires_recreate_in_batch) unless every operation is
// create_index, drop_index, or add_column without a SQL-expression default
// and without a foreign key or unique=True, whose add_constraint Alembic
// queues in the batch.
bool BatchRecreates(const BatchAlterTable& batch);

// Plans the rebuild of `existing` (the reflected table when `reflected`,
// else batch.copy_from) for `batch`. `metadata` is env.py's target_metadata:
// its convention names the constraints and indexes the operations create
// (Alembic builds them through its SchemaObjects). Fails (kRefused, object =
// the table) with Alembic's or SQLAlchemy's message where they raise.
base::Result<TableRebuild> PlanTableRebuild(const BatchAlterTable& batch, const Table& existing,
                                            bool reflected, const MetaData& metadata);

// The statements of a batch that does not rebuild: each operation rendered
// as its own op.* call would be (ALTER TABLE ... ADD COLUMN, CREATE INDEX,
// ...), with the refusals of plain SQLite operations.
base::Result<std::vector<std::string>> RenderBatchWithoutRebuild(const BatchAlterTable& batch,
                                                                 const MetaData& metadata);

}  // namespace sqlmend::ops
