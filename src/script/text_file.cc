#include "script/text_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "base/atomic_file.h"
#include "base/files.h"

namespace sqlmend::script {

base::Result<std::string> ReadTextFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return base::Fail(base::ErrnoStatus(path, "open", errno));
  std::string bytes;
  char buffer[65536];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return base::Fail(base::ErrnoStatus(path, "read", err));
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return bytes;
}

base::Status WriteTextFile(const std::string& path, const std::string& bytes) {
  auto file = base::AtomicFile::Create(path);
  if (!file) return file.error();
  int fd = ::open(file->temp_path().c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return base::ErrnoStatus(path, "open", errno);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return base::ErrnoStatus(path, "write", err);
    }
    done += static_cast<size_t>(n);
  }
  // A new file gets the usual 0644 less the umask, as Python's open() gives.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  if (::close(fd) != 0) return base::ErrnoStatus(path, "close", errno);
  return file->Commit();
}

base::Result<std::vector<std::string>> ListFolder(const std::string& dir) {
  std::unique_ptr<DIR, int (*)(DIR*)> handle(::opendir(dir.c_str()), ::closedir);
  if (!handle) return base::Fail(base::ErrnoStatus(dir, "opendir", errno));
  std::vector<std::string> names;
  errno = 0;
  while (const dirent* entry = ::readdir(handle.get())) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  if (errno != 0) return base::Fail(base::ErrnoStatus(dir, "readdir", errno));
  return names;
}

std::string AbsolutePath(const std::string& path, const std::string& cwd) {
  std::string joined = path;
  if (path.empty() || path[0] != '/') {
    std::string base = cwd;
    if (base.empty()) {
      char buffer[4096];
      base = ::getcwd(buffer, sizeof buffer) ? buffer : ".";
    }
    joined = base + "/" + path;
  }
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos <= joined.size()) {
    size_t slash = joined.find('/', pos);
    std::string part = joined.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  std::string out;
  for (const auto& part : parts) out += "/" + part;
  return out.empty() ? "/" : out;
}

bool IsFolder(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool IsRegularFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace sqlmend::script
