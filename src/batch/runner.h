// The fleet runner: check-fk or fix-fk over every database under a list of
// PATHs, on a pool of worker threads, resumable, reporting each file as it
// finishes.
//
// Run() does, in order:
//   1. Walk the PATHs (walker.h): files, folders, globs, deduplicated.
//   2. Open the resume journal (journal.h) unless resuming is off or this is
//      a dry run (which writes nothing, the journal included).
//   3. Plan: report at once the PATHs that cannot be read (error), the files
//      that are not databases (skipped) and the files the journal records as
//      done under the same command and unchanged since (done-earlier, never
//      opened). Queue the rest, largest first, so the pool's tail is short.
//   4. Work: `jobs` threads take files from the queue. A worker takes the
//      file's lock (file_lock.h) without waiting; a file another process
//      holds is set aside. Under the lock it reads what other processes
//      appended to the journal (a file they just finished is done-earlier),
//      then calls repair::FixFk or repair::CheckFk on it (the single-file
//      pipeline, never re-implemented here), records a final outcome in the
//      journal with the file's identity after the repair, releases the lock
//      and reports the result.
//   5. Retry the files set aside, waiting up to busy_wait_ms for each lock;
//      still busy, a file is skipped ("busy").
// Stopping: when should_stop() turns true, workers take no new file; the
// repairs in flight see the same flag, roll back (the original untouched)
// and report "interrupted"; Run() returns the summary so far with the count
// of files never started, and the run's Code is kInterrupted.
// Observers are called from worker threads, one call at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "batch/summary.h"
#include "repair/check_fk.h"
#include "repair/fix_fk.h"
#include "repair/report.h"

namespace sqlmend::batch {

enum class Verb { kCheckFk, kFixFk };

struct Observer {
  // After planning: how many files will be worked on, and their bytes.
  std::function<void(int files, int64_t bytes)> planned;
  // A worker took `path` (`bytes` long).
  std::function<void(const std::string& path, int64_t bytes)> started;
  // The repair of `path` reported progress (tables copied).
  std::function<void(const std::string& path, const repair::ProgressEvent& event)> progress;
  // A file's result, as each finishes (skipped and done-earlier ones too).
  std::function<void(const FileResult& result)> finished;
};

struct RunOptions {
  Verb verb = Verb::kFixFk;
  // Worker threads; 0 means one per hardware thread.
  int jobs = 0;
  // Passed to repair::FixFk for every file. The runner sets its progress and
  // should_stop, and clears overlap_source_checks when jobs > 1 (each worker
  // stays on one core). Set stamp_healthy as the command decided.
  repair::FixOptions fix;
  // Passed to repair::CheckFk for every file.
  repair::CheckOptions check;
  // Use the resume journal (--no-resume clears it).
  bool resume = true;
  // How long the final retry waits for a file another process holds.
  int busy_wait_ms = 30000;
  // Ctrl-C: polled between files and inside each repair. May be empty.
  std::function<bool()> should_stop;
  Observer observer;
};

// What identifies "the same command" to the journal: the verb, --stamp,
// --stamp-healthy and the --map list ("fix-fk --stamp=abc --map=a=b").
std::string CommandSignature(const RunOptions& options);

// Runs the verb over `paths` as described above. Never fails as a whole:
// every problem is a file's result, and Summary::worst is the run's Code.
Summary Run(const std::vector<std::string>& paths, const RunOptions& options);

}  // namespace sqlmend::batch
