// What the Alembic-compatible verbs share (internal to the commands
// module): the project a command line names, env.py run first, and the
// output helpers. alembic_commands.cc holds the verbs that read and move
// revisions, autogen_commands.cc `revision --autogenerate` and `check`.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "commands/alembic_commands.h"
#include "config/alembic_config.h"
#include "migrate/runner.h"
#include "script/python_runtime.h"
#include "script/script_directory.h"

namespace sqlmend::commands {

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

bool HasEnvPy(const script::ScriptDirectory& scripts);

// Points the project at the database `url` names (env.py's, found at
// `where`).
base::Status SetDatabase(Project& project, const std::string& url, const std::string& where);

// Loads the config and the script directory; with `need_database`, the
// database as the ini names it (or, later, env.py).
// `runs_env`: the command runs env.py (ScriptDirectory::Load()).
base::Result<Project> OpenProject(const AlembicArgs& args, bool need_database,
                                  bool runs_env = false);

// Alembic's own log lines, as its logging configuration prints them.
std::string Info(std::string_view text);

// env.py runs first, as in Alembic: it names the version table, the naming
// convention and what each connection runs. print() in the project's
// scripts goes to stdout (out.out), logging calls to `script_log` as the
// lines to show; both must outlive every call into the scripts.
// `autogenerate` is cmd_opts.autogenerate.
base::Result<std::unique_ptr<script::PythonRuntime>> StartPython(
    Project& project, bool sql, AlembicOutput& out, std::vector<std::string>& script_log,
    bool autogenerate = false);

using PythonSlot = base::Result<std::unique_ptr<script::PythonRuntime>>;

// With SkipCleanupAtExit(true), hands the project and its Python runtime
// over to process exit when the command returns, on every path: they are
// parked where they stay reachable (so leak checkers do not flag them) and
// are never freed.
class ParkAtExit {
 public:
  ParkAtExit(base::Result<Project>& project, PythonSlot& python)
      : project_(project), python_(python) {}
  ParkAtExit(const ParkAtExit&) = delete;
  ParkAtExit& operator=(const ParkAtExit&) = delete;
  ~ParkAtExit();

 private:
  base::Result<Project>& project_;
  PythonSlot& python_;
};

// For the verbs that otherwise run no Python (current, history, show
// current): runs env.py when only it knows the database, as Alembic runs it
// for them.
base::Status DatabaseFromEnv(Project& project, PythonSlot& python, AlembicOutput& out);

AlembicOutput Failed(base::Status status);
void Print(AlembicOutput& out, const std::string& text);

}  // namespace sqlmend::commands
