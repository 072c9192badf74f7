// `typing` (and `typing_extensions`, the same module): the names model
// modules and project packages import for annotations, so that importing and
// using them the way annotations do never stops a run.
//
// What each kind of name does:
//   - TYPE_CHECKING is False, so `if TYPE_CHECKING:` imports are skipped as
//     Python skips them;
//   - cast(t, x) is x; NewType(name, t) is the identity function;
//     overload, final, no_type_check, runtime_checkable and override are
//     identity decorators (an @overload stub is replaced by the definition
//     that follows it, as in Python); dataclass_transform(...) returns one;
//   - TypeVar(name, ...), ParamSpec(name) and TypeVarTuple(name) return a
//     type variable: a hint that can be subscripted but not called;
//   - Protocol, Generic and TypedDict are classes a class may derive from
//     (Protocol[T] and Generic[T] are the class itself).
//     NOTE: the subclasses are plain classes: a TypedDict subclass is not a
//     dict;
//   - NamedTuple makes a named tuple class of a class body
//     (collections_module.h);
//   - every other hint (Any, Optional, Union, List, Dict, Callable, Literal,
//     Final, ClassVar, Annotated, Iterator, ...) can be subscripted
//     (Optional[int] is the hint itself) but calling it stops the run with
//     its location ("unsupported: calling typing.List").
// get_type_hints() and the runtime introspection helpers are not modelled.
#pragma once

#include "python/value.h"

namespace sqlmend::python {

// A new `typing` module (the interpreter registers it as `typing` and as
// `typing_extensions`).
Value MakeTypingModule();

}  // namespace sqlmend::python
