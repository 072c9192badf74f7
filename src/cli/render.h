// Rendering of repair reports: human text for a terminal, and one JSON object
// per file for --json. Also the TTY progress line and the one-line error.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"
#include "commands/repair_commands.h"  // repair::Report, via the commands layer

namespace sqlmend::cli {

nlohmann::json ReportToJson(const repair::Report& report);

// The human report of check-fk / fix-fk (stdout).
std::string ReportToText(const repair::Report& report, bool fixing);

// sqlmend doctor's report: one object for --json, text otherwise.
nlohmann::json DoctorToJson(const commands::DoctorRun& run);
std::string DoctorToText(const commands::DoctorRun& run);

// "sqlmend: <object>: <problem>" (stderr), always one line: a line break in
// the message (SQLite's quick_check verdicts hold some) becomes a space.
void PrintError(const base::Status& status);

// `text` with every line break (CR, LF) replaced by a space.
std::string OneLineText(std::string text);

// One JSON object as one line of text. Bytes that are not UTF-8 (a damaged
// file's names and schema text) become U+FFFD instead of failing the dump.
std::string JsonLine(const nlohmann::json& j);

// A progress line on stderr, only when stderr is a terminal; Clear() erases it.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled);
  void Update(const repair::ProgressEvent& event);
  // The text Update() shows for `event` (keeps the table's start for rows/s).
  std::string Describe(const repair::ProgressEvent& event);
  // Replaces the line with `line` (the fleet progress shares the terminal).
  void Show(const std::string& line);
  void Clear();

 private:
  bool enabled_;
  bool dirty_ = false;
  double table_started_ = 0;  // event.seconds when the current table began
  std::string table_;
};

}  // namespace sqlmend::cli
