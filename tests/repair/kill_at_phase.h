// Test-only: run fix-fk in a child process and kill it (SIGKILL, no cleanup
// runs) the moment it reports a phase, to check what a crash leaves behind.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "repair/fix_fk.h"

namespace sqlmend::repair {

// Runs FixFk(path, options) in a forked child that kills itself on the
// first progress event of `phase`. True when the child died of the signal.
inline bool FixFkKilledAt(const std::string& path, FixOptions options, const std::string& phase) {
  pid_t child = ::fork();
  if (child < 0) return false;
  if (child == 0) {
    options.progress = [&](const ProgressEvent& e) {
      if (e.phase == phase) ::kill(::getpid(), SIGKILL);
    };
    Report report;
    FixFk(path, options, &report);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFSIGNALED(status);
}

}  // namespace sqlmend::repair
