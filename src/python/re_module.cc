#include "python/re_module.h"

#include <re2/re2.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "python/args.h"
#include "python/builtins.h"
#include "python/format.h"

namespace sqlmend::python {

namespace {

using base::Result;
using Kind = Value::Kind;

// Python's flag values.
constexpr int64_t kIgnoreCase = 2;
constexpr int64_t kMultiline = 8;
constexpr int64_t kDotAll = 16;
constexpr int64_t kVerbose = 64;
constexpr int64_t kAscii = 256;

class PatternValue;

class MatchValue : public HostObject {
 public:
  MatchValue(std::shared_ptr<const re2::RE2> re, std::string subject,
             std::vector<std::optional<std::pair<size_t, size_t>>> groups)
      : re_(std::move(re)), subject_(std::move(subject)), groups_(std::move(groups)) {}
  std::string TypeName() const override { return "Match"; }
  std::string Repr() const override {
    auto [start, end] = *groups_[0];
    return "<re.Match object; span=(" + std::to_string(CodePoints(start)) + ", " +
           std::to_string(CodePoints(end)) + "), match=" +
           StrRepr(subject_.substr(start, end - start)) + ">";
  }

  // The text of group `index`, or None when it did not take part.
  Value Group(size_t index) const {
    if (index >= groups_.size() || !groups_[index]) return Value();
    auto [start, end] = *groups_[index];
    return Value::Str(subject_.substr(start, end - start));
  }

  Result<size_t> GroupIndex(CallContext& c, const Value& key) const {
    if (key.Is(Kind::kInt) && key.AsInt() >= 0 &&
        static_cast<size_t>(key.AsInt()) < groups_.size()) {
      return static_cast<size_t>(key.AsInt());
    }
    if (key.Is(Kind::kStr)) {
      const auto& names = re_->NamedCapturingGroups();
      auto it = names.find(key.AsStr());
      if (it != names.end()) return static_cast<size_t>(it->second);
    }
    return base::Fail(c.Throw("IndexError", "no such group"));
  }

  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override;
  Result<Value> GetItem(CallContext& c, const Value& key) override {
    auto index = GroupIndex(c, key);
    if (!index) return base::Fail(index.error());
    return Group(*index);
  }

  // The replacement template of sub() expanded for this match: \1, \g<1>,
  // \g<name>, \n, \\.
  Result<std::string> Expand(CallContext& c, const std::string& repl) const {
    std::string out;
    for (size_t i = 0; i < repl.size(); ++i) {
      if (repl[i] != '\\' || i + 1 >= repl.size()) {
        out += repl[i];
        continue;
      }
      char next = repl[++i];
      if (next >= '0' && next <= '9') {
        size_t index = static_cast<size_t>(next - '0');
        if (i + 1 < repl.size() && repl[i + 1] >= '0' && repl[i + 1] <= '9') {
          index = index * 10 + static_cast<size_t>(repl[++i] - '0');
        }
        auto group = GroupIndex(c, Value::Int(static_cast<int64_t>(index)));
        if (!group) return base::Fail(group.error());
        Value text = Group(*group);
        if (text.Is(Kind::kStr)) out += text.AsStr();
      } else if (next == 'g' && i + 1 < repl.size() && repl[i + 1] == '<') {
        size_t close = repl.find('>', i);
        if (close == std::string::npos) {
          return base::Fail(c.Throw("ValueError", "missing >, unterminated name"));
        }
        std::string name = repl.substr(i + 2, close - i - 2);
        bool numeric = !name.empty() && name.find_first_not_of("0123456789") == std::string::npos;
        auto group = GroupIndex(c, numeric ? Value::Int(std::stoll(name)) : Value::Str(name));
        if (!group) return base::Fail(group.error());
        Value text = Group(*group);
        if (text.Is(Kind::kStr)) out += text.AsStr();
        i = close;
      } else if (next == 'n') {
        out += '\n';
      } else if (next == 't') {
        out += '\t';
      } else if (next == '\\') {
        out += '\\';
      } else {
        out += '\\';
        out += next;
      }
    }
    return out;
  }

  std::pair<size_t, size_t> Span() const { return *groups_[0]; }

 private:
  int64_t CodePoints(size_t byte) const {
    return static_cast<int64_t>(CodePointCount(std::string_view(subject_).substr(0, byte)));
  }

  std::shared_ptr<const re2::RE2> re_;
  std::string subject_;
  std::vector<std::optional<std::pair<size_t, size_t>>> groups_;
};

std::optional<Result<Value>> MatchValue::GetAttribute(CallContext&, std::string_view name) {
  auto self = std::static_pointer_cast<MatchValue>(std::make_shared<MatchValue>(*this));
  if (name == "group") {
    return Value::Builtin("group", [self](CallContext& c, Args& a) -> Result<Value> {
      if (a.positional.empty()) return self->Group(0);
      std::vector<Value> out;
      for (const Value& key : a.positional) {
        auto index = self->GroupIndex(c, key);
        if (!index) return base::Fail(index.error());
        out.push_back(self->Group(*index));
      }
      return out.size() == 1 ? out[0] : Value::Tuple(std::move(out));
    });
  }
  if (name == "groups") {
    return Value::Builtin("groups", [self](CallContext&, Args& a) -> Result<Value> {
      Value fallback = a.positional.empty() ? Value() : a.positional[0];
      std::vector<Value> out;
      for (size_t i = 1; i < self->groups_.size(); ++i) {
        Value group = self->Group(i);
        out.push_back(group.IsNone() ? fallback : group);
      }
      return Value::Tuple(std::move(out));
    });
  }
  if (name == "groupdict") {
    return Value::Builtin("groupdict", [self](CallContext&, Args&) -> Result<Value> {
      Value dict = Value::Dict();
      std::vector<std::pair<int, std::string>> ordered;
      for (const auto& [group_name, index] : self->re_->NamedCapturingGroups()) {
        ordered.emplace_back(index, group_name);
      }
      std::sort(ordered.begin(), ordered.end());
      for (const auto& [index, group_name] : ordered) {
        dict.AsDict().Set(Value::Str(group_name), self->Group(static_cast<size_t>(index)));
      }
      return dict;
    });
  }
  if (name == "start" || name == "end" || name == "span") {
    std::string which(name);
    return Value::Builtin(which, [self, which](CallContext& c, Args& a) -> Result<Value> {
      size_t index = 0;
      if (!a.positional.empty()) {
        auto found = self->GroupIndex(c, a.positional[0]);
        if (!found) return base::Fail(found.error());
        index = *found;
      }
      if (!self->groups_[index]) {
        return which == "span" ? Value::Tuple({Value::Int(-1), Value::Int(-1)}) : Value::Int(-1);
      }
      auto [start, end] = *self->groups_[index];
      Value s = Value::Int(self->CodePoints(start)), e = Value::Int(self->CodePoints(end));
      if (which == "start") return s;
      if (which == "end") return e;
      return Value::Tuple({s, e});
    });
  }
  if (name == "string") return Value::Str(subject_);
  return std::nullopt;
}

enum class Anchor { kSearch, kMatch, kFull };

// The match of `re` in `subject` from byte `from`, or nullptr.
std::shared_ptr<MatchValue> MatchAt(const std::shared_ptr<const re2::RE2>& re,
                                    const std::string& subject, size_t from, Anchor anchor) {
  const int count = re->NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> pieces(static_cast<size_t>(count));
  re2::RE2::Anchor how = anchor == Anchor::kSearch  ? re2::RE2::UNANCHORED
                         : anchor == Anchor::kMatch ? re2::RE2::ANCHOR_START
                                                    : re2::RE2::ANCHOR_BOTH;
  if (!re->Match(subject, from, subject.size(), how, pieces.data(), count)) return nullptr;
  std::vector<std::optional<std::pair<size_t, size_t>>> groups;
  for (const re2::StringPiece& piece : pieces) {
    if (piece.data() == nullptr) {
      groups.emplace_back();
    } else {
      size_t start = static_cast<size_t>(piece.data() - subject.data());
      groups.emplace_back(std::pair{start, start + piece.size()});
    }
  }
  return std::make_shared<MatchValue>(re, subject, std::move(groups));
}

// Every non-overlapping match, as finditer() walks them.
std::vector<std::shared_ptr<MatchValue>> AllMatches(const std::shared_ptr<const re2::RE2>& re,
                                                    const std::string& subject) {
  std::vector<std::shared_ptr<MatchValue>> out;
  size_t from = 0;
  while (from <= subject.size()) {
    auto match = MatchAt(re, subject, from, Anchor::kSearch);
    if (match == nullptr) break;
    auto [start, end] = match->Span();
    out.push_back(match);
    if (end == start) {
      // An empty match moves on by one character (one UTF-8 sequence).
      if (end >= subject.size()) break;
      from = end + 1;
      while (from < subject.size() && (static_cast<unsigned char>(subject[from]) & 0xc0) == 0x80) {
        ++from;
      }
    } else {
      from = end;
    }
  }
  return out;
}

Result<std::shared_ptr<const re2::RE2>> Compile(CallContext& c, const std::string& pattern,
                                                int64_t flags) {
  if (flags & kVerbose) {
    return base::Fail(c.Unsupported("unsupported: re.VERBOSE patterns"));
  }
  std::string prefix;
  if (flags & kIgnoreCase) prefix += "i";
  if (flags & kMultiline) prefix += "m";
  if (flags & kDotAll) prefix += "s";
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(re2::RE2::Options::EncodingUTF8);
  std::string full = prefix.empty() ? pattern : "(?" + prefix + ")" + pattern;
  auto re = std::make_shared<const re2::RE2>(full, options);
  if (!re->ok()) {
    // Backreferences and lookarounds are Python-only; RE2 refuses them.
    return base::Fail(c.Unsupported("unsupported: regular expression " + StrRepr(pattern) +
                                    " (" + re->error() + "; sqlmend's re has no backreferences "
                                    "or lookarounds)"));
  }
  return std::shared_ptr<const re2::RE2>(re);
}

Result<std::string> Subject(CallContext& c, const Value& value) {
  if (!value.Is(Kind::kStr)) {
    return base::Fail(c.Throw("TypeError", "expected string or bytes-like object, got '" +
                                               value.TypeName() + "'"));
  }
  return value.AsStr();
}

// sub(repl, string, count=0): `repl` a template or a function of the match.
Result<Value> Sub(CallContext& c, const std::shared_ptr<const re2::RE2>& re, const Value& repl,
                  const std::string& subject, int64_t count) {
  std::string out;
  size_t copied = 0;
  int64_t done = 0;
  for (const auto& match : AllMatches(re, subject)) {
    if (count > 0 && done >= count) break;
    auto [start, end] = match->Span();
    out += subject.substr(copied, start - copied);
    if (repl.Is(Kind::kStr)) {
      auto text = match->Expand(c, repl.AsStr());
      if (!text) return base::Fail(text.error());
      out += *text;
    } else {
      auto text = c.Call(repl, Args{{Value::Host(match)}, {}});
      if (!text) return text;
      if (!text->Is(Kind::kStr)) {
        return base::Fail(c.Throw("TypeError", "expected str instance, " + text->TypeName() +
                                                   " found"));
      }
      out += text->AsStr();
    }
    copied = end;
    ++done;
  }
  out += subject.substr(copied);
  return Value::Str(out);
}

Result<Value> FindAll(const std::shared_ptr<const re2::RE2>& re, const std::string& subject) {
  std::vector<Value> out;
  const int groups = re->NumberOfCapturingGroups();
  for (const auto& match : AllMatches(re, subject)) {
    if (groups == 0) {
      out.push_back(match->Group(0));
    } else if (groups == 1) {
      Value group = match->Group(1);
      out.push_back(group.IsNone() ? Value::Str("") : group);
    } else {
      std::vector<Value> items;
      for (int i = 1; i <= groups; ++i) {
        Value group = match->Group(static_cast<size_t>(i));
        items.push_back(group.IsNone() ? Value::Str("") : group);
      }
      out.push_back(Value::Tuple(std::move(items)));
    }
  }
  return Value::List(std::move(out));
}

Result<Value> Split(const std::shared_ptr<const re2::RE2>& re, const std::string& subject,
                    int64_t maxsplit) {
  std::vector<Value> out;
  size_t copied = 0;
  int64_t done = 0;
  for (const auto& match : AllMatches(re, subject)) {
    if (maxsplit > 0 && done >= maxsplit) break;
    auto [start, end] = match->Span();
    out.push_back(Value::Str(subject.substr(copied, start - copied)));
    for (int i = 1; i <= re->NumberOfCapturingGroups(); ++i) {
      out.push_back(match->Group(static_cast<size_t>(i)));
    }
    copied = end;
    ++done;
  }
  out.push_back(Value::Str(subject.substr(copied)));
  return Value::List(std::move(out));
}

// The operation `name` of a compiled pattern, given its arguments after the
// pattern (string, then the operation's own).
Result<Value> Operate(CallContext& c, const std::shared_ptr<const re2::RE2>& re,
                      const std::string& name, const std::vector<Value>& args,
                      const Args& call) {
  auto argument = [&](size_t index, const char* keyword) -> const Value* {
    if (index < args.size()) return &args[index];
    return KeywordArg(call, keyword);
  };
  if (name == "sub" || name == "subn") {
    const Value* repl = argument(0, "repl");
    const Value* string = argument(1, "string");
    if (repl == nullptr || string == nullptr) {
      return base::Fail(c.Throw("TypeError", name + "() missing required arguments"));
    }
    auto subject = Subject(c, *string);
    if (!subject) return base::Fail(subject.error());
    const Value* count = argument(2, "count");
    return Sub(c, re, *repl, *subject, count != nullptr ? count->AsInt() : 0);
  }
  const Value* string = argument(0, "string");
  if (string == nullptr) return base::Fail(c.Throw("TypeError", name + "() missing 'string'"));
  auto subject = Subject(c, *string);
  if (!subject) return base::Fail(subject.error());
  if (name == "findall") return FindAll(re, *subject);
  if (name == "finditer") {
    std::vector<Value> out;
    for (const auto& match : AllMatches(re, *subject)) out.push_back(Value::Host(match));
    return Value::List(std::move(out));
  }
  if (name == "split") {
    const Value* maxsplit = argument(1, "maxsplit");
    return Split(re, *subject, maxsplit != nullptr ? maxsplit->AsInt() : 0);
  }
  Anchor anchor = name == "match" ? Anchor::kMatch : name == "fullmatch" ? Anchor::kFull
                                                                          : Anchor::kSearch;
  auto match = MatchAt(re, *subject, 0, anchor);
  if (match == nullptr) return Value();
  return Value::Host(match);
}

bool IsOperation(std::string_view name) {
  for (std::string_view op :
       {"match", "search", "fullmatch", "sub", "findall", "finditer", "split"}) {
    if (name == op) return true;
  }
  return false;
}

class PatternValue : public HostObject {
 public:
  PatternValue(std::shared_ptr<const re2::RE2> re, std::string pattern, int64_t flags)
      : re_(std::move(re)), pattern_(std::move(pattern)), flags_(flags) {}
  std::string TypeName() const override { return "Pattern"; }
  std::string Repr() const override { return "re.compile(" + StrRepr(pattern_) + ")"; }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "pattern") return Value::Str(pattern_);
    if (name == "flags") return Value::Int(flags_ | 32);  // re.UNICODE, as Python reports
    if (name == "groups") return Value::Int(re_->NumberOfCapturingGroups());
    if (!IsOperation(name)) return std::nullopt;
    auto re = re_;
    std::string op(name);
    return Value::Builtin(op, [re, op](CallContext& c, Args& a) -> Result<Value> {
      return Operate(c, re, op, a.positional, a);
    });
  }

 private:
  std::shared_ptr<const re2::RE2> re_;
  std::string pattern_;
  int64_t flags_;
};

// The flags argument of a module-level function, by position or keyword.
int64_t FlagsOf(const Args& a, size_t position) {
  const Value* flags = a.positional.size() > position ? &a.positional[position]
                                                      : KeywordArg(a, "flags");
  return flags != nullptr && flags->Is(Kind::kInt) ? flags->AsInt() : 0;
}

}  // namespace

Value MakeReModule() {
  auto module = std::make_shared<ModuleObject>();
  module->name = "re";
  for (const auto& [name, value] : std::vector<std::pair<const char*, int64_t>>{
           {"I", kIgnoreCase}, {"IGNORECASE", kIgnoreCase}, {"M", kMultiline},
           {"MULTILINE", kMultiline}, {"S", kDotAll}, {"DOTALL", kDotAll},
           {"X", kVerbose}, {"VERBOSE", kVerbose}, {"A", kAscii}, {"ASCII", kAscii},
           {"U", 32}, {"UNICODE", 32}}) {
    module->attributes[name] = Value::Int(value);
  }
  module->attributes["compile"] =
      Value::Builtin("compile", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "compile", a, 1, 2, {"flags"}));
        auto pattern = Subject(c, a.positional[0]);
        if (!pattern) return base::Fail(pattern.error());
        int64_t flags = FlagsOf(a, 1);
        auto re = Compile(c, *pattern, flags);
        if (!re) return base::Fail(re.error());
        return Value::Host(std::make_shared<PatternValue>(*re, *pattern, flags));
      });
  // Module-level functions: pattern first; the flags come last.
  struct Operation {
    const char* name;
    size_t flags_position;  // positional index of flags= in Python's signature
  };
  for (const Operation& operation :
       {Operation{"match", 2}, Operation{"search", 2}, Operation{"fullmatch", 2},
        Operation{"findall", 2}, Operation{"finditer", 2}, Operation{"split", 3},
        Operation{"sub", 4}}) {
    std::string name = operation.name;
    size_t flags_position = operation.flags_position;
    module->attributes[name] =
        Value::Builtin(name, [name, flags_position](CallContext& c, Args& a) -> Result<Value> {
          if (a.positional.empty()) return base::Fail(c.Throw("TypeError", name + "() missing pattern"));
          auto pattern = Subject(c, a.positional[0]);
          if (!pattern) return base::Fail(pattern.error());
          auto re = Compile(c, *pattern, FlagsOf(a, flags_position));
          if (!re) return base::Fail(re.error());
          std::vector<Value> rest(a.positional.begin() + 1,
                                  a.positional.begin() +
                                      static_cast<ptrdiff_t>(std::min(a.positional.size(),
                                                                      flags_position)));
          return Operate(c, *re, name, rest, a);
        });
  }
  module->attributes["escape"] =
      Value::Builtin("escape", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "escape", a, 1, 1));
        auto text = Subject(c, a.positional[0]);
        if (!text) return base::Fail(text.error());
        // Python escapes every character that is special in a pattern.
        static const std::string kSpecial = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f";
        std::string out;
        for (char ch : *text) {
          if (kSpecial.find(ch) != std::string::npos) out += '\\';
          out += ch;
        }
        return Value::Str(out);
      });
  return Value::Module(module);
}

}  // namespace sqlmend::python
