// The `logging` and `json` modules (MakeLoggingModule(), MakeJsonModule()).
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>
#include <utility>

#include "python/builtins.h"
#include "python/format.h"
#include "python/operators.h"
#include "python/string_literal.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;

// JSON nesting json.loads() accepts: the parser recurses per level.
constexpr int kMaxJsonDepth = 100;

// A logger: each level method formats its message with `%` arguments, as
// logging does, and writes it to the log sink.
Value MakeLogger(const std::string& name) {
  Value logger = NewModule(name);
  for (std::string level : {"debug", "info", "warning", "warn", "error", "critical", "exception"}) {
    std::string sink_level = level == "warn" ? "warning" : level == "exception" ? "error" : level;
    AddModuleFunction(logger, level, [sink_level, name](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, sink_level, a, 1, SIZE_MAX, {"*"}));
      std::string text = ToStr(a.positional[0]);
      if (a.positional.size() > 1) {
        std::vector<Value> rest(a.positional.begin() + 1, a.positional.end());
        Value args =
            rest.size() == 1 && rest[0].Is(Kind::kDict) ? rest[0] : Value::Tuple(std::move(rest));
        auto formatted = PercentFormat(c, text, args);
        if (!formatted) return base::Fail(formatted.error());
        text = std::move(*formatted);
      }
      c.LogFrom(name, sink_level, text);
      return Value::None();
    });
  }
  for (std::string ignored : {"addHandler", "removeHandler", "addFilter", "removeFilter"}) {
    AddModuleFunction(logger, ignored,
                [](CallContext&, Args&) -> Result<Value> { return Value::None(); });
  }
  // The level a script sets, for isEnabledFor() and getEffectiveLevel();
  // unset, Python's default (the root logger's WARNING). What is logged
  // goes to sqlmend's own sink whatever the level.
  auto level = std::make_shared<int64_t>(0);
  AddModuleFunction(logger, "setLevel", [level](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "setLevel", a, 1, 1));
    if (a.positional[0].Is(Kind::kInt)) *level = a.positional[0].AsInt();
    return Value::None();
  });
  auto effective = [level]() { return *level != 0 ? *level : int64_t{30}; };
  AddModuleFunction(logger, "getEffectiveLevel", [effective](CallContext&, Args&) -> Result<Value> {
    return Value::Int(effective());
  });
  AddModuleFunction(logger, "isEnabledFor", [effective](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "isEnabledFor", a, 1, 1));
    return Value::Bool(a.positional[0].IsNumber() && a.positional[0].AsInt() >= effective());
  });
  logger.AsModule().attributes["name"] = Value::Str(name);
  return logger;
}

void AppendJsonString(std::string& out, const std::string& text) {
  out += '"';
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    char buffer[16];
    if (text[i] == '"' || text[i] == '\\') {
      out += '\\';
      out += text[i];
    } else if (text[i] == '\n') {
      out += "\\n";
    } else if (text[i] == '\r') {
      out += "\\r";
    } else if (text[i] == '\t') {
      out += "\\t";
    } else if (byte < 0x20) {
      std::snprintf(buffer, sizeof buffer, "\\u%04x", byte);
      out += buffer;
    } else if (byte < 0x80) {
      out += text[i];
    } else {
      // ensure_ascii (json's default): non-ASCII as \uXXXX, astral code
      // points as a surrogate pair.
      size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
      uint32_t cp = byte & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
      for (size_t k = 1; k < length && i + k < text.size(); ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
      i += length - 1;
      if (cp >= 0x10000) {
        cp -= 0x10000;
        std::snprintf(buffer, sizeof buffer, "\\u%04x\\u%04x", 0xD800 + (cp >> 10),
                      0xDC00 + (cp & 0x3FF));
      } else {
        std::snprintf(buffer, sizeof buffer, "\\u%04x", cp);
      }
      out += buffer;
    }
  }
  out += '"';
}

struct JsonOptions {
  int indent = -1;  // -1: one line
  bool sort_keys = false;
};

base::Status Dump(CallContext& c, const Value& v, const JsonOptions& options, int depth,
                  std::string& out) {
  if (depth > kMaxJsonDepth)
    return c.Unsupported("unsupported: json.dumps() nesting deeper than " +
                         std::to_string(kMaxJsonDepth));
  auto newline = [&](int level) {
    if (options.indent < 0) return;
    out += '\n';
    out += std::string(static_cast<size_t>(options.indent * level), ' ');
  };
  std::string item_separator = options.indent < 0 ? ", " : ",";
  switch (v.kind()) {
    case Kind::kNone:
      out += "null";
      return base::Status::Ok();
    case Kind::kBool:
      out += v.AsBool() ? "true" : "false";
      return base::Status::Ok();
    case Kind::kInt:
      out += std::to_string(v.AsInt());
      return base::Status::Ok();
    case Kind::kFloat: {
      std::string text = FloatRepr(v.AsFloat());
      out += text == "inf"    ? "Infinity"
             : text == "-inf" ? "-Infinity"
             : text == "nan"  ? "NaN"
                              : text;
      return base::Status::Ok();
    }
    case Kind::kStr:
      AppendJsonString(out, v.AsStr());
      return base::Status::Ok();
    case Kind::kList:
    case Kind::kTuple: {
      if (v.Items().empty()) {
        out += "[]";
        return base::Status::Ok();
      }
      out += '[';
      for (size_t i = 0; i < v.Items().size(); ++i) {
        if (i > 0) out += item_separator;
        newline(depth + 1);
        SQLMEND_RETURN_IF_ERROR(Dump(c, v.Items()[i], options, depth + 1, out));
      }
      newline(depth);
      out += ']';
      return base::Status::Ok();
    }
    case Kind::kDict: {
      auto entries = v.AsDict().entries;
      if (entries.empty()) {
        out += "{}";
        return base::Status::Ok();
      }
      if (options.sort_keys) {
        base::Status error;
        std::stable_sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
          auto less = LessThan(c, a.first, b.first);
          if (!less) error = less.error();
          return less && *less;
        });
        SQLMEND_RETURN_IF_ERROR(error);
      }
      out += '{';
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) out += item_separator;
        newline(depth + 1);
        const Value& key = entries[i].first;
        if (key.Is(Kind::kStr)) {
          AppendJsonString(out, key.AsStr());
        } else if (key.IsNumber() || key.IsNone()) {
          std::string text;
          SQLMEND_RETURN_IF_ERROR(Dump(c, key, options, depth + 1, text));
          AppendJsonString(out, text);
        } else {
          return c.Throw("TypeError",
                         "keys must be str, int, float, bool or None, not " + key.TypeName());
        }
        out += ": ";
        SQLMEND_RETURN_IF_ERROR(Dump(c, entries[i].second, options, depth + 1, out));
      }
      newline(depth);
      out += '}';
      return base::Status::Ok();
    }
    default:
      return c.Throw("TypeError", "Object of type " + v.TypeName() + " is not JSON serializable");
  }
}

class JsonParser {
 public:
  JsonParser(CallContext& context, std::string_view text) : context_(context), text_(text) {}

  Result<Value> ParseDocument() {
    auto value = Parse(0);
    if (!value) return value;
    SkipSpace();
    if (at_ != text_.size()) return Error("Extra data");
    return value;
  }

 private:
  base::Status ErrorStatus(std::string_view what) {
    return context_.Throw("ValueError", std::string(what) + ": char " + std::to_string(at_));
  }
  Result<Value> Error(std::string_view what) { return base::Fail(ErrorStatus(what)); }
  void SkipSpace() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t'))
      ++at_;
  }
  bool Consume(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }

  Result<Value> Parse(int depth) {
    if (depth > kMaxJsonDepth)
      return base::Fail(context_.Unsupported("unsupported: JSON nesting deeper than " +
                                             std::to_string(kMaxJsonDepth)));
    SkipSpace();
    if (at_ >= text_.size()) return Error("Expecting value");
    char c = text_[at_];
    if (Consume("null")) return Value::None();
    if (Consume("true")) return Value::Bool(true);
    if (Consume("false")) return Value::Bool(false);
    if (c == '"') return ParseString();
    if (c == '[') {
      ++at_;
      std::vector<Value> items;
      SkipSpace();
      if (Consume("]")) return Value::List(std::move(items));
      while (true) {
        auto item = Parse(depth + 1);
        if (!item) return item;
        items.push_back(std::move(*item));
        SkipSpace();
        if (Consume("]")) return Value::List(std::move(items));
        if (!Consume(",")) return Error("Expecting ',' delimiter");
      }
    }
    if (c == '{') {
      ++at_;
      Value dict = Value::Dict();
      SkipSpace();
      if (Consume("}")) return dict;
      while (true) {
        SkipSpace();
        if (at_ >= text_.size() || text_[at_] != '"')
          return Error("Expecting property name enclosed in double quotes");
        auto key = ParseString();
        if (!key) return key;
        SkipSpace();
        if (!Consume(":")) return Error("Expecting ':' delimiter");
        auto value = Parse(depth + 1);
        if (!value) return value;
        dict.AsDict().Set(*key, std::move(*value));
        SkipSpace();
        if (Consume("}")) return dict;
        if (!Consume(",")) return Error("Expecting ',' delimiter");
      }
    }
    size_t start = at_;
    bool is_float = false;
    while (at_ < text_.size() &&
           std::string_view("+-0123456789.eE").find(text_[at_]) != std::string_view::npos) {
      is_float = is_float || text_[at_] == '.' || text_[at_] == 'e' || text_[at_] == 'E';
      ++at_;
    }
    std::string_view number = text_.substr(start, at_ - start);
    if (number.empty()) return Error("Expecting value");
    if (is_float) {
      double value = 0;
      auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
      if (ec != std::errc() || ptr != number.data() + number.size())
        return Error("Expecting value");
      return Value::Float(value);
    }
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec == std::errc::result_out_of_range)
      return base::Fail(context_.Unsupported("unsupported: JSON int beyond 64 bits"));
    if (ec != std::errc() || ptr != number.data() + number.size()) return Error("Expecting value");
    return Value::Int(value);
  }

  Result<Value> ParseString() {
    ++at_;  // the opening quote
    std::string out;
    while (at_ < text_.size() && text_[at_] != '"') {
      char c = text_[at_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_ >= text_.size()) break;
      char escape = text_[at_++];
      switch (escape) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!ReadHex4(cp)) return Error("Invalid \\uXXXX escape");
          if (cp >= 0xD800 && cp < 0xDC00 && Consume("\\u")) {
            uint32_t low = 0;
            if (!ReadHex4(low)) return Error("Invalid \\uXXXX escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          out += escape;
      }
    }
    if (at_ >= text_.size()) return Error("Unterminated string starting at");
    ++at_;
    return Value::Str(std::move(out));
  }

  bool ReadHex4(uint32_t& cp) {
    if (at_ + 4 > text_.size()) return false;
    auto [ptr, ec] = std::from_chars(text_.data() + at_, text_.data() + at_ + 4, cp, 16);
    if (ec != std::errc() || ptr != text_.data() + at_ + 4) return false;
    at_ += 4;
    return true;
  }

  CallContext& context_;
  std::string_view text_;
  size_t at_ = 0;
};

}  // namespace

Value NewModule(std::string name) {
  auto module = std::make_shared<ModuleObject>();
  module->name = std::move(name);
  return Value::Module(std::move(module));
}

void AddModuleFunction(Value& module, const std::string& name, NativeFunction function) {
  module.AsModule().attributes[name] =
      Value::Builtin(module.AsModule().name + "." + name, std::move(function));
}

Value MakeLoggingModule() {
  Value logging = NewModule("logging");
  AddModuleFunction(logging, "getLogger", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "getLogger", a, 0, 1));
    return MakeLogger(a.positional.empty() || a.positional[0].IsNone() ? "root"
                                                                       : ToStr(a.positional[0]));
  });
  // Output configuration, which does not change what a migration writes.
  for (const char* name : {"basicConfig", "addLevelName", "disable", "captureWarnings",
                           "setLoggerClass", "shutdown"}) {
    AddModuleFunction(logging, name,
                      [](CallContext&, Args&) -> Result<Value> { return Value::None(); });
  }
  // The classes package code names in annotations, isinstance() checks and
  // handler set-up (`class Quiet(logging.Filter)`, `handler.setFormatter(f)`):
  // real classes whose methods accept anything and do nothing, since output
  // configuration does not change what a migration writes.
  for (const char* name : {"Logger", "LoggerAdapter", "Handler", "StreamHandler", "FileHandler",
                           "NullHandler", "Formatter", "Filter", "LogRecord"}) {
    auto class_object = std::make_shared<ClassObject>();
    class_object->name = name;
    class_object->attributes["__name__"] = Value::Str(name);
    for (const char* method : {"__init__", "setLevel", "setFormatter", "addFilter",
                               "removeFilter", "addHandler", "removeHandler", "flush", "close"}) {
      class_object->attributes[method] = Value::Builtin(
          std::string("logging.") + name + "." + method,
          [](CallContext&, Args&) -> Result<Value> { return Value::None(); });
    }
    logging.AsModule().attributes[name] = Value::Class(std::move(class_object));
  }
  Value root = MakeLogger("root");
  for (const auto& [name, function] : root.AsModule().attributes) {
    if (name != "name") logging.AsModule().attributes[name] = function;
  }
  const std::pair<const char*, int64_t> levels[] = {
      {"NOTSET", 0},  {"DEBUG", 10}, {"INFO", 20},     {"WARNING", 30},
      {"WARN", 30},   {"ERROR", 40}, {"CRITICAL", 50}, {"FATAL", 50}};
  for (const auto& [name, level] : levels) logging.AsModule().attributes[name] = Value::Int(level);
  return logging;
}

Value MakeJsonModule() {
  Value json = NewModule("json");
  AddModuleFunction(json, "dumps", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "dumps", a, 1, 1, {"indent", "sort_keys"}));
    JsonOptions options;
    if (const Value* indent = KeywordArg(a, "indent"); indent != nullptr && !indent->IsNone()) {
      options.indent = static_cast<int>(std::clamp<int64_t>(indent->AsInt(), 0, 64));
    }
    if (const Value* sort = KeywordArg(a, "sort_keys")) options.sort_keys = sort->Truthy();
    std::string out;
    SQLMEND_RETURN_IF_ERROR(Dump(c, a.positional[0], options, 0, out));
    return Value::Str(std::move(out));
  });
  AddModuleFunction(json, "loads", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "loads", a, 1, 1));
    if (!a.positional[0].Is(Kind::kStr)) {
      return base::Fail(
          c.Throw("TypeError", "the JSON object must be str, not " + a.positional[0].TypeName()));
    }
    return JsonParser(c, a.positional[0].AsStr()).ParseDocument();
  });
  // json.load(file): the file's text through loads().
  AddModuleFunction(json, "load", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "load", a, 1, 1));
    auto read = c.GetAttr(a.positional[0], "read");
    if (!read) return read;
    auto text = c.Call(*read, Args{});
    if (!text) return text;
    if (!text->Is(Kind::kStr)) {
      return base::Fail(c.Throw("TypeError", "the JSON object must be str, not " +
                                                 text->TypeName()));
    }
    return JsonParser(c, text->AsStr()).ParseDocument();
  });
  // The classes package code derives from (`class Encoder(json.JSONEncoder)`
  // with a `default` method). NOTE: dumps() and loads() take no cls=: a
  // subclass is defined, not used. JSONDecodeError is ValueError, which
  // it subclasses in Python.
  for (const char* name : {"JSONEncoder", "JSONDecoder"}) {
    auto class_object = std::make_shared<ClassObject>();
    class_object->name = name;
    class_object->attributes["__name__"] = Value::Str(name);
    class_object->attributes["__init__"] =
        Value::Builtin(std::string("json.") + name + ".__init__",
                       [](CallContext&, Args&) -> Result<Value> { return Value::None(); });
    json.AsModule().attributes[name] = Value::Class(std::move(class_object));
  }
  json.AsModule().attributes["JSONDecodeError"] = Value::Class(ExceptionClass("ValueError"));
  return json;
}

}  // namespace sqlmend::python
