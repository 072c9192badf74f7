#include "ops/naming_convention.h"

#include <cctype>
#include <optional>

namespace sqlmend::ops {
namespace {

using base::Fail;
using base::Result;
using base::Status;

// One column token for column index `index`: attribute is "name", "key" or
// "label"; referred says whether it reads the foreign key's target.
std::string ColumnToken(const NamingSubject& subject, size_t index, const std::string& attribute,
                        bool referred) {
  const std::vector<std::string>& columns = referred ? subject.referred_columns : subject.columns;
  if (index >= columns.size()) return "";
  if (attribute == "label" && !referred) return subject.table + "_" + columns[index];
  return columns[index];
}

// A column token's parts: "[referred_]column_<index>[_N|N]_<attribute>".
struct ColumnTokenParts {
  bool referred = false;
  size_t index = 0;
  bool all = false;         // "N": every column, joined
  bool underscore = false;  // "_N": joined with "_"
  std::string attribute;    // "name", "key" or "label"
};

std::optional<ColumnTokenParts> ParseColumnToken(std::string_view key) {
  ColumnTokenParts out;
  auto take = [&key](std::string_view prefix) {
    if (key.substr(0, prefix.size()) != prefix) return false;
    key.remove_prefix(prefix.size());
    return true;
  };
  out.referred = take("referred_");
  if (!take("column_")) return std::nullopt;
  size_t digits = 0;
  while (digits < key.size() && std::isdigit(static_cast<unsigned char>(key[digits]))) ++digits;
  if (digits == 0 || digits > 18) return std::nullopt;
  out.index = std::stoul(std::string(key.substr(0, digits)));
  key.remove_prefix(digits);
  if (take("_N")) {
    out.all = out.underscore = true;
  } else if (take("N")) {
    out.all = true;
  }
  if (!take("_")) return std::nullopt;
  if (key != "name" && key != "key" && key != "label") return std::nullopt;
  out.attribute = std::string(key);
  return out;
}

// Resolves one %(key)s token, following ConventionDict.__getitem__.
Result<std::string> Token(const NamingSubject& subject, const std::string& key,
                          const std::string& template_text) {
  if (key == "table_name") return subject.table;
  if (key == "referred_table_name") return subject.referred_table;
  if (key == "constraint_name") {
    if (!subject.name.value) {
      return Fail(Status::Refused(template_text,
                                  "Naming convention including %(constraint_name)s token "
                                  "requires that constraint is explicitly named."));
    }
    return *subject.name.value;
  }
  // SQLAlchemy's pattern ".*_?column_(\d+)(_?N)?_.+", then a method lookup.
  auto token = ParseColumnToken(key);
  if (token && !(token->referred && token->attribute == "label")) {
    const bool referred = token->referred;
    if (referred && !subject.referred_table_known) {
      return Fail(Status::Refused(subject.table, "could not find table '" + subject.referred_table +
                                                     "' to name a foreign key after its columns"));
    }
    const std::string& attribute = token->attribute;
    if (token->all) {
      const std::string separator = token->underscore ? "_" : "";
      const size_t count = referred ? subject.referred_columns.size() : subject.columns.size();
      std::string joined;
      for (size_t i = 0; i < count; i++) {
        if (i > 0) joined += separator;
        joined += ColumnToken(subject, i, attribute, referred);
      }
      return joined;
    }
    return ColumnToken(subject, token->index, attribute, referred);
  }
  return Fail(Status::Refused(template_text, "unknown naming convention token %(" + key + ")s"));
}

// Python's `template % mapping` for %(key)s and %%.
Result<std::string> Format(const std::string& template_text, const NamingSubject& subject) {
  std::string out;
  for (size_t i = 0; i < template_text.size(); i++) {
    const char c = template_text[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 1 < template_text.size() && template_text[i + 1] == '%') {
      out += '%';
      i++;
      continue;
    }
    const size_t close = template_text.find(')', i);
    if (i + 1 >= template_text.size() || template_text[i + 1] != '(' ||
        close == std::string::npos || close + 1 >= template_text.size() ||
        template_text[close + 1] != 's') {
      return Fail(Status::Refused(template_text, "unsupported format in naming convention"));
    }
    auto token = Token(subject, template_text.substr(i + 2, close - i - 2), template_text);
    if (!token) return Fail(token.error());
    out += *token;
    i = close + 1;
  }
  return out;
}

}  // namespace

Result<std::optional<std::string>> ResolveConstraintName(const MetaData& metadata,
                                                         const NamingSubject& subject) {
  if (subject.name.conv) return subject.name.value;
  const auto found = metadata.naming_convention.find(subject.kind);
  if (found == metadata.naming_convention.end()) return subject.name.value;
  const std::string& template_text = found->second;
  if (subject.name.value && template_text.find("constraint_name") == std::string::npos) {
    return subject.name.value;
  }
  auto formatted = Format(template_text, subject);
  if (!formatted) return Fail(formatted.error());
  return std::optional<std::string>(*formatted);
}

}  // namespace sqlmend::ops
