#include "migrate/step_sql.h"

namespace sqlmend::migrate {

base::Result<StepSql> LoadStepSql(const script::ScriptDirectory& scripts,
                                  const graph::Step& step) {
  StepSql out;
  if (step.kind == graph::Step::Kind::kStamp) return out;
  if (step.revision == nullptr) {
    return base::Fail(base::Status::Refused(step.ShortLog(), "the step names no revision"));
  }
  const std::string& id = step.revision->id;
  if (const script::Script* file = scripts.Find(id)) {
    out.through_text_clause = file->kind == script::Script::Kind::kPython;
  }
  auto texts = step.kind == graph::Step::Kind::kUpgrade ? scripts.UpgradeSql(id)
                                                        : scripts.DowngradeSql(id);
  if (!texts) return base::Fail(texts.error());
  out.texts = std::move(*texts);
  return out;
}

base::Result<std::vector<StepSql>> LoadPlanSql(const script::ScriptDirectory& scripts,
                                               const graph::Plan& plan) {
  std::vector<StepSql> all;
  all.reserve(plan.steps.size());
  for (const graph::Step& step : plan.steps) {
    auto sql = LoadStepSql(scripts, step);
    if (!sql) return base::Fail(sql.error());
    all.push_back(std::move(*sql));
  }
  return all;
}

}  // namespace sqlmend::migrate
