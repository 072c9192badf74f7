// The methods of str and bytes, as BuiltinMethod() (builtins.h) binds them.
//
// str: capitalize center count encode endswith find format index isalnum
// isalpha isascii isdigit isidentifier islower isspace isupper join ljust
// lower lstrip partition removeprefix removesuffix replace rfind rindex
// rjust rpartition rsplit rstrip split splitlines startswith strip title
// upper zfill. bytes has the same but format, encode and isidentifier, plus
// decode, hex and translate (bytes_type.h).
//
// One implementation serves both types: a method keeps the receiver's type,
// takes text arguments of that type only (b"a".split("a") raises TypeError,
// as in Python), and counts lengths and positions in code points for str
// and in octets for bytes. Case mapping is ASCII (and, for str, Latin-1
// letters); other scripts keep their case.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "python/value.h"

namespace sqlmend::python {

// A method of a builtin type: `self` is the receiver.
using MethodFunction =
    std::function<base::Result<Value>(CallContext& context, const Value& self, Args& args)>;

// The methods only str has (format, encode, isidentifier), or std::nullopt.
std::optional<MethodFunction> StrOnlyMethod(std::string_view name);
// The methods str and bytes share, or std::nullopt. `self` must be a str or
// a bytes when the method is called.
std::optional<MethodFunction> TextMethod(std::string_view name);

}  // namespace sqlmend::python
