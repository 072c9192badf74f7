// The sqlmend command line: one CLI11 app whose subcommands live in
// cli/<verb>.cc. Run() parses, dispatches, prints and returns the exit code.
#pragma once

#include <memory>

namespace CLI {
class App;
}

namespace sqlmend::cli {

// The version `sqlmend --version` prints and the man page carries.
extern const char kVersion[];

// The whole command line, every subcommand registered, callbacks writing
// their exit code to *exit_code. The one source of --help, the man page and
// completion (help.h).
std::unique_ptr<CLI::App> BuildApp(int* exit_code);

// Parses argv and runs the subcommand. Two hidden entries come first:
//   sqlmend __complete WORD...   completion candidates (complete.h)
//   sqlmend __man                the man page sqlmend(1), in roff
int Run(int argc, char** argv);

}  // namespace sqlmend::cli
