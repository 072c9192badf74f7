// Models read in the project's own Python: the fallback for model modules
// sqlmend's interpreter cannot evaluate (an application imported whole, a
// column type from a C extension).
//
// model_loader.py, shipped inside the binary, runs in the interpreter the
// user names (`--python PATH`) or the project's virtualenv holds. It runs
// env.py online under a stand-in `alembic.context` (it may open the
// database; nothing is run or written),
// takes the target_metadata env.py passes to configure(), and prints it as
// JSON: each table's columns with their types as SQLAlchemy's SQLite dialect
// compiles them and as Alembic writes them, constraints and indexes with
// their declared names, the naming convention, and what include_object /
// include_name decide for the database's objects (sent to it) and the
// models'. The comparison and the revision stay sqlmend's: the tables
// become the same ops::Table the native path gives (model.h).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "autogen/compare.h"
#include "base/status.h"
#include "sqlite/db.h"

namespace sqlmend::autogen {

// An object of the database a filter hook rules on, as Compare() asks.
struct ReflectedName {
  std::string kind;  // "table", "column", "index", "unique_constraint", "foreign_key_constraint"
  std::string name;
  std::string table;  // "" for a table
};

// The database's tables (but `version_table`) and what each holds, named
// as Compare() passes them to the filter (unnamed objects as "").
base::Result<std::vector<ReflectedName>> ReflectedNames(sqlite::Db& db,
                                                        const std::string& version_table);

struct PythonModelsRequest {
  std::string python;       // the interpreter to run
  std::string env_path;     // env.py
  std::string config_file;  // context.config.config_file_name ("" without one)
  std::string section;      // config_ini_section
  std::vector<std::pair<std::string, std::string>> options;  // the main section, as read
  std::vector<std::string> x_args;
  std::vector<std::string> sys_path;  // put first on sys.path, in order
  bool autogenerate = false;          // cmd_opts.autogenerate
  std::vector<ReflectedName> reflected;
};

struct PythonModels {
  Model model;
  std::string python;      // sys.executable, as it reported it
  std::string sqlalchemy;  // its SQLAlchemy's version
  // configure()'s compare_type / compare_server_default / render_as_batch
  // when env.py gave them (a callable counts as true).
  std::map<std::string, bool> flags;
  std::optional<std::string> version_table;
  std::optional<std::string> url;  // the url= env.py passed to configure()
  std::vector<std::string> hooks;  // the hooks env.py passed, by name
  ObjectFilter filter;             // include_object / include_name, as decided
};

// The interpreter of the virtualenv at `venv` ("" when there is none).
std::string VirtualenvPython(const std::string& venv);

// Runs model_loader.py. Fails (kRefused; kEnvironment when the interpreter cannot be started) with
// the loader's one-line error (env.py or a model module raising, located by file:line) or when the
// interpreter cannot be run or answers with something else than the loader's JSON.
base::Result<PythonModels> LoadPythonModels(const PythonModelsRequest& request);

}  // namespace sqlmend::autogen
