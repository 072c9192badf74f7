// Test-only: an interpreter with the module loader and the modelled Alembic
// environment, over a temporary project folder, without the SQLAlchemy model
// (Project adds that).
#pragma once

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "alembic/env_context.h"
#include "python/heap.h"
#include "python/interpreter.h"
#include "python/module_loader.h"
#include "testutil/testutil.h"

namespace sqlmend::alembic {

// The env.py of Alembic's "generic" template, as Debian installs it.
inline constexpr char kGenericTemplate[] =
    "/usr/lib/python3/dist-packages/alembic/templates/generic/env.py";

class EnvHarness {
 public:
  // `context.sys_path` defaults to the temporary folder.
  explicit EnvHarness(ProjectContext context = {}) {
    if (context.sys_path.empty()) context.sys_path = {dir_.path()};
    context_ = context;
    loader_ = std::make_unique<python::ModuleLoader>(context.sys_path);
    env_ = std::make_unique<EnvContext>(context);
    interpreter_ = std::make_unique<python::Interpreter>(
        [this](const python::LogRecord& record) {
          log_.push_back(record.level + ": " + record.text);
        });
    env_->Install(*interpreter_);
    loader_->Install(*interpreter_);
  }
  ~EnvHarness() { interpreter_.reset(); }

  // Writes `text` to <dir>/<relative>, making folders.
  void Write(const std::string& relative, const std::string& text) {
    std::filesystem::path path = dir_.File(relative);
    std::filesystem::create_directories(path.parent_path());
    testutil::WriteFile(path.string(), text);
  }

  // Writes and runs `source` as <dir>/<name> the way Alembic loads env.py.
  base::Result<python::Value> Run(const std::string& source, const std::string& name = "env.py") {
    Write(name, source);
    auto parsed = loader_->ParseFile(dir_.File(name));
    if (!parsed) return base::Fail(parsed.error());
    env_->Reset();
    return interpreter_->RunModule(**parsed, "env_py");
  }

  const testutil::TempDir& dir() const { return dir_; }
  python::ModuleLoader& loader() { return *loader_; }
  EnvContext& env() { return *env_; }
  python::Interpreter& interpreter() { return *interpreter_; }
  const std::vector<std::string>& log() const { return log_; }

 private:
  // As in alembic::Project: goes last, collecting what the env context held
  // past the interpreter (python/heap.h).
  python::Heap heap_;
  testutil::TempDir dir_;
  ProjectContext context_;
  std::vector<std::string> log_;
  std::unique_ptr<python::ModuleLoader> loader_;
  std::unique_ptr<EnvContext> env_;
  std::unique_ptr<python::Interpreter> interpreter_;
};

// The attribute `name` of module value `module` as repr(), or "<absent>".
inline std::string AttributeRepr(const python::Value& module, const std::string& name) {
  if (!module.Is(python::Value::Kind::kModule)) return "<not a module>";
  auto it = module.AsModule().attributes.find(name);
  return it == module.AsModule().attributes.end() ? "<absent>" : python::Repr(it->second);
}

// repr() of `result` in the module the last Run() ran ("env_py").
inline std::string ResultOf(EnvHarness& h) {
  const python::Value* module = h.interpreter().RegisteredModule("env_py");
  return module != nullptr ? AttributeRepr(*module, "result") : "<no env_py>";
}

// Captures what spdlog writes (the placeholders' warnings) while alive.
class WarningCapture {
 public:
  WarningCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text_);
    sink->set_pattern("%v");
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  }
  ~WarningCapture() { spdlog::set_default_logger(previous_); }
  std::string text() const { return text_.str(); }

 private:
  std::ostringstream text_;
  std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace sqlmend::alembic
