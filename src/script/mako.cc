#include "script/mako.h"

#include <fmt/format.h>

#include <cctype>

#include "base/gcc_workarounds.h"
#include "config/python_text.h"
#include "graph/revision_error.h"
#include "python/parser.h"
#include "python/string_literal.h"

namespace sqlmend::script {

MakoValue MakoValue::RevisionsAsScalar(const std::vector<std::string>& ids, bool as_list) {
  if (ids.empty()) return None();
  if (ids.size() == 1) return Str(ids[0]);
  return as_list ? List(ids) : Tuple(ids);
}

namespace {

using Value = MakoValue;
using Kind = MakoValue::Kind;

bool Truthy(const Value& v) {
  switch (v.kind) {
    case Kind::kUndefined:
    case Kind::kNone: return false;
    case Kind::kBool: return v.boolean;
    case Kind::kStr: return !v.str.empty();
    case Kind::kTuple:
    case Kind::kList: return !v.items.empty();
  }
  return false;
}

// The renderer of one template: a cursor over its text, the if-stack, and
// the output.
class Renderer {
 public:
  Renderer(std::string_view source, const MakoContext& context, const std::string& path)
      : source_(source), context_(context), path_(path) {}

  base::Result<std::string> Run();

 private:
  // One open `% if`: whether its enclosing block emits, whether a branch was
  // taken already, whether the current branch emits.
  struct IfFrame {
    bool parent_active;
    bool taken;
    bool active;
  };

  bool Active() const { return if_stack_.empty() || if_stack_.back().active; }
  void Emit(std::string_view text) {
    if (Active()) out_ += text;
  }
  base::Status Error(std::string message) const {
    return base::Status::Usage(fmt::format("{}:{}", path_, line_), std::move(message));
  }
  // Advances over source_[pos_, end), counting lines.
  void Skip(size_t end) {
    for (; pos_ < end; ++pos_) {
      if (source_[pos_] == '\n') ++line_;
    }
  }

  base::Status ControlLine(std::string_view text);
  base::Status Expression();
  base::Status Tag();
  base::Result<Value> Evaluate(std::string_view expression);
  base::Result<Value> Eval(const python::PythonModule& module, python::Node node, int depth);
  base::Result<std::string> ToStr(const Value& v);
  base::Result<std::string> Repr(const Value& v);
  base::Result<std::string> Comma(const Value& v);

  std::string_view source_;
  const MakoContext& context_;
  const std::string& path_;
  size_t pos_ = 0;
  int line_ = 1;
  std::vector<IfFrame> if_stack_;
  std::string out_;
};

base::Result<std::string> Renderer::Run() {
  bool line_start = true;
  while (pos_ < source_.size()) {
    if (line_start) {
      line_start = false;
      size_t first = source_.find_first_not_of(" \t", pos_);
      if (first != std::string_view::npos && source_.substr(first, 2) == "##") {
        size_t nl = source_.find('\n', first);
        Skip(nl == std::string_view::npos ? source_.size() : nl + 1);
        line_start = true;
        continue;
      }
      if (first != std::string_view::npos && source_[first] == '%') {
        if (source_.substr(first, 2) == "%%") {
          Emit(source_.substr(pos_, first - pos_));
          Emit("%");
          Skip(first + 2);
          continue;
        }
        size_t nl = source_.find('\n', first);
        size_t end = nl == std::string_view::npos ? source_.size() : nl;
        SQLMEND_RETURN_IF_ERROR(ControlLine(source_.substr(first + 1, end - first - 1)));
        Skip(nl == std::string_view::npos ? source_.size() : nl + 1);
        line_start = true;
        continue;
      }
    }
    // Plain text up to the next construct or the end of the line.
    size_t next = source_.find_first_of("$<\\\n", pos_);
    if (next == std::string_view::npos) {
      Emit(source_.substr(pos_));
      Skip(source_.size());
      break;
    }
    Emit(source_.substr(pos_, next - pos_));
    Skip(next);
    char c = source_[pos_];
    if (c == '\n') {
      Emit("\n");
      Skip(pos_ + 1);
      line_start = true;
    } else if (c == '\\' && source_.substr(pos_, 2) == "\\\n") {
      Skip(pos_ + 2);  // line continuation: the newline is dropped
      line_start = true;
    } else if (c == '$' && source_.substr(pos_, 2) == "${") {
      SQLMEND_RETURN_IF_ERROR(Expression());
    } else if (c == '<' && (source_.substr(pos_, 2) == "<%" || source_.substr(pos_, 3) == "</%")) {
      SQLMEND_RETURN_IF_ERROR(Tag());
    } else {
      Emit(source_.substr(pos_, 1));
      Skip(pos_ + 1);
    }
  }
  if (!if_stack_.empty()) return base::Fail(Error("'% if' without '% endif'"));
  return out_;
}

std::string_view Strip(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

bool StartsWithWord(std::string_view s, std::string_view word) {
  return s.substr(0, word.size()) == word &&
         (s.size() == word.size() || s[word.size()] == ' ' || s[word.size()] == '\t' ||
          s[word.size()] == ':' || s[word.size()] == '(');
}

base::Status Renderer::ControlLine(std::string_view text) {
  std::string_view body = Strip(text);
  auto condition = [&](size_t keyword_length) -> base::Result<bool> {
    std::string_view expr = Strip(body.substr(keyword_length));
    if (expr.empty() || expr.back() != ':') return base::Fail(Error("expected ':' in control line"));
    auto value = Evaluate(Strip(expr.substr(0, expr.size() - 1)));
    if (!value) return base::Fail(value.error());
    return Truthy(*value);
  };
  if (StartsWithWord(body, "if")) {
    bool parent = Active();
    auto test = condition(2);
    if (!test) return test.error();
    bool active = parent && *test;
    if_stack_.push_back({parent, active, active});
  } else if (StartsWithWord(body, "elif")) {
    if (if_stack_.empty()) return Error("'% elif' without '% if'");
    IfFrame& frame = if_stack_.back();
    if (frame.taken || !frame.parent_active) {
      frame.active = false;
    } else {
      auto test = condition(4);
      if (!test) return test.error();
      frame.active = frame.taken = *test;
    }
  } else if (StartsWithWord(body, "else")) {
    if (if_stack_.empty()) return Error("'% else' without '% if'");
    IfFrame& frame = if_stack_.back();
    frame.active = frame.parent_active && !frame.taken;
    frame.taken = true;
  } else if (StartsWithWord(body, "endif")) {
    if (if_stack_.empty()) return Error("'% endif' without '% if'");
    if_stack_.pop_back();
  } else {
    return Error(fmt::format("unsupported control line '% {}' (only if/elif/else/endif)", body));
  }
  return base::Status::Ok();
}

// The end of a Python string literal starting at `pos` (a quote), or npos.
size_t SkipStringLiteral(std::string_view s, size_t pos) {
  char quote = s[pos];
  bool triple = s.substr(pos, 3) == std::string(3, quote);
  size_t i = pos + (triple ? 3 : 1);
  while (i < s.size()) {
    if (s[i] == '\\') {
      i += 2;
      continue;
    }
    if (triple ? s.substr(i, 3) == std::string(3, quote) : s[i] == quote) {
      return i + (triple ? 3 : 1);
    }
    ++i;
  }
  return std::string_view::npos;
}

bool IsFilterList(std::string_view s) {
  if (Strip(s).empty()) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ',' || c == '.' ||
          c == ' ' || c == '\t' || c == '\n')) {
      return false;
    }
  }
  return true;
}

base::Status Renderer::Expression() {
  // Find the closing brace, skipping string literals and nested brackets;
  // note the last top-level '|' (the filter separator).
  size_t start = pos_ + 2;
  int depth = 0;
  size_t bar = std::string_view::npos;
  size_t i = start;
  for (; i < source_.size(); ++i) {
    char c = source_[i];
    if (c == '\'' || c == '"') {
      size_t end = SkipStringLiteral(source_, i);
      if (end == std::string_view::npos) break;
      i = end - 1;
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0 && c == '}') break;
      --depth;
    } else if (c == '|' && depth == 0) {
      bar = i;
    }
  }
  if (i >= source_.size()) return Error("unterminated ${...} expression");
  if (!Active()) {  // Mako never evaluates the expressions of a branch not taken
    Skip(i + 1);
    return base::Status::Ok();
  }
  std::string_view inside = source_.substr(start, i - start);
  std::vector<std::string> filters;
  if (bar != std::string_view::npos && IsFilterList(source_.substr(bar + 1, i - bar - 1))) {
    std::string_view list = source_.substr(bar + 1, i - bar - 1);
    inside = source_.substr(start, bar - start);
    size_t from = 0;
    while (from <= list.size()) {
      size_t comma = list.find(',', from);
      std::string_view name = Strip(list.substr(from, comma == std::string_view::npos
                                                          ? std::string_view::npos
                                                          : comma - from));
      while (!name.empty() && name.back() == '\n') name.remove_suffix(1);
      if (!name.empty()) filters.emplace_back(Strip(name));
      if (comma == std::string_view::npos) break;
      from = comma + 1;
    }
  }
  auto value = Evaluate(inside);
  if (!value) return value.error();
  bool default_filter = true;
  for (const auto& f : filters) {
    if (f == "n") default_filter = false;
  }
  Value v = *value;
  if (default_filter) {
    auto s = ToStr(v);
    if (!s) return s.error();
    v = Value::Str(*s);
  }
  for (const auto& f : filters) {
    if (f == "n") continue;
    if (f == "comma") {
      auto s = Comma(v);
      if (!s) return s.error();
      v = Value::Str(*s);
    } else if (f == "str") {
      auto s = ToStr(v);
      if (!s) return s.error();
      v = Value::Str(*s);
    } else if (f == "trim") {
      auto s = ToStr(v);
      if (!s) return s.error();
      v = Value::Str(std::string(config::PythonStrip(*s)));
    } else {
      return Error(fmt::format("unsupported filter '{}'", f));
    }
  }
  auto text = ToStr(v);
  if (!text) return text.error();
  Emit(*text);
  Skip(i + 1);
  return base::Status::Ok();
}

base::Status Renderer::Tag() {
  auto block = [&](std::string_view open, std::string_view close) -> std::string_view {
    size_t end = source_.find(close, pos_ + open.size());
    if (end == std::string_view::npos) return {};
    return source_.substr(pos_ + open.size(), end - pos_ - open.size());
  };
  if (source_.substr(pos_, 7) == "<%text>") {
    size_t end = source_.find("</%text>", pos_);
    if (end == std::string_view::npos) return Error("<%text> without </%text>");
    Emit(source_.substr(pos_ + 7, end - pos_ - 7));
    Skip(end + 8);
    return base::Status::Ok();
  }
  if (source_.substr(pos_, 6) == "<%doc>") {
    size_t end = source_.find("</%doc>", pos_);
    if (end == std::string_view::npos) return Error("<%doc> without </%doc>");
    Skip(end + 7);
    return base::Status::Ok();
  }
  if (source_.substr(pos_, 3) == "<%!") {
    std::string_view code = block("<%!", "%>");
    size_t from = 0;
    while (from < code.size()) {
      size_t nl = code.find('\n', from);
      std::string_view line =
          Strip(code.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from));
      if (!line.empty() && !StartsWithWord(line, "import") && !StartsWithWord(line, "from")) {
        return Error("unsupported <%! ... %> module block (only imports)");
      }
      if (nl == std::string_view::npos) break;
      from = nl + 1;
    }
    size_t end = source_.find("%>", pos_ + 3);
    if (end == std::string_view::npos) return Error("<%! without %>");
    Skip(end + 2);
    return base::Status::Ok();
  }
  return Error(
      fmt::format("unsupported Mako tag '{}'", python::Abbreviate(source_.substr(pos_, 20), 20)));
}

base::Result<Value> Renderer::Evaluate(std::string_view expression) {
  std::string text(Strip(expression));
  auto module = python::PythonModule::Parse("(" + text + ")\n", path_);
  if (!module) return base::Fail(Error(fmt::format("cannot parse expression '{}'", text)));
  python::Node root = module->Root();
  if (root.NamedChildCount() != 1 || !root.NamedChild(0).Is("expression_statement") ||
      root.NamedChild(0).NamedChildCount() != 1) {
    return base::Fail(Error(fmt::format("not a single expression: '{}'", text)));
  }
  return Eval(*module, root.NamedChild(0).NamedChild(0), 0);
}

base::Result<Value> Renderer::Eval(const python::PythonModule& module, python::Node node,
                                   int depth) {
  // Template expressions are a line long; the cap only guards the recursion.
  constexpr int kMaxDepth = 50;
  if (depth > kMaxDepth) return base::Fail(Error("expression nested too deeply"));
  std::string_view type = node.Type();
  auto operand = [&](python::Node child) { return Eval(module, child, depth + 1); };
  if (type == "identifier") {
    auto it = context_.find(std::string(module.Text(node)));
    return it == context_.end() ? Value{} : it->second;
  }
  if (type == "none") return Value::None();
  if (type == "true" || type == "false") return Value::Bool(type == "true");
  if (python::IsStringLiteral(node)) {
    auto s = python::DecodeStringLiteral(module, node);
    if (!s) return base::Fail(Error(s.error().message()));
    return Value::Str(*s);
  }
  if (type == "parenthesized_expression" && node.NamedChildCount() == 1) {
    return operand(node.NamedChild(0));
  }
  if (type == "conditional_expression" && node.NamedChildCount() == 3) {
    auto test = operand(node.NamedChild(1));
    if (!test) return test;
    return operand(node.NamedChild(Truthy(*test) ? 0 : 2));
  }
  if (type == "not_operator") {
    auto v = operand(node.Field("argument"));
    if (!v) return v;
    return Value::Bool(!Truthy(*v));
  }
  if (type == "boolean_operator") {
    auto left = operand(node.Field("left"));
    if (!left) return left;
    bool is_and = module.Text(node.Field("operator")) == "and";
    if (Truthy(*left) != is_and) return left;  // short-circuit, as Python
    return operand(node.Field("right"));
  }
  if (type == "comparison_operator" && node.NamedChildCount() == 2) {
    auto left = operand(node.NamedChild(0));
    if (!left) return left;
    auto right = operand(node.NamedChild(1));
    if (!right) return right;
    std::string op;
    SQLMEND_GCC12_STRING_PLUS_BEGIN
    for (uint32_t i = 0; i < node.ChildCount(); ++i) {
      if (!node.Child(i).IsNamed()) op += (op.empty() ? "" : " ") + std::string(node.Child(i).Type());
    }
    SQLMEND_GCC12_STRING_PLUS_END
    bool equal = left->kind == right->kind && left->boolean == right->boolean &&
                 left->str == right->str && left->items == right->items;
    if (op == "==" || op == "is") return Value::Bool(equal);
    if (op == "!=" || op == "is not") return Value::Bool(!equal);
    return base::Fail(Error(fmt::format("unsupported comparison '{}'", op)));
  }
  if (type == "call") {
    std::string_view function = module.Text(node.Field("function"));
    python::Node args = node.Field("arguments");
    if (args.Is("argument_list") && args.NamedChildCount() == 1 &&
        (function == "repr" || function == "str" || function == "comma")) {
      auto v = operand(args.NamedChild(0));
      if (!v) return v;
      auto s = function == "repr" ? Repr(*v) : function == "str" ? ToStr(*v) : Comma(*v);
      if (!s) return base::Fail(s.error());
      return Value::Str(*s);
    }
    return base::Fail(
        Error(fmt::format("unsupported call '{}'", python::Abbreviate(module.Text(node)))));
  }
  return base::Fail(
      Error(fmt::format("unsupported expression '{}'", python::Abbreviate(module.Text(node)))));
}

base::Result<std::string> Renderer::ToStr(const Value& v) {
  switch (v.kind) {
    case Kind::kUndefined: return base::Fail(Error("an undefined name is printed (Mako: UNDEFINED)"));
    case Kind::kNone: return std::string("None");
    case Kind::kBool: return std::string(v.boolean ? "True" : "False");
    case Kind::kStr: return v.str;
    case Kind::kTuple: return graph::PythonTupleRepr(v.items);
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < v.items.size(); ++i) {
        out += (i ? ", " : "") + config::PythonRepr(v.items[i]);
      }
      return out + "]";
    }
  }
  return std::string();
}

base::Result<std::string> Renderer::Repr(const Value& v) {
  if (v.kind == Kind::kStr) return config::PythonRepr(v.str);
  return ToStr(v);
}

base::Result<std::string> Renderer::Comma(const Value& v) {
  switch (v.kind) {
    case Kind::kNone: return std::string();
    case Kind::kStr: return v.str;
    case Kind::kTuple:
    case Kind::kList: {
      std::string out;
      for (size_t i = 0; i < v.items.size(); ++i) out += (i ? ", " : "") + v.items[i];
      return out;
    }
    default: return base::Fail(Error("comma() of a value that is not None, a str or a tuple"));
  }
}

}  // namespace

base::Result<std::string> RenderMako(std::string_view source, const MakoContext& context,
                                     const std::string& path) {
  return Renderer(source, context, path).Run();
}

}  // namespace sqlmend::script
