// PythonRuntime: a project's env.py and .py revision bodies, evaluated for
// one command run by sqlmend's interpreter (alembic/project.h). No Python runs.
//
// Alembic runs env.py for every command that touches the database
// (upgrade, downgrade, stamp, current); env.py then decides the version
// table, the naming convention of target_metadata, whether batch mode is the
// default, and what each new connection runs ("connect" listeners such as
// PRAGMA foreign_keys=ON). Start() evaluates env.py once, up front; the
// revision bodies are evaluated on demand, before any database is opened, so
// a body sqlmend cannot evaluate stops the run with its file, line and
// column while the database is untouched.
//
// A project without env.py (a sqlmend `init -t sql` project) runs with
// Alembic's defaults.
//
// NOTE: the interpreter's reference cycles are left to process exit; the
// runtime's allocations are exempt from LeakSanitizer (base/leak_check.h).
#pragma once

#include <memory>
#include <string>

#include "alembic/project.h"
#include "base/status.h"
#include "config/alembic_config.h"
#include "script/script_directory.h"

namespace sqlmend::script {

class PythonRuntime {
 public:
  // Evaluates `scripts`' env.py under `config` (its sections and -x
  // arguments), with sys.path as CPython would have it in the project's
  // environment (config/python_path.h: prepend_sys_path, $PYTHONPATH, the
  // virtualenv's site-packages and .pth files, the declared src layout). `offline` is --sql (is_offline_mode()).
  // `log` receives the scripts' print() and logging output. Errors are
  // located in env.py or the module it imports.
  static base::Result<std::unique_ptr<PythonRuntime>> Start(const config::AlembicConfig& config,
                                                            const ScriptDirectory& scripts,
                                                            bool offline, python::LogSink log = {},
                                                            bool autogenerate = false);

  // What env.py handed to Alembic (defaults without env.py).
  const alembic::EnvOutcome& env() const { return env_; }

  // The operations upgrade() (or downgrade()) of the .py revision `id`
  // records. kRefused for an unknown id or a .sql revision.
  // With `live`, the body runs on that connection (alembic/project.h).
  base::Result<alembic::BodyOperations> Operations(const std::string& id, bool upgrade,
                                                   sqlalchemy::Connection* live = nullptr);

  // Calls a callable env.py handed over (include_object, ...).
  base::Result<python::Value> Call(const python::Value& callable, python::Args args) {
    return project_->Call(callable, std::move(args));
  }

  // Sends what a body printed or logged (BodyOperations::output) to the
  // `log` given to Start().
  void EmitLog(const python::LogRecord& record) { project_->EmitLog(record); }

 private:
  PythonRuntime(const ScriptDirectory& scripts, std::unique_ptr<alembic::Project> project)
      : scripts_(scripts), project_(std::move(project)) {}

  const ScriptDirectory& scripts_;
  std::unique_ptr<alembic::Project> project_;
  alembic::EnvOutcome env_;
};

}  // namespace sqlmend::script
