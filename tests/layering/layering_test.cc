// Reads every #include under src/ and fails on one that ARCHITECTURE.md's
// module table does not allow. A shared include root alone would let any
// module include any other; this test is what keeps the map true.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

namespace {

namespace fs = std::filesystem;

// module -> modules it may include (itself always allowed).
const std::map<std::string, std::set<std::string>> kAllowed = {
    {"base", {}},
    {"sqlite", {"base"}},
    {"sql", {"base"}},
    {"schema", {"base", "sqlite", "sql"}},
    {"version", {"base", "sqlite"}},
    {"repair", {"base", "sqlite", "sql", "schema", "version"}},
    {"batch", {"base", "sqlite", "repair"}},
    {"config", {"base"}},
    {"graph", {"base"}},
    {"ops", {"base", "sql"}},
    {"pyrev", {"base", "ops"}},
    {"script", {"base", "config", "graph", "pyrev", "ops"}},
    {"migrate", {"base", "sqlite", "graph", "script", "ops", "version"}},
    {"autogen", {"base", "sqlite", "schema", "pyrev", "ops", "script"}},
    {"commands", {"base", "sqlite", "sql", "schema", "version", "repair", "batch", "config",
                  "graph", "ops", "pyrev", "script", "migrate", "autogen"}},
    {"cli", {"commands", "base"}},
};

// Third-party headers that only some modules may include.
const std::map<std::string, std::set<std::string>> kThirdParty = {
    {"sqlite3.h", {"sqlite", "schema", "version", "repair", "batch", "migrate", "autogen",
                   "commands"}},
    {"CLI/", {"cli"}},
    {"nlohmann/", {"cli"}},
    {"toml++/", {"config"}},
    {"tree_sitter/", {"pyrev"}},
    {"re2/", {"sql", "schema"}},
};

TEST(LayeringTest, EveryIncludeIsAllowed) {
  fs::path src = fs::path(SQLMEND_SOURCE_DIR) / "src";
  std::regex include_re(R"re(^\s*#\s*include\s*[<"]([^>"]+)[>"])re");
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(src)) {
    if (!entry.is_regular_file()) continue;
    std::string module = fs::relative(entry.path(), src).begin()->string();
    ASSERT_TRUE(kAllowed.count(module)) << "module not in the map: " << module;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, include_re)) continue;
      std::string header = m[1];
      ++checked;
      auto slash = header.find('/');
      std::string first = slash == std::string::npos ? "" : header.substr(0, slash);
      if (kAllowed.count(first)) {
        EXPECT_TRUE(first == module || kAllowed.at(module).count(first))
            << entry.path() << " includes " << header;
      }
      for (const auto& [prefix, modules] : kThirdParty) {
        if (header.rfind(prefix, 0) == 0) {
          EXPECT_TRUE(modules.count(module)) << entry.path() << " includes " << header;
        }
      }
    }
  }
  EXPECT_GT(checked, 0);
}

}  // namespace
