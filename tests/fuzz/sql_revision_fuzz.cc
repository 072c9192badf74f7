// The .sql revision reader (script/sql_revision.h) on arbitrary text. When a
// text parses, the header RenderSqlRevision() writes for it must parse back
// to the same identifiers and message.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "script/sql_revision.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto revision = sqlmend::script::ParseSqlRevision(text, "versions/fuzz.sql");
  if (!revision) return 0;
  std::string rendered = sqlmend::script::RenderSqlRevision(*revision);
  auto again = sqlmend::script::ParseSqlRevision(rendered, "versions/fuzz.sql");
  FUZZ_CHECK(again.has_value(), "a rendered revision does not parse:\n" + rendered);
  FUZZ_CHECK(again->revision == revision->revision, "revision changed:\n" + rendered);
  FUZZ_CHECK(again->down_revisions == revision->down_revisions, "down_revision changed:\n" + rendered);
  FUZZ_CHECK(again->branch_labels == revision->branch_labels, "branch_labels changed:\n" + rendered);
  FUZZ_CHECK(again->depends_on == revision->depends_on, "depends_on changed:\n" + rendered);
  FUZZ_CHECK(again->message == revision->message, "message changed:\n" + rendered);
  return 0;
}
