// doctor: the other debris that failed migrations leave in SQLite files.
//
// Read-only unless asked to fix. It finds, each with its reason and the fix
// it would make (or why it makes none):
//   1. `_alembic_tmp_<t>` tables left by an interrupted Alembic batch
//      rebuild (create _alembic_tmp_t, copy, DROP t, rename it to t):
//      - t still exists: the rebuild stopped before DROP; t is the table in
//        use. Fix: drop the temporary, unless it holds more rows than t
//        (then which one is right is the user's call);
//      - t is missing: the rebuild stopped between DROP and the rename.
//        Fix: rename the temporary to t, as the batch would have;
//   2. leftover `<t>__old`, `<t>_old`, ... tables (the affixes fix-fk's
//      inference strips) that still exist beside their replacement, with
//      both row counts. Never dropped: they may hold rows the migration did
//      not copy;
//   3. alembic_version: several rows where the project has one head, and
//      (with the project's configuration) revisions its script directory
//      does not know. Never changed: the right revision is the user's call
//      (`fix-fk --stamp REV` sets it);
//   4. foreign keys, views and triggers naming missing tables: check-fk's
//      analysis, shared. Fixed as fix-fk fixes them when every name resolves.
// --fix repairs what is unambiguous through fix-fk's pipeline (a fresh copy,
// verified, swapped in atomically, the original kept as a backup) and leaves
// the rest, with its reason.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "repair/fix_fk.h"
#include "repair/report.h"

namespace sqlmend::repair {

struct DoctorFinding {
  // "alembic-tmp", "leftover-table", "version-rows", "unknown-revision",
  // "dangling"
  std::string kind;
  std::string object;   // "table _alembic_tmp_users", "alembic_version", ...
  std::string problem;  // what is wrong, with the facts (row counts, names)
  std::string fix;      // what --fix does; empty when it does nothing
  std::string left;     // when fix is empty: why --fix leaves it
  bool fixed = false;   // --fix repaired it
};

struct DoctorOptions {
  bool fix = false;
  int busy_timeout_ms = 2000;
  // From the project's script directory (-c), when given: every revision id
  // and the number of heads.
  std::optional<std::set<std::string>> known_revisions;
  std::optional<size_t> heads;
  // Passed to fix-fk's pipeline with --fix (backup, progress, stop).
  FixOptions fix_options;
};

struct DoctorReport {
  std::string path;
  std::string quick_check;
  std::vector<DoctorFinding> findings;
  bool fix_ran = false;
  Report repair;  // fix-fk's report when --fix ran the pipeline
};

// Examines the database at `path`. Returns OK when nothing was found (or,
// with --fix, everything found was fixed), kDamage when debris remains
// (exit 1, as check-fk reports damage), or the Status that stopped it
// (a non-database, a corrupt file, a lock, a refused repair). The file is
// only written by --fix, through fix-fk's pipeline.
base::Status Doctor(const std::string& path, const DoctorOptions& options, DoctorReport* report);

}  // namespace sqlmend::repair
