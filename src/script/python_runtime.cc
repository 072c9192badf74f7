#include "script/python_runtime.h"

#include <filesystem>
#include <utility>

#include "base/files.h"
#include "base/leak_check.h"
#include "config/python_path.h"

namespace sqlmend::script {

namespace {

// Every section of the ini file as configparser's items() gives it. A
// section whose values do not interpolate (the logging sections' "%(name)s"
// formats) is left out: Config.get_section() raises for it in Alembic too.
std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> Sections(
    const config::AlembicConfig& config) {
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> out;
  if (!config.config_file_found()) return out;
  for (const std::string& name : config.ini().Sections()) {
    auto items = config.ini().Items(name);
    if (!items || !*items) continue;
    out.emplace_back(name, std::move(**items));
  }
  return out;
}

}  // namespace

base::Result<std::unique_ptr<PythonRuntime>> PythonRuntime::Start(
    const config::AlembicConfig& config, const ScriptDirectory& scripts, bool offline,
    python::LogSink log, bool autogenerate) {
  base::IntentionalLeakScope interpreter_cycles;  // see base/leak_check.h
  alembic::ProjectContext context;
  context.config_file_name = config.config_file_path();
  context.config_ini_section = config.section();
  context.sections = Sections(config);
  context.x_arguments = config.GetXArgumentList();
  context.offline = offline;
  context.autogenerate = autogenerate;
  if (scripts.sys_path()) {
    context.sys_path = *scripts.sys_path();
  } else {
    auto sys_path = config::ProjectPythonPath(config);
    if (!sys_path) return base::Fail(sys_path.error());
    context.sys_path = std::move(*sys_path);
  }
  auto project = std::make_unique<alembic::Project>(std::move(context), std::move(log));
  for (const auto& [id, script] : scripts.scripts()) {
    if (script.module) project->AdoptParsedFile(script.module);
  }
  if (scripts.env_module()) project->AdoptParsedFile(scripts.env_module());
  for (const auto& module : scripts.prefetched()) project->AdoptParsedFile(module);
  std::unique_ptr<PythonRuntime> runtime(new PythonRuntime(scripts, std::move(project)));
  const std::string env_path = scripts.script_location() + "/env.py";
  if (base::Exists(env_path)) {
    auto env = runtime->project_->RunEnv(env_path);
    if (!env) return base::Fail(env.error());
    runtime->env_ = std::move(*env);
  }
  return runtime;
}

base::Result<alembic::BodyOperations> PythonRuntime::Operations(const std::string& id,
                                                                bool upgrade,
                                                                sqlalchemy::Connection* live) {
  base::IntentionalLeakScope interpreter_cycles;  // see base/leak_check.h
  const Script* file = scripts_.Find(id);
  if (file == nullptr) return base::Fail(base::Status::Refused(id, "no such revision"));
  if (file->kind != Script::Kind::kPython) {
    return base::Fail(base::Status::Refused(file->path, "not a .py revision"));
  }
  return project_->RevisionOperations(file->path, upgrade ? "upgrade" : "downgrade", live);
}

}  // namespace sqlmend::script
