// Class creation as Python 3's `type` does it: the class `type` that
// metaclasses derive from (its __new__, __init__ and __call__), three-argument
// type(), `metaclass=` and metaclasses inherited from a base, a metaclass's
// __call__ and a class's own __new__, __set_name__ and __init_subclass__, and
// the `abc` module (ABCMeta, ABC, abstractmethod and the refusal to
// instantiate a class with abstract methods).
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "python/builtins.h"
#include "python/interpreter.h"
#include "python/placeholder.h"

namespace sqlmend::python {

using base::Result;
using base::Status;
using Kind = Value::Kind;

namespace {

// Whether `value`, a class attribute, is abstract: a function abstractmethod
// marked, or a property, classmethod or staticmethod wrapping one (Python's
// __isabstractmethod__ of each).
bool IsAbstract(const Value& value) {
  auto marked = [](const std::map<std::string, Value, std::less<>>& attributes) {
    auto it = attributes.find("__isabstractmethod__");
    return it != attributes.end() && it->second.Truthy();
  };
  if (value.Is(Kind::kFunction)) return marked(value.AsFunction().attributes);
  if (!value.Is(Kind::kInstance)) return false;
  const auto& attributes = value.AsInstance().attributes;
  if (marked(attributes)) return true;
  for (const char* wrapped : {"__func__", "fget", "fset", "fdel"}) {
    auto it = attributes.find(wrapped);
    if (it != attributes.end() && it->second.Is(Kind::kFunction) && IsAbstract(it->second)) {
      return true;
    }
  }
  return false;
}

// ABCMeta's bookkeeping for a new class: __abstractmethods__, the names of
// its abstract attributes and of those it inherits and does not override.
void RecordAbstractMethods(ClassObject& class_object) {
  std::set<std::string> names;
  for (const auto& [name, value] : class_object.attributes) {
    if (IsAbstract(value)) names.insert(name);
  }
  for (const auto& base : class_object.bases) {
    const Value* inherited = base->Lookup("__abstractmethods__");
    if (inherited == nullptr || !inherited->Is(Kind::kSet)) continue;
    for (const Value& name : inherited->Items()) {
      const Value* current = class_object.Lookup(name.AsStr());
      if (current != nullptr && IsAbstract(*current)) names.insert(name.AsStr());
    }
  }
  std::vector<Value> items;
  for (const std::string& name : names) items.push_back(Value::Str(name));
  class_object.attributes["__abstractmethods__"] = Value::Set(std::move(items));
}

// The TypeError object.__new__ raises for a class with abstract methods, or
// std::nullopt.
std::optional<std::string> AbstractInstantiationError(const ClassObject& class_object) {
  const Value* abstract = class_object.Lookup("__abstractmethods__");
  if (abstract == nullptr || !abstract->Is(Kind::kSet) || abstract->Items().empty()) {
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (const Value& name : abstract->Items()) names.push_back(ToStr(name));
  std::sort(names.begin(), names.end());
  std::string list;
  for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
  return "Can't instantiate abstract class " + class_object.name + " with abstract method" +
         (names.size() == 1 ? " " : "s ") + list;
}

// The staticmethod wrapper's function, or the function itself: a class's
// __new__ (Python makes it a static method implicitly).
std::optional<Value> StaticFunction(const Value& value) {
  if (value.Is(Kind::kFunction)) return value;
  if (value.Is(Kind::kInstance) && value.AsInstance().class_object->name == "staticmethod") {
    auto it = value.AsInstance().attributes.find("__func__");
    if (it != value.AsInstance().attributes.end()) return it->second;
  }
  return std::nullopt;
}

}  // namespace

Value ObjectNewBuiltin() {
  return Value::Builtin("object.__new__", [](CallContext& c, Args& a) -> Result<Value> {
    if (a.positional.empty() || !a.positional[0].Is(Kind::kClass)) {
      return base::Fail(c.Throw("TypeError", "object.__new__(X): X is not a type object"));
    }
    const auto class_object = a.positional[0].AsClass();
    if (auto error = AbstractInstantiationError(*class_object)) {
      return base::Fail(c.Throw("TypeError", *error));
    }
    auto instance = std::make_shared<InstanceObject>();
    instance->class_object = class_object;
    if (class_object->IsSubclassOf(*ExceptionClass("BaseException"))) {
      instance->attributes["args"] =
          Value::Tuple(std::vector<Value>(a.positional.begin() + 1, a.positional.end()));
    }
    return Value::Instance(std::move(instance));
  });
}

void Interpreter::InstallTypeClass() {
  type_class_ = std::make_shared<ClassObject>();
  type_class_->name = "type";
  auto& attributes = type_class_->attributes;
  attributes["__name__"] = Value::Str("type");
  attributes["__new__"] =
      Value::Builtin("type.__new__", [this](CallContext&, Args& a) { return TypeNew(a); });
  // type.__init__ checks its arguments only; a metaclass's __init__ calls it
  // with the class, name, bases and namespace.
  attributes["__init__"] = Value::Builtin(
      "type.__init__", [](CallContext&, Args&) -> Result<Value> { return Value::None(); });
  // type.__call__(cls, ...): what a metaclass's __call__ reaches through
  // super(): the class's __new__ and __init__, past the metaclass.
  attributes["__call__"] =
      Value::Builtin("type.__call__", [this](CallContext& c, Args& a) -> Result<Value> {
        if (a.positional.empty() || !a.positional[0].Is(Kind::kClass)) {
          return base::Fail(c.Throw("TypeError", "descriptor '__call__' requires a 'type' object"));
        }
        auto class_object = a.positional[0].AsClass();
        a.positional.erase(a.positional.begin());
        skip_metaclass_call_ = true;
        return Instantiate(class_object, a);
      });
  if (Value* object = &builtins_->names["object"]; object->Is(Kind::kClass)) {
    object->AsClass()->attributes["__new__"] = ObjectNewBuiltin();
  }
  modules_["abc"] = MakeAbcModule();
}

Value Interpreter::MakeAbcModule() {
  auto module = std::make_shared<ModuleObject>();
  module->name = "abc";
  auto& attributes = module->attributes;
  auto abc_meta = std::make_shared<ClassObject>();
  abc_meta->name = "ABCMeta";
  abc_meta->bases = {type_class_};
  abc_meta->attributes["__name__"] = Value::Str("ABCMeta");
  abc_meta->attributes["__module__"] = Value::Str("abc");
  abc_meta->attributes["__new__"] =
      Value::Builtin("ABCMeta.__new__", [this](CallContext&, Args& a) -> Result<Value> {
        auto created = TypeNew(a);
        if (created && created->Is(Kind::kClass)) RecordAbstractMethods(*created->AsClass());
        return created;
      });
  // ABCMeta.register(subclass): virtual subclasses are not modelled
  // (isinstance() does not see them); the class is returned, as a decorator.
  abc_meta->attributes["register"] =
      Value::Builtin("ABCMeta.register", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "register", a, 2, 2));
        return a.positional[1];
      });
  attributes["ABCMeta"] = Value::Class(abc_meta);
  auto abc = std::make_shared<ClassObject>();
  abc->name = "ABC";
  abc->metaclass = abc_meta;
  abc->attributes["__name__"] = Value::Str("ABC");
  abc->attributes["__module__"] = Value::Str("abc");
  abc->attributes["__abstractmethods__"] = Value::Set({});
  attributes["ABC"] = Value::Class(abc);
  attributes["abstractmethod"] =
      Value::Builtin("abc.abstractmethod", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "abstractmethod", a, 1, 1));
        const Value& function = a.positional[0];
        if (function.Is(Kind::kFunction)) {
          function.AsFunction().attributes["__isabstractmethod__"] = Value::Bool(true);
        } else if (function.Is(Kind::kInstance)) {
          function.AsInstance().attributes["__isabstractmethod__"] = Value::Bool(true);
        }
        return function;
      });
  // The deprecated wrappers: a property, classmethod or staticmethod whose
  // function is abstract.
  for (const char* wrapper : {"property", "classmethod", "staticmethod"}) {
    const std::string name = std::string("abstract") + wrapper;
    Value make = builtins_->names[wrapper];
    attributes[name] =
        Value::Builtin("abc." + name, [make, name](CallContext& c, Args& a) -> Result<Value> {
          SQLMEND_RETURN_IF_ERROR(CheckArgs(c, name, a, 1, 1));
          auto wrapped = c.Call(make, Args{{a.positional[0]}, {}});
          if (wrapped && wrapped->Is(Kind::kInstance)) {
            wrapped->AsInstance().attributes["__isabstractmethod__"] = Value::Bool(true);
          }
          return wrapped;
        });
  }
  return Value::Module(std::move(module));
}

void Interpreter::AdoptClassNamespace(const std::shared_ptr<ClassObject>& class_object,
                                      const std::vector<std::pair<std::string, Value>>& names) {
  for (const auto& [name, value] : names) {
    class_object->attributes[name] = value;
    // The functions the class defines, wrapped or not, know it (super()).
    std::vector<Value> functions = {value};
    if (value.Is(Kind::kInstance)) {
      for (const char* wrapped : {"__func__", "fset", "fdel"}) {
        auto it = value.AsInstance().attributes.find(wrapped);
        if (it != value.AsInstance().attributes.end()) functions.push_back(it->second);
      }
    }
    for (Value& function : functions) {
      if (function.Is(Kind::kFunction)) function.AsFunction().owner = class_object;
    }
  }
  class_object->attributes["__name__"] = Value::Str(class_object->name);
  if (!class_object->attributes.contains("__qualname__")) {
    class_object->attributes["__qualname__"] = Value::Str(class_object->name);
  }
  if (auto module = globals_->names.find("__name__");
      module != globals_->names.end() && !class_object->attributes.contains("__module__")) {
    class_object->attributes["__module__"] = module->second;
  }
}

Status Interpreter::FinishClass(const std::shared_ptr<ClassObject>& class_object,
                                const std::vector<std::pair<std::string, Value>>& keywords) {
  const Value class_value = Value::Class(class_object);
  // __set_name__(owner, name) of each attribute whose class defines it.
  const auto attributes = class_object->attributes;
  for (const auto& [name, value] : attributes) {
    if (!value.Is(Kind::kInstance)) continue;
    const Value* set_name = value.AsInstance().class_object->Lookup("__set_name__");
    if (set_name == nullptr || !set_name->Is(Kind::kFunction)) continue;
    auto done = Call(*set_name, Args{{value, class_value, Value::Str(name)}, {}});
    if (!done) return done.error();
  }
  // __init_subclass__ of the nearest base that defines it (a class method
  // implicitly), with the class statement's keywords.
  for (const auto& base : class_object->bases) {
    const Value* hook = base->Lookup("__init_subclass__");
    if (hook == nullptr) continue;
    Value function = *hook;
    if (function.Is(Kind::kInstance)) {
      auto it = function.AsInstance().attributes.find("__func__");
      if (it != function.AsInstance().attributes.end()) function = it->second;
    }
    auto done = Call(function, Args{{class_value}, keywords});
    return done ? Status::Ok() : done.error();
  }
  if (!keywords.empty()) {
    return Throw("TypeError", class_object->name + ".__init_subclass__() takes no keyword arguments");
  }
  return Status::Ok();
}

Result<Value> Interpreter::TypeNew(Args& args) {
  if (args.positional.size() != 4) {
    return base::Fail(Throw("TypeError", "type.__new__() takes exactly 3 arguments (" +
                                             std::to_string(args.positional.size() - 1) +
                                             " given)"));
  }
  const Value& metaclass = args.positional[0];
  if (!metaclass.Is(Kind::kClass) || !metaclass.AsClass()->IsSubclassOf(*type_class_)) {
    return base::Fail(Throw("TypeError", "type.__new__(X): X is not a type object (" +
                                             metaclass.TypeName() + ")"));
  }
  const Value& name = args.positional[1];
  const Value& bases = args.positional[2];
  const Value& namespace_dict = args.positional[3];
  if (!name.Is(Kind::kStr)) {
    return base::Fail(Throw("TypeError", "type.__new__() argument 1 must be str, not " +
                                             name.TypeName()));
  }
  if (!bases.Is(Kind::kTuple)) {
    return base::Fail(Throw("TypeError", "type.__new__() argument 2 must be tuple, not " +
                                             bases.TypeName()));
  }
  if (!namespace_dict.Is(Kind::kDict)) {
    return base::Fail(Throw("TypeError", "type.__new__() argument 3 must be dict, not " +
                                             namespace_dict.TypeName()));
  }
  auto class_object = std::make_shared<ClassObject>();
  class_object->name = name.AsStr();
  std::vector<std::pair<std::string, Value>> names;
  for (const Value& base : bases.Items()) {
    if (base.Is(Kind::kBuiltin) && base.AsBuiltin().name == "type") {
      class_object->bases.push_back(type_class_);
    } else if (base.Is(Kind::kClass)) {
      class_object->bases.push_back(base.AsClass());
    } else if (IsPlaceholder(base)) {
      names.emplace_back(std::string(kPlaceholderBaseName), base);
    } else if (auto host_base = base.Is(Kind::kHost) ? base.AsHost().BaseClass() : nullptr) {
      class_object->bases.push_back(std::move(host_base));
    } else {
      return base::Fail(Unsupported("unsupported: a class deriving from a " + base.TypeName()));
    }
  }
  // The most derived metaclass of the given one and the bases' ones.
  auto winner = metaclass.AsClass();
  for (const auto& base : class_object->bases) {
    auto base_metaclass = base->metaclass != nullptr ? base->metaclass : type_class_;
    if (base_metaclass->IsSubclassOf(*winner)) {
      winner = base_metaclass;
    } else if (!winner->IsSubclassOf(*base_metaclass)) {
      return base::Fail(Throw("TypeError",
                              "metaclass conflict: the metaclass of a derived class must be a "
                              "(non-strict) subclass of the metaclasses of all its bases"));
    }
  }
  for (const auto& [key, value] : namespace_dict.AsDict().entries) {
    if (!key.Is(Kind::kStr)) continue;
    names.emplace_back(key.AsStr(), value);
  }
  AdoptClassNamespace(class_object, names);
  if (winner != type_class_) class_object->metaclass = winner;
  SQLMEND_RETURN_IF_ERROR(FinishClass(class_object, args.keywords));
  return Value::Class(class_object);
}

Result<Value> Interpreter::TypeCall(Args& args) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(*this, "type", args, 3, 3));
  // type(name, bases, namespace) creates the class with the most derived
  // metaclass of the bases (ABCMeta's __new__ runs for an abstract base).
  std::shared_ptr<ClassObject> metaclass = type_class_;
  if (args.positional[1].Is(Kind::kTuple)) {
    for (const Value& base : args.positional[1].Items()) {
      if (!base.Is(Kind::kClass) || base.AsClass()->metaclass == nullptr) continue;
      if (base.AsClass()->metaclass->IsSubclassOf(*metaclass)) metaclass = base.AsClass()->metaclass;
    }
  }
  if (metaclass != type_class_) return Instantiate(metaclass, args);
  args.positional.insert(args.positional.begin(), Value::Class(type_class_));
  return TypeNew(args);
}

Result<Value> Interpreter::MakeClass(Node definition,
                                     const std::shared_ptr<ClassObject>& class_object,
                                     const Value* explicit_metaclass, const Scope& body,
                                     const std::vector<std::pair<std::string, Value>>& keywords) {
  std::shared_ptr<ClassObject> metaclass;
  // Any other callable given as metaclass= (a function, a class not
  // derived from type) is called with the name, bases and namespace.
  const Value* other_callable = nullptr;
  if (explicit_metaclass != nullptr) {
    if (explicit_metaclass->Is(Kind::kClass) &&
        explicit_metaclass->AsClass()->IsSubclassOf(*type_class_)) {
      metaclass = explicit_metaclass->AsClass();
    } else if (IsPlaceholder(*explicit_metaclass)) {
      WarnPlaceholderUse(*explicit_metaclass, current_module_->Where(definition),
                         "is the metaclass of class " + class_object->name +
                             ": the class is made by type");
    } else if (!explicit_metaclass->Is(Kind::kBuiltin) ||
               explicit_metaclass->AsBuiltin().name != "type") {
      other_callable = explicit_metaclass;
    }
  }
  for (const auto& base : class_object->bases) {
    if (base->metaclass == nullptr) continue;
    if (metaclass == nullptr || base->metaclass->IsSubclassOf(*metaclass)) {
      metaclass = base->metaclass;
    }
  }
  if (metaclass == type_class_) metaclass = nullptr;
  std::vector<std::pair<std::string, Value>> names(class_object->attributes.begin(),
                                                   class_object->attributes.end());
  names.insert(names.end(), body.names.begin(), body.names.end());
  current_node_ = definition;
  if (metaclass == nullptr && other_callable == nullptr) {
    AdoptClassNamespace(class_object, names);
    SQLMEND_RETURN_IF_ERROR(FinishClass(class_object, keywords));
    return Value::Class(class_object);
  }
  // metaclass(name, bases, namespace, **keywords).
  std::vector<Value> bases;
  for (const auto& base : class_object->bases) bases.push_back(Value::Class(base));
  Value namespace_dict = Value::Dict();
  for (const auto& [name, value] : names) namespace_dict.AsDict().Set(Value::Str(name), value);
  Args args{{Value::Str(class_object->name), Value::Tuple(std::move(bases)), namespace_dict},
            keywords};
  if (other_callable != nullptr) return Call(*other_callable, std::move(args));
  return Instantiate(metaclass, args);
}

std::optional<Result<Value>> Interpreter::ConstructThroughMetaclass(
    const std::shared_ptr<ClassObject>& class_object, Args& args) {
  const bool skip_metaclass_call = skip_metaclass_call_;
  skip_metaclass_call_ = false;
  // A metaclass's own __call__ (type.__call__ is the default path below).
  if (class_object->metaclass != nullptr && !skip_metaclass_call) {
    const Value* call = class_object->metaclass->Lookup("__call__");
    if (call != nullptr && call->Is(Kind::kFunction)) {
      args.positional.insert(args.positional.begin(), Value::Class(class_object));
      return Call(*call, std::move(args));
    }
  }
  const bool is_metaclass = class_object->IsSubclassOf(*type_class_);
  const Value* new_method = class_object->Lookup("__new__");
  std::optional<Value> new_function;
  if (new_method != nullptr) {
    new_function = is_metaclass ? std::optional<Value>(*new_method) : StaticFunction(*new_method);
  }
  if (!new_function) {
    if (auto error = AbstractInstantiationError(*class_object)) {
      return base::Fail(Throw("TypeError", *error));
    }
    return std::nullopt;  // object.__new__ and the class's __init__
  }
  Args new_args = args;
  new_args.positional.insert(new_args.positional.begin(), Value::Class(class_object));
  auto created = Call(*new_function, std::move(new_args));
  if (!created) return created;
  // __init__ runs when __new__ returned an instance of the class (for a
  // metaclass: a class it made).
  const bool initialise =
      is_metaclass ? created->Is(Kind::kClass) && created->AsClass()->metaclass != nullptr &&
                         created->AsClass()->metaclass->IsSubclassOf(*class_object)
                   : created->Is(Kind::kInstance) &&
                         created->AsInstance().class_object->IsSubclassOf(*class_object);
  if (!initialise) return created;
  const Value* init = class_object->Lookup("__init__");
  if (init == nullptr) return created;
  args.positional.insert(args.positional.begin(), *created);
  auto returned = Call(*init, std::move(args));
  if (!returned) return returned;
  if (!returned->IsNone()) {
    return base::Fail(
        Throw("TypeError", "__init__() should return None, not '" + returned->TypeName() + "'"));
  }
  return created;
}

std::optional<Result<Value>> Interpreter::MetaclassAttribute(const Value& class_value,
                                                             std::string_view name) {
  const auto& metaclass = class_value.AsClass()->metaclass;
  if (name == "__class__") {
    return metaclass != nullptr ? Value::Class(metaclass) : builtins_->names["type"];
  }
  if (metaclass == nullptr) return std::nullopt;
  const Value* found = metaclass->Lookup(name);
  if (found == nullptr) return std::nullopt;
  return BindClassAttribute(*found, &class_value, metaclass);
}

}  // namespace sqlmend::python
