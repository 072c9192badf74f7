// check-fk (repair/check_fk.h) on arbitrary database files, through the
// library as the command runs it: the bytes are written to a file in a
// scratch folder (TMPDIR) and checked there, on the defensive connection
// every untrusted file gets (sqlite/db.h). Seeds are the fixtures/fk
// databases (tools/fuzz.sh builds them), which libFuzzer then damages.
// Invariant: check-fk never writes to the file it checks.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "fuzz_check.h"
#include "repair/check_fk.h"

namespace {

const std::string& ScratchFolder() {
  static const std::string folder = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                          "/sqlmend-fuzz-check-fk-XXXXXX";
    FUZZ_CHECK(mkdtemp(pattern.data()) != nullptr, "cannot make a scratch folder: " + pattern);
    return pattern;
  }();
  return folder;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = ScratchFolder() + "/db.sqlite";
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    FUZZ_CHECK(out.good(), "cannot write " + path);
  }
  sqlmend::repair::Report report;
  (void)sqlmend::repair::CheckFk(path, {}, &report);
  FUZZ_CHECK(ReadAll(path) == bytes, "check-fk changed the file it checked");
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  return 0;
}
