#include "cli/repair_cli.h"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/render.h"
#include "commands/repair_commands.h"

namespace sqlmend::cli {

namespace {

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

// Ctrl-C and SIGTERM ask the pipeline to stop between steps; it rolls back
// and the original stays as it was.
void InstallStopHandlers() {
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

struct CommonArgs {
  std::string path;
  std::vector<std::string> maps;
  bool json = false;
  int busy_timeout_ms = 2000;
};

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
    std::cout << ReportToJson(run.report).dump() << "\n";
  } else {
    std::cout << ReportToText(run.report, fixing);
  }
  std::cout.flush();
  if (!run.status.ok() && run.status.code() != base::Code::kDamage) PrintError(run.status);
  *exit_code = base::ExitCode(run.status.code());
}

}  // namespace

void AddRepairCommands(CLI::App& app, int* exit_code) {
  // check-fk
  {
    auto args = std::make_shared<CommonArgs>();
    CLI::App* cmd = app.add_subcommand(
        "check-fk", "Diagnose dangling foreign keys, views and triggers; never writes");
    cmd->add_option("DB", args->path, "Database file")->required();
    cmd->add_option("--map", args->maps, "Resolve OLD as NEW (OLD=NEW), repeatable");
    cmd->add_flag("--json", args->json, "One JSON object instead of text");
    cmd->add_option("--busy-timeout", args->busy_timeout_ms,
                    "Milliseconds to wait for another process's lock (default 2000)");
    cmd->callback([args, exit_code] {
      repair::CheckOptions options;
      options.busy_timeout_ms = args->busy_timeout_ms;
      if (!ParseMaps(args->maps, &options.maps, exit_code)) return;
      Finish(commands::CheckFk(args->path, options), args->json, false, exit_code);
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
    CLI::App* cmd = app.add_subcommand(
        "fix-fk", "Repair dangling references in a fresh copy, verify it, swap it in");
    cmd->add_option("DB", args->path, "Database file")->required();
    cmd->add_option("--map", args->maps, "Resolve OLD as NEW (OLD=NEW), repeatable");
    cmd->add_option("--stamp", *stamp, "Also set alembic_version to exactly REV");
    cmd->add_flag("--dry-run", *dry_run, "Print the plan; write nothing");
    cmd->add_option("--output", *output, "Write the repaired copy to PATH; keep the original");
    cmd->add_flag("--no-backup", *no_backup, "Do not keep the original as a backup");
    cmd->add_option("--verify", *verify, "default, or full (adds per-table content checksums)")
        ->check(CLI::IsMember({"default", "full"}));
    cmd->add_flag("--json", args->json, "One JSON object instead of text");
    cmd->add_option("--busy-timeout", args->busy_timeout_ms,
                    "Milliseconds to wait for another process's lock (default 2000)");
    cmd->callback([=] {
      repair::FixOptions options;
      if (!ParseMaps(args->maps, &options.maps, exit_code)) return;
      if (!stamp->empty()) options.stamp = *stamp;
      if (!output->empty()) options.output = *output;
      options.dry_run = *dry_run;
      options.keep_backup = !*no_backup;
      options.verify = *verify == "full" ? repair::VerifyLevel::kFull : repair::VerifyLevel::kDefault;
      options.busy_timeout_ms = args->busy_timeout_ms;
      ProgressLine progress(!args->json);
      options.progress = [&](const repair::ProgressEvent& e) { progress.Update(e); };
      InstallStopHandlers();
      options.should_stop = [] { return g_stop != 0; };
      commands::RepairRun run = commands::FixFk(args->path, options);
      progress.Clear();
      Finish(run, args->json, true, exit_code);
    });
  }
  // dump
  {
    auto args = std::make_shared<CommonArgs>();
    auto fix = std::make_shared<bool>(false);
    auto output = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand(
        "dump", "Write the database as SQL text (sqlite3 .dump layout, nothing lost)");
    cmd->add_option("DB", args->path, "Database file")->required();
    cmd->add_flag("--fix-fk", *fix, "Apply the repair to the schema text");
    cmd->add_option("--map", args->maps, "Resolve OLD as NEW (OLD=NEW), with --fix-fk");
    cmd->add_option("-o,--output", *output, "Write to PATH instead of standard output");
    cmd->add_option("--busy-timeout", args->busy_timeout_ms,
                    "Milliseconds to wait for another process's lock (default 2000)");
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
