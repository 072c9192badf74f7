// Shell completion: what `sqlmend __complete WORD...` answers. The bash,
// zsh and fish scripts (src/cli/completions/) are thin: they pass the words
// of the command line up to the cursor and show what comes back, so all
// three complete the same way and follow the CLI11 app as it changes.
//
// The protocol, one candidate per line, then one directive line:
//
//   head<TAB>the newest revision of every branch
//   base
//   :none            (or :files, :dirs: also offer the shell's own file or
//                     folder completion)
//
// A candidate is a value, optionally followed by a tab and a description
// (zsh and fish show it, bash drops it). Candidates are already filtered by
// the word being completed.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sqlmend::cli {

struct Candidate {
  std::string value;
  std::string description;
};

struct Candidates {
  enum class Fallback { kNone, kFiles, kDirs };
  std::vector<Candidate> values;
  Fallback fallback = Fallback::kNone;
};

// Candidates for the last of `words` (the words after "sqlmend", the last
// one being the word under the cursor, possibly empty):
// - after an option that takes a value, what that value can be: revisions
//   for REV values, the choices of a "{a,b}" value, files or folders;
// - a word starting with '-': the options of the subcommand so far (the
//   global ones before any subcommand);
// - otherwise the subcommands, or what the next positional argument can be.
// Revisions are read from the project's script directory as `heads` reads
// it, through the -c/-n given among `words` (or $ALEMBIC_CONFIG, or
// alembic.ini): `head`, `heads`, `base`, each branch label with `@head`,
// and every revision id. A project that cannot be read gives no revisions
// and no error: completion never prints one.
Candidates Complete(const CLI::App& app, const std::vector<std::string>& words);

// The protocol text above.
std::string FormatCandidates(const Candidates& candidates);

}  // namespace sqlmend::cli
