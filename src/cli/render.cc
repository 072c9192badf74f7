#include "cli/render.h"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace sqlmend::cli {

namespace {

std::string OutcomeName(repair::Report::Outcome outcome) {
  switch (outcome) {
    case repair::Report::Outcome::kHealthy: return "healthy";
    case repair::Report::Outcome::kDamaged: return "damaged";
    case repair::Report::Outcome::kFixed: return "fixed";
    case repair::Report::Outcome::kStamped: return "stamped";
    case repair::Report::Outcome::kFailed: return "failed";
    case repair::Report::Outcome::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string Join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

std::string_view PolicyName(repair::OrphanPolicy policy) {
  switch (policy) {
    case repair::OrphanPolicy::kKeep: return "keep";
    case repair::OrphanPolicy::kQuarantine: return "quarantine";
    case repair::OrphanPolicy::kNull: return "null";
    case repair::OrphanPolicy::kDelete: return "delete";
  }
  return "keep";
}

nlohmann::json PlanToJson(const repair::OrphanPlan& plan) {
  nlohmann::json j;
  j["policy"] = PolicyName(plan.policy);
  nlohmann::json actions = nlohmann::json::array();
  for (const auto& a : plan.actions) {
    nlohmann::json action = {{"table", a.table}, {"action", a.action}, {"rows", a.rows},
                             {"reason", a.reason}};
    if (!a.into.empty()) action["into"] = a.into;
    actions.push_back(action);
  }
  j["actions"] = actions;
  j["refused"] = plan.refusal.ok() ? nlohmann::json(nullptr)
                                   : nlohmann::json(plan.refusal.ToString());
  return j;
}

// "    quarantine 3 rows of posts into sqlmend_orphans_posts (orphan: ...)"
std::string PlanToText(const repair::OrphanPlan& plan, const char* indent) {
  std::string out;
  for (const auto& a : plan.actions) {
    out += fmt::format("{}{} {} row{} of {}{} ({})\n", indent, a.action, a.rows,
                       a.rows == 1 ? "" : "s", a.table, a.into.empty() ? "" : " into " + a.into,
                       a.reason);
  }
  if (!plan.refusal.ok()) out += fmt::format("{}refused: {}\n", indent, plan.refusal.ToString());
  if (plan.actions.empty() && plan.refusal.ok()) out += fmt::format("{}nothing to do\n", indent);
  return out;
}

}  // namespace

nlohmann::json ReportToJson(const repair::Report& report) {
  nlohmann::json j;
  j["path"] = report.path;
  j["outcome"] = report.status.ok() || report.status.code() == base::Code::kDamage
                     ? OutcomeName(report.outcome)
                     : std::string(base::CodeName(report.status.code()));
  j["exit_code"] = base::ExitCode(report.status.code());
  j["quick_check"] = report.quick_check;
  j["dry_run"] = report.dry_run;
  nlohmann::json names = nlohmann::json::array();
  for (const auto& r : report.resolutions) {
    nlohmann::json n;
    n["missing"] = r.missing;
    n["target"] = r.target.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.target);
    n["rule"] = r.rule;
    n["used_by"] = r.used_by;
    if (!r.problem.empty()) {
      n["problem"] = r.problem;
      n["candidates"] = r.candidates;
      n["hint"] = fmt::format("--map {}=<table>", r.missing);
    }
    names.push_back(n);
  }
  j["names"] = names;
  nlohmann::json fks = nlohmann::json::array();
  for (const auto& fk : report.fks) {
    nlohmann::json f;
    f["child"] = fk.child;
    f["columns"] = fk.columns;
    f["missing"] = fk.missing;
    f["target"] = fk.target.empty() ? nlohmann::json(nullptr) : nlohmann::json(fk.target);
    f["parent_columns"] = fk.parent_columns;
    f["orphans"] = fk.orphans < 0 ? nlohmann::json(nullptr) : nlohmann::json(fk.orphans);
    fks.push_back(f);
  }
  j["foreign_keys"] = fks;
  j["broken_objects"] = report.broken_objects;
  j["rewritten"] = report.rewritten;
  j["orphans"] = PlanToJson(report.orphans);
  if (!report.orphan_previews.empty()) {
    nlohmann::json previews = nlohmann::json::array();
    for (const auto& plan : report.orphan_previews) previews.push_back(PlanToJson(plan));
    j["orphan_policies"] = previews;
  }
  if (!report.output_path.empty()) j["output"] = report.output_path;
  if (!report.backup_path.empty()) j["backup"] = report.backup_path;
  if (!report.stamped.empty()) j["stamped"] = report.stamped;
  j["bytes"] = report.bytes;
  j["seconds"] = report.seconds;
  j["error"] = report.status.ok() || report.status.code() == base::Code::kDamage
                   ? nlohmann::json(nullptr)
                   : nlohmann::json(report.status.ToString());
  return j;
}

nlohmann::json DoctorToJson(const commands::DoctorRun& run) {
  const auto& report = run.report;
  nlohmann::json j;
  j["path"] = report.path;
  j["exit_code"] = base::ExitCode(run.status.code());
  j["quick_check"] = report.quick_check;
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : report.findings) {
    findings.push_back({{"kind", f.kind},
                        {"object", f.object},
                        {"problem", f.problem},
                        {"fix", f.fix.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.fix)},
                        {"left", f.left.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.left)},
                        {"fixed", f.fixed}});
  }
  j["findings"] = findings;
  if (report.fix_ran) {
    j["output"] = report.repair.output_path;
    j["backup"] = report.repair.backup_path.empty() ? nlohmann::json(nullptr)
                                                    : nlohmann::json(report.repair.backup_path);
  }
  j["error"] = run.status.ok() || run.status.code() == base::Code::kDamage
                   ? nlohmann::json(nullptr)
                   : nlohmann::json(run.status.ToString());
  return j;
}

std::string DoctorToText(const commands::DoctorRun& run) {
  const auto& report = run.report;
  std::string out = fmt::format("{}\n", report.path);
  if (!report.quick_check.empty()) out += fmt::format("  quick_check: {}\n", report.quick_check);
  if (report.findings.empty() && run.status.ok()) out += "  no debris found\n";
  for (const auto& f : report.findings) {
    out += fmt::format("  {}: {}\n", f.object, f.problem);
    if (f.fixed) {
      out += fmt::format("      fixed: {}\n", f.fix);
    } else if (!f.fix.empty()) {
      out += fmt::format("      --fix would {}\n", f.fix);
    } else {
      out += fmt::format("      left as is: {}\n", f.left);
    }
  }
  if (report.fix_ran && !report.repair.backup_path.empty()) {
    out += fmt::format("  original kept as: {}\n", report.repair.backup_path);
  }
  return out;
}

std::string ReportToText(const repair::Report& report, bool fixing) {
  std::string out = fmt::format("{}\n", report.path);
  if (!report.quick_check.empty()) out += fmt::format("  quick_check: {}\n", report.quick_check);
  if (report.resolutions.empty() && report.broken_objects.empty()) {
    out += "  no dangling references\n";
  }
  for (const auto& r : report.resolutions) {
    if (!r.target.empty()) {
      out += fmt::format("  {} -> {}  ({})\n", r.missing, r.target, r.rule);
    } else {
      out += fmt::format("  {} -> ?  {}\n", r.missing, r.problem);
      if (!r.candidates.empty()) out += fmt::format("      considered: {}\n", Join(r.candidates));
      out += fmt::format("      resolve with: --map {}=<table>\n", r.missing);
    }
    out += fmt::format("      named by: {}\n", Join(r.used_by));
  }
  for (const auto& fk : report.fks) {
    std::string orphans = fk.orphans < 0 ? "" : fmt::format(", {} orphan row{}", fk.orphans,
                                                            fk.orphans == 1 ? "" : "s");
    out += fmt::format("  child {}({}) REFERENCES {} -> {}{}\n", fk.child, Join(fk.columns),
                       fk.missing, fk.target.empty() ? "?" : fk.target, orphans);
  }
  for (const auto& object : report.broken_objects) out += fmt::format("  broken: {}\n", object);
  for (const auto& plan : report.orphan_previews) {
    out += fmt::format("  with --orphans {}:\n", PolicyName(plan.policy));
    out += PlanToText(plan, "    ");
  }
  if (fixing && report.orphans.policy != repair::OrphanPolicy::kKeep) {
    out += fmt::format("  --orphans {}{}:\n", PolicyName(report.orphans.policy),
                       report.outcome == repair::Report::Outcome::kFixed ? "" : " (planned)");
    out += PlanToText(report.orphans, "    ");
  }
  if (fixing) {
    if (report.dry_run) {
      out += fmt::format("  dry run: would rewrite {}; nothing written\n", Join(report.rewritten));
    }
    if (report.outcome == repair::Report::Outcome::kFixed) {
      out += fmt::format("  fixed: rewrote {}\n", Join(report.rewritten));
      out += fmt::format("  written: {}\n", report.output_path);
      if (!report.backup_path.empty()) out += fmt::format("  original kept as: {}\n", report.backup_path);
    }
    if (report.outcome == repair::Report::Outcome::kHealthy) out += "  healthy: nothing written\n";
    if (!report.stamped.empty()) out += fmt::format("  stamped: {}\n", report.stamped);
  }
  return out;
}

void PrintError(const base::Status& status) {
  std::fprintf(stderr, "sqlmend: %s\n", OneLineText(status.ToString()).c_str());
}

std::string OneLineText(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

std::string JsonLine(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ProgressLine::ProgressLine(bool enabled) : enabled_(enabled && ::isatty(2)) {}

void ProgressLine::Update(const repair::ProgressEvent& event) {
  if (enabled_) Show(Describe(event));
}

std::string ProgressLine::Describe(const repair::ProgressEvent& event) {
  std::string line = event.phase;
  if (event.phase == "copy" && !event.table.empty()) {
    if (event.table != table_) {
      table_ = event.table;
      table_started_ = event.seconds;
    }
    double mb = event.bytes_done / 1e6;
    double rate = event.seconds > 0 ? mb / event.seconds : 0;
    line = fmt::format("copy {}/{} tables, {:.0f} of ~{:.0f} MB, {:.0f} MB/s: {}", event.tables_done,
                       event.tables_total, mb, event.bytes_total / 1e6, rate, event.table);
    double table_seconds = event.seconds - table_started_;
    if (event.rows_done > 0 && table_seconds > 0) {
      line += fmt::format(" ({} rows, {:.0f} rows/s)", event.rows_done,
                          event.rows_done / table_seconds);
    }
  }
  return line;
}

void ProgressLine::Show(const std::string& line) {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  dirty_ = true;
}

void ProgressLine::Clear() {
  if (enabled_ && dirty_) std::fprintf(stderr, "\r\033[K");
  dirty_ = false;
}

}  // namespace sqlmend::cli
