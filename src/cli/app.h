// The sqlmend command line: one CLI11 app whose subcommands live in
// cli/<verb>.cc. Run() parses, dispatches, prints and returns the exit code.
#pragma once

namespace sqlmend::cli {

int Run(int argc, char** argv);

}  // namespace sqlmend::cli
