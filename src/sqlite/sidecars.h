// SidecarGuard: leaves a database's companion files as it found them.
//
// Opening a WAL-mode database, even read-only, makes SQLite create "-wal" and
// "-shm" beside it when they are missing, and they stay after the connection
// closes. check-fk "never writes" and a refused fix-fk "leaves no files
// behind", so every reader of a user's file holds a SidecarGuard declared
// before its connections (destroyed after them), which removes the empty
// companions once its connections have closed.
//
// Other processes may have the same database open meanwhile, and their
// "-wal" and "-shm" are the same files: removing them under a live
// connection would make its commits invisible to every connection opened
// afterwards (they would create fresh ones). So companions are removed only
// while no connection of any process has the database open, shown as SQLite
// itself shows it before it deletes a WAL on close: an exclusive lock on the
// database file can be taken (every connection to a WAL database holds a
// SHARED lock for as long as it is open). Then an empty "-wal", its "-shm"
// and an empty "-journal" describe nothing and go, whoever left them, as
// SQLite's last connection would remove them; a "-wal" holding frames (a
// committed transaction not yet checkpointed) always stays.
#pragma once

#include <string>

namespace sqlmend::sqlite {

// Removes the empty companions of the database at `path` when no
// connection of any process has it open (see above); otherwise leaves every
// file alone. Call only after this process's own connections to the file
// have closed: the probe opens and closes the file, and closing a
// descriptor drops every POSIX lock the process holds on it.
void RemoveUnusedCompanions(const std::string& path);

class SidecarGuard {
 public:
  explicit SidecarGuard(std::string path) : path_(std::move(path)) {}
  SidecarGuard(const SidecarGuard&) = delete;
  ~SidecarGuard() { Cleanup(); }

  // RemoveUnusedCompanions(path). Call after every connection to the file
  // has closed. Safe to call twice.
  void Cleanup() { RemoveUnusedCompanions(path_); }

 private:
  std::string path_;
};

}  // namespace sqlmend::sqlite
