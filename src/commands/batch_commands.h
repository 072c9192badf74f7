// The fleet forms of check-fk and fix-fk: one function per verb over many
// PATHs (files, folders, globs), run by batch::Run on a worker pool. The CLI
// decides with IsFleet() whether a command line is a fleet run; a single
// plain file keeps the single-file commands of repair_commands.h and their
// exact output.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "batch/runner.h"
#include "batch/summary.h"
#include "repair/check_fk.h"
#include "repair/fix_fk.h"

namespace sqlmend::commands {

// True when `paths` asks for a fleet run: more than one PATH, a folder, or a
// glob pattern (a PATH with * ? [ that names no existing file).
bool IsFleet(const std::vector<std::string>& paths);

struct BatchArgs {
  int jobs = 0;                // -j N; 0: one per hardware thread
  bool stamp_healthy = false;  // --stamp-healthy
  bool resume = true;          // --no-resume clears it
  std::function<bool()> should_stop;  // Ctrl-C
  batch::Observer observer;    // progress and per-file results
};

struct BatchRun {
  batch::Summary summary;
  // Not OK when the command line was refused before any file was touched
  // (kUsage: --output with many files, a malformed --stamp, -j < 1).
  base::Status status;

  // The process exit code: the usage error's, else the most serious outcome
  // any file had (base::ExitCode of Summary::worst).
  int ExitCode() const;
};

BatchRun CheckFkBatch(const std::vector<std::string>& paths, const repair::CheckOptions& options,
                      const BatchArgs& args);

// Fleet semantics of --stamp: every fixed file gets REV (alembic stamp
// --purge: whatever revision it had); a healthy file is left alone unless
// args.stamp_healthy, because a healthy backup may predate the migration.
// options.stamp_healthy is ignored (args decides); options.output is refused.
BatchRun FixFkBatch(const std::vector<std::string>& paths, const repair::FixOptions& options,
                    const BatchArgs& args);

}  // namespace sqlmend::commands
