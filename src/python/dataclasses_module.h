// The `dataclasses` module, written in Python (dataclasses_module.cc) and
// run by the interpreter, so that the methods it generates are ordinary
// functions of the class: repr(), ==, super().__init__() and subclasses
// treat them as they treat methods the script wrote.
//
// Modelled: @dataclass and @dataclass(init=, repr=, eq=, order=,
// unsafe_hash=, frozen=, kw_only=, match_args=, slots=); field(default=,
// default_factory=, init=, repr=, compare=, hash=, metadata=, kw_only=);
// KW_ONLY; InitVar; ClassVar fields (skipped); inheritance of the fields of
// a dataclass base; the generated __init__ (Python's TypeError messages,
// default_factory called per instance, __post_init__ called with the InitVar
// values), __repr__, __eq__ and, with order=True, < <= > >=; fields(),
// asdict(), astuple(), replace(), is_dataclass(), MISSING, Field and
// FrozenInstanceError.
// The fields are the class body's annotated names (__annotations__, whose
// values are the annotations' text; see Interpreter::RecordAnnotation).
// NOTE: frozen=True does not refuse assignment to a field (the interpreter
// has no __setattr__ protocol); slots= and match_args= are accepted and do
// nothing; the fields of a dataclass base are found through the nearest
// one (multiple dataclass bases are not merged); a TypeError raised by a
// generated __init__ is located in "<dataclasses>", not at the call.
#pragma once

#include "base/status.h"
#include "python/interpreter.h"

namespace sqlmend::python {

// Runs the module in `interpreter`, which registers it as `dataclasses`
// (the interpreter does so when a script first imports it), and returns it.
base::Result<Value> MakeDataclassesModule(Interpreter& interpreter);

}  // namespace sqlmend::python
