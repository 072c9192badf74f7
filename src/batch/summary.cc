#include "batch/summary.h"

#include <array>
#include <utility>

namespace sqlmend::batch {

namespace {

constexpr std::array<std::pair<Outcome, std::string_view>, 10> kNames = {{
    {Outcome::kFixed, "fixed"},
    {Outcome::kStamped, "stamped"},
    {Outcome::kHealthy, "healthy"},
    {Outcome::kDamaged, "damaged"},
    {Outcome::kRefused, "refused"},
    {Outcome::kUnusable, "unusable"},
    {Outcome::kError, "error"},
    {Outcome::kInterrupted, "interrupted"},
    {Outcome::kSkipped, "skipped"},
    {Outcome::kDoneEarlier, "done-earlier"},
}};

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  for (const auto& [value, name] : kNames) {
    if (value == outcome) return name;
  }
  return "error";
}

bool ParseOutcome(std::string_view name, Outcome* outcome) {
  for (const auto& [value, known] : kNames) {
    if (known == name) {
      *outcome = value;
      return true;
    }
  }
  return false;
}

Outcome OutcomeOf(const repair::Report& report, const base::Status& status) {
  using repair::Report;
  switch (status.code()) {
    case base::Code::kOk:
      if (report.outcome == Report::Outcome::kFixed) return Outcome::kFixed;
      if (report.outcome == Report::Outcome::kStamped) return Outcome::kStamped;
      if (report.outcome == Report::Outcome::kDamaged) return Outcome::kDamaged;
      return Outcome::kHealthy;
    case base::Code::kDamage: return Outcome::kDamaged;
    case base::Code::kRefused: return Outcome::kRefused;
    case base::Code::kUnusableInput: return Outcome::kUnusable;
    case base::Code::kInterrupted: return Outcome::kInterrupted;
    default: return Outcome::kError;
  }
}

base::Code CodeOf(Outcome outcome, const base::Status& status, Outcome earlier) {
  switch (outcome) {
    case Outcome::kFixed:
    case Outcome::kStamped:
    case Outcome::kHealthy:
    case Outcome::kSkipped: return base::Code::kOk;
    case Outcome::kDamaged: return base::Code::kDamage;
    case Outcome::kRefused: return base::Code::kRefused;
    case Outcome::kUnusable: return base::Code::kUnusableInput;
    case Outcome::kInterrupted: return base::Code::kInterrupted;
    case Outcome::kError:
      return status.ok() ? base::Code::kEnvironment : status.code();
    case Outcome::kDoneEarlier:
      // A file refused (or found damaged) earlier is still so: a rerun that
      // skips it must not report a clean tree.
      return earlier == Outcome::kDoneEarlier ? base::Code::kOk
                                              : CodeOf(earlier, base::Status::Ok(), earlier);
  }
  return base::Code::kVerifyFailed;
}

void Summary::Add(FileResult result) {
  ++counts[result.outcome];
  ++files;
  if (result.processed) bytes += result.bytes;
  for (const auto& fk : result.report.fks) orphans_found += fk.orphans > 0 ? fk.orphans : 0;
  if (result.outcome == Outcome::kFixed) {
    for (const auto& action : result.report.orphans.actions) {
      orphan_actions[action.action] += action.rows;
    }
  }
  worst = base::MoreSerious(worst, result.code());
  results.push_back(std::move(result));
}

int Summary::Count(Outcome outcome) const {
  auto it = counts.find(outcome);
  return it == counts.end() ? 0 : it->second;
}

}  // namespace sqlmend::batch
