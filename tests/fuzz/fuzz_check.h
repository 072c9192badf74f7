// Shared by the fuzz targets (tests/fuzz, tools/fuzz.sh).
//
// FUZZ_CHECK(condition, message) stops the run with abort() when an
// invariant does not hold, so libFuzzer records the input as a crash.
// FuzzInput splits an input into a few integers, taken from its end, and the
// text before them: a seed file from fixtures/ then stays mostly text. (It
// is ours rather than clang's FuzzedDataProvider so that the targets also
// compile with GCC, as the replay build in tests/CMakeLists.txt does.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_CHECK(condition, message)                                                 \
  do {                                                                                 \
    if (!(condition)) {                                                                \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n  %s\n", __FILE__, __LINE__, \
                   #condition, std::string(message).c_str());                          \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

namespace sqlmend::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size)
      : data_(reinterpret_cast<const char*>(data)), size_(size) {}

  // An integer in [0, limit], from the input's last unread bytes (0 once
  // they are used up).
  size_t TakeInteger(size_t limit) {
    size_t value = 0;
    for (size_t range = limit; range != 0 && size_ != 0; range >>= 8) {
      value = value << 8 | static_cast<uint8_t>(data_[--size_]);
    }
    return limit == SIZE_MAX ? value : value % (limit + 1);
  }

  // Everything not taken yet.
  std::string_view Rest() const { return std::string_view(data_, size_); }

 private:
  const char* data_;
  size_t size_;
};

}  // namespace sqlmend::fuzz
