#include "commands/command_line.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sqlmend {
namespace {

// The heap set-up is for the migrate commands (base/heap.h): argv's first
// command word decides, past the global options and their values.
TEST(NamesRepairCommandTest, TheFirstCommandWordDecides) {
  auto names_repair = [](std::vector<std::string> words) {
    words.insert(words.begin(), "sqlmend");
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    return commands::NamesRepairCommand(static_cast<int>(argv.size()), argv.data());
  };
  EXPECT_TRUE(names_repair({"fix-fk", "app.sqlite", "--stamp", "abc"}));
  EXPECT_TRUE(names_repair({"check-fk", "-j", "2", "backups/"}));
  EXPECT_TRUE(names_repair({"dump", "-o", "upgrade"}));
  EXPECT_FALSE(names_repair({"-c", "dump", "upgrade", "head"}));
  EXPECT_FALSE(names_repair({"upgrade", "head"}));
  EXPECT_FALSE(names_repair({"revision", "-m", "dump"}));
  EXPECT_FALSE(names_repair({"--version"}));
  EXPECT_FALSE(names_repair({}));
}

}  // namespace
}  // namespace sqlmend
