// Test-only dumpers for graph results: compact strings that table-driven
// tests compare against (never shipped).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "graph/plan.h"
#include "graph/revision.h"

namespace sqlmend::graph::testing {

inline std::string JoinIds(const std::vector<std::string>& ids, const char* separator = " ") {
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? separator : "") + ids[i];
  return out;
}

inline std::string DumpRevisions(const std::vector<const Revision*>& revisions) {
  std::vector<std::string> ids;
  for (const Revision* revision : revisions) {
    ids.push_back(revision ? revision->id : "<base>");
  }
  return JoinIds(ids);
}

// One step as "<ShortLog> | -removed +added", rows sorted within each side:
// what a step takes out of and puts into the version table, independent of
// which row an UPDATE reuses (Alembic picks that by Python set order).
inline std::string DumpStepEffect(const Step& step) {
  std::vector<std::string> removed, added;
  for (const VersionChange& change : step.version_changes) {
    if (!change.from.empty()) removed.push_back(change.from);
    if (!change.to.empty()) added.push_back(change.to);
  }
  std::sort(removed.begin(), removed.end());
  std::sort(added.begin(), added.end());
  std::string out = step.ShortLog() + " |";
  for (const auto& id : removed) out += " -" + id;
  for (const auto& id : added) out += " +" + id;
  return out;
}

inline std::string DumpPlan(const Plan& plan) {
  std::string out;
  for (const Step& step : plan.steps) out += DumpStepEffect(step) + "\n";
  return out + "= " + JoinIds(plan.final_heads);
}

}  // namespace sqlmend::graph::testing
