// What check-fk and fix-fk found and did, as data: the CLI renders it as text
// or JSON, the batch runner aggregates it, tests assert on it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace sqlmend::repair {

// One dangling name and what it resolves to.
struct Resolution {
  std::string missing;   // the name the schema uses, e.g. users__old
  std::string target;    // the live table it resolves to; empty if unresolved
  std::string rule;      // how: "--map", "strip suffix __old", "strip suffix _old, then prefix _"
  std::vector<std::string> candidates;  // when ambiguous or refused: what was considered
  std::string problem;   // why it is unresolved (empty when resolved)
  std::vector<std::string> used_by;     // "table posts", "view v_posts", "trigger trg"
};

// One foreign key of a child table that points at a dangling name.
struct AffectedFk {
  std::string child;           // child table
  std::vector<std::string> columns;   // child columns
  std::string missing;         // dangling parent name as written
  std::string target;          // resolved parent ("" if unresolved)
  std::vector<std::string> parent_columns;  // as written, or the parent's PK when omitted
  int64_t orphans = -1;        // rows foreign_key_check will report after the fix; -1 unknown
};

// What an --orphans policy does, or would do, to one table.
enum class OrphanPolicy { kKeep, kQuarantine, kNull, kDelete };

struct OrphanAction {
  std::string table;   // the table whose rows it touches
  // "quarantine" (moved into `into`), "delete", "set-null", "set-default"
  std::string action;
  int64_t rows = 0;
  // Why: "orphan: (user_id) has no row in users(id)", or
  // "ON DELETE CASCADE from posts" for a row that goes with its parent.
  std::string reason;
  std::string into;    // quarantine: sqlmend_orphans_<table>
};

// One policy's plan: its actions, or why it is refused.
struct OrphanPlan {
  OrphanPolicy policy = OrphanPolicy::kKeep;
  std::vector<OrphanAction> actions;
  base::Status refusal;  // OK, or kRefused naming the column or the rows
};

struct Report {
  std::string path;
  enum class Outcome { kUnknown, kHealthy, kDamaged, kFixed, kStamped, kFailed } outcome =
      Outcome::kUnknown;
  std::string quick_check = "";   // "ok" or SQLite's first complaint
  std::vector<Resolution> resolutions;
  std::vector<AffectedFk> fks;
  std::vector<std::string> broken_objects;  // views/triggers naming a missing table
  std::vector<std::string> rewritten;       // objects whose SQL was rewritten
  std::string output_path;                  // where the repaired file landed
  std::string backup_path;                  // kept original, when any
  std::string stamped;                      // revision stamped, when any
  // alembic_version's rows before the run, read when a stamp was asked for
  // (empty: no table or no rows), so a fleet report shows what it replaced.
  std::vector<std::string> previous_heads;
  bool dry_run = false;
  // fix-fk: the --orphans policy and what it did (or, dry run, would do).
  OrphanPlan orphans;
  // check-fk: what each of quarantine, null and delete would do.
  std::vector<OrphanPlan> orphan_previews;
  int64_t bytes = 0;        // size of the source
  double seconds = 0;
  base::Status status;      // why the run stopped, when it failed
};

// A progress event for TTY rendering.
struct ProgressEvent {
  // "inspect", "copy", "verify", "swap", "backup-kept", "swapped"
  std::string phase;
  std::string table;       // table being copied, when phase == "copy"
  int64_t rows_done = 0;   // rows copied so far of this table
  int64_t tables_done = 0;
  int64_t tables_total = 0;
  // During a copy: bytes written to the new file so far, and the source's
  // size (an upper bound: the source may hold free pages).
  int64_t bytes_done = 0;
  int64_t bytes_total = 0;
  double seconds = 0;      // since the copy started
};

}  // namespace sqlmend::repair
