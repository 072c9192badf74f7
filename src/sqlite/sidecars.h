// SidecarGuard: leaves a database's companion files as it found them.
//
// Opening a WAL-mode database, even read-only, makes SQLite create "-wal" and
// "-shm" beside it when they are missing, and they stay after the connection
// closes. check-fk "never writes" and a refused fix-fk "leaves no files
// behind", so every reader of a user's file holds a SidecarGuard declared
// before its connections (destroyed after them): it notes which companions
// existed, and removes the ones it finds new and empty of data afterwards.
#pragma once

#include <string>

namespace sqlmend::sqlite {

class SidecarGuard {
 public:
  explicit SidecarGuard(std::string path);
  SidecarGuard(const SidecarGuard&) = delete;
  ~SidecarGuard() { Cleanup(); }

  // Removes "-wal" (only when it is empty), "-shm" and "-journal" (only when
  // empty) that did not exist at construction. Call after every connection to
  // the file has closed. Safe to call twice.
  void Cleanup();

 private:
  std::string path_;
  bool had_wal_ = false;
  bool had_shm_ = false;
  bool had_journal_ = false;
};

}  // namespace sqlmend::sqlite
