// Standard modules written in Python (source_modules.cc) and run by the
// interpreter when a script first imports them, so that what they define is
// ordinary Python to the rest of the interpreter: a defaultdict is a dict
// subclass, a functools.wraps wrapper is a function.
//
// Modelled:
// - `collections`: namedtuple and OrderedDict (collections_module.h), and
//   defaultdict, Counter (most_common, elements, update, subtract, total,
//   + and -), deque (append/appendleft, pop/popleft, extend/extendleft,
//   rotate, maxlen);
// - `itertools`: chain (and chain.from_iterable), islice, groupby,
//   zip_longest, product, permutations, combinations,
//   combinations_with_replacement, accumulate, starmap, takewhile,
//   dropwhile, filterfalse, compress, pairwise, tee, and repeat with a
//   count;
// - `functools`: partial, reduce, wraps, update_wrapper, lru_cache and cache
//   (a cache without eviction: maxsize= and typed= are accepted and not
//   applied), cached_property, total_ordering and cmp_to_key.
// - `hashlib` and `hmac` over the native `_sqlmend_hashlib`
//   (hashlib_module.h).
// NOTE: the interpreter iterates eagerly (a generator runs to its end when
// first stepped), so the endless iterators (itertools.count, cycle, repeat
// without a count) are not defined: using one is an AttributeError at its
// location, not a hang.
#pragma once

#include <optional>
#include <string_view>

#include "base/status.h"
#include "python/interpreter.h"

namespace sqlmend::python {

// Runs the standard module `name` written in Python in `interpreter`, which
// registers it under that name, and returns it; std::nullopt when `name` is
// not one of them.
std::optional<base::Result<Value>> MakeSourceModule(Interpreter& interpreter,
                                                    std::string_view name);

// _own_attributes(cls): a dict of the attributes the class itself defines
// (not inherited), for the class decorators written in Python.
base::Result<Value> OwnAttributes(CallContext& context, Args& args);

}  // namespace sqlmend::python
