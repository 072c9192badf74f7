// The methods of list, dict and set, and the dispatch of BuiltinMethod()
// (builtins.h) to those of str and bytes (text_methods.h).
#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "python/builtins.h"
#include "python/bytes_type.h"
#include "python/text_methods.h"
#include "python/operators.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;
using Method = MethodFunction;

Result<int64_t> ListIndex(CallContext& c, const Value& self, const Value& index, bool for_insert) {
  int64_t size = static_cast<int64_t>(self.Items().size());
  int64_t i = index.AsInt() < 0 ? index.AsInt() + size : index.AsInt();
  if (for_insert) return std::clamp<int64_t>(i, 0, size);
  if (i < 0 || i >= size)
    return base::Fail(
        c.Throw("IndexError", size == 0 ? "pop from empty list" : "pop index out of range"));
  return i;
}

std::optional<Method> ListMethod(std::string_view name) {
  if (name == "append") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "append", a, 1, 1));
      self.Items().push_back(a.positional[0]);
      return Value::None();
    };
  }
  if (name == "extend") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "extend", a, 1, 1));
      auto items = IterateValue(c, a.positional[0]);
      if (!items) return base::Fail(items.error());
      self.Items().insert(self.Items().end(), items->begin(), items->end());
      SQLMEND_RETURN_IF_ERROR(CheckSize(c, self));
      return Value::None();
    };
  }
  if (name == "pop") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "pop", a, 0, 1));
      auto index =
          ListIndex(c, self, a.positional.empty() ? Value::Int(-1) : a.positional[0], false);
      if (!index) return base::Fail(index.error());
      Value out = self.Items()[static_cast<size_t>(*index)];
      self.Items().erase(self.Items().begin() + *index);
      return out;
    };
  }
  if (name == "insert") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "insert", a, 2, 2));
      auto index = ListIndex(c, self, a.positional[0], true);
      if (!index) return base::Fail(index.error());
      self.Items().insert(self.Items().begin() + *index, a.positional[1]);
      return Value::None();
    };
  }
  if (name == "index" || name == "count" || name == "remove") {
    std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 1, 1));
      auto& items = self.Items();
      int64_t count = 0;
      for (size_t i = 0; i < items.size(); ++i) {
        if (!Equals(items[i], a.positional[0])) continue;
        if (method == "index") return Value::Int(static_cast<int64_t>(i));
        if (method == "remove") {
          items.erase(items.begin() + static_cast<ptrdiff_t>(i));
          return Value::None();
        }
        ++count;
      }
      if (method == "count") return Value::Int(count);
      if (method == "index")
        return base::Fail(c.Throw("ValueError", Repr(a.positional[0]) + " is not in list"));
      return base::Fail(c.Throw("ValueError", "list.remove(x): x not in list"));
    };
  }
  if (name == "sort") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "sort", a, 0, 0, {"key", "reverse"}));
      Value sorted_builtin;
      Scope scope;
      InstallBuiltins(scope);
      Args sort_args{{self}, a.keywords};
      auto sorted = c.Call(scope.names["sorted"], std::move(sort_args));
      if (!sorted) return sorted;
      self.Items() = sorted->Items();
      return Value::None();
    };
  }
  if (name == "reverse" || name == "clear" || name == "copy") {
    std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 0, 0));
      if (method == "copy") return Value::List(self.Items());
      if (method == "clear") {
        self.Items().clear();
      } else {
        std::reverse(self.Items().begin(), self.Items().end());
      }
      return Value::None();
    };
  }
  return std::nullopt;
}

std::optional<Method> DictMethod(std::string_view name) {
  if (name == "get") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "get", a, 1, 2));
      Value* found = self.AsDict().Find(a.positional[0]);
      if (found != nullptr) return *found;
      return a.positional.size() == 2 ? a.positional[1] : Value::None();
    };
  }
  if (name == "items" || name == "keys" || name == "values") {
    std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 0, 0));
      std::vector<Value> out;
      for (const auto& [k, v] : self.AsDict().entries) {
        out.push_back(method == "keys" ? k : method == "values" ? v : Value::Tuple({k, v}));
      }
      return Value::List(std::move(out));
    };
  }
  if (name == "update") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "update", a, 0, 1, {"*"}));
      if (!a.positional.empty()) {
        const Value& other = BuiltinValueOf(a.positional[0]);
        if (!other.Is(Kind::kDict))
          return base::Fail(c.Unsupported("unsupported: dict.update() from a " + other.TypeName()));
        for (const auto& [k, v] : other.AsDict().entries) self.AsDict().Set(k, v);
      }
      for (const auto& [k, v] : a.keywords) self.AsDict().Set(Value::Str(k), v);
      return Value::None();
    };
  }
  if (name == "setdefault") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "setdefault", a, 1, 2));
      if (Value* found = self.AsDict().Find(a.positional[0])) return *found;
      Value fallback = a.positional.size() == 2 ? a.positional[1] : Value::None();
      self.AsDict().Set(a.positional[0], fallback);
      return fallback;
    };
  }
  if (name == "pop") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "pop", a, 1, 2));
      if (Value* found = self.AsDict().Find(a.positional[0])) {
        Value out = *found;
        self.AsDict().Erase(a.positional[0]);
        return out;
      }
      if (a.positional.size() == 2) return a.positional[1];
      return base::Fail(c.ThrowKeyError(a.positional[0]));
    };
  }
  if (name == "copy" || name == "clear") {
    bool copy = name == "copy";
    return [copy](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, copy ? "copy" : "clear", a, 0, 0));
      if (!copy) {
        self.AsDict().Clear();
        return Value::None();
      }
      Value out = Value::Dict();
      for (const auto& [k, v] : self.AsDict().entries) out.AsDict().Set(k, v);
      return out;
    };
  }
  return std::nullopt;
}

std::optional<Method> SetMethod(std::string_view name) {
  if (name == "add" || name == "discard" || name == "remove") {
    std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 1, 1));
      if (method == "add") {
        SetInsert(self, a.positional[0]);
      } else if (!SetRemove(self, a.positional[0]) && method == "remove") {
        return base::Fail(c.ThrowKeyError(a.positional[0]));
      }
      return Value::None();
    };
  }
  // difference, intersection and symmetric_difference (and their _update
  // forms): a new set, or self changed in place.
  if (name == "difference" || name == "intersection" || name == "symmetric_difference" ||
      name == "difference_update" || name == "intersection_update" ||
      name == "symmetric_difference_update") {
    const std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      const bool in_place = method.ends_with("_update");
      Value result = Value::Set(self.Items());
      for (const Value& other : a.positional) {
        auto items = IterateValue(c, other);
        if (!items) return base::Fail(items.error());
        Value given = Value::Set({});
        for (Value& item : *items) SetInsert(given, std::move(item));
        // Ours kept where the other has them (intersection) or has not;
        // a symmetric difference adds theirs that we lack.
        const bool keep_shared = method.starts_with("intersection");
        Value next = Value::Set({});
        for (const Value& item : result.Items()) {
          if (SetContains(given, item) == keep_shared) SetInsert(next, item);
        }
        if (method.starts_with("symmetric")) {
          for (const Value& item : given.Items()) {
            if (!SetContains(result, item)) SetInsert(next, item);
          }
        }
        result = std::move(next);
      }
      if (!in_place) return result;
      const std::vector<Value> before = self.Items();
      for (const Value& item : before) {
        if (!SetContains(result, item)) SetRemove(self, item);
      }
      for (const Value& item : result.Items()) SetInsert(self, item);
      return Value::None();
    };
  }
  if (name == "issubset" || name == "issuperset" || name == "isdisjoint") {
    const std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 1, 1));
      auto items = IterateValue(c, a.positional[0]);
      if (!items) return base::Fail(items.error());
      Value other = Value::Set({});
      for (Value& item : *items) SetInsert(other, std::move(item));
      const Value& inner = method == "issuperset" ? other : self;
      const Value& outer = method == "issuperset" ? self : other;
      for (const Value& item : inner.Items()) {
        const bool inside = SetContains(outer, item);
        if (method == "isdisjoint" ? inside : !inside) return Value::Bool(false);
      }
      return Value::Bool(true);
    };
  }
  if (name == "copy" || name == "clear" || name == "pop") {
    const std::string method(name);
    return [method](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, 0, 0));
      if (method == "copy") return Value::Set(self.Items());
      if (method == "clear") {
        const std::vector<Value> items = self.Items();
        for (const Value& item : items) SetRemove(self, item);
        return Value::None();
      }
      if (self.Items().empty())
        return base::Fail(c.ThrowKeyError(Value::Str("pop from an empty set")));
      Value first = self.Items().front();
      SetRemove(self, first);
      return first;
    };
  }
  if (name == "update" || name == "union") {
    bool in_place = name == "update";
    return [in_place](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      Value target = in_place ? self : Value::Set(self.Items());
      for (const Value& other : a.positional) {
        auto more = IterateValue(c, other);
        if (!more) return base::Fail(more.error());
        for (Value& item : *more) SetInsert(target, std::move(item));
      }
      return in_place ? Value::None() : target;
    };
  }
  return std::nullopt;
}

}  // namespace

std::optional<Value> BuiltinMethod(const Value& receiver, std::string_view name) {
  std::optional<Method> method;
  switch (receiver.kind()) {
    case Kind::kStr:
      method = StrOnlyMethod(name);
      if (!method) method = TextMethod(name);
      break;
    case Kind::kBytes:
      method = BytesOnlyMethod(name);
      if (!method) method = TextMethod(name);
      break;
    case Kind::kList:
      method = ListMethod(name);
      break;
    case Kind::kTuple:
      if (name == "index" || name == "count") method = ListMethod(name);
      break;
    case Kind::kDict:
      method = DictMethod(name);
      break;
    case Kind::kSet:
      method = SetMethod(name);
      break;
    default:
      break;
  }
  if (!method) return std::nullopt;
  return Value::Builtin(receiver.TypeName() + "." + std::string(name),
                        [self = receiver, function = std::move(*method)](CallContext& c, Args& a) {
                          return function(c, self, a);
                        });
}

}  // namespace sqlmend::python
