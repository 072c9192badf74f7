// ModuleLoader: the path-based search for a project's own modules.
#include "python/module_loader.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "python/os_sys_modules.h"

namespace sqlmend::python {

using base::Result;
using Kind = Value::Kind;

namespace {

namespace fs = std::filesystem;

bool IsFile(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

bool IsDirectory(const fs::path& path) {
  std::error_code error;
  return fs::is_directory(path, error);
}

// What one search over a list of folders found for a name.
struct Found {
  std::string file;  // the file to run; "" for a namespace package
  bool is_package = false;
  std::vector<std::string> paths;  // the package's folders (its __path__)
};

// Python's PathFinder over `folders` for the last part `name`: the first
// folder holding a regular package or a module wins; folders holding only a
// directory `name` are the portions of a namespace package.
std::optional<Found> Search(const std::vector<std::string>& folders, const std::string& name) {
  std::vector<std::string> portions;
  for (const std::string& folder : folders) {
    fs::path base = folder.empty() ? fs::path(".") : fs::path(folder);
    fs::path package = base / name;
    if (IsFile(package / "__init__.py")) {
      return Found{(package / "__init__.py").string(), true, {package.string()}};
    }
    if (IsFile(base / (name + ".py"))) return Found{(base / (name + ".py")).string(), false, {}};
    if (IsDirectory(package)) portions.push_back(package.string());
  }
  if (portions.empty()) return std::nullopt;
  return Found{"", true, std::move(portions)};
}

}  // namespace

ModuleLoader::ModuleLoader(std::vector<std::string> sys_path) {
  std::vector<Value> entries;
  for (std::string& entry : sys_path) entries.push_back(Value::Str(std::move(entry)));
  sys_path_ = Value::List(std::move(entries));
}

void ModuleLoader::Install(Interpreter& interpreter) {
  interpreter.SetModuleResolver(
      [this](Interpreter& target, const std::string& dotted) { return Resolve(target, dotted); });
  Value os = MakeOsModule();
  interpreter.AddModule("os", os);
  interpreter.AddModule("os.path", os.AsModule().attributes["path"]);
  interpreter.AddModule("sys", MakeSysModule(sys_path_));
}

void ModuleLoader::Adopt(std::shared_ptr<const PythonModule> module) {
  const std::string path = module->path();
  adopted_[path] = std::move(module);
}

Result<const PythonModule*> ModuleLoader::ParseFile(const std::string& path) {
  if (auto it = adopted_.find(path); it != adopted_.end()) return it->second.get();
  std::ifstream in(path, std::ios::binary);
  if (!in) return base::Fail(base::Status::Environment(path, "cannot read the file"));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return base::Fail(base::Status::Environment(path, "cannot read the file"));
  auto module = PythonModule::Parse(text.str(), path);
  if (!module) return base::Fail(module.error());
  parsed_.push_back(std::move(*module));
  return &parsed_.back();
}

Result<std::optional<Value>> ModuleLoader::Resolve(Interpreter& interpreter,
                                                   const std::string& dotted) {
  if (const Value* known = interpreter.RegisteredModule(dotted))
    return std::optional<Value>(*known);
  size_t parts = 1;
  for (char c : dotted) parts += c == '.' ? 1 : 0;
  if (parts > kMaxModuleNameParts || dotted.empty()) return std::optional<Value>();

  // 1. The parent first, and the folders to search.
  std::vector<std::string> folders;
  std::optional<Value> parent;
  std::string name = dotted;
  if (size_t dot = dotted.rfind('.'); dot != std::string::npos) {
    std::string parent_name = dotted.substr(0, dot);
    name = dotted.substr(dot + 1);
    auto found_parent = Resolve(interpreter, parent_name);  // depth < kMaxModuleNameParts
    if (!found_parent) return found_parent;
    parent = *found_parent;
    auto paths = package_paths_.find(parent_name);
    if (!parent || paths == package_paths_.end()) return std::optional<Value>();
    folders = paths->second;
  } else {
    for (const Value& entry : sys_path_.Items()) {
      if (entry.Is(Kind::kStr)) folders.push_back(entry.AsStr());
    }
  }

  // 2. The search.
  std::optional<Found> found = Search(folders, name);
  if (!found) return std::optional<Value>();

  // 3. Parse and run once.
  if (found->is_package) {
    package_paths_[dotted] = found->paths;
    interpreter.MarkPackage(dotted);
  }
  Value module;
  if (found->file.empty()) {
    auto object = std::make_shared<ModuleObject>();
    object->name = dotted;
    module = Value::Module(object);
    interpreter.AddModule(dotted, module);
  } else {
    auto parsed = ParseFile(found->file);
    if (!parsed) return base::Fail(parsed.error());
    auto ran = interpreter.RunModule(**parsed, dotted);
    if (!ran) {
      package_paths_.erase(dotted);
      return base::Fail(ran.error());
    }
    module = std::move(*ran);
  }
  if (parent && parent->Is(Kind::kModule)) parent->AsModule().attributes[name] = module;
  return std::optional<Value>(module);
}

}  // namespace sqlmend::python
