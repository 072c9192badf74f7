// fix-fk: repairs a database whose foreign keys, views or triggers name a
// table that a rename-first migration renamed and dropped, in one safe step.
//
// The pipeline (a leveldb-Repairer-style class in pipeline.cc) runs these
// named steps; any failure stops it, removes its temporary file, and leaves
// the original byte-identical:
//   1. Inspect: sniff the header, open the source, take its write lock (no
//      other writer can commit while we work), quick_check, find dangling
//      names and resolve each (--map first, then inference).
//   2. Rewrite: edit the stored SQL of every affected table, view and
//      trigger at the token level.
//   3. Reload: create a fresh file beside the original with the source's
//      header settings, the repaired schema (indexes before rows), copy every
//      table with INSERT ... SELECT over ATTACH (SQLite's transfer
//      optimisation), then triggers, views, virtual tables, sequences, stats.
//   4. Stamp: with --stamp, alembic_version holds exactly that revision.
//   5. Verify: quick_check, no dangling target, every view prepares, an
//      ALTER TABLE RENAME probe on an in-memory copy of the schema, equal
//      row counts per table (less the rows --orphans removed; and content
//      checksums of untouched tables with --verify full), and with an
//      --orphans policy other than keep, no foreign_key_check row for a
//      repaired key.
//   6. Swap: fsync, keep the original as a timestamped backup (hard link),
//      rename the new file over the original, fsync the folder, remove the
//      original's emptied -wal/-shm.
// A healthy file is never rewritten: without --stamp nothing is written;
// with --stamp only the stamp is written, in one transaction (unless
// FixOptions::stamp_healthy is false: then nothing is written).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "repair/report.h"

namespace sqlmend::repair {

enum class VerifyLevel { kDefault, kFull };

// A change to a whole table that `sqlmend doctor --fix` asks for, made in the
// new file after its rows are copied: drop the table, or rename it (with
// legacy_alter_table, so no other statement is rewritten), as an interrupted
// Alembic batch rebuild would have finished it.
struct TableEdit {
  std::string table;
  std::string rename_to;  // empty: DROP TABLE
};

struct FixOptions {
  // --map OLD=NEW: overrides inference for OLD (ASCII case-insensitive).
  std::vector<std::pair<std::string, std::string>> maps;
  // --stamp REV: alembic_version holds exactly REV afterwards.
  std::optional<std::string> stamp;
  bool dry_run = false;
  // --output PATH: write the repaired copy there, leave the original alone.
  std::optional<std::string> output;
  bool keep_backup = true;  // --no-backup clears it
  // --orphans: what to do with orphan rows of the repaired keys (see
  // repair/orphan_policy.h). Planned on the source during Inspect (a refusal
  // writes nothing), carried out in the new file after its rows are copied
  // and before its triggers exist (so none fires), and verified with
  // foreign_key_check.
  OrphanPolicy orphans = OrphanPolicy::kKeep;
  // Table edits (doctor --fix). With any, a file with no dangling name is
  // still rebuilt; a foreign key naming a table a rename creates is not
  // dangling. Verification expects the dropped tables gone and each renamed
  // table to hold the rows it had.
  std::vector<TableEdit> table_edits;
  VerifyLevel verify = VerifyLevel::kDefault;
  // How long to wait for another process's lock on the source.
  int busy_timeout_ms = 2000;
  // SQLite VFS for the new file (tests inject faults through it).
  std::string vfs;
  // Called with progress events (table copied, rows); may be empty.
  std::function<void(const ProgressEvent&)> progress;
  // Gather the source's facts (quick_check, counts, orphans) on a second
  // thread while the copy runs. A fleet runner with one worker per core
  // turns it off: the cores are busy with other files already.
  bool overlap_source_checks = true;
  // With a stamp, whether a healthy file gets the stamp alone (the
  // single-file rule). A fleet run clears it unless --stamp-healthy: a
  // healthy backup may predate the migration, and stamping it would claim a
  // schema it does not have.
  bool stamp_healthy = true;
  // Called with the verified new file's temporary path just before it is
  // renamed over the original (in place only). A fleet runner locks the new
  // inode here, so no other runner can take the swapped-in file before this
  // one has recorded it. May be empty.
  std::function<void(const std::string& temp_path)> before_swap;
  // Polled between steps and tables; returning true stops the run
  // (kInterrupted) with the original untouched.
  std::function<bool()> should_stop;
};

// Runs the pipeline on the database at `path`. The report is filled as far
// as the run got, also on failure (the Status says why it stopped). Outcomes:
// kFixed (repaired, or would be with dry_run), kHealthy (nothing to do;
// kStamped when only the stamp was written), or the Status's code.
base::Status FixFk(const std::string& path, const FixOptions& options, Report* report);

}  // namespace sqlmend::repair
