#include "repair/check_fk.h"

#include <chrono>

#include <fmt/format.h>

#include "repair/orphan_policy.h"
#include "repair/orphans.h"
#include "sqlite/checks.h"
#include "sqlite/header.h"
#include "sqlite/sidecars.h"

namespace sqlmend::repair {

void FillDiagnosis(const Analysis& analysis, Report* report) {
  report->resolutions = analysis.resolutions;
  report->fks = analysis.fks;
  report->broken_objects = analysis.broken_objects;
  for (const auto& line : analysis.unrepairable) report->broken_objects.push_back(line);
  report->rewritten.clear();
  for (const auto& [name, sql] : analysis.new_sql) report->rewritten.push_back(name);
}

base::Status CountAllOrphans(sqlite::Db& db, const Analysis& analysis, Report* report) {
  for (AffectedFk& fk : report->fks) {
    if (fk.target.empty()) continue;
    auto key = ParentKey(db, analysis.schema, fk);
    if (!key) return key.error();
    if (fk.parent_columns.empty()) fk.parent_columns = *key;
    auto count = CountOrphans(db, fk, *key);
    if (!count) return count.error();
    fk.orphans = *count;
  }
  return base::Status::Ok();
}

base::Status UnrepairableStatus(const std::string& path, const Analysis& analysis) {
  int unresolved = 0;
  std::string first;
  for (const Resolution& r : analysis.resolutions) {
    if (!r.target.empty()) continue;
    if (unresolved++ == 0) first = fmt::format("cannot resolve {} ({})", r.missing, r.problem);
  }
  if (unresolved > 1) first += fmt::format(" and {} more", unresolved - 1);
  if (unresolved == 0 && !analysis.unrepairable.empty()) {
    first = fmt::format("{} (not a renamed table; sqlmend cannot repair it)",
                        analysis.unrepairable.front());
  }
  return base::Status::Refused(path, first);
}

base::Status CheckFk(const std::string& path, const CheckOptions& options, Report* report) {
  auto start = std::chrono::steady_clock::now();
  report->path = path;
  auto finish = [&](base::Status status) {
    report->seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report->status = status;
    if (!status.ok() && status.code() != base::Code::kDamage &&
        report->outcome != Report::Outcome::kDamaged) {
      report->outcome = Report::Outcome::kFailed;
    }
    return status;
  };
  sqlite::Sniff sniff = sqlite::SniffFile(path);
  report->bytes = sniff.file_size;
  if (auto st = sqlite::SniffStatus(path, sniff); !st.ok()) return finish(st);

  sqlite::SidecarGuard sidecars(path);
  sqlite::OpenOptions open_options;
  open_options.busy_timeout_ms = options.busy_timeout_ms;
  auto opened = sqlite::Db::Open(path, sqlite::OpenMode::kReadOnly, open_options);
  if (!opened) return finish(opened.error());
  sqlite::Db& db = *opened;
  // One read transaction: every answer below comes from the same snapshot.
  if (auto st = db.Exec("BEGIN"); !st.ok()) return finish(st);
  auto quick = sqlite::QuickCheck(db);
  if (!quick) return finish(quick.error());
  report->quick_check = *quick;
  if (*quick != "ok") {
    return finish(base::Status::Unusable(path, "database is corrupt (quick_check: " + *quick + ")"));
  }
  auto analysis = Analyze(db, options.maps);
  if (!analysis) return finish(analysis.error().WithObject(path));
  FillDiagnosis(*analysis, report);
  if (!analysis->damaged()) {
    report->outcome = Report::Outcome::kHealthy;
    return finish(base::Status::Ok());
  }
  report->outcome = Report::Outcome::kDamaged;
  if (auto st = CountAllOrphans(db, *analysis, report); !st.ok()) {
    return finish(st.WithObject(path));
  }
  if (analysis->repairable()) {
    // What each --orphans policy would do (temp tables only; main is read).
    // Without orphans every plan is empty: skip the queries.
    bool orphans = false;
    for (const AffectedFk& fk : report->fks) orphans = orphans || fk.orphans > 0;
    OrphanPlanner planner(db, *analysis);
    for (OrphanPolicy policy :
         {OrphanPolicy::kQuarantine, OrphanPolicy::kNull, OrphanPolicy::kDelete}) {
      OrphanPlan empty;
      empty.policy = policy;
      auto plan = orphans ? planner.Plan(policy) : base::Result<OrphanPlan>(empty);
      if (!plan) return finish(plan.error().WithObject(path));
      report->orphan_previews.push_back(std::move(*plan));
    }
  }
  db.Exec("COMMIT");
  if (!analysis->repairable()) return finish(UnrepairableStatus(path, *analysis));
  int names = static_cast<int>(analysis->resolutions.size());
  return finish(base::Status::Damage(
      path, fmt::format("{} dangling name{} found, all resolvable", names, names == 1 ? "" : "s")));
}

}  // namespace sqlmend::repair
