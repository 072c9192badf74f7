// The alembic.ini reader (config/ini_file.h) on arbitrary text: parse, then
// read every section's options and values through each accessor, with
// interpolation. Any result is fine; a crash, a hang or a leak is not.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/ini_file.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto ini = sqlmend::config::IniFile::Parse(text, "alembic.ini", {{"here", "/srv/app"}});
  if (!ini) return 0;
  std::vector<std::string> sections = ini->Sections();
  sections.push_back("DEFAULT");
  for (const std::string& section : sections) {
    FUZZ_CHECK(section == "DEFAULT" || ini->HasSection(section), "a listed section is missing: " + section);
    (void)ini->Items(section);
    for (const std::string& option : ini->Options(section)) {
      FUZZ_CHECK(ini->HasOption(section, option), "a listed option is missing: " + option);
      FUZZ_CHECK(ini->Find(section, option) != nullptr, "a listed option has no value: " + option);
      (void)ini->Get(section, option);
    }
  }
  return 0;
}
