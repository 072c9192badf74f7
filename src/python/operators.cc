#include "python/operators.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "base/gcc_workarounds.h"
#include "python/builtins.h"
#include "python/bytes_type.h"
#include "python/format.h"
#include "python/string_literal.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;

base::Status Unsupported(CallContext& context, std::string_view op, const Value& a,
                         const Value& b) {
  return context.Throw("TypeError", "unsupported operand type(s) for " + std::string(op) + ": '" +
                                        a.TypeName() + "' and '" + b.TypeName() + "'");
}

base::Status Overflow(CallContext& context) {
  return context.Unsupported("unsupported: int result beyond 64 bits");
}

bool IsIntLike(const Value& v) { return v.Is(Kind::kInt) || v.Is(Kind::kBool); }

Result<Value> Repeat(CallContext& context, const Value& sequence, int64_t times) {
  if (times < 0) times = 0;
  size_t size = sequence.IsText() ? sequence.AsStr().size() : sequence.Items().size();
  size_t limit = sequence.IsText() ? kMaxStrBytes : kMaxContainerItems;
  if (size != 0 && static_cast<uint64_t>(times) > limit / size) {
    return base::Fail(context.Unsupported("unsupported: a " + sequence.TypeName() +
                                          " of more than " + std::to_string(limit) +
                                          (sequence.IsText() ? " bytes" : " items")));
  }
  if (sequence.IsText()) {
    std::string out;
    for (int64_t i = 0; i < times; ++i) out += sequence.AsStr();
    return sequence.Is(Kind::kStr) ? Value::Str(std::move(out)) : Value::Bytes(std::move(out));
  }
  std::vector<Value> items;
  for (int64_t i = 0; i < times; ++i) {
    items.insert(items.end(), sequence.Items().begin(), sequence.Items().end());
  }
  return sequence.Is(Kind::kList) ? Value::List(std::move(items)) : Value::Tuple(std::move(items));
}

Result<Value> IntOperation(CallContext& context, std::string_view op, int64_t a, int64_t b) {
  int64_t out = 0;
  if (op == "+") {
    if (__builtin_add_overflow(a, b, &out)) return base::Fail(Overflow(context));
  } else if (op == "-") {
    if (__builtin_sub_overflow(a, b, &out)) return base::Fail(Overflow(context));
  } else if (op == "*") {
    if (__builtin_mul_overflow(a, b, &out)) return base::Fail(Overflow(context));
  } else if (op == "/") {
    if (b == 0) return base::Fail(context.Throw("ZeroDivisionError", "division by zero"));
    return Value::Float(static_cast<double>(a) / static_cast<double>(b));
  } else if (op == "//" || op == "%") {
    if (b == 0) {
      return base::Fail(
          context.Throw("ZeroDivisionError", op == "%" ? "integer modulo by zero"
                                                       : "integer division or modulo by zero"));
    }
    if (a == INT64_MIN && b == -1) return base::Fail(Overflow(context));
    int64_t quotient = a / b;
    int64_t remainder = a % b;
    // Python floors: the remainder takes the divisor's sign.
    if (remainder != 0 && ((remainder < 0) != (b < 0))) {
      --quotient;
      remainder += b;
    }
    out = op == "//" ? quotient : remainder;
  } else if (op == "**") {
    if (b < 0) return Value::Float(std::pow(static_cast<double>(a), static_cast<double>(b)));
    out = 1;
    for (int64_t i = 0; i < b; ++i) {
      if (__builtin_mul_overflow(out, a, &out)) return base::Fail(Overflow(context));
      if (out == 0 || out == 1) break;
    }
    if (out == -1) out = (b % 2 == 0) ? 1 : -1;
  } else if (op == "&") {
    out = a & b;
  } else if (op == "|") {
    out = a | b;
  } else if (op == "^") {
    out = a ^ b;
  } else if (op == "<<") {
    if (b < 0) return base::Fail(context.Throw("ValueError", "negative shift count"));
    if (b >= 63 || (a != 0 && (a > (INT64_MAX >> b) || a < (INT64_MIN >> b)))) {
      return base::Fail(Overflow(context));
    }
    out = a << b;
  } else if (op == ">>") {
    if (b < 0) return base::Fail(context.Throw("ValueError", "negative shift count"));
    out = b >= 63 ? (a < 0 ? -1 : 0) : a >> b;
  } else {
    return base::Fail(context.Unsupported("unsupported: operator " + std::string(op)));
  }
  return Value::Int(out);
}

Result<Value> FloatOperation(CallContext& context, std::string_view op, double a, double b,
                             const Value& left, const Value& right) {
  if (op == "+") return Value::Float(a + b);
  if (op == "-") return Value::Float(a - b);
  if (op == "*") return Value::Float(a * b);
  if (op == "/") {
    if (b == 0) return base::Fail(context.Throw("ZeroDivisionError", "float division by zero"));
    return Value::Float(a / b);
  }
  if (op == "//" || op == "%") {
    if (b == 0) {
      return base::Fail(context.Throw("ZeroDivisionError",
                                      op == "%" ? "float modulo" : "float floor division by zero"));
    }
    double remainder = std::fmod(a, b);
    if (remainder != 0 && ((remainder < 0) != (b < 0))) remainder += b;
    if (op == "%") return Value::Float(remainder);
    return Value::Float(std::floor(a / b));
  }
  if (op == "**") {
    if (a == 0 && b < 0) {
      return base::Fail(
          context.Throw("ZeroDivisionError", "0.0 cannot be raised to a negative power"));
    }
    return Value::Float(std::pow(a, b));
  }
  return base::Fail(Unsupported(context, op, left, right));
}

}  // namespace

base::Status CheckSize(CallContext& context, const Value& value) {
  if (value.IsText() && value.AsStr().size() > kMaxStrBytes) {
    return context.Unsupported("unsupported: a " + value.TypeName() + " of more than " +
                               std::to_string(kMaxStrBytes) + " bytes");
  }
  size_t items = value.IsSequence() || value.Is(Kind::kSet) ? value.Items().size()
                 : value.Is(Kind::kDict)                    ? value.AsDict().entries.size()
                                                            : 0;
  if (items > kMaxContainerItems) {
    return context.Unsupported("unsupported: a " + value.TypeName() + " of more than " +
                               std::to_string(kMaxContainerItems) + " items");
  }
  // Each value stays under its cap, but many of them could still fill the
  // machine: after a large one, look at the process's memory.
  constexpr size_t kLargeBytes = size_t{1} << 20;
  constexpr size_t kLargeItems = size_t{1} << 16;
  if ((value.IsText() && value.AsStr().size() >= kLargeBytes) || items >= kLargeItems) {
    return context.CheckMemory();
  }
  return base::Status::Ok();
}

namespace {

// Bytes as text whose code points are the byte values (latin-1); the
// formatted text goes back through EncodeText().
std::string Latin1ToText(std::string_view bytes) {
  std::string out;
  for (unsigned char byte : bytes) AppendUtf8(byte, out);
  return out;
}

// `bytes % args` (PEP 461): the conversions of str's printf-style
// formatting, where %s and %b take bytes (inserted as they are), %r and %a
// give ascii(repr()), %c an int below 256 or one byte; done as text whose
// code points are the bytes.
Result<Value> BytesPercentFormat(CallContext& context, const std::string& format,
                                 const Value& args) {
  const bool mapping = args.Is(Kind::kDict);
  std::vector<Value> items = args.Is(Kind::kTuple) ? args.Items() : std::vector<Value>{args};
  size_t next = 0;
  std::string text;
  Value mapped = Value::Dict();
  std::vector<Value> mapped_items;
  // The conversion's argument as text formatting takes it.
  auto convert = [&](char conversion, const Value& value) -> Result<Value> {
    if (conversion == 's' || conversion == 'b') {
      if (!value.Is(Kind::kBytes)) {
        return base::Fail(
            context.Throw("TypeError",
                          "%b requires a bytes-like object, or an object that implements "
                          "__bytes__, not '" +
                              value.TypeName() + "'"));
      }
      return Value::Str(Latin1ToText(value.AsBytes()));
    }
    if (conversion == 'r' || conversion == 'a') {
      auto repr = context.Text(value, true);
      if (!repr) return base::Fail(repr.error());
      std::string ascii;
      for (unsigned char ch : *repr) {
        if (ch < 0x80) {
          ascii += static_cast<char>(ch);
        } else {
          return base::Fail(context.Unsupported(
              "unsupported: %r of a value whose repr() is not ASCII, in bytes formatting"));
        }
      }
      return Value::Str(std::move(ascii));
    }
    if (conversion == 'c' && value.Is(Kind::kInt) && (value.AsInt() < 0 || value.AsInt() > 255)) {
      return base::Fail(context.Throw("OverflowError", "%c arg not in range(256)"));
    }
    if (conversion == 'c' && value.Is(Kind::kBytes)) {
      if (value.AsBytes().size() != 1) {
        return base::Fail(context.Throw("TypeError",
                                        "%c requires an integer in range(256) or a "
                                        "single byte"));
      }
      return Value::Str(Latin1ToText(value.AsBytes()));
    }
    return value;
  };
  for (size_t i = 0; i < format.size(); ++i) {
    const unsigned char ch = static_cast<unsigned char>(format[i]);
    if (ch != '%') {
      AppendUtf8(ch, text);
      continue;
    }
    size_t end = i + 1;
    std::string key;
    if (end < format.size() && format[end] == '(') {
      size_t close = format.find(')', end);
      if (close == std::string::npos) {
        return base::Fail(context.Throw("ValueError", "incomplete format key"));
      }
      key = format.substr(end + 1, close - end - 1);
      end = close + 1;
    }
    while (end < format.size() &&
           std::string_view("#0- +*.0123456789").find(format[end]) != std::string_view::npos) {
      ++end;
    }
    if (end >= format.size()) return base::Fail(context.Throw("ValueError", "incomplete format"));
    char conversion = format[end];
    std::string spec = format.substr(i, end - i);
    if (conversion == '%') {
      text += spec + "%";
      i = end;
      continue;
    }
    if (mapping) {
      const Value* value = args.AsDict().Find(Value::Bytes(key));
      if (value == nullptr) return base::Fail(context.ThrowKeyError(Value::Bytes(key)));
      auto converted = convert(conversion, *value);
      if (!converted) return converted;
      mapped.AsDict().Set(Value::Str(Latin1ToText(key)), std::move(*converted));
      if (conversion == 'c' && value->Is(Kind::kBytes)) conversion = 's';
    } else {
      if (next >= items.size()) {
        return base::Fail(context.Throw("TypeError", "not enough arguments for format string"));
      }
      const Value& item = items[next++];
      auto converted = convert(conversion, item);
      if (!converted) return converted;
      mapped_items.push_back(std::move(*converted));
      if (conversion == 'c' && item.Is(Kind::kBytes)) conversion = 's';
    }
    if (conversion == 'b' || conversion == 'a') conversion = conversion == 'b' ? 's' : 'r';
    if (conversion == 'r') conversion = 's';  // the repr is made above
    text += Latin1ToText(spec) + conversion;
    i = end;
  }
  if (!mapping && next < items.size()) {
    return base::Fail(
        context.Throw("TypeError", "not all arguments converted during bytes formatting"));
  }
  auto formatted =
      PercentFormat(context, text, mapping ? mapped : Value::Tuple(std::move(mapped_items)));
  if (!formatted) return base::Fail(formatted.error());
  auto bytes = EncodeText(context, *formatted, "latin-1", "strict");
  if (!bytes) return base::Fail(bytes.error());
  return Value::Bytes(std::move(*bytes));
}

}  // namespace

Result<Value> BinaryOperation(CallContext& context, std::string_view op, const Value& left,
                              const Value& right) {
  if (IsIntLike(left) && IsIntLike(right)) {
    return IntOperation(context, op, left.AsInt(), right.AsInt());
  }
  if (left.IsNumber() && right.IsNumber()) {
    return FloatOperation(context, op, left.AsFloat(), right.AsFloat(), left, right);
  }
  if (op == "%" && left.Is(Kind::kStr)) {
    auto text = PercentFormat(context, left.AsStr(), right);
    if (!text) return base::Fail(text.error());
    return Value::Str(std::move(*text));
  }
  if (op == "%" && left.Is(Kind::kBytes)) return BytesPercentFormat(context, left.AsBytes(), right);
  if (op == "+") {
    if (left.Is(Kind::kStr) && right.Is(Kind::kStr))
      return Value::Str(left.AsStr() + right.AsStr());
    if (left.Is(Kind::kBytes) && right.Is(Kind::kBytes))
      return Value::Bytes(left.AsBytes() + right.AsBytes());
    if (left.Is(Kind::kBytes)) {
      return base::Fail(
          context.Throw("TypeError", "can't concat " + right.TypeName() + " to bytes"));
    }
    if ((left.Is(Kind::kList) && right.Is(Kind::kList)) ||
        (left.Is(Kind::kTuple) && right.Is(Kind::kTuple))) {
      std::vector<Value> items = left.Items();
      items.insert(items.end(), right.Items().begin(), right.Items().end());
      return left.Is(Kind::kList) ? Value::List(std::move(items)) : Value::Tuple(std::move(items));
    }
  }
  if (op == "+" && (left.Is(Kind::kStr) || left.IsSequence())) {
    return base::Fail(context.Throw("TypeError", "can only concatenate " + left.TypeName() +
                                                     " (not \"" + right.TypeName() + "\") to " +
                                                     left.TypeName()));
  }
  if (op == "*") {
    bool left_sequence = left.IsText() || left.IsSequence();
    bool right_sequence = right.IsText() || right.IsSequence();
    if (left_sequence && IsIntLike(right)) return Repeat(context, left, right.AsInt());
    if (right_sequence && IsIntLike(left)) return Repeat(context, right, left.AsInt());
  }
  if ((op == "|" || op == "&" || op == "-") && left.Is(Kind::kSet) && right.Is(Kind::kSet)) {
    std::vector<Value> items;
    for (const Value& item : left.Items()) {
      if (op == "|" || (op == "&") == SetContains(right, item)) items.push_back(item);
    }
    if (op == "|") items.insert(items.end(), right.Items().begin(), right.Items().end());
    return Value::Set(std::move(items));
  }
  if (op == "|" && left.Is(Kind::kDict) && right.Is(Kind::kDict)) {
    Value merged = Value::Dict();
    for (const auto& [k, v] : left.AsDict().entries) merged.AsDict().Set(k, v);
    for (const auto& [k, v] : right.AsDict().entries) merged.AsDict().Set(k, v);
    return merged;
  }
  return base::Fail(Unsupported(context, op, left, right));
}

Result<Value> UnaryOperation(CallContext& context, std::string_view op, const Value& operand) {
  if (IsIntLike(operand)) {
    int64_t v = operand.AsInt();
    if (op == "-") {
      if (v == INT64_MIN) return base::Fail(Overflow(context));
      return Value::Int(-v);
    }
    if (op == "+") return Value::Int(v);
    if (op == "~") return Value::Int(~v);
  } else if (operand.Is(Kind::kFloat)) {
    if (op == "-") return Value::Float(-operand.AsFloat());
    if (op == "+") return operand;
  }
  return base::Fail(context.Throw("TypeError", "bad operand type for unary " + std::string(op) +
                                                   ": '" + operand.TypeName() + "'"));
}

Result<bool> LessThan(CallContext& context, const Value& a, const Value& b) {
  if (a.IsNumber() && b.IsNumber()) {
    if (IsIntLike(a) && IsIntLike(b)) return a.AsInt() < b.AsInt();
    return a.AsFloat() < b.AsFloat();
  }
  // Bytewise: UTF-8 orders as code points do, bytes as octets do.
  if (a.IsText() && a.kind() == b.kind()) return a.AsStr() < b.AsStr();
  // A host object's own ordering (a Decimal against an int) comes first.
  if (a.Is(Kind::kHost) || b.Is(Kind::kHost)) {
    auto answer = a.Is(Kind::kHost) ? a.AsHost().Operator(context, "<", b, false)
                                    : std::optional<Result<Value>>();
    if (!answer && b.Is(Kind::kHost)) answer = b.AsHost().Operator(context, ">", a, false);
    if (answer) {
      if (!*answer) return base::Fail(answer->error());
      return context.Truth(**answer);
    }
  }
  if (auto key = HostValueKey(a, b)) return *key < *b.AsHost().ValueKey();
  if (a.Is(Kind::kInstance) || b.Is(Kind::kInstance)) {
    // A class's __lt__ (or the other's __gt__), as sorted() and min() use.
    auto less = context.Operate("<", a, b);
    if (!less) return base::Fail(less.error());
    return context.Truth(*less);
  }
  if (a.kind() == b.kind() && a.IsSequence()) {
    const auto& x = a.Items();
    const auto& y = b.Items();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (Equals(x[i], y[i])) continue;
      return LessThan(context, x[i], y[i]);
    }
    return x.size() < y.size();
  }
  return base::Fail(context.Throw("TypeError", "'<' not supported between instances of '" +
                                                   a.TypeName() + "' and '" + b.TypeName() + "'"));
}

Result<bool> Contains(CallContext& context, const Value& container, const Value& item) {
  switch (container.kind()) {
    case Kind::kStr:
      if (!item.Is(Kind::kStr)) {
        return base::Fail(context.Throw(
            "TypeError", "'in <string>' requires string as left operand, not " + item.TypeName()));
      }
      return container.AsStr().find(item.AsStr()) != std::string::npos;
    case Kind::kBytes: {
      // A bytes value is a substring; an int is one octet.
      if (item.Is(Kind::kBytes)) return container.AsBytes().find(item.AsBytes()) != std::string::npos;
      if (!item.Is(Kind::kInt) && !item.Is(Kind::kBool)) {
        return base::Fail(context.Throw(
            "TypeError", "a bytes-like object is required, not '" + item.TypeName() + "'"));
      }
      auto octet = ByteOf(context, item);
      if (!octet) return base::Fail(octet.error());
      return container.AsBytes().find(*octet) != std::string::npos;
    }
    case Kind::kSet:
      return SetContains(container, item);
    case Kind::kList:
    case Kind::kTuple:
      for (const Value& v : container.Items()) {
        if (Equals(v, item)) return true;
      }
      return false;
    case Kind::kDict:
      return container.AsDict().Find(item) != nullptr;
    case Kind::kHost:
    case Kind::kInstance: {
      // Without __contains__, `in` iterates (__iter__ or __getitem__).
      if (container.Is(Kind::kInstance) &&
          !container.AsInstance().class_object->Lookup("__iter__") &&
          !container.AsInstance().class_object->Lookup("__getitem__")) {
        return base::Fail(context.Throw(
            "TypeError", "argument of type '" + container.TypeName() + "' is not iterable"));
      }
      auto items = container.Is(Kind::kHost) ? container.AsHost().Iterate(context)
                                             : IterateInstance(context, container);
      if (!items) return base::Fail(items.error());
      for (const Value& v : *items) {
        if (Equals(v, item)) return true;
      }
      return false;
    }
    default:
      return base::Fail(context.Throw(
          "TypeError", "argument of type '" + container.TypeName() + "' is not iterable"));
  }
}

namespace {

// list == list and tuple == tuple, element by element through the
// operator protocol (a class's __eq__ counts), identity first as CPython.
Result<bool> SequenceEquals(CallContext& context, const Value& left, const Value& right) {
  const auto& x = left.Items();
  const auto& y = right.Items();
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i].object() != nullptr && x[i].object() == y[i].object()) continue;
    auto equal = context.Operate("==", x[i], y[i]);
    if (!equal) return base::Fail(equal.error());
    auto truth = context.Truth(*equal);
    if (!truth || !*truth) return truth;
  }
  return true;
}

}  // namespace

Result<bool> Compare(CallContext& context, std::string_view op, const Value& left,
                     const Value& right) {
  if ((op == "==" || op == "!=") && left.kind() == right.kind() && left.IsSequence()) {
    auto equal = SequenceEquals(context, left, right);
    if (!equal) return equal;
    return op == "==" ? *equal : !*equal;
  }
  if (op == "==") return Equals(left, right);
  if (op == "!=" || op == "<>") return !Equals(left, right);
  if (op == "is" || op == "is not") {
    bool same = left.kind() == right.kind() &&
                (left.object() ? left.object() == right.object() : Equals(left, right));
    return op == "is" ? same : !same;
  }
  if (op == "in" || op == "not in") {
    auto found = Contains(context, right, left);
    if (!found) return found;
    return op == "in" ? *found : !*found;
  }
  SQLMEND_GCC12_STRING_PLUS_BEGIN
  auto order_error = [&]() {
    return context.Throw("TypeError", "'" + std::string(op) +
                                          "' not supported between instances of '" +
                                          left.TypeName() + "' and '" + right.TypeName() + "'");
  };
  SQLMEND_GCC12_STRING_PLUS_END
  bool comparable =
      (left.IsNumber() && right.IsNumber()) || (left.IsText() && left.kind() == right.kind()) ||
      (left.kind() == right.kind() && left.IsSequence()) || HostValueKey(left, right).has_value();
  if (!comparable) return base::Fail(order_error());
  if (op == "<") return LessThan(context, left, right);
  if (op == ">") return LessThan(context, right, left);
  if (op == "<=") {
    auto greater = LessThan(context, right, left);
    if (!greater) return greater;
    return !*greater;
  }
  if (op == ">=") {
    auto less = LessThan(context, left, right);
    if (!less) return less;
    return !*less;
  }
  return base::Fail(context.Unsupported("unsupported: comparison " + std::string(op)));
}

}  // namespace sqlmend::python
