// PythonPath: the folders a project's imports are searched in
// (python_path.h).
#include "config/python_path.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>

#include "base/files.h"
#include "config/ini_file.h"

namespace sqlmend::config {

namespace {

namespace fs = std::filesystem;

bool IsFile(const fs::path& path) { return base::IsRegularFile(path.string()); }
bool IsDirectory(const fs::path& path) { return base::IsDirectory(path.string()); }

std::optional<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

// `path` made absolute against `base` and normalized ("a/./b/../c" -> "a/c").
std::string Absolute(const fs::path& path, const fs::path& base) {
  fs::path joined = path.is_absolute() ? path : base / path;
  std::string text = joined.lexically_normal().string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

// The nearest folder at or above `start` holding a Python build
// configuration, or "".
std::string ProjectRootFrom(const fs::path& start) {
  for (fs::path folder = start; !folder.empty(); folder = folder.parent_path()) {
    for (const char* file : {"pyproject.toml", "setup.cfg", "setup.py"}) {
      if (IsFile(folder / file)) return folder.string();
    }
    if (folder == folder.parent_path()) break;
  }
  return "";
}

// A folder holding at least one regular package.
bool HoldsPackage(const fs::path& folder) {
  std::error_code error;
  fs::directory_iterator it(folder, error);
  if (error) return false;
  for (; it != fs::directory_iterator(); it.increment(error)) {
    if (error) return false;
    if (IsFile(it->path() / "__init__.py")) return true;
  }
  return false;
}

// The strings of a TOML array (or a lone string) at `node`.
std::vector<std::string> Strings(const toml::node* node) {
  std::vector<std::string> out;
  if (node == nullptr) return out;
  if (auto text = node->value<std::string>()) return {*text};
  if (const toml::array* array = node->as_array()) {
    for (const toml::node& element : *array) {
      if (auto text = element.value<std::string>()) out.push_back(*text);
    }
  }
  return out;
}

// The folders pyproject.toml declares (python_path.h, step 4).
std::vector<std::string> FromPyproject(const fs::path& root) {
  std::vector<std::string> out;
  auto text = ReadText(root / "pyproject.toml");
  if (!text) return out;
  toml::table document;
  try {
    document = toml::parse(*text);
  } catch (const toml::parse_error&) {
    return out;
  }
  toml::node_view tool = document["tool"];
  // setuptools: package-dir {"" = "src"} or {"pkg" = "src/pkg"}.
  if (const toml::table* dirs = tool["setuptools"]["package-dir"].as_table()) {
    for (const auto& [key, value] : *dirs) {
      auto folder = value.value<std::string>();
      if (!folder) continue;
      if (key.str().empty()) {
        out.push_back(Absolute(*folder, root));
      } else {
        out.push_back(Absolute(fs::path(*folder).parent_path(), root));
      }
    }
  }
  for (const std::string& where : Strings(tool["setuptools"]["packages"]["find"]["where"].node()))
    out.push_back(Absolute(where, root));
  // hatch: packages = ["src/pkg"] (the package's parent), sources = ["src"]
  // or {"src" = ""}.
  for (toml::node_view build : {tool["hatch"]["build"]["targets"]["wheel"], tool["hatch"]["build"]}) {
    for (const std::string& package : Strings(build["packages"].node())) {
      out.push_back(Absolute(fs::path(package).parent_path(), root));
    }
    for (const std::string& source : Strings(build["sources"].node())) {
      out.push_back(Absolute(source, root));
    }
    if (const toml::table* sources = build["sources"].as_table()) {
      for (const auto& [key, value] : *sources) {
        if (value.value<std::string>().value_or("x").empty()) {
          out.push_back(Absolute(std::string(key.str()), root));
        }
      }
    }
  }
  // poetry: packages = [{include = "pkg", from = "src"}].
  if (const toml::array* packages = tool["poetry"]["packages"].as_array()) {
    for (const toml::node& package : *packages) {
      const toml::table* table = package.as_table();
      if (table == nullptr) continue;
      if (auto from = (*table)["from"].value<std::string>()) out.push_back(Absolute(*from, root));
    }
  }
  // pdm: [tool.pdm.build] package-dir = "src".
  if (auto folder = tool["pdm"]["build"]["package-dir"].value<std::string>()) {
    out.push_back(Absolute(*folder, root));
  }
  // flit: the module, found as src/<module> or <module>.
  std::optional<std::string> flit_module = tool["flit"]["module"]["name"].value<std::string>();
  if (!flit_module) flit_module = tool["flit"]["metadata"]["module"].value<std::string>();
  if (flit_module) {
    std::string top = flit_module->substr(0, flit_module->find('.'));
    if (IsDirectory(root / "src" / top) || IsFile(root / "src" / (top + ".py"))) {
      out.push_back(Absolute("src", root));
    }
  }
  return out;
}

// The folders setup.cfg declares.
std::vector<std::string> FromSetupCfg(const fs::path& root) {
  std::vector<std::string> out;
  if (!IsFile(root / "setup.cfg")) return out;
  auto ini = IniFile::Read((root / "setup.cfg").string());
  if (!ini) return out;
  if (const IniOption* package_dir = ini->Find("options", "package_dir")) {
    // "\n=src" or "pkg = src/pkg" lines.
    std::istringstream lines(package_dir->raw_value);
    for (std::string line; std::getline(lines, line);) {
      const size_t equals = line.find('=');
      if (equals == std::string::npos) continue;
      std::string key(Trim(std::string_view(line).substr(0, equals)));
      std::string folder(Trim(std::string_view(line).substr(equals + 1)));
      if (folder.empty()) continue;
      out.push_back(key.empty() ? Absolute(folder, root)
                                : Absolute(fs::path(folder).parent_path(), root));
    }
  }
  if (const IniOption* where = ini->Find("options.packages.find", "where")) {
    std::istringstream lines(where->raw_value);
    for (std::string line; std::getline(lines, line);) {
      std::string folder(Trim(line));
      if (!folder.empty()) out.push_back(Absolute(folder, root));
    }
  }
  return out;
}

// The next Python string literal at or after `at` in `text` (quotes ' or ",
// no escapes), with `at` moved past it; std::nullopt when the next
// non-space character does not open one.
std::optional<std::string> StringLiteralAt(std::string_view text, size_t& at) {
  while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  if (at >= text.size() || (text[at] != '"' && text[at] != '\'')) return std::nullopt;
  const char quote = text[at];
  const size_t end = text.find(quote, at + 1);
  if (end == std::string_view::npos) return std::nullopt;
  std::string literal(text.substr(at + 1, end - at - 1));
  at = end + 1;
  return literal;
}

bool SkipChar(std::string_view text, size_t& at, char c) {
  while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  if (at >= text.size() || text[at] != c) return false;
  ++at;
  return true;
}

// The folders setup.py declares with literals: package_dir={"": "src"},
// find_packages("src"), find_packages(where="src") (and
// find_namespace_packages).
std::vector<std::string> FromSetupPy(const fs::path& root) {
  std::vector<std::string> out;
  auto text = ReadText(root / "setup.py");
  if (!text) return out;
  std::string_view source(*text);
  for (size_t found = source.find("package_dir"); found != std::string_view::npos;
       found = source.find("package_dir", found + 1)) {
    size_t at = found + std::string_view("package_dir").size();
    if (!SkipChar(source, at, '=') || !SkipChar(source, at, '{')) continue;
    auto key = StringLiteralAt(source, at);
    if (!key || !key->empty() || !SkipChar(source, at, ':')) continue;
    if (auto folder = StringLiteralAt(source, at)) out.push_back(Absolute(*folder, root));
  }
  for (std::string_view call : {"find_packages", "find_namespace_packages"}) {
    for (size_t found = source.find(call); found != std::string_view::npos;
         found = source.find(call, found + 1)) {
      size_t at = found + call.size();
      if (!SkipChar(source, at, '(')) continue;
      size_t keyword = at;
      while (keyword < source.size() && std::isspace(static_cast<unsigned char>(source[keyword])))
        ++keyword;
      if (source.substr(keyword).starts_with("where")) {
        at = keyword + 5;
        if (!SkipChar(source, at, '=')) continue;
      }
      if (auto folder = StringLiteralAt(source, at); folder && !folder->empty()) {
        out.push_back(Absolute(*folder, root));
      }
    }
  }
  return out;
}

// The folders a finder-based editable install's module maps packages to:
// the parent folder of each path in its `MAPPING = {'pkg': '/abs/src/pkg'}`.
std::vector<std::string> EditableFinderFolders(const fs::path& finder) {
  std::vector<std::string> out;
  auto text = ReadText(finder);
  if (!text) return out;
  std::string_view source(*text);
  size_t at = source.find("MAPPING");
  if (at == std::string_view::npos) return out;
  at = source.find('{', at);
  if (at == std::string_view::npos) return out;
  ++at;
  while (true) {
    auto key = StringLiteralAt(source, at);
    if (!key || !SkipChar(source, at, ':')) break;
    auto path = StringLiteralAt(source, at);
    if (!path) break;
    out.push_back(Absolute(fs::path(*path).parent_path(), "/"));
    if (!SkipChar(source, at, ',')) break;
  }
  return out;
}

// What one .pth file adds (python_path.h, step 3).
std::vector<std::string> PthFolders(const fs::path& pth, const fs::path& site_packages) {
  std::vector<std::string> out;
  auto text = ReadText(pth);
  if (!text) return out;
  std::istringstream lines(*text);
  for (std::string raw; std::getline(lines, raw);) {
    std::string line(Trim(raw));
    if (line.empty() || line.starts_with("#")) continue;
    if (line.starts_with("import ") || line.starts_with("import\t")) {
      // `import __editable___pkg_1_0_finder; __editable___pkg_1_0_finder.install()`
      std::string module(Trim(std::string_view(line).substr(7)));
      module = module.substr(0, module.find_first_of(";, \t"));
      if (module.starts_with("__editable__")) {
        for (std::string& folder : EditableFinderFolders(site_packages / (module + ".py"))) {
          out.push_back(std::move(folder));
        }
      }
      continue;
    }
    const std::string folder = Absolute(line, site_packages);
    if (IsDirectory(folder)) out.push_back(folder);
  }
  return out;
}

// The virtualenv to use: $VIRTUAL_ENV, else .venv/ or venv/ (with
// pyvenv.cfg) in one of `folders`, or "".
std::string FindVirtualenv(const std::optional<std::string>& virtual_env,
                           const std::vector<std::string>& folders) {
  if (virtual_env && !virtual_env->empty()) return *virtual_env;
  for (const std::string& folder : folders) {
    if (folder.empty()) continue;
    for (const char* name : {".venv", "venv"}) {
      if (IsFile(fs::path(folder) / name / "pyvenv.cfg")) return (fs::path(folder) / name).string();
    }
  }
  return "";
}

}  // namespace

std::vector<std::string> DeclaredSourceFolders(const std::string& root) {
  std::vector<std::string> out;
  for (auto* read : {&FromPyproject, &FromSetupCfg, &FromSetupPy}) {
    for (std::string& folder : read(root)) out.push_back(std::move(folder));
  }
  if (out.empty() && HoldsPackage(fs::path(root) / "src")) out.push_back(Absolute("src", root));
  return out;
}

std::vector<std::string> SitePackagesFolders(const std::string& venv) {
  std::vector<std::string> out;
  std::vector<fs::path> sites;
  for (const char* lib : {"lib", "lib64"}) {
    std::error_code error;
    fs::directory_iterator it(fs::path(venv) / lib, error);
    if (error) continue;
    for (; it != fs::directory_iterator(); it.increment(error)) {
      if (error) break;
      const std::string name = it->path().filename().string();
      if (name.starts_with("python3") && IsDirectory(it->path() / "site-packages")) {
        sites.push_back(it->path() / "site-packages");
      }
    }
  }
  std::sort(sites.begin(), sites.end());
  for (const fs::path& site : sites) {
    out.push_back(Absolute(site, "/"));
    std::vector<fs::path> pth_files;
    std::error_code error;
    fs::directory_iterator it(site, error);
    for (; !error && it != fs::directory_iterator(); it.increment(error)) {
      if (it->path().extension() == ".pth" && IsFile(it->path())) pth_files.push_back(it->path());
    }
    std::sort(pth_files.begin(), pth_files.end());
    for (const fs::path& pth : pth_files) {
      for (std::string& folder : PthFolders(pth, site)) out.push_back(std::move(folder));
    }
  }
  return out;
}

namespace {

// The project roots: from the config file's folder, then the current one.
std::vector<std::string> ProjectRoots(const AlembicConfig& config) {
  const std::string config_folder = fs::path(config.config_file_path()).parent_path().string();
  std::vector<std::string> roots;
  for (const std::string& root :
       {ProjectRootFrom(config_folder), ProjectRootFrom(fs::path(config.cwd()))}) {
    if (!root.empty() && std::find(roots.begin(), roots.end(), root) == roots.end()) {
      roots.push_back(root);
    }
  }
  return roots;
}

}  // namespace

std::string ProjectVirtualenv(const AlembicConfig& config) {
  const fs::path cwd(config.cwd());
  std::vector<std::string> folders = ProjectRoots(config);
  folders.push_back(fs::path(config.config_file_path()).parent_path().string());
  folders.push_back(cwd.string());
  const std::string venv = FindVirtualenv(config.virtual_env(), folders);
  return venv.empty() ? venv : Absolute(venv, cwd);
}

base::Result<std::vector<std::string>> ProjectPythonPath(const AlembicConfig& config) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](std::string folder) {
    if (seen.insert(folder).second) out.push_back(std::move(folder));
  };
  const fs::path cwd(config.cwd());
  // 1. prepend_sys_path.
  auto prepend = config.PrependSysPath();
  if (!prepend) return base::Fail(prepend.error());
  for (const std::string& entry : *prepend) add(Absolute(entry, cwd));
  // 2. $PYTHONPATH.
  if (config.pythonpath() && !config.pythonpath()->empty()) {
    std::istringstream entries(*config.pythonpath());
    for (std::string entry; std::getline(entries, entry, ':');) add(Absolute(entry, cwd));
  }
  // 3. The virtualenv, looked for in the project roots, the config file's
  //    folder and the current folder.
  const std::string venv = ProjectVirtualenv(config);
  if (!venv.empty()) {
    for (std::string& folder : SitePackagesFolders(venv)) add(std::move(folder));
  }
  // 4. The project's own layout.
  for (const std::string& root : ProjectRoots(config)) {
    for (std::string& folder : DeclaredSourceFolders(root)) add(std::move(folder));
  }
  return out;
}

std::optional<std::string> FindPackageFolder(const std::string& dotted,
                                             const std::vector<std::string>& path) {
  std::vector<std::string> folders = path;
  std::string found;
  size_t start = 0;
  while (start <= dotted.size()) {
    size_t dot = dotted.find('.', start);
    if (dot == std::string::npos) dot = dotted.size();
    const std::string part = dotted.substr(start, dot - start);
    if (part.empty()) return std::nullopt;
    std::vector<std::string> portions;
    found.clear();
    for (const std::string& folder : folders) {
      const fs::path package = fs::path(folder.empty() ? "." : folder) / part;
      if (IsFile(package / "__init__.py")) {
        found = package.string();
        portions = {found};
        break;
      }
      if (IsDirectory(package)) portions.push_back(package.string());
    }
    if (portions.empty()) return std::nullopt;
    if (found.empty()) found = portions.front();
    folders = std::move(portions);
    start = dot + 1;
  }
  return found;
}

}  // namespace sqlmend::config
