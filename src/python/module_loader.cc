// ModuleLoader: the path-based search for a project's own modules.
#include "python/module_loader.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <string_view>
#include <utility>

#include "base/files.h"
#include "python/builtins.h"
#include "python/module_search.h"
#include "python/os_sys_modules.h"
#include "python/placeholder.h"

namespace sqlmend::python {

using base::Result;
using Kind = Value::Kind;

namespace {

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

// A file of an installed distribution (a virtualenv's site-packages), as
// opposed to the project's own modules.
bool InstalledDistribution(const std::string& file) {
  return file.find("/site-packages/") != std::string::npos ||
         file.find("/dist-packages/") != std::string::npos;
}

// The modules sqlmend models itself (their unmodelled submodules are
// missing, not placeholders: importing them is the model's concern).
bool IsModelled(std::string_view top) { return top == "sqlalchemy" || top == "alembic"; }

}  // namespace

ModuleLoader::ModuleLoader(std::vector<std::string> sys_path, bool parse_ahead)
    : placeholder_policy_(std::make_shared<PlaceholderPolicy>()), ahead_(parse_ahead) {
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
  auto partial = std::make_shared<ModuleObject>();
  partial->name = "_sqlmend_partial";
  partial->attributes["unmodelled"] = Value::Builtin(
      "unmodelled", [policy = placeholder_policy_](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "unmodelled", a, 1, 2));
        for (const Value& text : a.positional) {
          if (!text.Is(Kind::kStr)) {
            return base::Fail(
                c.Throw("TypeError", "unmodelled(): a module name and a reason are str"));
          }
        }
        return MakePlaceholderModule(
            a.positional[0].AsStr(),
            a.positional.size() == 2 ? a.positional[1].AsStr() : std::string(kPartialReason),
            policy);
      });
  partial->attributes["is_placeholder"] =
      Value::Builtin("is_placeholder", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "is_placeholder", a, 1, 1));
        return Value::Bool(IsPlaceholder(a.positional[0]));
      });
  interpreter.AddModule("_sqlmend_partial", Value::Module(partial));
}

void ModuleLoader::AddPartialModel(std::string dotted, const char* source) {
  partial_models_[std::move(dotted)] = source;
}

Result<std::optional<Value>> ModuleLoader::ResolvePartial(Interpreter& interpreter,
                                                          const std::string& dotted,
                                                          const char* source) {
  std::optional<Value> parent;
  if (size_t dot = dotted.rfind('.'); dot != std::string::npos) {
    auto found = Resolve(interpreter, dotted.substr(0, dot));
    if (!found) return found;
    parent = *found;
    if (const Value* known = interpreter.RegisteredModule(dotted)) {
      return std::optional<Value>(*known);
    }
  }
  auto parsed = EmbeddedModule(source, "<" + dotted + " model>");
  if (!parsed) return base::Fail(parsed.error());
  auto model = interpreter.RunModule(**parsed, dotted);
  if (!model) return base::Fail(model.error());
  Value module = MakePartialModule(dotted, std::move(*model), placeholder_policy_);
  interpreter.AddModule(dotted, module);
  if (parent && parent->Is(Kind::kModule)) {
    parent->AsModule().attributes[dotted.substr(dotted.rfind('.') + 1)] = module;
  }
  return std::optional<Value>(std::move(module));
}

void ModuleLoader::Adopt(std::shared_ptr<const PythonModule> module) {
  const std::string path = module->path();
  ahead_.MarkSeen(path);
  adopted_[path] = std::move(module);
}

Result<const PythonModule*> ModuleLoader::ParseFile(const std::string& path) {
  const PythonModule* module = nullptr;
  if (auto it = adopted_.find(path); it != adopted_.end()) {
    module = it->second.get();
  } else if (std::optional<PythonModule> ahead = ahead_.Take(path)) {
    parsed_.push_back(std::move(*ahead));
    module = &parsed_.back();
  } else {
    auto parsed = PythonModule::ParseFile(path);
    if (!parsed) return base::Fail(parsed.error());
    parsed_.push_back(std::move(*parsed));
    module = &parsed_.back();
  }
  std::vector<std::string> search_path;
  for (const Value& entry : sys_path_.Items()) {
    if (entry.Is(Kind::kStr)) search_path.push_back(entry.AsStr());
  }
  if (search_path != ahead_search_path_) {
    // sys.path changed (env.py inserting the project's folder): the modules
    // read so far may import more than they seemed to.
    ahead_search_path_ = search_path;
    for (const PythonModule* read : ahead_read_) ahead_.QueueImportsOf(read, search_path);
  }
  if (std::find(ahead_read_.begin(), ahead_read_.end(), module) == ahead_read_.end()) {
    ahead_read_.push_back(module);
    ahead_.QueueImportsOf(module, std::move(search_path));
  }
  return module;
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
  if (auto model = partial_models_.find(dotted); model != partial_models_.end()) {
    return ResolvePartial(interpreter, dotted, model->second);
  }

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
  std::optional<FoundModule> found = SearchModule(folders, name);
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
    Result<Value> ran = parsed ? interpreter.RunModule(**parsed, dotted)
                               : Result<Value>(base::Fail(parsed.error()));
    if (!ran) {
      package_paths_.erase(dotted);
      // An installed distribution's module that sqlmend cannot run (its
      // Python reaches past what the interpreter models) is a placeholder,
      // as one that is not installed: the project's own modules define its
      // tables, a library's only what a revision might call.
      if (!InstalledDistribution(found->file) || ran.error().code() != base::Code::kRefused) {
        return base::Fail(ran.error());
      }
      (void)interpreter.Catch(ran.error(), "BaseException");  // drop the pending exception
      Value placeholder =
          StandIn(interpreter, dotted, "could not be run by sqlmend: " + ran.error().ToString());
      interpreter.AddModule(dotted, placeholder);
      if (parent && parent->Is(Kind::kModule)) parent->AsModule().attributes[name] = placeholder;
      return std::optional<Value>(std::move(placeholder));
    }
    module = std::move(*ran);
  }
  if (parent && parent->Is(Kind::kModule)) parent->AsModule().attributes[name] = module;
  return std::optional<Value>(module);
}

}  // namespace sqlmend::python
