// The pyproject.toml reader (config/pyproject_file.h: toml++ and the
// [tool.alembic] table) on arbitrary text: parse, then read each key Alembic
// knows through every typed accessor. Any result is fine; a crash, a hang
// or a leak is not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/pyproject_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* const kKeys[] = {
      "script_location",      "version_locations",      "prepend_sys_path",
      "revision_environment", "truncate_slug_length",   "post_write_hooks",
      "file_template",        "timezone",               "sourceless",
      "output_encoding",      "path_separator",         "recursive_version_locations",
  };
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto file = sqlmend::config::PyprojectFile::Parse(text, "pyproject.toml", "/srv/app");
  if (!file) return 0;
  for (const char* key : kKeys) {
    if (!file->Has(key)) continue;
    (void)file->GetString(key);
    (void)file->GetInteger(key);
    (void)file->GetBoolean(key);
    (void)file->GetLooseBoolean(key);
    (void)file->GetStringList(key);
    (void)file->GetTableList(key);
  }
  return 0;
}
