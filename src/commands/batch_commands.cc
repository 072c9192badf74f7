#include "commands/batch_commands.h"

#include <sys/stat.h>

#include "version/version_table.h"

namespace sqlmend::commands {

namespace {

batch::RunOptions RunOptionsFor(batch::Verb verb, const BatchArgs& args) {
  batch::RunOptions run;
  run.verb = verb;
  run.jobs = args.jobs;
  run.resume = args.resume;
  run.should_stop = args.should_stop;
  run.observer = args.observer;
  return run;
}

BatchRun Refuse(base::Status status) {
  BatchRun run;
  run.status = std::move(status);
  return run;
}

}  // namespace

bool IsFleet(const std::vector<std::string>& paths) {
  if (paths.size() != 1) return true;
  struct stat st;
  if (::stat(paths[0].c_str(), &st) == 0) return S_ISDIR(st.st_mode);
  return paths[0].find_first_of("*?[") != std::string::npos;
}

int BatchRun::ExitCode() const {
  return base::ExitCode(status.ok() ? summary.worst : status.code());
}

BatchRun CheckFkBatch(const std::vector<std::string>& paths, const repair::CheckOptions& options,
                      const BatchArgs& args) {
  if (args.jobs < 0) return Refuse(base::Status::Usage("-j", "expects a positive number"));
  batch::RunOptions run = RunOptionsFor(batch::Verb::kCheckFk, args);
  run.check = options;
  BatchRun result;
  result.summary = batch::Run(paths, run);
  return result;
}

BatchRun FixFkBatch(const std::vector<std::string>& paths, const repair::FixOptions& options,
                    const BatchArgs& args) {
  if (args.jobs < 0) return Refuse(base::Status::Usage("-j", "expects a positive number"));
  if (options.output) {
    return Refuse(base::Status::Usage(
        "--output", "takes one database; a run over many files repairs each in place"));
  }
  if (options.stamp) {
    if (auto st = version::CheckRevisionId(*options.stamp); !st.ok()) return Refuse(st);
  }
  batch::RunOptions run = RunOptionsFor(batch::Verb::kFixFk, args);
  run.fix = options;
  run.fix.stamp_healthy = args.stamp_healthy;
  BatchRun result;
  result.summary = batch::Run(paths, run);
  return result;
}

}  // namespace sqlmend::commands
