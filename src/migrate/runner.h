// The migration runner: carries out a graph::Plan against a SQLite database,
// or writes the SQL script Alembic's --sql (offline) mode writes.
//
// Online, safer than Alembic on SQLite (which runs DDL outside
// transactions): the whole run is one transaction, taken with BEGIN
// IMMEDIATE so a second `upgrade` on the same database waits at most
// `lock_timeout_ms` and then stops with a clear message instead of both
// applying; each revision runs inside its own SAVEPOINT together with its
// alembic_version change. A revision that fails is rolled back to its
// savepoint, the revisions before it are committed, and the error names the
// revision file, the statement and SQLite's message. When the failing
// revision is the first of the run, nothing is committed and the file is
// byte-for-byte as before.
//
// The version table is created as Alembic creates it when the database has
// no heads yet (even for an empty plan), and moved one row per change with
// version::InsertHead / UpdateHead / DeleteHead.
//
// Foreign keys: the statements of env.py's "connect" listeners run on the
// connection first, as SQLAlchemy runs them on every new connection. When
// they turn foreign_keys on, a step that rebuilds a table (a batch
// operation) must not run with them on: DROP TABLE of the old copy would
// cascade-delete every child row (SQLite's implicit DELETE FROM), which is
// how Alembic loses data. Such a step runs in a transaction of its own,
// with foreign_keys switched off outside it (the pragma is a no-op inside a
// transaction) and PRAGMA foreign_key_check compared before and after: a
// new violation rolls the step back. The pragma is switched back on for
// the steps that follow. The revisions before it are committed, as for any
// failure of a later revision.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "base/status.h"
#include "graph/plan.h"
#include "script/python_runtime.h"
#include "script/script_directory.h"

namespace sqlmend::migrate {

struct Target {
  std::string database;          // SQLite file path (":memory:" allowed)
  std::string version_table = "alembic_version";
  std::optional<std::string> version_table_schema;  // an ATTACHed schema name
};

struct RunOptions {
  // How long to wait for another writer (another upgrade) before giving up.
  int lock_timeout_ms = 10000;
  // The project's evaluated env.py and .py bodies; without it, .py
  // revisions may hold only op.execute() calls. Its env() supplies the
  // naming convention for unnamed constraints and the statements each new
  // connection runs (connect listeners).
  script::PythonRuntime* python = nullptr;
  // Receives each log line Alembic would log, without the "INFO  [...]"
  // prefix, e.g. "Running upgrade a -> b, message".
  std::function<void(const std::string& line)> log;
  // Whether steps are read (their .py bodies evaluated) on a second thread
  // while the first ones are applied. Unset: when that can help, with a
  // Python runtime, two steps or more and a second CPU. The outcome is the
  // same either way (runner.cc, step 1).
  std::optional<bool> read_in_background;
};

// The version table's rows (empty when the table or the file is missing).
// Never creates or writes anything.
base::Result<std::vector<std::string>> CurrentHeads(const Target& target);

// Runs `plan` online. `purge` (stamp --purge) empties the version table
// first. Errors: kEnvironment for a lock held past the timeout ("database is
// locked by another migration; waited N s"), kRefused for a failing
// statement ("<file>:<line>: <SQLite message> in: <statement>").
base::Status RunPlan(const Target& target, const graph::Plan& plan,
                     const script::ScriptDirectory& scripts, const RunOptions& options,
                     bool purge = false);

// Writes the offline script for `plan`, as `alembic <verb> --sql` does for
// SQLite (no BEGIN/COMMIT: Alembic's SQLite impl is non-transactional): the
// CREATE TABLE for the version table when `starting_heads` is empty, then per
// step "-- Running <short log>", each statement followed by ";", and the
// version-table statement, with Alembic's blank lines.
base::Status WriteOfflineSql(const Target& target, const graph::Plan& plan,
                             const std::vector<std::string>& starting_heads,
                             const script::ScriptDirectory& scripts, std::ostream& out,
                             script::PythonRuntime* python = nullptr);

}  // namespace sqlmend::migrate
