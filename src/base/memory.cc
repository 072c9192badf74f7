#include "base/memory.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace sqlmend::base {

size_t ResidentBytes() {
  // statm: size resident shared text lib data dt, in pages. One read of a
  // small file: cheap enough to call every few thousand steps.
  int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buffer[128];
  ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
  ::close(fd);
  if (n <= 0) return 0;
  buffer[n] = '\0';
  char* end = nullptr;
  std::strtoull(buffer, &end, 10);  // size
  const unsigned long long resident = std::strtoull(end, nullptr, 10);
  return static_cast<size_t>(resident) * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

size_t DefaultMemoryCap() {
  constexpr size_t kCap = size_t{2} << 30;
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return kCap;
  return std::min(kCap, static_cast<size_t>(pages) * static_cast<size_t>(page_size) / 2);
}

}  // namespace sqlmend::base
