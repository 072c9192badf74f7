#include "commands/alembic_commands.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "autogen/compare.h"
#include "autogen/directives.h"
#include "autogen/model.h"
#include "autogen/render.h"
#include "base/files.h"
#include "graph/history.h"
#include "graph/plan.h"
#include "graph/revision_error.h"
#include "migrate/runner.h"
#include "script/python_runtime.h"
#include "script/script_directory.h"
#include "sqlite/db.h"
#include "version/version_table.h"

namespace sqlmend::commands {

namespace {

// See SkipCleanupAtExit() in the header.
bool skip_cleanup_at_exit = false;

// What every verb needs: the configuration, the scripts, the database.
struct Project {
  config::AlembicConfig config;
  script::ScriptDirectory scripts;
  migrate::Target target;
  // The ini has no sqlalchemy.url and the script directory has an env.py:
  // the database is the URL env.py configures (Alembic never reads the key
  // itself; the generic env.py does), known once env.py has run.
  bool database_from_env = false;
};

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

base::Result<Project> OpenProject(const AlembicArgs& args, bool need_database) {
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
  auto scripts = script::ScriptDirectory::Load(*config);
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
    bool autogenerate = false) {
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

// With SkipCleanupAtExit(true), hands the project and its Python runtime
// over to process exit when the command returns, on every path: they are
// parked where they stay reachable (so leak checkers do not flag them) and
// are never freed.
class ParkAtExit {
 public:
  ParkAtExit(base::Result<Project>& project,
             base::Result<std::unique_ptr<script::PythonRuntime>>& python)
      : project_(project), python_(python) {}
  ParkAtExit(const ParkAtExit&) = delete;
  ParkAtExit& operator=(const ParkAtExit&) = delete;
  ~ParkAtExit() {
    if (!skip_cleanup_at_exit || !project_ || !python_) return;
    static auto* parked = new std::vector<std::shared_ptr<void>>();
    parked->push_back(std::shared_ptr<void>(python_->release(), [](void*) {}));
    parked->push_back(std::shared_ptr<void>(new Project(std::move(*project_)), [](void*) {}));
  }

 private:
  base::Result<Project>& project_;
  base::Result<std::unique_ptr<script::PythonRuntime>>& python_;
};

// For the verbs that otherwise run no Python (current, history, show
// current): runs env.py when only it knows the database, as Alembic runs it
// for them.
using PythonSlot = base::Result<std::unique_ptr<script::PythonRuntime>>;
base::Status DatabaseFromEnv(Project& project, PythonSlot& python, AlembicOutput& out) {
  if (!project.database_from_env) return base::Status::Ok();
  std::vector<std::string> script_log;
  python = StartPython(project, false, out, script_log);
  return python ? base::Status::Ok() : python.error();
}

std::string Comma(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Alembic prints some sets (nextrev) in Python's set order, which changes
// from run to run; sqlmend prints them sorted.
std::vector<std::string> Sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

std::string DownRevisionText(const graph::Revision& r) {
  return r.down_revisions.empty() ? "<base>" : Comma(r.down_revisions);
}

std::string LongDoc(const Project& p, const graph::Revision& r) {
  const script::Script* s = p.scripts.Find(r.id);
  return s ? s->longdoc : r.doc;
}

// Alembic's Script.log_entry (the -v form).
std::string LogEntry(const Project& p, const graph::Revision& r, bool current) {
  std::string entry = fmt::format("Rev: {}{}{}{}{}\n", r.id, r.is_head() ? " (head)" : "",
                                  r.is_branch_point() ? " (branchpoint)" : "",
                                  r.is_merge_point() ? " (mergepoint)" : "",
                                  current ? " (current)" : "");
  entry += fmt::format("{}: {}\n", r.is_merge_point() ? "Merges" : "Parent", DownRevisionText(r));
  if (!r.depends_on.empty()) entry += fmt::format("Also depends on: {}\n", Comma(r.depends_on));
  if (r.is_branch_point()) entry += fmt::format("Branches into: {}\n", Comma(Sorted(r.nextrev)));
  if (!r.effective_branch_labels.empty()) {
    entry += fmt::format("Branch names: {}\n", Comma(r.effective_branch_labels));
  }
  entry += fmt::format("Path: {}\n", r.path);
  std::string doc;
  std::istringstream lines(LongDoc(p, r));
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    doc += (first ? "" : "\n") + ("    " + line);
    first = false;
  }
  entry += "\n" + doc + "\n";
  return entry;
}

struct FormatOptions {
  bool include_branches = false;
  bool include_doc = false;
  bool include_parents = false;
  bool tree_indicators = true;
  bool current = false;
};

// Alembic's Script.cmd_format / _head_only.
std::string CmdFormat(const Project& p, const graph::Revision& r, bool verbose, const FormatOptions& o) {
  if (verbose) return LogEntry(p, r, o.current);
  std::string text = r.id;
  if (o.include_parents) {
    text = r.depends_on.empty()
               ? fmt::format("{} -> {}", DownRevisionText(r), text)
               : fmt::format("{} ({}) -> {}", DownRevisionText(r), Comma(r.depends_on), text);
  }
  if (o.include_branches && !r.effective_branch_labels.empty()) {
    text += fmt::format(" ({})", Comma(r.effective_branch_labels));
  }
  text += r.is_real_head() ? " (head)" : "";
  text += (r.is_head() && !r.is_real_head()) ? " (effective head)" : "";
  text += o.current ? " (current)" : "";
  if (o.tree_indicators) {
    text += r.is_branch_point() ? " (branchpoint)" : "";
    text += r.is_merge_point() ? " (mergepoint)" : "";
  }
  if (o.include_doc) text += ", " + r.doc;
  return text;
}

RevisionInfo Info(const graph::Revision& r, bool current) {
  return {r.id,          r.down_revisions,      r.branch_labels,      r.depends_on,
          r.doc,         r.path,                r.is_head(),          r.is_branch_point(),
          r.is_merge_point(), current};
}

AlembicOutput Failed(base::Status status) {
  AlembicOutput out;
  out.status = std::move(status);
  return out;
}

void Print(AlembicOutput& out, const std::string& text) { out.out += text + "\n"; }

}  // namespace

void SkipCleanupAtExit(bool skip) { skip_cleanup_at_exit = skip; }

AlembicOutput Current(const AlembicArgs& args, bool verbose) {
  auto project = OpenProject(args, true);
  if (!project) return Failed(project.error());
  AlembicOutput out;
  PythonSlot python = std::unique_ptr<script::PythonRuntime>();
  ParkAtExit park(project, python);
  if (base::Status st = DatabaseFromEnv(*project, python, out); !st.ok()) return Failed(st);
  out.log = {Info("Context impl SQLiteImpl."), Info("Will assume transactional DDL.")};
  auto heads = migrate::CurrentHeads(project->target);
  if (!heads) return Failed(heads.error());
  if (verbose) {
    auto url = project->config.GetMainOption("sqlalchemy.url");
    std::string shown = url && *url ? **url : "";
    if (python && *python && (*python)->env().url) shown = *(*python)->env().url;
    Print(out, fmt::format("Current revision(s) for {}:", shown));
  }
  auto current = graph::Current(project->scripts.map(), *heads);
  if (!current) return Failed(current.error());
  // Alembic prints them in Python's set order (random per run); sorted here.
  std::sort(current->begin(), current->end(),
            [](const graph::Revision* a, const graph::Revision* b) { return a->id < b->id; });
  for (const graph::Revision* r : *current) {
    Print(out, CmdFormat(*project, *r, verbose, {}));
    out.revisions.push_back(Info(*r, true));
  }
  return out;
}

AlembicOutput Heads(const AlembicArgs& args, bool verbose, bool resolve_dependencies) {
  auto project = OpenProject(args, false);
  if (!project) return Failed(project.error());
  AlembicOutput out;
  FormatOptions options;
  options.include_branches = true;
  options.tree_indicators = false;
  for (const graph::Revision* r : graph::Heads(project->scripts.map(), resolve_dependencies)) {
    Print(out, CmdFormat(*project, *r, verbose, options));
    out.revisions.push_back(Info(*r, false));
  }
  return out;
}

base::Result<std::vector<RevisionChoice>> RevisionChoices(const AlembicArgs& args) {
  auto project = OpenProject(args, false);
  if (!project) return base::Fail(project.error());
  std::vector<RevisionChoice> choices = {{"head", "the newest revision"},
                                         {"heads", "the newest revision of every branch"},
                                         {"base", "before the first revision"}};
  std::vector<std::string> labels;
  for (const graph::Revision& r : project->scripts.map().revisions()) {
    for (const std::string& label : r.branch_labels) labels.push_back(label);
  }
  for (const std::string& label : Sorted(labels)) {
    choices.push_back({label, "branch label"});
    choices.push_back({label + "@head", "the newest revision of branch " + label});
  }
  for (const graph::Revision& r : project->scripts.map().revisions()) {
    std::string description = r.doc.substr(0, r.doc.find('\n'));
    if (r.is_head()) description += description.empty() ? "(head)" : " (head)";
    choices.push_back({r.id, description});
  }
  return choices;
}

AlembicOutput History(const AlembicArgs& args, const std::optional<std::string>& range,
                      bool verbose, bool indicate_current) {
  auto project = OpenProject(args, indicate_current || (range && range->find("current") != std::string::npos));
  if (!project) return Failed(project.error());
  AlembicOutput env_out;
  PythonSlot python = std::unique_ptr<script::PythonRuntime>();
  ParkAtExit park(project, python);
  if (base::Status st = DatabaseFromEnv(*project, python, env_out); !st.ok()) return Failed(st);
  graph::HistoryRange parsed;
  if (range) {
    auto r = graph::ParseHistoryRange(*range);
    if (!r) return Failed(r.error());
    parsed = *r;
  }
  std::vector<std::string> current;
  if (!project->target.database.empty()) {
    auto heads = migrate::CurrentHeads(project->target);
    if (!heads) return Failed(heads.error());
    current = *heads;
  }
  auto revisions = graph::History(project->scripts.map(), parsed, current);
  if (!revisions) return Failed(revisions.error());
  AlembicOutput out = std::move(env_out);
  if (!project->target.database.empty()) out.log = {Info("Context impl SQLiteImpl."), Info("Will assume transactional DDL.")};
  FormatOptions options;
  options.include_branches = true;
  options.include_doc = true;
  options.include_parents = true;
  for (const graph::Revision* r : *revisions) {
    options.current = indicate_current &&
                      std::find(current.begin(), current.end(), r->id) != current.end();
    Print(out, CmdFormat(*project, *r, verbose, options));
    out.revisions.push_back(Info(*r, options.current));
  }
  return out;
}

AlembicOutput Branches(const AlembicArgs& args, bool verbose) {
  auto project = OpenProject(args, false);
  if (!project) return Failed(project.error());
  AlembicOutput out;
  const auto& map = project->scripts.map();
  for (const graph::Revision* r : graph::BranchPoints(map)) {
    FormatOptions branch;
    branch.include_branches = true;
    std::string children;
    for (const std::string& next : Sorted(r->nextrev)) {
      const graph::Revision* child = map.Find(next);
      if (!child) continue;
      FormatOptions child_options;
      child_options.include_branches = true;
      child_options.include_doc = verbose;
      children += (children.empty() ? "" : "\n") +
                  fmt::format("{} -> {}", std::string(r->id.size(), ' '),
                              CmdFormat(*project, *child, false, child_options));
    }
    // print_stdout("%s\n%s\n", ...) adds its own newline.
    Print(out, CmdFormat(*project, *r, verbose, branch) + "\n" + children + "\n");
    out.revisions.push_back(Info(*r, false));
  }
  return out;
}

AlembicOutput Show(const AlembicArgs& args, const std::string& revision) {
  auto project = OpenProject(args, revision == "current");
  if (!project) return Failed(project.error());
  AlembicOutput out;
  PythonSlot python = std::unique_ptr<script::PythonRuntime>();
  ParkAtExit park(project, python);
  if (base::Status st = DatabaseFromEnv(*project, python, out); !st.ok()) return Failed(st);
  std::vector<std::string> ids;
  if (revision == "current") {
    auto heads = migrate::CurrentHeads(project->target);
    if (!heads) return Failed(heads.error());
    ids = *heads;
  }
  auto found = revision == "current"
                   ? project->scripts.map().GetRevisions(graph::RevisionArg::Tuple(ids))
                   : project->scripts.map().GetRevisions(graph::RevisionArg::Symbol(revision));
  if (!found) return Failed(graph::ToStatus(found.error()));
  for (const graph::Revision* r : *found) {
    if (!r) continue;
    Print(out, LogEntry(*project, *r, false));
    out.revisions.push_back(Info(*r, false));
  }
  return out;
}

namespace {

// upgrade / downgrade / stamp share this: plan, then run or write SQL.
AlembicOutput Migrate(const AlembicArgs& args, bool sql,
                      const std::function<base::Result<graph::Plan>(
                          const graph::RevisionMap&, const std::vector<std::string>&)>& plan_for,
                      std::optional<std::string> start, bool purge) {
  auto project = OpenProject(args, true);
  if (!project) return Failed(project.error());
  AlembicOutput out;
  std::vector<std::string> script_log;
  auto python = StartPython(*project, sql, out, script_log);
  if (!python) return Failed(python.error());
  ParkAtExit park(project, python);
  out.log = {Info("Context impl SQLiteImpl."), Info("Will assume transactional DDL.")};
  std::vector<std::string> heads;
  if (sql) {
    // The range's start as revision ids, as Alembic resolves its
    // starting_rev; "base:head" starts from no heads, so the script
    // creates the version table.
    if (start) {
      auto resolved = project->scripts.map().GetRevisions(graph::RevisionArg::Symbol(*start));
      if (!resolved) return Failed(graph::ToStatus(resolved.error()));
      for (const graph::Revision* revision : *resolved) {
        if (revision != nullptr) heads.push_back(revision->id);
      }
    }
  } else {
    auto current = migrate::CurrentHeads(project->target);
    if (!current) return Failed(current.error());
    heads = purge ? std::vector<std::string>{} : *current;
  }
  auto plan = plan_for(project->scripts.map(), heads);
  if (!plan) return Failed(plan.error());
  if (sql) {
    std::ostringstream text;
    base::Status st = migrate::WriteOfflineSql(project->target, *plan, heads, project->scripts,
                                               text, python->get());
    out.out += text.str();
    out.log.clear();
    out.log = {Info("Context impl SQLiteImpl."), Info("Generating static SQL"),
               Info("Will assume transactional DDL.")};
    for (const auto& step : plan->steps) out.log.push_back(Info("Running " + step.LogLine()));
    out.status = st;
    return out;
  }
  migrate::RunOptions options;
  options.lock_timeout_ms = args.lock_timeout_ms;
  options.python = python->get();
  // The runner's lines and the bodies' logging (through StartPython's sink)
  // go to one list, in the order the runner sends them.
  options.log = [&](const std::string& line) { script_log.push_back(Info(line)); };
  if (!purge) {
    // Another migration may move the heads while this one waits for the
    // lock: the runner then plans again from what it finds, under the lock.
    options.planned_from = heads;
    options.replan = [&](const std::vector<std::string>& found) {
      return plan_for(project->scripts.map(), found);
    };
  }
  out.status = migrate::RunPlan(project->target, *plan, project->scripts, options, purge);
  out.log = std::move(script_log);
  return out;
}

// "start:end" for --sql ranges.
std::pair<std::optional<std::string>, std::string> SplitRange(const std::string& revision) {
  auto colon = revision.find(':');
  if (colon == std::string::npos) return {std::nullopt, revision};
  return {revision.substr(0, colon), revision.substr(colon + 1)};
}

}  // namespace

AlembicOutput Upgrade(const AlembicArgs& args, const std::string& revision, bool sql) {
  auto [start, destination] = SplitRange(revision);
  if (start && !sql) return Failed(base::Status::Usage("", "Range revision not allowed"));
  return Migrate(args, sql,
                 [&](const graph::RevisionMap& map, const std::vector<std::string>& heads) {
                   return graph::PlanUpgrade(map, heads, destination);
                 },
                 start, false);
}

AlembicOutput Downgrade(const AlembicArgs& args, const std::string& revision, bool sql) {
  auto [start, destination] = SplitRange(revision);
  if (start && !sql) return Failed(base::Status::Usage("", "Range revision not allowed"));
  if (sql && !start) {
    return Failed(base::Status::Usage(
        "", "downgrade with --sql requires <fromrev>:<torev>"));
  }
  return Migrate(args, sql,
                 [&](const graph::RevisionMap& map, const std::vector<std::string>& heads) {
                   return graph::PlanDowngrade(map, heads, destination);
                 },
                 start, false);
}

AlembicOutput Stamp(const AlembicArgs& args, const std::vector<std::string>& revisions, bool sql,
                    bool purge) {
  if (sql && purge) return Failed(base::Status::Usage("", "Can't use --purge with --sql mode"));
  std::optional<std::string> start;
  std::vector<std::string> targets = revisions;
  if (sql && !targets.empty()) {
    auto [s, d] = SplitRange(targets.front());
    if (s) {
      start = s;
      targets.front() = d;
    }
  }
  return Migrate(args, sql,
                 [&](const graph::RevisionMap& map, const std::vector<std::string>& heads) {
                   return graph::PlanStamp(map, heads, targets, purge);
                 },
                 start, purge);
}

AlembicOutput EnsureVersion(const AlembicArgs& args, bool sql) {
  auto project = OpenProject(args, true);
  if (!project) return Failed(project.error());
  AlembicOutput out;
  std::vector<std::string> script_log;
  auto python = StartPython(*project, sql, out, script_log);
  if (!python) return Failed(python.error());
  ParkAtExit park(project, python);
  out.log = {Info("Context impl SQLiteImpl."), Info("Will assume transactional DDL.")};
  graph::Plan empty;
  if (sql) {
    // Alembic's offline ensure_version: the CREATE, and the DROP an offline
    // run with no heads left ends with.
    // SQLAlchemy indents the offline CREATE with four spaces.
    std::string create = version::CreateTableSql(project->target.version_table);
    for (size_t at = create.find('\t'); at != std::string::npos; at = create.find('\t', at)) {
      create.replace(at, 1, "    ");
    }
    std::ostringstream text;
    out.status = migrate::WriteOfflineSql(project->target, empty, {}, project->scripts, text);
    out.out = create + ";\n\n" + text.str();
    return out;
  }
  migrate::RunOptions options;
  options.lock_timeout_ms = args.lock_timeout_ms;
  out.status = migrate::RunPlan(project->target, empty, project->scripts, options);
  return out;
}

AlembicOutput Revision(const AlembicArgs& args, const script::NewRevisionArgs& revision) {
  auto project = OpenProject(args, false);
  if (!project) return Failed(project.error());
  auto path = script::WriteRevision(project->config, project->scripts, revision);
  if (!path) return Failed(path.error());
  AlembicOutput out;
  Print(out, fmt::format("Generating {} ...  done", *path));
  return out;
}

namespace {

struct Autogenerated {
  autogen::Model model;
  autogen::Comparison comparison;
  bool render_as_batch = false;
  python::Value process_revision_directives;  // None without one
  std::vector<std::string> heads;             // the database's
  script::PythonRuntime* runtime = nullptr;
};

// Runs env.py online, as Alembic's autogenerate does, reads its
// target_metadata and compares it with the database, which must be at the
// script directory's heads.
// `script_log` receives the scripts' logging lines, also those of the
// hooks called later (process_revision_directives): it must outlive them.
base::Result<Autogenerated> Autogenerate(Project& project, PythonSlot& python, AlembicOutput& out,
                                         bool revision, std::vector<std::string>& script_log) {
  const std::string env_path = project.scripts.script_location() + "/env.py";
  if (!HasEnvPy(project.scripts)) {
    return base::Fail(base::Status::Usage(
        env_path, "Can't proceed with --autogenerate option; environment script " + env_path +
                      " does not provide a MetaData object or sequence of objects to the context."));
  }
  python = StartPython(project, false, out, script_log, revision);
  for (auto& line : script_log) out.log.push_back(std::move(line));
  script_log.clear();
  if (!python) return base::Fail(python.error());
  const alembic::EnvOutcome& env = (*python)->env();
  auto model = autogen::ModelOf(env.target_metadata_value, env_path);
  if (!model) return base::Fail(model.error());

  out.log.push_back(Info("Context impl SQLiteImpl."));
  out.log.push_back(Info("Will assume non-transactional DDL."));
  auto current = migrate::CurrentHeads(project.target);
  if (!current) return base::Fail(current.error());
  std::vector<std::string> heads;
  for (const graph::Revision* r : graph::Heads(project.scripts.map())) heads.push_back(r->id);
  std::vector<std::string> at = *current;
  std::sort(heads.begin(), heads.end());
  std::sort(at.begin(), at.end());
  if (heads != at) return base::Fail(base::Status::Refused("", "Target database is not up to date."));

  const std::string& path = project.target.database;
  const bool exists = !path.empty() && path != ":memory:" && base::Exists(path);
  sqlite::OpenOptions open;
  open.busy_timeout_ms = 5000;
  open.policy = sqlite::FilePolicy::kMigration;
  auto db = sqlite::Db::Open(exists ? path : ":memory:",
                             exists ? sqlite::OpenMode::kReadOnly : sqlite::OpenMode::kCreate, open);
  if (!db) return base::Fail(db.error());

  autogen::CompareOptions options;
  options.version_table = project.target.version_table;
  auto option = [&](const char* key) -> const python::Value* {
    auto found = env.autogen_options.find(key);
    return found == env.autogen_options.end() ? nullptr : &found->second;
  };
  if (const python::Value* v = option("compare_type")) options.compare_type = v->Truthy();
  if (const python::Value* v = option("compare_server_default")) {
    options.compare_server_default = v->Truthy();
  }
  const python::Value* include_object = option("include_object");
  const python::Value* include_name = option("include_name");
  script::PythonRuntime* runtime = python->get();
  options.filter = autogen::EnvFilter(
      include_object ? *include_object : python::Value::None(),
      include_name ? *include_name : python::Value::None(),
      [runtime](const python::Value& callable, python::Args args) {
        return runtime->Call(callable, std::move(args));
      });
  auto comparison = autogen::Compare(*model, *db, options);
  if (!comparison) return base::Fail(comparison.error());
  for (const auto& line : comparison->log) {
    out.log.push_back(fmt::format("INFO  [alembic.autogenerate.compare] {}", line));
  }
  const python::Value* hook = option("process_revision_directives");
  return Autogenerated{std::move(*model), std::move(*comparison), env.render_as_batch,
                       hook ? *hook : python::Value::None(), std::move(*current), runtime};
}

std::string DanglingMessage(const autogen::Difference& d, const std::string& database) {
  return fmt::format(
      "table '{}' has a foreign key ({}) to table '{}', which does not exist; repair it first "
      "with `sqlmend fix-fk {}`",
      d.table, fmt::join(d.foreign_key.columns, ", "), d.foreign_key.target_table, database);
}

DifferenceInfo InfoOf(const autogen::Model& model, const autogen::Difference& d) {
  using K = autogen::Difference::Kind;
  DifferenceInfo info;
  info.op = autogen::KindName(d.kind);
  info.table = d.table;
  auto index_columns = [](const ops::Index& index) {
    std::vector<std::string> out;
    for (const auto& e : index.elements) out.push_back(e.text);
    return out;
  };
  switch (d.kind) {
    case K::kAddTable:
    case K::kRemoveTable:
      break;
    case K::kAddColumn: {
      info.column = d.column;
      const ops::Table* table = nullptr;
      for (const auto& t : model.tables) {
        if (t.table.name == d.table) table = &t.table;
      }
      if (table != nullptr && d.model_column) {
        const ops::Column& c = table->columns[*d.model_column];
        info.type = ops::CompileSqliteType(c.type);
        bool pk = c.primary_key;
        if (table->primary_key) {
          for (const auto& name : table->primary_key->columns) pk = pk || name == c.name;
        }
        info.nullable = c.nullable.value_or(!pk);
      }
      break;
    }
    case K::kRemoveColumn:
      info.column = d.column;
      break;
    case K::kModifyNullable:
      info.column = d.column;
      info.existing_bool = d.existing_nullable;
      info.nullable = d.nullable;
      break;
    case K::kModifyType:
      info.column = d.column;
      info.existing_text = ops::CompileSqliteType(d.existing_type);
      info.type = ops::CompileSqliteType(d.type);
      break;
    case K::kModifyDefault:
      info.column = d.column;
      info.has_defaults = true;
      info.existing_default = d.existing_default;
      if (d.server_default) {
        info.server_default = d.server_default->kind == ops::ServerDefault::Kind::kNow
                                  ? std::string("CURRENT_TIMESTAMP")
                                  : d.server_default->text;
      }
      break;
    case K::kAddIndex:
    case K::kRemoveIndex:
      info.has_name = true;
      info.name = d.index.name.value;
      info.columns = index_columns(d.index);
      info.unique = d.index.unique;
      break;
    case K::kAddUnique:
    case K::kRemoveUnique:
      info.kind = "unique";
      info.has_name = true;
      info.name = d.unique.name.value;
      info.columns = d.unique.columns;
      break;
    case K::kAddForeignKey:
    case K::kRemoveForeignKey:
    case K::kDanglingForeignKey:
      info.has_name = true;
      info.name = d.foreign_key.name.value;
      info.columns = d.foreign_key.columns;
      info.referred_table = d.foreign_key.target_table;
      info.referred_columns = d.foreign_key.target_columns;
      break;
  }
  return info;
}

// One difference on one line, for `check`'s text output.
std::string DescribeDifference(const DifferenceInfo& d) {
  std::string out = d.op + " " + d.table;
  if (d.column) out += "." + *d.column;
  if (d.has_name) out += " " + d.name.value_or("(unnamed)");
  if (d.columns) out += fmt::format(" ({})", fmt::join(*d.columns, ", "));
  if (d.referred_table) {
    out += fmt::format(" -> {}({})", *d.referred_table, fmt::join(*d.referred_columns, ", "));
  }
  if (d.existing_text) out += ": " + *d.existing_text + " -> " + d.type.value_or("");
  else if (d.type) out += " " + *d.type;
  if (d.existing_bool) {
    out += std::string(": ") + (*d.existing_bool ? "NULL" : "NOT NULL") + " -> " +
           (d.nullable.value_or(true) ? "NULL" : "NOT NULL");
  } else if (d.nullable) {
    out += *d.nullable ? " NULL" : " NOT NULL";
  }
  if (d.has_defaults) {
    out += ": " + d.existing_default.value_or("None") + " -> " + d.server_default.value_or("None");
  }
  return out;
}

// Opens the project, runs the comparison and hands it to `body`, with the
// project and its interpreter alive until `body` returns.
AlembicOutput WithComparison(
    const AlembicArgs& args, bool revision,
    const std::function<void(Project&, Autogenerated&, AlembicOutput&)>& body) {
  auto project = OpenProject(args, true);
  if (!project) return Failed(project.error());
  AlembicOutput out;
  PythonSlot python = std::unique_ptr<script::PythonRuntime>();
  ParkAtExit park(project, python);
  std::vector<std::string> script_log;
  auto found = Autogenerate(*project, python, out, revision, script_log);
  if (!found) {
    out.status = found.error();
    return out;
  }
  body(*project, *found, out);
  for (auto& line : script_log) out.log.push_back(std::move(line));
  return out;
}

}  // namespace

AlembicOutput RevisionAutogenerate(const AlembicArgs& args, script::NewRevisionArgs revision) {
  return WithComparison(args, true, [&](Project& project, Autogenerated& found, AlembicOutput& out) {
    for (const auto& d : found.comparison.differences) {
      if (d.kind == autogen::Difference::Kind::kDanglingForeignKey) {
        out.status = base::Status::Refused(project.target.database,
                                           DanglingMessage(d, project.target.database));
        return;
      }
    }
    auto rendered = autogen::RenderRevision(found.model, found.comparison, found.render_as_batch);
    if (!rendered) {
      out.status = rendered.error();
      return;
    }
    if (!found.process_revision_directives.IsNone()) {
      autogen::RevisionDirectives given;
      given.message = revision.message;
      given.rev_id = revision.rev_id;
      given.heads = revision.heads;
      given.version_path = revision.version_path;
      given.branch_labels = revision.branch_labels;
      given.depends_on = revision.depends_on;
      script::PythonRuntime* runtime = found.runtime;
      auto kept = autogen::ProcessRevisionDirectives(
          found.process_revision_directives,
          [runtime](const python::Value& callable, python::Args call_args) {
            return runtime->Call(callable, std::move(call_args));
          },
          std::move(given), found.comparison.differences.empty(), found.heads);
      if (!kept) {
        out.status = kept.error();
        return;
      }
      if (!kept->write) return;  // the hook dropped the revision, as under Alembic
      revision.message = kept->message;
      revision.rev_id = kept->rev_id;
      revision.heads = kept->heads;
      revision.version_path = kept->version_path;
      revision.branch_labels = kept->branch_labels;
      revision.depends_on = kept->depends_on;
    }
    revision.upgrades = std::move(rendered->upgrades);
    revision.downgrades = std::move(rendered->downgrades);
    revision.imports = std::move(rendered->imports);
    auto path = script::WriteRevision(project.config, project.scripts, revision);
    if (!path) {
      out.status = path.error();
      return;
    }
    Print(out, fmt::format("Generating {} ...  done", *path));
  });
}

AlembicOutput Check(const AlembicArgs& args) {
  return WithComparison(args, false, [&](Project& project, Autogenerated& found, AlembicOutput& out) {
    for (const auto& d : found.comparison.differences) {
      out.differences.push_back(InfoOf(found.model, d));
      Print(out, DescribeDifference(out.differences.back()));
      if (d.kind == autogen::Difference::Kind::kDanglingForeignKey) {
        Print(out, "  " + DanglingMessage(d, project.target.database));
      }
    }
    if (out.differences.empty()) {
      Print(out, "No new upgrade operations detected.");
    } else {
      out.status = base::Status::Damage(
          "", fmt::format("New upgrade operations detected: {} (listed above)",
                          out.differences.size()));
    }
  });
}

AlembicOutput Merge(const AlembicArgs& args, script::NewRevisionArgs revision) {
  revision.merge = true;
  return Revision(args, revision);
}

AlembicOutput Init(const AlembicArgs& args, const std::string& directory,
                   const std::string& template_name) {
  std::string config_path = args.config.config_paths.empty() ? "alembic.ini"
                                                             : args.config.config_paths.front();
  auto lines = script::InitProject(directory, template_name, config_path);
  if (!lines) return Failed(lines.error());
  AlembicOutput out;
  for (const auto& line : *lines) Print(out, line);
  return out;
}

AlembicOutput ListTemplates() {
  AlembicOutput out;
  out.out =
      "Available templates:\n\n"
      "generic - Generic single-database configuration.\n"
      "sql - Plain-SQL revisions (.sql files with -- upgrade / -- downgrade sections).\n"
      "\nTemplates are used via the 'init' command, e.g.:\n\n"
      "  sqlmend init --template generic ./scripts\n";
  return out;
}

}  // namespace sqlmend::commands
