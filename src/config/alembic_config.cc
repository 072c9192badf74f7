#include "config/alembic_config.h"

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>

#include "base/files.h"
#include "config/python_path.h"
#include "config/python_text.h"

namespace sqlmend::config {
namespace {

using base::Result;
using base::Status;

constexpr std::string_view kDefaultIni = "alembic.ini";
constexpr std::string_view kPyproject = "pyproject.toml";

// The last component of a path, as os.path.basename (no stripping of a
// trailing slash: "a/" has the base name "").
std::string_view BaseNameOf(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// pathlib's Path(path).absolute() as a string: joined to `cwd` when relative,
// repeated slashes and "." components dropped, ".." kept (pathlib does not
// resolve them), no trailing slash.
std::string PathlibAbsolute(std::string_view path, const std::string& cwd) {
  const std::string joined =
      (!path.empty() && path.front() == '/') ? std::string(path) : cwd + "/" + std::string(path);
  std::string out;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    const std::string_view part = std::string_view(joined).substr(start, end - start);
    if (!part.empty() && part != ".") {
      out += '/';
      out += part;
    }
    start = end + 1;
  }
  return out.empty() ? "/" : out;
}

std::string ParentOf(const std::string& absolute) {
  const size_t slash = absolute.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : absolute.substr(0, slash);
}

// re.split(r", *|(?: +)") and, with `colon`, re.split(r", *|(?: +)|\:"):
// Alembic's legacy splitting. Empty pieces are kept, as re.split keeps them.
std::vector<std::string> LegacySplit(std::string_view text, bool colon) {
  std::vector<std::string> pieces;
  std::string piece;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ',' || c == ' ' || (colon && c == ':')) {
      pieces.push_back(std::move(piece));
      piece.clear();
      ++i;
      if (c != ':') {
        while (i < text.size() && text[i] == ' ') ++i;
      }
    } else {
      piece += c;
      ++i;
    }
  }
  pieces.push_back(std::move(piece));
  return pieces;
}

// [x.strip() for x in text.split(separator) if x]: a piece is dropped only
// when empty before stripping.
std::vector<std::string> SplitOn(std::string_view text, char separator) {
  std::vector<std::string> pieces;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view piece = text.substr(start, end - start);
    if (!piece.empty()) pieces.emplace_back(PythonStrip(piece));
    start = end + 1;
  }
  return pieces;
}

// Python's int(text): surrounding spaces, an optional sign, then digits with
// single underscores between them.
std::optional<int64_t> ParsePythonInt(std::string_view text) {
  text = PythonStrip(text);
  const bool negative = !text.empty() && text.front() == '-';
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  if (text.empty() || text.front() == '_' || text.back() == '_') return std::nullopt;
  int64_t value = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_' && text[i - 1] != '_') continue;
    if (text[i] < '0' || text[i] > '9' || value > (INT64_MAX - 9) / 10) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return negative ? -value : value;
}
}  // namespace

Result<Environment> Environment::FromProcess() {
  std::error_code error;
  const std::filesystem::path cwd = std::filesystem::current_path(error);
  if (error)
    return base::Fail(base::ErrnoStatus(".", "cannot read the current folder", error.value()));
  Environment environment;
  environment.cwd = cwd.string();
  if (const char* value = std::getenv("ALEMBIC_CONFIG"))
    environment.alembic_config = std::string(value);
  if (const char* value = std::getenv("PYTHONPATH")) environment.pythonpath = std::string(value);
  if (const char* value = std::getenv("VIRTUAL_ENV")) environment.virtual_env = std::string(value);
  return environment;
}

Result<AlembicConfig> LoadConfig(const ConfigArgs& args, const Environment& environment) {
  // 1. Which files: -c, then $ALEMBIC_CONFIG, then the defaults
  //    (CommandLine._inis_from_config). An empty $ALEMBIC_CONFIG is unset.
  std::string default_ini(kDefaultIni);
  std::string default_toml(kPyproject);
  if (environment.alembic_config && !environment.alembic_config->empty()) {
    if (BaseNameOf(*environment.alembic_config) == kPyproject) {
      default_toml = *environment.alembic_config;
    } else {
      default_ini = *environment.alembic_config;
    }
  }
  std::optional<std::string> ini_name;
  std::optional<std::string> toml_name;
  for (const std::string& name : args.config_paths) {
    std::optional<std::string>& slot = BaseNameOf(name) == kPyproject ? toml_name : ini_name;
    if (slot) {
      return base::Fail(Status::Usage(name, &slot == &toml_name
                                                ? "pyproject.toml indicated more than once"
                                                : "only one ini file may be indicated"));
    }
    slot = name;
  }

  AlembicConfig config;
  config.cwd_ = environment.cwd;
  config.pythonpath_ = environment.pythonpath;
  config.virtual_env_ = environment.virtual_env;
  config.section_ = args.section;
  config.x_args_ = args.x_args;
  config.raiseerr_ = args.raiseerr;
  config.config_file_name_ = ini_name.value_or(default_ini);
  config.toml_file_name_ = toml_name.value_or(default_toml);

  // 2. The ini, with DEFAULT's "here" = the absolute folder of the file
  //    (Config.file_config). configparser skips a file it cannot open.
  config.config_file_path_ = PathlibAbsolute(config.config_file_name_, environment.cwd);
  const std::string ini_here = ParentOf(config.config_file_path_);
  std::error_code error;
  if (std::filesystem::is_regular_file(config.config_file_path_, error)) {
    auto ini =
        IniFile::Read(config.config_file_path_, config.config_file_name_, {{"here", ini_here}});
    if (!ini && ini.error().code() != base::Code::kEnvironment) return base::Fail(ini.error());
    if (ini) {
      config.ini_ = std::move(*ini);
      config.config_file_found_ = true;
    }
  }
  if (!config.config_file_found_) {
    auto empty = IniFile::Parse("", config.config_file_name_, {{"here", ini_here}});
    if (!empty) return base::Fail(empty.error());
    config.ini_ = std::move(*empty);
  }

  // 3. pyproject.toml, read only when it exists (Config.toml_alembic_config);
  //    its own folder is its %(here)s.
  // NOTE: Alembic parses pyproject.toml on first use; sqlmend parses it
  // here, so a malformed file fails even a command that would not need it.
  const std::string toml_path = PathlibAbsolute(config.toml_file_name_, environment.cwd);
  auto toml = PyprojectFile::Read(toml_path, config.toml_file_name_, ParentOf(toml_path));
  if (!toml) return base::Fail(toml.error());
  config.toml_ = std::move(*toml);
  return config;
}

std::string AlembicConfig::IniWhere(std::string_view name) const {
  const IniOption* option = ini_.Find(section_, name);
  return option && option->line > 0 ? config_file_name_ + ":" + std::to_string(option->line)
                                    : config_file_name_;
}

Result<std::optional<std::string>> AlembicConfig::GetSectionOption(std::string_view section,
                                                                   std::string_view name) const {
  if (!ini_.HasSection(section)) {
    return base::Fail(Status::Usage(
        config_file_name_, "No config file " + PythonRepr(config_file_name_) +
                               " found, or file has no '[" + std::string(section) + "]' section"));
  }
  return ini_.Get(section, name);
}

Result<std::optional<std::string>> AlembicConfig::GetMainOption(std::string_view name) const {
  return GetSectionOption(section_, name);
}

Result<std::optional<std::map<std::string, std::string>>> AlembicConfig::GetSection(
    std::string_view name) const {
  using Map = std::map<std::string, std::string>;
  if (!ini_.HasSection(name)) return std::optional<Map>();
  auto items = ini_.Items(name);
  if (!items) return base::Fail(items.error());
  Map map;
  for (auto& [key, value] : **items) map[key] = std::move(value);
  return std::optional<Map>(std::move(map));
}

std::map<std::string, std::string> AlembicConfig::GetXArgumentDictionary() const {
  std::map<std::string, std::string> arguments;
  for (const std::string& argument : x_args_) {
    const size_t equals = argument.find('=');
    if (equals == std::string::npos) {
      arguments[argument] = "";
    } else {
      arguments[argument.substr(0, equals)] = argument.substr(equals + 1);
    }
  }
  return arguments;
}

Result<std::optional<std::string>> AlembicConfig::GetAlembicString(std::string_view name) const {
  if (ini_.HasOption(section_, name)) return ini_.Get(section_, name);
  return toml_.GetString(name);
}

Result<bool> AlembicConfig::GetAlembicBoolean(std::string_view name) const {
  if (ini_.HasOption(section_, name)) {
    auto value = ini_.Get(section_, name);
    if (!value) return base::Fail(value.error());
    return value->value_or("") == "true";
  }
  auto value = toml_.GetBoolean(name);
  if (!value) return base::Fail(value.error());
  return value->value_or(false);
}

Result<std::string> AlembicConfig::ScriptLocation() const {
  auto location = GetAlembicString("script_location");
  if (!location) return base::Fail(location.error());
  if (!*location) {
    return base::Fail(
        Status::Usage(config_file_name_, "No 'script_location' key found in configuration."));
  }
  const std::string where =
      ini_.HasOption(section_, "script_location") ? IniWhere("script_location") : toml_.source();
  return ResolveLocation("script_location", **location, where);
}

Result<std::string> AlembicConfig::ResolveLocation(std::string_view key, const std::string& value,
                                                   const std::string& where) const {
  const size_t colon = value.find(':');
  if (value.empty() || value.front() == '/' || colon == std::string::npos) {
    return PathlibAbsolute(value, cwd_);
  }
  // coerce_resource_to_filename: importlib_resources.files(package) / folder.
  const std::string package = value.substr(0, colon);
  auto path = ProjectPythonPath(*this);
  if (!path) return base::Fail(path.error());
  std::optional<std::string> folder = FindPackageFolder(package, *path);
  if (!folder) {
    return base::Fail(Status::Usage(
        where, std::string(key) + " " + PythonRepr(value) + ": No module named " +
                   PythonRepr(package) +
                   " (searched prepend_sys_path, PYTHONPATH, the virtualenv and the project's "
                   "source folders)"));
  }
  return PathlibAbsolute(*folder + "/" + value.substr(colon + 1), cwd_);
}

Result<std::optional<char>> AlembicConfig::PathSeparator(bool allow_legacy_name,
                                                         std::vector<std::string>* warnings) const {
  // Config._get_file_separator_char: the first of the names that is set.
  std::vector<std::string_view> names = {"path_separator"};
  if (allow_legacy_name) names.push_back("version_path_separator");
  for (std::string_view name : names) {
    auto value = GetMainOption(name);
    if (!value) return base::Fail(value.error());
    if (!*value) continue;
    const std::string& text = **value;
    std::optional<char> separator;
    if (text == "space") separator = ' ';
    if (text == "newline") separator = '\n';
    if (text == "os" || text == ":") separator = ':';  // os.pathsep on POSIX
    if (text == ";") separator = ';';
    if (!separator) {
      return base::Fail(Status::Usage(
          IniWhere(name), "'" + text + "' is not a valid value for " + std::string(name) +
                              "; expected 'space', 'newline', 'os', ':', ';'"));
    }
    if (name == "version_path_separator" && warnings) {
      warnings->push_back(
          "The version_path_separator configuration parameter is deprecated; please use "
          "path_separator");
    }
    return separator;
  }
  return std::optional<char>();
}

Result<std::vector<std::string>> AlembicConfig::VersionLocations(
    std::vector<std::string>* warnings) const {
  // Config.get_version_locations_list: the ini (when not empty), else TOML.
  std::vector<std::string> locations;
  std::string where = toml_.source();
  auto ini_value = ini_.Get(section_, "version_locations");
  if (!ini_value) return base::Fail(ini_value.error());
  if (*ini_value && !(*ini_value)->empty()) {
    where = IniWhere("version_locations");
    auto separator = PathSeparator(/*allow_legacy_name=*/true, warnings);
    if (!separator) return base::Fail(separator.error());
    if (*separator) {
      locations = SplitOn(**ini_value, **separator);
    } else {
      if (warnings) {
        warnings->push_back(
            "No path_separator found in configuration; falling back to legacy splitting on "
            "spaces/commas for "
            "version_locations.  Consider adding path_separator=os to Alembic config.");
      }
      locations = LegacySplit(**ini_value, /*colon=*/false);
    }
  } else {
    auto toml_value = toml_.GetStringList("version_locations");
    if (!toml_value) return base::Fail(toml_value.error());
    if (!*toml_value || (*toml_value)->empty()) {
      // ScriptDirectory._version_locations: <script_location>/versions.
      auto script_location = ScriptLocation();
      if (!script_location) return base::Fail(script_location.error());
      return std::vector<std::string>{*script_location + "/versions"};
    }
    locations = std::move(**toml_value);
  }
  for (std::string& location : locations) {
    auto resolved = ResolveLocation("version_locations", location, where);
    if (!resolved) return base::Fail(resolved.error());
    location = std::move(*resolved);
  }
  return locations;
}

Result<std::vector<std::string>> AlembicConfig::PrependSysPath(
    std::vector<std::string>* warnings) const {
  auto ini_value = ini_.Get(section_, "prepend_sys_path");
  if (!ini_value) return base::Fail(ini_value.error());
  if (*ini_value && !(*ini_value)->empty()) {
    auto separator = PathSeparator(/*allow_legacy_name=*/false, warnings);
    if (!separator) return base::Fail(separator.error());
    if (*separator) return SplitOn(**ini_value, **separator);
    if (warnings) {
      warnings->push_back(
          "No path_separator found in configuration; falling back to legacy splitting on spaces, "
          "commas, and "
          "colons for prepend_sys_path.  Consider adding path_separator=os to Alembic config.");
    }
    return LegacySplit(**ini_value, /*colon=*/true);
  }
  auto toml_value = toml_.GetStringList("prepend_sys_path");
  if (!toml_value) return base::Fail(toml_value.error());
  return toml_value->value_or(std::vector<std::string>{});
}

Result<bool> AlembicConfig::RecursiveVersionLocations() const {
  return GetAlembicBoolean("recursive_version_locations");
}

Result<bool> AlembicConfig::Sourceless() const { return GetAlembicBoolean("sourceless"); }

Result<bool> AlembicConfig::RevisionEnvironment() const {
  // util.asbool(config.get_alembic_option("revision_environment")).
  if (!ini_.HasOption(section_, "revision_environment")) {
    auto value = toml_.GetLooseBoolean("revision_environment");
    if (!value) return base::Fail(value.error());
    return value->value_or(false);
  }
  auto value = ini_.Get(section_, "revision_environment");
  if (!value) return base::Fail(value.error());
  const std::optional<bool> flag = SqlalchemyAsBool(value->value_or(""));
  if (!flag) {
    return base::Fail(
        Status::Usage(IniWhere("revision_environment"),
                      "String is not true/false: " + PythonRepr(AsciiLower(PythonStrip(**value)))));
  }
  return *flag;
}

Result<std::string> AlembicConfig::FileTemplate() const {
  auto value = GetAlembicString("file_template");
  if (!value) return base::Fail(value.error());
  return value->value_or("%(rev)s_%(slug)s");
}

Result<int> AlembicConfig::TruncateSlugLength() const {
  std::optional<int64_t> length;
  if (ini_.HasOption(section_, "truncate_slug_length")) {
    auto value = ini_.Get(section_, "truncate_slug_length");
    if (!value) return base::Fail(value.error());
    const std::optional<int64_t> parsed = ParsePythonInt(value->value());
    if (!parsed) {
      return base::Fail(
          Status::Usage(IniWhere("truncate_slug_length"),
                        "invalid literal for int() with base 10: " + PythonRepr(value->value())));
    }
    length = parsed;
  } else {
    auto value = toml_.GetInteger("truncate_slug_length");
    if (!value) return base::Fail(value.error());
    length = *value;
  }
  // ScriptDirectory: `truncate_slug_length or 40`.
  if (!length || *length == 0) return 40;
  return static_cast<int>(*length);
}

Result<std::optional<std::string>> AlembicConfig::Timezone() const {
  return GetAlembicString("timezone");
}

Result<std::string> AlembicConfig::OutputEncoding() const {
  auto value = GetAlembicString("output_encoding");
  if (!value) return base::Fail(value.error());
  return value->value_or("utf-8");
}

Result<std::vector<PostWriteHook>> AlembicConfig::PostWriteHooks() const {
  std::vector<PostWriteHook> hooks;
  if (!ini_.HasSection("post_write_hooks")) {
    auto tables = toml_.GetTableList("post_write_hooks");
    if (!tables) return base::Fail(tables.error());
    for (auto& table : tables->value_or(std::vector<std::map<std::string, std::string>>{})) {
      const auto name = table.find("name");
      if (name == table.end()) {
        return base::Fail(Status::Usage(toml_.source(),
                                        "a [[tool.alembic.post_write_hooks]] entry has no 'name'"));
      }
      PostWriteHook hook{name->second, {}};
      table.erase(name);
      hook.options = std::move(table);
      hooks.push_back(std::move(hook));
    }
    return hooks;
  }
  auto section = GetSection("post_write_hooks");
  if (!section) return base::Fail(section.error());
  const std::map<std::string, std::string>& options = **section;
  const auto names = options.find("hooks");
  for (const std::string& name :
       LegacySplit(names == options.end() ? "" : names->second, /*colon=*/false)) {
    if (name.empty()) continue;
    PostWriteHook hook{name, {}};
    for (const auto& [key, value] : options) {
      if (key.size() > name.size() && key.starts_with(name + "."))
        hook.options[key.substr(name.size() + 1)] = value;
    }
    hooks.push_back(std::move(hook));
  }
  return hooks;
}

Result<SqliteUrl> AlembicConfig::DatabaseUrl() const {
  auto url = GetMainOption("sqlalchemy.url");
  if (!url) return base::Fail(url.error());
  if (!*url) {
    return base::Fail(Status::Usage(config_file_name_,
                                    "no 'sqlalchemy.url' key in the '[" + section_ + "]' section"));
  }
  auto parsed = ParseSqliteUrl(**url, cwd_);
  if (!parsed) {
    const Status& error = parsed.error();
    return base::Fail(
        Status(error.code(), IniWhere("sqlalchemy.url"), "sqlalchemy.url: " + error.message()));
  }
  return parsed;
}

}  // namespace sqlmend::config
