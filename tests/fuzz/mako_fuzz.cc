// The Mako subset (script/mako.h) on arbitrary templates, rendered with the
// variables Alembic passes to script.py.mako. Any result is fine; a crash,
// a hang or a leak is not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "script/mako.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using sqlmend::script::MakoValue;
  static const sqlmend::script::MakoContext kContext = {
      {"up_revision", MakoValue::Str("1a2b3c4d5e6f")},
      {"down_revision", MakoValue::RevisionsAsScalar({"0c3414079bfe", "9f8e7d6c5b4a"})},
      {"branch_labels", MakoValue::None()},
      {"depends_on", MakoValue::RevisionsAsScalar({"abc"}, true)},
      {"message", MakoValue::Str("add users.email 'quoted' \"too\"")},
      {"create_date", MakoValue::Str("2026-11-24 23:18:07.123456")},
      {"imports", MakoValue::Str("")},
      {"upgrades", MakoValue::Str("pass")},
      {"downgrades", MakoValue::Str("pass")},
      {"sourceless", MakoValue::Bool(false)},
      {"heads", MakoValue::Tuple({"a", "b"})},
  };
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)sqlmend::script::RenderMako(text, kContext, "script.py.mako");
  return 0;
}
