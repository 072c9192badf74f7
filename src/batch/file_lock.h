// FileLock: one sqlmend worker per database file, across threads and
// processes.
//
// A fleet run takes an exclusive flock(2) on each database before it works on
// it and holds it until the repair has returned, so the same file is never
// touched by two workers of one run, nor by two sqlmend processes pointed at
// the same tree. The lock is advisory and separate from SQLite's own locks
// (which still keep other writers out): it only orders sqlmend against
// sqlmend.
//
// Protocol: open the file, flock(LOCK_EX | LOCK_NB), then check that the path
// still names the inode that was locked; a process that swapped a repaired
// file in meanwhile leaves the lock on the old inode, so the open is retried
// on the new one.
//
// NOTE: flock(2) and SQLite's fcntl(2) locks do not interact on Linux local
// file systems. Closing any descriptor of a file drops every fcntl lock the
// process holds on it, so a FileLock must be released only after the
// repair's SQLite connections to that file are closed (the runner does).
// On NFS, flock is emulated with fcntl locks and this guarantee weakens.
#pragma once

#include <string>

#include "base/status.h"
#include "batch/walker.h"

namespace sqlmend::batch {

class FileLock {
 public:
  // Takes the lock on `path`, waiting up to `wait_ms` (0: not at all) while
  // another holder has it. Returns a FileLock that is held(), or one that is
  // not when the wait ran out (the file is busy); kEnvironment when the file
  // cannot be opened or stat'ed.
  static base::Result<FileLock> Acquire(const std::string& path, int wait_ms);

  FileLock() = default;
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  ~FileLock() { Release(); }

  bool held() const { return fd_ >= 0; }
  // The locked file's identity when the lock was taken.
  const FileId& id() const { return id_; }
  // Drops the lock (also done by the destructor).
  void Release();

 private:
  int fd_ = -1;
  FileId id_;
};

}  // namespace sqlmend::batch
