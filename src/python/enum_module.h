// The `enum` module: Enum, IntEnum, auto() and unique, enough for the
// Python enum classes that models pass to sa.Enum(...).
//
//   class Color(enum.Enum):       # also (str, enum.Enum), enum.IntEnum
//       RED = "red"
//       GREEN = enum.auto()       # 1, 2, ... after the last int value
//
// The class statement yields an enum class (a host object) instead of a
// plain class: Color.RED is a member with .name and .value, iteration and
// len() visit the members in definition order (aliases, members whose value
// repeats an earlier one, are skipped as in Python), Color["RED"] finds by
// name (KeyError), Color("red") by value (ValueError). Methods and other
// class attributes stay reachable through the class and the members.
// Names starting and ending with "_" and functions are not members.
// NOTE: members are not str/int even with a mixin: Color.RED == "red" is
// False here, True in Python.
#pragma once

#include "python/value.h"

namespace sqlmend::python {

Value MakeEnumModule();

}  // namespace sqlmend::python
