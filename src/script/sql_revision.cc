#include "script/sql_revision.h"

#include <fmt/format.h>

namespace sqlmend::script {

namespace {

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::vector<std::string> SplitList(const std::string& value) {
  std::vector<std::string> out;
  if (value.empty() || value == "None") return out;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    std::string item = Trim(std::string_view(value).substr(
        start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

base::Result<SqlRevision> ParseSqlRevision(std::string_view text, const std::string& path) {
  SqlRevision rev;
  rev.path = path;
  enum class Section { kHeader, kUpgrade, kDowngrade } section = Section::kHeader;
  bool saw_upgrade = false;
  int line_no = 0;
  size_t pos = 0;
  auto fail = [&](const std::string& problem) {
    return base::Fail(base::Status::Usage(fmt::format("{}:{}", path, line_no), problem));
  };
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.size() - pos
                                                                          : nl - pos + 1);
    pos += line.size();
    ++line_no;
    std::string trimmed = Trim(line.substr(0, line.find('\n')));
    std::string lowered = Lower(trimmed);
    if (lowered == "-- upgrade") {
      if (saw_upgrade) return fail("a second '-- upgrade' section");
      section = Section::kUpgrade;
      saw_upgrade = true;
      rev.upgrade_line = line_no + 1;
      continue;
    }
    if (lowered == "-- downgrade") {
      if (section == Section::kDowngrade || rev.downgrade_line) {
        return fail("a second '-- downgrade' section");
      }
      section = Section::kDowngrade;
      rev.downgrade_line = line_no + 1;
      continue;
    }
    if (section == Section::kUpgrade) {
      rev.upgrade_sql += line;
      continue;
    }
    if (section == Section::kDowngrade) {
      rev.downgrade_sql += line;
      continue;
    }
    // Header: blank lines and "-- key: value" lines; other comments allowed.
    if (trimmed.empty()) continue;
    if (trimmed.rfind("--", 0) != 0) {
      return fail("SQL before the '-- upgrade' line (the header holds only comments)");
    }
    std::string body = Trim(std::string_view(trimmed).substr(2));
    size_t colon = body.find(':');
    if (colon == std::string::npos) continue;  // a plain comment
    std::string key = Lower(Trim(std::string_view(body).substr(0, colon)));
    std::string value = Trim(std::string_view(body).substr(colon + 1));
    if (key.find(' ') != std::string::npos) continue;  // prose, e.g. "-- Note: ..."
    if (key == "revision") rev.revision = value;
    else if (key == "down_revision" || key == "revises") rev.down_revisions = SplitList(value);
    else if (key == "branch_labels") rev.branch_labels = SplitList(value);
    else if (key == "depends_on") rev.depends_on = SplitList(value);
    else if (key == "message") rev.message = value;
    else if (key == "create_date") rev.create_date = value;
    else return fail(fmt::format("unknown header key '{}'", key));
  }
  line_no = 1;
  if (rev.revision.empty()) return fail("no '-- revision: <id>' header line");
  if (!saw_upgrade) return fail("no '-- upgrade' section");
  return rev;
}

std::string RenderSqlRevision(const SqlRevision& r) {
  std::string out = fmt::format("-- revision: {}\n", r.revision);
  out += fmt::format("-- down_revision: {}\n",
                     r.down_revisions.empty() ? "None" : JoinList(r.down_revisions));
  if (!r.branch_labels.empty()) out += fmt::format("-- branch_labels: {}\n", JoinList(r.branch_labels));
  if (!r.depends_on.empty()) out += fmt::format("-- depends_on: {}\n", JoinList(r.depends_on));
  out += fmt::format("-- message: {}\n", r.message);
  if (!r.create_date.empty()) out += fmt::format("-- create_date: {}\n", r.create_date);
  out += "\n-- upgrade\n" + r.upgrade_sql + "\n-- downgrade\n" + r.downgrade_sql;
  return out;
}

}  // namespace sqlmend::script
