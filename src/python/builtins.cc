#include "python/builtins.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "python/bytes_type.h"
#include "python/format.h"
#include "python/interpreter.h"
#include "python/operators.h"
#include "python/placeholder.h"
#include "python/string_literal.h"

namespace sqlmend::python {
namespace {

using base::Result;
using base::Status;
using Kind = Value::Kind;

// The code points of a UTF-8 str, each as a str.
std::vector<Value> Characters(const std::string& text) {
  std::vector<Value> out;
  for (size_t i = 0; i < text.size();) {
    size_t length = 1;
    while (i + length < text.size() &&
           (static_cast<unsigned char>(text[i + length]) & 0xC0) == 0x80) {
      ++length;
    }
    out.push_back(Value::Str(text.substr(i, length)));
    i += length;
  }
  return out;
}

Result<std::vector<Value>> SortedItems(CallContext& context, std::vector<Value> items,
                                       const Value* key, bool reverse) {
  std::vector<Value> keys = items;
  if (key != nullptr && !key->IsNone()) {
    for (size_t i = 0; i < items.size(); ++i) {
      auto k = context.Call(*key, Args{{items[i]}, {}});
      if (!k) return base::Fail(k.error());
      keys[i] = *k;
    }
  }
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  Status error;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (!error.ok()) return false;
    auto less = reverse ? LessThan(context, keys[b], keys[a]) : LessThan(context, keys[a], keys[b]);
    if (!less) {
      error = less.error();
      return false;
    }
    return *less;
  });
  if (!error.ok()) return base::Fail(error);
  std::vector<Value> out;
  for (size_t i : order) out.push_back(items[i]);
  return out;
}

Result<Value> MinMax(CallContext& context, Args& args, bool want_max) {
  std::string name = want_max ? "max" : "min";
  SQLMEND_RETURN_IF_ERROR(CheckArgs(context, name, args, 1, SIZE_MAX, {"key", "default"}));
  std::vector<Value> items = args.positional;
  if (items.size() == 1) {
    auto iterated = IterateValue(context, items[0]);
    if (!iterated) return base::Fail(iterated.error());
    items = std::move(*iterated);
  }
  if (items.empty()) {
    if (const Value* fallback = KeywordArg(args, "default")) return *fallback;
    return base::Fail(context.Throw("ValueError", name + "() arg is an empty sequence"));
  }
  const Value* key = KeywordArg(args, "key");
  size_t best = 0;
  Value best_key = items[0];
  for (size_t i = 0; i < items.size(); ++i) {
    Value k = items[i];
    if (key != nullptr) {
      auto computed = context.Call(*key, Args{{items[i]}, {}});
      if (!computed) return computed;
      k = *computed;
    }
    if (i == 0) {
      best_key = k;
      continue;
    }
    auto better = want_max ? LessThan(context, best_key, k) : LessThan(context, k, best_key);
    if (!better) return base::Fail(better.error());
    if (*better) {
      best = i;
      best_key = k;
    }
  }
  return items[best];
}

Result<Value> ParseInt(CallContext& context, const std::string& text, int base) {
  std::string digits;
  for (char c : text) {
    if (c != '_' && c != ' ' && c != '\t' && c != '\n') digits += c;
  }
  int64_t value = 0;
  const char* begin = digits.data();
  const char* end = digits.data() + digits.size();
  bool negative = begin != end && *begin == '-';
  if (begin != end && (*begin == '+' || *begin == '-')) ++begin;
  // int('0x1f', 16) accepts the prefix of its base, as Python does.
  if (end - begin > 2 && begin[0] == '0') {
    char marker = static_cast<char>(begin[1] | 0x20);
    if ((base == 16 && marker == 'x') || (base == 8 && marker == 'o') ||
        (base == 2 && marker == 'b'))
      begin += 2;
  }
  std::string unsigned_digits = (negative ? "-" : "") + std::string(begin, end);
  begin = unsigned_digits.data();
  end = begin + unsigned_digits.size();
  auto [ptr, ec] = std::from_chars(begin, end, value, base);
  if (ec == std::errc::result_out_of_range) {
    return base::Fail(context.Unsupported("unsupported: int beyond 64 bits"));
  }
  if (ec != std::errc() || ptr != end || begin == end || (begin + 1 == end && negative)) {
    return base::Fail(context.Throw("ValueError", "invalid literal for int() with base " +
                                                      std::to_string(base) + ": " + StrRepr(text)));
  }
  return Value::Int(value);
}

// The result of a special method the argument's class defines, checked to
// be of `kind` (float() of __float__ must be a float, ...), or std::nullopt
// when the argument is not an instance with that method.
Result<std::optional<Value>> SpecialConversion(CallContext& context, const Value& value,
                                               const char* method, Kind kind,
                                               std::vector<Value> arguments = {}) {
  auto result = context.CallSpecialMethod(value, method, std::move(arguments));
  if (!result || !*result) return result;
  if (kind != Kind::kNone && !(*result)->Is(kind) &&
      !(kind == Kind::kFloat && (*result)->Is(Kind::kInt))) {
    const char* expected = kind == Kind::kInt ? "int" : "float";
    return base::Fail(context.Throw("TypeError", std::string(method) + " returned non-" +
                                                     expected + " (type " +
                                                     (*result)->TypeName() + ")"));
  }
  return result;
}

Result<Value> ToInt(CallContext& context, Args& args) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(context, "int", args, 0, 2, {"base"}));
  if (args.positional.empty()) return Value::Int(0);
  const Value& v = args.positional[0];
  for (const char* method : {"__int__", "__index__"}) {
    auto special = SpecialConversion(context, v, method, Kind::kInt);
    if (!special) return base::Fail(special.error());
    if (*special) return std::move(**special);
  }
  int base = 10;
  if (args.positional.size() == 2) base = static_cast<int>(args.positional[1].AsInt());
  if (const Value* b = KeywordArg(args, "base")) base = static_cast<int>(b->AsInt());
  if (v.IsText()) return ParseInt(context, v.AsStr(), base);  // int(b"12") too
  if (v.Is(Kind::kInt) || v.Is(Kind::kBool)) return Value::Int(v.AsInt());
  if (v.Is(Kind::kFloat)) {
    double f = std::trunc(v.AsFloat());
    if (std::isnan(f) || std::isinf(f) || std::fabs(f) >= 9.2e18) {
      return base::Fail(context.Throw(
          "ValueError", "cannot convert float " + FloatRepr(v.AsFloat()) + " to integer"));
    }
    return Value::Int(static_cast<int64_t>(f));
  }
  return base::Fail(context.Throw(
      "TypeError", "int() argument must be a string, a bytes-like object or a real number, not '" +
                       v.TypeName() + "'"));
}

Result<Value> ToFloat(CallContext& context, Args& args) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(context, "float", args, 0, 1));
  if (args.positional.empty()) return Value::Float(0);
  const Value& v = args.positional[0];
  auto special = SpecialConversion(context, v, "__float__", Kind::kFloat);
  if (!special) return base::Fail(special.error());
  if (*special) return Value::Float((*special)->AsFloat());
  if (v.IsNumber()) return Value::Float(v.AsFloat());
  if (v.Is(Kind::kStr)) {
    std::string text = v.AsStr();
    std::string trimmed;
    for (char c : text) {
      if (c != ' ' && c != '_') trimmed += c;
    }
    std::string lower = trimmed;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower == "inf" || lower == "+inf" || lower == "infinity") return Value::Float(INFINITY);
    if (lower == "-inf" || lower == "-infinity") return Value::Float(-INFINITY);
    if (lower == "nan") return Value::Float(NAN);
    double value = 0;
    const char* begin = trimmed.data();
    if (!trimmed.empty() && *begin == '+') ++begin;
    auto [ptr, ec] = std::from_chars(begin, trimmed.data() + trimmed.size(), value);
    if (ec == std::errc() && ptr == trimmed.data() + trimmed.size() && !trimmed.empty()) {
      return Value::Float(value);
    }
    return base::Fail(
        context.Throw("ValueError", "could not convert string to float: " + StrRepr(text)));
  }
  return base::Fail(context.Throw(
      "TypeError",
      "float() argument must be a string or a real number, not '" + v.TypeName() + "'"));
}

// isinstance(x, t) for one t: a class, or a builtin type function (str, int).
bool IsInstanceOf(const Value& value, const Value& type) {
  if (type.Is(Kind::kClass)) {
    if (type.AsClass()->name == "object" && type.AsClass()->bases.empty()) return true;
    // A class is an instance of its metaclass (isinstance(cls, ABCMeta)).
    if (value.Is(Kind::kClass)) {
      const auto& metaclass = value.AsClass()->metaclass;
      return metaclass != nullptr && metaclass->IsSubclassOf(*type.AsClass());
    }
    return value.Is(Kind::kInstance) &&
           value.AsInstance().class_object->IsSubclassOf(*type.AsClass());
  }
  if (type.Is(Kind::kHost)) return type.AsHost().IsInstance(value);
  if (type.Is(Kind::kBuiltin)) {
    const std::string& name = type.AsBuiltin().name;
    if (name == "int" && value.Is(Kind::kBool)) return true;
    if (value.Is(Kind::kInstance)) return value.AsInstance().class_object->BuiltinBase() == name;
    return value.TypeName() == name;
  }
  return false;
}

Result<Value> Collection(CallContext& context, Args& args, std::string_view name) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(context, name, args, 0, 1));
  std::vector<Value> items;
  if (!args.positional.empty()) {
    auto iterated = IterateValue(context, args.positional[0]);
    if (!iterated) return base::Fail(iterated.error());
    items = std::move(*iterated);
  }
  if (name == "list") return Value::List(std::move(items));
  if (name == "tuple") return Value::Tuple(std::move(items));
  return Value::Set(std::move(items));
}

Result<Value> MakeDict(CallContext& context, Args& args) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(context, "dict", args, 0, 1, {"*"}));
  Value out = Value::Dict();
  if (!args.positional.empty()) {
    const Value& source = BuiltinValueOf(args.positional[0]);
    if (source.Is(Kind::kDict)) {
      for (const auto& [k, v] : source.AsDict().entries) out.AsDict().Set(k, v);
    } else {
      auto pairs = IterateValue(context, source);
      if (!pairs) return base::Fail(pairs.error());
      for (const Value& pair : *pairs) {
        if (!pair.IsSequence() || pair.Items().size() != 2) {
          return base::Fail(
              context.Throw("ValueError", "dictionary update sequence element has wrong length"));
        }
        out.AsDict().Set(pair.Items()[0], pair.Items()[1]);
      }
    }
  }
  for (const auto& [k, v] : args.keywords) out.AsDict().Set(Value::Str(k), v);
  return out;
}

Result<Value> Range(CallContext& context, Args& args) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(context, "range", args, 1, 3));
  int64_t start = 0, stop = 0, step = 1;
  for (const Value& v : args.positional) {
    if (!v.Is(Kind::kInt) && !v.Is(Kind::kBool)) {
      return base::Fail(context.Throw(
          "TypeError", "'" + v.TypeName() + "' object cannot be interpreted as an integer"));
    }
  }
  if (args.positional.size() == 1) {
    stop = args.positional[0].AsInt();
  } else {
    start = args.positional[0].AsInt();
    stop = args.positional[1].AsInt();
    if (args.positional.size() == 3) step = args.positional[2].AsInt();
  }
  if (step == 0) return base::Fail(context.Throw("ValueError", "range() arg 3 must not be zero"));
  std::vector<Value> items;
  for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
    if (static_cast<int64_t>(items.size()) >= kMaxIterations) {
      return base::Fail(context.Unsupported("unsupported: range() of more than " +
                                            std::to_string(kMaxIterations) + " items"));
    }
    items.push_back(Value::Int(i));
    if ((step > 0 && i > INT64_MAX - step) || (step < 0 && i < INT64_MIN - step)) break;
  }
  return Value::List(std::move(items));
}

Result<Value> Zip(CallContext& context, Args& args) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(context, "zip", args, 0, SIZE_MAX, {"strict"}));
  std::vector<std::vector<Value>> sources;
  size_t shortest = SIZE_MAX;
  for (const Value& v : args.positional) {
    auto items = IterateValue(context, v);
    if (!items) return base::Fail(items.error());
    shortest = std::min(shortest, items->size());
    sources.push_back(std::move(*items));
  }
  std::vector<Value> out;
  for (size_t i = 0; !sources.empty() && i < shortest; ++i) {
    std::vector<Value> row;
    for (const auto& source : sources) row.push_back(source[i]);
    out.push_back(Value::Tuple(std::move(row)));
  }
  return Value::List(std::move(out));
}

Result<Value> Sum(CallContext& context, Args& args) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(context, "sum", args, 1, 2, {"start"}));
  Value total = Value::Int(0);
  if (args.positional.size() == 2) total = args.positional[1];
  if (const Value* start = KeywordArg(args, "start")) total = *start;
  auto items = IterateValue(context, args.positional[0]);
  if (!items) return base::Fail(items.error());
  for (const Value& item : *items) {
    auto next = context.Operate("+", total, item);
    if (!next) return next;
    total = std::move(*next);
  }
  return total;
}

Result<Value> Round(CallContext& context, Args& args) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(context, "round", args, 1, 2, {"ndigits"}));
  const Value& v = args.positional[0];
  const Value* digits =
      args.positional.size() == 2 ? &args.positional[1] : KeywordArg(args, "ndigits");
  auto special = SpecialConversion(context, v, "__round__", Kind::kNone,
                                   digits != nullptr ? std::vector<Value>{*digits}
                                                     : std::vector<Value>{});
  if (!special) return base::Fail(special.error());
  if (*special) return std::move(**special);
  if (!v.IsNumber())
    return base::Fail(
        context.Throw("TypeError", "type " + v.TypeName() + " doesn't define __round__ method"));
  if (v.Is(Kind::kInt) || v.Is(Kind::kBool)) return Value::Int(v.AsInt());
  if (digits == nullptr || digits->IsNone()) {
    // Python rounds half to even.
    double r = std::nearbyint(v.AsFloat());
    if (std::isnan(r) || std::isinf(r))
      return base::Fail(context.Throw("ValueError", "cannot convert float to integer"));
    return Value::Int(static_cast<int64_t>(r));
  }
  // Correctly rounded through the decimal text, as CPython does.
  char buffer[400];
  int64_t n = digits->AsInt();
  if (n < 0 || n > 300) return Value::Float(v.AsFloat());
  std::snprintf(buffer, sizeof buffer, "%.*f", static_cast<int>(n), v.AsFloat());
  return Value::Float(std::strtod(buffer, nullptr));
}

}  // namespace

Result<std::vector<Value>> IterateValue(CallContext& context, const Value& value) {
  switch (value.kind()) {
    case Kind::kList:
    case Kind::kTuple:
    case Kind::kSet:
      return value.Items();
    case Kind::kStr:
      return Characters(value.AsStr());
    case Kind::kBytes: {
      std::vector<Value> octets;
      for (char octet : value.AsBytes()) {
        octets.push_back(Value::Int(static_cast<unsigned char>(octet)));
      }
      return octets;
    }
    case Kind::kDict: {
      std::vector<Value> keys;
      for (const auto& entry : value.AsDict().entries) keys.push_back(entry.first);
      return keys;
    }
    case Kind::kHost:
      return value.AsHost().Iterate(context);
    case Kind::kInstance:
      return IterateInstance(context, value);
    default:
      return base::Fail(
          context.Throw("TypeError", "'" + value.TypeName() + "' object is not iterable"));
  }
}

Status CheckArgs(CallContext& context, std::string_view function, const Args& args, size_t min,
                 size_t max, std::initializer_list<std::string_view> allowed_keywords) {
  for (const auto& [name, value] : args.keywords) {
    bool allowed = false;
    for (std::string_view k : allowed_keywords) allowed = allowed || k == name || k == "*";
    if (!allowed) {
      return context.Throw("TypeError", std::string(function) +
                                            "() got an unexpected keyword argument '" + name + "'");
    }
  }
  size_t n = args.positional.size();
  if (n < min || n > max) {
    std::string expected = min == max ? std::to_string(min)
                           : n < min  ? "at least " + std::to_string(min)
                                      : "at most " + std::to_string(max);
    return context.Throw("TypeError", std::string(function) + "() takes " + expected + " argument" +
                                          (min == max && min == 1 ? "" : "s") + " (" +
                                          std::to_string(n) + " given)");
  }
  return Status::Ok();
}

const Value* KeywordArg(const Args& args, std::string_view name) {
  for (const auto& [k, v] : args.keywords) {
    if (k == name) return &v;
  }
  return nullptr;
}

void InstallBuiltins(Scope& scope) {
  auto add = [&](std::string name, NativeFunction function) {
    scope.names[name] = Value::Builtin(name, std::move(function));
  };
  add("len", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "len", a, 1, 1));
    auto length = SpecialConversion(c, a.positional[0], "__len__", Kind::kInt);
    if (!length) return base::Fail(length.error());
    if (*length) return std::move(**length);
    const Value& v = BuiltinValueOf(a.positional[0]);
    if (v.Is(Kind::kStr)) return Value::Int(static_cast<int64_t>(CodePointCount(v.AsStr())));
    if (v.Is(Kind::kBytes)) return Value::Int(static_cast<int64_t>(v.AsBytes().size()));
    if (v.IsSequence() || v.Is(Kind::kSet))
      return Value::Int(static_cast<int64_t>(v.Items().size()));
    if (v.Is(Kind::kDict)) return Value::Int(static_cast<int64_t>(v.AsDict().entries.size()));
    if (v.Is(Kind::kHost)) {
      auto items = v.AsHost().Iterate(c);
      if (!items) return base::Fail(items.error());
      return Value::Int(static_cast<int64_t>(items->size()));
    }
    return base::Fail(c.Throw("TypeError", "object of type '" + v.TypeName() + "' has no len()"));
  });
  add("range", Range);
  add("zip", Zip);
  add("sum", Sum);
  add("round", Round);
  add("int", ToInt);
  add("float", ToFloat);
  add("dict", MakeDict);
  add("list", [](CallContext& c, Args& a) { return Collection(c, a, "list"); });
  add("tuple", [](CallContext& c, Args& a) { return Collection(c, a, "tuple"); });
  add("set", [](CallContext& c, Args& a) { return Collection(c, a, "set"); });
  add("frozenset", [](CallContext& c, Args& a) { return Collection(c, a, "set"); });
  add("min", [](CallContext& c, Args& a) { return MinMax(c, a, false); });
  add("max", [](CallContext& c, Args& a) { return MinMax(c, a, true); });
  add("enumerate", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "enumerate", a, 1, 2, {"start"}));
    int64_t start = a.positional.size() == 2 ? a.positional[1].AsInt() : 0;
    if (const Value* s = KeywordArg(a, "start")) start = s->AsInt();
    auto items = IterateValue(c, a.positional[0]);
    if (!items) return base::Fail(items.error());
    std::vector<Value> out;
    for (Value& item : *items) out.push_back(Value::Tuple({Value::Int(start++), std::move(item)}));
    return Value::List(std::move(out));
  });
  add("sorted", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "sorted", a, 1, 1, {"key", "reverse"}));
    auto items = IterateValue(c, a.positional[0]);
    if (!items) return base::Fail(items.error());
    const Value* reverse = KeywordArg(a, "reverse");
    auto sorted = SortedItems(c, std::move(*items), KeywordArg(a, "key"),
                              reverse != nullptr && reverse->Truthy());
    if (!sorted) return base::Fail(sorted.error());
    return Value::List(std::move(*sorted));
  });
  add("reversed", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "reversed", a, 1, 1));
    auto items = IterateValue(c, a.positional[0]);
    if (!items) return base::Fail(items.error());
    std::reverse(items->begin(), items->end());
    return Value::List(std::move(*items));
  });
  add("any", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "any", a, 1, 1));
    auto items = IterateValue(c, a.positional[0]);
    if (!items) return base::Fail(items.error());
    for (const Value& v : *items) {
      auto truth = c.Truth(v);
      if (!truth) return base::Fail(truth.error());
      if (*truth) return Value::Bool(true);
    }
    return Value::Bool(false);
  });
  add("all", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "all", a, 1, 1));
    auto items = IterateValue(c, a.positional[0]);
    if (!items) return base::Fail(items.error());
    for (const Value& v : *items) {
      auto truth = c.Truth(v);
      if (!truth) return base::Fail(truth.error());
      if (!*truth) return Value::Bool(false);
    }
    return Value::Bool(true);
  });
  add("map", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "map", a, 2, SIZE_MAX));
    Args rest{{a.positional.begin() + 1, a.positional.end()}, {}};
    auto rows = Zip(c, rest);
    if (!rows) return rows;
    std::vector<Value> out;
    for (const Value& row : rows->Items()) {
      auto v = c.Call(a.positional[0], Args{row.Items(), {}});
      if (!v) return v;
      out.push_back(std::move(*v));
    }
    return Value::List(std::move(out));
  });
  add("filter", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "filter", a, 2, 2));
    auto items = IterateValue(c, a.positional[1]);
    if (!items) return base::Fail(items.error());
    std::vector<Value> out;
    for (const Value& item : *items) {
      Value decides = item;
      if (!a.positional[0].IsNone()) {
        auto v = c.Call(a.positional[0], Args{{item}, {}});
        if (!v) return v;
        decides = std::move(*v);
      }
      auto keep = c.Truth(decides);
      if (!keep) return base::Fail(keep.error());
      if (*keep) out.push_back(item);
    }
    return Value::List(std::move(out));
  });
  add("isinstance", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "isinstance", a, 2, 2));
    const Value& types = a.positional[1];
    if (types.Is(Kind::kTuple)) {
      for (const Value& t : types.Items()) {
        if (IsInstanceOf(a.positional[0], t)) return Value::Bool(true);
      }
      return Value::Bool(false);
    }
    return Value::Bool(IsInstanceOf(a.positional[0], types));
  });
  add("issubclass", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "issubclass", a, 2, 2));
    if (a.positional[0].Is(Kind::kClass) && a.positional[1].Is(Kind::kBuiltin)) {
      // issubclass(Keys, list) for a class deriving from a builtin type.
      return Value::Bool(a.positional[0].AsClass()->BuiltinBase() ==
                         a.positional[1].AsBuiltin().name);
    }
    if (!a.positional[0].Is(Kind::kClass) || !a.positional[1].Is(Kind::kClass)) {
      return base::Fail(c.Throw("TypeError", "issubclass() arg 1 must be a class"));
    }
    return Value::Bool(a.positional[0].AsClass()->IsSubclassOf(*a.positional[1].AsClass()));
  });
  add("bytes", MakeBytes);
  add("str", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "str", a, 0, 3, {"object", "encoding", "errors"}));
    const Value* object = a.positional.empty() ? KeywordArg(a, "object") : &a.positional[0];
    if (object == nullptr) return Value::Str("");
    if (a.positional.size() > 1 || KeywordArg(a, "encoding") != nullptr ||
        KeywordArg(a, "errors") != nullptr) {
      // str(b, encoding, errors) decodes, as b.decode(encoding, errors).
      if (object->Is(Kind::kStr)) {
        return base::Fail(c.Throw("TypeError", "decoding str is not supported"));
      }
      if (!object->Is(Kind::kBytes)) {
        return base::Fail(c.Throw("TypeError", "decoding to str: need a bytes-like object, " +
                                                   object->TypeName() + " found"));
      }
      auto codec = ReadCodecArgs(c, "str", a, 1);
      if (!codec) return base::Fail(codec.error());
      auto text = DecodeOctets(c, object->AsBytes(), codec->encoding, codec->errors);
      if (!text) return base::Fail(text.error());
      return Value::Str(std::move(*text));
    }
    auto text = c.Text(*object, false);
    if (!text) return base::Fail(text.error());
    return Value::Str(std::move(*text));
  });
  add("repr", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "repr", a, 1, 1));
    auto text = c.Text(a.positional[0], true);
    if (!text) return base::Fail(text.error());
    return Value::Str(std::move(*text));
  });
  add("bool", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "bool", a, 0, 1));
    if (a.positional.empty()) return Value::Bool(false);
    auto truth = c.Truth(a.positional[0]);
    if (!truth) return base::Fail(truth.error());
    return Value::Bool(*truth);
  });
  add("abs", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "abs", a, 1, 1));
    const Value& v = a.positional[0];
    auto special = SpecialConversion(c, v, "__abs__", Kind::kNone);
    if (!special) return base::Fail(special.error());
    if (*special) return std::move(**special);
    if (v.Is(Kind::kFloat)) return Value::Float(std::fabs(v.AsFloat()));
    if (v.IsNumber()) {
      if (v.AsInt() >= 0) return Value::Int(v.AsInt());
      return UnaryOperation(c, "-", v);
    }
    return base::Fail(c.Throw("TypeError", "bad operand type for abs(): '" + v.TypeName() + "'"));
  });
  add("divmod", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "divmod", a, 2, 2));
    auto q = BinaryOperation(c, "//", a.positional[0], a.positional[1]);
    if (!q) return q;
    auto r = BinaryOperation(c, "%", a.positional[0], a.positional[1]);
    if (!r) return r;
    return Value::Tuple({*q, *r});
  });
  add("ord", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "ord", a, 1, 1));
    const Value& v = a.positional[0];
    if (v.Is(Kind::kBytes) && v.AsBytes().size() == 1) {
      return Value::Int(static_cast<unsigned char>(v.AsBytes()[0]));
    }
    if (!v.Is(Kind::kStr) || CodePointCount(v.AsStr()) != 1) {
      return base::Fail(c.Throw("TypeError", "ord() expected a character"));
    }
    const std::string& s = v.AsStr();
    auto byte = [&](size_t i) { return static_cast<int64_t>(static_cast<unsigned char>(s[i])); };
    if (s.size() == 1) return Value::Int(byte(0));
    int64_t cp = byte(0) & (s.size() == 2 ? 0x1F : s.size() == 3 ? 0x0F : 0x07);
    for (size_t i = 1; i < s.size(); ++i) cp = (cp << 6) | (byte(i) & 0x3F);
    return Value::Int(cp);
  });
  add("chr", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "chr", a, 1, 1));
    int64_t cp = a.positional[0].AsInt();
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) {
      return base::Fail(c.Throw("ValueError", "chr() arg not in range(0x110000)"));
    }
    std::string out;
    AppendUtf8(static_cast<uint32_t>(cp), out);
    return Value::Str(std::move(out));
  });
  add("format", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "format", a, 1, 2));
    auto text =
        FormatValue(c, a.positional[0], a.positional.size() == 2 ? a.positional[1].AsStr() : "");
    if (!text) return base::Fail(text.error());
    return Value::Str(std::move(*text));
  });
  add("print", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "print", a, 0, SIZE_MAX, {"sep", "end", "file", "flush"}));
    std::string out;
    const Value* sep = KeywordArg(a, "sep");
    for (size_t i = 0; i < a.positional.size(); ++i) {
      if (i > 0) out += sep != nullptr && sep->Is(Kind::kStr) ? sep->AsStr() : " ";
      auto text = c.Text(a.positional[i], false);
      if (!text) return base::Fail(text.error());
      out += *text;
    }
    c.Log("print", out);
    return Value::None();
  });
  // dir(obj) of a module, a class or an instance: the names it defines or
  // inherits from the script's classes, sorted (object's own dunder methods,
  // which CPython lists too, are not).
  add("dir", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "dir", a, 1, 1));
    const Value& object = a.positional[0];
    std::set<std::string> names;
    std::function<void(const ClassObject&)> add_class = [&](const ClassObject& class_object) {
      for (const auto& entry : class_object.attributes) names.insert(entry.first);
      for (const auto& base : class_object.bases) add_class(*base);
    };
    switch (object.kind()) {
      case Kind::kModule:
        for (const auto& entry : object.AsModule().attributes) names.insert(entry.first);
        break;
      case Kind::kClass:
        add_class(*object.AsClass());
        break;
      case Kind::kInstance:
        for (const auto& entry : object.AsInstance().attributes) names.insert(entry.first);
        add_class(*object.AsInstance().class_object);
        break;
      default:
        if (IsPlaceholder(object)) {
          // Listed as empty, as iterating one is (and said with a warning).
          auto items = object.AsHost().Iterate(c);
          if (!items) return base::Fail(items.error());
          break;
        }
        return base::Fail(c.Unsupported("unsupported: dir() of a " + object.TypeName() +
                                        " (modules, classes and instances are modelled)"));
    }
    std::vector<Value> out;
    for (const std::string& name : names) out.push_back(Value::Str(name));
    return Value::List(std::move(out));
  });
  add("callable", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "callable", a, 1, 1));
    Kind k = a.positional[0].kind();
    // An instance is callable when its class defines __call__.
    if (k == Kind::kInstance) {
      return Value::Bool(a.positional[0].AsInstance().class_object->Lookup("__call__") != nullptr);
    }
    return Value::Bool(k == Kind::kFunction || k == Kind::kBuiltin || k == Kind::kBoundMethod ||
                       k == Kind::kClass || k == Kind::kHost);
  });
  add("getattr", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "getattr", a, 2, 3));
    if (!a.positional[1].Is(Kind::kStr)) {
      return base::Fail(c.Throw("TypeError", "attribute name must be string"));
    }
    auto v = c.GetAttr(a.positional[0], a.positional[1].AsStr());
    if (!v && a.positional.size() == 3 && c.Catch(v.error(), "AttributeError"))
      return a.positional[2];
    return v;
  });
  add("hasattr", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "hasattr", a, 2, 2));
    if (!a.positional[1].Is(Kind::kStr)) {
      return base::Fail(c.Throw("TypeError", "attribute name must be string"));
    }
    auto v = c.GetAttr(a.positional[0], a.positional[1].AsStr());
    if (!v) {
      if (c.Catch(v.error(), "AttributeError")) return Value::Bool(false);
      return v;
    }
    return Value::Bool(true);
  });
  add("setattr", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "setattr", a, 3, 3));
    if (!a.positional[1].Is(Kind::kStr)) {
      return base::Fail(c.Throw("TypeError", "attribute name must be string"));
    }
    SQLMEND_RETURN_IF_ERROR(c.SetAttr(a.positional[0], a.positional[1].AsStr(), a.positional[2]));
    return Value::None();
  });
  auto object_class = std::make_shared<ClassObject>();
  object_class->name = "object";
  scope.names["object"] = Value::Class(object_class);
}

}  // namespace sqlmend::python
