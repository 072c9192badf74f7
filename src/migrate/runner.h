// The migration runner: carries out a graph::Plan against a SQLite database,
// or writes the SQL script Alembic's --sql (offline) mode writes.
//
// Online, safer than Alembic on SQLite (which runs DDL outside
// transactions): the whole run is one transaction, taken with BEGIN
// IMMEDIATE so a second `upgrade` on the same database waits at most
// `lock_timeout_ms` and then stops with a clear message instead of both
// applying; each revision runs inside its own SAVEPOINT together with its
// alembic_version change. A plan is made from the heads read before the
// lock; once the lock is held the heads are read again and, when another
// migration moved them meanwhile, the run re-plans from what it found
// (RunOptions::replan), so concurrent commands act as if run one after the
// other: of a hundred `upgrade head` started together, one applies each
// revision and the others find nothing left to do. A revision that fails is rolled back to its
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
  // The heads the plan was made from (before the lock was taken). When set,
  // the runner reads the heads again once it holds the write lock; if they
  // differ (as a set), another migration committed meanwhile and the plan
  // no longer starts where the database is: the runner asks `replan` for a
  // plan from the heads it found and runs that one instead (nothing has run
  // yet), or, without `replan`, stops with kEnvironment and writes nothing.
  // Unset: the plan is run as given (the version-row checks still refuse a
  // step whose rows moved).
  std::optional<std::vector<std::string>> planned_from;
  std::function<base::Result<graph::Plan>(const std::vector<std::string>& heads)> replan;
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
// locked by another migration; waited N s") or for heads that moved while
// the lock was released between two transactions of one run (a step that
// switches foreign keys; the steps before it stay committed), kRefused for
// a failing statement ("<file>:<line>: <SQLite message> in: <statement>"),
// or whatever `replan` returns.
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
