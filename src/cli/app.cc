#include "cli/app.h"

#include <CLI/CLI.hpp>

#include "base/status.h"
#include "cli/alembic_cli.h"
#include "cli/repair_cli.h"
#include "commands/alembic_commands.h"

namespace sqlmend::cli {

int Run(int argc, char** argv) {
  CLI::App app{"sqlmend: repair SQLite foreign keys left dangling by rename-first migrations"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sqlmend 0.1.0");
  int exit_code = 0;
  // The process exits after the one command it runs.
  commands::SkipCleanupAtExit(true);
  AddRepairCommands(app, &exit_code);
  AddAlembicCommands(app, &exit_code);
  std::vector<std::string> args;
  ProtectRelativeRevisions(argc, argv, &args);
  std::vector<char*> pointers;
  for (auto& a : args) pointers.push_back(a.data());
  try {
    app.parse(static_cast<int>(pointers.size()), pointers.data());
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : base::ExitCode(base::Code::kUsage);
  }
  return exit_code;
}

}  // namespace sqlmend::cli
