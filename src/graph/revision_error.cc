#include "graph/revision_error.h"

#include <string_view>

namespace sqlmend::graph {
namespace {

// Replaces every "%(key)s" in `text` by `value` (Python's % with a dict).
std::string Substitute(std::string text, std::string_view key, const std::string& value) {
  const std::string pattern = "%(" + std::string(key) + ")s";
  for (size_t at = text.find(pattern); at != std::string::npos;
       at = text.find(pattern, at + value.size())) {
    text.replace(at, pattern.size(), value);
  }
  return text;
}

}  // namespace

std::string PythonTupleRepr(const std::vector<std::string>& items) {
  std::string out = "(";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += "'" + items[i] + "'";
  }
  if (items.size() == 1) out += ",";
  return out + ")";
}

base::Status ToStatus(const RevisionError& error, const Wording& wording) {
  using Kind = RevisionError::Kind;
  switch (error.kind) {
    case Kind::kRangeNotAncestor: {
      const std::string start = wording.start.value_or(error.lower);
      const std::string end = wording.end.value_or(error.upper);
      std::string text = wording.ancestor.value_or(
          "Requested range %(start)s:%(end)s does not refer to "
          "ancestor/descendant revisions along the same branch");
      text = Substitute(Substitute(text, "start", start), "end", end);
      return base::Status::Refused(start + ":" + end, text);
    }
    case Kind::kMultipleHeads: {
      const std::string head_arg = wording.end.value_or(error.argument);
      std::string text = wording.multiple_heads.value_or(
          "Multiple head revisions are present for given argument "
          "'%(head_arg)s'; please specify a specific target revision, "
          "'<branchname>@%(head_arg)s' to narrow to a specific head, or "
          "'heads' for all heads");
      std::string heads;
      for (const std::string& head : error.heads) {
        heads += (heads.empty() ? "" : ", ") + head;
      }
      text = Substitute(Substitute(text, "head_arg", head_arg), "heads", heads);
      return base::Status::Refused(error.argument, text);
    }
    case Kind::kResolution:
      return base::Status::Refused(
          error.argument, wording.resolution.value_or("Can't locate revision identified by '" +
                                                      error.argument + "'"));
    case Kind::kRevision:
    case Kind::kCycle:
      break;
  }
  return base::Status::Refused(error.argument, error.message);
}

}  // namespace sqlmend::graph
