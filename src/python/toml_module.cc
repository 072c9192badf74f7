// tomllib, tomli and toml (toml_module.h): TOML documents read by toml++
// into Python values, and toml 0.10's dumps().
#include "python/toml_module.h"

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "python/builtins.h"
#include "python/datetime_module.h"
#include "python/files_module.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;

// Nesting toml.dumps() follows: it recurses per table level. (Reading
// needs no cap of its own: toml++ refuses documents nested deeper than
// TOML_MAX_NESTED_VALUES, 256.)
constexpr int kMaxDumpDepth = 100;

// A new exception class `name` deriving from ValueError, as both packages
// declare their decode error.
std::shared_ptr<ClassObject> DecodeErrorClass(const std::string& name) {
  auto class_object = std::make_shared<ClassObject>();
  class_object->name = name;
  class_object->bases.push_back(ExceptionClass("ValueError"));
  class_object->attributes["__name__"] = Value::Str(name);
  return class_object;
}

// Where a syntax error is, as both packages report it.
struct ErrorSpot {
  std::string description;
  size_t line = 1;
  size_t column = 1;
};

// The byte offset of line `line`, column `column` (1-based, the column
// counted in code points as toml++ counts it) of `text`.
size_t ByteOffset(std::string_view text, size_t line, size_t column) {
  size_t current_line = 1;
  size_t current_column = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) == 0x80) continue;  // a continuation byte
    if (current_line > line || (current_line == line && current_column >= column)) return i;
    if (text[i] == '\n') {
      ++current_line;
      current_column = 1;
    } else {
      ++current_column;
    }
  }
  return text.size();
}

// The offset in code points of line `line`, column `column` (both 1-based)
// of `text`: what toml's TomlDecodeError calls `pos`.
size_t CodePointOffset(std::string_view text, size_t line, size_t column) {
  std::string_view before = text.substr(0, ByteOffset(text, line, column));
  return static_cast<size_t>(std::count_if(before.begin(), before.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  }));
}

// Which package's reading of local times to follow.
enum class Dialect {
  kTomllib,
  // toml 0.10 reads a local time's fraction only when it has 3 to 6
  // digits, and takes those digits as microseconds ("07:32:00.500" is
  // 500 microseconds, "07:32:00.5" none).
  kToml010,
};

// Converts toml++'s tree into Python values.
class Converter {
 public:
  Converter(CallContext& context, std::string_view text, Dialect dialect)
      : context_(context), text_(text), dialect_(dialect) {}

  Result<Value> Convert(const toml::node& node) {
    switch (node.type()) {
      case toml::node_type::table:
        return Table(*node.as_table());
      case toml::node_type::array: {
        std::vector<Value> items;
        for (const toml::node& item : *node.as_array()) {
          auto value = Convert(item);  // depth bounded by toml++ (see kMaxDumpDepth)
          if (!value) return value;
          items.push_back(std::move(*value));
        }
        return Value::List(std::move(items));
      }
      case toml::node_type::string:
        return Value::Str(node.as_string()->get());
      case toml::node_type::integer:
        return Value::Int(node.as_integer()->get());
      case toml::node_type::floating_point:
        return Value::Float(node.as_floating_point()->get());
      case toml::node_type::boolean:
        return Value::Bool(node.as_boolean()->get());
      case toml::node_type::date: {
        DateTimeValue::Parts parts;
        SetDate(parts, node.as_date()->get());
        return Value::Host(std::make_shared<DateTimeValue>(DateTimeValue::Kind::kDate, parts));
      }
      case toml::node_type::time: {
        DateTimeValue::Parts parts;
        SetTime(parts, node.as_time()->get());
        if (dialect_ == Dialect::kToml010) parts.microsecond = TomlTimeFraction(node);
        return Value::Host(std::make_shared<DateTimeValue>(DateTimeValue::Kind::kTime, parts));
      }
      case toml::node_type::date_time: {
        const toml::date_time& stamp = node.as_date_time()->get();
        // tomllib and tomli give an offset date-time a datetime.timezone;
        // the toml package its own TomlTz class, which is not modelled.
        if (stamp.offset && dialect_ == Dialect::kToml010) {
          return base::Fail(context_.Unsupported(
              "unsupported: a TOML offset date-time (line " +
              std::to_string(node.source().begin.line) +
              ") read by the toml package (its TomlTz zones are not modelled)"));
        }
        DateTimeValue::Parts parts;
        SetDate(parts, stamp.date);
        SetTime(parts, stamp.time);
        std::optional<DateTimeValue::Zone> zone;
        if (stamp.offset) zone = DateTimeValue::Zone{stamp.offset->minutes * 60'000'000LL, ""};
        return Value::Host(
            std::make_shared<DateTimeValue>(DateTimeValue::Kind::kDateTime, parts, zone));
      }
      case toml::node_type::none:
        break;
    }
    return Value::None();
  }

 private:
  // A dict in the document's order: toml++ keeps a table's keys sorted, so
  // they are put back in the order they first appear (each key remembers
  // where it was written; a table made implicit by `[a.b]` by that header).
  Result<Value> Table(const toml::table& table) {
    std::vector<std::pair<const toml::key*, const toml::node*>> entries;
    for (const auto& [key, node] : table) entries.emplace_back(&key, &node);
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      const toml::source_position& left = a.first->source().begin;
      const toml::source_position& right = b.first->source().begin;
      return left.line != right.line ? left.line < right.line : left.column < right.column;
    });
    Value dict = Value::Dict();
    for (const auto& [key, node] : entries) {
      auto value = Convert(*node);
      if (!value) return value;
      dict.AsDict().Set(Value::Str(std::string(key->str())), std::move(*value));
    }
    return dict;
  }

  // The microseconds toml 0.10 reads from a local time's written fraction.
  int TomlTimeFraction(const toml::node& node) const {
    const toml::source_region& where = node.source();
    size_t begin = ByteOffset(text_, where.begin.line, where.begin.column);
    size_t end = ByteOffset(text_, where.end.line, where.end.column);
    std::string_view written = text_.substr(begin, end > begin ? end - begin : 0);
    size_t dot = written.find('.');
    if (dot == std::string_view::npos) return 0;
    size_t digits = 0;
    int value = 0;
    while (dot + 1 + digits < written.size() && digits < 6 &&
           written[dot + 1 + digits] >= '0' && written[dot + 1 + digits] <= '9') {
      value = value * 10 + (written[dot + 1 + digits] - '0');
      ++digits;
    }
    return digits >= 3 ? value : 0;
  }

  static void SetDate(DateTimeValue::Parts& parts, const toml::date& date) {
    parts.year = date.year;
    parts.month = date.month;
    parts.day = date.day;
  }
  // Fractions of a second below a microsecond are cut, as tomllib does.
  static void SetTime(DateTimeValue::Parts& parts, const toml::time& time) {
    parts.hour = time.hour;
    parts.minute = time.minute;
    parts.second = time.second;
    parts.microsecond = static_cast<int>(time.nanosecond / 1000);
  }

  CallContext& context_;
  std::string_view text_;
  Dialect dialect_;
};

// Parses `text`: the document as a dict, or `spot` filled in and nullopt
// for a syntax error. toml++'s exceptions stay in this function.
std::optional<toml::table> ParseToml(std::string_view text, ErrorSpot& spot) {
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& error) {
    spot.description = std::string(error.description());
    spot.line = error.source().begin.line;
    spot.column = error.source().begin.column;
  } catch (const std::exception& error) {
    spot.description = error.what();
  }
  return std::nullopt;
}

// tomllib.loads(): the dict, or TOMLDecodeError "<what> (at line L, column C)".
Result<Value> LoadsTomllib(CallContext& c, const std::shared_ptr<ClassObject>& error_class,
                           std::string_view text) {
  ErrorSpot spot;
  std::optional<toml::table> document = ParseToml(text, spot);
  if (!document) {
    return base::Fail(c.ThrowValue(MakeException(
        error_class, spot.description + " (at line " + std::to_string(spot.line) +
                         ", column " + std::to_string(spot.column) + ")")));
  }
  return Converter(c, text, Dialect::kTomllib).Convert(*document);
}

// toml.loads(): the dict, or TomlDecodeError(msg, doc, pos).
// toml's TomlDecodeError(msg, doc, pos) for `spot` in `text`.
base::Status ThrowTomlDecodeError(CallContext& c, const std::shared_ptr<ClassObject>& error_class,
                                  const std::string& text, const ErrorSpot& spot) {
  size_t pos = CodePointOffset(text, spot.line, spot.column);
  Value exception = MakeException(
      error_class, spot.description + " (line " + std::to_string(spot.line) + " column " +
                       std::to_string(spot.column) + " char " + std::to_string(pos) + ")");
  auto& attributes = exception.AsInstance().attributes;
  attributes["msg"] = Value::Str(spot.description);
  attributes["doc"] = Value::Str(text);
  attributes["pos"] = Value::Int(static_cast<int64_t>(pos));
  attributes["lineno"] = Value::Int(static_cast<int64_t>(spot.line));
  attributes["colno"] = Value::Int(static_cast<int64_t>(spot.column));
  return c.ThrowValue(exception);
}

// toml.loads(): the dict, or TomlDecodeError.
Result<Value> LoadsToml(CallContext& c, const std::shared_ptr<ClassObject>& error_class,
                        const std::string& text) {
  ErrorSpot spot;
  std::optional<toml::table> document = ParseToml(text, spot);
  if (!document) return base::Fail(ThrowTomlDecodeError(c, error_class, text, spot));
  // toml 0.10 follows TOML 0.5: an array's items are of one type (a date
  // and a date-time count as one), reported at the start of its line.
  std::optional<ErrorSpot> mixed;
  auto check = [&mixed](const toml::node& node, auto& self) -> void {
    if (mixed) return;
    auto kind = [](const toml::node& item) {
      return item.type() == toml::node_type::date_time ? toml::node_type::date : item.type();
    };
    if (const toml::array* array = node.as_array()) {
      for (const toml::node& item : *array) {
        if (kind(item) != kind((*array)[0])) {
          mixed = ErrorSpot{"Not a homogeneous array", array->source().begin.line, 1};
          return;
        }
        self(item, self);  // depth bounded by toml++ (kMaxDumpDepth)
      }
    } else if (const toml::table* table = node.as_table()) {
      for (const auto& [key, value] : *table) self(value, self);
    }
  };
  check(*document, check);
  if (mixed) return base::Fail(ThrowTomlDecodeError(c, error_class, text, *mixed));
  return Converter(c, text, Dialect::kToml010).Convert(*document);
}

// parse_float= other than float itself would need the float's text.
base::Status CheckParseFloat(CallContext& c, const Args& a) {
  const Value* parse_float = KeywordArg(a, "parse_float");
  if (parse_float == nullptr) return base::Status::Ok();
  if (parse_float->Is(Kind::kBuiltin) && parse_float->AsBuiltin().name == "float")
    return base::Status::Ok();
  return c.Unsupported("unsupported: parse_float= other than float");
}

// toml's `_dict=` and `decoder=`: the defaults only.
base::Status CheckTomlOptions(CallContext& c, const Args& a) {
  if (const Value* dict = KeywordArg(a, "_dict");
      dict != nullptr && !(dict->Is(Kind::kBuiltin) && dict->AsBuiltin().name == "dict")) {
    return c.Unsupported("unsupported: toml's _dict= other than dict");
  }
  if (const Value* decoder = KeywordArg(a, "decoder"); decoder != nullptr && !decoder->IsNone())
    return c.Unsupported("unsupported: toml's decoder=");
  if (a.positional.size() > 1) return c.Unsupported("unsupported: toml's _dict= or decoder=");
  return base::Status::Ok();
}

// --- toml.dumps(), as toml 0.10's TomlEncoder writes -------------------

// toml's _dump_str: the repr() text without its quotes, `'` unescaped and
// `"` escaped when repr chose single quotes, then each `\x` escape joined
// back as toml 0.10 does it (which drops the backslash of `\xNN` unless a
// backslash precedes it, and fails on a text that starts with one).
Result<std::string> DumpStr(CallContext& c, std::string repr) {
  auto replace_all = [](std::string text, std::string_view from, std::string_view to) {
    std::string out;
    for (size_t i = 0; i < text.size();) {
      if (text.compare(i, from.size(), from) == 0) {
        out += to;
        i += from.size();
      } else {
        out += text[i++];
      }
    }
    return out;
  };
  const bool single = repr.starts_with("'");
  if ((single || repr.starts_with("\"")) && repr.size() >= 2) repr = repr.substr(1, repr.size() - 2);
  if (single) {
    repr = replace_all(repr, "\\'", "'");
    repr = replace_all(repr, "\"", "\\\"");
  }
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t found = repr.find("\\x", start);
    parts.push_back(repr.substr(start, found == std::string::npos ? std::string::npos
                                                                  : found - start));
    if (found == std::string::npos) break;
    start = found + 2;
  }
  while (parts.size() > 1) {
    if (parts[0].empty()) parts.erase(parts.begin());
    parts[0] = replace_all(parts[0], "\\\\", "\\");
    const std::string& head = parts[0];
    if (head.empty()) {
      return base::Fail(c.Throw("IndexError", "string index out of range"));
    }
    // Count the backslashes that end `head`: an odd run joins with "x".
    bool join_x = head.back() != '\\';
    size_t i = 1;
    while (head.size() > i && head[head.size() - i] == '\\') {
      join_x = !join_x;
      ++i;
    }
    if (parts.size() < 2) return base::Fail(c.Throw("IndexError", "list index out of range"));
    std::string joined = head + (join_x ? "x" : "u00") + parts[1];
    parts.erase(parts.begin(), parts.begin() + 2);
    parts.insert(parts.begin(), std::move(joined));
  }
  return "\"" + parts[0] + "\"";
}

bool IsBareKey(const std::string& key) {
  if (key.empty()) return false;
  return std::all_of(key.begin(), key.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-';
  });
}

class TomlEncoder {
 public:
  explicit TomlEncoder(CallContext& context) : c_(context) {}

  // toml.dumps(o).
  Result<std::string> Dumps(const Value& document) {
    auto top = DumpSections(document, "", 0);
    if (!top) return base::Fail(top.error());
    std::string out = top->text;
    std::vector<std::pair<std::string, Value>> sections = std::move(top->sections);
    for (int depth = 1; !sections.empty(); ++depth) {
      if (depth > kMaxDumpDepth) return Deep();
      std::vector<std::pair<std::string, Value>> next;
      for (const auto& [name, table] : sections) {
        auto dumped = DumpSections(table, name, depth);
        if (!dumped) return base::Fail(dumped.error());
        if (!dumped->text.empty() || dumped->sections.empty()) {
          if (!out.empty() && !out.ends_with("\n\n")) out += "\n";
          out += "[" + name + "]\n" + dumped->text;
        }
        for (auto& [sub, value] : dumped->sections) next.emplace_back(name + "." + sub, value);
      }
      sections = std::move(next);
    }
    return out;
  }

 private:
  struct Dumped {
    std::string text;
    std::vector<std::pair<std::string, Value>> sections;  // qualified name → table
  };

  tl::unexpected<base::Status> Deep() {
    return base::Fail(c_.Unsupported("unsupported: toml.dumps() nesting deeper than " +
                                     std::to_string(kMaxDumpDepth)));
  }

  // A table's keys: scalars and arrays as `key = value` lines, then its
  // arrays of tables, and its sub-tables returned for the caller to write.
  Result<Dumped> DumpSections(const Value& table, std::string prefix, int depth) {
    if (depth > kMaxDumpDepth) return Deep();
    if (!prefix.empty() && !prefix.ends_with(".")) prefix += ".";
    auto keys = IterateValue(c_, table);
    if (!keys) return base::Fail(keys.error());
    Dumped out;
    std::string arrays;
    for (const Value& key : *keys) {
      auto text = c_.Text(key, false);
      if (!text) return base::Fail(text.error());
      std::string section = *text;
      std::string quoted = section;
      if (!IsBareKey(section)) {
        auto dumped = DumpStr(c_, StrRepr(section));
        if (!dumped) return base::Fail(dumped.error());
        quoted = *dumped;
      }
      auto item = Subscript(table, Value::Str(section));
      if (!item) return base::Fail(item.error());
      const Value& value = *item;
      if (value.Is(Kind::kDict)) {
        out.sections.emplace_back(quoted, value);
        continue;
      }
      bool array_of_tables = false;
      if (value.Is(Kind::kList)) {
        for (const Value& element : value.Items()) array_of_tables |= element.Is(Kind::kDict);
      }
      if (!array_of_tables) {
        if (value.IsNone()) continue;
        auto dumped = DumpValue(value, depth);
        if (!dumped) return base::Fail(dumped.error());
        out.text += quoted + " = " + *dumped + "\n";
        continue;
      }
      for (const Value& element : value.Items()) {
        std::string tables = "\n";
        arrays += "[[" + prefix + quoted + "]]\n";
        auto inner = DumpSections(element, prefix + quoted, depth + 1);
        if (!inner) return base::Fail(inner.error());
        if (!inner->text.empty()) {
          if (inner->text[0] == '[') {
            tables += inner->text;
          } else {
            arrays += inner->text;
          }
        }
        std::vector<std::pair<std::string, Value>> pending = std::move(inner->sections);
        for (int level = depth + 2; !pending.empty(); ++level) {
          if (level > kMaxDumpDepth) return Deep();
          std::vector<std::pair<std::string, Value>> next;
          for (const auto& [name, sub] : pending) {
            auto nested = DumpSections(sub, prefix + quoted + "." + name, level);
            if (!nested) return base::Fail(nested.error());
            if (!nested->text.empty()) {
              tables += "[" + prefix + quoted + "." + name + "]\n" + nested->text;
            }
            for (auto& [deeper, table_value] : nested->sections)
              next.emplace_back(name + "." + deeper, table_value);
          }
          pending = std::move(next);
        }
        arrays += tables;
      }
    }
    out.text += arrays;
    return out;
  }

  // table[key] for a dict (or a mapping instance).
  Result<Value> Subscript(const Value& table, const Value& key) {
    if (table.Is(Kind::kDict)) {
      if (Value* found = table.AsDict().Find(key)) return *found;
      return base::Fail(c_.ThrowKeyError(key));
    }
    auto getitem = c_.GetAttr(table, "__getitem__");
    if (!getitem) return getitem;
    return c_.Call(*getitem, Args{{key}, {}});
  }

  // toml 0.10's dump_value: by exact type, anything iterable as a list,
  // the rest through _dump_str of its repr().
  Result<std::string> DumpValue(const Value& value, int depth) {
    if (depth > kMaxDumpDepth) return Deep();
    switch (value.kind()) {
      case Kind::kStr:
        return DumpStr(c_, StrRepr(value.AsStr()));
      case Kind::kBool:
        return std::string(value.AsBool() ? "true" : "false");
      case Kind::kInt:
        return std::to_string(value.AsInt());
      case Kind::kFloat: {
        std::string text = FloatRepr(value.AsFloat());
        for (const char* exponent : {"e+0", "e-0"}) {
          if (size_t at = text.find(exponent); at != std::string::npos) text.erase(at + 2, 1);
        }
        return text;
      }
      case Kind::kList:
      case Kind::kTuple:
      case Kind::kSet:
      case Kind::kDict:
        return DumpList(value, depth);
      default:
        break;
    }
    if (const DateTimeValue* stamp = AsDateTime(value);
        stamp != nullptr && stamp->kind() != DateTimeValue::Kind::kTimedelta) {
      return stamp->IsoFormat();
    }
    auto text = c_.Text(value, true);
    if (!text) return base::Fail(text.error());
    return DumpStr(c_, *text);
  }

  Result<std::string> DumpList(const Value& list, int depth) {
    auto items = IterateValue(c_, list);
    if (!items) return base::Fail(items.error());
    std::string out = "[";
    for (const Value& item : *items) {
      auto dumped = DumpValue(item, depth + 1);
      if (!dumped) return dumped;
      out += " " + *dumped + ",";
    }
    return out + "]";
  }

  CallContext& c_;
};

}  // namespace

Value MakeTomllibModule(const std::string& name) {
  Value module = NewModule(name);
  std::shared_ptr<ClassObject> error_class = DecodeErrorClass("TOMLDecodeError");
  module.AsModule().attributes["TOMLDecodeError"] = Value::Class(error_class);
  AddModuleFunction(module, "loads", [error_class](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "loads", a, 1, 1, {"parse_float"}));
    SQLMEND_RETURN_IF_ERROR(CheckParseFloat(c, a));
    const Value& text = a.positional[0];
    if (text.Is(Kind::kBytes)) {
      // What s.replace("\r\n", "\n") raises for bytes.
      return base::Fail(c.Throw("TypeError", "a bytes-like object is required, not 'str'"));
    }
    if (!text.Is(Kind::kStr)) {
      return base::Fail(
          c.Throw("AttributeError", "'" + text.TypeName() + "' object has no attribute 'replace'"));
    }
    return LoadsTomllib(c, error_class, text.AsStr());
  });
  AddModuleFunction(module, "load", [error_class](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "load", a, 1, 1, {"parse_float"}));
    SQLMEND_RETURN_IF_ERROR(CheckParseFloat(c, a));
    auto read = c.GetAttr(a.positional[0], "read");
    if (!read) return read;
    auto octets = c.Call(*read, Args{});
    if (!octets) return octets;
    if (!octets->Is(Kind::kBytes)) {
      return base::Fail(c.Throw(
          "TypeError", "File must be opened in binary mode, e.g. use `open('foo.toml', 'rb')`"));
    }
    return LoadsTomllib(c, error_class, octets->AsBytes());
  });
  return module;
}

Value MakeTomlModule() {
  Value module = NewModule("toml");
  std::shared_ptr<ClassObject> error_class = DecodeErrorClass("TomlDecodeError");
  module.AsModule().attributes["TomlDecodeError"] = Value::Class(error_class);
  module.AsModule().attributes["__version__"] = Value::Str("0.10.2");
  AddModuleFunction(module, "loads", [error_class](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "loads", a, 1, 3, {"_dict", "decoder"}));
    SQLMEND_RETURN_IF_ERROR(CheckTomlOptions(c, a));
    const Value& text = a.positional[0];
    if (!text.IsText()) {
      return base::Fail(c.Throw("TypeError", "Expecting something like a string"));
    }
    return LoadsToml(c, error_class, text.AsStr());
  });
  // load(): a path (str or pathlib), a list of paths merged in order
  // (missing ones skipped, FileNotFoundError when none exists), or a file.
  AddModuleFunction(module, "load", [error_class](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "load", a, 1, 3, {"_dict", "decoder"}));
    SQLMEND_RETURN_IF_ERROR(CheckTomlOptions(c, a));
    const Value& source = a.positional[0];
    if (std::optional<std::string> path = PathText(source)) {
      auto text = ReadTextFile(c, *path);
      if (!text) return base::Fail(text.error());
      return LoadsToml(c, error_class, *text);
    }
    if (source.Is(Kind::kList)) {
      Value merged = Value::Dict();
      bool any = false;
      for (const Value& entry : source.Items()) {
        std::optional<std::string> path = PathText(entry);
        if (!path) continue;
        auto text = ReadTextFile(c, *path);
        if (!text) {
          if (c.Catch(text.error(), "FileNotFoundError")) continue;
          return base::Fail(text.error());
        }
        any = true;
        auto document = LoadsToml(c, error_class, *text);
        if (!document) return document;
        for (auto& [key, value] : document->AsDict().entries) merged.AsDict().Set(key, value);
      }
      if (!any) {
        return base::Fail(c.Throw("FileNotFoundError",
                                  "Load expects a list to contain filenames only.\nThe list "
                                  "needs to contain the path of at least one existing file."));
      }
      return merged;
    }
    auto read = c.GetAttr(source, "read");
    if (!read) {
      if (!c.Catch(read.error(), "AttributeError")) return read;
      return base::Fail(
          c.Throw("TypeError", "You can only load a file descriptor, filename or list"));
    }
    auto text = c.Call(*read, Args{});
    if (!text) return text;
    if (!text->IsText()) {
      return base::Fail(c.Throw("TypeError", "Expecting something like a string"));
    }
    return LoadsToml(c, error_class, text->AsStr());
  });
  AddModuleFunction(module, "dumps", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "dumps", a, 1, 1, {"encoder"}));
    if (const Value* encoder = KeywordArg(a, "encoder"); encoder != nullptr && !encoder->IsNone())
      return base::Fail(c.Unsupported("unsupported: toml.dumps() with encoder="));
    auto text = TomlEncoder(c).Dumps(a.positional[0]);
    if (!text) return base::Fail(text.error());
    return Value::Str(std::move(*text));
  });
  // dump(o, f): writes dumps(o) with f.write() and returns it.
  AddModuleFunction(module, "dump", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "dump", a, 2, 2, {"encoder"}));
    if (const Value* encoder = KeywordArg(a, "encoder"); encoder != nullptr && !encoder->IsNone())
      return base::Fail(c.Unsupported("unsupported: toml.dump() with encoder="));
    auto write = c.GetAttr(a.positional[1], "write");
    if (!write) return write;
    auto text = TomlEncoder(c).Dumps(a.positional[0]);
    if (!text) return base::Fail(text.error());
    Value dumped = Value::Str(std::move(*text));
    auto written = c.Call(*write, Args{{dumped}, {}});
    if (!written) return written;
    return dumped;
  });
  return module;
}

}  // namespace sqlmend::python
