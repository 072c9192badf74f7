#include "graph/history.h"

namespace sqlmend::graph {
namespace {

// A history bound: `current` becomes the rows (a tuple), an empty tuple of
// rows falls back to the default as Python's `x or "heads"` does.
RevisionArg Bound(const std::optional<std::string>& side,
                  const std::vector<std::string>& current_heads, const char* fallback) {
  if (side && *side == "current") {
    if (current_heads.empty()) return RevisionArg::Symbol(fallback);
    return RevisionArg::Tuple(current_heads);
  }
  if (!side || side->empty()) return RevisionArg::Symbol(fallback);
  return RevisionArg::Symbol(*side);
}

// How Alembic formats a bound inside its range error.
std::string Describe(const RevisionArg& arg) {
  return arg.is_tuple ? PythonTupleRepr(arg.items) : arg.items[0];
}

}  // namespace

base::Result<HistoryRange> ParseHistoryRange(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r\n\f\v");
  const size_t last = text.find_last_not_of(" \t\r\n\f\v");
  const std::string trimmed =
      first == std::string::npos ? "" : text.substr(first, last - first + 1);
  const size_t colon = trimmed.find(':');
  if (colon == std::string::npos || trimmed.find(':', colon + 1) != std::string::npos) {
    return base::Fail(
        base::Status::Usage(text, "History range requires [start]:[end], [start]:, or :[end]"));
  }
  HistoryRange range;
  if (colon > 0) range.start = trimmed.substr(0, colon);
  if (colon + 1 < trimmed.size()) range.end = trimmed.substr(colon + 1);
  return range;
}

base::Result<std::vector<const Revision*>> History(const RevisionMap& map,
                                                   const HistoryRange& range,
                                                   const std::vector<std::string>& current_heads) {
  // ScriptDirectory.walk_revisions: iterate from the upper bound down to the
  // lower one, both included, relative bounds stopping at the graph's edge.
  const RevisionArg lower = Bound(range.start, current_heads, "base");
  const RevisionArg upper = Bound(range.end, current_heads, "heads");
  IterateOptions options;
  options.inclusive = true;
  options.assert_relative_length = false;
  auto revisions = map.IterateRevisions(upper, lower, options);
  if (!revisions) {
    Wording wording;
    wording.start = Describe(lower);
    wording.end = Describe(upper);
    return base::Fail(ToStatus(revisions.error(), wording));
  }
  return *revisions;
}

std::vector<const Revision*> Heads(const RevisionMap& map, bool resolve_dependencies) {
  std::vector<const Revision*> out;
  for (const std::string& id : resolve_dependencies ? map.real_heads() : map.heads()) {
    out.push_back(map.Find(id));
  }
  return out;
}

std::vector<const Revision*> BranchPoints(const RevisionMap& map) {
  std::vector<const Revision*> out;
  auto all = History(map);
  if (!all) return out;  // a built map always iterates; nothing to list
  for (const Revision* revision : *all) {
    if (revision->is_branch_point()) out.push_back(revision);
  }
  return out;
}

base::Result<std::vector<const Revision*>> Current(const RevisionMap& map,
                                                   const std::vector<std::string>& current_heads) {
  auto current = map.GetAllCurrent(current_heads);
  if (!current) return base::Fail(ToStatus(current.error()));
  return *current;
}

}  // namespace sqlmend::graph
