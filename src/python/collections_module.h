// Named tuples and the `collections` module.
//
// A named tuple class is made two ways, as in Python:
//   - `class Point(typing.NamedTuple):` with annotated fields (`x: int`,
//     `y: int = 0`) and any methods, properties or class attributes;
//   - `collections.namedtuple("Point", "x y", defaults=..., rename=...)`.
// Both give a class object that is called with the fields positionally or
// by keyword (Python's TypeError messages when they do not fit) and has
// _fields, _field_defaults, _make(iterable) and __name__. Its instances are
// read by attribute (the fields, the class's methods bound to the
// instance), by index (negative too) and by iteration (unpacking, tuple(),
// len(), `in`); they compare with == != < <= > >= item by item with one
// another and with plain tuples, print as `Point(x=1, y=2)`, refuse
// attribute assignment (AttributeError) and have _asdict(),
// _replace(**changes), count() and index().
// NOTE: the instances are objects of their own, not tuples: isinstance(p,
// tuple) is false, slicing and json.dumps() are refused, and a named tuple
// class cannot be derived from (each is a located error). A class body's
// __repr__ is not used by repr(). typing.NamedTuple's functional form
// (`NamedTuple("P", [("x", int)])`) is refused; collections.namedtuple is
// the one modelled.
//
// `collections` offers namedtuple and OrderedDict, which is dict (a dict
// keeps insertion order; NOTE: its repr is a dict's). Its other names
// (defaultdict, deque, Counter) imported with `from collections import` are
// placeholders (module_loader.h).
#pragma once

#include "python/value.h"

namespace sqlmend::python {

// The class `typing.NamedTuple` that class statements derive from.
Value MakeNamedTupleBase();

// A new `collections` module.
Value MakeCollectionsModule();

}  // namespace sqlmend::python
