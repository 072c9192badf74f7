// The methods of str, list, dict and set (BuiltinMethod() in builtins.h).
#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "python/builtins.h"
#include "python/format.h"
#include "python/operators.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;
using Method = std::function<Result<Value>(CallContext&, const Value& self, Args&)>;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

Result<std::string> StrArg(CallContext& c, const Args& a, size_t index, std::string_view method) {
  if (index >= a.positional.size() || !a.positional[index].Is(Kind::kStr)) {
    std::string got = index < a.positional.size() ? a.positional[index].TypeName() : "nothing";
    return base::Fail(
        c.Throw("TypeError", std::string(method) + "() argument must be str, not " + got));
  }
  return a.positional[index].AsStr();
}

std::string Strip(const std::string& s, const Value* chars, bool left, bool right) {
  auto strip_char = [&](char ch) {
    if (chars == nullptr || chars->IsNone()) return IsSpace(ch);
    return chars->AsStr().find(ch) != std::string::npos;
  };
  size_t begin = 0, end = s.size();
  while (left && begin < end && strip_char(s[begin])) ++begin;
  while (right && end > begin && strip_char(s[end - 1])) --end;
  return s.substr(begin, end - begin);
}

Result<Value> Split(CallContext& c, const std::string& s, Args& a, bool from_right) {
  SQLMEND_RETURN_IF_ERROR(
      CheckArgs(c, from_right ? "rsplit" : "split", a, 0, 2, {"sep", "maxsplit"}));
  const Value* sep = a.positional.empty() ? KeywordArg(a, "sep") : &a.positional[0];
  int64_t maxsplit = a.positional.size() > 1 ? a.positional[1].AsInt() : -1;
  if (const Value* m = KeywordArg(a, "maxsplit")) maxsplit = m->AsInt();
  std::vector<std::string> parts;
  if (sep == nullptr || sep->IsNone()) {
    // Whitespace runs separate; leading and trailing whitespace is dropped.
    std::vector<std::pair<size_t, size_t>> words;
    for (size_t i = 0; i < s.size();) {
      while (i < s.size() && IsSpace(s[i])) ++i;
      size_t start = i;
      while (i < s.size() && !IsSpace(s[i])) ++i;
      if (i > start) words.emplace_back(start, i);
    }
    if (maxsplit < 0 || static_cast<size_t>(maxsplit) >= words.size()) {
      for (auto [b, e] : words) parts.push_back(s.substr(b, e - b));
    } else if (!from_right) {
      for (size_t k = 0; k < static_cast<size_t>(maxsplit); ++k)
        parts.push_back(s.substr(words[k].first, words[k].second - words[k].first));
      // The remainder keeps its trailing whitespace, as in Python.
      parts.push_back(s.substr(words[static_cast<size_t>(maxsplit)].first));
    } else {
      size_t keep = words.size() - static_cast<size_t>(maxsplit);
      parts.push_back(s.substr(0, words[keep - 1].second));
      for (size_t k = keep; k < words.size(); ++k)
        parts.push_back(s.substr(words[k].first, words[k].second - words[k].first));
    }
  } else {
    if (!sep->Is(Kind::kStr))
      return base::Fail(c.Throw("TypeError", "must be str or None, not " + sep->TypeName()));
    const std::string& separator = sep->AsStr();
    if (separator.empty()) return base::Fail(c.Throw("ValueError", "empty separator"));
    std::vector<size_t> cuts;
    for (size_t at = s.find(separator); at != std::string::npos;
         at = s.find(separator, at + separator.size()))
      cuts.push_back(at);
    if (maxsplit >= 0 && cuts.size() > static_cast<size_t>(maxsplit)) {
      if (from_right) {
        cuts.erase(cuts.begin(), cuts.end() - maxsplit);
      } else {
        cuts.resize(static_cast<size_t>(maxsplit));
      }
    }
    size_t start = 0;
    for (size_t at : cuts) {
      parts.push_back(s.substr(start, at - start));
      start = at + separator.size();
    }
    parts.push_back(s.substr(start));
  }
  std::vector<Value> out;
  for (std::string& part : parts) out.push_back(Value::Str(std::move(part)));
  return Value::List(std::move(out));
}

Result<Value> StartsOrEnds(CallContext& c, const std::string& s, Args& a, bool starts) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, starts ? "startswith" : "endswith", a, 1, 1));
  std::vector<Value> options = a.positional[0].Is(Kind::kTuple)
                                   ? a.positional[0].Items()
                                   : std::vector<Value>{a.positional[0]};
  for (const Value& option : options) {
    if (!option.Is(Kind::kStr)) return base::Fail(c.Throw("TypeError", "expected a str"));
    if (starts ? s.starts_with(option.AsStr()) : s.ends_with(option.AsStr()))
      return Value::Bool(true);
  }
  return Value::Bool(false);
}

Result<Value> Justify(CallContext& c, const std::string& s, Args& a, char align) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "ljust", a, 1, 2));
  std::string fill = a.positional.size() == 2 ? a.positional[1].AsStr() : " ";
  std::string spec = fill + std::string(1, align) +
                     std::to_string(a.positional[0].AsInt() < 0 ? 0 : a.positional[0].AsInt());
  auto out = FormatValue(c, Value::Str(s), spec);
  if (!out) return base::Fail(out.error());
  return Value::Str(std::move(*out));
}

std::optional<Method> StrMethod(std::string_view name) {
  if (name == "format") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      auto out = StrFormat(c, self.AsStr(), a);
      if (!out) return base::Fail(out.error());
      return Value::Str(std::move(*out));
    };
  }
  if (name == "join") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "join", a, 1, 1));
      auto items = IterateValue(c, a.positional[0]);
      if (!items) return base::Fail(items.error());
      std::string out;
      for (size_t i = 0; i < items->size(); ++i) {
        const Value& item = (*items)[i];
        if (!item.Is(Kind::kStr)) {
          return base::Fail(c.Throw("TypeError", "sequence item " + std::to_string(i) +
                                                     ": expected str instance, " + item.TypeName() +
                                                     " found"));
        }
        if (i > 0) out += self.AsStr();
        out += item.AsStr();
        if (out.size() > kMaxStrBytes)
          return base::Fail(c.Unsupported("unsupported: a str of more than " +
                                          std::to_string(kMaxStrBytes) + " bytes"));
      }
      return Value::Str(std::move(out));
    };
  }
  if (name == "split" || name == "rsplit") {
    bool right = name == "rsplit";
    return [right](CallContext& c, const Value& self, Args& a) {
      return Split(c, self.AsStr(), a, right);
    };
  }
  if (name == "strip" || name == "lstrip" || name == "rstrip") {
    bool left = name != "rstrip", right = name != "lstrip";
    return [left, right](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "strip", a, 0, 1));
      return Value::Str(
          Strip(self.AsStr(), a.positional.empty() ? nullptr : &a.positional[0], left, right));
    };
  }
  if (name == "lower" || name == "upper") {
    bool upper = name == "upper";
    return [upper](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, upper ? "upper" : "lower", a, 0, 0));
      std::string out = self.AsStr();
      for (size_t i = 0; i < out.size(); ++i) {
        auto byte = static_cast<unsigned char>(out[i]);
        if (byte < 0x80) {
          out[i] = static_cast<char>(upper ? std::toupper(byte) : std::tolower(byte));
        } else if (byte == 0xC3 && i + 1 < out.size()) {
          // Latin-1 letters (U+00C0-U+00FE, but not the signs × and ÷),
          // which Western European names use; other scripts stay as written.
          auto next = static_cast<unsigned char>(out[++i]);
          if (upper && next >= 0xA0 && next <= 0xBE && next != 0xB7)
            out[i] = static_cast<char>(next - 0x20);
          if (!upper && next >= 0x80 && next <= 0x9E && next != 0x97)
            out[i] = static_cast<char>(next + 0x20);
        }
      }
      return Value::Str(std::move(out));
    };
  }
  if (name == "replace") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "replace", a, 2, 3));
      auto from = StrArg(c, a, 0, "replace");
      if (!from) return base::Fail(from.error());
      auto to = StrArg(c, a, 1, "replace");
      if (!to) return base::Fail(to.error());
      int64_t count = a.positional.size() == 3 ? a.positional[2].AsInt() : -1;
      const std::string& s = self.AsStr();
      std::string out;
      size_t start = 0;
      if (from->empty())
        return base::Fail(c.Unsupported("unsupported: str.replace of an empty string"));
      for (size_t at = s.find(*from); at != std::string::npos && count != 0;
           at = s.find(*from, start), --count) {
        out += s.substr(start, at - start) + *to;
        start = at + from->size();
        if (out.size() > kMaxStrBytes)
          return base::Fail(c.Unsupported("unsupported: a str of more than " +
                                          std::to_string(kMaxStrBytes) + " bytes"));
      }
      return Value::Str(out + s.substr(start));
    };
  }
  if (name == "startswith" || name == "endswith") {
    bool starts = name == "startswith";
    return [starts](CallContext& c, const Value& self, Args& a) {
      return StartsOrEnds(c, self.AsStr(), a, starts);
    };
  }
  if (name == "find" || name == "rfind" || name == "index" || name == "count") {
    std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 1, 1));
      auto needle = StrArg(c, a, 0, method);
      if (!needle) return base::Fail(needle.error());
      const std::string& s = self.AsStr();
      if (method == "count") {
        int64_t n = 0;
        if (needle->empty()) return Value::Int(static_cast<int64_t>(CodePointCount(s)) + 1);
        for (size_t at = s.find(*needle); at != std::string::npos;
             at = s.find(*needle, at + needle->size()))
          ++n;
        return Value::Int(n);
      }
      size_t at = method == "rfind" ? s.rfind(*needle) : s.find(*needle);
      if (at == std::string::npos) {
        if (method == "index") return base::Fail(c.Throw("ValueError", "substring not found"));
        return Value::Int(-1);
      }
      return Value::Int(static_cast<int64_t>(CodePointCount(s.substr(0, at))));
    };
  }
  if (name == "isdigit" || name == "isalpha" || name == "isalnum" || name == "isspace" ||
      name == "isupper" || name == "islower" || name == "isidentifier") {
    std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 0, 0));
      const std::string& s = self.AsStr();
      auto all = [&](auto predicate) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [&](char ch) {
          return predicate(static_cast<unsigned char>(ch));
        });
      };
      if (method == "isdigit") return Value::Bool(all([](int ch) { return std::isdigit(ch); }));
      if (method == "isalpha") return Value::Bool(all([](int ch) { return std::isalpha(ch); }));
      if (method == "isalnum") return Value::Bool(all([](int ch) { return std::isalnum(ch); }));
      if (method == "isspace")
        return Value::Bool(all([](int ch) { return IsSpace(static_cast<char>(ch)); }));
      if (method == "isidentifier") {
        return Value::Bool(!s.empty() && !std::isdigit(static_cast<unsigned char>(s[0])) &&
                           all([](int ch) { return std::isalnum(ch) || ch == '_'; }));
      }
      bool has_cased = std::any_of(
          s.begin(), s.end(), [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)); });
      bool upper = method == "isupper";
      return Value::Bool(has_cased && std::none_of(s.begin(), s.end(), [&](char ch) {
                           return upper ? std::islower(static_cast<unsigned char>(ch))
                                        : std::isupper(static_cast<unsigned char>(ch));
                         }));
    };
  }
  if (name == "capitalize" || name == "title") {
    bool title = name == "title";
    return [title](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, title ? "title" : "capitalize", a, 0, 0));
      std::string out = self.AsStr();
      bool start = true;
      for (char& ch : out) {
        auto u = static_cast<unsigned char>(ch);
        ch = static_cast<char>(start ? std::toupper(u) : std::tolower(u));
        start = title ? !std::isalpha(u) : false;
      }
      return Value::Str(std::move(out));
    };
  }
  if (name == "splitlines") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "splitlines", a, 0, 0));
      std::vector<Value> out;
      const std::string& s = self.AsStr();
      size_t start = 0;
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n' || s[i] == '\r') {
          out.push_back(Value::Str(s.substr(start, i - start)));
          if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
          start = i + 1;
        }
      }
      if (start < s.size()) out.push_back(Value::Str(s.substr(start)));
      return Value::List(std::move(out));
    };
  }
  if (name == "zfill") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "zfill", a, 1, 1));
      std::string s = self.AsStr();
      size_t width = static_cast<size_t>(std::clamp<int64_t>(a.positional[0].AsInt(), 0, 10'000));
      size_t sign = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
      if (s.size() < width) s.insert(sign, width - s.size(), '0');
      return Value::Str(std::move(s));
    };
  }
  if (name == "ljust" || name == "rjust" || name == "center") {
    char align = name == "ljust" ? '<' : name == "rjust" ? '>' : '^';
    return [align](CallContext& c, const Value& self, Args& a) {
      return Justify(c, self.AsStr(), a, align);
    };
  }
  if (name == "partition") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "partition", a, 1, 1));
      auto sep = StrArg(c, a, 0, "partition");
      if (!sep) return base::Fail(sep.error());
      const std::string& s = self.AsStr();
      size_t at = s.find(*sep);
      if (at == std::string::npos)
        return Value::Tuple({Value::Str(s), Value::Str(""), Value::Str("")});
      return Value::Tuple(
          {Value::Str(s.substr(0, at)), Value::Str(*sep), Value::Str(s.substr(at + sep->size()))});
    };
  }
  return std::nullopt;
}

Result<int64_t> ListIndex(CallContext& c, const Value& self, const Value& index, bool for_insert) {
  int64_t size = static_cast<int64_t>(self.Items().size());
  int64_t i = index.AsInt() < 0 ? index.AsInt() + size : index.AsInt();
  if (for_insert) return std::clamp<int64_t>(i, 0, size);
  if (i < 0 || i >= size)
    return base::Fail(
        c.Throw("IndexError", size == 0 ? "pop from empty list" : "pop index out of range"));
  return i;
}

std::optional<Method> ListMethod(std::string_view name) {
  if (name == "append") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "append", a, 1, 1));
      self.Items().push_back(a.positional[0]);
      return Value::None();
    };
  }
  if (name == "extend") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "extend", a, 1, 1));
      auto items = IterateValue(c, a.positional[0]);
      if (!items) return base::Fail(items.error());
      self.Items().insert(self.Items().end(), items->begin(), items->end());
      SQLMEND_RETURN_IF_ERROR(CheckSize(c, self));
      return Value::None();
    };
  }
  if (name == "pop") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "pop", a, 0, 1));
      auto index =
          ListIndex(c, self, a.positional.empty() ? Value::Int(-1) : a.positional[0], false);
      if (!index) return base::Fail(index.error());
      Value out = self.Items()[static_cast<size_t>(*index)];
      self.Items().erase(self.Items().begin() + *index);
      return out;
    };
  }
  if (name == "insert") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "insert", a, 2, 2));
      auto index = ListIndex(c, self, a.positional[0], true);
      if (!index) return base::Fail(index.error());
      self.Items().insert(self.Items().begin() + *index, a.positional[1]);
      return Value::None();
    };
  }
  if (name == "index" || name == "count" || name == "remove") {
    std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 1, 1));
      auto& items = self.Items();
      int64_t count = 0;
      for (size_t i = 0; i < items.size(); ++i) {
        if (!Equals(items[i], a.positional[0])) continue;
        if (method == "index") return Value::Int(static_cast<int64_t>(i));
        if (method == "remove") {
          items.erase(items.begin() + static_cast<ptrdiff_t>(i));
          return Value::None();
        }
        ++count;
      }
      if (method == "count") return Value::Int(count);
      if (method == "index")
        return base::Fail(c.Throw("ValueError", Repr(a.positional[0]) + " is not in list"));
      return base::Fail(c.Throw("ValueError", "list.remove(x): x not in list"));
    };
  }
  if (name == "sort") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "sort", a, 0, 0, {"key", "reverse"}));
      Value sorted_builtin;
      Scope scope;
      InstallBuiltins(scope);
      Args sort_args{{self}, a.keywords};
      auto sorted = c.Call(scope.names["sorted"], std::move(sort_args));
      if (!sorted) return sorted;
      self.Items() = sorted->Items();
      return Value::None();
    };
  }
  if (name == "reverse" || name == "clear" || name == "copy") {
    std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 0, 0));
      if (method == "copy") return Value::List(self.Items());
      if (method == "clear") {
        self.Items().clear();
      } else {
        std::reverse(self.Items().begin(), self.Items().end());
      }
      return Value::None();
    };
  }
  return std::nullopt;
}

std::optional<Method> DictMethod(std::string_view name) {
  if (name == "get") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "get", a, 1, 2));
      Value* found = self.AsDict().Find(a.positional[0]);
      if (found != nullptr) return *found;
      return a.positional.size() == 2 ? a.positional[1] : Value::None();
    };
  }
  if (name == "items" || name == "keys" || name == "values") {
    std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 0, 0));
      std::vector<Value> out;
      for (const auto& [k, v] : self.AsDict().entries) {
        out.push_back(method == "keys" ? k : method == "values" ? v : Value::Tuple({k, v}));
      }
      return Value::List(std::move(out));
    };
  }
  if (name == "update") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "update", a, 0, 1, {"*"}));
      if (!a.positional.empty()) {
        const Value& other = a.positional[0];
        if (!other.Is(Kind::kDict))
          return base::Fail(c.Unsupported("unsupported: dict.update() from a " + other.TypeName()));
        for (const auto& [k, v] : other.AsDict().entries) self.AsDict().Set(k, v);
      }
      for (const auto& [k, v] : a.keywords) self.AsDict().Set(Value::Str(k), v);
      return Value::None();
    };
  }
  if (name == "setdefault") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "setdefault", a, 1, 2));
      if (Value* found = self.AsDict().Find(a.positional[0])) return *found;
      Value fallback = a.positional.size() == 2 ? a.positional[1] : Value::None();
      self.AsDict().Set(a.positional[0], fallback);
      return fallback;
    };
  }
  if (name == "pop") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "pop", a, 1, 2));
      if (Value* found = self.AsDict().Find(a.positional[0])) {
        Value out = *found;
        self.AsDict().Erase(a.positional[0]);
        return out;
      }
      if (a.positional.size() == 2) return a.positional[1];
      return base::Fail(c.ThrowKeyError(a.positional[0]));
    };
  }
  if (name == "copy" || name == "clear") {
    bool copy = name == "copy";
    return [copy](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, copy ? "copy" : "clear", a, 0, 0));
      if (!copy) {
        self.AsDict().Clear();
        return Value::None();
      }
      Value out = Value::Dict();
      for (const auto& [k, v] : self.AsDict().entries) out.AsDict().Set(k, v);
      return out;
    };
  }
  return std::nullopt;
}

std::optional<Method> SetMethod(std::string_view name) {
  if (name == "add" || name == "discard" || name == "remove") {
    std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 1, 1));
      if (method == "add") {
        SetInsert(self, a.positional[0]);
      } else if (!SetRemove(self, a.positional[0]) && method == "remove") {
        return base::Fail(c.ThrowKeyError(a.positional[0]));
      }
      return Value::None();
    };
  }
  if (name == "update" || name == "union") {
    bool in_place = name == "update";
    return [in_place](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      Value target = in_place ? self : Value::Set(self.Items());
      for (const Value& other : a.positional) {
        auto more = IterateValue(c, other);
        if (!more) return base::Fail(more.error());
        for (Value& item : *more) SetInsert(target, std::move(item));
      }
      return in_place ? Value::None() : target;
    };
  }
  return std::nullopt;
}

}  // namespace

std::optional<Value> BuiltinMethod(const Value& receiver, std::string_view name) {
  std::optional<Method> method;
  switch (receiver.kind()) {
    case Kind::kStr:
      method = StrMethod(name);
      break;
    case Kind::kList:
      method = ListMethod(name);
      break;
    case Kind::kTuple:
      if (name == "index" || name == "count") method = ListMethod(name);
      break;
    case Kind::kDict:
      method = DictMethod(name);
      break;
    case Kind::kSet:
      method = SetMethod(name);
      break;
    default:
      break;
  }
  if (!method) return std::nullopt;
  return Value::Builtin(receiver.TypeName() + "." + std::string(name),
                        [self = receiver, function = std::move(*method)](CallContext& c, Args& a) {
                          return function(c, self, a);
                        });
}

}  // namespace sqlmend::python
