// The methods of str and bytes. The two types share one implementation: a
// method keeps the receiver's type (b"a,b".split(b",") gives bytes), takes
// text arguments of that type only (raising Python's TypeError otherwise),
// and counts lengths and positions in code points for str and in octets for
// bytes.
#include "python/text_methods.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "python/builtins.h"
#include "python/bytes_type.h"
#include "python/format.h"
#include "python/operators.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;
using Method = MethodFunction;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// A result of the receiver's type: str from a str method, bytes from bytes.
Value SameType(const Value& self, std::string text) {
  return self.Is(Kind::kBytes) ? Value::Bytes(std::move(text)) : Value::Str(std::move(text));
}

// The length of `text` as len() counts it: code points in a str, octets in
// bytes.
int64_t TextLength(const Value& self, std::string_view text) {
  return static_cast<int64_t>(self.Is(Kind::kBytes) ? text.size() : CodePointCount(text));
}

// Python's TypeError for `argument` where a method of `self` takes text of
// its own type.
base::Status WrongTextType(CallContext& c, const Value& self, const Value& argument,
                           std::string_view method) {
  if (self.Is(Kind::kBytes)) {
    return c.Throw("TypeError",
                   "a bytes-like object is required, not '" + argument.TypeName() + "'");
  }
  return c.Throw("TypeError",
                 std::string(method) + "() argument must be str, not " + argument.TypeName());
}

// Positional argument `index`, which must be text of the receiver's type.
Result<std::string> TextArg(CallContext& c, const Value& self, const Args& a, size_t index,
                            std::string_view method) {
  if (index >= a.positional.size()) {
    return base::Fail(c.Throw("TypeError", std::string(method) + "() takes more arguments"));
  }
  if (a.positional[index].kind() != self.kind()) {
    return base::Fail(WrongTextType(c, self, a.positional[index], method));
  }
  return a.positional[index].AsStr();
}

Result<Value> Strip(CallContext& c, const Value& self, Args& a, bool left, bool right) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "strip", a, 0, 1));
  const Value* chars = a.positional.empty() ? nullptr : &a.positional[0];
  if (chars != nullptr && !chars->IsNone() && chars->kind() != self.kind()) {
    if (self.Is(Kind::kStr)) return base::Fail(c.Throw("TypeError", "strip arg must be None or str"));
    return base::Fail(WrongTextType(c, self, *chars, "strip"));
  }
  auto strip_char = [&](char ch) {
    if (chars == nullptr || chars->IsNone()) return IsSpace(ch);
    return chars->AsStr().find(ch) != std::string::npos;
  };
  const std::string& s = self.AsStr();
  size_t begin = 0, end = s.size();
  while (left && begin < end && strip_char(s[begin])) ++begin;
  while (right && end > begin && strip_char(s[end - 1])) --end;
  return SameType(self, s.substr(begin, end - begin));
}

Result<Value> Split(CallContext& c, const Value& self, Args& a, bool from_right) {
  SQLMEND_RETURN_IF_ERROR(
      CheckArgs(c, from_right ? "rsplit" : "split", a, 0, 2, {"sep", "maxsplit"}));
  const std::string& s = self.AsStr();
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
    if (sep->kind() != self.kind()) {
      if (self.Is(Kind::kStr))
        return base::Fail(c.Throw("TypeError", "must be str or None, not " + sep->TypeName()));
      return base::Fail(WrongTextType(c, self, *sep, "split"));
    }
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
  for (std::string& part : parts) out.push_back(SameType(self, std::move(part)));
  return Value::List(std::move(out));
}

Result<Value> StartsOrEnds(CallContext& c, const Value& self, Args& a, bool starts) {
  std::string method = starts ? "startswith" : "endswith";
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 1, 1));
  std::vector<Value> options = a.positional[0].Is(Kind::kTuple)
                                   ? a.positional[0].Items()
                                   : std::vector<Value>{a.positional[0]};
  const std::string& s = self.AsStr();
  for (const Value& option : options) {
    if (option.kind() != self.kind()) {
      const std::string type = self.TypeName();
      return base::Fail(c.Throw("TypeError", method + " first arg must be " + type +
                                                 " or a tuple of " + type + ", not " +
                                                 option.TypeName()));
    }
    if (starts ? s.starts_with(option.AsStr()) : s.ends_with(option.AsStr()))
      return Value::Bool(true);
  }
  return Value::Bool(false);
}

// ljust, rjust and center: `align` is '<', '>' or '^'.
Result<Value> Justify(CallContext& c, const Value& self, Args& a, char align) {
  const char* method = align == '<' ? "ljust" : align == '>' ? "rjust" : "center";
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 1, 2));
  std::string fill = " ";
  if (a.positional.size() == 2) {
    const Value& f = a.positional[1];
    if (self.Is(Kind::kBytes) && (!f.Is(Kind::kBytes) || f.AsBytes().size() != 1)) {
      return base::Fail(c.Throw("TypeError", std::string(method) +
                                                 "() argument 2 must be a byte string of length "
                                                 "1, not " +
                                                 f.TypeName()));
    }
    if (self.Is(Kind::kStr) && !f.Is(Kind::kStr)) {
      return base::Fail(c.Throw(
          "TypeError", "The fill character must be a unicode character, not " + f.TypeName()));
    }
    if (self.Is(Kind::kStr) && CodePointCount(f.AsStr()) != 1) {
      return base::Fail(
          c.Throw("TypeError", "The fill character must be exactly one character long"));
    }
    fill = f.AsStr();
  }
  const std::string& s = self.AsStr();
  int64_t width = std::min<int64_t>(a.positional[0].AsInt(), kMaxStrBytes);
  int64_t margin = width - TextLength(self, s);
  if (margin <= 0) return self;
  // CPython's pad(): center puts the odd space on the left when the width
  // is odd, on the right otherwise.
  int64_t left = align == '<' ? 0 : align == '>' ? margin : margin / 2 + (margin & width & 1);
  std::string out;
  for (int64_t i = 0; i < left; ++i) out += fill;
  out += s;
  for (int64_t i = left; i < margin; ++i) out += fill;
  return SameType(self, std::move(out));
}

// find, rfind, index, rindex and count: the position of (or the number of)
// `needle`, in characters. bytes also take an int needle (one octet).
Result<Value> Find(CallContext& c, const Value& self, Args& a, const std::string& method) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 1, 1));
  std::string needle;
  if (self.Is(Kind::kBytes) && (a.positional[0].Is(Kind::kInt) || a.positional[0].Is(Kind::kBool))) {
    auto octet = ByteOf(c, a.positional[0]);
    if (!octet) return base::Fail(octet.error());
    needle = std::string(1, *octet);
  } else {
    auto text = TextArg(c, self, a, 0, method);
    if (!text) return base::Fail(text.error());
    needle = std::move(*text);
  }
  const std::string& s = self.AsStr();
  if (method == "count") {
    int64_t n = 0;
    if (needle.empty()) return Value::Int(TextLength(self, s) + 1);
    for (size_t at = s.find(needle); at != std::string::npos; at = s.find(needle, at + needle.size()))
      ++n;
    return Value::Int(n);
  }
  const bool from_right = method == "rfind" || method == "rindex";
  size_t at = from_right ? s.rfind(needle) : s.find(needle);
  if (at == std::string::npos) {
    if (method == "index" || method == "rindex") {
      return base::Fail(c.Throw("ValueError", self.Is(Kind::kBytes) ? "subsection not found"
                                                                    : "substring not found"));
    }
    return Value::Int(-1);
  }
  return Value::Int(TextLength(self, std::string_view(s).substr(0, at)));
}

}  // namespace

std::optional<Method> StrOnlyMethod(std::string_view name) {
  if (name == "format") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      auto out = StrFormat(c, self.AsStr(), a);
      if (!out) return base::Fail(out.error());
      return Value::Str(std::move(*out));
    };
  }
  if (name == "encode") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "encode", a, 0, 2, {"encoding", "errors"}));
      auto codec = ReadCodecArgs(c, "encode", a, 0);
      if (!codec) return base::Fail(codec.error());
      auto octets = EncodeText(c, self.AsStr(), codec->encoding, codec->errors);
      if (!octets) return base::Fail(octets.error());
      return Value::Bytes(std::move(*octets));
    };
  }
  if (name == "isidentifier") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "isidentifier", a, 0, 0));
      const std::string& s = self.AsStr();
      return Value::Bool(!s.empty() && !std::isdigit(static_cast<unsigned char>(s[0])) &&
                         std::all_of(s.begin(), s.end(), [](char ch) {
                           return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
                         }));
    };
  }
  return std::nullopt;
}

std::optional<Method> TextMethod(std::string_view name) {
  if (name == "join") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "join", a, 1, 1));
      auto items = IterateValue(c, a.positional[0]);
      if (!items) return base::Fail(items.error());
      std::string out;
      for (size_t i = 0; i < items->size(); ++i) {
        const Value& item = (*items)[i];
        if (item.kind() != self.kind()) {
          std::string expected =
              self.Is(Kind::kBytes) ? "a bytes-like object" : self.TypeName() + " instance";
          return base::Fail(c.Throw("TypeError", "sequence item " + std::to_string(i) +
                                                     ": expected " + expected + ", " +
                                                     item.TypeName() + " found"));
        }
        if (i > 0) out += self.AsStr();
        out += item.AsStr();
        if (out.size() > kMaxStrBytes)
          return base::Fail(c.Unsupported("unsupported: a " + self.TypeName() + " of more than " +
                                          std::to_string(kMaxStrBytes) + " bytes"));
      }
      return SameType(self, std::move(out));
    };
  }
  if (name == "split" || name == "rsplit") {
    bool right = name == "rsplit";
    return [right](CallContext& c, const Value& self, Args& a) { return Split(c, self, a, right); };
  }
  if (name == "strip" || name == "lstrip" || name == "rstrip") {
    bool left = name != "rstrip", right = name != "lstrip";
    return [left, right](CallContext& c, const Value& self, Args& a) {
      return Strip(c, self, a, left, right);
    };
  }
  if (name == "lower" || name == "upper") {
    bool upper = name == "upper";
    return [upper](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, upper ? "upper" : "lower", a, 0, 0));
      std::string out = self.AsStr();
      const bool bytes = self.Is(Kind::kBytes);
      for (size_t i = 0; i < out.size(); ++i) {
        auto byte = static_cast<unsigned char>(out[i]);
        if (byte < 0x80) {
          out[i] = static_cast<char>(upper ? std::toupper(byte) : std::tolower(byte));
        } else if (!bytes && byte == 0xC3 && i + 1 < out.size()) {
          // Latin-1 letters (U+00C0-U+00FE, but not the signs × and ÷),
          // which Western European names use; other scripts stay as written.
          auto next = static_cast<unsigned char>(out[++i]);
          if (upper && next >= 0xA0 && next <= 0xBE && next != 0xB7)
            out[i] = static_cast<char>(next - 0x20);
          if (!upper && next >= 0x80 && next <= 0x9E && next != 0x97)
            out[i] = static_cast<char>(next + 0x20);
        }
      }
      return SameType(self, std::move(out));
    };
  }
  if (name == "replace") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "replace", a, 2, 3));
      auto from = TextArg(c, self, a, 0, "replace");
      if (!from) return base::Fail(from.error());
      auto to = TextArg(c, self, a, 1, "replace");
      if (!to) return base::Fail(to.error());
      int64_t count = a.positional.size() == 3 ? a.positional[2].AsInt() : -1;
      const std::string& s = self.AsStr();
      std::string out;
      size_t start = 0;
      if (from->empty())
        return base::Fail(c.Unsupported("unsupported: " + self.TypeName() +
                                        ".replace of an empty string"));
      for (size_t at = s.find(*from); at != std::string::npos && count != 0;
           at = s.find(*from, start), --count) {
        out += s.substr(start, at - start) + *to;
        start = at + from->size();
        if (out.size() > kMaxStrBytes)
          return base::Fail(c.Unsupported("unsupported: a " + self.TypeName() + " of more than " +
                                          std::to_string(kMaxStrBytes) + " bytes"));
      }
      return SameType(self, out + s.substr(start));
    };
  }
  if (name == "startswith" || name == "endswith") {
    bool starts = name == "startswith";
    return [starts](CallContext& c, const Value& self, Args& a) {
      return StartsOrEnds(c, self, a, starts);
    };
  }
  if (name == "find" || name == "rfind" || name == "index" || name == "rindex" ||
      name == "count") {
    std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) { return Find(c, self, a, method); };
  }
  if (name == "removeprefix" || name == "removesuffix") {
    bool prefix = name == "removeprefix";
    return [prefix](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      std::string method = prefix ? "removeprefix" : "removesuffix";
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 1, 1));
      auto affix = TextArg(c, self, a, 0, method);
      if (!affix) return base::Fail(affix.error());
      const std::string& s = self.AsStr();
      if (prefix && s.starts_with(*affix)) return SameType(self, s.substr(affix->size()));
      if (!prefix && s.ends_with(*affix))
        return SameType(self, s.substr(0, s.size() - affix->size()));
      return self;
    };
  }
  if (name == "isdigit" || name == "isalpha" || name == "isalnum" || name == "isspace" ||
      name == "isupper" || name == "islower" || name == "isascii") {
    std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 0, 0));
      const std::string& s = self.AsStr();
      auto all = [&](auto predicate) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [&](char ch) {
          return predicate(static_cast<unsigned char>(ch));
        });
      };
      if (method == "isascii") return Value::Bool(s.empty() || all([](int ch) { return ch < 0x80; }));
      if (method == "isdigit") return Value::Bool(all([](int ch) { return std::isdigit(ch); }));
      if (method == "isalpha") return Value::Bool(all([](int ch) { return std::isalpha(ch); }));
      if (method == "isalnum") return Value::Bool(all([](int ch) { return std::isalnum(ch); }));
      if (method == "isspace")
        return Value::Bool(all([](int ch) { return IsSpace(static_cast<char>(ch)); }));
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
      return SameType(self, std::move(out));
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
          out.push_back(SameType(self, s.substr(start, i - start)));
          if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
          start = i + 1;
        }
      }
      if (start < s.size()) out.push_back(SameType(self, s.substr(start)));
      return Value::List(std::move(out));
    };
  }
  if (name == "zfill") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "zfill", a, 1, 1));
      std::string s = self.AsStr();
      int64_t width = std::clamp<int64_t>(a.positional[0].AsInt(), 0, 10'000);
      size_t sign = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
      int64_t length = TextLength(self, s);
      if (length < width) s.insert(sign, static_cast<size_t>(width - length), '0');
      return SameType(self, std::move(s));
    };
  }
  if (name == "ljust" || name == "rjust" || name == "center") {
    char align = name == "ljust" ? '<' : name == "rjust" ? '>' : '^';
    return [align](CallContext& c, const Value& self, Args& a) {
      return Justify(c, self, a, align);
    };
  }
  if (name == "partition" || name == "rpartition") {
    bool from_right = name == "rpartition";
    return [from_right](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      std::string method = from_right ? "rpartition" : "partition";
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 1, 1));
      auto sep = TextArg(c, self, a, 0, method);
      if (!sep) return base::Fail(sep.error());
      if (sep->empty()) return base::Fail(c.Throw("ValueError", "empty separator"));
      const std::string& s = self.AsStr();
      size_t at = from_right ? s.rfind(*sep) : s.find(*sep);
      if (at == std::string::npos) {
        Value empty = SameType(self, "");
        return from_right ? Value::Tuple({empty, empty, self}) : Value::Tuple({self, empty, empty});
      }
      return Value::Tuple({SameType(self, s.substr(0, at)), SameType(self, *sep),
                           SameType(self, s.substr(at + sep->size()))});
    };
  }
  return std::nullopt;
}

}  // namespace sqlmend::python
