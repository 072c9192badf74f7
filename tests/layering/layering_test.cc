// Reads every #include under src/ and fails on one that ARCHITECTURE.md's
// module table does not allow. A shared include root alone would let any
// module include any other; this test is what keeps the map true.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

namespace {

namespace fs = std::filesystem;

// module -> modules it may include (itself always allowed).
const std::map<std::string, std::set<std::string>> kAllowed = {
    {"base", {}},
    {"sqlite", {"base"}},
    {"sql", {"base"}},
    {"schema", {"base", "sqlite", "sql", "ops"}},
    {"version", {"base", "sqlite"}},
    {"repair", {"base", "sqlite", "sql", "schema", "version"}},
    {"batch", {"base", "sqlite", "repair"}},
    {"config", {"base"}},
    {"graph", {"base"}},
    {"ops", {"base", "sql"}},
    {"python", {"base"}},
    {"sqlalchemy", {"base", "python", "ops"}},
    {"alembic", {"base", "python", "sqlalchemy", "ops"}},
    // The script directory renders script.py.mako, whose expressions are
    // Python: it uses the language (python) besides Alembic's API.
    {"script", {"base", "config", "graph", "python", "alembic", "ops"}},
    {"migrate", {"base", "sqlite", "schema", "graph", "script", "ops", "version", "sqlalchemy"}},
    {"autogen", {"base", "sqlite", "schema", "python", "alembic", "sqlalchemy", "ops", "script"}},
    {"commands",
     {"base", "sqlite", "sql", "schema", "version", "repair", "batch", "config", "graph", "ops",
      "python", "sqlalchemy", "alembic", "script", "migrate", "autogen"}},
    {"cli", {"commands", "base"}},
};

// Third-party headers that only some modules may include.
const std::map<std::string, std::set<std::string>> kThirdParty = {
    {"sqlite3.h",
     {"sqlite", "schema", "version", "repair", "batch", "migrate", "autogen", "commands"}},
    {"CLI/", {"cli"}},
    // autogen: the model loader's JSON (autogen/python_models.h).
    {"nlohmann/", {"cli", "autogen"}},
    // python: the tomllib, tomli and toml modules read TOML with toml++.
    {"toml++/", {"config", "python"}},
    {"tree_sitter/", {"python"}},
    // python: the re module runs on RE2.
    {"re2/", {"sql", "schema", "python"}},
    // python: hashlib and hmac run on OpenSSL's digests.
    {"openssl/", {"python"}},
};

TEST(LayeringTest, EveryIncludeIsAllowed) {
  fs::path src = fs::path(SQLMEND_SOURCE_DIR) / "src";
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(src)) {
    if (!entry.is_regular_file()) continue;
    std::string module = fs::relative(entry.path(), src).begin()->string();
    ASSERT_TRUE(kAllowed.count(module)) << "module not in the map: " << module;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      // #include "x/y.h" or <x/y.h>, spaces allowed after '#'.
      size_t hash = line.find_first_not_of(" \t");
      if (hash == std::string::npos || line[hash] != '#') continue;
      size_t word = line.find_first_not_of(" \t", hash + 1);
      if (word == std::string::npos || line.compare(word, 7, "include") != 0) continue;
      size_t open = line.find_first_of("<\"", word + 7);
      if (open == std::string::npos) continue;
      size_t close = line.find_first_of(">\"", open + 1);
      if (close == std::string::npos) continue;
      std::string header = line.substr(open + 1, close - open - 1);
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
