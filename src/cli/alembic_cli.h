// The Alembic-compatible subcommands (upgrade, downgrade, stamp, current,
// history, heads, branches, show, ensure_version) and the global options
// they share (-c/--config, -n/--name, -x, --raiseerr), accepting the same
// command lines as `alembic`. Output follows Alembic: stdout as alembic
// prints it, INFO log lines on stderr, and on failure "FAILED: <message>"
// on stdout with exit status 255.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sqlmend::cli {

void AddAlembicCommands(CLI::App& app, int* exit_code);

// Rewrites "-1", "-2" ... given as a revision ("downgrade -1") so CLI11 does
// not take them for options.
void ProtectRelativeRevisions(int argc, char** argv, std::vector<std::string>* args);

}  // namespace sqlmend::cli
