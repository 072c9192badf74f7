// Expressions: literals, names, operators, strings and f-strings,
// containers and comprehensions, subscripts and slices.
#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <utility>

#include "python/builtins.h"
#include "python/format.h"
#include "python/interpreter.h"
#include "python/placeholder.h"
#include "python/operators.h"
#include "python/string_literal.h"

namespace sqlmend::python {

using base::Result;
using base::Status;
using Kind = Value::Kind;

Result<Value> Interpreter::Eval(Node expression) {
  SQLMEND_RETURN_IF_ERROR(EnterNesting(expression, "expression"));
  auto result = EvalInner(expression);
  --syntax_depth_;
  if (result) {
    current_node_ = expression;
    SQLMEND_RETURN_IF_ERROR(CheckSize(*this, *result));
  }
  return result;
}

Result<Value> Interpreter::BinaryOperationAt(Node where, std::string_view op, const Value& left,
                                             const Value& right) {
  current_node_ = where;
  return Operate(op, left, right);
}

// `a if c else b`, `and`/`or`, `not`: each asks the truth of a value
// (Truth(), which may call __bool__). Kept out of EvalInner so that its
// stack frame, paid at every nesting level, stays small.
[[gnu::noinline]] Result<Value> Interpreter::EvalLogical(Node expression, std::string_view type) {
  if (type == "conditional_expression") {
    auto condition = Eval(expression.NamedChild(1));
    if (!condition) return condition;
    auto truth = Truth(*condition);
    if (!truth) return base::Fail(truth.error());
    return Eval(expression.NamedChild(*truth ? 0 : 2));
  }
  if (type == "boolean_operator") {
    auto left = Eval(expression.Field("left"));
    if (!left) return left;
    bool is_and = NodeText(expression.Field("operator")) == "and";
    auto truth = Truth(*left);
    if (!truth) return base::Fail(truth.error());
    if (*truth != is_and) return left;
    return Eval(expression.Field("right"));
  }
  if (type == "not_operator") {
    auto operand = Eval(expression.Field("argument"));
    if (!operand) return operand;
    current_node_ = expression;
    auto truth = Truth(*operand);
    if (!truth) return base::Fail(truth.error());
    return Value::Bool(!*truth);
  }
  return base::Fail(ErrorAt(expression, "unsupported: expression " + std::string(type)));
}

// EvalInner is a dispatcher: every level of a nested expression pays for
// its stack frame (and Eval's), so the work of each kind is done in a
// helper that is not inlined into it; a frame kept small lets the nesting
// caps (kMaxEvaluationDepth) hold in sanitizer builds too.
Result<Value> Interpreter::EvalInner(Node expression) {
  current_node_ = expression;
  std::string_view type = expression.Type();
  if (type == "identifier") return LookupName(expression);
  if (type == "true") return Value::Bool(true);
  if (type == "false") return Value::Bool(false);
  if (type == "none") return Value::None();
  if (type == "integer" || type == "float") return EvalNumber(expression);
  if (type == "ellipsis") return EllipsisValue();
  if (type == "string" || type == "concatenated_string") return EvalString(expression);
  if (type == "parenthesized_expression") return Eval(expression.NamedChild(0));
  if (type == "list_comprehension" || type == "set_comprehension" ||
      type == "dictionary_comprehension" || type == "generator_expression") {
    return EvalComprehension(expression);
  }
  if (type == "conditional_expression" || type == "boolean_operator" ||
      type == "not_operator") {
    return EvalLogical(expression, type);
  }
  if (type == "comparison_operator") return EvalComparison(expression);
  if (type == "subscript") return EvalSubscript(expression);
  if (type == "call") return EvalCall(expression);
  if (type == "lambda") return EvalLambda(expression);
  if (type == "yield") return EvalYield(expression);
  return EvalOther(expression, type);
}

// Displays (list, tuple, set, dict), operators, attributes, `:=`.
[[gnu::noinline]] Result<Value> Interpreter::EvalOther(Node expression, std::string_view type) {
  if (type == "list" || type == "tuple" || type == "expression_list" || type == "set") {
    auto items = EvalSequenceItems(expression);
    if (!items) return base::Fail(items.error());
    if (type == "list") return Value::List(std::move(*items));
    if (type == "set") return Value::Set(std::move(*items));
    return Value::Tuple(std::move(*items));
  }
  if (type == "dictionary") {
    Value dict = Value::Dict();
    for (uint32_t i = 0; i < expression.NamedChildCount(); ++i) {
      Node child = expression.NamedChild(i);
      if (child.Is("pair")) {
        auto key = Eval(child.Field("key"));
        if (!key) return key;
        auto value = Eval(child.Field("value"));
        if (!value) return value;
        dict.AsDict().Set(*key, std::move(*value));
      } else if (child.Is("dictionary_splat")) {
        auto other = Eval(child.NamedChild(0));
        if (!other) return other;
        *other = Value(BuiltinValueOf(*other));  // a dict subclass spreads its items
        if (!other->Is(Kind::kDict)) {
          return base::Fail(
              ThrowAt(child, "TypeError", "'" + other->TypeName() + "' object is not a mapping"));
        }
        for (const auto& [k, v] : other->AsDict().entries) dict.AsDict().Set(k, v);
      }
    }
    return dict;
  }
  if (type == "binary_operator") {
    auto left = Eval(expression.Field("left"));
    if (!left) return left;
    auto right = Eval(expression.Field("right"));
    if (!right) return right;
    return BinaryOperationAt(expression, NodeText(expression.Field("operator")), *left, *right);
  }
  if (type == "unary_operator") {
    auto operand = Eval(expression.Field("argument"));
    if (!operand) return operand;
    current_node_ = expression;
    return UnaryOperate(NodeText(expression.Field("operator")), *operand);
  }
  if (type == "attribute") {
    auto object = Eval(expression.Field("object"));
    if (!object) return object;
    current_node_ = expression;
    return GetAttr(*object, NodeText(expression.Field("attribute")));
  }
  if (type == "named_expression") {
    auto value = Eval(expression.Field("value"));
    if (!value) return value;
    SQLMEND_RETURN_IF_ERROR(Assign(expression.Field("name"), *value));
    return value;
  }
  if (type == "keyword_argument" || type == "list_splat" || type == "dictionary_splat") {
    return base::Fail(ErrorAt(expression, "unsupported: " + std::string(type) + " here"));
  }
  return base::Fail(ErrorAt(expression, "unsupported: " + std::string(type)));
}

namespace {

class Ellipsis : public HostObject {
 public:
  std::string TypeName() const override { return "ellipsis"; }
  std::string Repr() const override { return "Ellipsis"; }
};

}  // namespace

Value EllipsisValue() {
  static const auto* ellipsis = new Value(Value::Host(std::make_shared<Ellipsis>()));
  return *ellipsis;
}

Result<Value> Interpreter::EvalNumber(Node literal) {
  std::string text;
  for (char c : NodeText(literal)) {
    if (c != '_') text += c;
  }
  if (!text.empty() && (text.back() == 'j' || text.back() == 'J')) {
    return base::Fail(ErrorAt(literal, "unsupported: complex number"));
  }
  if (literal.Is("float")) {
    double value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
      return base::Fail(ErrorAt(literal, "unsupported: float literal " + text));
    }
    return Value::Float(value);
  }
  int base = 10;
  size_t skip = 0;
  if (text.size() > 2 && text[0] == '0') {
    char marker = static_cast<char>(text[1] | 0x20);
    if (marker == 'x') base = 16;
    if (marker == 'o') base = 8;
    if (marker == 'b') base = 2;
    if (base != 10) skip = 2;
  }
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data() + skip, text.data() + text.size(), value, base);
  if (ec == std::errc::result_out_of_range) {
    return base::Fail(ErrorAt(literal, "unsupported: int literal beyond 64 bits"));
  }
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return base::Fail(ErrorAt(literal, "unsupported: int literal " + text));
  }
  return Value::Int(value);
}

Result<Value> Interpreter::EvalString(Node string) {
  if (string.Is("concatenated_string")) {
    std::string out;
    std::optional<Kind> kind;
    for (uint32_t i = 0; i < string.NamedChildCount(); ++i) {
      Node part_node = string.NamedChild(i);
      if (!part_node.Is("string")) continue;  // a comment between the parts
      auto part = EvalString(part_node);
      if (!part) return part;
      if (kind && *kind != part->kind()) {
        return base::Fail(ErrorAt(part_node, "SyntaxError: cannot mix bytes and nonbytes literals"));
      }
      kind = part->kind();
      out += part->AsStr();
    }
    return kind == Kind::kBytes ? Value::Bytes(std::move(out)) : Value::Str(std::move(out));
  }
  std::string_view start = current_module_->Text(string.Child(0));
  if (start.find_first_of("fF") != std::string_view::npos) return EvalFString(string);
  auto literal = DecodeLiteral(*current_module_, string);
  if (!literal) {
    pending_exception_ = Value();
    return base::Fail(literal.error());
  }
  if (literal->bytes) return Value::Bytes(std::move(literal->value));
  return Value::Str(std::move(literal->value));
}

Result<Value> Interpreter::EvalFString(Node string) {
  std::string prefix;
  std::string quote = NodeText(string.Child(string.ChildCount() - 1));
  for (char c : current_module_->Text(string.Child(0))) {
    if (c != 'f' && c != 'F' && c != '"' && c != '\'') prefix += c;
  }
  std::string out;
  for (uint32_t i = 1; i + 1 < string.ChildCount(); ++i) {
    Node part = string.Child(i);
    if (part.Is("string_content")) {
      // {{ and }} stand for braces; no escape sequence can produce them, so
      // they are undone before the escapes are decoded.
      std::string raw;
      std::string_view text = current_module_->Text(part);
      for (size_t k = 0; k < text.size(); ++k) {
        raw += text[k];
        if ((text[k] == '{' || text[k] == '}') && k + 1 < text.size() && text[k + 1] == text[k])
          ++k;
      }
      auto decoded = DecodeStringToken(prefix + quote + raw + quote);
      if (!decoded) return base::Fail(ErrorAt(part, decoded.error().message));
      out += *decoded;
      continue;
    }
    if (!part.Is("interpolation")) continue;
    Node expression = part.Field("expression");
    auto value = Eval(expression);
    if (!value) return value;
    std::string conversion;
    Node spec_node;
    bool self_documenting = false;
    for (uint32_t k = 0; k < part.ChildCount(); ++k) {
      Node child = part.Child(k);
      if (child.Is("type_conversion")) conversion = NodeText(child);
      if (child.Is("format_specifier")) spec_node = child;
      if (child.Is("=")) self_documenting = true;
    }
    if (self_documenting) {
      // The text between '{' and the conversion, spec or '}', spaces kept.
      uint32_t end = part.EndByte() - 1;
      for (uint32_t k = 0; k < part.ChildCount(); ++k) {
        Node child = part.Child(k);
        if (child.Is("type_conversion") || child.Is("format_specifier"))
          end = std::min(end, child.StartByte());
      }
      out += current_module_->source().substr(part.StartByte() + 1, end - part.StartByte() - 1);
      if (conversion.empty() && spec_node.IsNull()) conversion = "!r";
    }
    // The spec, with nested replacement fields ({width}) evaluated.
    std::string spec;
    if (!spec_node.IsNull()) {
      uint32_t cursor = spec_node.StartByte() + 1;  // after ':'
      for (uint32_t k = 0; k < spec_node.NamedChildCount(); ++k) {
        Node nested = spec_node.NamedChild(k);
        spec += current_module_->source().substr(cursor, nested.StartByte() - cursor);
        auto nested_value = Eval(nested.Field("expression"));
        if (!nested_value) return nested_value;
        spec += ToStr(*nested_value);
        cursor = nested.EndByte();
      }
      spec += current_module_->source().substr(cursor, spec_node.EndByte() - cursor);
    }
    Value shown = *value;
    if (!conversion.empty()) {
      auto text = Text(*value, conversion != "!s");
      if (!text) return base::Fail(text.error());
      shown = Value::Str(std::move(*text));
    }
    current_node_ = part;
    auto text = FormatValue(*this, shown, spec);
    if (!text) return base::Fail(text.error());
    out += *text;
  }
  return Value::Str(std::move(out));
}

Result<std::vector<Value>> Interpreter::EvalSequenceItems(Node container) {
  std::vector<Value> items;
  for (uint32_t i = 0; i < container.NamedChildCount(); ++i) {
    Node child = container.NamedChild(i);
    if (child.Is("comment")) continue;
    if (child.Is("list_splat")) {
      auto spread = Eval(child.NamedChild(0));
      if (!spread) return base::Fail(spread.error());
      current_node_ = child;
      auto spread_items = Iterate(*spread);
      if (!spread_items) return spread_items;
      items.insert(items.end(), spread_items->begin(), spread_items->end());
      continue;
    }
    auto value = Eval(child);
    if (!value) return base::Fail(value.error());
    items.push_back(std::move(*value));
  }
  return items;
}

Result<Value> Interpreter::EvalComprehension(Node comprehension) {
  // The first `for`'s iterable is evaluated in the enclosing scope, as in
  // Python: a comprehension in a class body iterates a class attribute
  // (`files = [f(d) for d in dirs]`).
  std::optional<Value> first_iterable;
  for (uint32_t i = 1; i < comprehension.NamedChildCount(); ++i) {
    Node clause = comprehension.NamedChild(i);
    if (clause.Is("comment")) continue;
    if (clause.Is("for_in_clause") && !clause.Child(0).Is("async")) {
      auto iterable = Eval(clause.Field("right"));
      if (!iterable) return iterable;
      first_iterable = std::move(*iterable);
    }
    break;
  }
  Frame frame;
  frame.locals = MakeScope();
  frame.locals->enclosing = ClosureScope();
  frame.syntax_base = frames_.back()->syntax_base;
  FramePush push(*this, frame);
  std::vector<Value> out;
  bool is_dict = comprehension.Is("dictionary_comprehension");
  Value dict = is_dict ? Value::Dict() : Value();
  SQLMEND_RETURN_IF_ERROR(
      RunComprehensionClauses(comprehension, 1, out, is_dict ? &dict : nullptr,
                              first_iterable ? &*first_iterable : nullptr));
  if (is_dict) return dict;
  if (comprehension.Is("set_comprehension")) return Value::Set(std::move(out));
  return Value::List(std::move(out));
}

Status Interpreter::RunComprehensionClauses(Node comprehension, uint32_t clause_index,
                                            std::vector<Value>& out, Value* dict_out,
                                            const Value* first_iterable) {
  // Named children: the body, then for_in_clause and if_clause in order.
  while (clause_index < comprehension.NamedChildCount() &&
         comprehension.NamedChild(clause_index).Is("comment")) {
    ++clause_index;
  }
  if (clause_index >= comprehension.NamedChildCount()) {
    Node body = comprehension.Field("body");
    if (out.size() >= static_cast<size_t>(kMaxIterations) ||
        (dict_out && dict_out->AsDict().entries.size() >= static_cast<size_t>(kMaxIterations))) {
      return ErrorAt(comprehension, "unsupported: comprehension of more than " +
                                        std::to_string(kMaxIterations) + " items");
    }
    if (dict_out != nullptr) {
      auto key = Eval(body.Field("key"));
      if (!key) return key.error();
      auto value = Eval(body.Field("value"));
      if (!value) return value.error();
      dict_out->AsDict().Set(*key, std::move(*value));
      return Status::Ok();
    }
    auto value = Eval(body);
    if (!value) return value.error();
    out.push_back(std::move(*value));
    return Status::Ok();
  }
  Node clause = comprehension.NamedChild(clause_index);
  if (clause.Is("if_clause")) {
    auto condition = Eval(clause.NamedChild(0));
    if (!condition) return condition.error();
    auto truth = Truth(*condition);
    if (!truth) return truth.error();
    if (!*truth) return Status::Ok();
    return RunComprehensionClauses(comprehension, clause_index + 1, out, dict_out);
  }
  if (!clause.Is("for_in_clause"))
    return ErrorAt(clause, "unsupported: " + std::string(clause.Type()));
  if (clause.Child(0).Is("async")) return ErrorAt(clause, "unsupported: async comprehension");
  auto iterable = first_iterable != nullptr ? Result<Value>(*first_iterable)
                                            : Eval(clause.Field("right"));
  if (!iterable) return iterable.error();
  current_node_ = clause.Field("right");
  auto items = Iterate(*iterable);
  if (!items) return items.error();
  int64_t count = 0;
  for (Value& item : *items) {
    if (++count > kMaxIterations) {
      return ErrorAt(clause, "unsupported: loop of more than " + std::to_string(kMaxIterations) +
                                 " iterations");
    }
    SQLMEND_RETURN_IF_ERROR(CountStep(clause));
    SQLMEND_RETURN_IF_ERROR(Assign(clause.Field("left"), std::move(item)));
    SQLMEND_RETURN_IF_ERROR(
        RunComprehensionClauses(comprehension, clause_index + 1, out, dict_out));
  }
  return Status::Ok();
}

Result<Value> Interpreter::EvalComparison(Node comparison) {
  auto left = Eval(comparison.NamedChild(0));
  if (!left) return left;
  uint32_t operand = 1;
  for (uint32_t i = 1; i < comparison.ChildCount(); ++i) {
    Node child = comparison.Child(i);
    if (child.IsNamed()) continue;
    // "not in" and "is not" arrive as two tokens in some grammar versions.
    std::string op = NodeText(child);
    if ((op == "not" || op == "is") && i + 1 < comparison.ChildCount() &&
        !comparison.Child(i + 1).IsNamed()) {
      op += " " + NodeText(comparison.Child(++i));
    }
    auto right = Eval(comparison.NamedChild(operand++));
    if (!right) return right;
    current_node_ = comparison;
    // `a < b < c` is `(a < b) and (b < c)`: each result is kept as it is
    // (a SQL expression for a column), and a false one ends the chain.
    Value result;
    if (op == "in" || op == "not in") {
      auto found = ContainsItem(*right, *left);
      if (!found) return base::Fail(found.error());
      result = Value::Bool(op == "in" ? *found : !*found);
    } else if (op == "is" || op == "is not") {
      auto holds = Compare(*this, op, *left, *right);
      if (!holds) return base::Fail(holds.error());
      result = Value::Bool(*holds);
    } else {
      auto operated = Operate(op, *left, *right);
      if (!operated) return operated;
      result = std::move(*operated);
    }
    if (i + 2 >= comparison.ChildCount()) return result;
    auto truth = Truth(result);
    if (!truth) return base::Fail(truth.error());
    if (!*truth) return result;
    left = std::move(right);
  }
  return Value::Bool(true);
}

namespace {

// Python's slice.indices(): clamps start and stop for a sequence of `size`.
void SliceIndices(int64_t size, const std::optional<int64_t>& start_in,
                  const std::optional<int64_t>& stop_in, int64_t step, int64_t& start,
                  int64_t& stop) {
  auto clamp = [&](std::optional<int64_t> v, int64_t fallback) {
    if (!v) return fallback;
    int64_t x = *v < 0 ? *v + size : *v;
    if (step > 0) return std::clamp<int64_t>(x, 0, size);
    return std::clamp<int64_t>(x, -1, size - 1);
  };
  start = clamp(start_in, step > 0 ? 0 : size - 1);
  stop = clamp(stop_in, step > 0 ? size : -1);
}

// The key expressions of a subscript. Several (`a[1, 2]`) form a tuple key:
// every named child but the subscripted value (and comments). NOTE:
// ts_node_field_name_for_child names the comma after the first key
// "subscript" too, so fields cannot tell keys from commas.
std::vector<Node> SubscriptKeyNodes(Node subscript) {
  std::vector<Node> keys;
  Node value_node = subscript.Field("value");
  for (uint32_t i = 0; i < subscript.NamedChildCount(); ++i) {
    Node child = subscript.NamedChild(i);
    if (ts_node_eq(child.raw(), value_node.raw()) || child.Is("comment")) continue;
    keys.push_back(child);
  }
  return keys;
}

}  // namespace

Result<std::array<std::optional<int64_t>, 3>> Interpreter::EvalSliceParts(Node key_node) {
  std::array<std::optional<int64_t>, 3> parts;
  int part = 0;
  for (uint32_t i = 0; i < key_node.ChildCount(); ++i) {
    Node child = key_node.Child(i);
    if (!child.IsNamed()) {
      if (NodeText(child) == ":") ++part;
      continue;
    }
    auto value = Eval(child);
    if (!value) return base::Fail(value.error());
    if (value->IsNone()) continue;
    if (!value->Is(Kind::kInt) && !value->Is(Kind::kBool)) {
      return base::Fail(
          ThrowAt(child, "TypeError",
                  "slice indices must be integers or None or have an __index__ method"));
    }
    parts[static_cast<size_t>(part)] = value->AsInt();
  }
  return parts;
}

Status Interpreter::AssignSlice(Node target, const Value& container, Value value) {
  Node key_node = target.Field("subscript");
  const Value& list = BuiltinValueOf(container);
  if (!list.Is(Kind::kList)) {
    return ThrowAt(target, "TypeError",
                   "'" + container.TypeName() + "' object does not support slice assignment");
  }
  auto parts = EvalSliceParts(key_node);
  if (!parts) return parts.error();
  if ((*parts)[2].value_or(1) != 1) {
    return ErrorAt(target, "unsupported: assignment to an extended slice");
  }
  auto items = Iterate(value);
  if (!items) return items.error();
  std::vector<Value>& elements = list.Items();
  int64_t start = 0, stop = 0;
  SliceIndices(static_cast<int64_t>(elements.size()), (*parts)[0], (*parts)[1], 1, start, stop);
  if (stop < start) stop = start;
  elements.erase(elements.begin() + start, elements.begin() + stop);
  elements.insert(elements.begin() + start, items->begin(), items->end());
  return Status::Ok();
}

Result<Value> Interpreter::EvalSubscript(Node subscript) {
  auto container = Eval(subscript.Field("value"));
  if (!container) return container;
  Node key_node = subscript.Field("subscript");
  std::vector<Node> keys = SubscriptKeyNodes(subscript);
  if (keys.size() == 1 && key_node.Is("slice")) {
    // A builtin subclass slices as its builtin value (a list slice is a list).
    *container = Value(BuiltinValueOf(*container));
    auto evaluated = EvalSliceParts(key_node);
    if (!evaluated) return base::Fail(evaluated.error());
    const auto& parts = *evaluated;
    int64_t step = parts[2].value_or(1);
    if (step == 0) return base::Fail(ThrowAt(key_node, "ValueError", "slice step cannot be zero"));
    if (container->Is(Kind::kBytes)) {
      const std::string& octets = container->AsBytes();
      int64_t start = 0, stop = 0;
      SliceIndices(static_cast<int64_t>(octets.size()), parts[0], parts[1], step, start, stop);
      std::string sliced;
      for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
        sliced += octets[static_cast<size_t>(i)];
      return Value::Bytes(std::move(sliced));
    }
    std::vector<Value> items;
    bool is_str = container->Is(Kind::kStr);
    if (is_str) {
      auto chars = Iterate(*container);
      if (!chars) return base::Fail(chars.error());
      items = std::move(*chars);
    } else if (container->IsSequence()) {
      items = container->Items();
    } else {
      return base::Fail(ThrowAt(subscript, "TypeError",
                                "'" + container->TypeName() + "' object is not subscriptable"));
    }
    int64_t start = 0, stop = 0;
    SliceIndices(static_cast<int64_t>(items.size()), parts[0], parts[1], step, start, stop);
    std::vector<Value> sliced;
    for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
      sliced.push_back(items[static_cast<size_t>(i)]);
    if (is_str) {
      std::string text;
      for (const Value& c : sliced) text += c.AsStr();
      return Value::Str(std::move(text));
    }
    return container->Is(Kind::kList) ? Value::List(std::move(sliced))
                                      : Value::Tuple(std::move(sliced));
  }
  auto key = EvalSubscriptKey(subscript);
  if (!key) return key;
  return Subscript(subscript, *container, *key);
}

Result<Value> Interpreter::EvalSubscriptKey(Node subscript) {
  std::vector<Node> keys = SubscriptKeyNodes(subscript);
  if (keys.size() == 1) return Eval(keys[0]);
  std::vector<Value> parts;
  for (Node k : keys) {
    auto v = Eval(k);
    if (!v) return v;
    parts.push_back(std::move(*v));
  }
  return Value::Tuple(std::move(parts));
}

Result<Value> Interpreter::Subscript(Node where, const Value& container, const Value& key) {
  current_node_ = where;
  if (container.Is(Kind::kInstance)) return InstanceSubscript(where, container, key);
  if (container.Is(Kind::kDict)) {
    Value* found = container.AsDict().Find(key);
    if (found == nullptr) return base::Fail(ThrowKeyError(key));
    return *found;
  }
  if (container.IsSequence() || container.IsText()) {
    if (!key.Is(Kind::kInt) && !key.Is(Kind::kBool)) {
      return base::Fail(ThrowAt(
          where, "TypeError",
          container.TypeName() + " indices must be integers or slices, not " + key.TypeName()));
    }
    if (container.Is(Kind::kBytes)) {
      // One octet, as an int.
      const std::string& octets = container.AsBytes();
      int64_t size = static_cast<int64_t>(octets.size());
      int64_t index = key.AsInt() < 0 ? key.AsInt() + size : key.AsInt();
      if (index < 0 || index >= size) return base::Fail(ThrowAt(where, "IndexError", "index out of range"));
      return Value::Int(static_cast<unsigned char>(octets[static_cast<size_t>(index)]));
    }
    std::vector<Value> chars;
    const std::vector<Value>* items = nullptr;
    if (container.Is(Kind::kStr)) {
      auto iterated = Iterate(container);
      if (!iterated) return base::Fail(iterated.error());
      chars = std::move(*iterated);
      items = &chars;
    } else {
      items = &container.Items();
    }
    int64_t size = static_cast<int64_t>(items->size());
    int64_t index = key.AsInt() < 0 ? key.AsInt() + size : key.AsInt();
    if (index < 0 || index >= size) {
      std::string what = container.Is(Kind::kStr) ? "string" : container.TypeName();
      return base::Fail(ThrowAt(where, "IndexError", what + " index out of range"));
    }
    return (*items)[static_cast<size_t>(index)];
  }
  if (container.Is(Kind::kHost)) return container.AsHost().GetItem(*this, key);
  if (container.Is(Kind::kClass) || container.Is(Kind::kBuiltin)) {
    // Type hints such as list[str] or Optional[int]: the type itself.
    return container;
  }
  return base::Fail(
      ThrowAt(where, "TypeError", "'" + container.TypeName() + "' object is not subscriptable"));
}

Status Interpreter::SetSubscript(Node where, const Value& container, const Value& key,
                                 Value value) {
  current_node_ = where;
  if (container.Is(Kind::kInstance)) {
    return InstanceSetSubscript(where, container, key, std::move(value));
  }
  if (container.Is(Kind::kDict)) {
    container.AsDict().Set(key, std::move(value));
    return Status::Ok();
  }
  if (container.Is(Kind::kList)) {
    if (!key.Is(Kind::kInt) && !key.Is(Kind::kBool)) {
      return ErrorAt(where, "unsupported: list assignment with a " + key.TypeName() + " index");
    }
    auto& items = container.Items();
    int64_t size = static_cast<int64_t>(items.size());
    int64_t index = key.AsInt() < 0 ? key.AsInt() + size : key.AsInt();
    if (index < 0 || index >= size)
      return ThrowAt(where, "IndexError", "list assignment index out of range");
    items[static_cast<size_t>(index)] = std::move(value);
    return Status::Ok();
  }
  // A placeholder takes item assignment as it takes attribute assignment
  // (`app.config["KEY"] = ...` on an application that is not installed).
  if (IsPlaceholder(container)) return Status::Ok();
  return ThrowAt(where, "TypeError",
                 "'" + container.TypeName() + "' object does not support item assignment");
}

}  // namespace sqlmend::python
