// Resolution of revision identifiers and symbols, and relative walks: the
// counterparts of _resolve_revision_number, _revision_for_ident,
// filter_for_lineage, _shares_lineage and _walk in Alembic's revision.py.
#include <algorithm>
#include <charconv>

#include "graph/revision_map.h"

namespace sqlmend::graph {
namespace {

RevisionError Resolution(std::string message, std::string argument) {
  RevisionError error;
  error.kind = RevisionError::Kind::kResolution;
  error.message = std::move(message);
  error.argument = std::move(argument);
  return error;
}

RevisionError MultipleHeads(std::vector<std::string> heads, std::string argument) {
  RevisionError error;
  error.kind = RevisionError::Kind::kMultipleHeads;
  error.message = "Multiple heads are present for given argument '" + argument + "'; ";
  for (size_t i = 0; i < heads.size(); ++i) {
    error.message += (i ? ", " : "") + heads[i];
  }
  error.heads = std::move(heads);
  error.argument = std::move(argument);
  return error;
}

// Python's int() on a revision argument, for the `-N` form: an optional
// sign and decimal digits. nullopt when `text` is not such a number.
std::optional<long> ParseInt(const std::string& text) {
  size_t start = (!text.empty() && (text[0] == '+' || text[0] == '-')) ? 1 : 0;
  if (start == text.size()) return std::nullopt;
  long value = 0;
  auto [end, error] = std::from_chars(text.data() + start, text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return text[0] == '-' ? -value : value;
}

}  // namespace

Lookup<RevisionMap::Resolved> RevisionMap::ResolveNumber(
    const std::optional<std::string>& id) const {
  Resolved resolved;
  if (!id) return resolved;  // None: base
  std::string symbol = *id;
  const size_t at = symbol.find('@');
  if (at != std::string::npos) {
    // An empty label ("@head") is Python-falsy: treated as no label.
    if (at > 0) resolved.branch_label = symbol.substr(0, at);
    symbol = symbol.substr(at + 1);
  }
  if (symbol == "heads") {
    if (resolved.branch_label) {
      auto filtered = FilterForLineage(heads(), *resolved.branch_label);
      if (!filtered) return Fail(filtered.error());
      resolved.ids = *filtered;
    } else {
      resolved.ids = real_heads();
    }
  } else if (symbol == "head") {
    auto head = GetCurrentHead(resolved.branch_label);
    if (!head) return Fail(head.error());
    if (*head) resolved.ids = {**head};
  } else if (symbol != "base") {
    resolved.ids = {symbol};
  }
  return resolved;
}

Lookup<std::optional<std::string>> RevisionMap::GetCurrentHead(
    const std::optional<std::string>& branch_label) const {
  std::vector<std::string> current = heads();
  if (branch_label) {
    auto filtered = FilterForLineage(current, *branch_label);
    if (!filtered) return Fail(filtered.error());
    current = *filtered;
  }
  if (current.size() > 1) {
    return Fail(
        MultipleHeads(current, branch_label ? *branch_label + "@head" : std::string("head")));
  }
  if (current.empty()) return std::optional<std::string>();
  return std::optional<std::string>(current[0]);
}

Lookup<RevisionMap::Slot> RevisionMap::ResolveBranch(const std::string& label) const {
  auto found = index_by_key_.find(label);
  if (found != index_by_key_.end()) return found->second;
  auto revision = RevisionForIdent(label, std::nullopt);
  if (!revision && revision.error().kind == RevisionError::Kind::kResolution) {
    return Fail(Resolution("No such branch: '" + label + "'", label));
  }
  return revision;
}

Lookup<RevisionMap::Slot> RevisionMap::RevisionForIdent(
    const std::optional<std::string>& id, const std::optional<std::string>& branch) const {
  Slot branch_slot = kNone;
  if (branch) {
    auto resolved = ResolveBranch(*branch);
    if (!resolved) return resolved;
    branch_slot = *resolved;
  }
  if (!id) return kNone;
  Slot slot = kNone;
  if (auto exact = index_by_key_.find(*id); exact != index_by_key_.end()) {
    slot = exact->second;
  } else {
    // A prefix of at least four characters; labels match as well as ids,
    // and keys of three characters or fewer never match partially.
    std::vector<std::string> matches;
    for (const auto& [key, index] : keys_) {
      if (key.size() > 3 && key.compare(0, id->size(), *id) == 0) {
        matches.push_back(key);
      }
    }
    if (branch && !matches.empty()) {
      auto filtered = FilterForLineage(matches, *branch);
      if (!filtered) return Fail(filtered.error());
      matches = *filtered;
    }
    if (matches.empty()) {
      return Fail(Resolution("No such revision or branch '" + *id + "'" +
                                 (id->size() < 4 ? "; please ensure at least four characters "
                                                   "are present for partial revision "
                                                   "identifier matches"
                                                 : ""),
                             *id));
    }
    if (matches.size() > 1) {
      std::string listed;
      for (size_t i = 0; i < matches.size() && i < 3; ++i) {
        listed += (i ? ", '" : "'") + matches[i] + "'";
      }
      return Fail(
          Resolution("Multiple revisions start with '" + *id + "': " + listed + "...", *id));
    }
    slot = index_by_key_.at(matches[0]);
  }
  if (branch) {
    auto shares = SharesLineage(slot, {revisions_[branch_slot].id}, false);
    if (!shares) return Fail(shares.error());
    if (!*shares) {
      return Fail(Resolution(
          "Revision " + revisions_[slot].id + " is not a member of branch '" + *branch + "'", *id));
    }
  }
  return slot;
}

Lookup<bool> RevisionMap::SharesLineage(Slot target, const std::vector<std::string>& against,
                                        bool include_dependencies) const {
  if (against.empty()) return true;
  std::vector<Slot> wanted;
  for (const std::string& id : against) {
    auto slot = RevisionForIdent(id, std::nullopt);
    if (!slot) return Fail(slot.error());
    wanted.push_back(*slot);
  }
  std::vector<int> lineage =
      RelatedNoCheck(include_dependencies ? Edges::kAllNext : Edges::kNext, {target});
  std::vector<int> ancestors =
      RelatedNoCheck(include_dependencies ? Edges::kNormalizedDown : Edges::kDown, {target});
  lineage.insert(lineage.end(), ancestors.begin(), ancestors.end());
  for (Slot slot : wanted) {
    if (std::find(lineage.begin(), lineage.end(), slot) != lineage.end()) {
      return true;
    }
  }
  return false;
}

Lookup<RevisionMap::Slots> RevisionMap::FilterSlots(const Slots& targets,
                                                    const std::optional<std::string>& check_against,
                                                    bool include_dependencies) const {
  auto resolved = ResolveNumber(check_against);
  if (!resolved) return Fail(resolved.error());
  std::vector<std::string> shares;
  if (resolved->branch_label) shares.push_back(*resolved->branch_label);
  shares.insert(shares.end(), resolved->ids.begin(), resolved->ids.end());
  Slots kept;
  for (Slot target : targets) {
    if (target < 0) continue;
    auto shares_lineage = SharesLineage(target, shares, include_dependencies);
    if (!shares_lineage) return Fail(shares_lineage.error());
    if (*shares_lineage) kept.push_back(target);
  }
  return kept;
}

Lookup<std::vector<std::string>> RevisionMap::FilterForLineage(const std::vector<std::string>& ids,
                                                               const std::string& check_against,
                                                               bool include_dependencies) const {
  Slots slots;
  for (const std::string& id : ids) {
    auto slot = RevisionForIdent(id, std::nullopt);
    if (!slot) return Fail(slot.error());
    slots.push_back(*slot);
  }
  auto kept = FilterSlots(slots, check_against, include_dependencies);
  if (!kept) return Fail(kept.error());
  std::vector<std::string> out;
  for (size_t i = 0; i < slots.size(); ++i) {
    if (std::find(kept->begin(), kept->end(), slots[i]) != kept->end()) {
      out.push_back(ids[i]);
    }
  }
  return out;
}

Lookup<RevisionMap::Slots> RevisionMap::RevisionsOfString(
    const std::optional<std::string>& id) const {
  auto resolved = ResolveNumber(id);
  if (!resolved) return Fail(resolved.error());
  Slots out;
  if (resolved->ids.size() == 1) {
    std::optional<long> steps = ParseInt(resolved->ids[0]);
    if (steps && *steps < 0) {
      // `-N` or `label@-N`: N steps down from each head (of the label).
      for (int head : real_heads_) {
        if (resolved->branch_label && !revisions_[head].HasLabel(*resolved->branch_label)) {
          continue;
        }
        // Clamped to int; no graph is a billion revisions deep.
        auto walked =
            Walk(head, static_cast<int>(std::max(*steps, -1'000'000'000L)), std::nullopt, true);
        if (!walked) return Fail(walked.error());
        out.push_back(*walked);
      }
      return out;
    }
  }
  for (const std::string& each : resolved->ids) {
    auto slot = RevisionForIdent(each, resolved->branch_label);
    if (!slot) return Fail(slot.error());
    out.push_back(*slot);
  }
  return out;
}

Lookup<RevisionMap::Slots> RevisionMap::RevisionsOf(const RevisionArg& arg) const {
  if (!arg.is_tuple) {
    return RevisionsOfString(arg.items.empty() ? std::optional<std::string>() : arg.items[0]);
  }
  Slots out;
  for (const std::string& item : arg.items) {
    auto slots = RevisionsOfString(item);
    if (!slots) return slots;
    out.insert(out.end(), slots->begin(), slots->end());
  }
  return out;
}

Lookup<RevisionMap::Slot> RevisionMap::RevisionOf(const std::optional<std::string>& id) const {
  auto resolved = ResolveNumber(id);
  if (!resolved) return Fail(resolved.error());
  if (resolved->ids.size() > 1) {
    return Fail(MultipleHeads(resolved->ids, id.value_or("None")));
  }
  return RevisionForIdent(
      resolved->ids.empty() ? std::nullopt : std::optional<std::string>(resolved->ids[0]),
      resolved->branch_label);
}

Lookup<RevisionMap::Slot> RevisionMap::Walk(Slot start, int steps,
                                            const std::optional<std::string>& branch_label,
                                            bool no_overwalk) const {
  RevisionError ambiguous;
  ambiguous.message = "Ambiguous walk";
  Slot current = start;
  // Iterative, one edge per step.
  for (int step = 0; step < std::abs(steps); ++step) {
    Slots children;
    if (steps > 0) {
      // Up: the children of `current`, or the bases from nothing.
      std::vector<std::string> up = current < 0 ? bases() : revisions_[current].nextrev;
      auto walk_up = RevisionsOf(RevisionArg::Tuple(up));
      if (!walk_up) return Fail(walk_up.error());
      children = *walk_up;
      if (branch_label) {
        auto filtered = FilterSlots(children, branch_label, false);
        if (!filtered) return Fail(filtered.error());
        children = *filtered;
      }
    } else if (current != kBase) {
      // Down along down_revision; below a base lies "base". Alembic walks
      // down from the (versioned) heads when starting from nothing.
      std::vector<std::string> down =
          current == kNone ? heads() : revisions_[current].down_revisions;
      auto walk_down = RevisionsOf(RevisionArg::Tuple(down));
      if (!walk_down) return Fail(walk_down.error());
      children = *walk_down;
      if (children.empty()) children = {kBase};
    }
    if (children.empty()) return no_overwalk ? kNone : current;
    if (children.size() > 1) return Fail(ambiguous);
    current = children[0];
  }
  return current;
}

Lookup<const Revision*> RevisionMap::GetRevision(const std::string& identifier) const {
  auto slot = RevisionOf(identifier);
  if (!slot) return Fail(slot.error());
  return At(*slot);
}

Lookup<std::vector<const Revision*>> RevisionMap::GetRevisions(const RevisionArg& arg) const {
  auto slots = RevisionsOf(arg);
  if (!slots) return Fail(slots.error());
  std::vector<const Revision*> out;
  for (Slot slot : *slots) out.push_back(At(slot));
  return out;
}

}  // namespace sqlmend::graph
