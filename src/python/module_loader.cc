// ModuleLoader: the path-based search for a project's own modules.
#include "python/module_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>

#include "base/files.h"
#include "python/os_sys_modules.h"
#include "python/placeholder.h"

namespace sqlmend::python {

using base::Result;
using Kind = Value::Kind;

namespace {

namespace fs = std::filesystem;

bool IsFile(const fs::path& path) { return base::IsRegularFile(path.string()); }
bool IsDirectory(const fs::path& path) { return base::IsDirectory(path.string()); }

// What one search over a list of folders found for a name.
struct Found {
  std::string file;  // the file to run; "" for a namespace package
  bool is_package = false;
  bool is_extension = false;  // `file` is a compiled extension module
  std::vector<std::string> paths;  // the package's folders (its __path__)
};

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

// Python's PathFinder over `folders` for the last part `name`: the first
// folder holding a regular package, an extension module or a module wins
// (in that order, as FileFinder tries its loaders); folders holding only a
// directory `name` are the portions of a namespace package.
std::optional<Found> Search(const std::vector<std::string>& folders, const std::string& name) {
  std::vector<std::string> portions;
  for (const std::string& folder : folders) {
    fs::path base = folder.empty() ? fs::path(".") : fs::path(folder);
    fs::path package = base / name;
    if (IsFile(package / "__init__.py")) {
      return Found{(package / "__init__.py").string(), true, false, {package.string()}};
    }
    if (std::string extension = ExtensionModule(base, name); !extension.empty()) {
      return Found{extension, false, true, {}};
    }
    if (IsFile(base / (name + ".py"))) {
      return Found{(base / (name + ".py")).string(), false, false, {}};
    }
    if (IsDirectory(package)) portions.push_back(package.string());
  }
  if (portions.empty()) return std::nullopt;
  return Found{"", true, false, std::move(portions)};
}

// The top-level names of Python 3.11's standard library
// (sys.stdlib_module_names, without the private ones).
bool IsStandardLibrary(std::string_view name) {
  static const std::set<std::string, std::less<>> kNames = {
      "abc", "aifc", "argparse", "array", "ast", "asynchat", "asyncio", "asyncore", "atexit",
      "audioop", "base64", "bdb", "binascii", "bisect", "builtins", "bz2", "cProfile",
      "calendar", "cgi", "cgitb", "chunk", "cmath", "cmd", "code", "codecs", "codeop",
      "collections", "colorsys", "compileall", "concurrent", "configparser", "contextlib",
      "contextvars", "copy", "copyreg", "crypt", "csv", "ctypes", "curses", "dataclasses",
      "datetime", "dbm", "decimal", "difflib", "dis", "distutils", "doctest", "email",
      "encodings", "ensurepip", "enum", "errno", "faulthandler", "fcntl", "filecmp",
      "fileinput", "fnmatch", "fractions", "ftplib", "functools", "gc", "genericpath",
      "getopt", "getpass", "gettext", "glob", "graphlib", "grp", "gzip", "hashlib", "heapq",
      "hmac", "html", "http", "idlelib", "imaplib", "imghdr", "imp", "importlib", "inspect",
      "io", "ipaddress", "itertools", "json", "keyword", "lib2to3", "linecache", "locale",
      "logging", "lzma", "mailbox", "mailcap", "marshal", "math", "mimetypes", "mmap",
      "modulefinder", "msilib", "msvcrt", "multiprocessing", "netrc", "nis", "nntplib", "nt",
      "ntpath", "nturl2path", "numbers", "opcode", "operator", "optparse", "os",
      "ossaudiodev", "pathlib", "pdb", "pickle", "pickletools", "pipes", "pkgutil", "platform",
      "plistlib", "poplib", "posix", "posixpath", "pprint", "profile", "pstats", "pty", "pwd",
      "py_compile", "pyclbr", "pydoc", "pydoc_data", "pyexpat", "queue", "quopri", "random",
      "re", "readline", "reprlib", "resource", "rlcompleter", "runpy", "sched", "secrets",
      "select", "selectors", "shelve", "shlex", "shutil", "signal", "site", "smtpd",
      "smtplib", "sndhdr", "socket", "socketserver", "spwd", "sqlite3", "sre_compile",
      "sre_constants", "sre_parse", "ssl", "stat", "statistics", "string", "stringprep",
      "struct", "subprocess", "sunau", "symtable", "sys", "sysconfig", "syslog", "tabnanny",
      "tarfile", "telnetlib", "tempfile", "termios", "textwrap", "this", "threading", "time",
      "timeit", "tkinter", "token", "tokenize", "tomllib", "trace", "traceback",
      "tracemalloc", "tty", "turtle", "turtledemo", "types", "typing", "unicodedata",
      "unittest", "urllib", "uu", "uuid", "venv", "warnings", "wave", "weakref", "webbrowser",
      "winreg", "winsound", "wsgiref", "xdrlib", "xml", "xmlrpc", "zipapp", "zipfile",
      "zipimport", "zlib", "zoneinfo"};
  return kNames.contains(name);
}

// The modules sqlmend models itself (their unmodelled submodules are
// missing, not placeholders: importing them is the model's concern).
bool IsModelled(std::string_view top) { return top == "sqlalchemy" || top == "alembic"; }

}  // namespace

ModuleLoader::ModuleLoader(std::vector<std::string> sys_path)
    : placeholder_policy_(std::make_shared<PlaceholderPolicy>()) {
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

Value ModuleLoader::StandIn(Interpreter& interpreter, const std::string& dotted,
                           const std::string& reason) {
  Value placeholder = MakePlaceholderModule(dotted, reason, placeholder_policy_);
  WarnPlaceholderUse(placeholder, interpreter.CurrentWhere(),
                     "is imported as a placeholder (see \"placeholders\" in the README)");
  return placeholder;
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
    // The parent's __init__ may have imported this module already (a
    // package whose __init__ imports its own submodules): it runs once.
    if (const Value* known = interpreter.RegisteredModule(dotted)) {
      return std::optional<Value>(*known);
    }
    // A submodule of a placeholder is the placeholder's attribute.
    if (parent && IsPlaceholder(*parent)) {
      auto attribute = interpreter.GetAttr(*parent, name);
      if (!attribute) return base::Fail(attribute.error());
      return std::optional<Value>(std::move(*attribute));
    }
    auto paths = package_paths_.find(parent_name);
    if (parent && paths == package_paths_.end() && parent->Is(Kind::kModule) &&
        IsStandardLibrary(dotted.substr(0, dotted.find('.')))) {
      // An unmodelled submodule of a standard module sqlmend models in part
      // (logging.handlers), or a name `from secrets import token_bytes`
      // finds neither as an attribute nor as a submodule.
      Value placeholder =
          StandIn(interpreter, dotted, "is part of the standard library sqlmend does not model");
      parent->AsModule().attributes[name] = placeholder;
      return std::optional<Value>(std::move(placeholder));
    }
    if (!parent || paths == package_paths_.end()) return std::optional<Value>();
    folders = paths->second;
  } else {
    for (const Value& entry : sys_path_.Items()) {
      if (entry.Is(Kind::kStr)) folders.push_back(entry.AsStr());
    }
  }

  // 2. The search.
  std::optional<Found> found = Search(folders, name);
  if (!found) {
    // Not installed, or a standard library module sqlmend does not model: a
    // placeholder (placeholder.h). A submodule a project package lacks, and
    // the unmodelled parts of sqlalchemy and alembic, stay missing (an error
    // where they are used).
    if (parent || IsModelled(dotted)) return std::optional<Value>();
    return std::optional<Value>(StandIn(interpreter, dotted,
                                        IsStandardLibrary(dotted)
                                            ? "is a standard library module sqlmend does not model"
                                            : "is not installed"));
  }
  if (found->is_extension) {
    Value placeholder = StandIn(interpreter, dotted, "is a C extension (" + found->file + ")");
    if (parent && parent->Is(Kind::kModule)) parent->AsModule().attributes[name] = placeholder;
    return std::optional<Value>(std::move(placeholder));
  }

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
