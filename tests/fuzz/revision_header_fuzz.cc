// The revision-header reader (alembic/revision_header.h: the Python front
// end, then the module-level revision variables and docstring) on arbitrary
// text. Any result is fine; a crash, a hang or a leak is not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "alembic/revision_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto header = sqlmend::alembic::ReadRevisionHeader(text, "versions/fuzz.py");
  if (!header) return 0;
  (void)header->LongDoc();
  (void)header->Message();
  return 0;
}
