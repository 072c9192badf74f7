#include "commands/command_line.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace sqlmend::commands {

bool NamesRepairCommand(int argc, char** argv) {
  // The global options that take a value (Alembic's -c, -n, -x).
  constexpr std::string_view kTakesValue[] = {"-c", "--config", "-n", "--name", "-x"};
  constexpr std::string_view kRepair[] = {"check-fk", "fix-fk", "doctor", "dump"};
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word.starts_with("-")) {
      if (std::find(std::begin(kTakesValue), std::end(kTakesValue), word) != std::end(kTakesValue)) ++i;
      continue;
    }
    return std::find(std::begin(kRepair), std::end(kRepair), word) != std::end(kRepair);
  }
  return false;
}

}  // namespace sqlmend::commands
