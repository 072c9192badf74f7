// Workarounds for compiler bugs that would otherwise fill a build with
// warnings about correct code.
#pragma once

// GCC 12's middle end reports -Wrestrict (and, with -pthread, the same
// finding as -Wstringop-overflow) inside libstdc++'s char_traits when
// `"literal" + std::string` is inlined at -O3: it believes the insert at
// position 0 copies an object onto itself or past the end of memory. Both
// are false positives (GCC bugs 105329 and 105651, fixed in GCC 13). Wrap
// only the functions where GCC raises them, so the warnings stay on for the
// rest of the code:
//
//   SQLMEND_GCC12_STRING_PLUS_BEGIN
//   std::string Quote(const std::string& s) { return "'" + s + "'"; }
//   SQLMEND_GCC12_STRING_PLUS_END
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#define SQLMEND_GCC12_STRING_PLUS_BEGIN                   \
  _Pragma("GCC diagnostic push")                          \
      _Pragma("GCC diagnostic ignored \"-Wrestrict\"")    \
          _Pragma("GCC diagnostic ignored \"-Wstringop-overflow\"")
#define SQLMEND_GCC12_STRING_PLUS_END _Pragma("GCC diagnostic pop")
#else
#define SQLMEND_GCC12_STRING_PLUS_BEGIN
#define SQLMEND_GCC12_STRING_PLUS_END
#endif
