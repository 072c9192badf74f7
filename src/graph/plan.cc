#include "graph/plan.h"

#include <algorithm>

#include "base/strings.h"

namespace sqlmend::graph {
namespace {

using base::Status;

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

using base::Join;

// The version table's rows while a plan runs: Alembic's HeadMaintainer,
// keeping row order so the caller can predict the table.
class Rows {
 public:
  explicit Rows(std::vector<std::string> rows) : rows_(std::move(rows)) {}
  const std::vector<std::string>& rows() const { return rows_; }
  bool Has(const std::string& id) const { return Contains(rows_, id); }

  Status Insert(const std::string& id, Step& step) {
    if (Has(id)) return Broken("insert", id);
    rows_.push_back(id);
    step.version_changes.push_back({VersionChange::Kind::kInsert, "", id});
    return Status::Ok();
  }
  Status Delete(const std::string& id, Step& step) {
    auto found = std::find(rows_.begin(), rows_.end(), id);
    if (found == rows_.end()) return Broken("delete", id);
    rows_.erase(found);
    step.version_changes.push_back({VersionChange::Kind::kDelete, id, ""});
    return Status::Ok();
  }
  Status Update(const std::string& from, const std::string& to, Step& step) {
    auto found = std::find(rows_.begin(), rows_.end(), from);
    if (found == rows_.end() || Has(to)) return Broken("update", from);
    *found = to;
    step.version_changes.push_back({VersionChange::Kind::kUpdate, from, to});
    return Status::Ok();
  }

 private:
  // Alembic fails an assertion or a KeyError here; the plan is impossible.
  static Status Broken(const std::string& what, const std::string& id) {
    return Status::Refused(id, "cannot " + what + " version row '" + id +
                                   "': the version table does not match the "
                                   "revision graph");
  }
  std::vector<std::string> rows_;
};

// `wanted` minus everything the other rows already imply (RevisionStep's
// set difference; NOTE: Alembic's result is a Python set, this keeps the
// order of `wanted`).
std::vector<std::string> NotImpliedByOthers(const RevisionMap& map, const Rows& rows,
                                            const std::vector<std::string>& others_excluded,
                                            const std::vector<std::string>& wanted) {
  std::vector<std::string> others;
  for (const std::string& row : rows.rows()) {
    if (!Contains(others_excluded, row)) others.push_back(row);
  }
  if (others.empty()) return wanted;
  const std::vector<std::string> implied = map.AncestorIds(others, true);
  std::vector<std::string> out;
  for (const std::string& id : wanted) {
    if (!Contains(implied, id)) out.push_back(id);
  }
  return out;
}

// HeadMaintainer.update_to_step for a revision step.
Status ApplyRevisionStep(const RevisionMap& map, Rows& rows, Step& step) {
  const Revision& revision = *step.revision;
  const std::vector<std::string> downs = revision.NormalizedDownRevisions();
  std::vector<std::string> present;
  for (const std::string& down : downs) {
    if (rows.Has(down)) present.push_back(down);
  }
  if (step.kind == Step::Kind::kUpgrade) {
    if (downs.empty() || present.empty()) {
      return rows.Insert(revision.id, step);  // a new branch
    }
    if (downs.size() > 1 && present.size() > 1) {
      // Merge: delete all merged rows but one, update that one.
      std::vector<std::string> from = NotImpliedByOthers(map, rows, downs, downs);
      if (from.empty()) return rows.Update(present[0], revision.id, step);
      for (size_t i = 0; i + 1 < from.size(); ++i) {
        SQLMEND_RETURN_IF_ERROR(rows.Delete(from[i], step));
      }
      return rows.Update(from.back(), revision.id, step);
    }
    return rows.Update(downs.size() == 1 ? downs[0] : present[0], revision.id, step);
  }
  // Downgrade.
  if (rows.Has(revision.id)) {
    const std::vector<std::string> to = NotImpliedByOthers(map, rows, {revision.id}, downs);
    if (downs.empty() || to.empty()) return rows.Delete(revision.id, step);
    if (downs.size() > 1) {
      // Unmerge: insert the other parents, update this row to the last.
      for (size_t i = 0; i + 1 < to.size(); ++i) {
        SQLMEND_RETURN_IF_ERROR(rows.Insert(to[i], step));
      }
      return rows.Update(revision.id, to.back(), step);
    }
  }
  return rows.Update(revision.id,
                     downs.size() == 1 ? downs[0] : (present.empty() ? "" : present[0]), step);
}

base::Result<Plan> RunSteps(const RevisionMap& map, const std::vector<std::string>& current_heads,
                            const std::vector<const Revision*>& order, Step::Kind kind) {
  Plan plan;
  Rows rows(current_heads);
  for (const Revision* revision : order) {
    Step step;
    step.kind = kind;
    step.is_upgrade = kind == Step::Kind::kUpgrade;
    step.revision = revision;
    step.from_revisions = revision->down_revisions;
    step.to_revisions = {revision->id};
    if (!step.is_upgrade) std::swap(step.from_revisions, step.to_revisions);
    SQLMEND_RETURN_IF_ERROR(ApplyRevisionStep(map, rows, step));
    plan.steps.push_back(std::move(step));
  }
  plan.final_heads = rows.rows();
  return plan;
}

}  // namespace

std::string Step::ShortLog() const {
  const char* name = kind == Kind::kUpgrade     ? "upgrade"
                     : kind == Kind::kDowngrade ? "downgrade"
                                                : "stamp_revision";
  return std::string(name) + " " + Join(from_revisions) + " -> " + Join(to_revisions);
}

std::string Step::LogLine() const {
  if (revision == nullptr || revision->doc.empty()) return ShortLog();
  return ShortLog() + ", " + revision->doc;
}

namespace {

// Orders the revisions of an upgrade or a downgrade and simulates their rows;
// errors take the command's wording ("Destination %(end)s is not a valid
// <verb> target from current head(s)").
base::Result<Plan> PlanRun(const RevisionMap& map, const std::vector<std::string>& current_heads,
                           const std::string& destination, Step::Kind kind) {
  const bool up = kind == Step::Kind::kUpgrade;
  IterateOptions options;
  options.implicit_base = up;
  options.select_for_downgrade = !up;
  const RevisionArg heads = RevisionArg::Tuple(current_heads);
  const RevisionArg target = RevisionArg::Symbol(destination);
  auto order = up ? map.IterateRevisions(target, heads, options)
                  : map.IterateRevisions(heads, target, options);
  if (!order) {
    Wording wording;
    wording.ancestor = std::string("Destination %(end)s is not a valid ") +
                       (up ? "upgrade" : "downgrade") + " target from current head(s)";
    wording.end = destination;
    return base::Fail(ToStatus(order.error(), wording));
  }
  // Alembic runs an upgrade oldest first: the iteration reversed.
  if (up) std::reverse(order->begin(), order->end());
  return RunSteps(map, current_heads, *order, kind);
}

}  // namespace

base::Result<Plan> PlanUpgrade(const RevisionMap& map,
                               const std::vector<std::string>& current_heads,
                               const std::string& destination) {
  return PlanRun(map, current_heads, destination, Step::Kind::kUpgrade);
}

base::Result<Plan> PlanDowngrade(const RevisionMap& map,
                                 const std::vector<std::string>& current_heads,
                                 const std::string& destination) {
  return PlanRun(map, current_heads, destination, Step::Kind::kDowngrade);
}

base::Result<Plan> PlanStamp(const RevisionMap& map, const std::vector<std::string>& current_heads,
                             const std::vector<std::string>& targets, bool purge) {
  // ScriptDirectory._stamp_revs, then HeadMaintainer per stamp step:
  //  1. the heads on each target's lineage (dependencies counted) are the
  //     rows the stamp may move;
  //  2. per destination: `base` deletes those rows; a destination already
  //     a row is left; a destination below them replaces them (one merge
  //     step down), above them likewise up; otherwise it is a new row.
  Wording wording;
  wording.multiple_heads = "Multiple heads are present; please specify a single target revision";
  auto fail = [&](const RevisionError& error) { return base::Fail(ToStatus(error, wording)); };
  const std::vector<std::string> rows_before = purge ? std::vector<std::string>() : current_heads;
  auto heads = map.GetRevisions(RevisionArg::Tuple(rows_before));
  if (!heads) return fail(heads.error());
  std::vector<std::string> head_ids;
  for (const Revision* head : *heads) {
    if (head != nullptr) head_ids.push_back(head->id);
  }
  const std::vector<std::string> wanted =
      targets.empty() ? std::vector<std::string>{"base"} : targets;
  std::vector<std::string> filtered;
  for (const std::string& target : wanted) {
    if (target.empty()) continue;
    auto on_lineage = map.FilterForLineage(head_ids, target, true);
    if (!on_lineage) return fail(on_lineage.error());
    for (const std::string& id : *on_lineage) {
      if (!Contains(filtered, id)) filtered.push_back(id);
    }
  }
  auto dests = map.GetRevisions(RevisionArg::Tuple(wanted));
  if (!dests) return fail(dests.error());
  if (dests->empty()) dests->push_back(nullptr);

  Plan plan;
  Rows rows(rows_before);
  for (const Revision* dest : *dests) {
    auto add_step = [&](std::vector<std::string> from, std::string to, bool is_upgrade,
                        bool branch_move) -> Status {
      Step step;
      step.kind = Step::Kind::kStamp;
      step.is_upgrade = is_upgrade;
      step.from_revisions = std::move(from);
      if (!to.empty()) step.to_revisions = {to};
      // StampStep.should_delete_branch / should_create_branch / merge /
      // plain update, in HeadMaintainer's order of questions.
      bool from_missing = false;
      for (const std::string& id : step.from_revisions) {
        from_missing = from_missing || !rows.Has(id);
      }
      Status status;
      if (!is_upgrade && branch_move) {
        status = rows.Delete(step.from_revisions.at(0), step);
      } else if (is_upgrade && (branch_move || from_missing) && !rows.Has(to)) {
        status = rows.Insert(to, step);
      } else if (step.from_revisions.size() > 1) {
        for (size_t i = 0; i + 1 < step.from_revisions.size(); ++i) {
          SQLMEND_RETURN_IF_ERROR(rows.Delete(step.from_revisions[i], step));
        }
        status = rows.Update(step.from_revisions.back(), to, step);
      } else if (step.from_revisions.size() == 1) {
        status = rows.Update(step.from_revisions[0], to, step);
      }
      plan.steps.push_back(std::move(step));
      return status;
    };
    if (dest == nullptr) {
      for (const std::string& head : filtered) {
        SQLMEND_RETURN_IF_ERROR(add_step({head}, "", false, true));
      }
      continue;
    }
    if (Contains(filtered, dest->id)) continue;
    const std::vector<std::string> descendants = map.DescendantIds({dest->id}, true);
    const std::vector<std::string> ancestors = map.AncestorIds({dest->id}, true);
    auto intersects = [&](const std::vector<std::string>& set) {
      return std::any_of(filtered.begin(), filtered.end(),
                         [&](const std::string& id) { return Contains(set, id); });
    };
    if (intersects(descendants)) {
      SQLMEND_RETURN_IF_ERROR(add_step(filtered, dest->id, false, false));
    } else if (intersects(ancestors)) {
      SQLMEND_RETURN_IF_ERROR(add_step(filtered, dest->id, true, false));
    } else {
      SQLMEND_RETURN_IF_ERROR(add_step({}, dest->id, true, true));
    }
  }
  plan.final_heads = rows.rows();
  return plan;
}

}  // namespace sqlmend::graph
