// Ordered iteration over a RevisionMap: what an upgrade, a downgrade or a
// history range covers, and the topological order Alembic emits it in
// (_parse_upgrade_target, _parse_downgrade_target, _collect_*_revisions and
// _topological_sort in Alembic's revision.py).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "graph/revision_map.h"

namespace sqlmend::graph {
namespace {

RevisionError Plain(std::string message) {
  RevisionError error;
  error.message = std::move(message);
  return error;
}

// A relative destination, Alembic's `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)` applied
// with re.match: anchored at the start only, so trailing text is ignored.
struct Relative {
  std::optional<std::string> branch_label;
  std::optional<std::string> symbol;
  std::string relative;  // sign and digits, as typed ("+2", "-1")
  long steps = 0;
};

constexpr long kMaxSteps = 1'000'000'000;

bool IsWordChar(unsigned char c) {
  return std::isalnum(c) || c == '_' || c >= 0x80;  // \w, Unicode-ish
}

// Matches `(\w+)?([+-]\d+)` at the start of `text`.
std::optional<Relative> MatchSymbolAndSteps(const std::string& text) {
  size_t word = 0;
  while (word < text.size() && IsWordChar(text[word])) ++word;
  // Backtracking a shorter \w+ leaves a word character where the sign must
  // be, so only the longest symbol, or none, can match.
  if (word + 1 >= text.size() || (text[word] != '+' && text[word] != '-') ||
      !std::isdigit(static_cast<unsigned char>(text[word + 1]))) {
    return std::nullopt;
  }
  size_t end = word + 1;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) {
    ++end;
  }
  Relative relative;
  if (word > 0) relative.symbol = text.substr(0, word);
  relative.relative = text.substr(word, end - word);
  // Clamped: a walk of a billion steps fails as surely as a longer one,
  // and std::stol would throw on overflow.
  long steps = 0;
  const char* digits = text.data() + word + 1;
  if (std::from_chars(digits, text.data() + end, steps).ec != std::errc()) {
    steps = kMaxSteps;
  }
  relative.steps = std::min(steps, kMaxSteps);
  if (text[word] == '-') relative.steps = -relative.steps;
  return relative;
}

std::optional<Relative> MatchRelative(const std::string& text) {
  // The optional `label@` group is tried first, with the shortest label.
  for (size_t at = text.find('@', 1); at != std::string::npos; at = text.find('@', at + 1)) {
    if (auto relative = MatchSymbolAndSteps(text.substr(at + 1))) {
      relative->branch_label = text.substr(0, at);
      return relative;
    }
  }
  return MatchSymbolAndSteps(text);
}

// How Python prints `x or "base"` for a str, a tuple or None.
std::string RangeEnd(const RevisionArg& arg) {
  if (arg.is_none()) return "base";
  if (!arg.is_tuple) return arg.items[0];
  return PythonTupleRepr(arg.items);
}

std::string DidNotProduce(const std::string& relative, long steps) {
  return "Relative revision " + relative + " didn't produce " + std::to_string(std::abs(steps)) +
         " migrations";
}

}  // namespace

Lookup<RevisionMap::Slots> RevisionMap::ParseUpgradeTarget(const RevisionArg& current,
                                                           const RevisionArg& target,
                                                           bool assert_relative_length) const {
  std::optional<Relative> match;
  if (!target.is_tuple) match = MatchRelative(target.items[0]);
  if (!match) return RevisionsOf(target);
  const auto& label = match->branch_label;
  if (match->steps > 0 && !match->symbol) {
    // `+N` or `label@+N`: N steps up from the one current head involved.
    Slot start = kNone;
    if (label) {
      auto currents = RevisionsOf(RevisionArg::Tuple(current.items));
      if (!currents) return Fail(currents.error());
      auto on_branch = FilterSlots(*currents, label, false);
      if (!on_branch) return Fail(on_branch.error());
      Slots starts = *on_branch;
      if (starts.empty()) {
        // The branch has no current head: start from the tips of what is
        // applied on that branch, or from nothing.
        auto active = FilterSlots(RelatedNoCheck(Edges::kNormalizedDown, *currents), label, false);
        if (!active) return Fail(active.error());
        std::set<int> below;
        for (int index : *active) {
          for (int down : links_[index].normalized_down) below.insert(down);
        }
        for (int index : *active) {
          if (!below.count(index)) starts.push_back(index);
        }
        if (starts.empty()) starts = {kNone};
      }
      if (starts.size() > 1) {
        return Fail(Plain("Ambiguous upgrade from multiple current revisions"));
      }
      start = starts[0];
    } else if (!current.items.empty()) {
      if (current.items.size() > 1) {
        return Fail(Plain("Ambiguous upgrade from multiple current revisions"));
      }
      auto slot = RevisionOf(current.items[0]);
      if (!slot) return Fail(slot.error());
      start = *slot;
    }
    auto walked = Walk(start, static_cast<int>(match->steps), label, assert_relative_length);
    if (!walked) return Fail(walked.error());
    if (*walked == kNone) {
      return Fail(Plain(DidNotProduce(match->relative, match->steps)));
    }
    return Slots{*walked};
  }
  if (match->steps > 0) {
    // `<rev>+N`: relative to a named revision, not to the database.
    auto start = RevisionOf(match->symbol);
    if (!start) return Fail(start.error());
    auto walked = Walk(*start, static_cast<int>(match->steps), label, assert_relative_length);
    if (!walked) return Fail(walked.error());
    // NOTE: Alembic fails an assertion here; sqlmend says why.
    if (*walked == kNone) {
      return Fail(Plain(DidNotProduce(match->relative, match->steps)));
    }
    return Slots{*walked};
  }
  if (!match->symbol) {
    // Upgrading to current - N is not valid; Python prints the int.
    return Fail(Plain(DidNotProduce(std::to_string(match->steps), match->steps)));
  }
  auto start = RevisionOf(label ? *label + "@" + *match->symbol : *match->symbol);
  if (!start) return Fail(start.error());
  auto walked = Walk(*start, static_cast<int>(match->steps), std::nullopt, assert_relative_length);
  if (!walked) return Fail(walked.error());
  return Slots{*walked};
}

Lookup<std::pair<std::optional<std::string>, RevisionMap::Slot>> RevisionMap::ParseDowngradeTarget(
    const RevisionArg& current, const RevisionArg& target, bool assert_relative_length) const {
  using Parsed = std::pair<std::optional<std::string>, Slot>;
  if (target.is_none()) return Parsed{std::nullopt, kNone};
  const std::string text = target.items[0];
  if (auto match = MatchRelative(text)) {
    std::optional<std::string> label = match->branch_label;
    if (match->steps >= 0) {
      if (!match->symbol) {
        // Downgrading to current + N is not valid.
        return Fail(Plain(DidNotProduce(match->relative, match->steps)));
      }
      auto start = RevisionOf(match->symbol);
      if (!start) return Fail(start.error());
      auto walked = Walk(*start, static_cast<int>(match->steps), label, assert_relative_length);
      if (!walked) return Fail(walked.error());
      if (*walked == kNone) return Fail(Plain("Walked too far"));
      return Parsed{label, *walked};
    }
    const bool relative_to_current = !match->symbol;
    std::string symbol = match->symbol.value_or("");
    if (relative_to_current) {
      if (label) {
        // `label@-N`: from the current head on that branch, looking at what
        // the heads imply when the branch has no head of its own.
        auto on_branch = FilterForLineage(current.items, *label);
        if (!on_branch) return Fail(on_branch.error());
        std::vector<std::string> symbols = *on_branch;
        if (symbols.empty()) {
          auto all_current = GetAllCurrent(current.items);
          if (!all_current) return Fail(all_current.error());
          Slots slots;
          for (const Revision* revision : *all_current) {
            slots.push_back(static_cast<int>(revision - revisions_.data()));
          }
          auto filtered = FilterSlots(slots, label, false);
          if (!filtered) return Fail(filtered.error());
          symbols = Ids(*filtered);
        }
        // NOTE: Alembic asserts exactly one; sqlmend reports the walk.
        if (symbols.size() != 1) {
          return Fail(Plain(DidNotProduce(match->relative, match->steps)));
        }
        symbol = symbols[0];
      } else {
        if (current.items.empty()) {
          return Fail(Plain(DidNotProduce(match->relative, match->steps)));
        }
        // Alembic warns that -N from several heads is ambiguous and takes
        // the first, restricted to its own branch.
        symbol = current.items[0];
        label = symbol;
      }
    }
    auto start = RevisionOf(label ? *label + "@" + symbol : symbol);
    if (!start) return Fail(start.error());
    auto walked =
        Walk(*start, static_cast<int>(match->steps), std::nullopt, assert_relative_length);
    if (!walked) return Fail(walked.error());
    if (*walked == kNone) {
      return Fail(Plain(relative_to_current ? DidNotProduce(match->relative, match->steps)
                                            : "Walked too far"));
    }
    return Parsed{label, *walked};
  }
  // Absolute: `label@rev` keeps the label for filtering; the revision part
  // (after the last '@') is resolved on its own.
  const size_t at = text.rfind('@');
  std::optional<std::string> label;
  if (at != std::string::npos && at > 0) label = text.substr(0, at);
  auto slot = RevisionOf(at == std::string::npos ? text : text.substr(at + 1));
  if (!slot) return Fail(slot.error());
  return Parsed{label, *slot};
}

Lookup<RevisionMap::Collected> RevisionMap::CollectUpgrade(const RevisionArg& upper,
                                                           const RevisionArg& lower,
                                                           const IterateOptions& options) const {
  auto parsed = ParseUpgradeTarget(lower, upper, options.assert_relative_length);
  if (!parsed) return Fail(parsed.error());
  Slots targets;
  for (Slot slot : *parsed) {
    if (slot >= 0) targets.push_back(slot);  // Alembic asserts revisions
  }

  // A lower bound `label@...` keeps only targets on that branch.
  if (!lower.is_tuple && lower.items[0].find('@') != std::string::npos) {
    std::string branch = lower.items[0].substr(0, lower.items[0].find('@'));
    auto branch_slot = RevisionOf(branch);
    if (!branch_slot) return Fail(branch_slot.error());
    if (*branch_slot >= 0 && revisions_[*branch_slot].id == branch &&
        !revisions_[*branch_slot].effective_branch_labels.empty()) {
      // A revision id used as a label stands for its branch.
      branch = revisions_[*branch_slot].effective_branch_labels[0];
    }
    Slots kept;
    for (Slot slot : targets) {
      if (revisions_[slot].HasLabel(branch)) kept.push_back(slot);
    }
    targets = kept;
  }

  auto required_list = Related(Edges::kNormalizedDown, targets, true);
  if (!required_list) return Fail(required_list.error());
  std::set<int> required(required_list->begin(), required_list->end());
  required.insert(targets.begin(), targets.end());

  auto currents = RevisionsOf(lower);
  if (!currents) return Fail(currents.error());
  RevisionArg effective_lower = lower;
  if (!options.implicit_base) {
    for (Slot slot : *currents) {
      if (slot == kNone || (slot >= 0 && required.count(slot))) continue;
      RevisionError error;
      error.kind = RevisionError::Kind::kRangeNotAncestor;
      error.lower = RangeEnd(lower);
      error.upper = RangeEnd(upper);
      error.message = "Revision " + error.lower + " is not an ancestor of revision " + error.upper;
      return Fail(error);
    }
  }
  if (!currents->empty() && (*currents)[0] == kNone) {
    // A relative lower bound that walked off the heads: resolve it as a
    // downgrade target from the upper bound instead.
    auto parsed_lower = ParseDowngradeTarget(upper, lower, options.assert_relative_length);
    if (!parsed_lower) return Fail(parsed_lower.error());
    if (parsed_lower->second < 0) {
      currents = Slots{};
      effective_lower = RevisionArg();
    } else {
      currents = Slots{parsed_lower->second};
      effective_lower = RevisionArg::Symbol(revisions_[parsed_lower->second].id);
    }
  }

  auto current_list = Related(Edges::kNormalizedDown, *currents, true);
  if (!current_list) return Fail(current_list.error());
  std::set<int> current_set(current_list->begin(), current_list->end());
  for (Slot slot : *currents) {
    if (slot >= 0) current_set.insert(slot);
  }
  std::set<int> needs;
  for (int index : required) {
    if (!current_set.count(index)) needs.insert(index);
  }
  if (options.inclusive) {
    auto lowers = RevisionsOf(effective_lower);
    if (!lowers) return Fail(lowers.error());
    for (Slot slot : *lowers) {
      if (slot >= 0) needs.insert(slot);
    }
  }
  if (!currents->empty() && !options.implicit_base) {
    auto descendants = Related(Edges::kNext, *currents, true);
    if (!descendants) return Fail(descendants.error());
    std::set<int> below(descendants->begin(), descendants->end());
    std::erase_if(needs, [&](int index) { return !below.count(index); });
  }
  return Collected{std::vector<int>(needs.begin(), needs.end()), targets};
}

Lookup<RevisionMap::Collected> RevisionMap::CollectDowngrade(const RevisionArg& upper,
                                                             const RevisionArg& target,
                                                             const IterateOptions& options) const {
  auto parsed = ParseDowngradeTarget(upper, target, options.assert_relative_length);
  if (!parsed) return Fail(parsed.error());
  const std::optional<std::string>& label = parsed->first;
  const Slot target_slot = parsed->second < 0 ? kNone : parsed->second;

  // What to drop starts at the target's children, at the target itself
  // (inclusive), or at every root (down to base).
  Slots roots;
  if (target_slot == kNone) {
    for (int i = 0; i < static_cast<int>(revisions_.size()); ++i) {
      if (revisions_[i].down_revisions.empty()) roots.push_back(i);
    }
  } else if (options.inclusive) {
    roots = {target_slot};
  } else {
    auto children = RevisionsOf(RevisionArg::Tuple(revisions_[target_slot].nextrev));
    if (!children) return Fail(children.error());
    roots = *children;
  }
  if (label && roots.size() > 1) {
    auto branch = ResolveBranch(*label);
    if (!branch) return Fail(branch.error());
    std::vector<int> ancestors = RelatedNoCheck(Edges::kDown, {*branch});
    std::erase_if(roots, [&](Slot slot) {
      return std::find(ancestors.begin(), ancestors.end(), slot) == ancestors.end();
    });
    if (roots.empty()) {
      return Fail(Plain("Not a valid downgrade target from current heads"));
    }
  }

  auto heads = RevisionsOf(upper);
  if (!heads) return Fail(heads.error());
  // Drop the roots' descendants (dependants too) that are applied now.
  std::vector<int> dropped = RelatedNoCheck(Edges::kAllNext, roots);
  std::vector<int> active = RelatedNoCheck(Edges::kNormalizedDown, *heads);
  std::set<int> active_set(active.begin(), active.end());
  std::set<int> downgrade;
  for (int index : dropped) {
    if (active_set.count(index)) downgrade.insert(index);
  }
  if (options.implicit_base) {
    std::vector<int> kept = RelatedNoCheck(Edges::kNormalizedDown, roots);
    std::set<int> kept_set(kept.begin(), kept.end());
    for (int index : active) {
      if (!kept_set.count(index)) downgrade.insert(index);
    }
  }
  if (target_slot != kNone && downgrade.empty() &&
      std::find(heads->begin(), heads->end(), target_slot) == heads->end()) {
    RevisionError error;
    error.kind = RevisionError::Kind::kRangeNotAncestor;
    error.lower = "Nothing to drop";
    error.upper = RangeEnd(upper);
    error.message = "Revision " + error.lower + " is not an ancestor of revision " + error.upper;
    return Fail(error);
  }
  return Collected{std::vector<int>(downgrade.begin(), downgrade.end()), *heads};
}

std::vector<int> RevisionMap::TopologicalSort(const std::vector<int>& revisions,
                                              const Slots& heads) const {
  // Alembic's _topological_sort:
  //  1. start from the given heads that are to be emitted, in map order;
  //  2. take the current candidate unless another start's ancestry contains
  //     it (then switch to that start: it must go first);
  //  3. emit it and replace it by its down revisions still to emit (the
  //     first in place, the rest appended), or drop it when there are none.
  // Heads keep their ancestor sets so step 2 is a lookup.
  std::set<int> todo(revisions.begin(), revisions.end());
  auto ancestors_of = [&](int index) {
    std::vector<int> found = RelatedNoCheck(Edges::kNormalizedDown, {index});
    return std::set<int>(found.begin(), found.end());
  };
  std::vector<int> current;
  for (Slot head : heads) {
    if (head >= 0 && todo.count(head) &&
        std::find(current.begin(), current.end(), head) == current.end()) {
      current.push_back(head);
    }
  }
  std::sort(current.begin(), current.end());
  std::vector<std::set<int>> ancestors;
  for (int head : current) ancestors.push_back(ancestors_of(head));

  std::vector<int> output;
  size_t candidate_index = 0;
  while (!current.empty()) {
    const int candidate = current[candidate_index];
    bool blocked = false;
    for (size_t other = 0; other < ancestors.size(); ++other) {
      if (other != candidate_index && ancestors[other].count(candidate)) {
        candidate_index = other;
        blocked = true;
        break;
      }
    }
    if (blocked) continue;
    if (todo.erase(candidate)) output.push_back(candidate);
    std::vector<int> to_add;
    for (int down : links_[candidate].normalized_down) {
      if (todo.count(down) && std::find(current.begin(), current.end(), down) == current.end()) {
        to_add.push_back(down);
      }
    }
    if (to_add.empty()) {
      current.erase(current.begin() + candidate_index);
      ancestors.erase(ancestors.begin() + candidate_index);
      candidate_index = candidate_index > 0 ? candidate_index - 1 : 0;
      continue;
    }
    const Revision& revision = revisions_[candidate];
    current[candidate_index] = to_add[0];
    if (revision.normalized_dependencies.empty() && revision.down_revisions.size() == 1) {
      // Plain movement down a line: the ancestor set just loses the
      // candidate.
      ancestors[candidate_index].erase(candidate);
    } else {
      ancestors[candidate_index] = ancestors_of(to_add[0]);
      for (size_t i = 1; i < to_add.size(); ++i) {
        current.push_back(to_add[i]);
        ancestors.push_back(ancestors_of(to_add[i]));
      }
    }
  }
  return output;
}

RevisionMap::Slots RevisionMap::FilterIntoBranchHeads(const Slots& targets) const {
  // A target stays when no other target descends from it. Every revision
  // below some target (`down` edges, the inverse of `next`) has one, and a
  // single walk from all targets marks them all: linear in the map, where
  // a walk of the descendants of each target was quadratic (`current` on a
  // 100,000-revision chain ran for minutes).
  std::vector<bool> below(revisions_.size(), false);
  std::vector<int> stack;
  for (Slot target : targets) {
    if (target < 0) continue;
    for (int down : EdgesOf(target, Edges::kDown)) stack.push_back(down);
  }
  while (!stack.empty()) {
    const int index = stack.back();
    stack.pop_back();
    if (below[index]) continue;
    below[index] = true;
    for (int down : EdgesOf(index, Edges::kDown)) stack.push_back(down);
  }
  Slots kept;
  for (Slot target : targets) {
    if (target >= 0 && !below[target]) kept.push_back(target);
  }
  return kept;
}

Lookup<std::vector<const Revision*>> RevisionMap::GetAllCurrent(
    const std::vector<std::string>& ids) const {
  auto top = RevisionsOf(RevisionArg::Tuple(ids));
  if (!top) return Fail(top.error());
  std::set<int> all;
  for (Slot slot : *top) {
    if (slot >= 0) all.insert(slot);
  }
  for (int index : RelatedNoCheck(Edges::kNormalizedDown, *top)) all.insert(index);
  // NOTE: Alembic returns a set; map order here.
  std::vector<const Revision*> out;
  for (Slot slot : FilterIntoBranchHeads(Slots(all.begin(), all.end()))) {
    out.push_back(At(slot));
  }
  return out;
}

Lookup<std::vector<const Revision*>> RevisionMap::IterateRevisions(
    const RevisionArg& upper, const RevisionArg& lower, const IterateOptions& options) const {
  auto collected = options.select_for_downgrade ? CollectDowngrade(upper, lower, options)
                                                : CollectUpgrade(upper, lower, options);
  if (!collected) return Fail(collected.error());
  std::vector<const Revision*> out;
  for (int index : TopologicalSort(collected->revisions, collected->heads)) {
    out.push_back(At(index));
  }
  return out;
}

}  // namespace sqlmend::graph
