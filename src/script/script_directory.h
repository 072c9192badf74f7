// The script directory: where a project's revision files live, loaded as
// Alembic's ScriptDirectory loads them, plus the files `revision`, `merge`
// and `init` write.
//
// Loading (ScriptDirectory::Load):
//   1. script_location and version_locations from the config (config::);
//      a missing folder fails with Alembic's "Path doesn't exist: '<path>'.
//      Please use the 'init' command to create a new scripts folder.";
//   2. every *.py (Alembic 1.8.1's rules: not names starting with "__init__"
//      or ".#" (Emacs locks; other dot-files are loaded, as in Alembic),
//      compiled .pyc ignored) and every *.sql revision (sql_revision.h; not
//      dot-files)
//      in each version location, recursively when recursive_version_locations
//      is true, in the folder's directory order (os.listdir order: unsorted
//      readdir order, which Alembic's heads/branches order depends on);
//   3. each .py file's header through alembic::ReadRevisionHeader, each .sql
//      file through ParseSqlRevision, into graph::Revision (doc = the message
//      Alembic shows);
//   4. graph::RevisionMap::Build over them (duplicates, cycles, missing
//      parents fail with Alembic's sentences);
//   5. env.py (beside script.py.mako in script_location), read statically by
//      alembic::ReadEnvSettings for version_table / version_table_schema.
// Bodies are read on demand (UpgradeSql / DowngradeSql): for .py files only
// op.execute("...") bodies run in this version (alembic::ReadExecuteBody);
// anything else is a located error naming the file, line and construct.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alembic/env_py.h"
#include "base/status.h"
#include "config/alembic_config.h"
#include "graph/revision_map.h"
#include "python/parser.h"

namespace sqlmend::script {

// One SQL text to execute, with where it came from (for error messages:
// "file:line: <SQLite's message>").
struct SqlText {
  std::string sql;
  std::string file;
  int line = 0;
};

struct Script {
  enum class Kind { kPython, kSql };
  Kind kind = Kind::kPython;
  std::string path;      // absolute path of the file
  std::string longdoc;   // the whole docstring (Python) or message (SQL), for -v output
  std::string create_date;  // as written in the file, when present
  // A .py file's parse tree, kept from reading its header so that running
  // its body does not parse it again (script/python_runtime.h).
  std::shared_ptr<const python::PythonModule> module;
};

class ScriptDirectory {
 public:
  // The most revision files Load() reads: each takes 2-3 kB while a command
  // runs (its header, graph links, plan step), so 30,000 `.sql` revisions
  // upgrade within the 100 MB memory bar of tools/bench.sh. Real projects
  // have hundreds; more is refused before any file is read.
  static constexpr size_t kMaxRevisionFiles = 30000;

  // Loads the project described by `config`. Errors are kUsage with
  // Alembic's sentence as the message (the CLI prints "FAILED: <message>").
  // `runs_env`: the command will run env.py, so the files env.py imports
  // (found on the project's initial sys.path, and what they import in
  // turn) are parsed too, on the two threads that parse the revisions,
  // rather than one after another when env.py reaches each import
  // (prefetched()).
  static base::Result<ScriptDirectory> Load(const config::AlembicConfig& config,
                                            bool runs_env = false);

  const graph::RevisionMap& map() const { return *map_; }
  // The file behind revision `id` (an exact id, as in graph::Revision::id).
  const Script* Find(const std::string& id) const;
  // Every revision file, by revision id.
  const std::map<std::string, Script>& scripts() const { return scripts_; }

  // The statements of upgrade() / downgrade() of revision `id`, in order,
  // read from the file now. A .py file gives one SqlText per op.execute()
  // (line: the call's line); a .sql file one SqlText holding its section
  // (line: the section's first line), or none when the section is blank.
  // Fails with kRefused for an unknown id, with the interpreter's located errors for a
  // body that is not only op.execute() calls.
  base::Result<std::vector<SqlText>> UpgradeSql(const std::string& id) const;
  base::Result<std::vector<SqlText>> DowngradeSql(const std::string& id) const;

  const std::string& script_location() const { return script_location_; }
  const std::vector<std::string>& version_locations() const { return version_locations_; }
  // From env.py; defaults ("alembic_version", no schema) when env.py is absent.
  const alembic::EnvSettings& env() const { return env_; }
  // Why env.py could not be read (a syntax error), OK otherwise; env() then
  // holds the defaults. Load() does not fail for it: `heads` or `history`
  // never run env.py in Alembic either.
  const base::Status& env_status() const { return env_status_; }
  // env.py's parse tree (null without env.py or after a syntax error), for
  // the runtime that runs it (python_runtime.h).
  const std::shared_ptr<const python::PythonModule>& env_module() const { return env_module_; }
  // The modules parsed for env.py's imports (Load() with runs_env), for the
  // runtime's module loader to adopt.
  const std::vector<std::shared_ptr<const python::PythonModule>>& prefetched() const {
    return prefetched_;
  }
  // The project's initial sys.path (config::ProjectPythonPath()), when
  // Load() computed it for the prefetch; the runtime reuses it.
  const std::optional<std::vector<std::string>>& sys_path() const { return sys_path_; }

 private:
  base::Result<std::vector<SqlText>> BodySql(const std::string& id, bool upgrade) const;

  std::shared_ptr<graph::RevisionMap> map_;
  std::map<std::string, Script> scripts_;  // id -> file
  std::string script_location_;
  std::vector<std::string> version_locations_;
  alembic::EnvSettings env_;
  base::Status env_status_;
  std::shared_ptr<const python::PythonModule> env_module_;
  std::vector<std::shared_ptr<const python::PythonModule>> prefetched_;
  std::optional<std::vector<std::string>> sys_path_;
};

// What `revision` / `merge` ask for.
struct NewRevisionArgs {
  std::string message;                         // -m
  std::optional<std::string> rev_id;           // --rev-id; default: 12 hex digits (uuid4)
  std::vector<std::string> heads;              // --head (default "head"); merge: the revisions merged
  bool splice = false;                         // --splice
  std::vector<std::string> branch_labels;      // --branch-label
  std::optional<std::string> version_path;     // --version-path
  std::vector<std::string> depends_on;         // --depends-on
  bool merge = false;                          // written by `merge`
  // --autogenerate: script.py.mako's ${upgrades}, ${downgrades} and
  // ${imports} (autogen/render.h); unset for a plain revision. An SQL
  // project (script.sql.tmpl) refuses them.
  std::optional<std::string> upgrades;
  std::optional<std::string> downgrades;
  std::optional<std::string> imports;
};

// Writes a new revision file and returns its path. A project whose
// script_location holds script.py.mako gets a .py file rendered from it (the
// Mako subset Alembic's templates use: ${...} expressions with the variables
// Alembic passes — up_revision, down_revision, branch_labels, depends_on,
// message, create_date, imports, upgrades, downgrades — the `| comma,n`
// filter, repr(), and % if / % endif lines); a project with a script.sql.tmpl
// (written by `init -t sql`) gets a .sql revision. The file name follows
// file_template (%(rev)s, %(slug)s, %(epoch)s, %(year)s, ... as Alembic),
// truncate_slug_length and timezone. Errors use Alembic's wording ("Revision
// <id> is present more than once", "Multiple heads are present; please
// specify the head revision on which the new revision should be based, or
// perform a merge.", "--splice"...).
base::Result<std::string> WriteRevision(const config::AlembicConfig& config,
                                        const ScriptDirectory& scripts,
                                        const NewRevisionArgs& args);

// `init DIRECTORY -t TEMPLATE`: "generic" (Alembic-style: env.py,
// script.py.mako, versions/) or "sql" (versions/ with .sql revisions and a
// script.sql.tmpl), plus alembic.ini when absent. Returns the lines Alembic
// prints ("Creating directory ...  ...  done").
base::Result<std::vector<std::string>> InitProject(const std::string& directory,
                                                   const std::string& template_name,
                                                   const std::string& config_path);

}  // namespace sqlmend::script
