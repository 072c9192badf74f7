// --orphans: what fix-fk does with child rows whose parent is gone.
//
// A foreign key that dangled for months leaves orphan rows: children whose
// parent row was deleted while the cascade could not run. After the repair,
// PRAGMA foreign_key_check reports them. The policies:
//   keep        (default) count and report them; nothing changes;
//   quarantine  move each orphan row, whole (rowid kept), into a table
//               sqlmend_orphans_<child> in the repaired file, with the
//               reason in a column sqlmend_reason (sqlmend_reason_1,
//               _2, ... when the child already has a column of that name);
//   null        set the dangling key columns to NULL (refused, naming the
//               column, where one is NOT NULL);
//   delete      delete them (the backup keeps them).
// Removing a row (quarantine, delete) follows the foreign keys that point at
// its table as SQLite would with foreign_keys=ON: ON DELETE CASCADE children
// go the same way (into their own sqlmend_orphans_<table>, or deleted) and
// are counted; SET NULL and SET DEFAULT are applied; NO ACTION and RESTRICT
// refuse, naming the rows. Foreign keys are followed with their repaired
// parents, so the plan is the same on the source and on the repaired copy.
// NOTE: null changes only the key columns; ON UPDATE actions of keys that
// reference those columns are not followed (a child's foreign key columns
// are rarely another table's parent key).
//
// The plan is computed in SQL: a temp table of keys per table ("gone" rows:
// the rowid, or the PRIMARY KEY of a WITHOUT ROWID table), seeded with the
// orphans and grown along CASCADE keys until nothing changes. Only the temp
// schema is written while planning, so check-fk can preview every policy on
// a read-only connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "repair/analyze.h"
#include "repair/report.h"
#include "schema/schema.h"
#include "sqlite/db.h"

namespace sqlmend::repair {

// "keep", "quarantine", "null", "delete".
std::string_view OrphanPolicyName(OrphanPolicy policy);
std::optional<OrphanPolicy> ParseOrphanPolicy(std::string_view name);

// Prefix of the tables quarantined rows move into.
inline constexpr std::string_view kQuarantinePrefix = "sqlmend_orphans_";

// A planner bound to one connection: Plan() fills temp tables on `db`,
// Apply() uses them; the destructor drops them.
class OrphanPlanner {
 public:
  OrphanPlanner(sqlite::Db& db, const Analysis& analysis) : db_(db), analysis_(analysis) {}
  ~OrphanPlanner();
  OrphanPlanner(const OrphanPlanner&) = delete;
  OrphanPlanner& operator=(const OrphanPlanner&) = delete;

  // Plans `policy` for the repaired foreign keys of the analysis over `db`'s
  // main schema, reading main only. A refused plan carries the refusal in
  // OrphanPlan::refusal (the Result fails only on an SQLite error).
  base::Result<OrphanPlan> Plan(OrphanPolicy policy);

  // Carries out the last plan on main (inside the caller's transaction,
  // with foreign_keys off: every action is one of the plan's). The plan
  // must not be refused.
  base::Status Apply(const OrphanPlan& plan);

 private:
  // A foreign key with its parent resolved through the repair's renames.
  struct Edge {
    const schema::Object* child = nullptr;
    const schema::Object* parent = nullptr;
    std::vector<std::string> child_columns, parent_columns;
    std::string on_delete;  // upper case: CASCADE, SET NULL, SET DEFAULT, ...
    bool repaired = false;  // one of the keys fix-fk repoints
  };
  // A change Apply() makes: set a child's key columns to NULL or their
  // defaults where `where` holds (c is the child, as in the plan).
  struct Update {
    const Edge* edge = nullptr;
    bool to_default = false;
    std::string where;
  };

  base::Status BuildEdges();
  base::Result<std::string> GoneTable(const schema::Object& table);
  // Adds the keys of `table`'s rows (as c) where `where` holds to its gone
  // set with `reason`; returns how many were new.
  base::Result<int64_t> MarkGone(const schema::Object& table, const std::string& where,
                                 const std::string& reason);
  const std::string* FindGone(const schema::Object& table) const;
  void DropTemp();

  sqlite::Db& db_;
  const Analysis& analysis_;
  std::vector<Edge> edges_;
  bool edges_built_ = false;
  std::vector<std::pair<const schema::Object*, std::string>> gone_;  // table -> temp table
  std::vector<Update> updates_;
};

}  // namespace sqlmend::repair
