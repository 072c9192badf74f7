// Python's operators on Values: arithmetic, comparison and membership, with
// Python's rules and error messages.
//
// int arithmetic is 64-bit: a result that does not fit is an error the
// script cannot catch ("unsupported: int result beyond 64 bits"), not a
// bignum. / always gives a float, // and % floor as Python does, ** of two
// ints with a negative exponent gives a float. `+` concatenates str, bytes,
// list and tuple; `*` repeats them. Errors are Python exceptions raised through
// the CallContext (TypeError, ZeroDivisionError).
#pragma once

#include <string_view>

#include "base/status.h"
#include "python/value.h"

namespace sqlmend::python {

// The largest str (in bytes) and container (in items) a script may build: a
// guard against `s += s` in a loop exhausting memory. Far beyond what a
// migration script holds.
inline constexpr size_t kMaxStrBytes = 16 << 20;
inline constexpr size_t kMaxContainerItems = 1'000'000;

// An uncatchable error when `value` is a str or container beyond the limits
// above; OK otherwise.
base::Status CheckSize(CallContext& context, const Value& value);

// `left op right` for op in + - * / // % ** & | ^ << >> and @ (refused).
// `%` with a str on the left is printf-style formatting (format.h); with
// bytes on the left it is not modelled (Unsupported).
base::Result<Value> BinaryOperation(CallContext& context, std::string_view op, const Value& left,
                                    const Value& right);
// `op operand` for op in - + ~ (`not` is the interpreter's).
base::Result<Value> UnaryOperation(CallContext& context, std::string_view op, const Value& operand);
// a < b, as sorted(), min() and max() use it: numbers, str, bytes, and
// list/tuple item by item; other pairs raise TypeError.
base::Result<bool> LessThan(CallContext& context, const Value& a, const Value& b);
// `item in container` for str (substring), bytes (substring or one octet
// given as an int), list, tuple, set, dict (keys) and host objects.
base::Result<bool> Contains(CallContext& context, const Value& container, const Value& item);
// `op` in == != < <= > >= in "not in" is "is not", Python's semantics.
base::Result<bool> Compare(CallContext& context, std::string_view op, const Value& left,
                           const Value& right);

}  // namespace sqlmend::python
