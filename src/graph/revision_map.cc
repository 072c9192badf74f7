// RevisionMap construction and graph traversal. Resolution of identifiers is
// in revision_resolve.cc, ordered iteration in revision_iterate.cc.
#include "graph/revision_map.h"

#include <algorithm>
#include <set>

#include "base/strings.h"

namespace sqlmend::graph {
namespace {

using base::Status;

using base::Join;

void AddUnique(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) {
    list.push_back(item);
  }
}

void AddUnique(std::vector<int>& list, int item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) {
    list.push_back(item);
  }
}

// The checks Alembic's Revision constructor makes on one revision alone.
Status CheckRevisionAlone(const Revision& revision) {
  const auto& down = revision.down_revisions;
  const auto& deps = revision.depends_on;
  if (std::find(down.begin(), down.end(), revision.id) != down.end()) {
    return Status::Refused(revision.id, "Self-loop is detected in revisions (" + revision.id + ")");
  }
  if (std::find(deps.begin(), deps.end(), revision.id) != deps.end()) {
    return Status::Refused(revision.id,
                           "Dependency self-loop is detected in revisions (" + revision.id + ")");
  }
  std::string illegal;  // sorted: '+' < '-' < '@'
  for (char c : std::string("+-@")) {
    if (revision.id.find(c) != std::string::npos) {
      illegal += (illegal.empty() ? "" : ", ") + std::string(1, c);
    }
  }
  if (!illegal.empty()) {
    return Status::Refused(revision.id, "Character(s) '" + illegal +
                                            "' not allowed in revision "
                                            "identifier '" +
                                            revision.id + "'");
  }
  return Status::Ok();
}

}  // namespace

base::Result<RevisionMap> RevisionMap::Build(std::vector<Revision> revisions) {
  // Steps, in the order Alembic's _revision_map makes them (so the first
  // error reported is the one Alembic reports):
  //  1. per-revision checks, ids indexed (duplicates refused);
  //  2. branch labels become keys beside the ids;
  //  3. depends_on resolved through ids and labels;
  //  4. down edges linked, heads and bases computed;
  //  5. dependencies normalized against ancestors;
  //  6. cycles detected, first along down_revision, then with dependencies;
  //  7. branch labels spread along their branches.
  RevisionMap map;
  const int count = static_cast<int>(revisions.size());
  for (int i = 0; i < count; ++i) {
    Revision& revision = revisions[i];
    SQLMEND_RETURN_IF_ERROR(CheckRevisionAlone(revision));
    if (!map.index_by_key_.emplace(revision.id, i).second) {
      return base::Fail(
          Status::Refused(revision.id, "Revision " + revision.id + " is present more than once"));
    }
    map.keys_.emplace_back(revision.id, i);
    revision.nextrev.clear();
    revision.all_nextrev.clear();
    revision.resolved_dependencies.clear();
    revision.normalized_dependencies.clear();
    revision.effective_branch_labels.clear();
    for (const std::string& label : revision.branch_labels) {
      AddUnique(revision.effective_branch_labels, label);
    }
  }

  // 2. NOTE: Alembic walks its labelled revisions as a Python set, so which
  // of two clashing revisions it names first varies; this uses input order.
  for (int i = 0; i < count; ++i) {
    for (const std::string& label : revisions[i].branch_labels) {
      auto found = map.index_by_key_.find(label);
      if (found != map.index_by_key_.end()) {
        return base::Fail(Status::Refused(
            revisions[i].id, "Branch name '" + label + "' in revision " + revisions[i].id +
                                 " already used by revision " + revisions[found->second].id));
      }
      map.index_by_key_.emplace(label, i);
      map.keys_.emplace_back(label, i);
    }
  }

  // 3. A dependency may name a branch label; it stands for the revision
  // that declares the label.
  auto missing = [&](const std::string& target, const std::string& from) {
    return base::Fail(Status::Refused(
        from, "Revision " + target + " referenced from " + from + " is not present"));
  };
  for (Revision& revision : revisions) {
    for (const std::string& dep : revision.depends_on) {
      auto found = map.index_by_key_.find(dep);
      if (found == map.index_by_key_.end()) return missing(dep, revision.id);
      AddUnique(revision.resolved_dependencies, revisions[found->second].id);
    }
  }

  // 4. NOTE: a down_revision must be a revision id. Alembic looks it up
  // among labels too and then half-links it; sqlmend calls it missing.
  map.links_.resize(count);
  std::vector<bool> is_down_target(count, false), is_any_target(count, false);
  for (int i = 0; i < count; ++i) {
    Links& links = map.links_[i];
    for (const std::string& down : revisions[i].AllDownRevisions()) {
      auto found = map.index_by_key_.find(down);
      if (found == map.index_by_key_.end() || revisions[found->second].id != down) {
        return missing(down, revisions[i].id);
      }
      const int target = found->second;
      AddUnique(links.all_down, target);
      is_any_target[target] = true;
      AddUnique(map.links_[target].all_next, i);
      const auto& versioned = revisions[i].down_revisions;
      if (std::find(versioned.begin(), versioned.end(), down) != versioned.end()) {
        AddUnique(links.down, target);
        AddUnique(map.links_[target].next, i);
        is_down_target[target] = true;
      }
    }
  }
  for (int i = 0; i < count; ++i) {
    Revision& revision = revisions[i];
    // Children are linked in child order, which is map order.
    std::sort(map.links_[i].next.begin(), map.links_[i].next.end());
    std::sort(map.links_[i].all_next.begin(), map.links_[i].all_next.end());
    for (int next : map.links_[i].next) revision.nextrev.push_back(revisions[next].id);
    for (int next : map.links_[i].all_next) {
      revision.all_nextrev.push_back(revisions[next].id);
    }
    if (!is_down_target[i]) map.heads_.push_back(i);
    if (!is_any_target[i]) map.real_heads_.push_back(i);
    if (revision.is_base()) map.bases_.push_back(i);
    if (revision.is_real_base()) map.real_bases_.push_back(i);
  }
  map.revisions_ = std::move(revisions);

  // 5. Drop a dependency when an ancestor (along down_revision) already
  // depends on it: the upgrade path brings it in anyway.
  // Only a revision with dependencies has anything to drop: walking every
  // revision's ancestors would make a long chain quadratic (100,000
  // revisions: an hour), where skipping them keeps it linear.
  for (int i = 0; i < count; ++i) {
    Revision& revision = map.revisions_[i];
    std::set<std::string> implied;
    const bool has_dependencies = !revision.resolved_dependencies.empty();
    for (int ancestor : has_dependencies ? map.RelatedNoCheck(Edges::kDown, {i})
                                         : std::vector<int>{}) {
      if (ancestor == i) continue;
      const auto& deps = map.revisions_[ancestor].resolved_dependencies;
      implied.insert(deps.begin(), deps.end());
    }
    for (const std::string& dep : revision.resolved_dependencies) {
      if (!implied.count(dep)) revision.normalized_dependencies.push_back(dep);
    }
    for (const std::string& down : revision.NormalizedDownRevisions()) {
      map.links_[i].normalized_down.push_back(map.index_by_key_.at(down));
    }
  }

  // 6. A revision is on no cycle when it is both below a head and above a
  // base; whatever is neither sits on (or hangs off) a cycle.
  auto cycle = [&](Edges up, Edges down, const std::vector<int>& heads,
                   const std::vector<int>& bases, const std::string& kind) -> Status {
    std::vector<std::string> all;
    for (const Revision& revision : map.revisions_) all.push_back(revision.id);
    if (heads.empty() || bases.empty()) {
      return Status::Refused(all.front(), kind + " is detected in revisions (" + Join(all) + ")");
    }
    std::vector<bool> below(count, false), space(count, false);
    for (int index : map.RelatedNoCheck(down, Slots(heads.begin(), heads.end()))) {
      below[index] = true;
    }
    for (int index : map.RelatedNoCheck(up, Slots(bases.begin(), bases.end()))) {
      space[index] = below[index];
    }
    std::vector<std::string> deleted;
    for (int i = 0; i < count; ++i) {
      if (!space[i]) deleted.push_back(map.revisions_[i].id);
    }
    if (deleted.empty()) return Status::Ok();
    std::sort(deleted.begin(), deleted.end());
    return Status::Refused(deleted.front(),
                           kind + " is detected in revisions (" + Join(deleted) + ")");
  };
  if (count > 0) {
    SQLMEND_RETURN_IF_ERROR(cycle(Edges::kNext, Edges::kDown, map.heads_, map.bases_, "Cycle"));
    SQLMEND_RETURN_IF_ERROR(cycle(Edges::kAllNext, Edges::kAllDown, map.real_heads_,
                                  map.real_bases_, "Dependency cycle"));
  }

  // 7. Alembic's _add_branches: a label covers every descendant of the
  // revision declaring it; then, from the last descendant the depth-first
  // walk reached, it runs down the down_revision chain until a branch point
  // (counting dependants) or a merge point. NOTE: Alembic visits labelled
  // revisions in Python set order; this uses input order.
  for (int i = 0; i < count; ++i) {
    if (map.revisions_[i].branch_labels.empty()) continue;
    const std::vector<std::string> labels = map.revisions_[i].effective_branch_labels;
    const std::vector<int> descendants = map.RelatedNoCheck(Edges::kNext, {i});
    for (int node : descendants) {
      for (const std::string& label : labels) {
        AddUnique(map.revisions_[node].effective_branch_labels, label);
      }
    }
    // Iterative: each step moves to a down_revision, and the graph has no
    // cycles (step 6), so this ends within `count` steps.
    for (int parent = descendants.back(); parent >= 0;) {
      Revision& node = map.revisions_[parent];
      if (node.is_real_branch_point() || node.is_merge_point()) break;
      for (const std::string& label : labels) {
        AddUnique(node.effective_branch_labels, label);
      }
      parent = map.links_[parent].down.empty() ? -1 : map.links_[parent].down[0];
    }
  }
  return map;
}

std::vector<std::string> RevisionMap::Ids(const std::vector<int>& indexes) const {
  std::vector<std::string> ids;
  for (int index : indexes) ids.push_back(revisions_[index].id);
  return ids;
}

const Revision* RevisionMap::Find(const std::string& id) const {
  auto found = index_by_key_.find(id);
  if (found == index_by_key_.end() || revisions_[found->second].id != id) {
    return nullptr;
  }
  return &revisions_[found->second];
}

const Revision* RevisionMap::At(Slot slot) const { return slot >= 0 ? &revisions_[slot] : nullptr; }

const std::vector<int>& RevisionMap::EdgesOf(int index, Edges edges) const {
  const Links& links = links_[index];
  switch (edges) {
    case Edges::kDown:
      return links.down;
    case Edges::kNormalizedDown:
      return links.normalized_down;
    case Edges::kAllDown:
      return links.all_down;
    case Edges::kNext:
      return links.next;
    case Edges::kAllNext:
      break;
  }
  return links.all_next;
}

Lookup<std::vector<int>> RevisionMap::Related(Edges edges, const Slots& targets, bool check) const {
  // Alembic's _iterate_related_revisions: one stack shared by all targets,
  // a revision yielded when first popped, its neighbours pushed in order
  // (so the last pushed is visited next). Iterative: no depth limit needed.
  std::vector<int> out;
  std::vector<bool> seen(revisions_.size(), false);
  for (Slot target : targets) {
    if (target < 0) continue;  // None or "base": nothing to walk
    std::vector<int> stack = {target};
    std::vector<int> reached;
    while (!stack.empty()) {
      const int index = stack.back();
      stack.pop_back();
      if (check) reached.push_back(index);
      if (seen[index]) continue;
      seen[index] = true;
      for (int next : EdgesOf(index, edges)) stack.push_back(next);
      out.push_back(index);
    }
    if (!check) continue;
    std::vector<std::string> overlaps;
    for (Slot other : targets) {
      if (other == target || other < 0) continue;
      if (std::find(reached.begin(), reached.end(), other) != reached.end()) {
        AddUnique(overlaps, revisions_[other].id);
      }
    }
    if (!overlaps.empty()) {
      RevisionError error;
      error.message = "Requested revision " + revisions_[target].id +
                      " overlaps with other requested revisions " + Join(overlaps);
      return Fail(error);
    }
  }
  return out;
}

std::vector<int> RevisionMap::RelatedNoCheck(Edges edges, const Slots& targets) const {
  return *Related(edges, targets, /*check=*/false);
}

std::vector<std::string> RevisionMap::IdsReached(const std::vector<std::string>& ids,
                                                 Edges edges) const {
  Slots slots;
  for (const std::string& id : ids) {
    if (Find(id) != nullptr) slots.push_back(index_by_key_.at(id));
  }
  std::vector<int> found = RelatedNoCheck(edges, slots);
  std::sort(found.begin(), found.end());
  return Ids(found);
}

std::vector<std::string> RevisionMap::AncestorIds(const std::vector<std::string>& ids,
                                                  bool include_dependencies) const {
  return IdsReached(ids, include_dependencies ? Edges::kNormalizedDown : Edges::kDown);
}

std::vector<std::string> RevisionMap::DescendantIds(const std::vector<std::string>& ids,
                                                    bool include_dependencies) const {
  return IdsReached(ids, include_dependencies ? Edges::kAllNext : Edges::kNext);
}

}  // namespace sqlmend::graph
