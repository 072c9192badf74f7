#include "base/atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>

#include "base/files.h"

namespace sqlmend::base {

namespace {
std::atomic<unsigned> g_counter{0};

void RemoveWithCompanions(const std::string& path) {
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
    RemoveIfExists(path + suffix);
  }
}
}  // namespace

Result<AtomicFile> AtomicFile::Create(const std::string& target) {
  std::string dir = DirName(target);
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string temp = fmt::format("{}/.{}{}{}-{}", dir, BaseName(target), kTempMarker,
                                   ::getpid(), g_counter.fetch_add(1));
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      ::close(fd);
      return AtomicFile(target, temp);
    }
    if (errno != EEXIST) {
      return Fail(ErrnoStatus(target, "cannot create a file beside it", errno));
    }
  }
  return Fail(Status::Environment(target, "cannot find a free temporary name"));
}

int AtomicFile::RemoveStale(const std::string& target) {
  std::string dir = DirName(target);
  // Built with append: GCC 12's -Wrestrict misfires on "." + std::string.
  std::string prefix = ".";
  prefix.append(BaseName(target)).append(kTempMarker);
  DIR* d = ::opendir(dir.c_str());
  if (!d) return 0;
  int removed = 0;
  while (dirent* entry = ::readdir(d)) {
    std::string name = entry->d_name;
    if (name.rfind(prefix, 0) != 0) continue;
    // <prefix><pid>-<n>[-journal|-wal|-shm]
    long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    RemoveIfExists(dir + "/" + name);
    ++removed;
  }
  ::closedir(d);
  return removed;
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
      temp_path_(std::move(other.temp_path_)),
      owned_(other.owned_) {
  other.owned_ = false;
}

AtomicFile::~AtomicFile() { Discard(); }

void AtomicFile::Discard() {
  if (owned_) RemoveWithCompanions(temp_path_);
  owned_ = false;
}

Status AtomicFile::Commit() {
  if (!owned_) return Status::Environment(target_, "temporary file already gone");
  SQLMEND_RETURN_IF_ERROR(FsyncFile(temp_path_));
  SQLMEND_RETURN_IF_ERROR(RenameDurably(temp_path_, target_));
  owned_ = false;
  // The temporary's companions are empty once SQLite closed it; drop them.
  for (const char* suffix : {"-journal", "-wal", "-shm"}) RemoveIfExists(temp_path_ + suffix);
  return Status::Ok();
}

}  // namespace sqlmend::base
