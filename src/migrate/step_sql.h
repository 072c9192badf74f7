// What a plan step runs, read from its revision file before anything is
// executed or printed, so an unreadable body stops a run before it starts.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/thread.h"
#include "graph/plan.h"
#include "ops/operation.h"
#include "script/python_runtime.h"
#include "script/script_directory.h"

namespace sqlmend::migrate {

struct StepSql {
  // The step's texts in order: .sql sections, or, without a PythonRuntime,
  // the op.execute() strings of a .py body; none for a stamp.
  std::vector<script::SqlText> texts;
  // True for a .py revision, whose op.execute() strings pass through
  // SQLAlchemy's text() (text_clause.h); .sql revisions run as written.
  bool through_text_clause = true;
  // With a PythonRuntime, a .py revision's body as the operations it
  // records (texts is then empty), each with the line and column of its
  // call in `file`.
  std::vector<ops::Operation> operations;
  std::vector<python::SourceLocation> locations;
  std::string file;
  // A .py revision evaluated by the runtime (see RunsOnline()).
  bool python_body = false;
  std::string revision;
  bool upgrade = true;
  // Planning stopped where the body reads the database (`operations` is
  // empty); `stopped` locates it, for --sql, which cannot run it.
  bool needs_database = false;
  base::Status stopped;
  // Planning ran a `try` statement (alembic::BodyOperations::ran_try).
  bool ran_try = false;
  // What the body printed and logged while it was read; the runner sends
  // it on after the step's "Running ..." line.
  std::vector<python::LogRecord> output;
  // Whether the runner must evaluate the body again online: it reads the
  // database, or it could catch a failing operation. Otherwise applying
  // `operations` in order is the same, and evaluates nothing twice.
  bool RunsOnline() const { return python_body && (needs_database || ran_try); }
};

// The work of `step`, from `scripts` (and `runtime` for .py revisions, when
// given). Errors are ScriptDirectory's or the runtime's (the file, line and
// construct it cannot run), or kRefused when an upgrade or downgrade step has
// no revision.
base::Result<StepSql> LoadStepSql(const script::ScriptDirectory& scripts, const graph::Step& step,
                                  script::PythonRuntime* runtime = nullptr);

// `error`, raised by an operation of `sql` called at `where`, located
// there: object "file:line:col", message "<error's object>: <error's
// message>".
base::Status LocateOperationError(const StepSql& sql, const python::SourceLocation& where,
                                  const base::Status& error);

// The work of every step of `plan`, in order.
base::Result<std::vector<StepSql>> LoadPlanSql(const script::ScriptDirectory& scripts,
                                               const graph::Plan& plan,
                                               script::PythonRuntime* runtime = nullptr);

// The work of every step of a plan, read in order on a second thread while
// the caller applies the steps already read (two cores are common, and
// evaluating a .py body costs about what SQLite's DDL does):
//
//   PlanReader reader(scripts, plan, runtime, /*in_background=*/true);
//   for (size_t i = 0; i < plan.steps.size(); ++i) {
//     auto sql = reader.Get(i);    // waits for step i
//     if (!sql) break;             // step i, or one before it, failed
//     Apply(**sql);
//   }
//   base::Status read = reader.Finish();  // before committing anything
//
// Reading stops at the first failure; Get() of that step or any later one
// returns it, and Finish() waits for the thread and returns it too. The
// runtime's interpreter is the thread's until Finish() returns: a caller
// that evaluates a body itself (online) calls Finish() first. Without
// `in_background` every step is read in the constructor, as LoadPlanSql
// reads them.
class PlanReader {
 public:
  PlanReader(const script::ScriptDirectory& scripts, const graph::Plan& plan,
             script::PythonRuntime* runtime, bool in_background);
  ~PlanReader();
  PlanReader(const PlanReader&) = delete;
  PlanReader& operator=(const PlanReader&) = delete;

  base::Result<const StepSql*> Get(size_t index);
  base::Status Finish();

 private:
  void ReadAll();

  const script::ScriptDirectory& scripts_;
  const graph::Plan& plan_;
  script::PythonRuntime* runtime_;
  std::vector<StepSql> steps_;  // sized once; steps_[i] is final once ready_ > i
  std::mutex mutex_;
  std::condition_variable changed_;
  size_t ready_ = 0;    // guarded by mutex_
  bool ended_ = false;  // guarded by mutex_: every step read, or one failed
  base::Status error_;  // guarded by mutex_
  std::unique_ptr<base::WorkerThread> worker_;
};

}  // namespace sqlmend::migrate
