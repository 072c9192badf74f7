// Binding the arguments of a modelled SQLAlchemy or Alembic call to its
// signature, as Python binds a def's parameters.
//
// The modelled functions (sa.Column, op.create_table, ...) take many
// optional parameters by position or by keyword. BindArgs() does what
// Python's call does (positional parameters in order, then keywords,
// TypeError for a missing or repeated argument) and adds sqlmend's rule for
// keywords it does not model: a keyword for another database
// ("postgresql_where=", "mysql_engine=") or one listed in `ignored` (comment=,
// info=) cannot change SQLite's DDL and is accepted; any other unknown
// keyword is Unsupported (a located error), because silently dropping it
// could leave a different database than Alembic would.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "python/value.h"

namespace sqlmend::python {

struct Signature {
  std::string function;                 // "sa.Column", for messages
  std::vector<std::string> positional;  // positional-or-keyword parameters
  size_t required = 0;                  // how many of them must be given
  bool var_positional = false;          // *args: extra positionals go to `rest`
  std::vector<std::string> keywords;    // keyword-only parameters
  std::vector<std::string> ignored;     // accepted keywords without effect on SQLite
};

struct BoundArgs {
  // Every parameter the call gave, by name (ignored keywords left out).
  std::map<std::string, Value, std::less<>> values;
  // Positional arguments beyond `positional` (only with var_positional).
  std::vector<Value> rest;

  // The argument `name`, or nullptr when the call did not give it.
  const Value* Get(std::string_view name) const;
  // The argument, treating an explicit None as not given.
  const Value* GetNotNone(std::string_view name) const;
};

// Binds `args` to `signature`. Fails with TypeError (catchable) for too many
// positionals, a missing required or repeated argument; with Unsupported for
// an unknown keyword that might change the DDL.
base::Result<BoundArgs> BindArgs(CallContext& context, const Signature& signature,
                                 const Args& args);

// Typed readers of a bound argument; each raises TypeError naming the
// function and parameter when the value has the wrong type, and returns
// nullopt (or `fallback`) when the argument is absent or None.
base::Result<std::optional<std::string>> OptionalString(CallContext& context,
                                                        const BoundArgs& bound,
                                                        std::string_view function,
                                                        std::string_view name);
base::Result<std::optional<int>> OptionalInt(CallContext& context, const BoundArgs& bound,
                                             std::string_view function, std::string_view name);
std::optional<bool> OptionalBool(const BoundArgs& bound, std::string_view name);
bool BoolOr(const BoundArgs& bound, std::string_view name, bool fallback);

// A list or tuple's items, or the single value as a one-item list (Alembic
// and SQLAlchemy accept either in most column-list parameters).
std::vector<Value> ItemsOrSingle(const Value& value);

}  // namespace sqlmend::python
