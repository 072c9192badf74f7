#include "cli/app.h"

#include <cstring>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "base/status.h"
#include "cli/alembic_cli.h"
#include "cli/complete.h"
#include "cli/help.h"
#include "cli/manpage.h"
#include "cli/repair_cli.h"
#include "commands/alembic_commands.h"

#ifndef SQLMEND_VERSION
#error "SQLMEND_VERSION is set by CMakeLists.txt from the project's version"
#endif

namespace sqlmend::cli {

const char kVersion[] = SQLMEND_VERSION;

std::unique_ptr<CLI::App> BuildApp(int* exit_code) {
  auto app = std::make_unique<CLI::App>(
      "sqlmend: repair SQLite databases whose foreign keys, views and triggers a rename-first\n"
      "migration left naming a dropped table, and run Alembic migrations with Alembic's own\n"
      "command line and no Python.",
      "sqlmend");
  app->require_subcommand(1);
  app->set_version_flag("--version", std::string("sqlmend ") + kVersion);
  app->get_formatter()->column_width(34);
  AddRepairCommands(*app, exit_code);
  AddAlembicCommands(*app, exit_code);
  SetFooter(app.get(),
            "The repair commands take database files, folders of them or globs, and exit\n"
            "with the codes in sqlmend(1). The Alembic commands read alembic.ini (or -c, or\n"
            "pyproject.toml [tool.alembic]), run .py and .sql revisions without Python, and\n"
            "print what alembic prints. 'sqlmend COMMAND --help' shows a command's options.",
            {{"sqlmend fix-fk app.sqlite --stamp 0c3414079bfe",
              "Repair a database's dangling foreign keys and stamp its Alembic revision."},
             {"sqlmend check-fk -j 2 --json backups/",
              "Diagnose a folder of backups, two at a time, as JSON lines."},
             {"sqlmend -c data_development/config.ini upgrade head",
              "Run a project's migrations up to the newest revision."}});
  return app;
}

int Run(int argc, char** argv) {
  int exit_code = 0;
  std::unique_ptr<CLI::App> app = BuildApp(&exit_code);
  if (argc >= 2 && std::strcmp(argv[1], "__complete") == 0) {
    std::vector<std::string> words(argv + 2, argv + argc);
    std::cout << FormatCandidates(Complete(*app, words));
    return 0;
  }
  if (argc == 2 && std::strcmp(argv[1], "__man") == 0) {
    std::cout << ManPage(*app);
    return 0;
  }
  // Library warnings (spdlog's default logger writes to stdout) go to
  // stderr, so they never mix with what a command prints (--sql output).
  auto warnings = std::make_shared<spdlog::logger>(
      "sqlmend", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  warnings->set_pattern("%l: %v");
  spdlog::set_default_logger(warnings);
  // The process exits after the one command it runs.
  commands::SkipCleanupAtExit(true);
  std::vector<std::string> args;
  ProtectRelativeRevisions(argc, argv, &args);
  std::vector<char*> pointers;
  for (auto& a : args) pointers.push_back(a.data());
  try {
    app->parse(static_cast<int>(pointers.size()), pointers.data());
  } catch (const CLI::ParseError& e) {
    int rc = app->exit(e);
    return rc == 0 ? 0 : base::ExitCode(base::Code::kUsage);
  }
  return exit_code;
}

}  // namespace sqlmend::cli
