// The `decimal` module, as revisions compute with money and as SQLAlchemy
// returns Numeric columns (sqlalchemy/types.h): Decimal, an exact decimal
// number, with the General Decimal Arithmetic rules CPython's decimal
// follows in its default context (28 significant digits, ROUND_HALF_EVEN).
//
//   Decimal("1.50"), Decimal(3), Decimal(0.1) (the float's exact value),
//   Decimal((0, (1, 5), -1)), Decimal.from_float(x)
//   + - * / // % ** (an integral power), unary - + abs(), comparisons with
//   Decimal, int and float (exact), bool(), hash, str() / repr() as CPython
//   writes them ("1.50", "1E+3", "0.000001", "1E-7", "NaN", "-Infinity"),
//   float(), int() (toward zero), round(d) (an int) and round(d, n),
//   format(d, ".2f") (also F, %, and no type), "%.2f" % d (through float,
//   as Python), .quantize(exp, rounding=), .normalize(),
//   .to_integral_value(rounding=), .to_integral(), .is_nan(), .is_zero(),
//   .is_signed(), .is_finite(), .is_infinite(), .copy_abs(),
//   .copy_negate(), .adjusted(), .as_tuple()
//   ROUND_HALF_EVEN and the seven other rounding names, getcontext() (its
//   prec, rounding, Emax, Emin read), and the exceptions DecimalException,
//   InvalidOperation, DivisionByZero, Inexact, Rounded, Overflow,
//   Underflow, Clamped, Subnormal, FloatOperation.
//
// Arithmetic on Decimal and float raises TypeError as in Python; a malformed
// string raises InvalidOperation ("[<class 'decimal.ConversionSyntax'>]"),
// x / 0 DivisionByZero, 0 / 0 InvalidOperation.
//
// NOTE: the context is fixed: setting getcontext().prec or .rounding,
// localcontext() and Context() are located Unsupported errors, as are
// sqrt(), exp(), ln(), log10(), a non-integral power, the 'e' and 'g'
// format types, signalling NaNs, and int() of a Decimal beyond 64 bits.
// Exponent limits (Emax, Emin) are not enforced.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "python/value.h"

namespace sqlmend::python {

// A decimal number: (-1)^negative * digits * 10^exponent, or a special.
struct DecimalNumber {
  enum class Special { kFinite, kInfinity, kNaN };
  bool negative = false;
  Special special = Special::kFinite;
  std::string digits = "0";  // the coefficient, without leading zeros
  int64_t exponent = 0;

  bool IsZero() const { return special == Special::kFinite && digits == "0"; }
  // str() as CPython writes it (to-scientific-string).
  std::string Text() const;
  // The number with `places` digits after the point, rounded half-even,
  // never in exponent form ("1.50", "-0.00"): format(d, ".2f").
  std::string FixedText(int places) const;
};

// The number `text` spells as Decimal(text) reads it (surrounding
// whitespace and underscores between digits allowed), or nullopt.
std::optional<DecimalNumber> ParseDecimal(std::string_view text);

class DecimalValue : public HostObject {
 public:
  explicit DecimalValue(DecimalNumber number) : number_(std::move(number)) {}
  const DecimalNumber& number() const { return number_; }

  std::string TypeName() const override { return "decimal.Decimal"; }
  std::string Repr() const override { return "Decimal('" + number_.Text() + "')"; }
  std::string Str() const override { return number_.Text(); }
  std::optional<std::string> ValueKey() const override;
  std::optional<base::Result<Value>> GetAttribute(CallContext& context,
                                                  std::string_view name) override;
  std::optional<base::Result<Value>> Operator(CallContext& context, std::string_view op,
                                              const Value& other, bool reflected) override;
  std::optional<base::Result<Value>> UnaryOperator(CallContext& context,
                                                   std::string_view op) override;
  std::optional<base::Result<bool>> Bool(CallContext& context) override;
  std::optional<base::Result<Value>> SpecialMethod(CallContext& context, std::string_view method,
                                                   const std::vector<Value>& arguments) override;

 private:
  DecimalNumber number_;
};

// The DecimalValue `value` holds, or nullptr.
const DecimalValue* AsDecimal(const Value& value);

// Decimal(text), raising InvalidOperation for a malformed text.
base::Result<Value> DecimalFromText(CallContext& context, std::string_view text);

// The `decimal` module.
Value MakeDecimalModule();

}  // namespace sqlmend::python
