#include "base/heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>

namespace sqlmend::base {

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kOwnAllocator = false;
#else
constexpr bool kOwnAllocator = true;
#endif

constexpr uintptr_t kHugePage = uintptr_t{2} << 20;

// Marks [begin, end) rounded inward to whole huge pages.
void AdviseHugePages(uintptr_t begin, uintptr_t end) {
  begin = (begin + kHugePage - 1) & ~(kHugePage - 1);
  end &= ~(kHugePage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

// The kernel backs a 2 MiB range with a huge page only if none of its
// 4 KiB pages was touched before, and the allocator touches memory past a
// block when it hands one out (the header of what is left). So each arena
// is prepared in three moves:
//   1. grow it by allocating and freeing a block (this touches the block's
//      first and last bytes);
//   2. advise huge pages from the first boundary past anything touched;
//   3. give the memory below that boundary to one block that is never
//      freed and never touched beyond its header, so that the blocks
//      allocated next start at the boundary. It costs address space only.
struct Grown {
  uintptr_t at = 0;        // where the arena's free memory starts
  uintptr_t boundary = 0;  // the first huge-page boundary past what is touched
};

Grown GrowArena() {
  constexpr size_t kBlock = 256 << 10;  // more than any arena holds free yet
  void* block = malloc(kBlock);
  if (block == nullptr) return {};
  const auto at = reinterpret_cast<uintptr_t>(block);
  free(block);  // back into the arena's top: the next block starts at `at` again
  constexpr uintptr_t kPage = 4096;
  return {at, (at + kBlock + kPage + kHugePage - 1) & ~(kHugePage - 1)};
}

// Kept reachable, so that leak checkers need not know.
std::atomic<void*> kept_fillers[4];

void FillTo(const Grown& grown) {
  constexpr uintptr_t kHeaders = 64;
  void* filler = malloc(grown.boundary - grown.at - kHeaders);
  for (auto& slot : kept_fillers) {
    void* empty = nullptr;
    if (slot.compare_exchange_strong(empty, filler)) return;
  }
}

}  // namespace

void PrepareHeap() {
  if (!kOwnAllocator) return;
  // Blocks up to 32 MiB come from the heap rather than their own mapping,
  // the heap grows in 32 MiB steps, and freed memory stays in it.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TOP_PAD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  const Grown grown = GrowArena();
  if (grown.at == 0) return;
  AdviseHugePages(grown.boundary, reinterpret_cast<uintptr_t>(sbrk(0)));
  FillTo(grown);
}

void PrepareThreadHeap() {
  if (!kOwnAllocator) return;
  // A thread's arena is a region glibc aligns to its maximum size (64 MiB
  // on 64-bit systems) and enables as it grows (by M_TOP_PAD at least).
  constexpr uintptr_t kArena = uintptr_t{64} << 20;
  const Grown grown = GrowArena();
  if (grown.at == 0) return;
  AdviseHugePages(grown.boundary, (grown.at & ~(kArena - 1)) + kArena);
  FillTo(grown);
}

}  // namespace sqlmend::base
