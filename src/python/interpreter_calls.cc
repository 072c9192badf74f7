// Calls: argument binding, user-defined functions and lambdas, classes and
// instances, attribute access and context managers.
#include <map>
#include <set>
#include <string>
#include <utility>

#include "python/builtins.h"
#include "python/bytes_type.h"
#include "python/files_module.h"
#include "python/interpreter.h"
#include "python/placeholder.h"

namespace sqlmend::python {

using base::Result;
using base::Status;
using Kind = Value::Kind;

namespace {

// The classes of the staticmethod, classmethod and property wrappers: an
// instance holds the wrapped function as `__func__`.
const std::shared_ptr<ClassObject>& DescriptorClass(std::string_view name) {
  static const auto* classes = [] {
    auto* map = new std::map<std::string, std::shared_ptr<ClassObject>, std::less<>>();
    for (const char* n : {"staticmethod", "classmethod", "property"}) {
      auto c = std::make_shared<ClassObject>();
      c->name = n;
      (*map)[n] = c;
    }
    return map;
  }();
  return classes->find(name)->second;
}

// An attribute of a builtin: its __name__, an unbound method of a builtin
// type (`str.lower`, as in sorted(names, key=str.lower)), or a static or
// class method of bytes (bytes.maketrans, bytes.fromhex).
Result<Value> BuiltinTypeAttribute(CallContext& context, const Value& builtin,
                                   std::string_view name) {
  const std::string& type = builtin.AsBuiltin().name;
  if (name == "__name__") return Value::Str(type);
  if (type == "bytes") {
    if (auto attribute = BytesTypeAttribute(name)) return *attribute;
  }
  Value sample = type == "str"     ? Value::Str("")
                 : type == "bytes" ? Value::Bytes("")
                 : type == "list"  ? Value::List({})
                 : type == "dict"  ? Value::Dict()
                 : type == "set"   ? Value::Set({})
                 : type == "tuple" ? Value::Tuple({})
                                   : Value();
  // The special methods the builtin containers define; any other dunder
  // name is missing, as on the type itself (hasattr(list, '__x__') is
  // False).
  static const std::set<std::string_view> kContainerSpecialMethods = {
      "__init__", "__getitem__", "__setitem__", "__delitem__", "__contains__", "__len__",
      "__iter__", "__reversed__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
      "__hash__", "__repr__", "__str__", "__format__", "__add__", "__radd__", "__iadd__",
      "__mul__", "__rmul__", "__imul__", "__mod__", "__rmod__", "__or__", "__ror__", "__ior__",
      "__and__", "__rand__", "__iand__", "__sub__", "__rsub__", "__isub__", "__xor__",
      "__rxor__", "__ixor__"};
  const bool special_method = kContainerSpecialMethods.contains(name);
  if (special_method && !sample.IsNone()) {
    // `dict.__setitem__(self, key, value)`, `list.__init__(self)`: the
    // builtin's special method, on an instance of a class deriving from it.
    std::string method(name);
    return Value::Builtin(type + "." + method,
                          [type, method](CallContext& c, Args& a) -> Result<Value> {
      std::optional<Value> bound;
      if (!a.positional.empty() && a.positional[0].Is(Kind::kInstance) &&
          a.positional[0].AsInstance().class_object->BuiltinBase() == type) {
        bound = static_cast<Interpreter&>(c).BuiltinSubclassMethod(a.positional[0], method);
      }
      if (!bound) {
        return base::Fail(c.Unsupported("unsupported: " + type + "." + method +
                                        "() outside an instance of a subclass of " + type));
      }
      a.positional.erase(a.positional.begin());
      return c.Call(*bound, std::move(a));
    });
  }
  if (sample.IsNone() || !BuiltinMethod(sample, name)) {
    return base::Fail(context.Throw(
        "AttributeError",
        "'" + builtin.TypeName() + "' object has no attribute '" + std::string(name) + "'"));
  }
  std::string method(name);
  return Value::Builtin(
      type + "." + method, [type, method](CallContext& c, Args& a) -> Result<Value> {
        const Value receiver = a.positional.empty() ? Value() : BuiltinValueOf(a.positional[0]);
        if (a.positional.empty() || receiver.TypeName() != type) {
          return base::Fail(c.Throw("TypeError", "unbound method " + type + "." + method +
                                                     "() needs a " + type + " argument"));
        }
        auto bound = BuiltinMethod(receiver, method);
        a.positional.erase(a.positional.begin());
        return c.Call(*bound, std::move(a));
      });
}

// What super() returns: attribute lookups start after `owner` in the
// class chain and bind to `self`.
class SuperProxy : public HostObject {
 public:
  SuperProxy(std::shared_ptr<ClassObject> owner, Value self,
             std::shared_ptr<ClassObject> type_class)
      : owner_(std::move(owner)), self_(std::move(self)), type_class_(std::move(type_class)) {}
  std::string TypeName() const override { return "super"; }
  std::optional<Result<Value>> GetAttribute(CallContext& context, std::string_view name) override {
    for (const auto& base : owner_->bases) {
      const Value* found = base->Lookup(name);
      if (found == nullptr) continue;
      // __new__ is a static method: the caller passes the class.
      if (name == "__new__") return *found;
      if (found->Is(Kind::kFunction) || IsTypeMethod(*found)) {
        return Value::BoundMethod(self_, *found);
      }
      if (auto function = ClassMethodFunction(*found)) {
        Value owner = self_.Is(Kind::kInstance) ? Value::Class(self_.AsInstance().class_object)
                                                : self_;
        return Value::BoundMethod(owner, *function);
      }
      return *found;
    }
    // Past the script's classes: the builtin type a builtin subclass derives from.
    if (auto method = static_cast<Interpreter&>(context).BuiltinSubclassMethod(self_, name)) {
      return *method;
    }
    if (name == "__new__") return ObjectNewBuiltin();
    if (name == "__init_subclass__") {
      // object.__init_subclass__ takes no keywords.
      return Value::Builtin("__init_subclass__", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "__init_subclass__", a, 0, 0));
        return Value::None();
      });
    }
    if (name == "__init__") {
      // object.__init__ and BaseException.__init__, which sets args.
      Value self = self_;
      return Value::Builtin("__init__", [self](CallContext&, Args& a) -> Result<Value> {
        if (self.Is(Kind::kInstance) &&
            self.AsInstance().class_object->IsSubclassOf(*ExceptionClass("BaseException"))) {
          self.AsInstance().attributes["args"] = Value::Tuple(a.positional);
        }
        return Value::None();
      });
    }
    return std::nullopt;
  }

  // A method of the class `type` (type.__init__, type.__call__), which
  // takes the class it serves first.
  bool IsTypeMethod(const Value& value) const {
    if (!value.Is(Kind::kBuiltin) || type_class_ == nullptr) return false;
    for (const auto& [name, method] : type_class_->attributes) {
      if (method.object() == value.object()) return true;
    }
    return false;
  }
  static std::optional<Value> ClassMethodFunction(const Value& value) {
    if (!value.Is(Kind::kInstance) ||
        value.AsInstance().class_object != DescriptorClass("classmethod")) {
      return std::nullopt;
    }
    return value.AsInstance().attributes.at("__func__");
  }

 private:
  std::shared_ptr<ClassObject> owner_;
  Value self_;
  std::shared_ptr<ClassObject> type_class_;
};

bool IsProperty(const Value& value) {
  return value.Is(Kind::kInstance) && value.AsInstance().class_object == DescriptorClass("property");
}

// A property object: its accessors as attributes fget, fset and fdel (None
// when absent), and the getter also as __func__, as the other wrappers hold
// their function.
Value MakeProperty(Value fget, Value fset, Value fdel) {
  auto instance = std::make_shared<InstanceObject>();
  instance->class_object = DescriptorClass("property");
  if (!fget.IsNone()) instance->attributes["__func__"] = fget;
  instance->attributes["fget"] = std::move(fget);
  instance->attributes["fset"] = std::move(fset);
  instance->attributes["fdel"] = std::move(fdel);
  return Value::Instance(std::move(instance));
}

// property.getter, .setter and .deleter: each takes a function and returns a
// copy of the property with that accessor replaced (`@x.setter`).
std::optional<Value> PropertyAccessorDecorator(const Value& property, std::string_view name) {
  static constexpr std::string_view kSlots[][2] = {
      {"getter", "fget"}, {"setter", "fset"}, {"deleter", "fdel"}};
  for (const auto& [decorator, slot] : kSlots) {
    if (name != decorator) continue;
    const auto& attributes = property.AsInstance().attributes;
    // Copies of the accessors, not the property itself: no reference cycle.
    std::map<std::string, Value, std::less<>> accessors;
    for (const char* key : {"fget", "fset", "fdel"}) {
      auto it = attributes.find(key);
      accessors[key] = it == attributes.end() ? Value() : it->second;
    }
    std::string replaced(slot);
    return Value::Builtin(std::string(decorator), [accessors, replaced](CallContext& c,
                                                                        Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "property." + replaced, a, 1, 1));
      auto slots = accessors;
      slots[replaced] = a.positional[0];
      return MakeProperty(slots["fget"], slots["fset"], slots["fdel"]);
    });
  }
  return std::nullopt;
}

}  // namespace

void Interpreter::InstallInterpreterBuiltins() {
  auto& names = builtins_->names;
  names["super"] = Value::Builtin("super", [this](CallContext&, Args& a) { return MakeSuper(a); });
  names["NotImplemented"] = NotImplementedValue();
  names["Ellipsis"] = EllipsisValue();
  names["__debug__"] = Value::Bool(true);
  InstallNext(*builtins_);
  InstallOpen(*builtins_);
  // importlib.import_module(name, package=None): the import statement's
  // lookup, returning the named module itself (`a.b`, not `a`); a module
  // that is not there raises ModuleNotFoundError, which callers catch.
  auto importlib = std::make_shared<ModuleObject>();
  importlib->name = "importlib";
  importlib->attributes["import_module"] = Value::Builtin(
      "import_module", [this](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "import_module", a, 1, 2, {"name", "package"}));
        const Value* name = a.positional.empty() ? KeywordArg(a, "name") : &a.positional[0];
        const Value* package = a.positional.size() > 1 ? &a.positional[1] : KeywordArg(a, "package");
        if (name == nullptr || !name->Is(Kind::kStr)) {
          return base::Fail(c.Throw("TypeError", "import_module() needs a module name"));
        }
        std::string dotted = name->AsStr();
        if (dotted.starts_with(".")) {
          if (package == nullptr || !package->Is(Kind::kStr)) {
            return base::Fail(c.Throw("TypeError", "the 'package' argument is required to "
                                                   "perform a relative import for '" +
                                                       dotted + "'"));
          }
          const size_t first = dotted.find_first_not_of('.');
          const size_t dots = first == std::string::npos ? dotted.size() : first;
          std::string base = package->AsStr();
          for (size_t up = 1; up < dots; ++up) {
            const size_t cut = base.rfind('.');
            if (cut == std::string::npos) {
              return base::Fail(
                  c.Throw("ImportError", "attempted relative import beyond top-level package"));
            }
            base.resize(cut);
          }
          dotted = first == std::string::npos ? base : base + "." + dotted.substr(first);
        }
        auto found = FindModule(dotted);
        if (!found) return base::Fail(found.error());
        if (!*found) {
          return base::Fail(c.Throw("ModuleNotFoundError", "No module named '" + dotted + "'"));
        }
        return **found;
      });
  modules_["importlib"] = Value::Module(std::move(importlib));
  names["property"] = Value::Builtin("property", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "property", a, 0, 4, {"fget", "fset", "fdel", "doc"}));
    Value accessors[3];
    const char* keywords[3] = {"fget", "fset", "fdel"};
    for (size_t i = 0; i < 3; ++i) {
      if (i < a.positional.size()) accessors[i] = a.positional[i];
      if (const Value* given = KeywordArg(a, keywords[i])) accessors[i] = *given;
    }
    return MakeProperty(accessors[0], accessors[1], accessors[2]);
  });
  for (const char* wrapper : {"staticmethod", "classmethod"}) {
    std::string name = wrapper;
    names[name] = Value::Builtin(name, [name](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, name, a, 1, 1));
      auto instance = std::make_shared<InstanceObject>();
      instance->class_object = DescriptorClass(name);
      instance->attributes["__func__"] = a.positional[0];
      if (a.positional.size() == 2 && !a.positional[1].IsNone()) {
        instance->attributes["__fset__"] = a.positional[1];
      }
      return Value::Instance(std::move(instance));
    });
  }
  names["type"] = Value::Builtin("type", [this](CallContext& c, Args& a) -> Result<Value> {
    if (a.positional.size() == 3) return TypeCall(a);
    if (a.positional.size() != 1 || !a.keywords.empty()) {
      return base::Fail(c.Throw("TypeError", "type() takes 1 or 3 arguments"));
    }
    const Value& v = a.positional[0];
    if (v.Is(Kind::kInstance)) return Value::Class(v.AsInstance().class_object);
    if (v.Is(Kind::kClass) && v.AsClass()->metaclass != nullptr) {
      return Value::Class(v.AsClass()->metaclass);
    }
    auto it = builtins_->names.find(v.TypeName());
    if (it != builtins_->names.end()) return it->second;
    // A host type's __name__ leaves out its module ("decimal.Decimal").
    std::string name = v.TypeName();
    name.erase(0, name.rfind('.') + 1);
    return Value::Builtin(name, [](CallContext& context, Args&) -> Result<Value> {
      return base::Fail(context.Unsupported("unsupported: calling this type"));
    });
  });
  InstallTypeClass();
  InstallGlobals();
}

Result<Value> Interpreter::MakeSuper(Args& args) {
  std::shared_ptr<ClassObject> owner;
  Value self;
  if (args.positional.size() == 2 && args.positional[0].Is(Kind::kClass)) {
    owner = args.positional[0].AsClass();
    self = args.positional[1];
  } else if (args.positional.empty()) {
    for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
      if ((*it)->function == nullptr) continue;
      owner = (*it)->function->owner.lock();
      self = (*it)->first_argument;
      break;
    }
  }
  if (owner == nullptr) return base::Fail(Throw("RuntimeError", "super(): no arguments"));
  return Value::Host(std::make_shared<SuperProxy>(std::move(owner), std::move(self), type_class_));
}

Result<Value> Interpreter::BindClassAttribute(const Value& found, const Value* instance,
                                              const std::shared_ptr<ClassObject>& class_object) {
  if (found.Is(Kind::kFunction)) {
    return instance != nullptr ? Value::BoundMethod(*instance, found) : found;
  }
  if (found.Is(Kind::kHost)) {
    auto bound = found.AsHost().GetFromClass(*this, instance, class_object);
    return bound ? *bound : found;
  }
  if (!found.Is(Kind::kInstance)) return found;
  const auto& wrapper = found.AsInstance();
  if (IsProperty(found) && instance != nullptr) {
    const Value& getter = wrapper.attributes.at("fget");
    if (getter.IsNone()) {
      std::string name;  // the property's name in the class or a base, for the message
      std::vector<std::shared_ptr<ClassObject>> pending = {class_object};
      while (!pending.empty() && name.empty()) {
        auto next = pending.back();
        pending.pop_back();
        for (const auto& [key, value] : next->attributes) {
          if (value.object() == found.object()) name = key;
        }
        pending.insert(pending.end(), next->bases.begin(), next->bases.end());
      }
      return base::Fail(Throw("AttributeError", "property '" + name + "' of '" +
                                                    class_object->name + "' object has no getter"));
    }
    return Call(getter, Args{{*instance}, {}});
  }
  // The descriptor protocol: an object whose class defines __get__ is
  // read as __get__(instance or None, owner) (hybrid_property, declared
  // attributes of libraries).
  if (const Value* get = wrapper.class_object->Lookup("__get__");
      get != nullptr && get->Is(Kind::kFunction)) {
    return Call(*get,
                Args{{found, instance != nullptr ? *instance : Value::None(),
                      Value::Class(class_object)},
                     {}});
  }
  auto function = wrapper.attributes.find("__func__");
  if (function == wrapper.attributes.end()) return found;
  if (wrapper.class_object == DescriptorClass("staticmethod")) return function->second;
  if (wrapper.class_object == DescriptorClass("classmethod")) {
    auto facade = class_object->attributes.find(kClassFacadeName);
    return Value::BoundMethod(
        facade != class_object->attributes.end() ? facade->second : Value::Class(class_object),
        function->second);
  }
  return found;
}

Result<Value> Interpreter::EvalCall(Node call) {
  auto callee = Eval(call.Field("function"));
  if (!callee) return callee;
  Node arguments = call.Field("arguments");
  Args args;
  if (arguments.Is("generator_expression")) {
    auto items = Eval(arguments);
    if (!items) return items;
    args.positional.push_back(std::move(*items));
  } else {
    auto evaluated = EvalArguments(arguments);
    if (!evaluated) return base::Fail(evaluated.error());
    args = std::move(*evaluated);
  }
  current_node_ = call;
  return Call(*callee, std::move(args));
}

Result<Args> Interpreter::EvalArguments(Node arguments) {
  Args args;
  for (Node argument : arguments.NamedChildren()) {
    if (argument.Is("comment")) continue;
    if (argument.Is("keyword_argument")) {
      auto value = Eval(argument.Field("value"));
      if (!value) return base::Fail(value.error());
      args.keywords.emplace_back(NodeText(argument.Field("name")), std::move(*value));
    } else if (argument.Is("list_splat")) {
      auto spread = Eval(argument.NamedChild(0));
      if (!spread) return base::Fail(spread.error());
      current_node_ = argument;
      auto items = Iterate(*spread);
      if (!items) return base::Fail(items.error());
      args.positional.insert(args.positional.end(), items->begin(), items->end());
    } else if (argument.Is("dictionary_splat")) {
      auto mapping = Eval(argument.NamedChild(0));
      if (!mapping) return base::Fail(mapping.error());
      *mapping = Value(BuiltinValueOf(*mapping));  // a dict subclass spreads its items
      if (IsPlaceholder(*mapping)) {
        // Its keys, like its items, are none (and the warning says so).
        current_node_ = argument;
        auto keys = Iterate(*mapping);
        if (!keys) return base::Fail(keys.error());
        continue;
      }
      if (!mapping->Is(Kind::kDict)) {
        return base::Fail(
            ThrowAt(argument, "TypeError",
                    "argument after ** must be a mapping, not " + mapping->TypeName()));
      }
      for (const auto& [k, v] : mapping->AsDict().entries) {
        if (!k.Is(Kind::kStr))
          return base::Fail(ThrowAt(argument, "TypeError", "keywords must be strings"));
        args.keywords.emplace_back(k.AsStr(), v);
      }
    } else {
      auto value = Eval(argument);
      if (!value) return base::Fail(value.error());
      args.positional.push_back(std::move(*value));
    }
  }
  return args;
}

Result<std::vector<Parameter>> Interpreter::EvalParameters(Node parameters) {
  std::vector<Parameter> out;
  bool keyword_only = false;
  for (Node node : parameters.NamedChildren()) {
    std::string_view type = node.Type();
    Parameter parameter;
    parameter.kind = keyword_only ? Parameter::Kind::kKeywordOnly : Parameter::Kind::kPositional;
    if (type == "comment" || type == "positional_separator") continue;
    if (type == "keyword_separator") {
      keyword_only = true;
      continue;
    }
    if (type == "typed_parameter") {
      node = node.NamedChild(0);
      type = node.Type();
    }
    if (type == "identifier") {
      parameter.name = NodeText(node);
    } else if (type == "default_parameter" || type == "typed_default_parameter") {
      parameter.name = NodeText(node.Field("name"));
      auto value = Eval(node.Field("value"));
      if (!value) return base::Fail(value.error());
      parameter.default_value = std::move(*value);
    } else if (type == "list_splat_pattern") {
      parameter.name = NodeText(node.NamedChild(0));
      parameter.kind = Parameter::Kind::kVarPositional;
      keyword_only = true;
    } else if (type == "dictionary_splat_pattern") {
      parameter.name = NodeText(node.NamedChild(0));
      parameter.kind = Parameter::Kind::kVarKeyword;
    } else {
      return base::Fail(ErrorAt(node, "unsupported: parameter " + std::string(type)));
    }
    out.push_back(std::move(parameter));
  }
  return out;
}

Result<Value> Interpreter::EvalLambda(Node lambda) {
  auto function = std::make_shared<FunctionObject>();
  function->name = "<lambda>";
  Node parameters = lambda.Field("parameters");
  if (!parameters.IsNull()) {
    auto evaluated = EvalParameters(parameters);
    if (!evaluated) return base::Fail(evaluated.error());
    function->parameters = std::move(*evaluated);
  }
  function->module = current_module_;
  function->body = lambda.Field("body");
  function->closure = ClosureScope();
  function->globals = globals_;
  function->is_lambda = true;
  return Value::Function(std::move(function));
}

Status Interpreter::ExecFunctionDef(Node definition, const std::vector<Value>& decorators) {
  auto function = std::make_shared<FunctionObject>();
  function->name = NodeText(definition.Field("name"));
  function->is_async = definition.Child(0).Is("async");
  auto parameters = EvalParameters(definition.Field("parameters"));
  if (!parameters) return parameters.error();
  function->parameters = std::move(*parameters);
  function->module = current_module_;
  function->body = definition.Field("body");
  function->closure = ClosureScope();
  function->globals = globals_;
  // A body without the word `yield` in its text has no yield expression:
  // that check costs a scan of the bytes instead of a walk of the tree.
  if (current_module_->Text(function->body).find("yield") != std::string_view::npos) {
    function->first_yield = FirstYield(function->body);
  }
  Value value = Value::Function(function);
  for (auto it = decorators.rbegin(); it != decorators.rend(); ++it) {
    current_node_ = definition;
    auto decorated = Call(*it, Args{{value}, {}});
    if (!decorated) return decorated.error();
    value = std::move(*decorated);
  }
  ScopeForWrite(function->name).names[function->name] = std::move(value);
  return Status::Ok();
}

Status Interpreter::ExecClassDef(Node definition, const std::vector<Value>& decorators) {
  auto class_object = std::make_shared<ClassObject>();
  class_object->name = NodeText(definition.Field("name"));
  std::optional<Value> metaclass;
  std::vector<std::pair<std::string, Value>> class_keywords;
  Node superclasses = definition.Field("superclasses");
  if (!superclasses.IsNull()) {
    auto bases = EvalArguments(superclasses);
    if (!bases) return bases.error();
    // metaclass= and the keywords the metaclass and __init_subclass__ take.
    for (auto& [keyword, value] : bases->keywords) {
      if (keyword == "metaclass") {
        metaclass = value;
      } else {
        class_keywords.emplace_back(keyword, value);
      }
    }
    std::string builtin_base;
    for (const Value& base : bases->positional) {
      if (base.Is(Kind::kBuiltin) && base.AsBuiltin().name == "type") {
        class_object->bases.push_back(type_class_);  // a metaclass
        continue;
      }
      if (IsPlaceholder(base)) {
        // A base from a module sqlmend cannot load (placeholder.h); said
        // of the script's classes, not of sqlmend's own Python (the
        // libraries it models in part), whose path is "<...>".
        if (!current_module_->path().starts_with('<')) {
          WarnPlaceholderUse(base, current_module_->Where(superclasses),
                             "is a base of class " + class_object->name +
                                 ": what it would inherit is a placeholder");
        }
        if (!class_object->attributes.contains(kPlaceholderBaseName)) {
          class_object->attributes[std::string(kPlaceholderBaseName)] = base;
        }
        continue;
      }
      if (base.Is(Kind::kBuiltin)) {
        builtin_base = base.AsBuiltin().name;
        continue;
      }
      if (base.Is(Kind::kHost)) {
        if (auto host_base = base.AsHost().BaseClass()) {
          class_object->bases.push_back(std::move(host_base));
          continue;
        }
      }
      if (!base.Is(Kind::kClass)) {
        return ErrorAt(superclasses, "unsupported: a class deriving from a " + base.TypeName());
      }
      class_object->bases.push_back(base.AsClass());
    }
    // `class Color(str, enum.Enum)`: a hooked base may take a str or int
    // mixin (see kClassHookName), which is dropped.
    const bool hooked_mixin = (builtin_base == "str" || builtin_base == "int") &&
                              class_object->Lookup(kClassHookName) != nullptr;
    if (!hooked_mixin) {
      if (auto refused = AdoptBuiltinBase(*class_object, builtin_base)) {
        return ErrorAt(superclasses, *refused);
      }
    }
  }
  Frame frame;
  frame.locals = MakeScope();
  frame.locals->enclosing = ClosureScope();
  frame.is_class = true;
  frame.syntax_base = frames_.back()->syntax_base;
  // As in Python, the body starts with __module__ and __qualname__ bound.
  if (auto module = globals_->names.find("__name__"); module != globals_->names.end()) {
    frame.locals->names["__module__"] = module->second;
  }
  frame.locals->names["__qualname__"] = Value::Str(class_object->name);
  {
    FramePush push(*this, frame);
    auto flow = ExecBlock(definition.Field("body"));
    if (!flow) return flow.error();
  }
  auto made = MakeClass(definition, class_object, metaclass ? &*metaclass : nullptr,
                        *frame.locals, class_keywords);
  if (!made) return made.error();
  Value value = std::move(*made);
  if (value.Is(Kind::kClass)) class_object = value.AsClass();
  if (const Value* hook = class_object->Lookup(kClassHookName); hook != nullptr) {
    // The names the body assigned, in order, for an enum's members.
    std::vector<Value> order;
    Node body = definition.Field("body");
    for (uint32_t i = 0; i < body.NamedChildCount(); ++i) {
      Node statement = body.NamedChild(i);
      if (!statement.Is("expression_statement") || !statement.NamedChild(0).Is("assignment"))
        continue;
      Node left = statement.NamedChild(0).Field("left");
      if (left.Is("identifier")) order.push_back(Value::Str(NodeText(left)));
    }
    class_object->attributes["__sqlmend_order__"] = Value::Tuple(std::move(order));
    current_node_ = definition;
    auto hooked = Call(*hook, Args{{value}, {}});
    if (!hooked) return hooked.error();
    value = std::move(*hooked);
  }
  for (auto it = decorators.rbegin(); it != decorators.rend(); ++it) {
    current_node_ = definition;
    auto decorated = Call(*it, Args{{value}, {}});
    if (!decorated) return decorated.error();
    value = std::move(*decorated);
  }
  ScopeForWrite(class_object->name).names[class_object->name] = std::move(value);
  return Status::Ok();
}

Result<Value> Interpreter::Call(const Value& callee, Args args) {
  switch (callee.kind()) {
    case Kind::kFunction:
      return CallFunction(callee.AsFunction(), args);
    case Kind::kBuiltin: {
      Node call_site = current_node_;
      auto result = callee.AsBuiltin().function(*this, args);
      current_node_ = call_site;
      return result;
    }
    case Kind::kBoundMethod: {
      const BoundMethodObject& method = callee.AsBoundMethod();
      args.positional.insert(args.positional.begin(), method.self);
      return Call(method.function, std::move(args));
    }
    case Kind::kClass:
      return Instantiate(callee.AsClass(), args);
    case Kind::kHost:
      return callee.AsHost().Call(*this, args);
    case Kind::kInstance:
      // An instance whose class defines __call__.
      if (const Value* method = callee.AsInstance().class_object->Lookup("__call__")) {
        const Value function = *method;
        args.positional.insert(args.positional.begin(), callee);
        return Call(function, std::move(args));
      }
      [[fallthrough]];
    default:
      return base::Fail(Throw("TypeError", "'" + callee.TypeName() + "' object is not callable"));
  }
}

Result<Value> Interpreter::CallFunction(const FunctionObject& function, Args& args) {
  if (frames_.empty()) steps_ = 0;
  SQLMEND_RETURN_IF_ERROR(CountStep(current_node_));
  if (static_cast<int>(frames_.size()) > kMaxCallDepth) {
    return base::Fail(Unsupported("RecursionError: more than " + std::to_string(kMaxCallDepth) +
                                  " nested calls"));
  }
  auto locals = MakeScope();
  locals->enclosing = function.closure;
  auto& names = locals->names;
  const std::string& name = function.name;
  size_t positional_count = 0;
  const Parameter* var_positional = nullptr;
  const Parameter* var_keyword = nullptr;
  for (const Parameter& p : function.parameters) {
    if (p.kind == Parameter::Kind::kPositional) ++positional_count;
    if (p.kind == Parameter::Kind::kVarPositional) var_positional = &p;
    if (p.kind == Parameter::Kind::kVarKeyword) var_keyword = &p;
  }
  if (args.positional.size() > positional_count && var_positional == nullptr) {
    return base::Fail(
        Throw("TypeError", name + "() takes " + std::to_string(positional_count) +
                               " positional argument" + (positional_count == 1 ? "" : "s") +
                               " but " + std::to_string(args.positional.size()) +
                               (args.positional.size() == 1 ? " was" : " were") + " given"));
  }
  size_t next = 0;
  for (const Parameter& p : function.parameters) {
    if (p.kind == Parameter::Kind::kPositional && next < args.positional.size()) {
      names[p.name] = args.positional[next++];
    }
  }
  if (var_positional != nullptr) {
    names[var_positional->name] = Value::Tuple(std::vector<Value>(
        args.positional.begin() + static_cast<ptrdiff_t>(next), args.positional.end()));
  }
  Value extra = Value::Dict();
  for (auto& [keyword, value] : args.keywords) {
    const Parameter* target = nullptr;
    for (const Parameter& p : function.parameters) {
      if (p.name == keyword &&
          (p.kind == Parameter::Kind::kPositional || p.kind == Parameter::Kind::kKeywordOnly)) {
        target = &p;
      }
    }
    if (target == nullptr) {
      if (var_keyword == nullptr) {
        return base::Fail(
            Throw("TypeError", name + "() got an unexpected keyword argument '" + keyword + "'"));
      }
      extra.AsDict().Set(Value::Str(keyword), value);
      continue;
    }
    if (names.contains(keyword)) {
      return base::Fail(
          Throw("TypeError", name + "() got multiple values for argument '" + keyword + "'"));
    }
    names[keyword] = value;
  }
  if (var_keyword != nullptr) names[var_keyword->name] = extra;
  for (const Parameter& p : function.parameters) {
    if (names.contains(p.name)) continue;
    if (!p.default_value) {
      std::string kind = p.kind == Parameter::Kind::kKeywordOnly ? "keyword-only" : "positional";
      return base::Fail(Throw(
          "TypeError", name + "() missing 1 required " + kind + " argument: '" + p.name + "'"));
    }
    names[p.name] = *p.default_value;
  }
  const Value first_argument = args.positional.empty() ? Value() : args.positional[0];
  if (function.is_async) {
    return base::Fail(Unsupported("unsupported: calling async def " + function.name +
                                  "() (sqlmend runs no coroutines)"));
  }
  if (!function.first_yield.IsNull()) return MakeGenerator(function, locals, first_argument);
  return RunBody(function, std::move(locals), first_argument, nullptr);
}

Result<Value> Interpreter::RunBody(const FunctionObject& function, std::shared_ptr<Scope> locals,
                                  const Value& first_argument, std::vector<Value>* yielded) {
  Frame frame;
  frame.locals = std::move(locals);
  frame.syntax_base = syntax_depth_;
  frame.function = &function;
  frame.first_argument = first_argument;
  frame.yielded = yielded;
  FramePush push(*this, frame);
  const PythonModule* saved_module = current_module_;
  Node saved_node = current_node_;
  // A call from the script into sqlmend's own Python: located here.
  const bool into_own = function.module != nullptr && function.module->path().starts_with('<') &&
                        current_module_ != nullptr && !current_module_->path().starts_with('<');
  if (into_own) script_call_sites_.emplace_back(current_module_, current_node_);
  current_module_ = function.module;
  // A function reads the globals of the module that defined it (Python's
  // __globals__), wherever it is called from: a model module's function
  // called from env.py, upgrade() called from host code.
  std::shared_ptr<Scope> saved_globals = globals_;
  if (function.globals) globals_ = function.globals;
  Result<Value> result = Value();
  if (function.is_lambda) {
    result = Eval(function.body);
  } else {
    auto flow = ExecBlock(function.body);
    if (!flow) {
      result = base::Fail(flow.error());
    } else {
      result = frame.return_value;
    }
  }
  if (into_own) script_call_sites_.pop_back();
  current_module_ = saved_module;
  current_node_ = saved_node;
  globals_ = saved_globals;
  return result;
}

Result<Value> Interpreter::Instantiate(const std::shared_ptr<ClassObject>& class_object,
                                       Args& args) {
  if (auto made = ConstructThroughMetaclass(class_object, args)) return std::move(*made);
  auto instance = std::make_shared<InstanceObject>();
  instance->class_object = class_object;
  Value self = Value::Instance(instance);
  auto initialised = InitBuiltinValue(class_object, *instance, args);
  if (!initialised) return base::Fail(initialised.error());
  if (*initialised) return self;
  bool is_exception = class_object->IsSubclassOf(*ExceptionClass("BaseException"));
  if (is_exception) instance->attributes["args"] = Value::Tuple(args.positional);
  const Value* init = class_object->Lookup("__init__");
  if (init == nullptr) {
    // A placeholder base's __init__ is unknown: it accepts anything.
    if (!is_exception && class_object->Lookup(kPlaceholderBaseName) == nullptr &&
        (!args.positional.empty() || !args.keywords.empty())) {
      return base::Fail(Throw("TypeError", class_object->name + "() takes no arguments"));
    }
    return self;
  }
  args.positional.insert(args.positional.begin(), self);
  auto returned = Call(*init, std::move(args));
  if (!returned) return returned;
  if (!returned->IsNone())
    return base::Fail(
        Throw("TypeError", "__init__() should return None, not '" + returned->TypeName() + "'"));
  return self;
}

Result<Value> Interpreter::GetAttr(const Value& object, std::string_view name) {
  auto missing = [&]() {
    return base::Fail(
        Throw("AttributeError",
              "'" + object.TypeName() + "' object has no attribute '" + std::string(name) + "'"));
  };
  switch (object.kind()) {
    case Kind::kInstance: {
      InstanceObject& instance = object.AsInstance();
      if (IsProperty(object)) {
        if (auto decorator = PropertyAccessorDecorator(object, name)) return *decorator;
      }
      auto it = instance.attributes.find(name);
      if (it != instance.attributes.end()) return it->second;
      if (name == "__class__") return Value::Class(instance.class_object);
      const Value* found = instance.class_object->Lookup(name);
      if (found == nullptr) {
        if (auto method = BuiltinSubclassMethod(object, name)) return *method;
        // The class's __getattr__ answers what the lookup did not find;
        // not for special names ("__enter__"), which the interpreter looks
        // up for its protocols where CPython looks on the type only.
        const bool special = name.size() > 4 && name.starts_with("__") && name.ends_with("__");
        const Value* hook = special ? nullptr : instance.class_object->Lookup("__getattr__");
        if (hook != nullptr) {
          auto bound = BindClassAttribute(*hook, &object, instance.class_object);
          if (!bound) return bound;
          return Call(*bound, Args{{Value::Str(std::string(name))}, {}});
        }
        if (const Value* base = instance.class_object->Lookup(kPlaceholderBaseName)) {
          return GetAttr(*base, name);
        }
        return missing();
      }
      return BindClassAttribute(*found, &object, instance.class_object);
    }
    case Kind::kClass: {
      const Value* found = object.AsClass()->Lookup(name);
      if (found != nullptr) return BindClassAttribute(*found, nullptr, object.AsClass());
      if (auto from_metaclass = MetaclassAttribute(object, name)) return std::move(*from_metaclass);
      if (name == "__name__") return Value::Str(object.AsClass()->name);
      if (const Value* base = object.AsClass()->Lookup(kPlaceholderBaseName)) {
        return GetAttr(*base, name);
      }
      return base::Fail(Throw("AttributeError", "type object '" + object.AsClass()->name +
                                                    "' has no attribute '" + std::string(name) +
                                                    "'"));
    }
    case Kind::kModule: {
      if (!pending_completions_.empty()) CompletePending(object.AsModule());
      // A module still running (a cyclic import) has the globals it has
      // defined so far.
      if (auto running = running_modules_.find(&object.AsModule());
          running != running_modules_.end()) {
        auto found = running->second->names.find(name);
        if (found != running->second->names.end()) return found->second;
      }
      auto& attributes = object.AsModule().attributes;
      auto it = attributes.find(name);
      if (it != attributes.end()) return it->second;
      // A module's __getattr__ (PEP 562) answers for the names it lacks.
      if (auto hook = attributes.find("__getattr__"); hook != attributes.end()) {
        return Call(hook->second, Args{{Value::Str(std::string(name))}, {}});
      }
      return base::Fail(Throw(
          "AttributeError",
          "module '" + object.AsModule().name + "' has no attribute '" + std::string(name) + "'"));
    }
    case Kind::kHost: {
      auto found = object.AsHost().GetAttribute(*this, name);
      if (!found) return missing();
      return *found;
    }
    case Kind::kFunction: {
      const auto& attributes = object.AsFunction().attributes;
      if (auto it = attributes.find(name); it != attributes.end()) return it->second;
      const FunctionObject& function = object.AsFunction();
      if (name == "__name__" || name == "__qualname__") return Value::Str(function.name);
      if (name == "__doc__") return FunctionDoc(function);
      if (name == "__module__" && function.globals) {
        if (auto it = function.globals->names.find("__name__"); it != function.globals->names.end())
          return it->second;
      }
      return missing();
    }
    case Kind::kBuiltin:
      // type.__new__, type.__init__, type.__call__.
      if (object.AsBuiltin().name == "type") {
        if (const Value* found = type_class_->Lookup(name)) return *found;
      }
      return BuiltinTypeAttribute(*this, object, name);
    default:
      if (auto method = BuiltinMethod(object, name)) return *method;
      return missing();
  }
}

Result<Value> Interpreter::FunctionDoc(const FunctionObject& function) {
  if (function.is_lambda || function.module == nullptr) return Value::None();
  return BlockDoc(*function.module, function.body);
}

Result<Value> Interpreter::BlockDoc(const PythonModule& module, Node block) {
  for (Node statement : block.NamedChildren()) {
    if (statement.Is("comment")) continue;
    if (!statement.Is("expression_statement") || statement.NamedChildCount() != 1) break;
    Node literal = statement.NamedChild(0);
    if (!literal.Is("string") && !literal.Is("concatenated_string")) break;
    for (Node part : literal.NamedChildren()) {
      if (part.Is("interpolation")) return Value::None();  // an f-string is no docstring
    }
    const PythonModule* saved = current_module_;
    current_module_ = &module;
    auto value = Eval(literal);
    current_module_ = saved;
    if (!value) return value;
    return value->Is(Kind::kStr) ? *value : Value::None();
  }
  return Value::None();
}

Status Interpreter::SetAttr(const Value& object, std::string_view name, Value value) {
  switch (object.kind()) {
    case Kind::kInstance: {
      // A property of the class takes the assignment through its setter.
      const auto& class_object = object.AsInstance().class_object;
      const Value* found = class_object->Lookup(name);
      if (found != nullptr && IsProperty(*found)) {
        Value setter = found->AsInstance().attributes.at("fset");
        if (setter.IsNone()) {
          return Throw("AttributeError", "property '" + std::string(name) + "' of '" +
                                             class_object->name + "' object has no setter");
        }
        auto result = Call(setter, Args{{object, std::move(value)}, {}});
        return result ? Status::Ok() : result.error();
      }
      // A data descriptor of the class (its class defines __set__) takes
      // the assignment: __set__(instance, value).
      if (found != nullptr && found->Is(Kind::kInstance)) {
        const Value* set = found->AsInstance().class_object->Lookup("__set__");
        if (set != nullptr && set->Is(Kind::kFunction)) {
          auto returned = Call(*set, Args{{*found, object, std::move(value)}, {}});
          return returned ? Status::Ok() : returned.error();
        }
      }
      object.AsInstance().attributes[std::string(name)] = std::move(value);
      return Status::Ok();
    }
    case Kind::kClass:
      object.AsClass()->attributes[std::string(name)] = std::move(value);
      return Status::Ok();
    case Kind::kModule:
      object.AsModule().attributes[std::string(name)] = std::move(value);
      return Status::Ok();
    case Kind::kFunction:
      object.AsFunction().attributes[std::string(name)] = std::move(value);
      return Status::Ok();
    case Kind::kHost:
      return object.AsHost().SetAttribute(*this, name, std::move(value));
    default:
      return Throw("AttributeError", "'" + object.TypeName() + "' object attribute '" +
                                         std::string(name) + "' is read-only");
  }
}

Result<std::string> Interpreter::Text(const Value& value, bool repr) {
  if (auto stop = PlaceholderTextStop(*this, value)) return base::Fail(*stop);
  if (value.Is(Kind::kInstance)) {
    const auto& class_object = value.AsInstance().class_object;
    for (const char* method : {"__str__", "__repr__"}) {
      if (repr && std::string_view(method) == "__str__") continue;
      const Value* found = class_object->Lookup(method);
      if (found == nullptr || !found->Is(Kind::kFunction)) continue;
      auto text = Call(*found, Args{{value}, {}});
      if (!text) return base::Fail(text.error());
      if (!text->Is(Kind::kStr)) {
        return base::Fail(Throw("TypeError", std::string(method) + " returned non-string (type " +
                                                 text->TypeName() + ")"));
      }
      return text->AsStr();
    }
    // A builtin subclass prints as its builtin value.
    if (!value.AsInstance().builtin_value.IsNone()) {
      return Text(value.AsInstance().builtin_value, repr);
    }
  }
  if (value.IsSequence() || value.Is(Kind::kDict) || value.Is(Kind::kSet)) {
    // A container shows each element's repr, a class's __repr__ included.
    return ContainerRepr(value, [this](const Value& item) { return Text(item, true); });
  }
  return repr ? Repr(value) : ToStr(value);
}

Result<Value> Interpreter::EnterContext(Node where, const Value& manager) {
  current_node_ = where;
  if (manager.Is(Kind::kHost)) return manager.AsHost().Enter(*this);
  if (manager.Is(Kind::kInstance)) {
    auto enter = GetAttr(manager, "__enter__");
    if (!enter) return enter;
    return Call(*enter, Args{});
  }
  return base::Fail(
      Throw("TypeError",
            "'" + manager.TypeName() + "' object does not support the context manager protocol"));
}

Status Interpreter::ExitContext(Node where, const Value& manager) {
  current_node_ = where;
  if (manager.Is(Kind::kHost)) return manager.AsHost().Exit(*this);
  auto exit = GetAttr(manager, "__exit__");
  if (!exit) return exit.error();
  auto result = Call(*exit, Args{{Value(), Value(), Value()}, {}});
  return result ? Status::Ok() : result.error();
}

}  // namespace sqlmend::python
