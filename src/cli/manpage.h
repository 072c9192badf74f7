// sqlmend(1), written from the same CLI11 app that parses the command line
// and prints --help (help.h), so the two cannot drift apart. The build runs
// `sqlmend __man` to write sqlmend.1; `cmake --install` installs it.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace sqlmend::cli {

// The man page in roff (man macros): NAME, SYNOPSIS, DESCRIPTION, the
// global OPTIONS, one section per subcommand group with each subcommand's
// usage, description, options and examples (its --help footer), EXIT
// STATUS from base's exit-code table, ENVIRONMENT, FILES and SEE ALSO.
// Hidden subcommands (no group) are left out.
std::string ManPage(const CLI::App& app);

// `text` escaped for roff: backslashes, hyphens (so that flags copy as
// ASCII '-'), and a leading '.' or '\''.
std::string RoffEscape(const std::string& text);

}  // namespace sqlmend::cli
