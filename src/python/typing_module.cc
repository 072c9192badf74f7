// The `typing` module (typing_module.h).
#include "python/typing_module.h"

#include <memory>
#include <string>
#include <utility>

#include "python/builtins.h"
#include "python/collections_module.h"

namespace sqlmend::python {
namespace {

using base::Result;

// A hint: subscriptable (the interpreter gives back a builtin for
// `hint[...]`), refused when called.
Value Hint(const std::string& qualified_name) {
  return Value::Builtin(qualified_name, [qualified_name](CallContext& c, Args&) -> Result<Value> {
    return base::Fail(c.Unsupported("unsupported: calling " + qualified_name));
  });
}

// A decorator that returns what it decorates.
Value IdentityDecorator(const std::string& name) {
  return Value::Builtin("typing." + name, [name](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, name, a, 1, 1));
    return a.positional[0];
  });
}

// An empty class scripts may derive from.
Value BaseClass(const std::string& name) {
  auto class_object = std::make_shared<ClassObject>();
  class_object->name = name;
  class_object->attributes["__name__"] = Value::Str(name);
  class_object->attributes["__module__"] = Value::Str("typing");
  return Value::Class(std::move(class_object));
}

}  // namespace

Value MakeTypingModule() {
  auto module = std::make_shared<ModuleObject>();
  module->name = "typing";
  auto& attributes = module->attributes;
  for (const char* name :
       {"Any",           "Optional",         "Union",           "List",
        "Dict",          "Set",              "Tuple",           "Sequence",
        "Mapping",       "Iterable",         "Iterator",        "Callable",
        "Type",          "ClassVar",         "Literal",         "Final",
        "FrozenSet",     "MutableMapping",   "MutableSequence", "MutableSet",
        "AbstractSet",   "Annotated",        "AnyStr",          "Awaitable",
        "Coroutine",     "AsyncIterator",    "AsyncIterable",   "AsyncGenerator",
        "Generator",     "Collection",       "Container",       "Hashable",
        "Sized",         "Reversible",       "SupportsInt",     "SupportsFloat",
        "SupportsIndex", "Text",             "NoReturn",        "Never",
        "Self",          "Concatenate",      "TypeAlias",       "TypeGuard",
        "Required",      "NotRequired",      "Unpack",          "LiteralString",
        "IO",            "TextIO",           "BinaryIO",        "Pattern",
        "Match",         "DefaultDict",      "OrderedDict",     "Counter",
        "Deque",         "ChainMap",         "KeysView",        "ItemsView",
        "ValuesView",    "ContextManager",   "AsyncContextManager", "ByteString",
        "ReadOnly",      "TypeIs"}) {
    attributes[name] = Hint(std::string("typing.") + name);
  }
  for (const char* name : {"Protocol", "Generic", "TypedDict"}) {
    attributes[name] = BaseClass(name);
  }
  attributes["NamedTuple"] = MakeNamedTupleBase();
  for (const char* name : {"overload", "final", "no_type_check", "runtime_checkable", "override"}) {
    attributes[name] = IdentityDecorator(name);
  }
  attributes["TYPE_CHECKING"] = Value::Bool(false);
  attributes["cast"] = Value::Builtin("typing.cast", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "cast", a, 2, 2));
    return a.positional[1];
  });
  // NewType("UserId", int) returns a callable that returns its argument.
  attributes["NewType"] =
      Value::Builtin("typing.NewType", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "NewType", a, 2, 2));
        return IdentityDecorator(ToStr(a.positional[0]));
      });
  for (const char* name : {"TypeVar", "ParamSpec", "TypeVarTuple"}) {
    std::string function = name;
    attributes[name] =
        Value::Builtin("typing." + function, [function](CallContext& c, Args& a) -> Result<Value> {
          SQLMEND_RETURN_IF_ERROR(CheckArgs(
              c, function, a, 1, SIZE_MAX,
              {"bound", "covariant", "contravariant", "default", "infer_variance"}));
          return Hint(ToStr(a.positional[0]));
        });
  }
  // dataclass_transform(**options) returns an identity decorator.
  attributes["dataclass_transform"] =
      Value::Builtin("typing.dataclass_transform", [](CallContext&, Args&) -> Result<Value> {
        return IdentityDecorator("dataclass_transform");
      });
  return Value::Module(std::move(module));
}

}  // namespace sqlmend::python
