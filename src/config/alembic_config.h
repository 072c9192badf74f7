// AlembicConfig: an Alembic project's configuration, found and read as the
// `alembic` command (1.16+) finds and reads it, so that
// `sqlmend -c data_development/config.ini upgrade head` uses the same files,
// folders and database as `alembic -c data_development/config.ini upgrade
// head`. Counterpart of `Config` and `CommandLine._inis_from_config` in
// alembic/config.py, and of `ScriptDirectory.from_config` in
// alembic/script/base.py.
//
// Which files (CommandLine._inis_from_config):
//  - `-c` may be given once or twice; a path whose last component is
//    "pyproject.toml" names the TOML file, any other the ini file. Two of
//    either kind: "pyproject.toml indicated more than once" / "only one ini
//    file may be indicated".
//  - What -c leaves unnamed comes from $ALEMBIC_CONFIG (which names the
//    pyproject.toml when its last component is "pyproject.toml", the ini
//    otherwise), and then from "alembic.ini" and "pyproject.toml".
//  - Relative paths are relative to the current folder. In particular the
//    default pyproject.toml is the one in the current folder, NOT the one
//    beside the ini: run from the project root, `-c data_development/
//    config.ini` pairs that ini with ./pyproject.toml.
//  - A missing ini or pyproject.toml is not an error (configparser's read()
//    skips missing files; Alembic reads pyproject.toml only if it exists).
//    The error comes later, from what is missing: "No 'script_location' key
//    found in configuration." or, for get_main_option, "No config file
//    'x.ini' found, or file has no '[alembic]' section".
//
// Which file supplies what (Config.get_alembic_option and friends):
//  - The main ini section (`-n`, default "alembic"; DEFAULT options count)
//    is asked first for script_location, file_template, truncate_slug_length,
//    timezone, output_encoding, revision_environment, sourceless and
//    recursive_version_locations; [tool.alembic] only when the ini lacks the
//    key. version_locations and prepend_sys_path: the ini when its value is
//    not empty, else the TOML list. post_write_hooks: the ini's
//    [post_write_hooks] section when it exists, else the TOML array of
//    tables. sqlalchemy.url and the logging sections are ini-only; `-n`
//    never changes the TOML table, always [tool.alembic].
//  - %(here)s is the absolute folder of the file the value comes from: the
//    ini's folder in the ini, the pyproject.toml's folder in the TOML.
//  - Paths that stay relative after interpolation (script_location,
//    version_locations) are relative to the current folder, as Python's
//    Path.absolute() makes them; "." components are dropped, ".." kept.
//
// All accessors are const and fail without side effects; messages that the
// `alembic` CLI prints as "FAILED: <message>" are reproduced word for word in
// Status::message() (the object then names the config file), so `commands`
// can print "FAILED: " + message().
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "config/ini_file.h"
#include "config/pyproject_file.h"
#include "config/sqlite_url.h"

namespace sqlmend::config {

// The global options of the alembic command line that concern configuration.
struct ConfigArgs {
  // Each -c/--config in order (Alembic 1.16+ accepts two: one ini and one
  // pyproject.toml). Empty: $ALEMBIC_CONFIG, then the defaults.
  std::vector<std::string> config_paths;
  // -n/--name: the ini section holding Alembic's options.
  std::string section = "alembic";
  // Each -x value as given ("key=value", or any text), in order.
  std::vector<std::string> x_args;
  // --raiseerr: carried for `commands`, which decides how to report errors.
  bool raiseerr = false;
};

// What the process environment contributes, passed in so tests can set it.
struct Environment {
  std::string cwd;                            // absolute current folder
  std::optional<std::string> alembic_config;  // $ALEMBIC_CONFIG, when set
  // Where the project's Python modules are (config/python_path.h).
  std::optional<std::string> pythonpath;   // $PYTHONPATH
  std::optional<std::string> virtual_env;  // $VIRTUAL_ENV

  // The process's current folder, $ALEMBIC_CONFIG, $PYTHONPATH and
  // $VIRTUAL_ENV; kEnvironment when the current folder cannot be read.
  static base::Result<Environment> FromProcess();
};

// One post-write hook: its name and its options without the "<name>."
// prefix (ini) or without "name" (TOML).
struct PostWriteHook {
  std::string name;
  std::map<std::string, std::string> options;
};

class AlembicConfig {
 public:
  // The ini file name as the user gave it (used in Alembic's messages), its
  // absolute path, and whether it could be read.
  const std::string& config_file_name() const { return config_file_name_; }
  const std::string& config_file_path() const { return config_file_path_; }
  bool config_file_found() const { return config_file_found_; }
  // The pyproject.toml in use (found or not) and the main section name.
  const std::string& toml_file_name() const { return toml_file_name_; }
  bool toml_file_found() const { return toml_.found(); }
  const std::string& section() const { return section_; }
  const std::string& cwd() const { return cwd_; }
  // $PYTHONPATH and $VIRTUAL_ENV as LoadConfig's Environment gave them.
  const std::optional<std::string>& pythonpath() const { return pythonpath_; }
  const std::optional<std::string>& virtual_env() const { return virtual_env_; }
  bool raiseerr() const { return raiseerr_; }

  // The parsed files, for callers that need more than the accessors below.
  const IniFile& ini() const { return ini_; }
  const PyprojectFile& toml() const { return toml_; }

  // Config.get_section_option / get_main_option: the interpolated ini value,
  // std::nullopt when the option is absent. Fails with kUsage and Alembic's
  // "No config file 'x.ini' found, or file has no '[alembic]' section" when
  // the section does not exist; with the IniFile error when interpolation
  // fails. Never reads pyproject.toml.
  base::Result<std::optional<std::string>> GetSectionOption(std::string_view section,
                                                            std::string_view name) const;
  base::Result<std::optional<std::string>> GetMainOption(std::string_view name) const;

  // Config.get_section: every option of `name`, DEFAULT included,
  // interpolated; std::nullopt when there is no such section.
  base::Result<std::optional<std::map<std::string, std::string>>> GetSection(
      std::string_view name) const;

  // EnvironmentContext.get_x_argument(): the -x values as given, or, as a
  // dictionary, each split at its first '=' (no '=': the value is empty; a
  // repeated key keeps the last value).
  const std::vector<std::string>& GetXArgumentList() const { return x_args_; }
  std::map<std::string, std::string> GetXArgumentDictionary() const;

  // script_location as an absolute path. kUsage with Alembic's "No
  // 'script_location' key found in configuration." when neither file has it.
  // A "package:folder" value (relative, holding ':'; Alembic's
  // coerce_resource_to_filename) names a folder inside a Python package: the
  // package is found as the project's imports are (python_path.h, without
  // running it) and the folder joined to it; a package found nowhere fails
  // with kUsage and Python's "No module named 'x'". Whether the folder
  // exists is for `script` to check ("Path doesn't exist: ...").
  base::Result<std::string> ScriptLocation() const;

  // The absolute folders holding revision files: version_locations split as
  // Alembic splits it (each may be "package:folder", as script_location), or
  // <script_location>/versions when not configured.
  // The ini value is split on `path_separator` ("os" is ':' here, "space",
  // "newline", ":" or ";"; each piece stripped, pieces empty before the
  // strip dropped), else on the deprecated `version_path_separator`, else on
  // commas and spaces (legacy). Deprecation warnings Alembic would emit are
  // appended to `warnings` when it is not null. An unknown separator value
  // fails with Alembic's "'x' is not a valid value for path_separator;
  // expected 'space', 'newline', 'os', ':', ';'".
  base::Result<std::vector<std::string>> VersionLocations(
      std::vector<std::string>* warnings = nullptr) const;

  // prepend_sys_path as Alembic splits it (path_separator, else the legacy
  // commas, spaces and colons); empty when not configured. Entries are
  // returned as written (Python puts them on sys.path relative to the cwd).
  base::Result<std::vector<std::string>> PrependSysPath(
      std::vector<std::string>* warnings = nullptr) const;

  // recursive_version_locations and sourceless: true only for the exact ini
  // text "true" (Alembic compares strings); a TOML value must be a boolean.
  base::Result<bool> RecursiveVersionLocations() const;
  base::Result<bool> Sourceless() const;
  // revision_environment, read with SQLAlchemy's asbool ("true", "yes",
  // "on", "y", "t", "1" / "false", "no", "off", "n", "f", "0", any case).
  base::Result<bool> RevisionEnvironment() const;

  // file_template, "%(rev)s_%(slug)s" by default (written "%%(rev)s_%%(slug)s"
  // in either file).
  base::Result<std::string> FileTemplate() const;
  // truncate_slug_length, 40 by default; 0 also means 40, as in
  // ScriptDirectory. A value that is not an integer fails with Python's int()
  // message.
  base::Result<int> TruncateSlugLength() const;
  // timezone: std::nullopt when not configured; may be empty (local time).
  base::Result<std::optional<std::string>> Timezone() const;
  // output_encoding, "utf-8" by default.
  base::Result<std::string> OutputEncoding() const;

  // The post-write hooks, in configured order.
  base::Result<std::vector<PostWriteHook>> PostWriteHooks() const;

  // sqlalchemy.url of the main section, parsed by ParseSqliteUrl with
  // relative files resolved against the cwd. Fails when the section or the
  // key is missing, or as ParseSqliteUrl fails; the object then names the
  // ini file and line.
  base::Result<SqliteUrl> DatabaseUrl() const;

 private:
  friend base::Result<AlembicConfig> LoadConfig(const ConfigArgs& args,
                                                const Environment& environment);
  AlembicConfig() = default;

  // Config.get_alembic_option for string values: the ini's main section,
  // then [tool.alembic]; std::nullopt when neither has `name`.
  base::Result<std::optional<std::string>> GetAlembicString(std::string_view name) const;
  base::Result<bool> GetAlembicBoolean(std::string_view name) const;
  // The character that splits ini path lists (None: legacy splitting).
  base::Result<std::optional<char>> PathSeparator(bool allow_legacy_name,
                                                  std::vector<std::string>* warnings) const;
  // "<ini>:<line>" of `name` in the main section.
  std::string IniWhere(std::string_view name) const;

  // A "package:folder" value resolved (see ScriptLocation()); other values
  // made absolute against the cwd.
  base::Result<std::string> ResolveLocation(std::string_view key, const std::string& value,
                                            const std::string& where) const;

  std::string cwd_;
  std::optional<std::string> pythonpath_;
  std::optional<std::string> virtual_env_;
  std::string config_file_name_;
  std::string config_file_path_;
  bool config_file_found_ = false;
  std::string toml_file_name_;
  std::string section_;
  std::vector<std::string> x_args_;
  bool raiseerr_ = false;
  IniFile ini_;
  PyprojectFile toml_;
};

// Finds and reads the configuration files named by `args` and `environment`
// as described at the top of this file. Fails on usage errors of -c,
// unreadable or malformed files (with "<file>:<line>"); a missing file is
// not a failure.
base::Result<AlembicConfig> LoadConfig(const ConfigArgs& args, const Environment& environment);

}  // namespace sqlmend::config
