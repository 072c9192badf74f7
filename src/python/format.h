// Python's three ways of formatting text: format specs (format(), f-string
// `{x:>10.2f}`), printf-style `%` and str.format().
//
// The format spec mini-language is implemented as CPython documents it
// ("Format Specification Mini-Language"): [[fill]align][sign][#][0][width]
// [grouping][.precision][type] with types s, d, n, x, X, o, b, c, e, E, f,
// F, g, G and %. str, int, bool and float format as in Python; any other
// value only with an empty spec (its str()). printf-style `%` supports
// %(name)s mappings, the flags - + space 0 #, width, precision and the types
// s r a d i u x X o c e E f F g G %. str.format() supports automatic and
// explicit positions, keyword names, `.attribute` and `[index]` lookups,
// !r/!s/!a conversions and a spec per field.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "python/value.h"

namespace sqlmend::python {

// format(value, spec). A spec that does not apply to the value (a precision
// on an int, an unknown type) raises ValueError, as in Python.
base::Result<std::string> FormatValue(CallContext& context, const Value& value,
                                      std::string_view spec);

// `format % args`, where `args` is a tuple (one value per conversion), a
// dict (for %(name)s) or a single value.
base::Result<std::string> PercentFormat(CallContext& context, std::string_view format,
                                        const Value& args);

// `format.format(*args.positional, **args.keywords)`.
base::Result<std::string> StrFormat(CallContext& context, std::string_view format,
                                    const Args& args);

// The number of code points in UTF-8 `text` (what width and len() count).
size_t CodePointCount(std::string_view text);

}  // namespace sqlmend::python
