#include "graph/revision.h"

#include <algorithm>

namespace sqlmend::graph {
namespace {

// a + b without repeats, first occurrence kept (Alembic's dedupe_tuple).
std::vector<std::string> Dedupe(const std::vector<std::string>& a,
                                const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto* list : {&a, &b}) {
    for (const std::string& item : *list) {
      if (std::find(out.begin(), out.end(), item) == out.end()) {
        out.push_back(item);
      }
    }
  }
  return out;
}

}  // namespace

bool Revision::HasLabel(const std::string& label) const {
  return std::find(effective_branch_labels.begin(), effective_branch_labels.end(), label) !=
         effective_branch_labels.end();
}

std::vector<std::string> Revision::AllDownRevisions() const {
  return Dedupe(down_revisions, resolved_dependencies);
}

std::vector<std::string> Revision::NormalizedDownRevisions() const {
  return Dedupe(down_revisions, normalized_dependencies);
}

Revision Rev(std::string id, std::vector<std::string> down_revisions,
             std::vector<std::string> branch_labels, std::vector<std::string> depends_on,
             std::string doc) {
  Revision revision;
  revision.id = std::move(id);
  revision.down_revisions = std::move(down_revisions);
  revision.branch_labels = std::move(branch_labels);
  revision.depends_on = std::move(depends_on);
  revision.doc = std::move(doc);
  return revision;
}

}  // namespace sqlmend::graph
