// Plans for upgrade, downgrade and stamp: the steps Alembic 1.8.1 would run,
// in its order, each with the change it makes to the version table.
//
// A plan is computed from the graph and the version table's current rows
// alone; nothing is executed. `migrate` runs each step (its upgrade() or
// downgrade(), then its version_changes, in one transaction); `--sql` mode
// prints "-- Running <ShortLog()>" before each step, as Alembic does.
//
// Version-table changes follow Alembic's HeadMaintainer: a step starting a
// new branch inserts a row; a merge deletes all but one of the merged rows
// and updates the last; a downgrade through a branch point deletes the
// row (or, below a merge point, inserts the other parents and updates one);
// anything else updates one row from -> to.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "graph/revision.h"
#include "graph/revision_map.h"

namespace sqlmend::graph {

// One row operation on the version table.
struct VersionChange {
  enum class Kind { kInsert, kDelete, kUpdate };
  Kind kind = Kind::kUpdate;
  std::string from;  // kDelete, kUpdate: the row's current value
  std::string to;    // kInsert, kUpdate: the row's new value
  bool operator==(const VersionChange&) const = default;
};

struct Step {
  enum class Kind { kUpgrade, kDowngrade, kStamp };
  Kind kind = Kind::kUpgrade;
  // For kStamp: whether the stamp moves up or down the graph.
  bool is_upgrade = true;
  // The revision run (kUpgrade, kDowngrade); nullptr for kStamp. Points into
  // the RevisionMap the plan came from.
  const Revision* revision = nullptr;
  // What Alembic prints around the arrow: down_revisions (without
  // dependencies) and the revision, swapped for a downgrade; a stamp's
  // source heads and target.
  std::vector<std::string> from_revisions;
  std::vector<std::string> to_revisions;
  // Row operations, in execution order.
  std::vector<VersionChange> version_changes;

  // "upgrade a, b -> c", "downgrade c -> a, b", "stamp_revision  -> a"
  // (Alembic's short_log; an empty side leaves two spaces).
  std::string ShortLog() const;
  // ShortLog() plus ", <doc>" when the revision has a doc: the text after
  // "Running " in Alembic's log.
  std::string LogLine() const;
};

struct Plan {
  std::vector<Step> steps;
  // The version table's rows after the last step, in row order (an update
  // keeps its row's place, an insert goes last).
  std::vector<std::string> final_heads;
};

// `alembic upgrade <destination>` from `current_heads` (the version table's
// rows): every revision needed, oldest first, pulling in depends_on targets
// and other branches (implicit base). Errors are Alembic's sentences, e.g.
// "Destination <dest> is not a valid upgrade target from current head(s)",
// "Can't locate revision identified by '<id>'", the multiple-heads sentence,
// "Relative revision +2 didn't produce 2 migrations". The Status object is
// the argument involved.
base::Result<Plan> PlanUpgrade(const RevisionMap& map,
                               const std::vector<std::string>& current_heads,
                               const std::string& destination);

// `alembic downgrade <destination>`: the revisions to undo, newest first.
// "Destination <dest> is not a valid downgrade target from current head(s)"
// when the destination is not below the current heads.
base::Result<Plan> PlanDowngrade(const RevisionMap& map,
                                 const std::vector<std::string>& current_heads,
                                 const std::string& destination);

// `alembic stamp <targets...> [--purge]`: rows moved without running any
// revision. `purge` empties the table first. Each target moves the current
// heads on its lineage to it (up or down), or starts a new row when none
// is on it; `base` deletes the rows of the lineage. Errors as for
// GetRevision, with "Multiple heads are present; please specify a single
// target revision" for an ambiguous head.
base::Result<Plan> PlanStamp(const RevisionMap& map, const std::vector<std::string>& current_heads,
                             const std::vector<std::string>& targets, bool purge);

}  // namespace sqlmend::graph
