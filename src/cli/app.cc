#include "cli/app.h"

#include <CLI/CLI.hpp>

#include "base/status.h"

namespace sqlmend::cli {

int Run(int argc, char** argv) {
  CLI::App app{"sqlmend: repair SQLite foreign keys left dangling by rename-first migrations"};
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : base::ExitCode(base::Code::kUsage);
  }
  return 0;
}

}  // namespace sqlmend::cli
