#include "script/script_directory.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "alembic/op_execute.h"
#include "alembic/revision_header.h"
#include "base/files.h"
#include "base/thread.h"
#include "config/python_path.h"
#include "config/python_text.h"
#include "python/parse_ahead.h"
#include "python/parser.h"
#include "script/sql_revision.h"
#include "script/text_file.h"

namespace sqlmend::script {

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Alembic 1.8.1's _only_source_rev_file, `(?!\.\#|__init__)(.*\.py)$`
// matched from the start of the name: a .py name not starting with ".#"
// (an Emacs lock) or "__init__". Other names starting with '.' ARE loaded
// by Alembic, and so they are here. Compiled .pyc/.pyo files are ignored
// (sourceless mode is not supported: there is no source to read).
bool IsPythonRevisionName(std::string_view name) {
  return EndsWith(name, ".py") && !StartsWith(name, ".#") && !StartsWith(name, "__init__");
}

// .sql revisions: sqlmend's own format; hidden files and editor locks are
// skipped.
bool IsSqlRevisionName(std::string_view name) {
  return EndsWith(name, ".sql") && !StartsWith(name, ".");
}

std::string RealPath(const std::string& path) {
  char* resolved = ::realpath(path.c_str(), nullptr);
  if (!resolved) return path;
  std::string out = resolved;
  ::free(resolved);
  return out;
}

// The "Create Date: ..." line of a docstring, as the templates write it.
std::string CreateDateOf(std::string_view longdoc) {
  size_t pos = 0;
  while (pos < longdoc.size()) {
    size_t nl = longdoc.find('\n', pos);
    std::string_view line = longdoc.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    if (StartsWith(line, "Create Date: ")) {
      std::string value(line.substr(13));
      while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.pop_back();
      return value;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return "";
}

// Collects the revision file paths of one version location, in readdir
// order; subfolders (except __pycache__) follow the files of their parent
// when `recursive`, as os.walk(topdown=True) yields them.
base::Status ListRevisionFiles(const std::string& folder, bool recursive,
                               std::vector<std::string>* files) {
  auto names = ListFolder(folder);
  if (!names) return names.error();
  std::vector<std::string> subfolders;
  for (const std::string& name : *names) {
    std::string path = folder + "/" + name;
    if (IsFolder(path)) {
      if (recursive && name != "__pycache__") subfolders.push_back(path);
      continue;
    }
    if (IsPythonRevisionName(name) || IsSqlRevisionName(name)) files->push_back(path);
  }
  for (const std::string& sub : subfolders) {
    SQLMEND_RETURN_IF_ERROR(ListRevisionFiles(sub, recursive, files));
  }
  return base::Status::Ok();
}

// Parses every .py file of `paths` (their `texts`), on up to two threads:
// tree-sitter parsing is most of the time a command spends loading a
// project, and files parse independently. Other files get no entry. With
// `env_search_path`, the files the module at `paths[env_index]` imports
// (python::ImportedFiles) are parsed too, and what they import in turn,
// up to kMaxPrefetched files, into `prefetched`.
constexpr size_t kMaxPrefetched = 512;

struct ParsedFiles {
  std::vector<std::optional<base::Result<python::PythonModule>>> files;
  std::vector<python::PythonModule> prefetched;
};

ParsedFiles ParsePythonFiles(const std::vector<std::string>& paths,
                             const std::vector<std::string>& texts, size_t env_index,
                             const std::vector<std::string>* env_search_path) {
  ParsedFiles out;
  out.files.resize(paths.size());
  std::mutex mu;
  std::condition_variable changed;
  std::vector<std::string> extra;  // files to prefetch, in the order found
  std::set<std::string> queued(paths.begin(), paths.end());
  size_t next = 0;
  size_t next_extra = 0;
  size_t busy = 0;
  // Queues the files `module` imports; `mu` held.
  auto queue_imports = [&](const std::vector<std::string>& files) {
    for (const std::string& file : files) {
      if (queued.size() >= paths.size() + kMaxPrefetched) return;
      if (queued.insert(file).second) extra.push_back(file);
    }
  };
  auto work = [&] {
    std::unique_lock lock(mu);
    while (true) {
      if (next < paths.size() || next_extra < extra.size()) {
        const bool listed = next < paths.size();
        const size_t index = listed ? next++ : next_extra++;
        const std::string path = listed ? paths[index] : extra[index];
        ++busy;
        lock.unlock();
        std::optional<base::Result<python::PythonModule>> parsed;
        if (!listed) {
          parsed.emplace(python::PythonModule::ParseFile(path));
        } else if (!EndsWith(path, ".sql")) {
          parsed.emplace(python::PythonModule::Parse(texts[index], path));
        }
        std::vector<std::string> imports;
        if (env_search_path != nullptr && parsed && *parsed && (!listed || index == env_index)) {
          imports = python::ImportedFiles(**parsed, *env_search_path);
        }
        lock.lock();
        if (listed) {
          out.files[index] = std::move(parsed);
        } else if (parsed && *parsed) {
          out.prefetched.push_back(std::move(**parsed));
        }
        queue_imports(imports);
        --busy;
        changed.notify_all();
        continue;
      }
      if (busy == 0) return;
      changed.wait(lock);
    }
  };
  const bool parallel =
      (paths.size() >= 8 || env_search_path != nullptr) && base::SecondCpuAvailable();
  if (parallel) {
    base::WorkerThread helper(work);
    work();
    helper.Join();
  } else {
    work();
  }
  return out;
}

}  // namespace

base::Result<ScriptDirectory> ScriptDirectory::Load(const config::AlembicConfig& config,
                                                    bool runs_env) {
  ScriptDirectory dir;
  // 1. The folders.
  auto location = config.ScriptLocation();
  if (!location) return base::Fail(location.error());
  dir.script_location_ = *location;
  if (!base::Exists(dir.script_location_)) {
    // Alembic 1.8.1's wording, two spaces included.
    return base::Fail(base::Status::Usage(
        dir.script_location_,
        fmt::format("Path doesn't exist: {}.  Please use the 'init' command to create a new "
                    "scripts folder.",
                    config::PythonRepr(dir.script_location_))));
  }
  auto locations = config.VersionLocations();
  if (!locations) return base::Fail(locations.error());
  dir.version_locations_ = *locations;
  auto recursive = config.RecursiveVersionLocations();
  if (!recursive) return base::Fail(recursive.error());

  // 2. The files. Configured locations that do not exist are skipped, as
  // Alembic does; the default <script_location>/versions must exist
  // (Alembic 1.8.1 dies in os.listdir there).
  // NOTE: a version_locations that names only <script_location>/versions is
  // treated as the default.
  std::vector<std::string> files;
  const std::string default_versions = dir.script_location_ + "/versions";
  for (const std::string& folder : dir.version_locations_) {
    if (!IsFolder(folder)) {
      if (dir.version_locations_.size() == 1 && folder == default_versions) {
        return base::Fail(base::Status::Usage(
            folder, fmt::format("[Errno 2] No such file or directory: {}", config::PythonRepr(folder))));
      }
      continue;
    }
    SQLMEND_RETURN_IF_ERROR(ListRevisionFiles(folder, *recursive, &files));
  }
  if (files.size() > kMaxRevisionFiles) {
    return base::Fail(base::Status::Unusable(
        dir.script_location_,
        fmt::format("{} revision files; sqlmend reads script directories of up to {} (each "
                    "revision takes a few kB while a command runs)",
                    files.size(), kMaxRevisionFiles)));
  }

  // 3. Each file's header. A file reached twice (the same folder listed
  // twice, or through a symlink) is read once, as Alembic warns and skips.
  std::set<std::string> seen;
  std::vector<std::string> unique_files;
  std::vector<std::string> texts;
  for (const std::string& path : files) {
    if (!seen.insert(RealPath(path)).second) {
      spdlog::warn("File {} loaded twice! ignoring. Please ensure version_locations is unique.",
                   RealPath(path));
      continue;
    }
    auto text = ReadTextFile(path);
    if (!text) return base::Fail(text.error());
    unique_files.push_back(path);
    texts.push_back(std::move(*text));
  }
  // env.py is parsed with the revisions (step 5 reads it).
  const std::string env_path = dir.script_location_ + "/env.py";
  const bool has_env = IsRegularFile(env_path);
  if (has_env) {
    auto text = ReadTextFile(env_path);
    if (!text) return base::Fail(text.error());
    unique_files.push_back(env_path);
    texts.push_back(std::move(*text));
  }
  // The project's initial sys.path, where env.py's imports are looked for
  // (without it, nothing is prefetched: running env.py reports the error).
  if (runs_env && has_env) {
    if (auto sys_path = config::ProjectPythonPath(config)) dir.sys_path_ = std::move(*sys_path);
  }
  auto parsed = ParsePythonFiles(unique_files, texts, unique_files.size() - 1,
                                 dir.sys_path_ ? &*dir.sys_path_ : nullptr);
  auto& modules = parsed.files;
  for (python::PythonModule& module : parsed.prefetched) {
    dir.prefetched_.push_back(std::make_shared<const python::PythonModule>(std::move(module)));
  }
  std::optional<base::Result<python::PythonModule>> env_module;
  if (has_env) {
    env_module = std::move(modules.back());
    modules.pop_back();
    unique_files.pop_back();
    texts.pop_back();
  }
  std::vector<graph::Revision> revisions;
  for (size_t i = 0; i < unique_files.size(); ++i) {
    const std::string& path = unique_files[i];
    const std::string* text = &texts[i];
    graph::Revision revision;
    Script script;
    script.path = path;
    revision.path = path;
    if (EndsWith(path, ".sql")) {
      auto parsed = ParseSqlRevision(*text, path);
      if (!parsed) return base::Fail(parsed.error());
      script.kind = Script::Kind::kSql;
      script.longdoc = parsed->message;
      script.create_date = parsed->create_date;
      revision.id = parsed->revision;
      revision.down_revisions = parsed->down_revisions;
      revision.branch_labels = parsed->branch_labels;
      revision.depends_on = parsed->depends_on;
      revision.doc = parsed->message;
    } else {
      auto& module = *modules[i];
      if (!module) return base::Fail(module.error());
      script.module = std::make_shared<const python::PythonModule>(std::move(*module));
      auto header = alembic::ReadRevisionHeader(*script.module);
      if (!header) return base::Fail(header.error());
      script.kind = Script::Kind::kPython;
      script.longdoc = header->LongDoc();
      script.create_date = CreateDateOf(script.longdoc);
      revision.id = header->revision;
      revision.down_revisions = header->down_revisions;
      revision.branch_labels = header->branch_labels;
      revision.depends_on = header->depends_on;
      revision.doc = header->Message();
    }
    // A duplicate id is refused by RevisionMap::Build below; keep the first
    // file here so the map and the files agree until then.
    dir.scripts_.emplace(revision.id, std::move(script));
    revisions.push_back(std::move(revision));
  }

  // 4. The graph. Its refusals are Alembic's sentences; for the CLI they are
  // usage errors ("FAILED: <message>").
  auto map = graph::RevisionMap::Build(std::move(revisions));
  if (!map) {
    const base::Status& st = map.error();
    return base::Fail(base::Status::Usage(st.object(), st.message()));
  }
  dir.map_ = std::make_shared<graph::RevisionMap>(std::move(*map));

  // 5. env.py, when there is one. A syntax error there does not stop
  // commands that never run env.py (heads, history); it is kept for those
  // that do.
  if (env_module && *env_module) {
    dir.env_module_ = std::make_shared<const python::PythonModule>(std::move(**env_module));
    dir.env_ = alembic::ReadEnvSettings(*dir.env_module_);
  } else if (env_module) {
    dir.env_status_ = env_module->error();
  }
  return dir;
}

const Script* ScriptDirectory::Find(const std::string& id) const {
  auto it = scripts_.find(id);
  return it == scripts_.end() ? nullptr : &it->second;
}

base::Result<std::vector<SqlText>> ScriptDirectory::BodySql(const std::string& id,
                                                            bool upgrade) const {
  const Script* script = Find(id);
  if (!script) {
    return base::Fail(base::Status::Refused(id, "no revision file with this id"));
  }
  auto text = ReadTextFile(script->path);
  if (!text) return base::Fail(text.error());
  std::vector<SqlText> out;
  if (script->kind == Script::Kind::kSql) {
    auto parsed = ParseSqlRevision(*text, script->path);
    if (!parsed) return base::Fail(parsed.error());
    const std::string& sql = upgrade ? parsed->upgrade_sql : parsed->downgrade_sql;
    // A section of blank lines changes nothing: no statement at all.
    if (sql.find_first_not_of(" \t\r\n") != std::string::npos) {
      out.push_back({sql, script->path, upgrade ? parsed->upgrade_line : parsed->downgrade_line});
    }
    return out;
  }
  auto statements =
      alembic::ReadExecuteBody(*text, script->path, upgrade ? "upgrade" : "downgrade");
  if (!statements) return base::Fail(statements.error());
  for (alembic::Statement& statement : *statements) {
    out.push_back({std::move(statement.sql), script->path, statement.location.line});
  }
  return out;
}

base::Result<std::vector<SqlText>> ScriptDirectory::UpgradeSql(const std::string& id) const {
  return BodySql(id, true);
}

base::Result<std::vector<SqlText>> ScriptDirectory::DowngradeSql(const std::string& id) const {
  return BodySql(id, false);
}

}  // namespace sqlmend::script
