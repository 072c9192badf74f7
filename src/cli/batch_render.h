// Rendering of fleet runs (check-fk / fix-fk over many files): one JSON
// object per file as each finishes and a summary object for --json; a human
// summary otherwise; and the TTY progress line.
//
// Per-file JSON is the single-file report (ReportToJson) with the fleet's
// outcome name (fixed, stamped, healthy, damaged, refused, unusable, error,
// interrupted, skipped, done-earlier), its exit code, and when they apply:
// "link" (the symlink it was reached through), "reason" (skipped and
// done-earlier), "earlier" (the recorded verdict of a done-earlier file) and
// "previous_heads" (alembic_version before a --stamp). The summary is
//   {"summary": {"fixed": n, ..., "done-earlier": n, "not_started": n,
//                "files": N, "bytes": B, "seconds": S, "exit_code": E,
//                "interrupted": false, "journal": "...", "warnings": [...]}}
// with every outcome present (0 when none).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json_fwd.hpp>

// batch:: and repair:: types come through commands/, the layer cli uses.
#include "cli/render.h"
#include "commands/batch_commands.h"

namespace sqlmend::cli {

nlohmann::json FileResultToJson(const batch::FileResult& result);
nlohmann::json SummaryToJson(const batch::Summary& summary, int exit_code);

// Counts per outcome, then the refused, failed and skipped files with their
// one-line reasons (stdout).
std::string SummaryToText(const batch::Summary& summary, bool fixing);

// The fleet progress line on stderr, only when stderr is a terminal and it is
// enabled (not --json): files done of total, MB/s, ETA and the files in
// flight; with one file in flight, its table being copied and rows/s.
// Redraws at most ten times a second. Not thread-safe: the runner calls its
// observers one at a time.
class FleetProgress {
 public:
  explicit FleetProgress(bool enabled);
  void Planned(int files, int64_t bytes);
  void Started(const std::string& path, int64_t bytes);
  void Progress(const std::string& path, const repair::ProgressEvent& event);
  void Finished(const batch::FileResult& result);
  // Erases the line (before the summary is printed).
  void Clear();

 private:
  using Clock = std::chrono::steady_clock;
  void Draw(bool force);

  ProgressLine line_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_draw_{};
  int files_total_ = 0;
  int files_done_ = 0;
  int64_t bytes_total_ = 0;
  int64_t bytes_done_ = 0;
  std::map<std::string, int64_t> in_flight_;  // path -> bytes
  // The file whose copy reported last, and the single-file line for it.
  std::string table_path_;
  ProgressLine table_line_{false};
  std::string table_text_;
};

}  // namespace sqlmend::cli
