#include "migrate/step_sql.h"

#include <fmt/format.h>

namespace sqlmend::migrate {

base::Result<StepSql> LoadStepSql(const script::ScriptDirectory& scripts, const graph::Step& step,
                                  script::PythonRuntime* runtime) {
  StepSql out;
  if (step.kind == graph::Step::Kind::kStamp) return out;
  if (step.revision == nullptr) {
    return base::Fail(base::Status::Refused(step.ShortLog(), "the step names no revision"));
  }
  const std::string& id = step.revision->id;
  const bool upgrade = step.kind == graph::Step::Kind::kUpgrade;
  const script::Script* file = scripts.Find(id);
  if (file != nullptr) out.through_text_clause = file->kind == script::Script::Kind::kPython;
  if (runtime != nullptr && file != nullptr && file->kind == script::Script::Kind::kPython) {
    auto body = runtime->Operations(id, upgrade);
    if (!body) return base::Fail(body.error());
    out.operations = std::move(body->operations);
    out.locations = std::move(body->locations);
    out.locations.resize(out.operations.size());
    out.file = file->path;
    out.python_body = true;
    out.revision = id;
    out.upgrade = upgrade;
    out.needs_database = body->needs_database;
    out.stopped = body->stopped;
    out.ran_try = body->ran_try;
    out.output = std::move(body->output);
    return out;
  }
  auto texts = upgrade ? scripts.UpgradeSql(id) : scripts.DowngradeSql(id);
  if (!texts) return base::Fail(texts.error());
  out.texts = std::move(*texts);
  return out;
}

base::Status LocateOperationError(const StepSql& sql, const python::SourceLocation& where,
                                  const base::Status& error) {
  return base::Status(error.code(), fmt::format("{}:{}:{}", sql.file, where.line, where.column),
                      error.object().empty() ? error.message()
                                             : error.object() + ": " + error.message());
}

base::Result<std::vector<StepSql>> LoadPlanSql(const script::ScriptDirectory& scripts,
                                               const graph::Plan& plan,
                                               script::PythonRuntime* runtime) {
  std::vector<StepSql> all;
  all.reserve(plan.steps.size());
  for (const graph::Step& step : plan.steps) {
    auto sql = LoadStepSql(scripts, step, runtime);
    if (!sql) return base::Fail(sql.error());
    all.push_back(std::move(*sql));
  }
  return all;
}

PlanReader::PlanReader(const script::ScriptDirectory& scripts, const graph::Plan& plan,
                       script::PythonRuntime* runtime, bool in_background)
    : scripts_(scripts), plan_(plan), runtime_(runtime), steps_(plan.steps.size()) {
  if (in_background) {
    worker_ = std::make_unique<base::WorkerThread>([this] { ReadAll(); });
  } else {
    ReadAll();
  }
}

PlanReader::~PlanReader() { Finish(); }

void PlanReader::ReadAll() {
  for (size_t i = 0; i < plan_.steps.size(); ++i) {
    auto sql = LoadStepSql(scripts_, plan_.steps[i], runtime_);
    std::lock_guard lock(mutex_);
    if (!sql) {
      error_ = sql.error();
      break;
    }
    steps_[i] = std::move(*sql);
    ready_ = i + 1;
    changed_.notify_all();
  }
  std::lock_guard lock(mutex_);
  ended_ = true;
  changed_.notify_all();
}

base::Result<const StepSql*> PlanReader::Get(size_t index) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return ready_ > index || ended_; });
  if (ready_ > index) return &steps_[index];
  if (!error_.ok()) return base::Fail(error_);
  return base::Fail(base::Status::Refused("", "the plan has no step " + std::to_string(index)));
}

base::Status PlanReader::Finish() {
  if (worker_) worker_->Join();
  std::lock_guard lock(mutex_);
  return error_;
}

}  // namespace sqlmend::migrate
