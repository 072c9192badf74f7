// The SQL a plan step runs, read from its revision file before anything is
// executed or printed, so an unreadable body stops a run before it starts.
#pragma once

#include <vector>

#include "base/status.h"
#include "graph/plan.h"
#include "script/script_directory.h"

namespace sqlmend::migrate {

struct StepSql {
  // The step's texts in order: upgrade() or downgrade() bodies; none for a
  // stamp.
  std::vector<script::SqlText> texts;
  // True for a .py revision, whose op.execute() strings pass through
  // SQLAlchemy's text() (text_clause.h); .sql revisions run as written.
  bool through_text_clause = true;
};

// The SQL of `step`, from `scripts`. Errors are ScriptDirectory's (the file,
// line and construct it cannot run), or kRefused when an upgrade or
// downgrade step has no revision.
base::Result<StepSql> LoadStepSql(const script::ScriptDirectory& scripts, const graph::Step& step);

// The SQL of every step of `plan`, in order.
base::Result<std::vector<StepSql>> LoadPlanSql(const script::ScriptDirectory& scripts,
                                               const graph::Plan& plan);

}  // namespace sqlmend::migrate
