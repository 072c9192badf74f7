#include "python/module_search.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "base/files.h"

namespace sqlmend::python {

namespace {

namespace fs = std::filesystem;

bool IsFile(const fs::path& path) { return base::IsRegularFile(path.string()); }
bool IsDirectory(const fs::path& path) { return base::IsDirectory(path.string()); }

// A compiled extension module for `name` in `folder`: name.so, name.pyd or
// name.<tag>.so / .pyd (name.cpython-311-x86_64-linux-gnu.so, name.abi3.so),
// or "" when there is none.
std::string ExtensionModule(const fs::path& folder, const std::string& name) {
  std::error_code error;
  fs::directory_iterator it(folder, error);
  if (error) return "";
  for (; it != fs::directory_iterator(); it.increment(error)) {
    if (error) return "";
    const std::string file = it->path().filename().string();
    if (!file.starts_with(name + ".")) continue;
    if (file.ends_with(".so") || file.ends_with(".pyd")) {
      const std::string tag = file.substr(name.size() + 1);
      // name.so / name.pyd, or one tag between the name and the suffix.
      if (std::count(tag.begin(), tag.end(), '.') <= 1) return it->path().string();
    }
  }
  return "";
}

}  // namespace

std::optional<FoundModule> SearchModule(const std::vector<std::string>& folders,
                                        const std::string& name) {
  std::vector<std::string> portions;
  for (const std::string& folder : folders) {
    fs::path base = folder.empty() ? fs::path(".") : fs::path(folder);
    fs::path package = base / name;
    if (IsFile(package / "__init__.py")) {
      return FoundModule{(package / "__init__.py").string(), true, false, {package.string()}};
    }
    if (std::string extension = ExtensionModule(base, name); !extension.empty()) {
      return FoundModule{extension, false, true, {}};
    }
    if (IsFile(base / (name + ".py"))) {
      return FoundModule{(base / (name + ".py")).string(), false, false, {}};
    }
    if (IsDirectory(package)) portions.push_back(package.string());
  }
  if (portions.empty()) return std::nullopt;
  return FoundModule{"", true, false, std::move(portions)};
}

}  // namespace sqlmend::python
