// What `--help`, the man page and shell completion share: the command
// groups, the value names that tell completion what an argument is, and the
// examples every subcommand's help ends with.
//
// The CLI11 app that parses the command line is the one source of all three:
// `sqlmend --help` is CLI11's rendering of it, `sqlmend.1` is ManPage()'s
// (generated at build time by running the built binary), and completion
// walks the same app (complete.h). A flag added to a subcommand therefore
// appears in all of them, and tests/cli checks that it does.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sqlmend::cli {

// Subcommand groups, in the order --help and the man page list them.
inline constexpr char kRepairGroup[] = "Repair commands";
inline constexpr char kAlembicGroup[] = "Alembic commands";

// Value names. Besides naming the value in --help, each tells completion
// what to offer: revisions from the project's script directory, files,
// folders, or nothing (free text).
inline constexpr char kRevisionValue[] = "REV";     // a revision, label or symbol
inline constexpr char kPathValue[] = "PATH";        // a file, folder or glob
inline constexpr char kFileValue[] = "FILE";        // a file
inline constexpr char kDirValue[] = "DIR";          // a folder
inline constexpr char kSectionValue[] = "SECTION";  // a section of the config file

// One example: the command line and what it does.
struct Example {
  std::string command;
  std::string what;
};

// Sets `app`'s footer to `text` (a short paragraph, may be empty) followed
// by "Examples:" and each example, as --help prints it and the man page
// reproduces it.
void SetFooter(CLI::App* app, const std::string& text, const std::vector<Example>& examples);

}  // namespace sqlmend::cli
