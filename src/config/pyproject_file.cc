#include "config/pyproject_file.h"

#include <toml++/toml.h>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/files.h"
#include "config/python_text.h"

namespace sqlmend::config {

struct PyprojectFile::Data {
  toml::table alembic;  // a copy of [tool.alembic]
};

namespace {

using base::Result;
using base::Status;

std::string Located(const std::string& source, const toml::source_region& region) {
  return region.begin.line > 0 ? source + ":" + std::to_string(region.begin.line) : source;
}

// Python's `value % {"here": here}` for the forms Alembic's templates use:
// "%(here)s" and "%%". Anything else Python would reject or render oddly
// ("%s" prints the whole dict), so it is refused with the reason.
Result<std::string> PercentFormat(std::string_view value, const std::string& here,
                                  std::string_view key, const std::string& where) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      out += value[i];
      continue;
    }
    const std::string_view rest = value.substr(i);
    if (rest.starts_with("%%")) {
      out += '%';
      ++i;
      continue;
    }
    if (rest.starts_with("%(")) {
      const size_t close = rest.find(')');
      if (close != std::string_view::npos && close + 1 < rest.size() && rest[close + 1] == 's') {
        const std::string_view name = rest.substr(2, close - 2);
        if (name != "here") {
          return base::Fail(Status::Usage(
              where, "TOML value for " + PythonRepr(key) + " refers to " + PythonRepr(name) +
                         ", but only %(here)s is known (write %% for a '%')"));
        }
        out += here;
        i += close + 1;
        continue;
      }
    }
    return base::Fail(Status::Usage(where, "TOML value for " + PythonRepr(key) +
                                               " has an unsupported '%' at " + PythonRepr(rest) +
                                               " (write %% for a '%')"));
  }
  return out;
}

// The sentence of _get_toml_config_value for types it cannot return.
Status UnsupportedType(const std::string& where, std::string_view key) {
  return Status::Usage(where, "unsupported TOML value type for key: " + PythonRepr(key));
}

}  // namespace

Result<PyprojectFile> PyprojectFile::Parse(std::string_view text, std::string source,
                                           std::string here) {
  PyprojectFile file;
  file.found_ = true;
  file.source_ = std::move(source);
  file.here_ = std::move(here);
  auto data = std::make_shared<Data>();
  try {
    toml::table root = toml::parse(text, std::string_view(file.source_));
    if (toml::node* tool = root.get("tool")) {
      toml::table* tool_table = tool->as_table();
      toml::node* alembic = tool_table ? tool_table->get("alembic") : nullptr;
      if (tool_table == nullptr || (alembic != nullptr && !alembic->is_table())) {
        toml::node* bad = tool_table ? alembic : tool;
        return base::Fail(
            Status::Usage(Located(file.source_, bad->source()), "Incorrect TOML format"));
      }
      if (alembic != nullptr) data->alembic = *alembic->as_table();
    }
  } catch (const toml::parse_error& error) {
    return base::Fail(
        Status::Unusable(Located(file.source_, error.source()), std::string(error.description())));
  } catch (const std::exception& error) {
    return base::Fail(Status::Unusable(file.source_, error.what()));
  }
  file.data_ = std::move(data);
  return file;
}

Result<PyprojectFile> PyprojectFile::Read(const std::string& path, std::string source,
                                          std::string here) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return PyprojectFile();
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path, error)) {
    return base::Fail(base::ErrnoStatus(source, "cannot read", errno ? errno : EISDIR));
  }
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), std::move(source), std::move(here));
}

bool PyprojectFile::Has(std::string_view key) const {
  return data_ && data_->alembic.contains(key);
}

std::string PyprojectFile::Where(std::string_view key) const {
  const toml::node* node = data_ ? data_->alembic.get(key) : nullptr;
  return node ? Located(source_, node->source()) : source_;
}

Result<std::optional<std::string>> PyprojectFile::GetString(std::string_view key) const {
  if (!Has(key)) return std::optional<std::string>();
  const toml::node& node = *data_->alembic.get(key);
  if (const auto* text = node.as_string()) {
    auto formatted = PercentFormat(text->get(), here_, key, Where(key));
    if (!formatted) return base::Fail(formatted.error());
    return std::optional<std::string>(std::move(*formatted));
  }
  if (node.is_integer() || node.is_boolean() || node.is_array() || node.is_table()) {
    return base::Fail(
        Status::Usage(Where(key), "TOML value for " + PythonRepr(key) + " must be a string"));
  }
  return base::Fail(UnsupportedType(Where(key), key));
}

Result<std::optional<int64_t>> PyprojectFile::GetInteger(std::string_view key) const {
  if (!Has(key)) return std::optional<int64_t>();
  const toml::node& node = *data_->alembic.get(key);
  if (const auto* number = node.as_integer()) return std::optional<int64_t>(number->get());
  if (node.is_string()) {
    auto text = GetString(key);
    if (!text) return base::Fail(text.error());
    const std::string_view digits = PythonStrip(**text);
    int64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error == std::errc() && end == digits.data() + digits.size() && !digits.empty()) {
      return std::optional<int64_t>(value);
    }
    return base::Fail(
        Status::Usage(Where(key), "invalid literal for int() with base 10: " + PythonRepr(**text)));
  }
  return base::Fail(
      Status::Usage(Where(key), "TOML value for " + PythonRepr(key) + " must be an integer"));
}

Result<std::optional<bool>> PyprojectFile::GetBoolean(std::string_view key) const {
  if (!Has(key)) return std::optional<bool>();
  if (const auto* flag = data_->alembic.get(key)->as_boolean())
    return std::optional<bool>(flag->get());
  return base::Fail(
      Status::Usage(Where(key), "boolean value expected for TOML parameter " + PythonRepr(key)));
}

Result<std::optional<bool>> PyprojectFile::GetLooseBoolean(std::string_view key) const {
  if (!Has(key)) return std::optional<bool>();
  const toml::node& node = *data_->alembic.get(key);
  if (const auto* flag = node.as_boolean()) return std::optional<bool>(flag->get());
  if (const auto* number = node.as_integer()) return std::optional<bool>(number->get() != 0);
  auto text = GetString(key);
  if (!text) return base::Fail(text.error());
  if (std::optional<bool> flag = SqlalchemyAsBool(**text)) return flag;
  return base::Fail(Status::Usage(Where(key), "String is not true/false: " + PythonRepr(**text)));
}

Result<std::optional<std::vector<std::string>>> PyprojectFile::GetStringList(
    std::string_view key) const {
  if (!Has(key)) return std::optional<std::vector<std::string>>();
  const toml::array* array = data_->alembic.get(key)->as_array();
  if (array == nullptr) {
    return base::Fail(Status::Usage(
        Where(key), "TOML value for " + PythonRepr(key) + " must be a list of strings"));
  }
  std::vector<std::string> values;
  for (const toml::node& element : *array) {
    const auto* text = element.as_string();
    if (text == nullptr) {
      return base::Fail(
          Status::Usage(Located(source_, element.source()),
                        "TOML value for " + PythonRepr(key) + " must be a list of strings"));
    }
    auto formatted = PercentFormat(text->get(), here_, key, Located(source_, element.source()));
    if (!formatted) return base::Fail(formatted.error());
    values.push_back(std::move(*formatted));
  }
  return std::optional<std::vector<std::string>>(std::move(values));
}

Result<std::optional<std::vector<std::map<std::string, std::string>>>> PyprojectFile::GetTableList(
    std::string_view key) const {
  using Tables = std::vector<std::map<std::string, std::string>>;
  if (!Has(key)) return std::optional<Tables>();
  const toml::array* array = data_->alembic.get(key)->as_array();
  if (array == nullptr) {
    return base::Fail(Status::Usage(
        Where(key), "TOML value for " + PythonRepr(key) + " must be a list of tables"));
  }
  Tables tables;
  for (const toml::node& element : *array) {
    const toml::table* table = element.as_table();
    if (table == nullptr) {
      return base::Fail(
          Status::Usage(Located(source_, element.source()),
                        "TOML value for " + PythonRepr(key) + " must be a list of tables"));
    }
    std::map<std::string, std::string> entries;
    for (const auto& [name, value] : *table) {
      const auto* text = value.as_string();
      if (text == nullptr) {
        return base::Fail(Status::Usage(Located(source_, value.source()),
                                        "TOML value for " + PythonRepr(key) + "." +
                                            std::string(name.str()) + " must be a string"));
      }
      auto formatted = PercentFormat(text->get(), here_, key, Located(source_, value.source()));
      if (!formatted) return base::Fail(formatted.error());
      entries[std::string(name.str())] = std::move(*formatted);
    }
    tables.push_back(std::move(entries));
  }
  return std::optional<Tables>(std::move(tables));
}

}  // namespace sqlmend::config
