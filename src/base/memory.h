// How much memory the process holds, for caps that must stop a run before
// it exhausts the machine (python/interpreter.h).
#pragma once

#include <cstddef>

namespace sqlmend::base {

// Resident set size in bytes (/proc/self/statm); 0 where it cannot be read.
size_t ResidentBytes();

// The default cap on resident memory for work whose size the input decides:
// 2 GiB, or half the machine's physical memory when that is less.
size_t DefaultMemoryCap();

}  // namespace sqlmend::base
