// Revision: one node of an Alembic revision graph, as a revision file
// declares it, plus what RevisionMap::Build derives from its neighbours.
//
// The fields mirror the module-level names of an Alembic revision file:
// `revision`, `down_revision`, `branch_labels` and `depends_on`. A file's
// scalar `down_revision = "a"` becomes a one-element vector and `None`
// becomes an empty one. The derived fields follow alembic/script/revision.py
// (1.8.1): `nextrev` counts only `down_revision` edges, the `all_` variants
// count `depends_on` edges too, and a dependency that an ancestor already
// depends on is dropped from `normalized_dependencies`.
#pragma once

#include <string>
#include <vector>

namespace sqlmend::graph {

struct Revision {
  // --- Declared by the revision file ---------------------------------------
  std::string id;                           // `revision`
  std::vector<std::string> down_revisions;  // `down_revision`; empty: a base
  std::vector<std::string> branch_labels;   // `branch_labels`, as declared
  std::vector<std::string> depends_on;      // ids or branch labels
  std::string doc;                          // first paragraph of the docstring ("" when none)
  std::string path;                         // where the file lives; only carried for callers

  // --- Derived by RevisionMap::Build (empty before) ------------------------
  // Revisions whose `down_revision` names this one, in map order.
  std::vector<std::string> nextrev;
  // Revisions whose `down_revision` or `depends_on` names this one.
  std::vector<std::string> all_nextrev;
  // `depends_on` with branch labels replaced by the revision declaring them.
  std::vector<std::string> resolved_dependencies;
  // resolved_dependencies minus those some ancestor already depends on.
  std::vector<std::string> normalized_dependencies;
  // Every label that applies to this revision: its own plus those Alembic
  // spreads along the branch (descendants of a labelled revision, and its
  // ancestors down to the nearest branch point or merge point).
  std::vector<std::string> effective_branch_labels;

  // No revision names this one as its down_revision (`is_head`).
  bool is_head() const { return nextrev.empty(); }
  // Not even a dependency points here (`_is_real_head`).
  bool is_real_head() const { return all_nextrev.empty(); }
  // No down_revision (`is_base`); it may still have dependencies.
  bool is_base() const { return down_revisions.empty(); }
  // No down_revision and no dependencies (`_is_real_base`).
  bool is_real_base() const { return down_revisions.empty() && depends_on.empty(); }
  // More than one revision continues from here (`is_branch_point`).
  bool is_branch_point() const { return nextrev.size() > 1; }
  // As above, counting dependants too (`_is_real_branch_point`).
  bool is_real_branch_point() const { return all_nextrev.size() > 1; }
  // More than one down_revision (`is_merge_point`).
  bool is_merge_point() const { return down_revisions.size() > 1; }
  // True when `label` is among effective_branch_labels.
  bool HasLabel(const std::string& label) const;

  // down_revisions followed by resolved_dependencies, duplicates removed
  // (`_all_down_revisions`).
  std::vector<std::string> AllDownRevisions() const;
  // down_revisions followed by normalized_dependencies, duplicates removed
  // (`_normalized_down_revisions`): what an upgrade step starts from.
  std::vector<std::string> NormalizedDownRevisions() const;
};

// Builds a Revision in one line, the way tests and fixtures declare graphs:
// Rev("c", {"a", "b"}) is a merge of a and b.
Revision Rev(std::string id, std::vector<std::string> down_revisions = {},
             std::vector<std::string> branch_labels = {}, std::vector<std::string> depends_on = {},
             std::string doc = "");

}  // namespace sqlmend::graph
