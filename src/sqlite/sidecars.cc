#include "sqlite/sidecars.h"

#include "base/files.h"

namespace sqlmend::sqlite {

SidecarGuard::SidecarGuard(std::string path) : path_(std::move(path)) {
  had_wal_ = base::Exists(path_ + "-wal");
  had_shm_ = base::Exists(path_ + "-shm");
  had_journal_ = base::Exists(path_ + "-journal");
}

void SidecarGuard::Cleanup() {
  // NOTE: a WAL that gained frames since construction belongs to somebody's
  // committed transaction and is never removed; only an empty one is ours.
  if (!had_wal_ && base::FileSize(path_ + "-wal") == 0) base::RemoveIfExists(path_ + "-wal");
  if (!had_wal_ && !had_shm_ && !base::Exists(path_ + "-wal")) base::RemoveIfExists(path_ + "-shm");
  if (!had_journal_ && base::FileSize(path_ + "-journal") == 0) {
    base::RemoveIfExists(path_ + "-journal");
  }
}

}  // namespace sqlmend::sqlite
