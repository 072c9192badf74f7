// The `re` module on RE2: compile, match, search, fullmatch, sub (templates
// with \1, \g<name>, or a function), findall, finditer, split, escape, the
// flags I/M/S/A; Match objects with group(), groups(), groupdict(),
// start(), end(), span() (in code points, as Python counts). RE2 has no
// backreferences or lookarounds: such a pattern, and re.VERBOSE, stop the
// run with the location (Unsupported), never a wrong answer.
#pragma once

#include "python/value.h"

namespace sqlmend::python {

Value MakeReModule();

}  // namespace sqlmend::python
