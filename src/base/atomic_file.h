// AtomicFile: a file that appears at its target path whole or not at all.
//
// The temporary lives beside the target (same folder, so rename(2) is
// atomic) under a name no sqlmend run ever takes as input:
//   <folder>/.<name>.sqlmend-tmp-<pid>-<n>
// SQLite may create "-journal", "-wal" and "-shm" companions next to it while
// it is written; they are removed with it. Commit() fsyncs the file, renames
// it over the target and fsyncs the folder (ccache's AtomicFile, leveldb's
// SetCurrentFile). Until Commit() succeeds the target is untouched, and the
// destructor of an uncommitted AtomicFile removes the temporary and its
// companions, so a failed pipeline leaves nothing behind.
#pragma once

#include <string>

#include "base/status.h"

namespace sqlmend::base {

class AtomicFile {
 public:
  // Reserves a fresh temporary path beside `target` (creating it empty with
  // O_EXCL). Fails with kEnvironment when the folder cannot take a new file
  // (read-only folder, no space, no permission).
  static Result<AtomicFile> Create(const std::string& target);

  // Removes temporaries beside `target` left by sqlmend processes that died
  // (killed, power loss): their names carry the pid, and a pid that no
  // longer runs cannot be writing them. Returns how many were removed.
  static int RemoveStale(const std::string& target);

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) = delete;
  AtomicFile(const AtomicFile&) = delete;
  ~AtomicFile();

  const std::string& temp_path() const { return temp_path_; }
  const std::string& target() const { return target_; }

  // fsync(temp), rename(temp, target), fsync(folder). On failure the target
  // is as it was and the temporary is still owned (and removed) by *this.
  Status Commit();

  // Removes the temporary and its SQLite companions now.
  void Discard();

 private:
  AtomicFile(std::string target, std::string temp_path)
      : target_(std::move(target)), temp_path_(std::move(temp_path)) {}
  std::string target_;
  std::string temp_path_;
  bool owned_ = true;
};

}  // namespace sqlmend::base
