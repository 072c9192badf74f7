#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

namespace sqlmend::base {

bool IsSqlmendArtifact(std::string_view path) {
  std::string name = BaseName(std::string(path));
  return name.find(kTempMarker) != std::string::npos ||
         name.find(kBackupMarker) != std::string::npos ||
         name.rfind(kJournalName, 0) == 0;
}

std::string DirName(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string BaseName(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

bool CreateExclusive(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

bool IsRegularFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

int64_t FileSize(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int64_t>(st.st_size);
}

std::optional<FileIdentity> IdentityOf(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
}

Status ErrnoStatus(const std::string& object, std::string_view what, int err) {
  std::string problem;
  switch (err) {
    case ENOSPC:
    case EDQUOT: problem = "disk full"; break;
    case EROFS: problem = "read-only file system"; break;
    case EACCES:
    case EPERM: problem = "permission denied (read-only folder or file?)"; break;
    case ENOENT: problem = "no such file or folder"; break;
    default: problem = std::strerror(err); break;
  }
  return Status::Environment(object, fmt::format("{}: {}", what, problem));
}

static Status FsyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(path, "cannot open for fsync", errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return ErrnoStatus(path, "fsync failed", err);
  return Status::Ok();
}

Status FsyncFile(const std::string& path) { return FsyncPath(path, O_RDONLY); }
Status FsyncDir(const std::string& dir) { return FsyncPath(dir, O_RDONLY | O_DIRECTORY); }

Status RenameDurably(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return ErrnoStatus(to, "cannot rename the new file into place", errno);
  }
  return FsyncDir(DirName(to));
}

void RemoveIfExists(const std::string& path) { ::unlink(path.c_str()); }

std::string UtcStampForFileName() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

void CopyModeAndOwner(const std::string& from, const std::string& to) {
  struct stat st;
  if (::stat(from.c_str(), &st) != 0) return;
  ::chmod(to.c_str(), st.st_mode & 07777);
  if (::geteuid() == 0) {
    [[maybe_unused]] int ignored = ::chown(to.c_str(), st.st_uid, st.st_gid);
  }
}

}  // namespace sqlmend::base
