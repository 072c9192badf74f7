#include "batch/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>
#include <utility>

#include "base/files.h"

namespace sqlmend::batch {

base::Result<FileLock> FileLock::Acquire(const std::string& path, int wait_ms) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(wait_ms);
  for (;;) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return base::Fail(base::ErrnoStatus(path, "cannot open to lock", errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      struct stat locked, now;
      bool same = ::fstat(fd, &locked) == 0 && ::stat(path.c_str(), &now) == 0 &&
                  locked.st_dev == now.st_dev && locked.st_ino == now.st_ino;
      if (same) {
        auto id = StatFileId(path);
        if (!id) {
          ::close(fd);
          return base::Fail(id.error());
        }
        FileLock lock;
        lock.fd_ = fd;
        lock.id_ = *id;
        return lock;
      }
      ::close(fd);  // swapped under us: lock the new inode instead
      continue;
    }
    int err = errno;
    ::close(fd);
    if (err != EWOULDBLOCK) return base::Fail(base::ErrnoStatus(path, "cannot lock", err));
    if (Clock::now() >= deadline) return FileLock();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

FileLock::FileLock(FileLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), id_(other.id_) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    Release();
    fd_ = std::exchange(other.fd_, -1);
    id_ = other.id_;
  }
  return *this;
}

void FileLock::Release() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace sqlmend::batch
