// The builtin functions, the methods of str, bytes, list, dict and set
// (those of str and bytes in text_methods.h), and the `logging` and `json`
// modules, as the interpreter (interpreter.h) offers them to scripts.
//
// Builtins: abs all any bool bytes callable chr dict divmod enumerate filter float
// format getattr hasattr int isinstance issubclass len list map max min
// object ord print range repr reversed round set setattr sorted str sum
// tuple zip. map, filter, zip, enumerate, reversed and range return lists
// (Python returns iterators; a script that only iterates them cannot tell),
// and dict.keys()/values()/items() return lists too.
// NOTE: range() materialises its items, so it is capped at kMaxIterations.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "python/value.h"

namespace sqlmend::python {

// The items `for x in value` visits: a list, tuple or set's items, a str's
// characters (code points), a bytes value's octets (ints), a dict's keys.
// Anything else raises TypeError.
base::Result<std::vector<Value>> IterateValue(CallContext& context, const Value& value);
// The items of an instance of the script's classes: its __iter__ (with
// __next__), a builtin subclass's value, or __getitem__(0), (1), ... until
// IndexError; TypeError when it has none (interpreter_containers.cc).
base::Result<std::vector<Value>> IterateInstance(CallContext& context, const Value& instance);

// Checks that `args` has between `min` and `max` positional arguments and no
// keywords except `allowed_keywords`, raising TypeError as Python would.
base::Status CheckArgs(CallContext& context, std::string_view function, const Args& args,
                       size_t min, size_t max,
                       std::initializer_list<std::string_view> allowed_keywords = {});
// The keyword argument `name`, or nullptr.
const Value* KeywordArg(const Args& args, std::string_view name);

// Binds every builtin function into `scope` (exception classes are bound by
// the interpreter).
void InstallBuiltins(Scope& scope);

// The method `name` of a str, bytes, list, dict or set `receiver`, bound to it, or
// std::nullopt when that type has no such method.
std::optional<Value> BuiltinMethod(const Value& receiver, std::string_view name);

// A new, empty module object named `name`; a native function bound as the
// module's attribute `name`, called "<module>.<name>" in error messages.
Value NewModule(std::string name);
void AddModuleFunction(Value& module, const std::string& name, NativeFunction function);

// `logging` (getLogger(name) with debug/info/warning/error/critical/
// exception and the level constants; basicConfig() does nothing; Logger,
// Handler, StreamHandler, Formatter, Filter and friends are classes whose
// methods do nothing) and `json`
// (dumps(value, indent=, sort_keys=) and loads(text) for None, bool, int,
// float, str, list and dict; JSONEncoder and JSONDecoder as classes to
// derive from; JSONDecodeError is ValueError).
Value MakeLoggingModule();
Value MakeJsonModule();

}  // namespace sqlmend::python
