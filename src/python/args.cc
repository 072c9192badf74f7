#include "python/args.h"

#include <algorithm>

namespace sqlmend::python {
namespace {

// Keyword prefixes of the other dialects: SQLAlchemy passes these to their
// dialect only, so they never change what SQLite runs.
constexpr std::string_view kOtherDialects[] = {"postgresql_", "mysql_",    "mariadb_", "mssql_",
                                               "oracle_",     "firebird_", "sybase_"};

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

const Value* BoundArgs::Get(std::string_view name) const {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

const Value* BoundArgs::GetNotNone(std::string_view name) const {
  const Value* value = Get(name);
  return value == nullptr || value->IsNone() ? nullptr : value;
}

base::Result<BoundArgs> BindArgs(CallContext& context, const Signature& signature,
                                 const Args& args) {
  BoundArgs bound;
  const size_t count = std::min(args.positional.size(), signature.positional.size());
  for (size_t i = 0; i < count; ++i) bound.values[signature.positional[i]] = args.positional[i];
  if (args.positional.size() > signature.positional.size()) {
    if (!signature.var_positional) {
      return base::Fail(context.Throw(
          "TypeError", signature.function + "() takes at most " +
                           std::to_string(signature.positional.size()) + " positional arguments (" +
                           std::to_string(args.positional.size()) + " given)"));
    }
    bound.rest.assign(args.positional.begin() + static_cast<ptrdiff_t>(count),
                      args.positional.end());
  }
  // NOTE: no structured binding: clang before 16 cannot capture one.
  for (const auto& keyword : args.keywords) {
    const std::string& name = keyword.first;
    const Value& value = keyword.second;
    if (Contains(signature.positional, name) || Contains(signature.keywords, name)) {
      if (bound.values.contains(name)) {
        return base::Fail(context.Throw(
            "TypeError",
            signature.function + "() got multiple values for argument '" + name + "'"));
      }
      bound.values[name] = value;
      continue;
    }
    if (Contains(signature.ignored, name)) continue;
    bool other_dialect =
        std::any_of(std::begin(kOtherDialects), std::end(kOtherDialects),
                    [&](std::string_view prefix) { return name.starts_with(prefix); });
    if (other_dialect) continue;
    return base::Fail(context.Unsupported("unsupported: keyword argument " + name + "= of " +
                                          signature.function +
                                          "() (sqlmend does not model it, and it may change the "
                                          "database Alembic would leave)"));
  }
  for (size_t i = 0; i < signature.required; ++i) {
    if (!bound.values.contains(signature.positional[i])) {
      return base::Fail(context.Throw("TypeError", signature.function +
                                                       "() missing 1 required positional "
                                                       "argument: '" +
                                                       signature.positional[i] + "'"));
    }
  }
  return bound;
}

base::Result<std::optional<std::string>> OptionalString(CallContext& context,
                                                        const BoundArgs& bound,
                                                        std::string_view function,
                                                        std::string_view name) {
  const Value* value = bound.GetNotNone(name);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->Is(Value::Kind::kStr)) {
    return base::Fail(context.Throw("TypeError", std::string(function) +
                                                     "(): " + std::string(name) +
                                                     " must be a str, not " + value->TypeName()));
  }
  return std::optional<std::string>(value->AsStr());
}

base::Result<std::optional<int>> OptionalInt(CallContext& context, const BoundArgs& bound,
                                             std::string_view function, std::string_view name) {
  const Value* value = bound.GetNotNone(name);
  if (value == nullptr) return std::optional<int>();
  if (!value->Is(Value::Kind::kInt) || value->AsInt() < 0 || value->AsInt() > INT32_MAX) {
    return base::Fail(
        context.Throw("TypeError", std::string(function) + "(): " + std::string(name) +
                                       " must be a non-negative int, not " + value->TypeName()));
  }
  return std::optional<int>(static_cast<int>(value->AsInt()));
}

std::optional<bool> OptionalBool(const BoundArgs& bound, std::string_view name) {
  const Value* value = bound.GetNotNone(name);
  if (value == nullptr) return std::nullopt;
  return value->Truthy();
}

bool BoolOr(const BoundArgs& bound, std::string_view name, bool fallback) {
  const Value* value = bound.GetNotNone(name);
  return value == nullptr ? fallback : value->Truthy();
}

std::vector<Value> ItemsOrSingle(const Value& value) {
  if (value.IsSequence()) return value.Items();
  return {value};
}

}  // namespace sqlmend::python
