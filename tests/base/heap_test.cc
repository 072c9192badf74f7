// PrepareHeap / PrepareThreadHeap: after them, the blocks a command
// allocates are backed by transparent huge pages where the kernel offers
// them, which is what keeps fresh-page faults (about 10 us each on the
// virtual machines sqlmend is benchmarked on) out of start-up. Each case runs
// in a child process: the allocator settings are process-wide.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/heap.h"
#include "base/thread.h"

namespace sqlmend::base {
namespace {

// "always" or "madvise" when the kernel may back advised memory with huge
// pages.
bool HugePagesOffered() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return modes.find("[always]") != std::string::npos ||
         modes.find("[madvise]") != std::string::npos;
}

long AnonHugePagesKb() {
  std::ifstream in("/proc/self/smaps_rollup");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("AnonHugePages:", 0) == 0) return std::stol(line.substr(14));
  }
  return -1;
}

// How often the kernel wanted a huge page and had none at hand.
long HugePageFallbacks() {
  std::ifstream in("/proc/vmstat");
  std::string name;
  long value = 0;
  while (in >> name >> value) {
    if (name == "thp_fault_fallback") return value;
  }
  return 0;
}

// What a parse does: many small blocks, written once.
void AllocateLikeAParse() {
  static std::vector<char*> blocks;  // kept: the pages stay mapped
  for (int i = 0; i < 6000; ++i) {
    char* block = static_cast<char*>(malloc(1000));
    for (int k = 0; k < 1000; k += 64) block[k] = static_cast<char>(k);
    blocks.push_back(block);
  }
}

// Runs `body` in a child; its exit code 0 means huge pages back its blocks,
// 1 that they do not, 3 that the kernel had none to give meanwhile.
int InChild(void (*body)()) {
  const long fallbacks = HugePageFallbacks();
  const pid_t child = fork();
  if (child == 0) {
    body();
    _exit(AnonHugePagesKb() >= 2048 ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 2;
  return code == 1 && HugePageFallbacks() > fallbacks ? 3 : code;
}

#define EXPECT_HUGE_PAGES(code)                                                  \
  do {                                                                           \
    const int result = (code);                                                   \
    if (result == 3) GTEST_SKIP() << "the kernel had no huge page free";       \
    EXPECT_EQ(result, 0);                                                        \
  } while (0)

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SKIP_UNDER_SANITIZERS() GTEST_SKIP() << "the sanitizers bring their own allocator"
#else
#define SKIP_UNDER_SANITIZERS() (void)0
#endif

TEST(HeapTest, MainThreadBlocksGetHugePages) {
  SKIP_UNDER_SANITIZERS();
  if (!HugePagesOffered()) GTEST_SKIP() << "transparent huge pages are off";
  EXPECT_HUGE_PAGES(InChild([] {
    PrepareHeap();
    AllocateLikeAParse();
  }));
}

TEST(HeapTest, WorkerThreadBlocksGetHugePages) {
  SKIP_UNDER_SANITIZERS();
  if (!HugePagesOffered()) GTEST_SKIP() << "transparent huge pages are off";
  EXPECT_HUGE_PAGES(InChild([] {
    PrepareHeap();
    WorkerThread worker([] { AllocateLikeAParse(); });
    worker.Join();
  }));
}

TEST(HeapTest, WithoutPreparationBlocksGetSmallPages) {
  SKIP_UNDER_SANITIZERS();
  // The control: the same allocations alone do not get huge pages (unless
  // the kernel gives them to everything).
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (modes.find("[madvise]") == std::string::npos) GTEST_SKIP() << "needs the madvise mode";
  EXPECT_EQ(InChild([] { AllocateLikeAParse(); }), 1);
}

}  // namespace
}  // namespace sqlmend::base
