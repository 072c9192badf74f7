// ApplyOperation: one ops::Operation run on a live SQLite database, leaving
// what Alembic 1.8.1 + SQLAlchemy 1.4.46 would leave (the same text in
// sqlite_master, the same rows), or failing where they fail, with their
// wording. OfflineStatements: what `alembic upgrade --sql` prints for it.
//
// Plain operations run the statements of ops::RenderSqlite. Those Alembic
// emits but SQLite rejects (ALTER COLUMN ... TYPE, COMMENT ON TABLE) fail
// with SQLite's message; those Alembic refuses on SQLite (constraints
// outside batch mode) fail with Alembic's.
//
// A batch (ops::BatchAlterTable) either runs its operations as ALTERs or
// rebuilds the table (ops/batch.h), reflected with ReflectTable
// (reflect.h) unless copy_from is given. A rebuild:
//   1. reports through context.log how many rows of each other table
//      reference the table (PRAGMA foreign_key_list of every table);
//   2. when context.foreign_keys_enforced, records PRAGMA foreign_key_check;
//   3. runs CREATE TABLE _alembic_tmp_t, INSERT ... SELECT, DROP TABLE t,
//      ALTER TABLE _alembic_tmp_t RENAME TO t, CREATE INDEX ...;
//   4. recreates the table's triggers from their original text (Alembic
//      loses them: a documented safety improvement); a trigger that no
//      longer compiles fails the operation;
//   5. when context.foreign_keys_enforced, fails on any foreign_key_check
//      row that was not there before.
// The caller owns the transaction or savepoint: on failure it rolls back,
// which also removes _alembic_tmp_t.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ops/naming_convention.h"
#include "ops/operation.h"
#include "sqlalchemy/connection.h"
#include "sqlite/db.h"

namespace sqlmend::migrate {

struct ApplyContext {
  // env.py target_metadata's naming convention (Alembic's
  // SchemaObjects.metadata()).
  ops::MetaData metadata;
  // True when the application enforces foreign keys (PRAGMA foreign_keys
  // was ON; the runner has switched it OFF, outside the transaction, before
  // a step that rebuilds a table). A rebuild then compares PRAGMA
  // foreign_key_check before and after and fails on a new violation.
  bool foreign_keys_enforced = false;
  // Report lines (child rows referencing a rebuilt table, ...); may be empty.
  std::function<void(const std::string&)> log;
};

// Runs `operation` on `db`, inside a transaction or savepoint the caller
// owns. On failure returns kRefused (object = the table, message = SQLite's
// or Alembic's wording); the caller rolls back. Nothing is committed here.
base::Status ApplyOperation(sqlite::Db& db, const ops::Operation& operation,
                            const ApplyContext& context);

// The statements `alembic upgrade --sql` prints for `operation` (each
// stripped, tabs as four spaces, ending in ";"), or the error Alembic raises
// offline, e.g. for a batch that must rebuild without copy_from.
// `literal_binds`: env.py's configure(literal_binds=...); without it a Core
// statement keeps its "?" placeholders, as SQLAlchemy compiles it.
base::Result<std::vector<std::string>> OfflineStatements(const ops::Operation& operation,
                                                         const ops::MetaData& metadata,
                                                         bool literal_binds = true);

// True when, on SQLite, `operation` rebuilds a table: a BatchAlterTable
// whose recreate decision is "recreate" (recreate="always", or "auto" by
// Alembic's SQLiteImpl.requires_recreate_in_batch). Pure.
bool RebuildsTable(const ops::Operation& operation);

// Runs `execute` (each statement of its SQL, in order) and returns the
// last statement's rows, typed by SQLite's storage class, with the changes
// it made and the last inserted rowid. Errors: kRefused with SQLite's (or
// SQLAlchemy's binding) message and no object.
base::Result<sqlalchemy::ResultSet> QueryStatement(sqlite::Db& db, const ops::Execute& execute);

}  // namespace sqlmend::migrate
