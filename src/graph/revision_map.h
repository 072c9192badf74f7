// RevisionMap: the revision graph of a script directory, with Alembic's
// rules for naming, walking and ordering revisions.
//
// This is sqlmend's counterpart of RevisionMap in alembic/script/revision.py
// (Alembic 1.8.1), reimplemented from its documented and observed behaviour
// and checked against the real `alembic` in tests/graph. It is pure: no
// files, no SQLite. `script` builds it from revision files; `migrate` and
// `commands` ask it what to run and in which order (see plan.h, history.h).
//
// Order matters and follows the input: the vector given to Build() plays the
// part of Alembic's directory listing, so heads(), bases(), partial-id
// matches and every topological order come out as Alembic prints them for
// files listed in that order. Where Alembic iterates a Python set (whose
// order changes from run to run) this map uses input order instead; those
// places are marked NOTE in the sources.
//
// Identifiers accepted wherever Alembic accepts a revision argument:
//   <id> or a unique prefix of 4+ characters; a branch label (names the
//   revision declaring it); `head` (the single head; fails on several),
//   `heads` (all, counting dependency-only heads as not heads), `base`;
//   `<label>@head`, `<label>@heads`, `<label>@base`, `<label>@<id>` (the id
//   must share the label's lineage), `<id>@head` (the id used as a branch);
//   `-N` and `<label>@-N` (N steps down from the heads).
// Relative targets `+N`, `<id>+N`, `<label>@+N`, `<id>-N` are understood by
// the iteration functions, which know the current heads.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "graph/revision.h"
#include "graph/revision_error.h"

namespace sqlmend::graph {

// An argument as Alembic's functions receive it: either one string the user
// typed (which may hold symbols, '@' and relative steps) or a tuple of ids
// (the rows of the version table). The difference matters: only a string is
// parsed for `label@` and `+N`. A default-constructed RevisionArg is Python's
// None, which behaves as the empty tuple ("base").
struct RevisionArg {
  std::vector<std::string> items;
  bool is_tuple = true;

  static RevisionArg Symbol(std::string text) { return {{std::move(text)}, false}; }
  static RevisionArg Tuple(std::vector<std::string> ids) { return {std::move(ids), true}; }
  bool is_none() const { return is_tuple && items.empty(); }
};

// How IterateRevisions selects revisions (the keyword arguments of
// RevisionMap.iterate_revisions).
struct IterateOptions {
  // Upgrade: also walk branches that do not descend from `lower` (what
  // `upgrade` uses). Downgrade: also wind other branches back to base.
  bool implicit_base = false;
  // Include `lower` itself (history ranges are inclusive).
  bool inclusive = false;
  // Fail when a relative step (+N/-N) walks off the graph instead of
  // stopping at its edge.
  bool assert_relative_length = true;
  // Collect what a downgrade from `upper` to `lower` removes.
  bool select_for_downgrade = false;
};

class RevisionMap {
 public:
  // Links `revisions` (in directory order) into a map. Fails, as Alembic
  // does, on:
  //   a revision id containing '@', '-' or '+': "Character(s) '<c>' not
  //     allowed in revision identifier '<id>'";
  //   a revision listing itself: "Self-loop is detected in revisions (<id>)"
  //     or "Dependency self-loop is detected in revisions (<id>)";
  //   an id used twice: "Revision <id> is present more than once" (NOTE:
  //     Alembic only warns and keeps the last file; sqlmend refuses);
  //   a label already used as a label or id: "Branch name '<label>' in
  //     revision <id> already used by revision <other>";
  //   a down_revision or depends_on naming nothing: "Revision <missing>
  //     referenced from <id> is not present" (Alembic warns this, then dies
  //     with a KeyError);
  //   cycles: "Cycle is detected in revisions (<ids>)", then, counting
  //     depends_on, "Dependency cycle is detected in revisions (<ids>)".
  // The Status is kRefused with the offending revision as its object.
  static base::Result<RevisionMap> Build(std::vector<Revision> revisions);

  RevisionMap() = default;

  // Every revision in map order (the order given to Build), derived fields
  // filled in. Pointers into it stay valid while the map lives.
  const std::vector<Revision>& revisions() const { return revisions_; }
  bool empty() const { return revisions_.empty(); }

  // Revisions nothing names as down_revision (`alembic heads`), in map
  // order. A revision only depended upon still counts ("effective head").
  std::vector<std::string> heads() const { return Ids(heads_); }
  // Revisions nothing names as down_revision or dependency: what `heads`
  // resolves to (`alembic heads --resolve-dependencies`).
  std::vector<std::string> real_heads() const { return Ids(real_heads_); }
  // Revisions without down_revision, in map order.
  std::vector<std::string> bases() const { return Ids(bases_); }
  // Revisions without down_revision and without dependencies.
  std::vector<std::string> real_bases() const { return Ids(real_bases_); }

  // The revision with exactly this id, or nullptr. No symbols, no prefixes.
  const Revision* Find(const std::string& id) const;

  // get_revision: one revision for an identifier (see the file comment), or
  // nullptr for `base`. Errors: kResolution "No such revision or branch
  // '<id>'" (plus "; please ensure at least four characters are present for
  // partial revision identifier matches" under four characters), "Multiple
  // revisions start with '<id>': '<a>', '<b>', '<c>'...", "No such branch:
  // '<label>'", "Revision <id> is not a member of branch '<label>'";
  // kMultipleHeads when the identifier names several heads.
  Lookup<const Revision*> GetRevision(const std::string& identifier) const;

  // get_revisions: every revision an argument names; `heads` gives several,
  // `base` none. A `-N` that walks past the base yields nullptr entries.
  Lookup<std::vector<const Revision*>> GetRevisions(const RevisionArg& arg) const;

  // get_current_head: the single head (of `branch_label`'s lineage when
  // given), nullopt when the map is empty. kMultipleHeads with argument
  // "head" or "<label>@head" when there are several.
  Lookup<std::optional<std::string>> GetCurrentHead(
      const std::optional<std::string>& branch_label = std::nullopt) const;

  // filter_for_lineage: the members of `ids` that are an ancestor or a
  // descendant of (or equal to) what `check_against` names, in input order.
  Lookup<std::vector<std::string>> FilterForLineage(const std::vector<std::string>& ids,
                                                    const std::string& check_against,
                                                    bool include_dependencies = false) const;

  // iterate_revisions: the revisions between `upper` and `lower`, newest
  // first, in Alembic's topological order. An upgrade runs this list
  // backwards; a downgrade (select_for_downgrade) runs it as is.
  Lookup<std::vector<const Revision*>> IterateRevisions(const RevisionArg& upper,
                                                        const RevisionArg& lower,
                                                        const IterateOptions& options) const;

  // _get_all_current: the heads of the version table `ids` plus everything
  // they imply, reduced to branch tips (`alembic current` prints these), in
  // map order.
  Lookup<std::vector<const Revision*>> GetAllCurrent(const std::vector<std::string>& ids) const;

  // Ancestor or descendant ids of `ids` (each included), in map order.
  // With include_dependencies, depends_on edges count.
  std::vector<std::string> AncestorIds(const std::vector<std::string>& ids,
                                       bool include_dependencies) const;
  std::vector<std::string> DescendantIds(const std::vector<std::string>& ids,
                                         bool include_dependencies) const;

 private:
  // A resolved position: a revision index, or one of two non-revisions that
  // Alembic keeps apart (Python's None and the string "base").
  using Slot = int;
  static constexpr Slot kNone = -1;
  static constexpr Slot kBase = -2;
  using Slots = std::vector<Slot>;

  // The edge set a traversal follows.
  enum class Edges { kDown, kNormalizedDown, kNext, kAllNext, kAllDown };
  struct Links {
    std::vector<int> down, normalized_down, all_down, next, all_next;
  };

  std::vector<std::string> Ids(const std::vector<int>& indexes) const;
  const Revision* At(Slot slot) const;
  const std::vector<int>& EdgesOf(int index, Edges edges) const;
  // _iterate_related_revisions: depth-first, in Alembic's yield order. With
  // `check`, fails when one target reaches another.
  Lookup<std::vector<int>> Related(Edges edges, const Slots& targets, bool check) const;
  std::vector<int> RelatedNoCheck(Edges edges, const Slots& targets) const;
  // The ids reached from `ids` (exact ids only) along `edges`, map order.
  std::vector<std::string> IdsReached(const std::vector<std::string>& ids, Edges edges) const;

  // Resolution, mirroring the private helpers of RevisionMap.
  struct Resolved {
    std::vector<std::string> ids;
    std::optional<std::string> branch_label;
  };
  Lookup<Resolved> ResolveNumber(const std::optional<std::string>& id) const;
  Lookup<Slots> RevisionsOf(const RevisionArg& arg) const;
  Lookup<Slots> RevisionsOfString(const std::optional<std::string>& id) const;
  Lookup<Slot> RevisionOf(const std::optional<std::string>& id) const;
  Lookup<Slot> RevisionForIdent(const std::optional<std::string>& id,
                                const std::optional<std::string>& branch) const;
  Lookup<Slot> ResolveBranch(const std::string& label) const;
  Lookup<bool> SharesLineage(Slot target, const std::vector<std::string>& against,
                             bool include_dependencies) const;
  Lookup<Slots> FilterSlots(const Slots& targets, const std::optional<std::string>& check_against,
                            bool include_dependencies) const;
  Lookup<Slot> Walk(Slot start, int steps, const std::optional<std::string>& branch_label,
                    bool no_overwalk) const;

  // Iteration, mirroring _parse_*_target and _collect_*_revisions.
  struct Collected {
    std::vector<int> revisions;  // unordered set, as indexes
    Slots heads;                 // where the topological sort starts
  };
  Lookup<Slots> ParseUpgradeTarget(const RevisionArg& current, const RevisionArg& target,
                                   bool assert_relative_length) const;
  Lookup<std::pair<std::optional<std::string>, Slot>> ParseDowngradeTarget(
      const RevisionArg& current, const RevisionArg& target, bool assert_relative_length) const;
  Lookup<Collected> CollectUpgrade(const RevisionArg& upper, const RevisionArg& lower,
                                   const IterateOptions& options) const;
  Lookup<Collected> CollectDowngrade(const RevisionArg& upper, const RevisionArg& target,
                                     const IterateOptions& options) const;
  std::vector<int> TopologicalSort(const std::vector<int>& revisions, const Slots& heads) const;
  Slots FilterIntoBranchHeads(const Slots& targets) const;

  std::vector<Revision> revisions_;
  std::vector<Links> links_;
  // Revision ids, then branch labels (each naming the revision declaring
  // it), in that order: the keys Alembic's partial matching scans.
  std::vector<std::pair<std::string, int>> keys_;
  std::unordered_map<std::string, int> index_by_key_;
  std::vector<int> heads_, real_heads_, bases_, real_bases_;
};

}  // namespace sqlmend::graph
