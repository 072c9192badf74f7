// A project's Python, evaluated without Python: env.py, the project's own
// modules it imports (through prepend_sys_path), and the upgrade() /
// downgrade() bodies of .py revision files, all in one interpreter (as in
// one Python process, a module imported twice runs once).
//
// env.py runs against a modelled Alembic context (alembic.context):
// context.config (get_main_option, get_section, get_section_option,
// set_main_option, config_ini_section, config_file_name, get_x_argument,
// attributes, cmd_opts), context.configure(...) recording its keywords,
// is_offline_mode(), begin_transaction(), run_migrations(),
// get_x_argument(); sqlalchemy.engine_from_config / create_engine,
// connect(), pool.NullPool, logging.config.fileConfig (no-op), and
// event.listens_for(engine_or_Engine, "connect") listeners, which are called
// with a modelled DBAPI connection when env.py connects: the SQL they
// execute (cursor.execute("PRAGMA foreign_keys=ON")) is recorded as
// EnvOutcome::connect_statements, for the runner to run on its connection.
//
// Imports: `alembic`, `sqlalchemy` and the modelled standard library resolve
// to the interpreter's modules; any other module is looked up as
// <dir>/<a>/<b>.py or <dir>/<a>/<b>/__init__.py in each sys_path entry, in
// order, parsed and run once (python/module_loader.h). A module found
// nowhere (not installed, or a standard library module sqlmend does not
// model) or only as a C extension is a placeholder (python/placeholder.h),
// whose calls stop the run inside upgrade() and downgrade(); an unmodelled
// part of sqlalchemy is an error only when the imported name is used
// ("<file>:<line>:<col>: module 'sqlalchemy.ext.mutable' is not available
// (imported at <file>:<line>:<col>): ...").
//
// The pieces: module_loader.h (the search, sys.path, relative imports),
// env_context.h (alembic.context, Config, engines, connections, listeners
// and what each refuses), os_sys_modules.h (os.environ is never read: its
// lookups give their defaults). env.py and each revision file run as the
// module Alembic's load_python_file() names ("env.py" → "env_py"), with
// __file__ the path given here.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ops/naming_convention.h"
#include "ops/operation.h"
#include "python/interpreter.h"
#include "sqlalchemy/connection.h"

namespace sqlmend::alembic {

// What env.py can see of the configuration (Alembic's Config), already
// read and interpolated by the caller.
struct ProjectContext {
  std::string config_file_name;  // absolute path of alembic.ini (or pyproject.toml)
  std::string config_ini_section = "alembic";
  // Every section of the config file, options in file order, values as
  // configparser gives them (interpolated).
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> sections;
  std::vector<std::string> x_arguments;  // -x key=value, as given
  // The import search path, absolute, in order (config/python_path.h).
  std::vector<std::string> sys_path;
  bool offline = false;                  // --sql
  bool autogenerate = false;             // revision --autogenerate (cmd_opts.autogenerate)
};

// What env.py handed to Alembic.
struct EnvOutcome {
  std::string version_table = "alembic_version";
  std::optional<std::string> version_table_schema;
  bool render_as_batch = false;
  bool transaction_per_migration = false;
  // configure(transactional_ddl=...) when given; Alembic's SQLite default
  // (False) otherwise.
  std::optional<bool> transactional_ddl;
  // configure(url=...) or the URL of the engine whose connection env.py
  // passed to configure(connection=...), when either was given.
  std::optional<std::string> url;
  // target_metadata's naming convention; the default MetaData's when env.py
  // passes none (target_metadata=None).
  ops::MetaData target_metadata;
  bool has_target_metadata = false;
  // The SQL the "connect" listeners ran on the new connection, in order.
  std::vector<std::string> connect_statements;
  // configure(literal_binds=True) (the generic template's offline mode):
  // --sql writes a Core statement's values inline; otherwise as "?", as
  // SQLAlchemy compiles it.
  bool literal_binds = false;
  // Whether env.py reached context.run_migrations() (an env.py that never
  // calls it migrates nothing in Alembic either).
  bool ran_migrations = false;
  // For autogenerate (autogen/): target_metadata as configure() got it (a
  // MetaData, a declarative class's, or a sequence of them; None without),
  // and the configure() keywords only autogenerate reads, as given:
  // compare_type, compare_server_default, include_object, include_name,
  // include_schemas, process_revision_directives, user_module_prefix,
  // render_item. The values live in the Project's interpreter.
  python::Value target_metadata_value;
  std::map<std::string, python::Value, std::less<>> autogen_options;
};

// The operations one body records, with where each call is.
struct BodyOperations {
  std::vector<ops::Operation> operations;
  std::vector<python::SourceLocation> locations;
  // Planning only: the body reads the database (a statement's result,
  // inspect(), an ORM query), so it was stopped there and must run online;
  // `operations` is then empty and `stopped` is where it stopped (the error
  // --sql reports).
  bool needs_database = false;
  base::Status stopped;
  // Planning only: whether the body ran a `try` statement, so that an
  // operation failing online could have been caught and the body gone on
  // differently; without one, the planned operations applied in order have
  // exactly the effect of running the body online.
  bool ran_try = false;
  // What the body printed and logged, in order, for the caller to send on
  // where it belongs (after the step's "Running ..." line).
  std::vector<python::LogRecord> output;
};

class Project {
 public:
  // `log` receives print() and logging output of the scripts.
  Project(ProjectContext context, python::LogSink log = {});
  ~Project();
  Project(const Project&) = delete;
  Project& operator=(const Project&) = delete;

  // Runs env.py (its path). Errors are located ("env.py:12:5: ...").
  // Sends a record BodyOperations::output kept to the `log` sink.
  void EmitLog(const python::LogRecord& record);

  base::Result<EnvOutcome> RunEnv(const std::string& env_path);

  // Evaluates revision file `path` (once; later calls reuse the module) and
  // calls its `function` ("upgrade" or "downgrade"), recording the
  // operations. Without `live`, nothing touches a database (planning);
  // with it, each operation and statement runs on it as it is called
  // (alembic/op.h). Errors: kUnusableInput for a syntax error, kRefused
  // "path:line:col" for what the interpreter cannot evaluate or a Python
  // exception the body raises; online, an operation's failure the body did
  // not catch, as `live` reported it.
  base::Result<BodyOperations> RevisionOperations(const std::string& path,
                                                  std::string_view function,
                                                  sqlalchemy::Connection* live = nullptr);

  // Calls a callable env.py handed over (include_object, ...) in the
  // project's interpreter.
  base::Result<python::Value> Call(const python::Value& callable, python::Args args);

  // Hands over a file already parsed (a revision whose header the script
  // directory read), so it is not read and parsed again.
  void AdoptParsedFile(std::shared_ptr<const python::PythonModule> module);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace sqlmend::alembic
