#include "python/files_module.h"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "python/args.h"
#include "python/builtins.h"

namespace sqlmend::python {

namespace {

using base::Result;
using Kind = Value::Kind;

class PathValue;

std::string Joined(const std::string& base, const std::string& part) {
  if (part.starts_with("/") || base.empty() || base == ".") return part;
  return base.ends_with("/") ? base + part : base + "/" + part;
}

// Python's PurePosixPath normalisation: no empty or "." parts, no trailing
// slash; "." for an empty path.
std::string Normalised(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream in(path);
  for (std::string part; std::getline(in, part, '/');) {
    if (part.empty() || part == ".") continue;
    parts.push_back(part);
  }
  std::string out = path.starts_with("/") ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i > 0 ? "/" : "") + parts[i];
  return out.empty() ? "." : out;
}

Value MakePath(std::string path);

// A file open for reading: text mode (str, universal newlines) or binary
// mode (bytes as stored).
class TextFile : public HostObject, public std::enable_shared_from_this<TextFile> {
 public:
  TextFile(std::string name, std::string text, bool binary)
      : name_(std::move(name)), text_(std::move(text)), binary_(binary) {}
  std::string TypeName() const override { return binary_ ? "BufferedReader" : "TextIOWrapper"; }
  std::string Repr() const override {
    return (binary_ ? "<_io.BufferedReader name=" : "<_io.TextIOWrapper name=") +
           StrRepr(name_) + ">";
  }
  Result<Value> Enter(CallContext&) override { return Value::Host(shared_from_this()); }
  base::Status Exit(CallContext&) override { return base::Status::Ok(); }
  Result<std::vector<Value>> Iterate(CallContext&) override {
    std::vector<Value> lines;
    while (position_ < text_.size()) lines.push_back(Wrap(Line()));
    return lines;
  }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    auto self = shared_from_this();
    if (name == "name") return Value::Str(name_);
    if (name == "read") {
      return Value::Builtin("read", [self](CallContext&, Args&) -> Result<Value> {
        std::string rest = self->text_.substr(self->position_);
        self->position_ = self->text_.size();
        return self->Wrap(std::move(rest));
      });
    }
    if (name == "readline") {
      return Value::Builtin("readline", [self](CallContext&, Args&) -> Result<Value> {
        return self->Wrap(self->Line());
      });
    }
    if (name == "readlines") {
      return Value::Builtin("readlines", [self](CallContext& c, Args&) -> Result<Value> {
        auto lines = self->Iterate(c);
        if (!lines) return base::Fail(lines.error());
        return Value::List(std::move(*lines));
      });
    }
    if (name == "close") {
      return Value::Builtin("close", [](CallContext&, Args&) -> Result<Value> { return Value(); });
    }
    if (name == "write" || name == "writelines") {
      return Value::Builtin(std::string(name), [](CallContext& c, Args&) -> Result<Value> {
        return base::Fail(c.Unsupported("unsupported: writing a file in a migration"));
      });
    }
    return std::nullopt;
  }

 private:
  Value Wrap(std::string text) const {
    return binary_ ? Value::Bytes(std::move(text)) : Value::Str(std::move(text));
  }
  std::string Line() {
    size_t end = text_.find('\n', position_);
    end = end == std::string::npos ? text_.size() : end + 1;
    std::string line = text_.substr(position_, end - position_);
    position_ = end;
    return line;
  }

  std::string name_;
  std::string text_;
  bool binary_;
  size_t position_ = 0;
};

// The file's octets, or FileNotFoundError / IsADirectoryError as open()
// raises them.
Result<std::string> ReadOctets(CallContext& c, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    return base::Fail(c.Throw("IsADirectoryError", "[Errno 21] Is a directory: " + StrRepr(path)));
  }
  if (!in) {
    return base::Fail(
        c.Throw("FileNotFoundError", "[Errno 2] No such file or directory: " + StrRepr(path)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<std::string> ReadWhole(CallContext& c, const std::string& path) {
  auto octets = ReadOctets(c, path);
  if (!octets) return octets;
  const std::string& out = *octets;
  // Universal newlines, as text mode reads them.
  std::string normalised;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\r') {
      normalised += '\n';
      if (i + 1 < out.size() && out[i + 1] == '\n') ++i;
    } else {
      normalised += out[i];
    }
  }
  return normalised;
}

Result<Value> Open(CallContext& c, const Value& file, const Value* mode) {
  auto path = PathText(file);
  if (!path) {
    return base::Fail(c.Throw("TypeError", "expected str, bytes or os.PathLike object, not " +
                                               file.TypeName()));
  }
  std::string how = mode != nullptr && mode->Is(Kind::kStr) ? mode->AsStr() : "r";
  const bool binary = how == "rb" || how == "br";
  if (how != "r" && how != "rt" && how != "tr" && !binary) {
    return base::Fail(c.Unsupported("unsupported: open() with mode " + StrRepr(how) +
                                    " (sqlmend only reads files)"));
  }
  auto text = binary ? ReadOctets(c, *path) : ReadWhole(c, *path);
  if (!text) return base::Fail(text.error());
  return Value::Host(std::make_shared<TextFile>(*path, std::move(*text), binary));
}

bool Exists(const std::string& path, int kind) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return false;
  if (kind == 1) return S_ISREG(info.st_mode);
  if (kind == 2) return S_ISDIR(info.st_mode);
  return true;
}

class PathValue : public HostObject {
 public:
  explicit PathValue(std::string path) : path_(Normalised(path)) {}
  std::string TypeName() const override { return "PosixPath"; }
  std::string Repr() const override { return "PosixPath(" + StrRepr(path_) + ")"; }
  std::string Str() const override { return path_; }
  std::optional<std::string> ValueKey() const override { return path_; }
  const std::string& path() const { return path_; }

  std::optional<Result<Value>> Operator(CallContext& c, std::string_view op, const Value& other,
                                        bool reflected) override {
    if (op != "/") return std::nullopt;
    auto text = PathText(other);
    if (!text) {
      return Result<Value>(base::Fail(c.Throw(
          "TypeError", "unsupported operand type(s) for /: 'PosixPath' and '" +
                           other.TypeName() + "'")));
    }
    return Result<Value>(MakePath(reflected ? Joined(*text, path_) : Joined(path_, *text)));
  }

  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    const std::string path = path_;
    const size_t slash = path.rfind('/');
    const std::string base_name = slash == std::string::npos ? path : path.substr(slash + 1);
    const std::string leaf = base_name == "." ? "" : base_name;
    const size_t dot = leaf.rfind('.');
    const bool has_suffix = dot != std::string::npos && dot > 0;
    if (name == "name") return Value::Str(leaf);
    if (name == "suffix") return Value::Str(has_suffix ? leaf.substr(dot) : "");
    if (name == "stem") return Value::Str(has_suffix ? leaf.substr(0, dot) : leaf);
    if (name == "parent") {
      if (slash == std::string::npos) return MakePath(".");
      return MakePath(slash == 0 ? "/" : path.substr(0, slash));
    }
    if (name == "parts") {
      std::vector<Value> parts;
      if (path.starts_with("/")) parts.push_back(Value::Str("/"));
      std::stringstream in(path);
      for (std::string part; std::getline(in, part, '/');) {
        if (!part.empty() && part != ".") parts.push_back(Value::Str(part));
      }
      return Value::Tuple(std::move(parts));
    }
    auto method = [&](const char* method_name, auto body) -> Value {
      return Value::Builtin(method_name, body);
    };
    if (name == "read_text") {
      return method("read_text", [path](CallContext& c, Args&) -> Result<Value> {
        auto text = ReadWhole(c, path);
        if (!text) return base::Fail(text.error());
        return Value::Str(std::move(*text));
      });
    }
    if (name == "open") {
      return method("open", [path](CallContext& c, Args& a) -> Result<Value> {
        const Value* mode = a.positional.empty() ? KeywordArg(a, "mode") : &a.positional[0];
        return Open(c, Value::Str(path), mode);
      });
    }
    for (const auto& [query, kind] :
         std::vector<std::pair<std::string, int>>{{"exists", 0}, {"is_file", 1}, {"is_dir", 2}}) {
      if (name == query) {
        int which = kind;
        return Value::Builtin(query, [path, which](CallContext&, Args&) -> Result<Value> {
          return Value::Bool(Exists(path, which));
        });
      }
    }
    if (name == "joinpath") {
      return method("joinpath", [path](CallContext& c, Args& a) -> Result<Value> {
        std::string out = path;
        for (const Value& part : a.positional) {
          auto text = PathText(part);
          if (!text) return base::Fail(c.Throw("TypeError", "joinpath() takes paths"));
          out = Joined(out, *text);
        }
        return MakePath(out);
      });
    }
    if (name == "with_suffix" || name == "with_name") {
      const bool suffix = name == "with_suffix";
      std::string parent = slash == std::string::npos ? "" : path.substr(0, slash + 1);
      std::string stem = has_suffix ? leaf.substr(0, dot) : leaf;
      return Value::Builtin(std::string(name), [parent, stem, suffix](CallContext& c,
                                                                      Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, suffix ? "with_suffix" : "with_name", a, 1, 1));
        std::string given = ToStr(a.positional[0]);
        return MakePath(parent + (suffix ? stem + given : given));
      });
    }
    if (name == "resolve" || name == "absolute") {
      return method("resolve", [path](CallContext&, Args&) -> Result<Value> {
        if (path.starts_with("/")) return MakePath(path);
        char buffer[PATH_MAX];
        std::string cwd = ::getcwd(buffer, sizeof buffer) != nullptr ? buffer : ".";
        return MakePath(Joined(cwd, path));
      });
    }
    if (name == "__fspath__" || name == "as_posix") {
      return method("as_posix", [path](CallContext&, Args&) -> Result<Value> {
        return Value::Str(path);
      });
    }
    for (const char* listing : {"iterdir", "glob", "rglob", "write_text", "mkdir", "unlink"}) {
      if (name == listing) {
        std::string what = std::string("Path.") + listing + "()";
        return Value::Builtin(listing, [what](CallContext& c, Args&) -> Result<Value> {
          return base::Fail(c.Unsupported("unsupported: " + what + " in a migration"));
        });
      }
    }
    return std::nullopt;
  }

 private:
  std::string path_;
};

Value MakePath(std::string path) {
  return Value::Host(std::make_shared<PathValue>(std::move(path)));
}

class PathClass : public HostObject {
 public:
  explicit PathClass(std::string name) : name_(std::move(name)) {}
  std::string TypeName() const override { return "type"; }
  std::string Repr() const override { return "<class 'pathlib." + name_ + "'>"; }
  Result<Value> Call(CallContext& c, Args& a) override {
    std::string path;
    for (const Value& part : a.positional) {
      auto text = PathText(part);
      if (!text) {
        return base::Fail(c.Throw("TypeError", "expected str, bytes or os.PathLike object, not " +
                                                   part.TypeName()));
      }
      path = Joined(path, *text);
    }
    return MakePath(path);
  }
  bool IsInstance(const Value& value) const override {
    return value.Is(Kind::kHost) && dynamic_cast<PathValue*>(&value.AsHost()) != nullptr;
  }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "cwd") {
      return Value::Builtin("cwd", [](CallContext&, Args&) -> Result<Value> {
        char buffer[PATH_MAX];
        return MakePath(::getcwd(buffer, sizeof buffer) != nullptr ? buffer : ".");
      });
    }
    if (name == "__name__") return Value::Str(name_);
    return std::nullopt;
  }

 private:
  std::string name_;
};

}  // namespace

Result<std::string> ReadTextFile(CallContext& context, const std::string& path) {
  return ReadWhole(context, path);
}

std::optional<std::string> PathText(const Value& value) {
  if (value.Is(Kind::kStr)) return value.AsStr();
  if (value.Is(Kind::kHost)) {
    if (auto* path = dynamic_cast<PathValue*>(&value.AsHost())) return path->path();
  }
  return std::nullopt;
}

void InstallOpen(Scope& builtins) {
  builtins.names["open"] = Value::Builtin("open", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(
        CheckArgs(c, "open", a, 1, 2, {"mode", "encoding", "errors", "newline"}));
    if (const Value* encoding = KeywordArg(a, "encoding");
        encoding != nullptr && encoding->Is(Kind::kStr)) {
      std::string name = encoding->AsStr();
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (name != "utf-8" && name != "utf8" && name != "ascii") {
        return base::Fail(c.Unsupported("unsupported: open() with encoding " + StrRepr(name)));
      }
    }
    const Value* mode = a.positional.size() > 1 ? &a.positional[1] : KeywordArg(a, "mode");
    return Open(c, a.positional[0], mode);
  });
}

Value MakePathlibModule() {
  auto module = std::make_shared<ModuleObject>();
  module->name = "pathlib";
  for (const char* name : {"Path", "PurePath", "PosixPath", "PurePosixPath"}) {
    module->attributes[name] = Value::Host(std::make_shared<PathClass>(name));
  }
  return Value::Module(module);
}

}  // namespace sqlmend::python
