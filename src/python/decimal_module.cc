#include "python/decimal_module.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "python/args.h"
#include "python/builtins.h"
#include "python/collections_module.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;
using Number = DecimalNumber;
using Special = DecimalNumber::Special;

constexpr size_t kPrecision = 28;  // the default context's
constexpr std::string_view kHalfEven = "ROUND_HALF_EVEN";
constexpr std::string_view kRoundings[] = {"ROUND_DOWN",      "ROUND_HALF_UP", "ROUND_HALF_EVEN",
                                           "ROUND_CEILING",   "ROUND_FLOOR",   "ROUND_UP",
                                           "ROUND_HALF_DOWN", "ROUND_05UP"};

// --- Unsigned integers as decimal digit strings (most significant first,
// no leading zeros but "0" itself). ---

void StripZeros(std::string& digits) {
  size_t first = digits.find_first_not_of('0');
  digits.erase(0, first == std::string::npos ? digits.size() - 1 : first);
  if (digits.empty()) digits = "0";
}

int Compare(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::string Sum(const std::string& a, const std::string& b) {
  std::string out;
  int carry = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int d = carry;
    if (i < a.size()) d += a[a.size() - 1 - i] - '0';
    if (i < b.size()) d += b[b.size() - 1 - i] - '0';
    out.push_back(static_cast<char>('0' + d % 10));
    carry = d / 10;
  }
  std::string result(out.rbegin(), out.rend());
  StripZeros(result);
  return result;
}

// a - b, for a >= b.
std::string Difference(const std::string& a, const std::string& b) {
  std::string out;
  int borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int d = (a[a.size() - 1 - i] - '0') - borrow - (i < b.size() ? b[b.size() - 1 - i] - '0' : 0);
    borrow = d < 0;
    out.push_back(static_cast<char>('0' + (d + 10) % 10));
  }
  std::string result(out.rbegin(), out.rend());
  StripZeros(result);
  return result;
}

std::string Product(const std::string& a, const std::string& b) {
  std::vector<int> cells(a.size() + b.size(), 0);
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t j = 0; j < b.size(); ++j) {
      cells[i + j + 1] += (a[i] - '0') * (b[j] - '0');
    }
  }
  for (size_t k = cells.size() - 1; k > 0; --k) {
    cells[k - 1] += cells[k] / 10;
    cells[k] %= 10;
  }
  std::string out;
  for (int cell : cells) out.push_back(static_cast<char>('0' + cell));
  StripZeros(out);
  return out;
}

// a * 10^places.
std::string Shifted(std::string a, int64_t places) {
  if (a != "0") a.append(static_cast<size_t>(places), '0');
  return a;
}

// (a / b, a % b) for b > 0: long division, a digit at a time.
std::pair<std::string, std::string> DivMod(const std::string& a, const std::string& b) {
  std::string quotient, remainder = "0";
  for (char digit : a) {
    remainder = remainder == "0" ? std::string(1, digit) : remainder + digit;
    int q = 0;
    while (Compare(remainder, b) >= 0) {
      remainder = Difference(remainder, b);
      ++q;
    }
    quotient.push_back(static_cast<char>('0' + q));
  }
  StripZeros(quotient);
  return {quotient, remainder};
}

// --- Numbers ---

Number Finite(bool negative, std::string digits, int64_t exponent) {
  Number n;
  n.negative = negative;
  StripZeros(digits);
  n.digits = std::move(digits);
  n.exponent = exponent;
  return n;
}

Number NaN() {
  Number n;
  n.special = Special::kNaN;
  return n;
}

Number Infinity(bool negative) {
  Number n;
  n.special = Special::kInfinity;
  n.negative = negative;
  return n;
}

Number FromInt(int64_t value) {
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  return Finite(value < 0, std::to_string(magnitude), 0);
}

// The exact value of a double, as Decimal(float) gives it.
Number FromDouble(double value) {
  if (std::isnan(value)) return NaN();
  if (std::isinf(value)) return Infinity(value < 0);
  int exponent2 = 0;
  double mantissa = std::frexp(std::fabs(value), &exponent2);
  // mantissa * 2^53 is an integer; value = m * 2^(exponent2 - 53).
  auto m = static_cast<uint64_t>(std::ldexp(mantissa, 53));
  int64_t power = exponent2 - 53;
  while (m != 0 && m % 2 == 0 && power < 0) {
    m /= 2;
    ++power;
  }
  std::string digits = std::to_string(m);
  int64_t exponent = 0;
  for (; power > 0; --power) digits = Product(digits, "2");
  for (; power < 0; ++power) {
    digits = Product(digits, "5");
    --exponent;
  }
  return Finite(std::signbit(value), digits, exponent);
}

// Whether the digits dropped by rounding `kept` (a nonzero tail starting
// with `first`) round it away from zero under `rounding`.
bool RoundsUp(std::string_view rounding, bool negative, const std::string& kept, int first,
              bool rest_nonzero) {
  const bool any = first != 0 || rest_nonzero;
  const int last = kept.empty() ? 0 : kept.back() - '0';
  if (rounding == "ROUND_HALF_EVEN") return first > 5 || (first == 5 && (rest_nonzero || last % 2));
  if (rounding == "ROUND_HALF_UP") return first >= 5;
  if (rounding == "ROUND_HALF_DOWN") return first > 5 || (first == 5 && rest_nonzero);
  if (rounding == "ROUND_UP") return any;
  if (rounding == "ROUND_CEILING") return any && !negative;
  if (rounding == "ROUND_FLOOR") return any && negative;
  if (rounding == "ROUND_05UP") return any && (last == 0 || last == 5);
  return false;  // ROUND_DOWN
}

// `n` with its exponent raised to `exponent` (>= n.exponent), the dropped
// digits rounded under `rounding`.
Number Rescaled(const Number& n, int64_t exponent, std::string_view rounding) {
  if (exponent <= n.exponent) {
    return Finite(n.negative, Shifted(n.digits, n.exponent - exponent), exponent);
  }
  const auto drop = static_cast<size_t>(exponent - n.exponent);
  std::string digits = n.digits;
  if (digits.size() < drop + 1) digits.insert(0, drop + 1 - digits.size(), '0');
  std::string kept = digits.substr(0, digits.size() - drop);
  const int first = digits[kept.size()] - '0';
  const bool rest = digits.find_first_not_of('0', kept.size() + 1) != std::string::npos;
  StripZeros(kept);
  if (RoundsUp(rounding, n.negative, kept, first, rest)) kept = Sum(kept, "1");
  return Finite(n.negative, kept, exponent);
}

// `n` rounded to the context's precision.
Number Rounded(Number n, std::string_view rounding = kHalfEven) {
  if (n.special != Special::kFinite || n.digits.size() <= kPrecision) return n;
  n = Rescaled(n, n.exponent + static_cast<int64_t>(n.digits.size() - kPrecision), rounding);
  if (n.digits.size() > kPrecision) n = Rescaled(n, n.exponent + 1, rounding);  // 999.. carried
  return n;
}

// Coefficients of `a` and `b` at their common (smaller) exponent.
std::pair<std::string, std::string> Aligned(const Number& a, const Number& b, int64_t* exponent) {
  *exponent = std::min(a.exponent, b.exponent);
  return {Shifted(a.digits, a.exponent - *exponent), Shifted(b.digits, b.exponent - *exponent)};
}

// Sign-aware comparison of finite numbers: -1, 0 or 1.
int CompareFinite(const Number& a, const Number& b) {
  if (a.IsZero() && b.IsZero()) return 0;
  const bool a_negative = a.negative && !a.IsZero();
  const bool b_negative = b.negative && !b.IsZero();
  if (a_negative != b_negative) return a_negative ? -1 : 1;
  int64_t exponent = 0;
  auto [x, y] = Aligned(a, b, &exponent);
  int c = Compare(x, y);
  return a_negative ? -c : c;
}

std::string Signal(std::string_view condition) {
  return "[<class 'decimal." + std::string(condition) + "'>]";
}

// DecimalException and its subclasses, one set per process as Python's
// builtin exception classes are.
std::shared_ptr<ClassObject> DecimalExceptionClass(std::string_view name) {
  static const auto* const classes = [] {
    auto* made = new std::map<std::string, std::shared_ptr<ClassObject>, std::less<>>();
    auto make = [&](std::string name, std::vector<std::shared_ptr<ClassObject>> bases) {
      auto class_object = std::make_shared<ClassObject>();
      class_object->name = name;
      class_object->attributes["__module__"] = Value::Str("decimal");
      class_object->bases = std::move(bases);
      (*made)[name] = class_object;
      return class_object;
    };
    auto root = make("DecimalException", {ExceptionClass("ArithmeticError")});
    make("Clamped", {root});
    auto inexact = make("Inexact", {root});
    auto rounded = make("Rounded", {root});
    make("Subnormal", {root});
    make("InvalidOperation", {root});
    make("DivisionByZero", {root, ExceptionClass("ZeroDivisionError")});
    make("Overflow", {inexact, rounded});
    make("Underflow", {inexact, rounded});
    make("FloatOperation", {root, ExceptionClass("TypeError")});
    return made;
  }();
  return classes->at(std::string(name));
}

base::Status Raise(CallContext& context, std::string_view class_name, std::string_view condition) {
  return context.ThrowValue(MakeException(DecimalExceptionClass(class_name), Signal(condition)));
}

Value Make(Number n) { return Value::Host(std::make_shared<DecimalValue>(std::move(n))); }

// Arithmetic, as the default context computes it.

Result<Number> Add(CallContext& context, const Number& a, const Number& b) {
  if (a.special == Special::kNaN || b.special == Special::kNaN) return NaN();
  if (a.special == Special::kInfinity || b.special == Special::kInfinity) {
    if (a.special == Special::kInfinity && b.special == Special::kInfinity &&
        a.negative != b.negative) {
      return base::Fail(Raise(context, "InvalidOperation", "InvalidOperation"));
    }
    return a.special == Special::kInfinity ? a : b;
  }
  int64_t exponent = 0;
  auto [x, y] = Aligned(a, b, &exponent);
  if (a.negative == b.negative) return Rounded(Finite(a.negative, Sum(x, y), exponent));
  int c = Compare(x, y);
  if (c == 0) return Finite(false, "0", exponent);
  return Rounded(c > 0 ? Finite(a.negative, Difference(x, y), exponent)
                       : Finite(b.negative, Difference(y, x), exponent));
}

Number Negated(Number n) {
  n.negative = !n.negative;
  return n;
}

Result<Number> Multiply(CallContext& context, const Number& a, const Number& b) {
  const bool negative = a.negative != b.negative;
  if (a.special == Special::kNaN || b.special == Special::kNaN) return NaN();
  if (a.special == Special::kInfinity || b.special == Special::kInfinity) {
    if (a.IsZero() || b.IsZero()) {
      return base::Fail(Raise(context, "InvalidOperation", "InvalidOperation"));
    }
    return Infinity(negative);
  }
  return Rounded(Finite(negative, Product(a.digits, b.digits), a.exponent + b.exponent));
}

Result<Number> Divide(CallContext& context, const Number& a, const Number& b) {
  const bool negative = a.negative != b.negative;
  if (a.special == Special::kNaN || b.special == Special::kNaN) return NaN();
  if (a.special == Special::kInfinity || b.special == Special::kInfinity) {
    if (a.special == b.special) return base::Fail(Raise(context, "InvalidOperation", "InvalidOperation"));
    if (a.special == Special::kInfinity) return Infinity(negative);
    return Finite(negative, "0", 0);
  }
  if (b.IsZero()) {
    if (a.IsZero()) return base::Fail(Raise(context, "InvalidOperation", "DivisionUndefined"));
    return base::Fail(Raise(context, "DivisionByZero", "DivisionByZero"));
  }
  const int64_t ideal = a.exponent - b.exponent;
  if (a.IsZero()) return Finite(negative, "0", ideal);
  // Enough quotient digits for the precision and one to round on; a
  // nonzero remainder marks the last digit (it is never 0 or 5 then), so
  // one rounding gives the correctly rounded result.
  const int64_t shift = static_cast<int64_t>(b.digits.size()) -
                        static_cast<int64_t>(a.digits.size()) + kPrecision + 1;
  int64_t exponent = ideal - shift;
  auto [quotient, remainder] = shift >= 0 ? DivMod(Shifted(a.digits, shift), b.digits)
                                          : DivMod(a.digits, Shifted(b.digits, -shift));
  if (remainder != "0") {
    if (quotient.back() == '0' || quotient.back() == '5') quotient = Sum(quotient, "1");
  } else {
    // Exact: as few digits as the ideal exponent allows.
    while (exponent < ideal && quotient.size() > 1 && quotient.back() == '0') {
      quotient.pop_back();
      ++exponent;
    }
  }
  return Rounded(Finite(negative, quotient, exponent));
}

// a // b (truncated toward zero) and a % b (with a's sign).
Result<std::pair<Number, Number>> DivideInteger(CallContext& context, const Number& a,
                                                const Number& b, bool remainder_wanted) {
  if (a.special != Special::kFinite || b.special != Special::kFinite) {
    if (a.special == Special::kNaN || b.special == Special::kNaN) return std::pair(NaN(), NaN());
    return base::Fail(context.Unsupported("unsupported: // or % of an infinite Decimal"));
  }
  if (b.IsZero()) {
    if (a.IsZero() || remainder_wanted) {
      return base::Fail(Raise(context, "InvalidOperation",
                              remainder_wanted ? "InvalidOperation" : "DivisionUndefined"));
    }
    return base::Fail(Raise(context, "DivisionByZero", "DivisionByZero"));
  }
  int64_t exponent = 0;
  auto [x, y] = Aligned(a, b, &exponent);
  auto [quotient, remainder] = DivMod(x, y);
  if (quotient.size() > kPrecision) {
    return base::Fail(Raise(context, "InvalidOperation", "DivisionImpossible"));
  }
  return std::pair(Finite(a.negative != b.negative, quotient, 0),
                   Rounded(Finite(a.negative, remainder, exponent)));
}

Result<Number> Power(CallContext& context, const Number& base, const Number& power) {
  if (power.special != Special::kFinite || base.special != Special::kFinite) {
    return base::Fail(context.Unsupported("unsupported: ** with an infinite or NaN Decimal"));
  }
  // An integral power only: the exact result, rounded once.
  Number integral = Rescaled(power, 0, "ROUND_DOWN");
  if (CompareFinite(integral, power) != 0 || integral.digits.size() > 4) {
    return base::Fail(context.Unsupported(
        "unsupported: Decimal ** " + power.Text() + " (only integral powers are modelled)"));
  }
  const int64_t n = std::stoll(integral.digits);
  if (n == 0) {
    if (base.IsZero()) return base::Fail(Raise(context, "InvalidOperation", "InvalidOperation"));
    return Finite(false, "1", 0);
  }
  Number exact = Finite(false, "1", 0);
  for (int64_t i = 0; i < n; ++i) {
    exact = Finite(false, Product(exact.digits, base.digits), exact.exponent + base.exponent);
    if (exact.digits.size() > 2000) {
      return base::Fail(context.Unsupported("unsupported: a Decimal power beyond 2000 digits"));
    }
  }
  exact.negative = base.negative && n % 2 == 1;
  if (integral.negative) return Divide(context, Finite(false, "1", 0), exact);
  return Rounded(exact);
}

// The number `value` stands for in arithmetic with a Decimal: a Decimal, an
// int or a bool; floats only where `floats` (comparisons are exact).
std::optional<Number> Operand(const Value& value, bool floats) {
  if (const DecimalValue* d = AsDecimal(value)) return d->number();
  if (value.Is(Kind::kInt) || value.Is(Kind::kBool)) return FromInt(value.AsInt());
  if (floats && value.Is(Kind::kFloat)) return FromDouble(value.AsFloat());
  return std::nullopt;
}

Result<Number> Convert(CallContext& context, const Value& value) {
  if (auto n = Operand(value, true)) return *n;
  if (value.Is(Kind::kStr)) {
    auto parsed = ParseDecimal(value.AsStr());
    if (!parsed) return base::Fail(Raise(context, "InvalidOperation", "ConversionSyntax"));
    return *parsed;
  }
  if (value.Is(Kind::kTuple) || value.Is(Kind::kList)) {
    if (value.Items().size() != 3) {
      return base::Fail(context.Throw("ValueError", "argument must be a sequence of length 3"));
    }
    if (!value.Items()[0].Is(Kind::kInt) || value.Items()[0].AsInt() < 0 ||
        value.Items()[0].AsInt() > 1) {
      return base::Fail(context.Throw("ValueError", "sign must be an integer with the value 0 or 1"));
    }
    if (!value.Items()[1].Is(Kind::kTuple) && !value.Items()[1].Is(Kind::kList)) {
      return base::Fail(context.Throw("ValueError", "coefficient must be a tuple of digits"));
    }
    std::string digits;
    for (const Value& d : value.Items()[1].Items()) {
      if (!d.Is(Kind::kInt) || d.AsInt() < 0 || d.AsInt() > 9) {
        return base::Fail(context.Throw(
            "ValueError", "coefficient must be a tuple of digits"));
      }
      digits.push_back(static_cast<char>('0' + d.AsInt()));
    }
    const Value& exponent = value.Items()[2];
    if (exponent.Is(Kind::kStr)) {
      if (exponent.AsStr() == "F") return Infinity(value.Items()[0].AsInt() == 1);
      if (exponent.AsStr() == "n") return NaN();
    }
    if (!exponent.Is(Kind::kInt)) {
      return base::Fail(context.Throw("ValueError", "exponent must be an integer"));
    }
    return Finite(value.Items()[0].AsInt() == 1, digits.empty() ? "0" : digits,
                  exponent.AsInt());
  }
  return base::Fail(context.Throw("TypeError", "conversion from " + value.TypeName() +
                                                   " to Decimal is not supported"));
}

// The rounding= argument, or the context's.
Result<std::string> RoundingArg(CallContext& context, const BoundArgs& bound) {
  const Value* rounding = bound.GetNotNone("rounding");
  if (rounding == nullptr) return std::string(kHalfEven);
  if (rounding->Is(Kind::kStr)) {
    for (std::string_view name : kRoundings) {
      if (rounding->AsStr() == name) return std::string(name);
    }
  }
  return base::Fail(context.Throw("TypeError", "valid values for rounding are:\n  [" +
                                                   std::string("ROUND_CEILING, ROUND_FLOOR, "
                                                               "ROUND_UP, ROUND_DOWN,\n   "
                                                               "ROUND_HALF_UP, ROUND_HALF_DOWN, "
                                                               "ROUND_HALF_EVEN,\n   "
                                                               "ROUND_05UP]")));
}

Result<Number> Quantize(CallContext& context, const Number& n, int64_t exponent,
                        std::string_view rounding) {
  if (n.special != Special::kFinite) {
    if (n.special == Special::kNaN) return n;
    return base::Fail(Raise(context, "InvalidOperation", "InvalidOperation"));
  }
  Number out = Rescaled(n, exponent, rounding);
  if (out.digits.size() > kPrecision) {
    return base::Fail(Raise(context, "InvalidOperation", "InvalidOperation"));
  }
  return out;
}

Result<Value> IntOf(CallContext& context, const Number& n) {
  if (n.special == Special::kNaN) {
    return base::Fail(context.Throw("ValueError", "cannot convert NaN to integer"));
  }
  if (n.special == Special::kInfinity) {
    return base::Fail(context.Throw("OverflowError", "cannot convert Infinity to integer"));
  }
  Number whole = Rescaled(n, std::max<int64_t>(n.exponent, 0), "ROUND_DOWN");
  std::string digits = Shifted(whole.digits, whole.exponent);
  if (digits.size() > 18) {
    return base::Fail(context.Unsupported("unsupported: int() of Decimal('" + n.Text() +
                                          "'), beyond 64 bits"));
  }
  const int64_t value = std::stoll(digits);
  return Value::Int(whole.negative ? -value : value);
}

class DecimalClass : public HostObject {
 public:
  std::string TypeName() const override { return "type"; }
  std::string Repr() const override { return "<class 'decimal.Decimal'>"; }
  bool IsInstance(const Value& value) const override { return AsDecimal(value) != nullptr; }
  Result<Value> Call(CallContext& context, Args& args) override {
    auto bound = BindArgs(context, Signature{"Decimal", {"value", "context"}, 0, false, {}, {}},
                          args);
    if (!bound) return base::Fail(bound.error());
    const Value* value = bound->Get("value");
    if (value == nullptr) return Make(Finite(false, "0", 0));
    auto n = Convert(context, *value);
    if (!n) return base::Fail(n.error());
    return Make(*n);
  }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name != "from_float") return std::nullopt;
    return Value::Builtin("from_float", [](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "from_float", a, 1, 1));
      auto n = Operand(a.positional[0], true);
      if (!n || AsDecimal(a.positional[0]) != nullptr) {
        return base::Fail(c.Throw("TypeError", "argument must be int or float"));
      }
      return Make(*n);
    });
  }
};

// getcontext(): the fixed default context, read only.
class ContextValue : public HostObject {
 public:
  std::string TypeName() const override { return "Context"; }
  std::string Repr() const override {
    return "Context(prec=28, rounding=ROUND_HALF_EVEN, Emin=-999999, Emax=999999, capitals=1, "
           "clamp=0, flags=[], traps=[InvalidOperation, DivisionByZero, Overflow])";
  }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "prec") return Value::Int(kPrecision);
    if (name == "rounding") return Value::Str(std::string(kHalfEven));
    if (name == "Emax") return Value::Int(999999);
    if (name == "Emin") return Value::Int(-999999);
    return std::nullopt;
  }
  base::Status SetAttribute(CallContext& context, std::string_view name, Value) override {
    return context.Unsupported("unsupported: setting the decimal context's " + std::string(name) +
                               " (sqlmend computes in the default context: 28 digits, "
                               "ROUND_HALF_EVEN)");
  }
};

Value Refused(const std::string& name) {
  return Value::Builtin(name, [name](CallContext& c, Args&) -> Result<Value> {
    return base::Fail(c.Unsupported("unsupported: decimal." + name +
                                    "() (sqlmend computes in the default context: 28 digits, "
                                    "ROUND_HALF_EVEN)"));
  });
}

}  // namespace

std::optional<Number> ParseDecimal(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  std::string s;
  for (size_t i = begin; i < end; ++i) {
    const char ch = text[i];
    if (ch == '_') {
      // Only between two digits, as Python's numeric literals.
      if (i == begin || i + 1 == end || !std::isdigit(static_cast<unsigned char>(text[i - 1])) ||
          !std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
        return std::nullopt;
      }
      continue;
    }
    s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  }
  bool negative = false;
  size_t at = 0;
  if (at < s.size() && (s[at] == '+' || s[at] == '-')) negative = s[at++] == '-';
  std::string_view rest = std::string_view(s).substr(at);
  if (rest == "inf" || rest == "infinity") return Infinity(negative);
  if (rest == "nan") {
    Number n = NaN();
    n.negative = negative;
    return n;
  }
  std::string digits;
  int64_t exponent = 0;
  bool point = false, any = false;
  size_t i = at;
  for (; i < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) {
      digits.push_back(s[i]);
      any = true;
      if (point) --exponent;
    } else if (s[i] == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!any) return std::nullopt;
  if (i < s.size()) {
    if (s[i] != 'e' || i + 1 == s.size()) return std::nullopt;
    char* parsed_end = nullptr;
    const std::string tail = s.substr(i + 1);
    if (tail.size() > 18 || tail == "+" || tail == "-") return std::nullopt;
    const long long e = std::strtoll(tail.c_str(), &parsed_end, 10);
    if (*parsed_end != '\0') return std::nullopt;
    exponent += e;
  }
  return Finite(negative, digits, exponent);
}

std::string DecimalNumber::Text() const {
  const std::string sign = negative ? "-" : "";
  if (special == Special::kNaN) return sign + "NaN";
  if (special == Special::kInfinity) return sign + "Infinity";
  const auto length = static_cast<int64_t>(digits.size());
  const int64_t left = exponent + length;  // digits left of the point
  const int64_t dot = exponent <= 0 && left > -6 ? left : 1;
  std::string whole, fraction;
  if (dot <= 0) {
    whole = "0";
    fraction = "." + std::string(static_cast<size_t>(-dot), '0') + digits;
  } else if (dot >= length) {
    whole = digits + std::string(static_cast<size_t>(dot - length), '0');
  } else {
    whole = digits.substr(0, static_cast<size_t>(dot));
    fraction = "." + digits.substr(static_cast<size_t>(dot));
  }
  std::string tail;
  if (left != dot) {
    const int64_t e = left - dot;
    tail = std::string("E") + (e >= 0 ? "+" : "-") + std::to_string(e >= 0 ? e : -e);
  }
  return sign + whole + fraction + tail;
}

std::string DecimalNumber::FixedText(int places) const {
  const std::string sign = negative ? "-" : "";
  if (special == Special::kNaN) return sign + "NaN";
  if (special == Special::kInfinity) return sign + "Infinity";
  Number n = Rescaled(*this, -places, kHalfEven);
  std::string digits_text = n.digits;
  if (places > 0 && digits_text.size() <= static_cast<size_t>(places)) {
    digits_text.insert(0, static_cast<size_t>(places) + 1 - digits_text.size(), '0');
  }
  if (places <= 0) return sign + Shifted(n.digits, -places);
  const size_t cut = digits_text.size() - static_cast<size_t>(places);
  return sign + digits_text.substr(0, cut) + "." + digits_text.substr(cut);
}

std::optional<std::string> DecimalValue::ValueKey() const {
  // Equal numbers (1.0 and 1) share a key: the coefficient without
  // trailing zeros and the adjusted exponent.
  if (number_.special != Special::kFinite) return number_.Text();
  if (number_.IsZero()) return std::string("0");
  std::string digits = number_.digits;
  int64_t exponent = number_.exponent + static_cast<int64_t>(digits.size()) - 1;
  digits.erase(digits.find_last_not_of('0') + 1);
  return std::string(number_.negative ? "-" : "+") + digits + "E" + std::to_string(exponent);
}

std::optional<Result<Value>> DecimalValue::Operator(CallContext& context, std::string_view op,
                                                    const Value& other, bool reflected) {
  const bool comparison =
      op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=";
  auto operand = Operand(other, comparison);
  if (!operand) return std::nullopt;
  const Number& a = reflected ? *operand : number_;
  const Number& b = reflected ? number_ : *operand;
  if (comparison) {
    if (a.special == Special::kNaN || b.special == Special::kNaN) {
      if (op == "==") return Value::Bool(false);
      if (op == "!=") return Value::Bool(true);
      return Result<Value>(base::Fail(Raise(context, "InvalidOperation", "InvalidOperation")));
    }
    int c = 0;
    if (a.special == Special::kInfinity || b.special == Special::kInfinity) {
      auto rank = [](const Number& n) {
        return n.special == Special::kInfinity ? (n.negative ? -1 : 1) : 0;
      };
      c = rank(a) == rank(b) ? (rank(a) == 0 ? CompareFinite(a, b) : 0)
                             : (rank(a) < rank(b) ? -1 : 1);
    } else {
      c = CompareFinite(a, b);
    }
    if (op == "==") return Value::Bool(c == 0);
    if (op == "!=") return Value::Bool(c != 0);
    if (op == "<") return Value::Bool(c < 0);
    if (op == "<=") return Value::Bool(c <= 0);
    if (op == ">") return Value::Bool(c > 0);
    return Value::Bool(c >= 0);
  }
  Result<Number> result = Number();
  if (op == "+") {
    result = Add(context, a, b);
  } else if (op == "-") {
    result = Add(context, a, Negated(b));
  } else if (op == "*") {
    result = Multiply(context, a, b);
  } else if (op == "/") {
    result = Divide(context, a, b);
  } else if (op == "//" || op == "%") {
    auto both = DivideInteger(context, a, b, op == "%");
    if (!both) return Result<Value>(base::Fail(both.error()));
    return Make(op == "//" ? both->first : both->second);
  } else if (op == "**") {
    result = Power(context, a, b);
  } else {
    return std::nullopt;
  }
  if (!result) return Result<Value>(base::Fail(result.error()));
  return Make(std::move(*result));
}

std::optional<Result<Value>> DecimalValue::UnaryOperator(CallContext&, std::string_view op) {
  if (op != "-" && op != "+") return std::nullopt;
  Number n = number_;
  if (op == "-") n.negative = !n.negative;
  if (n.IsZero()) n.negative = false;  // -Decimal('0') is Decimal('0')
  return Make(Rounded(std::move(n)));
}

std::optional<Result<bool>> DecimalValue::Bool(CallContext&) { return !number_.IsZero(); }

std::optional<Result<Value>> DecimalValue::SpecialMethod(CallContext& context,
                                                         std::string_view method,
                                                         const std::vector<Value>& arguments) {
  if (method == "__float__") {
    if (number_.special == Special::kNaN) return Value::Float(number_.negative ? -NAN : NAN);
    return Value::Float(std::strtod(number_.Text().c_str(), nullptr));
  }
  if (method == "__int__") return IntOf(context, number_);
  if (method == "__abs__") {
    Number n = number_;
    n.negative = false;
    return Make(Rounded(std::move(n)));
  }
  if (method == "__round__") {
    if (arguments.empty() || arguments[0].IsNone()) {
      auto whole = Quantize(context, number_, 0, kHalfEven);
      if (!whole) return Result<Value>(base::Fail(whole.error()));
      return IntOf(context, *whole);
    }
    if (!arguments[0].Is(Kind::kInt)) {
      return Result<Value>(base::Fail(
          context.Throw("TypeError", "optional arg must be an integer")));
    }
    auto rounded = Quantize(context, number_, -arguments[0].AsInt(), kHalfEven);
    if (!rounded) return Result<Value>(base::Fail(rounded.error()));
    return Make(std::move(*rounded));
  }
  return std::nullopt;
}

std::optional<Result<Value>> DecimalValue::GetAttribute(CallContext&, std::string_view name) {
  const Number n = number_;
  auto method = [&](std::function<Result<Value>(CallContext&, Args&)> body) {
    return Value::Builtin(std::string(name), std::move(body));
  };
  auto predicate = [&](bool answer) {
    return method([answer, name = std::string(name)](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, name, a, 0, 0));
      return Value::Bool(answer);
    });
  };
  if (name == "is_nan") return predicate(n.special == Special::kNaN);
  if (name == "is_zero") return predicate(n.IsZero());
  if (name == "is_signed") return predicate(n.negative);
  if (name == "is_finite") return predicate(n.special == Special::kFinite);
  if (name == "is_infinite") return predicate(n.special == Special::kInfinity);
  if (name == "copy_abs" || name == "copy_negate") {
    Number copy = n;
    copy.negative = name == "copy_abs" ? false : !n.negative;
    return method([copy](CallContext&, Args&) -> Result<Value> { return Make(copy); });
  }
  if (name == "adjusted") {
    const int64_t adjusted =
        n.special == Special::kFinite ? n.exponent + static_cast<int64_t>(n.digits.size()) - 1 : 0;
    return method([adjusted](CallContext&, Args&) -> Result<Value> { return Value::Int(adjusted); });
  }
  if (name == "as_tuple") {
    return method([n](CallContext& c, Args&) -> Result<Value> {
      std::vector<Value> digits;
      for (char d : n.digits) digits.push_back(Value::Int(d - '0'));
      Value exponent = n.special == Special::kInfinity ? Value::Str("F")
                       : n.special == Special::kNaN    ? Value::Str("n")
                                                       : Value::Int(n.exponent);
      // DecimalTuple(sign=, digits=, exponent=), a named tuple as CPython's.
      auto namedtuple = c.GetAttr(MakeCollectionsModule(), "namedtuple");
      if (!namedtuple) return namedtuple;
      auto tuple_class = c.Call(*namedtuple, Args{{Value::Str("DecimalTuple"),
                                                   Value::Str("sign digits exponent")},
                                                  {}});
      if (!tuple_class) return tuple_class;
      return c.Call(*tuple_class, Args{{Value::Int(n.negative ? 1 : 0),
                                        Value::Tuple(std::move(digits)), exponent},
                                       {}});
    });
  }
  if (name == "normalize") {
    return method([n](CallContext&, Args&) -> Result<Value> {
      if (n.special != Special::kFinite) return Make(n);
      if (n.IsZero()) return Make(Finite(n.negative, "0", 0));
      Number out = Rounded(n);
      while (out.digits.size() > 1 && out.digits.back() == '0') {
        out.digits.pop_back();
        ++out.exponent;
      }
      return Make(out);
    });
  }
  if (name == "quantize") {
    return method([n](CallContext& c, Args& a) -> Result<Value> {
      auto bound = BindArgs(c, Signature{"quantize", {"exp", "rounding", "context"}, 1, false, {}, {}},
                            a);
      if (!bound) return base::Fail(bound.error());
      auto exp = Convert(c, *bound->Get("exp"));
      if (!exp) return base::Fail(exp.error());
      auto rounding = RoundingArg(c, *bound);
      if (!rounding) return base::Fail(rounding.error());
      if (exp->special != Special::kFinite) {
        return base::Fail(Raise(c, "InvalidOperation", "InvalidOperation"));
      }
      auto out = Quantize(c, n, exp->exponent, *rounding);
      if (!out) return base::Fail(out.error());
      return Make(std::move(*out));
    });
  }
  if (name == "to_integral_value" || name == "to_integral" || name == "to_integral_exact") {
    return method([n, name = std::string(name)](CallContext& c, Args& a) -> Result<Value> {
      auto bound =
          BindArgs(c, Signature{name, {"rounding", "context"}, 0, false, {}, {}}, a);
      if (!bound) return base::Fail(bound.error());
      auto rounding = RoundingArg(c, *bound);
      if (!rounding) return base::Fail(rounding.error());
      if (n.special != Special::kFinite || n.exponent >= 0) return Make(n);
      return Make(Rescaled(n, 0, *rounding));
    });
  }
  for (const char* refused : {"sqrt", "exp", "ln", "log10", "fma", "logb", "scaleb"}) {
    if (name == refused) {
      return method([refused](CallContext& c, Args&) -> Result<Value> {
        return base::Fail(c.Unsupported(std::string("unsupported: Decimal.") + refused + "()"));
      });
    }
  }
  return std::nullopt;
}

const DecimalValue* AsDecimal(const Value& value) {
  if (!value.Is(Kind::kHost)) return nullptr;
  return dynamic_cast<const DecimalValue*>(&value.AsHost());
}

Result<Value> DecimalFromText(CallContext& context, std::string_view text) {
  auto parsed = ParseDecimal(text);
  if (!parsed) return base::Fail(Raise(context, "InvalidOperation", "ConversionSyntax"));
  return Make(std::move(*parsed));
}

Value MakeDecimalModule() {
  auto module = std::make_shared<ModuleObject>();
  module->name = "decimal";
  module->attributes["Decimal"] = Value::Host(std::make_shared<DecimalClass>());
  for (std::string_view rounding : kRoundings) {
    module->attributes[std::string(rounding)] = Value::Str(std::string(rounding));
  }
  auto context = Value::Host(std::make_shared<ContextValue>());
  module->attributes["getcontext"] =
      Value::Builtin("getcontext", [context](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "getcontext", a, 0, 0));
        return context;
      });
  module->attributes["DefaultContext"] = context;
  for (const char* name : {"localcontext", "setcontext", "Context"}) {
    module->attributes[name] = Refused(name);
  }
  for (const char* name : {"DecimalException", "Clamped", "Inexact", "Rounded", "Subnormal",
                           "InvalidOperation", "DivisionByZero", "Overflow", "Underflow",
                           "FloatOperation"}) {
    module->attributes[name] = Value::Class(DecimalExceptionClass(name));
  }
  module->attributes["MAX_PREC"] = Value::Int(999999999999999999);
  return Value::Module(module);
}

}  // namespace sqlmend::python
