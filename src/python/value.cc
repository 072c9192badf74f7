#include "python/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "base/gcc_workarounds.h"
#include "python/heap.h"

namespace sqlmend::python {

std::optional<Value> CallContext::NameInScope(std::string_view name) {
  (void)name;
  return std::nullopt;
}


Value Value::Bool(bool value) {
  Value v;
  v.kind_ = Kind::kBool;
  v.int_ = value ? 1 : 0;
  return v;
}
Value Value::Int(int64_t value) {
  Value v;
  v.kind_ = Kind::kInt;
  v.int_ = value;
  return v;
}
Value Value::Float(double value) {
  Value v;
  v.kind_ = Kind::kFloat;
  v.float_ = value;
  return v;
}
Value Value::Str(std::string value) {
  Value v;
  v.kind_ = Kind::kStr;
  v.str_ = std::move(value);
  return v;
}
Value Value::Bytes(std::string value) {
  Value v;
  v.kind_ = Kind::kBytes;
  v.str_ = std::move(value);
  return v;
}
std::shared_ptr<Scope> MakeScope() {
  auto scope = std::make_shared<Scope>();
  Heap::Record(Heap::Kind::kScope, scope);
  return scope;
}

Value Value::List(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::kList;
  auto list = std::make_shared<ListObject>();
  list->items = std::move(items);
  Heap::Record(Heap::Kind::kList, list);
  v.object_ = std::move(list);
  return v;
}
Value Value::Tuple(std::vector<Value> items) {
  Value v = List(std::move(items));
  v.kind_ = Kind::kTuple;
  return v;
}
Value Value::Set(std::vector<Value> items) {
  Value v = List({});
  v.kind_ = Kind::kSet;
  for (Value& item : items) SetInsert(v, std::move(item));
  return v;
}
Value Value::Dict() {
  Value v;
  v.kind_ = Kind::kDict;
  v.object_ = std::make_shared<DictObject>();
  Heap::Record(Heap::Kind::kDict, v.object_);
  return v;
}
Value Value::Builtin(std::string name, NativeFunction function) {
  Value v;
  v.kind_ = Kind::kBuiltin;
  v.object_ = std::make_shared<BuiltinObject>(BuiltinObject{std::move(name), std::move(function)});
  return v;
}
Value Value::Function(std::shared_ptr<FunctionObject> function) {
  Value v;
  v.kind_ = Kind::kFunction;
  v.object_ = std::move(function);
  Heap::Record(Heap::Kind::kFunction, v.object_);
  return v;
}
Value Value::BoundMethod(Value self, Value function) {
  Value v;
  v.kind_ = Kind::kBoundMethod;
  v.object_ =
      std::make_shared<BoundMethodObject>(BoundMethodObject{std::move(self), std::move(function)});
  Heap::Record(Heap::Kind::kBoundMethod, v.object_);
  return v;
}
Value Value::Module(std::shared_ptr<ModuleObject> module) {
  Value v;
  v.kind_ = Kind::kModule;
  v.object_ = std::move(module);
  Heap::Record(Heap::Kind::kModule, v.object_);
  return v;
}
Value Value::Class(std::shared_ptr<ClassObject> class_object) {
  Value v;
  v.kind_ = Kind::kClass;
  v.object_ = std::move(class_object);
  Heap::Record(Heap::Kind::kClass, v.object_);
  return v;
}
Value Value::Instance(std::shared_ptr<InstanceObject> instance) {
  Value v;
  v.kind_ = Kind::kInstance;
  v.object_ = std::move(instance);
  Heap::Record(Heap::Kind::kInstance, v.object_);
  return v;
}
Value Value::Host(std::shared_ptr<HostObject> host) {
  Value v;
  v.kind_ = Kind::kHost;
  v.object_ = std::move(host);
  Heap::Record(Heap::Kind::kHost, v.object_);
  return v;
}

std::vector<Value>& Value::Items() const { return static_cast<ListObject*>(object_.get())->items; }
DictObject& Value::AsDict() const { return *static_cast<DictObject*>(object_.get()); }
FunctionObject& Value::AsFunction() const { return *static_cast<FunctionObject*>(object_.get()); }
BuiltinObject& Value::AsBuiltin() const { return *static_cast<BuiltinObject*>(object_.get()); }
BoundMethodObject& Value::AsBoundMethod() const {
  return *static_cast<BoundMethodObject*>(object_.get());
}
ModuleObject& Value::AsModule() const { return *static_cast<ModuleObject*>(object_.get()); }
std::shared_ptr<ClassObject> Value::AsClass() const {
  return std::static_pointer_cast<ClassObject>(object_);
}
InstanceObject& Value::AsInstance() const { return *static_cast<InstanceObject*>(object_.get()); }
HostObject& Value::AsHost() const { return *static_cast<HostObject*>(object_.get()); }

bool Value::Truthy() const {
  switch (kind_) {
    case Kind::kNone:
      return false;
    case Kind::kBool:
    case Kind::kInt:
      return int_ != 0;
    case Kind::kFloat:
      return float_ != 0;
    case Kind::kStr:
    case Kind::kBytes:
      return !str_.empty();
    case Kind::kList:
    case Kind::kTuple:
    case Kind::kSet:
      return !Items().empty();
    case Kind::kDict:
      return !AsDict().entries.empty();
    default:
      return true;
  }
}

std::string Value::TypeName() const {
  switch (kind_) {
    case Kind::kNone:
      return "NoneType";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kFloat:
      return "float";
    case Kind::kStr:
      return "str";
    case Kind::kBytes:
      return "bytes";
    case Kind::kList:
      return "list";
    case Kind::kTuple:
      return "tuple";
    case Kind::kDict:
      return "dict";
    case Kind::kSet:
      return "set";
    case Kind::kFunction:
      return "function";
    case Kind::kBuiltin:
      return "builtin_function_or_method";
    case Kind::kBoundMethod:
      return "method";
    case Kind::kModule:
      return "module";
    case Kind::kClass:
      return "type";
    case Kind::kInstance:
      return AsInstance().class_object->name;
    case Kind::kHost:
      return AsHost().TypeName();
  }
  return "object";
}

size_t HashValue(const Value& value_or_instance) {
  using Kind = Value::Kind;
  const Value& value = BuiltinValueOf(value_or_instance);
  switch (value.kind()) {
    case Kind::kNone:
      return 0x9e3779b9;
    case Kind::kBool:
    case Kind::kInt:
      return std::hash<int64_t>()(value.AsInt());
    case Kind::kFloat: {
      double f = value.AsFloat();
      if (f == std::trunc(f) && std::fabs(f) < 9.2e18)
        return std::hash<int64_t>()(static_cast<int64_t>(f));
      return std::hash<double>()(f);
    }
    case Kind::kStr:
    case Kind::kBytes:  // as in CPython, b'ab' and 'ab' hash alike (and differ)
      return std::hash<std::string>()(value.AsStr());
    case Kind::kTuple: {
      size_t h = 0x345678;
      for (const Value& item : value.Items()) h = (h ^ HashValue(item)) * 1000003;
      return h;
    }
    case Kind::kList:
    case Kind::kDict:
    case Kind::kSet:
      return 0;
    case Kind::kBoundMethod:
      return HashValue(value.AsBoundMethod().self);
    case Kind::kHost:
      if (auto key = value.AsHost().ValueKey()) return std::hash<std::string>()(*key);
      return std::hash<const void*>()(value.object().get());
    default:
      return std::hash<const void*>()(value.object().get());
  }
}

Value* DictObject::Find(const Value& key) {
  auto [begin, end] = index_.equal_range(HashValue(key));
  for (auto it = begin; it != end; ++it) {
    if (Equals(entries[it->second].first, key)) return &entries[it->second].second;
  }
  return nullptr;
}
void DictObject::Set(const Value& key, Value value) {
  if (Value* existing = Find(key)) {
    *existing = std::move(value);
  } else {
    entries.emplace_back(key, std::move(value));
    index_.emplace(HashValue(key), entries.size() - 1);
  }
}
bool DictObject::Erase(const Value& key) {
  auto [begin, end] = index_.equal_range(HashValue(key));
  auto it = begin;
  while (it != end && !Equals(entries[it->second].first, key)) ++it;
  if (it == end) return false;
  // Positions after the erased entry shift: rebuild the index (erasing is
  // rare in scripts, filling is common).
  entries.erase(entries.begin() + static_cast<ptrdiff_t>(it->second));
  index_.clear();
  for (size_t i = 0; i < entries.size(); ++i) index_.emplace(HashValue(entries[i].first), i);
  return true;
}
void DictObject::Clear() {
  entries.clear();
  index_.clear();
}

bool SetContains(const Value& set, const Value& item) {
  auto& object = *static_cast<ListObject*>(set.object().get());
  auto [begin, end] = object.set_index.equal_range(HashValue(item));
  for (auto it = begin; it != end; ++it) {
    if (Equals(object.items[it->second], item)) return true;
  }
  return false;
}
bool SetInsert(const Value& set, Value item) {
  if (SetContains(set, item)) return false;
  auto& object = *static_cast<ListObject*>(set.object().get());
  object.set_index.emplace(HashValue(item), object.items.size());
  object.items.push_back(std::move(item));
  return true;
}
bool SetRemove(const Value& set, const Value& item) {
  auto& object = *static_cast<ListObject*>(set.object().get());
  for (size_t i = 0; i < object.items.size(); ++i) {
    if (!Equals(object.items[i], item)) continue;
    object.items.erase(object.items.begin() + static_cast<ptrdiff_t>(i));
    object.set_index.clear();
    for (size_t k = 0; k < object.items.size(); ++k)
      object.set_index.emplace(HashValue(object.items[k]), k);
    return true;
  }
  return false;
}

const Value* ClassObject::Lookup(std::string_view attribute) const {
  auto it = attributes.find(attribute);
  if (it != attributes.end()) return &it->second;
  for (const auto& base : bases) {
    if (const Value* found = base->Lookup(attribute)) return found;
  }
  return nullptr;
}
std::string_view ClassObject::BuiltinBase() const {
  if (!builtin_base.empty()) return builtin_base;
  for (const auto& base : bases) {
    std::string_view found = base->BuiltinBase();
    if (!found.empty()) return found;
  }
  return {};
}

const Value& BuiltinValueOf(const Value& value) {
  if (value.Is(Value::Kind::kInstance) && !value.AsInstance().builtin_value.IsNone()) {
    return value.AsInstance().builtin_value;
  }
  return value;
}

bool ClassObject::IsSubclassOf(const ClassObject& other) const {
  if (this == &other) return true;
  for (const auto& base : bases) {
    if (base->IsSubclassOf(other)) return true;
  }
  return false;
}

std::optional<base::Result<Value>> HostObject::GetAttribute(CallContext&, std::string_view) {
  return std::nullopt;
}
SQLMEND_GCC12_STRING_PLUS_BEGIN
base::Status HostObject::SetAttribute(CallContext& context, std::string_view name, Value) {
  return context.Throw("AttributeError", "'" + TypeName() + "' object attribute '" +
                                             std::string(name) + "' cannot be set");
}
base::Result<Value> HostObject::Call(CallContext& context, Args&) {
  return base::Fail(context.Throw("TypeError", "'" + TypeName() + "' object is not callable"));
}
base::Result<Value> HostObject::Enter(CallContext& context) {
  return base::Fail(context.Throw(
      "TypeError", "'" + TypeName() + "' object does not support the context manager protocol"));
}
base::Status HostObject::Exit(CallContext&) { return base::Status::Ok(); }
base::Result<Value> HostObject::GetItem(CallContext& context, const Value&) {
  return base::Fail(context.Throw("TypeError", "'" + TypeName() + "' object is not subscriptable"));
}
base::Result<std::vector<Value>> HostObject::Iterate(CallContext& context) {
  return base::Fail(context.Throw("TypeError", "'" + TypeName() + "' object is not iterable"));
}
std::string HostObject::Repr() const { return "<" + TypeName() + " object>"; }
SQLMEND_GCC12_STRING_PLUS_END
bool HostObject::IsInstance(const Value&) const { return false; }
std::optional<base::Result<Value>> HostObject::Operator(CallContext&, std::string_view,
                                                        const Value&, bool) {
  return std::nullopt;
}
std::optional<base::Result<Value>> HostObject::UnaryOperator(CallContext&, std::string_view) {
  return std::nullopt;
}
std::optional<base::Result<bool>> HostObject::Bool(CallContext&) { return std::nullopt; }
void HostObject::Traverse(const Visitor&) const {}
std::optional<base::Result<Value>> HostObject::SpecialMethod(CallContext&, std::string_view,
                                                             const std::vector<Value>&) {
  return std::nullopt;
}
std::optional<base::Result<Value>> HostObject::GetFromClass(CallContext&, const Value*,
                                                            const std::shared_ptr<ClassObject>&) {
  return std::nullopt;
}

std::optional<std::string> HostValueKey(const Value& a, const Value& b) {
  if (!a.Is(Value::Kind::kHost) || !b.Is(Value::Kind::kHost)) return std::nullopt;
  if (a.AsHost().TypeName() != b.AsHost().TypeName()) return std::nullopt;
  return a.AsHost().ValueKey();
}

bool Equals(const Value& a_or_instance, const Value& b_or_instance) {
  using Kind = Value::Kind;
  const Value& a = BuiltinValueOf(a_or_instance);
  const Value& b = BuiltinValueOf(b_or_instance);
  if (a.IsNumber() && b.IsNumber()) {
    if (a.Is(Kind::kFloat) || b.Is(Kind::kFloat)) return a.AsFloat() == b.AsFloat();
    return a.AsInt() == b.AsInt();
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::kNone:
      return true;
    case Kind::kStr:
    case Kind::kBytes:
      return a.AsStr() == b.AsStr();
    case Kind::kList:
    case Kind::kTuple: {
      const auto& x = a.Items();
      const auto& y = b.Items();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!Equals(x[i], y[i])) return false;
      }
      return true;
    }
    case Kind::kSet: {
      if (a.Items().size() != b.Items().size()) return false;
      for (const Value& x : a.Items()) {
        if (!SetContains(b, x)) return false;
      }
      return true;
    }
    case Kind::kDict: {
      auto& x = a.AsDict();
      auto& y = b.AsDict();
      if (x.entries.size() != y.entries.size()) return false;
      for (const auto& [k, v] : x.entries) {
        const Value* other = y.Find(k);
        if (other == nullptr || !Equals(v, *other)) return false;
      }
      return true;
    }
    case Kind::kBoundMethod:
      return Equals(a.AsBoundMethod().self, b.AsBoundMethod().self) &&
             Equals(a.AsBoundMethod().function, b.AsBoundMethod().function);
    case Kind::kHost:
      if (a.object() == b.object()) return true;
      if (HostValueKey(a, b)) return a.AsHost().ValueKey() == b.AsHost().ValueKey();
      return false;
    default:
      return a.object() == b.object();
  }
}

std::string FloatRepr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // The shortest round-trip digits, in scientific form: "d.ddde[+-]x".
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string text(buffer, result.ptr);
  size_t e = text.find('e');
  int exponent = std::stoi(text.substr(e + 1));
  std::string mantissa = text.substr(0, e);
  bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits += c;
  }
  std::string out = negative ? "-" : "";
  // CPython's repr switches to exponent notation outside [1e-4, 1e16).
  if (exponent < -4 || exponent >= 16) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp_text[16];
    std::snprintf(exp_text, sizeof exp_text, "e%c%02d", exponent < 0 ? '-' : '+',
                  exponent < 0 ? -exponent : exponent);
    return out + exp_text;
  }
  if (exponent < 0) {
    return out + "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
  }
  size_t integer_digits = static_cast<size_t>(exponent) + 1;
  if (digits.size() <= integer_digits) {
    return out + digits + std::string(integer_digits - digits.size(), '0') + ".0";
  }
  return out + digits.substr(0, integer_digits) + "." + digits.substr(integer_digits);
}

namespace {

// The repr of str or bytes text, after `lead` ("" or "b"): CPython's choice
// of quotes and escapes; octets from 0x80 up are escaped only in bytes (in a
// str they are UTF-8 and print as the characters they spell).
std::string QuotedRepr(std::string_view text, std::string_view lead) {
  bool has_single = text.find('\'') != std::string_view::npos;
  bool has_double = text.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  const bool bytes = !lead.empty();
  std::string out(lead);
  out += quote;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == quote || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f || (bytes && byte >= 0x80)) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + quote;
}

}  // namespace

std::string StrRepr(std::string_view text) { return QuotedRepr(text, ""); }
std::string BytesRepr(std::string_view octets) { return QuotedRepr(octets, "b"); }

base::Result<std::string> ContainerRepr(const Value& value, const ElementRepr& element) {
  using Kind = Value::Kind;
  auto join = [&](const std::vector<Value>& items, std::string_view open,
                  std::string_view close) -> base::Result<std::string> {
    std::string out(open);
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += ", ";
      auto text = element(items[i]);
      if (!text) return text;
      out += *text;
    }
    if (value.Is(Kind::kTuple) && items.size() == 1) out += ",";
    return out + std::string(close);
  };
  switch (value.kind()) {
    case Kind::kList:
      return join(value.Items(), "[", "]");
    case Kind::kTuple:
      return join(value.Items(), "(", ")");
    case Kind::kSet:
      if (value.Items().empty()) return std::string("set()");
      return join(value.Items(), "{", "}");
    case Kind::kDict: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : value.AsDict().entries) {
        if (!first) out += ", ";
        first = false;
        auto key = element(k);
        if (!key) return key;
        auto item = element(v);
        if (!item) return item;
        out += *key + ": " + *item;
      }
      return out + "}";
    }
    default:
      return Repr(value);
  }
}

std::string Repr(const Value& value) {
  using Kind = Value::Kind;
  switch (value.kind()) {
    case Kind::kNone:
      return "None";
    case Kind::kBool:
      return value.AsBool() ? "True" : "False";
    case Kind::kInt:
      return std::to_string(value.AsInt());
    case Kind::kFloat:
      return FloatRepr(value.AsFloat());
    case Kind::kStr:
      return StrRepr(value.AsStr());
    case Kind::kBytes:
      return BytesRepr(value.AsBytes());
    case Kind::kList:
    case Kind::kTuple:
    case Kind::kSet:
    case Kind::kDict:
      return *ContainerRepr(value, [](const Value& item) -> base::Result<std::string> {
        return Repr(item);
      });
    case Kind::kFunction:
      return "<function " + value.AsFunction().name + ">";
    case Kind::kBuiltin:
      return "<built-in function " + value.AsBuiltin().name + ">";
    case Kind::kBoundMethod:
      return "<bound method of " + Repr(value.AsBoundMethod().self) + ">";
    case Kind::kModule:
      return "<module '" + value.AsModule().name + "'>";
    case Kind::kClass:
      return "<class '" + value.AsClass()->name + "'>";
    case Kind::kInstance: {
      const InstanceObject& instance = value.AsInstance();
      if (instance.class_object->IsSubclassOf(*ExceptionClass("BaseException"))) {
        auto args = instance.attributes.find("args");
        std::string inner = "()";
        if (args != instance.attributes.end() && args->second.Is(Kind::kTuple)) {
          inner = args->second.Items().size() == 1 ? "(" + Repr(args->second.Items()[0]) + ")"
                                                   : Repr(args->second);
        }
        return instance.class_object->name + inner;
      }
      if (!instance.builtin_value.IsNone()) return Repr(instance.builtin_value);
      return "<" + instance.class_object->name + " object>";
    }
    case Kind::kHost:
      return value.AsHost().Repr();
  }
  return "?";
}

std::string ToStr(const Value& value_or_instance) {
  const Value& value = BuiltinValueOf(value_or_instance);
  if (value.Is(Value::Kind::kStr)) return value.AsStr();
  if (value.Is(Value::Kind::kHost)) return value.AsHost().Str();
  if (value.Is(Value::Kind::kInstance) &&
      value.AsInstance().class_object->IsSubclassOf(*ExceptionClass("BaseException"))) {
    return ExceptionMessage(value);
  }
  return Repr(value);
}

namespace {

// name → base name, in an order where every base comes first.
constexpr std::pair<std::string_view, std::string_view> kExceptionHierarchy[] = {
    {"BaseException", ""},
    {"Exception", "BaseException"},
    {"ArithmeticError", "Exception"},
    {"ZeroDivisionError", "ArithmeticError"},
    {"OverflowError", "ArithmeticError"},
    {"LookupError", "Exception"},
    {"KeyError", "LookupError"},
    {"IndexError", "LookupError"},
    {"ValueError", "Exception"},
    {"UnicodeError", "ValueError"},
    {"UnicodeEncodeError", "UnicodeError"},
    {"UnicodeDecodeError", "UnicodeError"},
    {"TypeError", "Exception"},
    {"NameError", "Exception"},
    {"UnboundLocalError", "NameError"},
    {"AttributeError", "Exception"},
    {"AssertionError", "Exception"},
    {"ImportError", "Exception"},
    {"ModuleNotFoundError", "ImportError"},
    {"RuntimeError", "Exception"},
    {"NotImplementedError", "RuntimeError"},
    {"RecursionError", "RuntimeError"},
    {"StopIteration", "Exception"},
    {"OSError", "Exception"},
    {"FileNotFoundError", "OSError"},
    {"IsADirectoryError", "OSError"},
    {"PermissionError", "OSError"},
    {"FileExistsError", "OSError"},
    {"KeyboardInterrupt", "BaseException"},
    {"Warning", "Exception"},
    {"UserWarning", "Warning"},
    {"DeprecationWarning", "Warning"},
    {"PendingDeprecationWarning", "Warning"},
    {"SyntaxWarning", "Warning"},
    {"RuntimeWarning", "Warning"},
    {"FutureWarning", "Warning"},
    {"ImportWarning", "Warning"},
    {"UnicodeWarning", "Warning"},
    {"BytesWarning", "Warning"},
    {"ResourceWarning", "Warning"},
    {"EncodingWarning", "Warning"},
    {"SystemExit", "BaseException"},
};

const std::map<std::string, std::shared_ptr<ClassObject>, std::less<>>& ExceptionClasses() {
  static const auto* classes = [] {
    auto* map = new std::map<std::string, std::shared_ptr<ClassObject>, std::less<>>();
    for (const auto& [name, base] : kExceptionHierarchy) {
      auto class_object = std::make_shared<ClassObject>();
      class_object->name = std::string(name);
      if (!base.empty()) class_object->bases.push_back(map->find(base)->second);
      (*map)[std::string(name)] = class_object;
    }
    return map;
  }();
  return *classes;
}

}  // namespace

std::shared_ptr<ClassObject> ExceptionClass(std::string_view name) {
  auto it = ExceptionClasses().find(name);
  return it == ExceptionClasses().end() ? nullptr : it->second;
}

std::vector<std::string> ExceptionClassNames() {
  std::vector<std::string> names;
  for (const auto& [name, base] : kExceptionHierarchy) names.emplace_back(name);
  return names;
}

Value MakeException(const std::shared_ptr<ClassObject>& class_object, std::string message) {
  auto instance = std::make_shared<InstanceObject>();
  instance->class_object = class_object;
  std::vector<Value> args;
  if (!message.empty()) args.push_back(Value::Str(std::move(message)));
  instance->attributes["args"] = Value::Tuple(std::move(args));
  return Value::Instance(std::move(instance));
}

std::string ExceptionMessage(const Value& exception) {
  const auto& attributes = exception.AsInstance().attributes;
  auto args = attributes.find("args");
  if (args == attributes.end() || !args->second.Is(Value::Kind::kTuple)) return "";
  const auto& items = args->second.Items();
  if (items.empty()) return "";
  if (items.size() == 1) {
    // KeyError('x') prints as 'x': its message is the repr of the key.
    if (exception.AsInstance().class_object->name == "KeyError") return Repr(items[0]);
    return ToStr(items[0]);
  }
  return Repr(args->second);
}

}  // namespace sqlmend::python
