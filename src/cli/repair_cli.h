// The repair subcommands: check-fk, fix-fk, dump.
#pragma once

namespace CLI {
class App;
}

namespace sqlmend::cli {

// Adds the subcommands to `app`; the returned callbacks set *exit_code.
void AddRepairCommands(CLI::App& app, int* exit_code);

}  // namespace sqlmend::cli
