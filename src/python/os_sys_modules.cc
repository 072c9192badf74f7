// os, os.path and sys (os_sys_modules.h).
#include "python/os_sys_modules.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "python/builtins.h"
#include "python/files_module.h"
#include "python/placeholder.h"
#include "python/secrets_module.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;

void Define(Value& module, const std::string& name, NativeFunction function) {
  module.AsModule().attributes[name] = Value::Builtin(name, std::move(function));
}

// sys.stdout and sys.stderr: write(text) goes to the log sink as print()
// output does (stderr's as "error"), returning the length written; flush()
// does nothing.
class TextStream : public HostObject {
 public:
  TextStream(std::string name, std::string level)
      : name_(std::move(name)), level_(std::move(level)) {}
  std::string TypeName() const override { return "TextIOWrapper"; }
  std::string Repr() const override {
    return "<_io.TextIOWrapper name='<" + name_ + ">' mode='w' encoding='utf-8'>";
  }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "write") {
      std::string level = level_;
      return Value::Builtin("write", [level](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "write", a, 1, 1));
        if (!a.positional[0].Is(Kind::kStr)) {
          return base::Fail(c.Throw("TypeError", "write() argument must be str, not " +
                                                     a.positional[0].TypeName()));
        }
        std::string text = a.positional[0].AsStr();
        const int64_t length = static_cast<int64_t>(text.size());
        if (!text.empty() && text.back() == '\n') text.pop_back();
        if (!text.empty()) c.Log(level, text);
        return Value::Int(length);
      });
    }
    if (name == "flush") {
      return Value::Builtin("flush", [](CallContext&, Args&) -> Result<Value> {
        return Value::None();
      });
    }
    if (name == "encoding") return Value::Str("utf-8");
    if (name == "name") return Value::Str("<" + name_ + ">");
    return std::nullopt;
  }

 private:
  std::string name_;
  std::string level_;
};

// The str arguments of an os.path call (a pathlib path as its text, as
// os.fspath() gives it), or TypeError as posixpath raises.
Result<std::vector<std::string>> StrArgs(CallContext& c, std::string_view function, Args& a,
                                         size_t min, size_t max) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, function, a, min, max));
  std::vector<std::string> out;
  for (const Value& v : a.positional) {
    std::optional<std::string> text = PathText(v);
    if (!text) {
      return base::Fail(
          c.Throw("TypeError", "expected str, bytes or os.PathLike object, not " + v.TypeName()));
    }
    out.push_back(*text);
  }
  return out;
}

// A path from a module sqlmend cannot load (appdirs.user_config_dir(...))
// gives a placeholder, as operations on one do (placeholder.h); std::nullopt
// when no argument is one.
std::optional<Value> PlaceholderPath(const Args& a, std::string_view function) {
  for (const Value& v : a.positional) {
    if (IsPlaceholder(v)) {
      return DerivePlaceholder(v, "os.path." + std::string(function), a.positional.size());
    }
  }
  return std::nullopt;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string path = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string& b = parts[i];
    if (b.starts_with('/')) {
      path = b;
    } else if (path.empty() || path.ends_with('/')) {
      path += b;
    } else {
      path += "/" + b;
    }
  }
  return path;
}

std::string Dirname(const std::string& p) {
  std::string head = p.substr(0, p.rfind('/') + 1);
  if (!head.empty() && head.find_first_not_of('/') != std::string::npos) {
    while (head.ends_with('/')) head.pop_back();
  }
  return head;
}

std::string Basename(const std::string& p) { return p.substr(p.rfind('/') + 1); }

// posixpath.normpath: collapses "//", "." and "a/.." without looking at the
// file system. POSIX keeps exactly two leading slashes.
std::string Normpath(const std::string& path) {
  if (path.empty()) return ".";
  size_t initial = path.starts_with('/') ? 1 : 0;
  if (initial && path.starts_with("//") && !path.starts_with("///")) initial = 2;
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    start = end + 1;
    if (part.empty() || part == ".") continue;
    if (part != ".." || (!initial && parts.empty()) || (!parts.empty() && parts.back() == "..")) {
      parts.push_back(part);
    } else if (!parts.empty()) {
      parts.pop_back();
    }
  }
  std::string out(initial, '/');
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out.empty() ? "." : out;
}

std::string Cwd() {
  std::error_code error;
  std::string cwd = std::filesystem::current_path(error).string();
  return error ? "/" : cwd;
}

std::string Abspath(const std::string& p) {
  return Normpath(p.starts_with('/') ? p : Join({Cwd(), p}));
}

// os.environ: the process environment when the module is made, as a dict
// (assignments change it for the scripts only).
Value EnvironDict() {
  Value environ = Value::Dict();
  for (char** entry = ::environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    const size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    environ.AsDict().Set(Value::Str(std::string(text.substr(0, equals))),
                         Value::Str(std::string(text.substr(equals + 1))));
  }
  return environ;
}

Value MakeOsPathModule() {
  Value path = NewModule("posixpath");
  Define(path, "join", [](CallContext& c, Args& a) -> Result<Value> {
    if (auto placeholder = PlaceholderPath(a, "join")) return *placeholder;
    auto s = StrArgs(c, "join", a, 1, SIZE_MAX);
    if (!s) return base::Fail(s.error());
    return Value::Str(Join(*s));
  });
  // One-argument functions: the str result of posixpath's rule, or what
  // the file system says.
  using PathFunction = Value (*)(const std::string&);
  const std::pair<const char*, PathFunction> unary[] = {
      {"dirname", [](const std::string& p) { return Value::Str(Dirname(p)); }},
      {"basename", [](const std::string& p) { return Value::Str(Basename(p)); }},
      {"normpath", [](const std::string& p) { return Value::Str(Normpath(p)); }},
      {"abspath", [](const std::string& p) { return Value::Str(Abspath(p)); }},
      {"realpath", [](const std::string& p) { return Value::Str(Abspath(p)); }},
      {"expanduser", [](const std::string& p) { return Value::Str(p); }},
      {"isabs", [](const std::string& p) { return Value::Bool(p.starts_with('/')); }},
      {"exists",
       [](const std::string& p) {
         std::error_code e;
         return Value::Bool(std::filesystem::exists(p, e));
       }},
      {"isfile",
       [](const std::string& p) {
         std::error_code e;
         return Value::Bool(std::filesystem::is_regular_file(p, e));
       }},
      {"isdir",
       [](const std::string& p) {
         std::error_code e;
         return Value::Bool(std::filesystem::is_directory(p, e));
       }},
  };
  for (const auto& [name, function] : unary) {
    std::string function_name = name;
    PathFunction apply = function;
    Define(path, function_name, [function_name, apply](CallContext& c, Args& a) -> Result<Value> {
      if (auto placeholder = PlaceholderPath(a, function_name)) return *placeholder;
      auto s = StrArgs(c, function_name, a, 1, 1);
      if (!s) return base::Fail(s.error());
      return apply((*s)[0]);
    });
  }
  Define(path, "split", [](CallContext& c, Args& a) -> Result<Value> {
    if (auto placeholder = PlaceholderPath(a, "split")) return *placeholder;
    auto s = StrArgs(c, "split", a, 1, 1);
    if (!s) return base::Fail(s.error());
    return Value::Tuple({Value::Str(Dirname((*s)[0])), Value::Str(Basename((*s)[0]))});
  });
  Define(path, "splitext", [](CallContext& c, Args& a) -> Result<Value> {
    if (auto placeholder = PlaceholderPath(a, "splitext")) return *placeholder;
    auto s = StrArgs(c, "splitext", a, 1, 1);
    if (!s) return base::Fail(s.error());
    const std::string& p = (*s)[0];
    size_t slash = p.rfind('/');
    size_t name_start = slash == std::string::npos ? 0 : slash + 1;
    size_t dot = p.rfind('.');
    // A leading dot (".profile") does not start an extension.
    size_t first_other = p.find_first_not_of('.', name_start);
    if (dot == std::string::npos || dot < name_start || first_other == std::string::npos ||
        dot < first_other) {
      return Value::Tuple({Value::Str(p), Value::Str("")});
    }
    return Value::Tuple({Value::Str(p.substr(0, dot)), Value::Str(p.substr(dot))});
  });
  // posixpath's constants.
  auto& constants = path.AsModule().attributes;
  constants["sep"] = Value::Str("/");
  constants["altsep"] = Value::None();
  constants["extsep"] = Value::Str(".");
  constants["pathsep"] = Value::Str(":");
  constants["curdir"] = Value::Str(".");
  constants["pardir"] = Value::Str("..");
  constants["defpath"] = Value::Str("/bin:/usr/bin");
  constants["devnull"] = Value::Str("/dev/null");
  return path;
}

}  // namespace

Value MakeOsModule() {
  Value os = NewModule("os");
  auto& attributes = os.AsModule().attributes;
  attributes["path"] = MakeOsPathModule();
  Value environ = EnvironDict();
  attributes["environ"] = environ;
  // os's constants are posixpath's.
  for (const char* name :
       {"sep", "altsep", "extsep", "pathsep", "curdir", "pardir", "defpath", "devnull"}) {
    attributes[name] = attributes["path"].AsModule().attributes.at(name);
  }
  attributes["linesep"] = Value::Str("\n");
  attributes["name"] = Value::Str("posix");
  Define(os, "getenv", [environ](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "getenv", a, 1, 2, {"default"}));
    if (const Value* found = environ.AsDict().Find(a.positional[0])) return *found;
    if (a.positional.size() > 1) return a.positional[1];
    const Value* given = KeywordArg(a, "default");
    return given != nullptr ? *given : Value::None();
  });
  // os.urandom(n): n bytes from the system's random source, when the
  // revision runs, as Python gives them.
  Define(os, "urandom", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "urandom", a, 1, 1));
    if (!a.positional[0].Is(Value::Kind::kInt)) {
      return base::Fail(c.Throw("TypeError", "'" + a.positional[0].TypeName() +
                                                 "' object cannot be interpreted as an integer"));
    }
    const int64_t count = a.positional[0].AsInt();
    if (count < 0) return base::Fail(c.Throw("ValueError", "negative argument not allowed"));
    if (count > (int64_t{1} << 24)) {
      return base::Fail(c.Unsupported("unsupported: os.urandom() of more than 16 MiB"));
    }
    return Value::Bytes(RandomBytes(static_cast<size_t>(count)));
  });
  Define(os, "getcwd", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "getcwd", a, 0, 0));
    return Value::Str(Cwd());
  });
  // Access checks, as modules use them to find programs and folders.
  const std::pair<const char*, int64_t> modes[] = {
      {"F_OK", F_OK}, {"R_OK", R_OK}, {"W_OK", W_OK}, {"X_OK", X_OK}};
  for (const auto& [name, mode] : modes) attributes[name] = Value::Int(mode);
  Define(os, "access", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "access", a, 2, 2));
    if (!a.positional[0].Is(Value::Kind::kStr) || !a.positional[1].Is(Value::Kind::kInt)) {
      return base::Fail(c.Throw("TypeError", "access(): expected a str path and an int mode"));
    }
    return Value::Bool(::access(a.positional[0].AsStr().c_str(),
                                static_cast<int>(a.positional[1].AsInt())) == 0);
  });
  // listdir: the names in the folder, sorted (Python gives the file
  // system's order, which no script can rely on).
  Define(os, "listdir", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "listdir", a, 0, 1, {"path"}));
    const Value* given = a.positional.empty() ? KeywordArg(a, "path") : &a.positional[0];
    const std::string folder = given != nullptr && given->Is(Value::Kind::kStr) ? given->AsStr() : ".";
    std::error_code error;
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
      names.push_back(entry.path().filename().string());
    }
    if (error) {
      return base::Fail(c.Throw("FileNotFoundError",
                                "[Errno 2] No such file or directory: '" + folder + "'"));
    }
    std::sort(names.begin(), names.end());
    std::vector<Value> out;
    for (std::string& name : names) out.push_back(Value::Str(std::move(name)));
    return Value::List(std::move(out));
  });
  // Scripts never change the file system: what would create, remove or
  // rename raises PermissionError (an OSError, which modules that try to
  // make a folder at import catch), except where Python would change
  // nothing (makedirs(existing, exist_ok=True)) or fail anyway.
  Define(os, "makedirs", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "makedirs", a, 1, 3, {"name", "mode", "exist_ok"}));
    const std::string path = ToStr(a.positional[0]);
    const Value* exist_ok = a.positional.size() > 2 ? &a.positional[2] : KeywordArg(a, "exist_ok");
    std::error_code error;
    if (std::filesystem::exists(path, error)) {
      if (exist_ok != nullptr && exist_ok->Truthy() && std::filesystem::is_directory(path, error)) {
        return Value::None();
      }
      return base::Fail(c.Throw("FileExistsError", "[Errno 17] File exists: '" + path + "'"));
    }
    return base::Fail(c.Throw("PermissionError", "[Errno 13] Permission denied: '" + path +
                                                     "' (scripts run by sqlmend do not write files)"));
  });
  for (const char* name : {"mkdir", "remove", "unlink", "rmdir", "rename", "replace", "chmod",
                           "removedirs"}) {
    std::string function = name;
    Define(os, function, [function](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, function, a, 1, 4, {"*"}));
      const std::string path = ToStr(a.positional[0]);
      return base::Fail(c.Throw("PermissionError", "[Errno 13] Permission denied: '" + path +
                                                       "' (scripts run by sqlmend do not write files)"));
    });
  }
  // The process's ids, which settings classes read for defaults.
  const std::pair<const char*, int64_t (*)()> ids[] = {
      {"getuid", [] { return static_cast<int64_t>(::getuid()); }},
      {"getgid", [] { return static_cast<int64_t>(::getgid()); }},
      {"geteuid", [] { return static_cast<int64_t>(::geteuid()); }},
      {"getegid", [] { return static_cast<int64_t>(::getegid()); }},
      {"getpid", [] { return static_cast<int64_t>(::getpid()); }}};
  // NOTE: no structured binding here: clang before 16 (the fuzz build's
  // compiler) cannot capture one in a lambda.
  for (const auto& id : ids) {
    std::string function = id.first;
    int64_t (*read)() = id.second;
    Define(os, function, [function, read](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, function, a, 0, 0));
      return Value::Int(read());
    });
  }
  return os;
}

Value MakeSysModule(const Value& sys_path) {
  Value sys = NewModule("sys");
  auto& attributes = sys.AsModule().attributes;
  attributes["path"] = sys_path;
  attributes["argv"] = Value::List({Value::Str("alembic")});
  attributes["platform"] = Value::Str("linux");
  attributes["version_info"] = Value::Tuple(
      {Value::Int(3), Value::Int(11), Value::Int(2), Value::Str("final"), Value::Int(0)});
  attributes["modules"] = Value::Dict();
  attributes["stdout"] = Value::Host(std::make_shared<TextStream>("stdout", "print"));
  attributes["stderr"] = Value::Host(std::make_shared<TextStream>("stderr", "error"));
  // Python 3 answers "utf-8" for both (PEP 529, PEP 540 on a UTF-8 locale).
  for (const char* function : {"getdefaultencoding", "getfilesystemencoding"}) {
    std::string name = function;
    Define(sys, name, [name](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, name, a, 0, 0));
      return Value::Str("utf-8");
    });
  }
  return sys;
}

}  // namespace sqlmend::python
