// The container protocols on instances of the script's classes: classes
// deriving from a builtin type (`class Keys(list)`, `class Headers(dict)`)
// and the special methods __getitem__, __setitem__, __delitem__, __iter__
// and __next__.
//
// An instance of a class deriving from a builtin type carries a value of
// that type (InstanceObject::builtin_value). As in CPython, the class's own
// methods come first and the builtin's act on that value where the class
// defines none: `self.append(x)`, `len(self)`, `for x in self`, `self[k]`,
// `k in self`, `bool(self)`, repr(), ==, `super().__setitem__(k, v)` and
// `dict.__init__(self, ...)`. A mutable type (list, dict, set) starts empty
// and is filled by its __init__ (list([1, 2])); an immutable one (str, int,
// float, tuple, bytes) gets its value from the arguments of the call, as
// its __new__ does. Overriding __new__ itself is not modelled.
#include <string>
#include <utility>
#include <vector>

#include "python/builtins.h"
#include "python/interpreter.h"

namespace sqlmend::python {

using base::Result;
using base::Status;
using Kind = Value::Kind;

namespace {

constexpr std::string_view kSubclassableBuiltins[] = {"list", "dict",  "set",   "str",
                                                      "int",  "float", "tuple", "bytes"};

bool IsMutableBuiltin(std::string_view type) {
  return type == "list" || type == "dict" || type == "set";
}

// The special methods of the builtin types that BuiltinSubclassMethod()
// offers, each taking the builtin value's arguments after self.
constexpr std::string_view kContainerSpecialMethods[] = {
    "__getitem__", "__setitem__", "__delitem__", "__contains__", "__len__",
    "__iter__",    "__eq__",      "__ne__",      "__repr__",     "__str__"};

}  // namespace

std::optional<std::string> AdoptBuiltinBase(ClassObject& class_object, std::string_view builtin) {
  bool subclassable = builtin.empty();
  for (std::string_view type : kSubclassableBuiltins) subclassable = subclassable || type == builtin;
  if (!subclassable) return "unsupported: a class deriving from the builtin '" + std::string(builtin) + "'";
  // Two different builtin types cannot share one instance (CPython's
  // "instance lay-out conflict").
  for (const auto& base : class_object.bases) {
    std::string_view inherited = base->BuiltinBase();
    if (inherited.empty()) continue;
    if (!builtin.empty() && inherited != builtin) {
      return "TypeError: multiple bases have instance lay-out conflict";
    }
    builtin = inherited;
  }
  if (builtin == class_object.BuiltinBase()) return std::nullopt;  // inherited already
  class_object.builtin_base = std::string(builtin);
  return std::nullopt;
}

namespace {

// type(*args): a new value of the builtin type `type`.
Result<Value> NewBuiltinValue(CallContext& context, std::string_view type, Args args) {
  // The builtin type functions are stateless: one table serves every
  // interpreter.
  static const Scope* const kTypes = [] {
    auto* scope = new Scope();
    InstallBuiltins(*scope);
    return scope;
  }();
  auto it = kTypes->names.find(type);
  if (it == kTypes->names.end()) {
    return base::Fail(context.Unsupported("unsupported: a value of the builtin '" +
                                          std::string(type) + "'"));
  }
  return context.Call(it->second, std::move(args));
}

}  // namespace

Result<bool> Interpreter::InitBuiltinValue(const std::shared_ptr<ClassObject>& class_object,
                                           InstanceObject& instance, Args& args) {
  std::string_view type = class_object->BuiltinBase();
  if (type.empty()) return false;
  const bool has_init = class_object->Lookup("__init__") != nullptr;
  const bool mutable_type = IsMutableBuiltin(type);
  // list.__new__ ignores its arguments; str.__new__ makes the value of them.
  Args made = mutable_type && has_init ? Args{} : args;
  auto value = NewBuiltinValue(*this, type, std::move(made));
  if (!value) return base::Fail(value.error());
  instance.builtin_value = std::move(*value);
  return !has_init;
}

std::optional<Value> Interpreter::BuiltinSubclassMethod(const Value& self, std::string_view name) {
  if (!self.Is(Kind::kInstance)) return std::nullopt;
  const std::string type(self.AsInstance().class_object->BuiltinBase());
  if (type.empty()) return std::nullopt;
  if (name == "__init__") {
    // Refills a mutable value from the arguments, as list.__init__ does;
    // an immutable value was made when the instance was.
    return Value::Builtin("__init__", [self, type](CallContext& c, Args& a) -> Result<Value> {
      if (!IsMutableBuiltin(type)) return Value::None();
      auto value = NewBuiltinValue(c, type, a);
      if (!value) return value;
      self.AsInstance().builtin_value = std::move(*value);
      return Value::None();
    });
  }
  const Value& builtin = self.AsInstance().builtin_value;
  if (auto method = BuiltinMethod(builtin, name)) return method;
  bool special = false;
  for (std::string_view method : kContainerSpecialMethods) special = special || method == name;
  if (!special) return std::nullopt;
  std::string method(name);
  return Value::Builtin(method, [this, self, method](CallContext& c, Args& a) -> Result<Value> {
    const Value& value = self.AsInstance().builtin_value;
    const size_t arity = method == "__setitem__" ? 2
                         : method == "__getitem__" || method == "__delitem__" ||
                                 method == "__contains__" || method == "__eq__" ||
                                 method == "__ne__"
                             ? 1
                             : 0;
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, method, a, arity, arity));
    Node where = current_node_;
    if (method == "__getitem__") return Subscript(where, value, a.positional[0]);
    if (method == "__setitem__") {
      SQLMEND_RETURN_IF_ERROR(SetSubscript(where, value, a.positional[0], a.positional[1]));
      return Value::None();
    }
    if (method == "__delitem__") {
      SQLMEND_RETURN_IF_ERROR(DeleteSubscript(where, value, a.positional[0]));
      return Value::None();
    }
    if (method == "__contains__") {
      auto contains = ContainsItem(value, a.positional[0]);
      if (!contains) return base::Fail(contains.error());
      return Value::Bool(*contains);
    }
    if (method == "__eq__" || method == "__ne__") {
      return Operate(method == "__eq__" ? "==" : "!=", value, BuiltinValueOf(a.positional[0]));
    }
    if (method == "__len__" || method == "__iter__") {
      auto items = IterateValue(c, value);
      if (!items) return base::Fail(items.error());
      if (method == "__len__") return Value::Int(static_cast<int64_t>(items->size()));
      return MakeItemIterator(std::move(*items));
    }
    auto text = Text(value, method == "__repr__");
    if (!text) return base::Fail(text.error());
    return Value::Str(std::move(*text));
  });
}

Result<Value> Interpreter::InstanceSubscript(Node where, const Value& instance, const Value& key) {
  auto special = CallSpecialMethod(instance, "__getitem__", {key});
  if (!special) return base::Fail(special.error());
  if (*special) return std::move(**special);
  const Value& builtin = instance.AsInstance().builtin_value;
  if (builtin.IsNone()) {
    return base::Fail(
        ThrowAt(where, "TypeError", "'" + instance.TypeName() + "' object is not subscriptable"));
  }
  if (builtin.Is(Kind::kDict) && builtin.AsDict().Find(key) == nullptr) {
    // A dict subclass answers a missing key through __missing__.
    auto missing = CallSpecialMethod(instance, "__missing__", {key});
    if (!missing) return base::Fail(missing.error());
    if (*missing) return std::move(**missing);
  }
  return Subscript(where, builtin, key);
}

Status Interpreter::InstanceSetSubscript(Node where, const Value& instance, const Value& key,
                                         Value value) {
  auto special = CallSpecialMethod(instance, "__setitem__", {key, value});
  if (!special) return special.error();
  if (*special) return Status::Ok();
  const Value& builtin = instance.AsInstance().builtin_value;
  if (builtin.IsNone()) {
    return ThrowAt(where, "TypeError",
                   "'" + instance.TypeName() + "' object does not support item assignment");
  }
  return SetSubscript(where, builtin, key, std::move(value));
}

Status Interpreter::DeleteSubscript(Node where, const Value& container, const Value& key) {
  current_node_ = where;
  if (container.Is(Kind::kInstance)) {
    auto special = CallSpecialMethod(container, "__delitem__", {key});
    if (!special) return special.error();
    if (*special) return Status::Ok();
    const Value& builtin = container.AsInstance().builtin_value;
    if (builtin.IsNone()) {
      return ThrowAt(where, "TypeError",
                     "'" + container.TypeName() + "' object does not support item deletion");
    }
    return DeleteSubscript(where, builtin, key);
  }
  if (container.Is(Kind::kDict)) {
    if (!container.AsDict().Erase(key)) return ThrowKeyError(key);
    return Status::Ok();
  }
  if (container.Is(Kind::kList) && (key.Is(Kind::kInt) || key.Is(Kind::kBool))) {
    auto& items = container.Items();
    int64_t index = key.AsInt() < 0 ? key.AsInt() + static_cast<int64_t>(items.size()) : key.AsInt();
    if (index < 0 || index >= static_cast<int64_t>(items.size())) {
      return ThrowAt(where, "IndexError", "list assignment index out of range");
    }
    items.erase(items.begin() + index);
    return Status::Ok();
  }
  if (container.Is(Kind::kList)) return ErrorAt(where, "unsupported: del of this subscript");
  return ThrowAt(where, "TypeError",
                 "'" + container.TypeName() + "' object doesn't support item deletion");
}

Result<std::vector<Value>> IterateInstance(CallContext& context, const Value& instance) {
  // 1. __iter__: what it returns is iterated (a generator, a list), or, when
  //    it is an object with __next__, stepped until StopIteration.
  auto iterator = context.CallSpecialMethod(instance, "__iter__", {});
  if (!iterator) return base::Fail(iterator.error());
  if (*iterator) {
    const Value& it = **iterator;
    if (!it.Is(Kind::kInstance)) return IterateValue(context, it);
    std::vector<Value> items;
    while (true) {
      if (static_cast<int64_t>(items.size()) >= kMaxIterations) {
        return base::Fail(context.Unsupported("unsupported: an iterator of more than " +
                                              std::to_string(kMaxIterations) + " items"));
      }
      auto next = context.CallSpecialMethod(it, "__next__", {});
      if (!next) {
        if (context.Catch(next.error(), "StopIteration")) return items;
        return base::Fail(next.error());
      }
      if (!*next) {
        return base::Fail(context.Throw(
            "TypeError", "iter() returned non-iterator of type '" + it.TypeName() + "'"));
      }
      items.push_back(std::move(**next));
    }
  }
  // 2. The builtin value of a builtin subclass.
  const Value& builtin = instance.AsInstance().builtin_value;
  if (!builtin.IsNone()) return IterateValue(context, builtin);
  // 3. The old sequence protocol: __getitem__(0), (1), ... until IndexError.
  std::vector<Value> items;
  if (instance.AsInstance().class_object->Lookup("__getitem__") != nullptr) {
    while (true) {
      if (static_cast<int64_t>(items.size()) >= kMaxIterations) {
        return base::Fail(context.Unsupported("unsupported: a sequence of more than " +
                                              std::to_string(kMaxIterations) + " items"));
      }
      auto item = context.CallSpecialMethod(
          instance, "__getitem__", {Value::Int(static_cast<int64_t>(items.size()))});
      if (!item) {
        if (context.Catch(item.error(), "IndexError")) return items;
        return base::Fail(item.error());
      }
      if (!*item) break;
      items.push_back(std::move(**item));
    }
  }
  return base::Fail(
      context.Throw("TypeError", "'" + instance.TypeName() + "' object is not iterable"));
}

}  // namespace sqlmend::python
