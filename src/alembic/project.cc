// Project: one interpreter for env.py, the project's modules and the
// revision files (project.h).
#include "alembic/project.h"

#include <filesystem>
#include <map>
#include <utility>

#include "alembic/env_context.h"
#include "alembic/op.h"
#include "python/heap.h"
#include "python/module_loader.h"
#include "python/placeholder.h"
#include "sqlalchemy/flask_libraries.h"
#include "sqlalchemy/sqlalchemy.h"

namespace sqlmend::alembic {

using python::Interpreter;
using python::LogSink;
using python::ModuleLoader;
using python::PythonModule;
using python::Value;

using base::Result;
using base::Status;
using Kind = Value::Kind;

namespace {

// The name Alembic's load_python_file() gives a script's module: the file
// name with every non-word character made "_" ("env.py" → "env_py").
std::string ModuleIdOf(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  for (char& c : name) {
    auto byte = static_cast<unsigned char>(c);
    if (!(std::isalnum(byte) || c == '_' || byte >= 0x80)) c = '_';
  }
  return name;
}

}  // namespace

// Members are destroyed in reverse order: the interpreter before the
// env context and the loader whose parsed modules its functions point into.
// The heap goes last: it collects what the interpreter's heap left because
// the env context still held it (python/heap.h).
struct Project::State {
  explicit State(ProjectContext project_context, LogSink log)
      : context(std::move(project_context)),
        loader(context.sys_path),
        env(context),
        interpreter(std::move(log)) {}

  python::Heap heap;
  ProjectContext context;
  ModuleLoader loader;
  EnvContext env;
  std::shared_ptr<OperationLog> operations = std::make_shared<OperationLog>();
  Interpreter interpreter;
  // Revision files already run, by path.
  std::map<std::string, Value, std::less<>> revisions;
  // target_metadata's naming convention from the last RunEnv().
  ops::MetaData metadata;
  // The URL env.py configured in the last RunEnv().
  std::optional<std::string> url;
};

Project::Project(ProjectContext context, LogSink log)
    : state_(std::make_unique<State>(std::move(context), std::move(log))) {
  sqlalchemy::InstallSqlalchemy(state_->interpreter);
  InstallAlembicOp(state_->interpreter, state_->operations);
  state_->env.Install(state_->interpreter);
  state_->loader.Install(state_->interpreter);
  for (const auto& [module, source] : sqlalchemy::FlaskLibraryModels()) {
    state_->loader.AddPartialModel(module, source);
  }
}

Project::~Project() = default;

Result<EnvOutcome> Project::RunEnv(const std::string& env_path) {
  auto parsed = state_->loader.ParseFile(env_path);
  if (!parsed) return base::Fail(parsed.error());
  state_->env.Reset();
  auto ran = state_->interpreter.RunModule(**parsed, ModuleIdOf(env_path));
  if (!ran) return base::Fail(ran.error());
  EnvOutcome outcome = state_->env.outcome();
  const Value& target = state_->env.target_metadata();
  if (python::IsPlaceholder(target)) {
    // Flask-Migrate's env.py: current_app.extensions['migrate'].db.metadata.
    // Migrations run without it (autogenerate and check refuse it).
    python::WarnPlaceholderUse(target, env_path,
                               "is target_metadata: the revisions run without it, so a "
                               "constraint they create without a name gets no naming "
                               "convention's name");
  } else if (!target.IsNone()) {
    std::optional<ops::MetaData> metadata = sqlalchemy::MetaDataOf(target);
    if (!metadata) {
      return base::Fail(Status::Refused(env_path, "target_metadata is a " + target.TypeName() +
                                                      ", not a MetaData sqlmend can read"));
    }
    outcome.target_metadata = std::move(*metadata);
    outcome.has_target_metadata = true;
  }
  state_->metadata = outcome.target_metadata;
  state_->url = outcome.url;
  return outcome;
}

Result<BodyOperations> Project::RevisionOperations(const std::string& path,
                                                   std::string_view function,
                                                   sqlalchemy::Connection* live) {
  auto known = state_->revisions.find(path);
  if (known == state_->revisions.end()) {
    auto parsed = state_->loader.ParseFile(path);
    if (!parsed) return base::Fail(parsed.error());
    auto ran = state_->interpreter.RunModule(**parsed, ModuleIdOf(path));
    if (!ran) return base::Fail(ran.error());
    known = state_->revisions.emplace(path, std::move(*ran)).first;
  }
  const auto& attributes = known->second.AsModule().attributes;
  auto callee = attributes.find(function);
  if (callee == attributes.end()) {
    return base::Fail(
        Status::Refused(path, "AttributeError: module '" + known->second.AsModule().name +
                                  "' has no attribute '" + std::string(function) + "'"));
  }
  OperationLog& log = *state_->operations;
  log.operations.clear();
  log.locations.clear();
  log.metadata = state_->metadata;
  log.url = state_->url;
  log.live = live;
  log.needs_database = false;
  log.live_failure.reset();
  log.live_exception.reset();
  const int64_t tries_before = state_->interpreter.TryStatementsRun();
  // Inside the body, a placeholder for a module sqlmend cannot load stops
  // where it is handed something that reaches the database: the
  // connection, a session, op (their ReachesDatabase()), or an ORM object,
  // whose attributes a flush would write (python/placeholder.h).
  python::PlaceholderPolicy& policy = state_->loader.placeholder_policy();
  policy.in_body = std::string(function) + "()";
  policy.reaches_database = [](const Value& value) {
    return value.Is(Value::Kind::kInstance) &&
           value.AsInstance().class_object->Lookup("__table__") != nullptr;
  };
  BodyOperations out;
  state_->interpreter.CaptureLog(&out.output);
  auto called = state_->interpreter.Call(callee->second, state_->env.migration_arguments());
  state_->interpreter.CaptureLog(nullptr);
  policy.in_body.clear();
  out.ran_try = state_->interpreter.TryStatementsRun() != tries_before;
  out.operations = std::move(log.operations);
  out.locations = std::move(log.locations);
  log.operations.clear();
  log.locations.clear();
  log.live = nullptr;
  if (!called) {
    if (live == nullptr && log.needs_database) {
      // Planning stopped where the body reads the database: it runs online,
      // in the module loaded afresh, as Alembic loads it once and calls the
      // body once: what the planning call changed in the module's globals
      // (a counter a default= callable advances, a list it filled) is gone.
      state_->revisions.erase(path);
      out.operations.clear();
      out.locations.clear();
      out.needs_database = true;
      out.output.clear();  // it logs again when it runs
      out.stopped = called.error();
      return out;
    }
    // An operation that failed online and was not caught: reported as the
    // runner reports a failing operation.
    if (log.live_exception && called.error().object() == log.live_exception->object() &&
        called.error().message() == log.live_exception->message()) {
      return base::Fail(*log.live_failure);
    }
    return base::Fail(called.error());
  }
  if (auto where = state_->interpreter.GeneratorWhere(*called)) {
    // Alembic calls it and never iterates the generator: the body would be
    // skipped and the revision stamped as applied.
    return base::Fail(Status::Refused(
        *where, "unsupported: yield in " + std::string(function) +
                    "() makes it a generator, whose body Alembic never runs"));
  }
  return out;
}

Result<Value> Project::Call(const Value& callable, python::Args args) {
  return state_->interpreter.Call(callable, std::move(args));
}

void Project::EmitLog(const python::LogRecord& record) {
  state_->interpreter.EmitLog(record);
}

void Project::AdoptParsedFile(std::shared_ptr<const PythonModule> module) {
  state_->loader.Adopt(std::move(module));
}

}  // namespace sqlmend::alembic
