#include "cli/repair_cli.h"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/batch_render.h"
#include "cli/help.h"
#include "cli/render.h"
#include "commands/batch_commands.h"
#include "commands/repair_commands.h"

namespace sqlmend::cli {

namespace {

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

// Ctrl-C and SIGTERM ask the pipeline to stop between steps; it rolls back
// and the original stays as it was. A second one kills at once (SA_RESETHAND):
// the swap is atomic, so even that leaves no half-swapped file.
void InstallStopHandlers() {
  struct sigaction action {};
  action.sa_handler = OnSignal;
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

struct CommonArgs {
  std::string path;
  std::vector<std::string> paths;  // check-fk and fix-fk: PATH...
  std::vector<std::string> maps;
  bool json = false;
  int busy_timeout_ms = 2000;
  // Fleet runs (more than one PATH, a folder or a glob).
  int jobs = 0;
  bool stamp_healthy = false;
  bool no_resume = false;
};

void AddPathOptions(CLI::App* cmd, CommonArgs* args) {
  cmd->add_option("PATH", args->paths,
                  "Database files, folders (walked recursively) or glob patterns")
      ->required()
      ->type_name(kPathValue);
  cmd->add_option("-j,--jobs", args->jobs,
                  "Files processed in parallel (default: the number of cores)")
      ->type_name("N");
  cmd->add_flag("--no-resume", args->no_resume,
                "Ignore the resume journal of earlier runs over the same PATHs");
}

void AddMapOption(CLI::App* cmd, CommonArgs* args) {
  cmd->add_option("--map", args->maps, "Resolve the missing table OLD as table NEW; repeatable")
      ->type_name("OLD=NEW");
}

void AddTimeoutOption(CLI::App* cmd, CommonArgs* args) {
  cmd->add_option("--busy-timeout", args->busy_timeout_ms,
                  "Milliseconds to wait for another process's lock (default 2000)")
      ->type_name("MS");
}

void AddJsonAndTimeout(CLI::App* cmd, CommonArgs* args) {
  cmd->add_flag("--json", args->json,
                "One JSON object instead of text (many files: one line per file, then a summary)");
  AddTimeoutOption(cmd, args);
}

bool ParseMaps(const std::vector<std::string>& texts,
               std::vector<std::pair<std::string, std::string>>* out, int* exit_code) {
  for (const auto& text : texts) {
    auto parsed = commands::ParseMap(text);
    if (!parsed) {
      PrintError(parsed.error());
      *exit_code = base::ExitCode(parsed.error().code());
      return false;
    }
    out->push_back(*parsed);
  }
  return true;
}

void Finish(const commands::RepairRun& run, bool json, bool fixing, int* exit_code) {
  if (json) {
    std::cout << JsonLine(ReportToJson(run.report)) << "\n";
  } else {
    std::cout << ReportToText(run.report, fixing);
  }
  std::cout.flush();
  if (!run.status.ok() && run.status.code() != base::Code::kDamage) PrintError(run.status);
  *exit_code = base::ExitCode(run.status.code());
}

// A fleet run: JSON lines as each file finishes (or the progress line on a
// TTY), then the summary. `run_batch` calls the commands:: function.
void RunFleet(const CommonArgs& args, bool fixing, int* exit_code,
              const std::function<commands::BatchRun(const commands::BatchArgs&)>& run_batch) {
  commands::BatchArgs batch_args;
  batch_args.jobs = args.jobs;
  batch_args.stamp_healthy = args.stamp_healthy;
  batch_args.resume = !args.no_resume;
  InstallStopHandlers();
  batch_args.should_stop = [] { return g_stop != 0; };
  FleetProgress progress(!args.json);
  batch::Observer& observer = batch_args.observer;
  observer.planned = [&](int files, int64_t bytes) { progress.Planned(files, bytes); };
  observer.started = [&](const std::string& path, int64_t bytes) { progress.Started(path, bytes); };
  observer.progress = [&](const std::string& path, const repair::ProgressEvent& event) {
    progress.Progress(path, event);
  };
  observer.finished = [&](const batch::FileResult& result) {
    progress.Finished(result);
    if (args.json) {
      std::cout << JsonLine(FileResultToJson(result)) << "\n";
      std::cout.flush();
    }
  };
  commands::BatchRun run = run_batch(batch_args);
  progress.Clear();
  if (!run.status.ok()) {
    PrintError(run.status);
    *exit_code = run.ExitCode();
    return;
  }
  for (const auto& warning : run.summary.warnings) {
    std::fprintf(stderr, "sqlmend: %s\n", OneLineText(warning).c_str());
  }
  if (args.json) {
    std::cout << JsonLine(SummaryToJson(run.summary, run.ExitCode())) << "\n";
  } else {
    std::cout << SummaryToText(run.summary, fixing);
  }
  std::cout.flush();
  *exit_code = run.ExitCode();
}

}  // namespace

void AddRepairCommands(CLI::App& app, int* exit_code) {
  // check-fk
  {
    auto args = std::make_shared<CommonArgs>();
    CLI::App* cmd = app.add_subcommand(
        "check-fk", "Diagnose dangling foreign keys, views and triggers; never writes");
    cmd->group(kRepairGroup);
    AddPathOptions(cmd, args.get());
    AddMapOption(cmd, args.get());
    AddJsonAndTimeout(cmd, args.get());
    SetFooter(cmd,
              "Reports every REFERENCES, view and trigger that names a table a rename-first\n"
              "migration dropped, the live table each name resolves to and by which rule,\n"
              "quick_check, and the orphan rows each repaired key will show. Exit code 0:\n"
              "healthy; 1: damage found; 3: a name cannot be resolved (use --map).",
              {{"sqlmend check-fk app.sqlite", "Diagnose one database."},
               {"sqlmend check-fk -j 2 --json backups/",
                "Check a folder of backups two at a time: a JSON line per file, then a summary."},
               {"sqlmend check-fk --map users_legacy=accounts app.sqlite",
                "Resolve a name sqlmend cannot infer."}});
    cmd->callback([args, exit_code] {
      repair::CheckOptions options;
      options.busy_timeout_ms = args->busy_timeout_ms;
      if (!ParseMaps(args->maps, &options.maps, exit_code)) return;
      if (commands::IsFleet(args->paths)) {
        RunFleet(*args, false, exit_code, [&](const commands::BatchArgs& batch_args) {
          return commands::CheckFkBatch(args->paths, options, batch_args);
        });
        return;
      }
      Finish(commands::CheckFk(args->paths.front(), options), args->json, false, exit_code);
    });
  }
  // fix-fk
  {
    auto args = std::make_shared<CommonArgs>();
    auto stamp = std::make_shared<std::string>();
    auto output = std::make_shared<std::string>();
    auto verify = std::make_shared<std::string>("default");
    auto dry_run = std::make_shared<bool>(false);
    auto no_backup = std::make_shared<bool>(false);
    auto orphans = std::make_shared<std::string>("keep");
    CLI::App* cmd = app.add_subcommand(
        "fix-fk", "Repair dangling references in a fresh copy, verify it, swap it in");
    cmd->group(kRepairGroup);
    AddPathOptions(cmd, args.get());
    AddMapOption(cmd, args.get());
    cmd->add_option("--stamp", *stamp, "Also set alembic_version to exactly REV")
        ->type_name(kRevisionValue);
    cmd->add_flag("--stamp-healthy", args->stamp_healthy,
                  "Many files: also stamp healthy files (default: only the fixed ones)");
    cmd->add_flag("--dry-run", *dry_run, "Print the plan; write nothing");
    cmd->add_option("--output", *output, "Write the repaired copy to FILE; keep the original")
        ->type_name(kFileValue);
    cmd->add_flag("--no-backup", *no_backup, "Do not keep the original as a backup");
    cmd->add_option("--orphans", *orphans,
                    "Orphan rows of the repaired keys: keep (default, report them), quarantine "
                    "(move into sqlmend_orphans_<table>), null (clear the key), delete")
        ->check(CLI::IsMember({"keep", "quarantine", "null", "delete"}))
        ->type_name("POLICY");
    cmd->add_option("--verify", *verify, "default, or full (adds per-table content checksums)")
        ->check(CLI::IsMember({"default", "full"}));
    AddJsonAndTimeout(cmd, args.get());
    SetFooter(cmd,
              "Rewrites the schema on SQLite tokens, reloads every row into a fresh file\n"
              "beside the original, stamps it, verifies it, then swaps it in atomically and\n"
              "keeps the original as <db>.sqlmend-backup-<time>. Any failure or refusal\n"
              "leaves the original byte for byte as it was.",
              {{"sqlmend fix-fk app.sqlite --stamp 0c3414079bfe",
                "Repair in place, keep a backup, and stamp the Alembic revision."},
               {"sqlmend fix-fk --dry-run app.sqlite", "Print the plan and the orphan rows; write nothing."},
               {"sqlmend fix-fk -j 2 --json --stamp 0c3414079bfe backups/",
                "Repair a folder of backups two at a time; run it again to resume after Ctrl-C."}});
    cmd->callback([=] {
      repair::FixOptions options;
      if (!ParseMaps(args->maps, &options.maps, exit_code)) return;
      if (!stamp->empty()) options.stamp = *stamp;
      if (!output->empty()) options.output = *output;
      options.dry_run = *dry_run;
      options.keep_backup = !*no_backup;
      options.orphans = *orphans == "quarantine" ? repair::OrphanPolicy::kQuarantine
                        : *orphans == "null"     ? repair::OrphanPolicy::kNull
                        : *orphans == "delete"   ? repair::OrphanPolicy::kDelete
                                                 : repair::OrphanPolicy::kKeep;
      options.verify = *verify == "full" ? repair::VerifyLevel::kFull : repair::VerifyLevel::kDefault;
      options.busy_timeout_ms = args->busy_timeout_ms;
      if (commands::IsFleet(args->paths)) {
        RunFleet(*args, true, exit_code, [&](const commands::BatchArgs& batch_args) {
          return commands::FixFkBatch(args->paths, options, batch_args);
        });
        return;
      }
      ProgressLine progress(!args->json);
      options.progress = [&](const repair::ProgressEvent& e) { progress.Update(e); };
      InstallStopHandlers();
      options.should_stop = [] { return g_stop != 0; };
      commands::RepairRun run = commands::FixFk(args->paths.front(), options);
      progress.Clear();
      Finish(run, args->json, true, exit_code);
    });
  }
  // doctor
  {
    auto path = std::make_shared<std::string>();
    auto fix = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    auto configs = std::make_shared<std::vector<std::string>>();
    auto busy_timeout_ms = std::make_shared<int>(2000);
    CLI::App* cmd = app.add_subcommand(
        "doctor", "Find the debris failed migrations leave (read-only unless --fix)");
    cmd->group(kRepairGroup);
    cmd->add_option("DB", *path, "Database file")->required()->type_name(kFileValue);
    cmd->add_flag("--fix", *fix,
                  "Repair what is unambiguous through fix-fk's verified, atomic pipeline");
    cmd->add_flag("--json", *json, "One JSON object instead of text");
    cmd->add_option("-c,--config", *configs,
                    "The Alembic project's config: also check alembic_version against its "
                    "revisions")
        ->type_name(kFileValue);
    cmd->add_option("--busy-timeout", *busy_timeout_ms,
                    "Milliseconds to wait for another process's lock (default 2000)")
        ->type_name("MS");
    SetFooter(cmd,
              "Reports _alembic_tmp_<table> tables left by an interrupted batch rebuild,\n"
              "leftover <table>__old tables beside their replacement, alembic_version rows\n"
              "the project does not expect (with -c), and names that dangle (as check-fk).\n"
              "Each finding says what --fix would do, or why it leaves it. Exit code 0:\n"
              "nothing found (or all fixed); 1: debris remains.",
              {{"sqlmend doctor app.sqlite", "List the debris; write nothing."},
               {"sqlmend doctor --fix -c alembic.ini app.sqlite",
                "Fix what is unambiguous, keep a backup, and check the version table."}});
    cmd->callback([=] {
      repair::DoctorOptions options;
      options.fix = *fix;
      options.busy_timeout_ms = *busy_timeout_ms;
      ProgressLine progress(!*json && *fix);
      options.fix_options.progress = [&](const repair::ProgressEvent& e) { progress.Update(e); };
      InstallStopHandlers();
      options.fix_options.should_stop = [] { return g_stop != 0; };
      commands::DoctorRun run = commands::Doctor(*path, options, *configs);
      progress.Clear();
      std::cout << (*json ? JsonLine(DoctorToJson(run)) + "\n" : DoctorToText(run));
      std::cout.flush();
      if (!run.status.ok() && run.status.code() != base::Code::kDamage) PrintError(run.status);
      *exit_code = base::ExitCode(run.status.code());
    });
  }
  // dump
  {
    auto args = std::make_shared<CommonArgs>();
    auto fix = std::make_shared<bool>(false);
    auto output = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand(
        "dump", "Write the database as SQL text (sqlite3 .dump layout, nothing lost)");
    cmd->group(kRepairGroup);
    cmd->add_option("DB", args->path, "Database file")->required()->type_name(kFileValue);
    cmd->add_flag("--fix-fk", *fix, "Apply the repair to the schema text");
    AddMapOption(cmd, args.get());
    cmd->add_option("-o,--output", *output, "Write to FILE instead of standard output")
        ->type_name(kFileValue);
    AddTimeoutOption(cmd, args.get());
    SetFooter(cmd,
              "Keeps what .dump loses: rowids, text holding NUL bytes, the exact bits of\n"
              "every REAL, and the header settings. Never writes to the database.",
              {{"sqlmend dump app.sqlite > app.sql", "Write the whole database as SQL."},
               {"sqlmend dump --fix-fk -o fixed.sql app.sqlite",
                "The repaired schema and every row; load it with sqlite3 new.sqlite < fixed.sql."}});
    cmd->callback([=] {
      commands::DumpArgs dump_args;
      dump_args.fix_fk = *fix;
      dump_args.busy_timeout_ms = args->busy_timeout_ms;
      if (!ParseMaps(args->maps, &dump_args.maps, exit_code)) return;
      base::Status status;
      if (output->empty()) {
        status = commands::Dump(args->path, dump_args, std::cout);
        std::cout.flush();
      } else {
        std::ofstream out(*output, std::ios::binary | std::ios::trunc);
        if (!out) {
          status = base::Status::Environment(*output, "cannot write the dump here");
        } else {
          status = commands::Dump(args->path, dump_args, out);
          out.close();
          if (!out && status.ok()) status = base::Status::Environment(*output, "write failed");
        }
        if (!status.ok()) std::remove(output->c_str());
      }
      if (!status.ok()) PrintError(status);
      *exit_code = base::ExitCode(status.code());
    });
  }
}

}  // namespace sqlmend::cli
