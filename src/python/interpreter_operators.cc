// Python's operator protocol: how `a + b`, `a == b`, `-a`, `a in b` and
// bool(a) reach a class's special methods (__add__, __radd__, __eq__,
// __neg__, __contains__, __bool__, __len__) and a host object's Operator(),
// UnaryOperator() and Bool(), before the builtin semantics of operators.h.
//
// The order is CPython's (Python reference, "Emulating numeric types" and
// "Rich comparison methods"):
//   1. the left operand's method (__add__; for a host object Operator());
//   2. when that is missing or returns NotImplemented, the right operand's
//      reflected method (__radd__; for comparisons the swapped one: the
//      reflection of `a < b` is `b > a`, of `a == b` is `b == a`);
//   3. the builtin operation, which raises TypeError for what it does not
//      support; == and != fall back to identity (and value equality of the
//      builtin kinds), as object.__eq__ does.
// NOTE: CPython tries the right operand first when its type is a subclass
// of the left's; scripts that rely on that are not seen in migrations.
#include <array>

#include "python/interpreter.h"
#include "python/operators.h"

namespace sqlmend::python {

using base::Result;
using Kind = Value::Kind;

namespace {

struct Dunder {
  std::string_view op;
  const char* method;
  const char* reflected;  // for comparisons: the swapped comparison's method
};

constexpr std::array<Dunder, 19> kDunders = {{
    {"+", "__add__", "__radd__"},
    {"-", "__sub__", "__rsub__"},
    {"*", "__mul__", "__rmul__"},
    {"/", "__truediv__", "__rtruediv__"},
    {"//", "__floordiv__", "__rfloordiv__"},
    {"%", "__mod__", "__rmod__"},
    {"**", "__pow__", "__rpow__"},
    {"&", "__and__", "__rand__"},
    {"|", "__or__", "__ror__"},
    {"^", "__xor__", "__rxor__"},
    {"<<", "__lshift__", "__rlshift__"},
    {">>", "__rshift__", "__rrshift__"},
    {"@", "__matmul__", "__rmatmul__"},
    {"==", "__eq__", "__eq__"},
    {"!=", "__ne__", "__ne__"},
    {"<", "__lt__", "__gt__"},
    {"<=", "__le__", "__ge__"},
    {">", "__gt__", "__lt__"},
    {">=", "__ge__", "__le__"},
}};

const Dunder* FindDunder(std::string_view op) {
  for (const Dunder& d : kDunders) {
    if (d.op == op) return &d;
  }
  return nullptr;
}

bool IsComparison(std::string_view op) {
  return op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=";
}

// The comparison a reflected comparison becomes: `a < b` asks `b > a`.
std::string_view Swapped(std::string_view op) {
  if (op == "<") return ">";
  if (op == "<=") return ">=";
  if (op == ">") return "<";
  if (op == ">=") return "<=";
  return op;
}

bool IsNotImplemented(const Value& value) {
  return value.Is(Kind::kHost) && value.AsHost().TypeName() == "NotImplementedType";
}

class NotImplementedObject : public HostObject {
 public:
  std::string TypeName() const override { return "NotImplementedType"; }
  std::string Repr() const override { return "NotImplemented"; }
};

}  // namespace

Value NotImplementedValue() {
  static const auto* value = new Value(Value::Host(std::make_shared<NotImplementedObject>()));
  return *value;
}

Result<std::optional<Value>> Interpreter::CallSpecialMethod(const Value& object,
                                                           std::string_view method,
                                                           std::vector<Value> arguments) {
  if (object.Is(Kind::kHost)) {
    auto special = object.AsHost().SpecialMethod(*this, method, arguments);
    if (!special) return std::optional<Value>();
    if (!*special) return base::Fail(special->error());
    return std::optional<Value>(std::move(**special));
  }
  if (!object.Is(Kind::kInstance)) return std::optional<Value>();
  const auto& class_object = object.AsInstance().class_object;
  const Value* found = class_object->Lookup(method);
  if (found == nullptr) return std::optional<Value>();
  auto bound = BindClassAttribute(*found, &object, class_object);
  if (!bound) return base::Fail(bound.error());
  auto result = Call(*bound, Args{std::move(arguments), {}});
  if (!result) return base::Fail(result.error());
  if (IsNotImplemented(*result)) return std::optional<Value>();
  return std::optional<Value>(std::move(*result));
}

Result<Value> Interpreter::Operate(std::string_view op, const Value& left, const Value& right) {
  const Dunder* dunder = FindDunder(op);
  if (dunder != nullptr) {
    auto mine = CallSpecialMethod(left, dunder->method, {right});
    if (!mine) return base::Fail(mine.error());
    if (*mine) return std::move(**mine);
    if (left.Is(Kind::kHost)) {
      if (auto result = left.AsHost().Operator(*this, op, right, false)) return *result;
    }
    auto theirs = CallSpecialMethod(right, dunder->reflected, {left});
    if (!theirs) return base::Fail(theirs.error());
    if (*theirs) return std::move(**theirs);
    if (right.Is(Kind::kHost)) {
      const bool comparison = IsComparison(op);
      if (auto result = right.AsHost().Operator(*this, comparison ? Swapped(op) : op, left,
                                                !comparison)) {
        return *result;
      }
    }
    // != without __ne__ is the negation of __eq__, as object.__ne__ does.
    if (op == "!=" && (left.Is(Kind::kInstance) || right.Is(Kind::kInstance))) {
      auto equal = Operate("==", left, right);
      if (!equal) return equal;
      auto truth = Truth(*equal);
      if (!truth) return base::Fail(truth.error());
      return Value::Bool(!*truth);
    }
  }
  // A builtin subclass without the method operates as its builtin value.
  if (&BuiltinValueOf(left) != &left || &BuiltinValueOf(right) != &right) {
    return Operate(op, BuiltinValueOf(left), BuiltinValueOf(right));
  }
  if (IsComparison(op)) {
    auto holds = Compare(*this, op, left, right);
    if (!holds) return base::Fail(holds.error());
    return Value::Bool(*holds);
  }
  return BinaryOperation(*this, op, left, right);
}

Result<Value> Interpreter::UnaryOperate(std::string_view op, const Value& operand) {
  const char* method = op == "-" ? "__neg__" : op == "+" ? "__pos__" : "__invert__";
  auto special = CallSpecialMethod(operand, method, {});
  if (!special) return base::Fail(special.error());
  if (*special) return std::move(**special);
  if (operand.Is(Kind::kHost)) {
    if (auto result = operand.AsHost().UnaryOperator(*this, op)) return *result;
  }
  return UnaryOperation(*this, op, operand);
}

Result<bool> Interpreter::Truth(const Value& value) {
  if (value.Is(Kind::kInstance)) {
    auto as_bool = CallSpecialMethod(value, "__bool__", {});
    if (!as_bool) return base::Fail(as_bool.error());
    if (*as_bool) {
      if (!(*as_bool)->Is(Kind::kBool)) {
        return base::Fail(Throw("TypeError", "__bool__ should return bool, returned " +
                                                 (*as_bool)->TypeName()));
      }
      return (*as_bool)->AsBool();
    }
    auto length = CallSpecialMethod(value, "__len__", {});
    if (!length) return base::Fail(length.error());
    if (*length) return (*length)->Truthy();
    return BuiltinValueOf(value).Truthy();
  }
  if (value.Is(Kind::kHost)) {
    if (auto result = value.AsHost().Bool(*this)) return *result;
  }
  return value.Truthy();
}

Result<bool> Interpreter::ContainsItem(const Value& container, const Value& item) {
  auto special = CallSpecialMethod(container, "__contains__", {item});
  if (!special) return base::Fail(special.error());
  if (*special) return Truth(**special);
  return Contains(*this, BuiltinValueOf(container), item);
}

}  // namespace sqlmend::python
