#include "sqlite/sidecars.h"

#include <fcntl.h>
#include <unistd.h>

#include "base/files.h"

namespace sqlmend::sqlite {

namespace {

// SQLite's rollback-mode lock bytes (os.h): a SHARED lock is a read lock on
// one byte of [kSharedFirst, kSharedFirst + kSharedSize), EXCLUSIVE a write
// lock over all of them.
constexpr off_t kPendingByte = 0x40000000;
constexpr off_t kSharedFirst = kPendingByte + 2;
constexpr off_t kSharedSize = 510;

// Holds, while it lives, a write lock over the SHARED range of `path` when
// no other connection has the database open. An open file description lock
// (F_OFD_SETLK): it conflicts with the POSIX locks SQLite takes, those of
// this process's own connections included, so a connection this process
// still had open would also keep the companions.
class ExclusiveProbe {
 public:
  explicit ExclusiveProbe(const std::string& path) {
    // A write lock needs a descriptor open for writing; a file this process
    // cannot write is left with its companions.
    fd_ = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd_ < 0) return;
    struct flock lock = {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = kSharedFirst;
    lock.l_len = kSharedSize;
    held_ = ::fcntl(fd_, F_OFD_SETLK, &lock) == 0;
  }
  ExclusiveProbe(const ExclusiveProbe&) = delete;
  ~ExclusiveProbe() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool held() const { return held_; }

 private:
  int fd_ = -1;
  bool held_ = false;
};

}  // namespace

void RemoveUnusedCompanions(const std::string& path) {
  const std::string wal = path + "-wal", shm = path + "-shm", journal = path + "-journal";
  if (!base::Exists(wal) && !base::Exists(shm) && !base::Exists(journal)) return;
  ExclusiveProbe probe(path);
  if (!probe.held()) return;
  // Nobody has the database open, and nobody can open it before the probe
  // lets go: a new connection takes a SHARED lock before it opens the
  // companions.
  if (base::FileSize(wal) == 0) base::RemoveIfExists(wal);
  if (!base::Exists(wal)) base::RemoveIfExists(shm);
  if (base::FileSize(journal) == 0) base::RemoveIfExists(journal);
}

}  // namespace sqlmend::sqlite
