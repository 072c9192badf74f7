#include "cli/batch_render.h"

#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/render.h"

namespace sqlmend::cli {

namespace {

using batch::Outcome;

constexpr Outcome kAllOutcomes[] = {
    Outcome::kFixed,    Outcome::kStamped, Outcome::kHealthy,     Outcome::kDamaged,
    Outcome::kRefused,  Outcome::kUnusable, Outcome::kError,      Outcome::kInterrupted,
    Outcome::kSkipped,  Outcome::kDoneEarlier,
};

std::string OneLine(const batch::FileResult& result) {
  if (!result.reason.empty()) return result.reason;
  if (!result.status.ok()) return result.status.message();
  return std::string(batch::OutcomeName(result.outcome));
}

std::string ShortName(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string Duration(double seconds) {
  if (seconds < 0) return "?";
  auto s = static_cast<int64_t>(seconds + 0.5);
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                   : fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace

nlohmann::json FileResultToJson(const batch::FileResult& result) {
  nlohmann::json j;
  if (result.processed) {
    j = ReportToJson(result.report);
  } else {
    j["path"] = result.path;
    j["bytes"] = result.bytes;
    j["seconds"] = result.seconds;
    j["error"] = result.status.ok() ? nlohmann::json(nullptr)
                                    : nlohmann::json(result.status.ToString());
  }
  j["path"] = result.path;
  j["outcome"] = batch::OutcomeName(result.outcome);
  j["exit_code"] = base::ExitCode(result.code());
  if (!result.link.empty()) j["link"] = result.link;
  if (!result.reason.empty()) j["reason"] = result.reason;
  if (result.outcome == Outcome::kDoneEarlier) j["earlier"] = batch::OutcomeName(result.earlier);
  if (result.processed && (!result.report.stamped.empty() || !result.report.previous_heads.empty())) {
    j["previous_heads"] = result.report.previous_heads;
  }
  return j;
}

nlohmann::json SummaryToJson(const batch::Summary& summary, int exit_code) {
  nlohmann::json s;
  for (Outcome outcome : kAllOutcomes) s[std::string(batch::OutcomeName(outcome))] = summary.Count(outcome);
  s["not_started"] = summary.not_started;
  s["files"] = summary.files;
  s["bytes"] = summary.bytes;
  s["seconds"] = summary.seconds;
  s["exit_code"] = exit_code;
  s["interrupted"] = summary.interrupted;
  s["journal"] = summary.journal.empty() ? nlohmann::json(nullptr) : nlohmann::json(summary.journal);
  s["warnings"] = summary.warnings;
  nlohmann::json orphans = {{"found", summary.orphans_found}};
  for (const auto& [action, rows] : summary.orphan_actions) orphans[action] = rows;
  s["orphans"] = orphans;
  return nlohmann::json{{"summary", s}};
}

std::string SummaryToText(const batch::Summary& summary, bool fixing) {
  double mb = summary.bytes / 1e6;
  std::string out = fmt::format("sqlmend {}: {} file{} in {:.1f} s ({:.1f} MB processed{})\n",
                                fixing ? "fix-fk" : "check-fk", summary.files,
                                summary.files == 1 ? "" : "s", summary.seconds, mb,
                                summary.seconds > 0 ? fmt::format(", {:.1f} MB/s", mb / summary.seconds)
                                                    : "");
  std::string counts;
  for (Outcome outcome : kAllOutcomes) {
    if (int n = summary.Count(outcome)) {
      counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, batch::OutcomeName(outcome));
    }
  }
  if (summary.not_started) counts += fmt::format(", {} not started", summary.not_started);
  out += "  " + (counts.empty() ? std::string("nothing to do") : counts) + "\n";
  if (summary.orphans_found > 0 || !summary.orphan_actions.empty()) {
    std::string actions;
    for (const auto& [action, rows] : summary.orphan_actions) {
      actions += fmt::format("; {} {}", action, rows);
    }
    out += fmt::format("  orphan rows: {} found{}\n", summary.orphans_found, actions);
  }
  auto section = [&](const char* title, auto wanted) {
    std::string lines;
    for (const auto& result : summary.results) {
      if (wanted(result)) lines += fmt::format("  {}: {}\n", result.path, OneLine(result));
    }
    if (!lines.empty()) out += fmt::format("{}:\n{}", title, lines);
  };
  section("refused", [](const batch::FileResult& r) {
    return r.outcome == Outcome::kRefused ||
           (r.outcome == Outcome::kDoneEarlier && r.earlier == Outcome::kRefused);
  });
  section("failed", [](const batch::FileResult& r) {
    return r.outcome == Outcome::kUnusable || r.outcome == Outcome::kError ||
           r.outcome == Outcome::kInterrupted;
  });
  section("skipped", [](const batch::FileResult& r) { return r.outcome == Outcome::kSkipped; });
  if (summary.interrupted) {
    out += "interrupted: run the same command again to finish the rest\n";
  }
  return out;
}

FleetProgress::FleetProgress(bool enabled) : line_(enabled) {}

void FleetProgress::Planned(int files, int64_t bytes) {
  files_total_ = files;
  bytes_total_ = bytes;
  start_ = Clock::now();
  Draw(true);
}

void FleetProgress::Started(const std::string& path, int64_t bytes) {
  in_flight_[path] = bytes;
  Draw(false);
}

void FleetProgress::Progress(const std::string& path, const repair::ProgressEvent& event) {
  if (path != table_path_) table_line_ = ProgressLine(false);
  table_path_ = path;
  table_text_ = table_line_.Describe(event);
  Draw(false);
}

void FleetProgress::Finished(const batch::FileResult& result) {
  auto it = in_flight_.find(result.path);
  if (it == in_flight_.end()) return;  // planned away (skipped, done earlier)
  bytes_done_ += it->second;
  in_flight_.erase(it);
  ++files_done_;
  if (result.path == table_path_) table_path_.clear();
  Draw(false);
}

void FleetProgress::Draw(bool force) {
  auto now = Clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double rate = elapsed > 0 ? bytes_done_ / elapsed : 0;
  double eta = rate > 0 ? (bytes_total_ - bytes_done_) / rate : -1;
  std::string line = fmt::format("[{}/{} files] {:.1f} MB/s ETA {}", files_done_, files_total_,
                                 rate / 1e6, Duration(eta));
  if (in_flight_.size() == 1 && in_flight_.begin()->first == table_path_) {
    line += fmt::format(" | {}: {}", ShortName(table_path_), table_text_);
  } else if (!in_flight_.empty()) {
    std::string names;
    for (const auto& [path, bytes] : in_flight_) {
      names += (names.empty() ? "" : ", ") + ShortName(path);
      if (names.size() > 60) {
        names += ", ...";
        break;
      }
    }
    line += " | " + names;
  }
  line_.Show(line);
}

void FleetProgress::Clear() { line_.Clear(); }

}  // namespace sqlmend::cli
