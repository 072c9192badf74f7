// The listings of `alembic history`, `heads`, `branches` and `current`:
// which revisions each prints, in Alembic 1.8.1's order. Formatting the
// lines ("a -> b (head), doc") is left to `commands`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "graph/revision.h"
#include "graph/revision_map.h"

namespace sqlmend::graph {

// `-r start:end`; an empty side is open (nullopt). Either side may be a
// revision, a symbol, `current`, or relative (`-3`, `base+2`, `head-1`).
struct HistoryRange {
  std::optional<std::string> start;
  std::optional<std::string> end;
};

// Splits `text` (whitespace trimmed) at its colon. Fails with Alembic's
// "History range requires [start]:[end], [start]:, or :[end]" (kUsage) when
// there is no colon or more than one.
base::Result<HistoryRange> ParseHistoryRange(const std::string& text);

// The revisions `alembic history` lists, newest first: from `range.end`
// (default: all heads) down to `range.start` (default: base), both
// inclusive. `current` on either side stands for `current_heads` (only read
// then). Errors: "Requested range <start>:<end> does not refer to
// ancestor/descendant revisions along the same branch", resolution and
// multiple-heads sentences.
base::Result<std::vector<const Revision*>> History(
    const RevisionMap& map, const HistoryRange& range = {},
    const std::vector<std::string>& current_heads = {});

// `alembic heads`: the heads in map order; with resolve_dependencies, only
// revisions nothing depends on (`heads --resolve-dependencies`).
std::vector<const Revision*> Heads(const RevisionMap& map, bool resolve_dependencies = false);

// `alembic branches`: the branch points, in history order. Each one's
// `nextrev` lists where it branches to.
std::vector<const Revision*> BranchPoints(const RevisionMap& map);

// `alembic current`: the branch tips implied by the version table's rows.
base::Result<std::vector<const Revision*>> Current(const RevisionMap& map,
                                                   const std::vector<std::string>& current_heads);

}  // namespace sqlmend::graph
