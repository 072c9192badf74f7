// IntentionalLeakScope: allocations made while one lives (on its thread) are
// never reported by LeakSanitizer.
//
// sqlmend's Python interpreter (src/python) frees the reference cycles a
// script builds when it goes (python/heap.h), and its own tests and the
// sqlalchemy and alembic ones run with leak detection. A whole migration
// still leaves a few cycles it cannot see (builtins of the modelled objects
// that capture what holds them: 47 allocations, 4.5 kB, over the live_reads
// corpus), which leak until the process ends; the interpreter runs a
// project's short scripts once per command, so the memory is bounded.
// Under AddressSanitizer those cycles would fail every command that runs
// env.py. The runtime that evaluates scripts opens one of these scopes;
// everything else stays checked. In a build without the sanitizer it does
// nothing.
#pragma once

// GCC says AddressSanitizer is on with __SANITIZE_ADDRESS__, clang 14 only
// through __has_feature (the fuzz build, tools/fuzz.sh, is clang's).
#if defined(__SANITIZE_ADDRESS__)
#define SQLMEND_LEAK_CHECKED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SQLMEND_LEAK_CHECKED 1
#endif
#endif

#if defined(SQLMEND_LEAK_CHECKED)
#include <sanitizer/lsan_interface.h>
#endif

namespace sqlmend::base {

class IntentionalLeakScope {
 public:
#if defined(SQLMEND_LEAK_CHECKED)
  IntentionalLeakScope() { __lsan_disable(); }
  ~IntentionalLeakScope() { __lsan_enable(); }
#else
  // User-provided, so that a scope object is not an "unused variable".
  IntentionalLeakScope() {}
  ~IntentionalLeakScope() {}
#endif
  IntentionalLeakScope(const IntentionalLeakScope&) = delete;
  IntentionalLeakScope& operator=(const IntentionalLeakScope&) = delete;
};

}  // namespace sqlmend::base
