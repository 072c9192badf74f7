// The project, env.py and output helpers the Alembic-compatible verbs
// share (alembic_project.h).
#include "commands/alembic_project.h"

#include <map>
#include <sstream>

#include <fmt/format.h>

#include "base/files.h"
#include "config/sqlite_url.h"

namespace sqlmend::commands {

namespace {

// See SkipCleanupAtExit() in alembic_commands.h.
bool skip_cleanup_at_exit = false;

}  // namespace

void SkipCleanupAtExit(bool skip) { skip_cleanup_at_exit = skip; }

bool HasEnvPy(const script::ScriptDirectory& scripts) {
  return base::Exists(scripts.script_location() + "/env.py");
}

// The database of `url`, as env.py or the ini gave it.
base::Status SetDatabase(Project& project, const std::string& url, const std::string& where) {
  auto parsed = config::ParseSqliteUrl(url, project.config.cwd());
  if (!parsed) {
    return base::Status(parsed.error().code(), where, "sqlalchemy.url: " + parsed.error().message());
  }
  project.target.database = parsed->location;
  return base::Status::Ok();
}

base::Result<Project> OpenProject(const AlembicArgs& args, bool need_database, bool runs_env) {
  auto env = config::Environment::FromProcess();
  if (!env) return base::Fail(env.error());
  auto config = config::LoadConfig(args.config, *env);
  if (!config) return base::Fail(config.error());
  // Alembic 1.8's sentence for a missing ini or one without the section
  // (1.16 with a pyproject.toml may carry script_location without an ini).
  if ((!config->config_file_found() || !config->ini().HasSection(args.config.section)) &&
      !config->toml_file_found()) {
    return base::Fail(base::Status::Usage(
        config->config_file_name(),
        fmt::format("No config file '{}' found, or file has no '[{}]' section",
                    config->config_file_name(), args.config.section)));
  }
  auto scripts = script::ScriptDirectory::Load(*config, runs_env);
  if (!scripts) return base::Fail(scripts.error());
  Project project{std::move(*config), std::move(*scripts), {}};
  if (need_database) {
    auto option = project.config.GetMainOption("sqlalchemy.url");
    if (option && (!*option || (*option)->empty()) && HasEnvPy(project.scripts)) {
      project.database_from_env = true;
    } else {
      auto url = project.config.DatabaseUrl();
      if (!url) return base::Fail(url.error());
      project.target.database = url->location;
    }
    project.target.version_table = project.scripts.env().version_table;
    project.target.version_table_schema = project.scripts.env().version_table_schema;
  }
  return project;
}

// Alembic's own log lines, as its logging configuration prints them.
std::string Info(std::string_view text) {
  return fmt::format("INFO  [alembic.runtime.migration] {}", text);
}

// Which of the scripts' logging calls are shown, as the ini's logging
// sections set up Python's logging (`fileConfig` in env.py): a logger's
// level is that of the nearest [logger_*] whose qualname is its name or a
// dotted parent of it, else the root's. Without those sections, the levels
// of `alembic init`'s templates: alembic at INFO, everything else at
// WARNING. Lines are formatted as those templates' formatter does
// ("%(levelname)-5.5s [%(name)s] %(message)s").
class ScriptLogFormat {
 public:
  explicit ScriptLogFormat(const config::AlembicConfig& config) {
    auto keys = config.GetSectionOption("loggers", "keys");
    if (!keys || !*keys) {
      levels_ = {{"", 30}, {"alembic", 20}};
      return;
    }
    std::stringstream list(**keys);
    for (std::string key; std::getline(list, key, ',');) {
      key.erase(0, key.find_first_not_of(" \t"));
      key.erase(key.find_last_not_of(" \t") + 1);
      if (key.empty()) continue;
      const std::string section = "logger_" + key;
      auto level = config.GetSectionOption(section, "level");
      auto qualname = config.GetSectionOption(section, "qualname");
      const std::string name = key == "root" ? "" : (qualname && *qualname ? **qualname : key);
      levels_[name] = level && *level ? LevelNumber(**level) : 0;
    }
    if (!levels_.count("")) levels_[""] = 30;
  }

  // The line to show for `record`, or nothing.
  std::optional<std::string> Format(const python::LogRecord& record) const {
    if (record.logger.empty()) return Info(record.text);  // sqlmend's own, sys.stderr
    const int level = LevelNumber(record.level);
    if (level < EffectiveLevel(record.logger)) return std::nullopt;
    std::string name = record.level == "warning" ? "WARNING" : record.level;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return fmt::format("{:<5.5} [{}] {}", name, record.logger, record.text);
  }

 private:
  static int LevelNumber(std::string level) {
    std::transform(level.begin(), level.end(), level.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (level == "debug") return 10;
    if (level == "info") return 20;
    if (level == "warning" || level == "warn") return 30;
    if (level == "error") return 40;
    if (level == "critical" || level == "fatal") return 50;
    return 0;  // NOTSET: the parent's
  }

  int EffectiveLevel(std::string name) const {
    if (name == "root") name.clear();
    while (true) {
      auto found = levels_.find(name);
      if (found != levels_.end() && (found->second != 0 || name.empty())) return found->second;
      if (name.empty()) return 30;
      const size_t dot = name.rfind('.');
      name = dot == std::string::npos ? "" : name.substr(0, dot);
    }
  }

  std::map<std::string, int> levels_;  // by qualname; "" is the root logger
};

// env.py runs first, as in Alembic: it names the version table, the naming
// convention and what each connection runs. print() in the project's
// scripts goes to stdout (out.out), logging calls to `script_log` as the
// lines to show (ScriptLogFormat).
base::Result<std::unique_ptr<script::PythonRuntime>> StartPython(
    Project& project, bool sql, AlembicOutput& out, std::vector<std::string>& script_log,
    bool autogenerate) {
  auto python = script::PythonRuntime::Start(
      project.config, project.scripts, sql,
      [&out, &script_log, format = ScriptLogFormat(project.config)](const python::LogRecord& record) {
        if (record.level == "print") {
          out.out += record.text + "\n";
        } else if (auto line = format.Format(record)) {
          script_log.push_back(std::move(*line));
        }
      },
      autogenerate);
  if (!python) return python;
  project.target.version_table = (*python)->env().version_table;
  project.target.version_table_schema = (*python)->env().version_table_schema;
  if (project.database_from_env) {
    const std::string env_py = project.scripts.script_location() + "/env.py";
    if ((*python)->env().url) {
      base::Status st = SetDatabase(project, *(*python)->env().url, env_py);
      if (!st.ok()) return base::Fail(st);
    } else if (!sql) {
      return base::Fail(base::Status::Usage(
          project.config.config_file_name(),
          fmt::format("no 'sqlalchemy.url' key in the '[{}]' section, and {} configured no url",
                      project.config.section(), env_py)));
    }
  }
  return python;
}

ParkAtExit::~ParkAtExit() {
  if (!skip_cleanup_at_exit || !project_ || !python_) return;
  static auto* parked = new std::vector<std::shared_ptr<void>>();
  parked->push_back(std::shared_ptr<void>(python_->release(), [](void*) {}));
  parked->push_back(std::shared_ptr<void>(new Project(std::move(*project_)), [](void*) {}));
}

// For the verbs that otherwise run no Python (current, history, show
// current): runs env.py when only it knows the database, as Alembic runs it
// for them.
base::Status DatabaseFromEnv(Project& project, PythonSlot& python, AlembicOutput& out) {
  if (!project.database_from_env) return base::Status::Ok();
  std::vector<std::string> script_log;
  python = StartPython(project, false, out, script_log);
  return python ? base::Status::Ok() : python.error();
}

AlembicOutput Failed(base::Status status) {
  AlembicOutput out;
  out.status = std::move(status);
  return out;
}

void Print(AlembicOutput& out, const std::string& text) { out.out += text + "\n"; }

}  // namespace sqlmend::commands
