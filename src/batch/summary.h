// What a fleet run did, file by file and in total: the outcome of each file,
// the result the runner hands to its observers as each file finishes, and the
// summary it returns at the end. The CLI renders both (one JSON line per file
// and a summary object, or a human summary); tests assert on them.
//
// Outcomes, and the Code each one contributes to the exit code (the run exits
// with the most serious Code any file had, base::MoreSerious):
//   fixed        repaired and swapped in (fix-fk)                     kOk
//   stamped      healthy, only the stamp was written                  kOk
//   healthy      nothing to do, nothing written                       kOk
//   damaged      damage found, all resolvable (check-fk, --dry-run)   kDamage
//   refused      a name cannot be resolved; the file is untouched     kRefused
//   unusable     named but not a database, truncated, corrupt         kUnusableInput
//   error        locked, read-only, I/O error, verification failed    the file's Code
//   interrupted  stopped by Ctrl-C; rolled back, the file untouched   kInterrupted
//   skipped      found by walking but not a database (no SQLite
//                header, empty), or busy in another sqlmend process   kOk
//   done-earlier recorded by the resume journal as finished under the
//                same command, and unchanged since: not opened        the earlier verdict's Code
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "repair/report.h"

namespace sqlmend::batch {

enum class Outcome {
  kFixed,
  kStamped,
  kHealthy,
  kDamaged,
  kRefused,
  kUnusable,
  kError,
  kInterrupted,
  kSkipped,
  kDoneEarlier,
};

// "fixed", "stamped", ..., "done-earlier": the names JSON and the journal use.
std::string_view OutcomeName(Outcome outcome);
// The reverse of OutcomeName(); false for an unknown name.
bool ParseOutcome(std::string_view name, Outcome* outcome);

// The Outcome of a finished repair::FixFk / repair::CheckFk call.
Outcome OutcomeOf(const repair::Report& report, const base::Status& status);

// The Code an outcome contributes to the exit code (table above); `earlier`
// is the recorded verdict of a kDoneEarlier file.
base::Code CodeOf(Outcome outcome, const base::Status& status, Outcome earlier);

// One file of the run, as it finished.
struct FileResult {
  std::string path;       // the file worked on (a symlink's resolved target)
  std::string link;       // the symlink it was reached through, if any
  Outcome outcome = Outcome::kSkipped;
  Outcome earlier = Outcome::kSkipped;  // kDoneEarlier: the recorded verdict
  std::string reason;     // skipped / done-earlier: why, in one line
  base::Status status;    // the repair's Status (OK for fixed/healthy/...)
  repair::Report report;  // empty for skipped and done-earlier files
  bool processed = false; // repair::FixFk / CheckFk ran on it
  int64_t bytes = 0;      // size of the file when it was taken
  double seconds = 0;

  base::Code code() const { return CodeOf(outcome, status, earlier); }
};

// The whole run.
struct Summary {
  std::map<Outcome, int> counts;    // every outcome that occurred
  int files = 0;                    // results reported (every entry listed)
  int not_started = 0;              // queued but never taken (interrupted run)
  int64_t bytes = 0;                // bytes of the files processed
  double seconds = 0;               // wall time of the run
  base::Code worst = base::Code::kOk;
  bool interrupted = false;         // Ctrl-C cut the run short
  std::string journal;              // the resume journal used ("" for none)
  std::vector<std::string> warnings;  // e.g. the journal could not be written
  std::vector<FileResult> results;  // in the order they finished
  // Orphan rows: found in the files processed (the repaired keys' counts),
  // and rows per --orphans action ("quarantine", "delete", "set-null",
  // "set-default") in the files fixed.
  int64_t orphans_found = 0;
  std::map<std::string, int64_t> orphan_actions;

  // Counts `result` in and keeps it.
  void Add(FileResult result);
  int Count(Outcome outcome) const;
};

}  // namespace sqlmend::batch
