// Python values for sqlmend's interpreter of revision files and env.py.
//
// A Value is what a Python expression evaluates to, in the practical subset
// the interpreter runs (see interpreter.h): None, bool, int (64-bit: a result
// that does not fit is an error, not a bignum), float, str (UTF-8), bytes
// (any octets; indexing one gives an int, as in Python 3), list, tuple, dict
// (insertion-ordered, as since Python 3.7), set, user-defined functions with
// their closures, builtins (native C++ callables), modules, classes,
// instances, bound methods, and opaque objects provided by host code (the
// modelled SQLAlchemy and Alembic objects). bytearray and memoryview are not
// modelled.
//
// Scalars and str are held by value; every container and object is a
// shared_ptr, so `b = a; b.append(1)` changes `a` as in Python. Cycles
// (a list that contains itself, a closure stored in its own scope) are
// freed when the interpreter that made them goes (python/heap.h).
//
// Python exceptions are instances of classes derived from the builtin
// BaseException class (see ExceptionClass()); their `args` attribute is a
// tuple, as in Python.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/status.h"
#include "python/parser.h"

namespace sqlmend::python {

class Value;
struct ListObject;
struct DictObject;
struct FunctionObject;
struct BuiltinObject;
struct ModuleObject;
struct ClassObject;
struct InstanceObject;
struct BoundMethodObject;
class HostObject;

// The arguments of a call: positional values, then keyword arguments in the
// order written.
struct Args {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keywords;
};

// What a native callable may ask of the interpreter that calls it. Errors
// returned by these functions must be passed back up unchanged.
class CallContext {
 public:
  virtual ~CallContext() = default;
  // Calls any callable Value (a lambda passed as `key=`, a class).
  virtual base::Result<Value> Call(const Value& callee, Args args) = 0;
  // Raises the Python exception `type_name(message)` (a builtin exception
  // class such as "TypeError") at the current call site; returns the Status
  // to propagate. `try`/`except` in the script can catch it.
  virtual base::Status Throw(std::string_view type_name, std::string message) = 0;
  // Raises KeyError(key), whose str() is repr(key), as Python's is.
  virtual base::Status ThrowKeyError(const Value& key) = 0;
  // Raises `exception`, an instance of an exception class (one a host
  // module defines, such as sqlalchemy.exc.OperationalError).
  virtual base::Status ThrowValue(const Value& exception) = 0;
  // An error the script cannot catch: a construct outside the subset or a
  // limit reached, located at the current call site.
  virtual base::Status Unsupported(std::string message) = 0;
  // An Unsupported error when the process holds more memory than the
  // interpreter's cap (Interpreter::set_memory_cap); OK otherwise. Called
  // where a large value was just made.
  virtual base::Status CheckMemory() { return base::Status::Ok(); }
  // Writes a line to the log sink (print(), logging).
  virtual void Log(std::string_view level, std::string_view text) = 0;
  // The same from the logging module's logger `logger` (its name).
  virtual void LogFrom(std::string_view logger, std::string_view level, std::string_view text) {
    (void)logger;
    Log(level, text);
  }
  // getattr(object, name) and setattr(object, name, value), with Python's
  // lookup rules (instance, class, bound methods, builtin methods).
  virtual base::Result<Value> GetAttr(const Value& object, std::string_view name) = 0;
  // What `name` means where the call is made (the caller's local scopes,
  // its module's globals, the builtins), or std::nullopt: how host code
  // reads a type annotation kept as text (Mapped[Optional[int]]).
  virtual std::optional<Value> NameInScope(std::string_view name);
  virtual base::Status SetAttr(const Value& object, std::string_view name, Value value) = 0;
  // str(value) or, when `repr`, repr(value), calling a class's __str__ or
  // __repr__ when it defines one.
  virtual base::Result<std::string> Text(const Value& value, bool repr) = 0;
  // True when `status` is a Python exception of class `type_name` or a
  // subclass; the exception is then caught (no longer in flight).
  virtual bool Catch(const base::Status& status, std::string_view type_name) = 0;
  // bool(value), calling __bool__ / __len__ of a class and Bool() of a host
  // object.
  virtual base::Result<bool> Truth(const Value& value) = 0;
  // `left op right` for the binary operators and rich comparisons, with
  // Python's protocol: the left operand's method (__add__, __eq__, a host
  // object's Operator()), then the right one's reflected method, then the
  // builtin semantics.
  virtual base::Result<Value> Operate(std::string_view op, const Value& left,
                                      const Value& right) = 0;
  // Calls the special method `method` (__float__, __len__, ...) of
  // `object`'s class when `object` is an instance of a class the script
  // defined and the class has it; std::nullopt otherwise, or when it
  // returned NotImplemented.
  virtual base::Result<std::optional<Value>> CallSpecialMethod(const Value& object,
                                                               std::string_view method,
                                                               std::vector<Value> arguments) = 0;
};

using NativeFunction = std::function<base::Result<Value>(CallContext& context, Args& args)>;

class Value {
 public:
  enum class Kind {
    kNone,
    kBool,
    kInt,
    kFloat,
    kStr,
    kBytes,
    kList,
    kTuple,
    kDict,
    kSet,
    kFunction,
    kBuiltin,
    kBoundMethod,
    kModule,
    kClass,
    kInstance,
    kHost,
  };

  Value() = default;  // None
  static Value None() { return Value(); }
  static Value Bool(bool value);
  static Value Int(int64_t value);
  static Value Float(double value);
  static Value Str(std::string value);
  // bytes: `value` holds the octets as they are (no encoding).
  static Value Bytes(std::string value);
  static Value List(std::vector<Value> items);
  static Value Tuple(std::vector<Value> items);
  static Value Set(std::vector<Value> items);  // duplicates are dropped
  static Value Dict();
  static Value Builtin(std::string name, NativeFunction function);
  static Value Function(std::shared_ptr<FunctionObject> function);
  static Value BoundMethod(Value self, Value function);
  static Value Module(std::shared_ptr<ModuleObject> module);
  static Value Class(std::shared_ptr<ClassObject> class_object);
  static Value Instance(std::shared_ptr<InstanceObject> instance);
  static Value Host(std::shared_ptr<HostObject> host);

  Kind kind() const { return kind_; }
  bool Is(Kind kind) const { return kind_ == kind; }
  bool IsNone() const { return kind_ == Kind::kNone; }
  // int or bool (bool is a subclass of int in Python) or float.
  bool IsNumber() const {
    return kind_ == Kind::kBool || kind_ == Kind::kInt || kind_ == Kind::kFloat;
  }
  bool IsSequence() const { return kind_ == Kind::kList || kind_ == Kind::kTuple; }

  // Accessors; each requires the matching kind.
  bool AsBool() const { return int_ != 0; }
  int64_t AsInt() const { return int_; }  // also for kBool
  double AsFloat() const { return kind_ == Kind::kFloat ? float_ : static_cast<double>(int_); }
  const std::string& AsStr() const { return str_; }
  const std::string& AsBytes() const { return str_; }  // for kBytes
  // str or bytes: the kinds whose text AsStr()/AsBytes() hold.
  bool IsText() const { return kind_ == Kind::kStr || kind_ == Kind::kBytes; }
  // The items of a list, tuple or set (a tuple's must not be changed).
  std::vector<Value>& Items() const;
  DictObject& AsDict() const;
  FunctionObject& AsFunction() const;
  BuiltinObject& AsBuiltin() const;
  BoundMethodObject& AsBoundMethod() const;
  ModuleObject& AsModule() const;
  std::shared_ptr<ClassObject> AsClass() const;
  InstanceObject& AsInstance() const;
  HostObject& AsHost() const;
  const std::shared_ptr<void>& object() const { return object_; }

  // Python's truth value (bool(x)).
  bool Truthy() const;
  // The name type(x).__name__ gives: "int", "str", "list", "NoneType", or a
  // class's name for an instance.
  std::string TypeName() const;

 private:
  Kind kind_ = Kind::kNone;
  int64_t int_ = 0;
  double float_ = 0;
  std::string str_;
  std::shared_ptr<void> object_;
};

// A hash consistent with Equals(): 1, 1.0 and True hash alike; a tuple
// hashes its items. Unhashable values (list, dict, set) all hash to 0, which
// keeps lookups correct, only slower.
size_t HashValue(const Value& value);

// An insertion-ordered dict with a hash index, so a loop that fills a dict
// stays linear as in Python.
struct DictObject {
  // Read freely; change only through Set(), Erase() and Clear(), which keep
  // the index in step.
  std::vector<std::pair<Value, Value>> entries;
  // The entry whose key equals `key` (Python ==), or nullptr.
  Value* Find(const Value& key);
  void Set(const Value& key, Value value);
  bool Erase(const Value& key);
  void Clear();

 private:
  std::unordered_multimap<size_t, size_t> index_;  // HashValue(key) → position
};

// The items of a list, a tuple or a set. A set's items are unique and
// indexed by hash (`set_index`); change a set's items only through
// SetInsert() and SetRemove().
// NOTE: a set iterates and prints in insertion order; CPython's order
// follows hash values ({3, 1, 2} prints as {1, 2, 3}), and for str items
// varies from run to run, so no script can rely on it.
struct ListObject {
  std::vector<Value> items;
  std::unordered_multimap<size_t, size_t> set_index;
};

// For a set Value: whether it holds `item`; adding (false when present);
// removing (false when absent).
bool SetContains(const Value& set, const Value& item);
bool SetInsert(const Value& set, Value item);
bool SetRemove(const Value& set, const Value& item);

// Names bound in a scope (a module's globals, a function call's locals, a
// class body), with the scope that encloses it for closures.
struct Scope {
  std::map<std::string, Value, std::less<>> names;
  std::shared_ptr<Scope> enclosing;  // null for globals
};

// A new empty scope, recorded with the thread's interpreter heap
// (python/heap.h).
std::shared_ptr<Scope> MakeScope();

// A parameter of a def or lambda.
struct Parameter {
  enum class Kind { kPositional, kVarPositional, kKeywordOnly, kVarKeyword };
  std::string name;
  Kind kind = Kind::kPositional;
  std::optional<Value> default_value;
};

// A user-defined function: its parameters (defaults already evaluated, as
// Python evaluates them once at `def`), its body node and the scope it
// closes over. `module` must outlive every call.
struct FunctionObject {
  std::string name;
  std::vector<Parameter> parameters;
  const PythonModule* module = nullptr;
  Node body;  // a block, or a lambda's expression
  std::shared_ptr<Scope> closure;
  std::shared_ptr<Scope> globals;
  bool is_lambda = false;
  // The first `yield` of the body (outside nested functions and classes):
  // set for a generator function, whose call returns a generator.
  Node first_yield;
  // An `async def`: defined as Python defines it, refused where called
  // (sqlmend runs no coroutines).
  bool is_async = false;
  // The class whose body defined the function, for super(); weak, since
  // the class holds the function.
  std::weak_ptr<ClassObject> owner;
  // Attributes set on the function (`f.__isabstractmethod__ = True`, as
  // abc.abstractmethod does).
  std::map<std::string, Value, std::less<>> attributes;
};

struct BuiltinObject {
  std::string name;
  NativeFunction function;
};

struct BoundMethodObject {
  Value self;
  Value function;
};

struct ModuleObject {
  std::string name;
  std::map<std::string, Value, std::less<>> attributes;
};

struct ClassObject {
  std::string name;
  // The builtin type the class derives from directly ("list", "dict",
  // "set", "str", "int", "float", "tuple", "bytes"), or empty. Its instances
  // carry a value of that type (InstanceObject::builtin_value).
  std::string builtin_base;
  std::vector<std::shared_ptr<ClassObject>> bases;
  std::map<std::string, Value, std::less<>> attributes;
  // type(cls) when it is not `type`: the metaclass that created the class
  // (`metaclass=`, inherited from a base, abc.ABCMeta); null for `type`.
  std::shared_ptr<ClassObject> metaclass;
  // The attribute `name` of this class or the first base that has it
  // (depth-first, left to right), or nullptr.
  const Value* Lookup(std::string_view attribute) const;
  // True when this class is `other` or derives from it.
  bool IsSubclassOf(const ClassObject& other) const;
  // The builtin type this class or a base derives from (builtin_base of
  // the first that has one, depth-first), or "" for a class of the script's
  // own.
  std::string_view BuiltinBase() const;
};

struct InstanceObject {
  std::shared_ptr<ClassObject> class_object;
  std::map<std::string, Value, std::less<>> attributes;
  // For an instance of a class deriving from a builtin type (`class
  // Keys(list)`): the value of that type it is (its items, its text), on
  // which the builtin's methods and protocols act. None otherwise.
  Value builtin_value;
};

// The builtin value `value` carries when it is an instance of a class
// deriving from a builtin type (InstanceObject::builtin_value); otherwise
// `value` itself.
const Value& BuiltinValueOf(const Value& value);

// An object provided by host code: the modelled SQLAlchemy and Alembic
// objects. The interpreter asks it for attributes and calls it; every
// function returns std::nullopt-equivalents (an error or kNotFound) for what
// the object does not model.
class HostObject {
 public:
  virtual ~HostObject() = default;
  // The class name for repr() and type errors.
  virtual std::string TypeName() const = 0;
  // The attribute `name`, or std::nullopt when there is none (the script
  // gets an AttributeError).
  virtual std::optional<base::Result<Value>> GetAttribute(CallContext& context,
                                                          std::string_view name);
  // Sets an attribute; the default refuses with an AttributeError.
  virtual base::Status SetAttribute(CallContext& context, std::string_view name, Value value);
  // Calls the object; the default raises TypeError (not callable).
  virtual base::Result<Value> Call(CallContext& context, Args& args);
  // `with obj as x:` enters through Enter() (x is its result) and leaves
  // through Exit(); the defaults refuse, as for a non-context manager.
  virtual base::Result<Value> Enter(CallContext& context);
  virtual base::Status Exit(CallContext& context);
  // obj[key]; the default raises TypeError (not subscriptable).
  virtual base::Result<Value> GetItem(CallContext& context, const Value& key);
  // The items `for x in obj` visits (and len() counts); the default raises
  // TypeError (not iterable).
  virtual base::Result<std::vector<Value>> Iterate(CallContext& context);
  // repr(); the default is "<TypeName object>".
  virtual std::string Repr() const;
  // str(); the default is Repr().
  virtual std::string Str() const { return Repr(); }
  // For immutable value objects (a datetime, a UUID): a key such that two
  // objects of the same TypeName() are == exactly when their keys are equal,
  // and order as their keys compare (bytewise). std::nullopt, the default:
  // == is identity and < raises TypeError.
  virtual std::optional<std::string> ValueKey() const { return std::nullopt; }
  // isinstance(value, obj) when obj is this host object used as a type (a
  // host class such as datetime.date); the default is false.
  virtual bool IsInstance(const Value& value) const;
  // `self op other`, or `other op self` when `reflected`, for the binary
  // operators (+ - * / // % ** & | ^ << >>) and the rich comparisons (== !=
  // < <= > >=, never reflected: the interpreter swaps < and > itself).
  // std::nullopt, the default, is Python's NotImplemented: the other
  // operand is asked, then Python's own rules apply (== is identity). SQL
  // expression objects build SQL here: `t.c.x == None` is `x IS NULL`.
  virtual std::optional<base::Result<Value>> Operator(CallContext& context, std::string_view op,
                                                      const Value& other, bool reflected);
  // `op self` for - + ~; std::nullopt (the default) raises TypeError.
  virtual std::optional<base::Result<Value>> UnaryOperator(CallContext& context,
                                                           std::string_view op);
  // bool(self); std::nullopt (the default) is true. An object whose truth
  // is undefined (a SQL clause) raises TypeError here.
  virtual std::optional<base::Result<bool>> Bool(CallContext& context);
  // The special method `method` ("__float__", "__int__", "__round__",
  // "__abs__") called with `arguments`, for the builtins that ask for one;
  // std::nullopt (the default) when the object has none.
  virtual std::optional<base::Result<Value>> SpecialMethod(CallContext& context,
                                                           std::string_view method,
                                                           const std::vector<Value>& arguments);
  // Python's descriptor __get__ for a host object stored as a class
  // attribute: what reading it through class `owner` (`instance` null) or
  // through an instance of it gives. std::nullopt, the default, gives the
  // object itself. (SQLAlchemy's declared_attr calls its function with the
  // class.)
  virtual std::optional<base::Result<Value>> GetFromClass(
      CallContext& context, const Value* instance, const std::shared_ptr<ClassObject>& owner);
  // True for an object through which code can change the database a
  // migration runs on (a connection, an engine, a session, Alembic's op):
  // a placeholder called with one inside a revision body stops there
  // (python/placeholder.h). The default is false.
  virtual bool ReachesDatabase() const { return false; }
  // For a host object that stands for a class a `class` statement may derive
  // from (an enum class without members): the class it derives from.
  // nullptr, the default: the object cannot be a base.
  virtual std::shared_ptr<ClassObject> BaseClass() const { return nullptr; }
  // For the interpreter's Heap (python/heap.h): Traverse() calls `visit`
  // with the address of each object the host holds a strong reference to
  // (a Value's object() through VisitValue(), a Scope, a ClassObject), and
  // Clear() drops them all (the object is garbage then, never used again).
  // An object whose references may lead back to it overrides both; the
  // defaults hold none.
  using Visitor = std::function<void(const void*)>;
  virtual void Traverse(const Visitor& visit) const;
  virtual void Clear() {}
};

// Calls `visit` with the object `value` holds, if any (for Traverse()).
inline void VisitValue(const Value& value, const HostObject::Visitor& visit) {
  if (value.object() != nullptr) visit(value.object().get());
}

// Python ==: numbers compare across int, bool and float; containers compare
// item by item; host value objects of one type by ValueKey(); instances of
// builtin subclasses by their builtin values; other objects by identity.
bool Equals(const Value& a, const Value& b);
// The ValueKey() of `a` when `a` and `b` are host objects of the same type
// that both compare by value (so `<` and `==` may use the keys); else
// std::nullopt.
std::optional<std::string> HostValueKey(const Value& a, const Value& b);
// repr(x) and str(x) as CPython prints them, for the kinds Value models.
std::string Repr(const Value& value);
// The repr of a list, tuple, set or dict with each element's text from
// `element` (the interpreter passes one that calls a class's __repr__);
// other values get Repr().
using ElementRepr = std::function<base::Result<std::string>(const Value&)>;
base::Result<std::string> ContainerRepr(const Value& value, const ElementRepr& element);
std::string ToStr(const Value& value);
// repr() of a float: the shortest text that reads back to the same double,
// in CPython's layout ("1.0", "0.1", "1e+16", "1e-05", "inf", "nan").
std::string FloatRepr(double value);
// repr() of a str: single quotes unless the text holds ' and no ".
std::string StrRepr(std::string_view text);
// repr() of a bytes: b'...' with the same choice of quotes; \t \n \r and
// \\ escaped, other octets outside printable ASCII as \xhh.
std::string BytesRepr(std::string_view octets);

// The builtin exception class `name` ("ValueError", "KeyError",
// "Exception", ...), or nullptr when Python has no such builtin modelled.
// The classes are created once and shared.
std::shared_ptr<ClassObject> ExceptionClass(std::string_view name);
// The names of all modelled builtin exception classes.
std::vector<std::string> ExceptionClassNames();
// A new exception instance of `class_object` with args (message), or no
// args when `message` is empty.
Value MakeException(const std::shared_ptr<ClassObject>& class_object, std::string message);
// The text of str(exception), as Python prints after "ValueError: ".
std::string ExceptionMessage(const Value& exception);

}  // namespace sqlmend::python
