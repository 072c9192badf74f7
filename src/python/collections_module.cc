// Named tuples and `collections` (collections_module.h).
#include "python/collections_module.h"

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "python/builtins.h"
#include "python/interpreter.h"
#include "python/operators.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;

// Python's reserved words, which namedtuple refuses as field names.
bool IsKeyword(std::string_view name) {
  static const std::set<std::string, std::less<>> kKeywords = {
      "False", "None",   "True",    "and",      "as",     "assert", "async",  "await",
      "break", "class",  "continue", "def",     "del",    "elif",   "else",   "except",
      "finally", "for",  "from",    "global",   "if",     "import", "in",     "is",
      "lambda", "nonlocal", "not",  "or",       "pass",   "raise",  "return", "try",
      "while", "with",   "yield"};
  return kKeywords.contains(name);
}

// An ASCII identifier (the names scripts give fields).
bool IsIdentifier(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || static_cast<unsigned char>(c) >= 0x80;
    if (!word) return false;
  }
  return true;
}

// "'a'", "'a' and 'b'", "'a', 'b' and 'c'", as CPython lists missing
// arguments.
std::string NameList(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? (names.size() > 2 ? ", and " : " and ") : ", ";
    out += "'" + names[i] + "'";
  }
  return out;
}

class NamedTupleValue;

// A named tuple class: its fields, their defaults and the class whose body
// defined it (methods and other attributes; empty for namedtuple()).
class NamedTupleType : public HostObject, public std::enable_shared_from_this<NamedTupleType> {
 public:
  NamedTupleType(std::shared_ptr<ClassObject> class_object, std::vector<std::string> fields,
                 std::vector<std::pair<std::string, Value>> defaults)
      : class_object_(std::move(class_object)),
        fields_(std::move(fields)),
        defaults_(std::move(defaults)) {}

  const std::string& name() const { return class_object_->name; }
  const std::vector<std::string>& fields() const { return fields_; }
  const std::shared_ptr<ClassObject>& class_object() const { return class_object_; }

  void Traverse(const Visitor& visit) const override {
    if (class_object_) visit(class_object_.get());
    for (const auto& [field, value] : defaults_) VisitValue(value, visit);
  }
  void Clear() override {
    class_object_.reset();
    defaults_.clear();
  }

  std::string TypeName() const override { return "type"; }
  std::string Repr() const override { return "<class '" + name() + "'>"; }

  Value Fields() const {
    std::vector<Value> names;
    for (const std::string& field : fields_) names.push_back(Value::Str(field));
    return Value::Tuple(std::move(names));
  }
  Value FieldDefaults() const {
    Value dict = Value::Dict();
    for (const auto& [field, value] : defaults_) dict.AsDict().Set(Value::Str(field), value);
    return dict;
  }

  // A new instance from the items, which must number len(fields).
  Value Make(std::vector<Value> items);

  // Point(1, y=2): Python's __new__ binding.
  Result<Value> Call(CallContext& c, Args& args) override {
    const std::string function = name() + ".__new__()";
    const size_t count = fields_.size();
    if (args.positional.size() > count) {
      const size_t required = count - defaults_.size();
      std::string takes = required == count ? std::to_string(count + 1)
                                            : "from " + std::to_string(required + 1) + " to " +
                                                  std::to_string(count + 1);
      return base::Fail(c.Throw(
          "TypeError", function + " takes " + takes + " positional argument" +
                           (count == 0 ? "" : "s") + " but " +
                           std::to_string(args.positional.size() + 1) + " were given"));
    }
    std::vector<std::optional<Value>> bound(count);
    for (size_t i = 0; i < args.positional.size(); ++i) bound[i] = args.positional[i];
    for (auto& [keyword, value] : args.keywords) {
      size_t index = 0;
      while (index < count && fields_[index] != keyword) ++index;
      if (index == count) {
        return base::Fail(
            c.Throw("TypeError", function + " got an unexpected keyword argument '" + keyword + "'"));
      }
      if (bound[index]) {
        return base::Fail(
            c.Throw("TypeError", function + " got multiple values for argument '" + keyword + "'"));
      }
      bound[index] = value;
    }
    std::vector<std::string> missing;
    std::vector<Value> items;
    for (size_t i = 0; i < count; ++i) {
      if (!bound[i]) {
        for (const auto& [field, value] : defaults_) {
          if (field == fields_[i]) bound[i] = value;
        }
      }
      if (!bound[i]) {
        missing.push_back(fields_[i]);
        continue;
      }
      items.push_back(*bound[i]);
    }
    if (!missing.empty()) {
      return base::Fail(c.Throw(
          "TypeError", function + " missing " + std::to_string(missing.size()) +
                           " required positional argument" + (missing.size() == 1 ? "" : "s") +
                           ": " + NameList(missing)));
    }
    return Make(std::move(items));
  }

  std::optional<Result<Value>> GetAttribute(CallContext& c, std::string_view attribute) override {
    if (attribute == "_fields") return Fields();
    if (attribute == "_field_defaults") return FieldDefaults();
    if (attribute == "__name__" || attribute == "__qualname__") return Value::Str(name());
    if (attribute == "_make") {
      auto self = shared_from_this();
      return Value::Builtin(name() + "._make", [self](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "_make", a, 1, 1));
        auto items = IterateValue(c, a.positional[0]);
        if (!items) return base::Fail(items.error());
        if (items->size() != self->fields_.size()) {
          return base::Fail(c.Throw("TypeError", "Expected " +
                                                     std::to_string(self->fields_.size()) +
                                                     " arguments, got " +
                                                     std::to_string(items->size())));
        }
        return self->Make(std::move(*items));
      });
    }
    if (class_object_->Lookup(attribute) == nullptr) return std::nullopt;
    return c.GetAttr(Value::Class(class_object_), attribute);
  }

  bool IsInstance(const Value& value) const override;

 private:
  std::shared_ptr<ClassObject> class_object_;
  std::vector<std::string> fields_;
  std::vector<std::pair<std::string, Value>> defaults_;  // the last fields', in order
};

// An instance: the items, in field order.
class NamedTupleValue : public HostObject, public std::enable_shared_from_this<NamedTupleValue> {
 public:
  NamedTupleValue(std::shared_ptr<NamedTupleType> type, std::vector<Value> items)
      : type_(std::move(type)), items_(std::move(items)) {}

  const std::shared_ptr<NamedTupleType>& type() const { return type_; }
  const std::vector<Value>& items() const { return items_; }

  void Traverse(const Visitor& visit) const override {
    if (type_) visit(static_cast<const HostObject*>(type_.get()));
    for (const Value& item : items_) VisitValue(item, visit);
  }
  void Clear() override {
    type_.reset();
    items_.clear();
  }

  std::string TypeName() const override { return type_->name(); }

  std::string Repr() const override {
    std::string out = type_->name() + "(";
    for (size_t i = 0; i < items_.size(); ++i) {
      if (i > 0) out += ", ";
      out += type_->fields()[i] + "=" + python::Repr(items_[i]);
    }
    return out + ")";
  }

  std::optional<Result<Value>> GetAttribute(CallContext& c, std::string_view attribute) override {
    const auto& fields = type_->fields();
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i] == attribute) return items_[i];
    }
    Value self = Value::Host(shared_from_this());
    if (attribute == "_asdict") {
      return Method("_asdict", [](CallContext& c, const NamedTupleValue& me, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "_asdict", a, 0, 0));
        Value dict = Value::Dict();
        for (size_t i = 0; i < me.items_.size(); ++i) {
          dict.AsDict().Set(Value::Str(me.type_->fields()[i]), me.items_[i]);
        }
        return dict;
      });
    }
    if (attribute == "_replace") {
      return Method("_replace", [](CallContext& c, const NamedTupleValue& me, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "_replace", a, 0, 0, {"*"}));
        std::vector<Value> items = me.items_;
        std::vector<std::string> unknown;
        for (const auto& [keyword, value] : a.keywords) {
          bool found = false;
          for (size_t i = 0; i < items.size(); ++i) {
            if (me.type_->fields()[i] == keyword) {
              items[i] = value;
              found = true;
            }
          }
          if (!found) unknown.push_back(keyword);
        }
        if (!unknown.empty()) {
          std::string list;
          for (const std::string& name : unknown) list += (list.empty() ? "'" : ", '") + name + "'";
          return base::Fail(c.Throw("ValueError", "Got unexpected field names: [" + list + "]"));
        }
        return me.type_->Make(std::move(items));
      });
    }
    if (attribute == "count" || attribute == "index") {
      const bool count = attribute == "count";
      return Method(std::string(attribute),
                    [count](CallContext& c, const NamedTupleValue& me, Args& a) -> Result<Value> {
                      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, count ? "count" : "index", a, 1, 1));
                      int64_t found = 0;
                      for (size_t i = 0; i < me.items_.size(); ++i) {
                        if (!Equals(me.items_[i], a.positional[0])) continue;
                        if (!count) return Value::Int(static_cast<int64_t>(i));
                        ++found;
                      }
                      if (count) return Value::Int(found);
                      return base::Fail(c.Throw("ValueError", "tuple.index(x): x not in tuple"));
                    });
    }
    if (attribute == "_fields") return type_->Fields();
    if (attribute == "_field_defaults") return type_->FieldDefaults();
    if (attribute == "__class__") return Value::Host(type_);
    // The class body's attributes: a method binds to the instance, a
    // property calls its getter, anything else reads as through the class.
    const Value* found = type_->class_object()->Lookup(attribute);
    if (found == nullptr) return std::nullopt;
    if (found->Is(Kind::kFunction)) return Value::BoundMethod(self, *found);
    if (found->Is(Kind::kInstance) && found->AsInstance().class_object->name == "property") {
      auto getter = found->AsInstance().attributes.find("fget");
      if (getter != found->AsInstance().attributes.end() && !getter->second.IsNone()) {
        return c.Call(getter->second, Args{{self}, {}});
      }
    }
    return c.GetAttr(Value::Class(type_->class_object()), attribute);
  }

  base::Status SetAttribute(CallContext& c, std::string_view, Value) override {
    return c.Throw("AttributeError", "can't set attribute");
  }

  Result<Value> GetItem(CallContext& c, const Value& key) override {
    if (!key.Is(Kind::kInt) && !key.Is(Kind::kBool)) {
      return base::Fail(c.Throw("TypeError", "tuple indices must be integers or slices, not " +
                                                 key.TypeName()));
    }
    int64_t index = key.AsInt();
    const auto size = static_cast<int64_t>(items_.size());
    if (index < 0) index += size;
    if (index < 0 || index >= size) {
      return base::Fail(c.Throw("IndexError", "tuple index out of range"));
    }
    return items_[static_cast<size_t>(index)];
  }

  Result<std::vector<Value>> Iterate(CallContext&) override { return items_; }

  std::optional<Result<bool>> Bool(CallContext&) override { return !items_.empty(); }

  // Compared as the tuple of its items, with a plain tuple or another named
  // tuple; `+` gives a plain tuple.
  std::optional<Result<Value>> Operator(CallContext& c, std::string_view op, const Value& other,
                                        bool reflected) override {
    Value mine = Value::Tuple(items_);
    Value theirs;
    if (other.Is(Kind::kTuple)) {
      theirs = other;
    } else if (other.Is(Kind::kHost)) {
      auto* named = dynamic_cast<NamedTupleValue*>(&other.AsHost());
      if (named == nullptr) return std::nullopt;
      theirs = Value::Tuple(named->items_);
    } else {
      if (op == "==" || op == "!=") return Value::Bool(op == "!=");
      return std::nullopt;
    }
    const bool comparison = op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" ||
                            op == ">=";
    if (comparison) {
      auto holds = Compare(c, op, mine, theirs);
      if (!holds) return Result<Value>(base::Fail(holds.error()));
      return Value::Bool(*holds);
    }
    if (op != "+") return std::nullopt;
    return BinaryOperation(c, op, reflected ? theirs : mine, reflected ? mine : theirs);
  }

 private:
  using MethodBody = std::function<Result<Value>(CallContext&, const NamedTupleValue&, Args&)>;
  // A builtin bound to this instance.
  Value Method(const std::string& method, MethodBody body) {
    auto self = shared_from_this();
    return Value::Builtin(type_->name() + "." + method,
                          [self, body](CallContext& c, Args& a) { return body(c, *self, a); });
  }

  std::shared_ptr<NamedTupleType> type_;
  std::vector<Value> items_;
};

Value NamedTupleType::Make(std::vector<Value> items) {
  return Value::Host(std::make_shared<NamedTupleValue>(shared_from_this(), std::move(items)));
}

bool NamedTupleType::IsInstance(const Value& value) const {
  if (!value.Is(Kind::kHost)) return false;
  auto* named = dynamic_cast<const NamedTupleValue*>(&value.AsHost());
  return named != nullptr && named->type().get() == this;
}

// The class hook of typing.NamedTuple: the annotated names of the body, in
// order, are the fields; those assigned a value have it as their default.
Result<Value> MakeNamedTupleFromClass(CallContext& c, Args& args) {
  auto class_object = args.positional.at(0).AsClass();
  std::vector<std::string> fields;
  std::vector<std::pair<std::string, Value>> defaults;
  auto annotations = class_object->attributes.find("__annotations__");
  if (annotations != class_object->attributes.end() && annotations->second.Is(Kind::kDict)) {
    for (const auto& [key, hint] : annotations->second.AsDict().entries) {
      const std::string& field = key.AsStr();
      if (field.starts_with("_")) {
        return base::Fail(c.Throw("AttributeError",
                                  "Cannot overwrite NamedTuple attribute " + field));
      }
      auto value = class_object->attributes.find(field);
      if (value != class_object->attributes.end()) {
        defaults.emplace_back(field, value->second);
        class_object->attributes.erase(value);
      } else if (!defaults.empty()) {
        return base::Fail(c.Throw("TypeError", "Non-default namedtuple field " + field +
                                                   " cannot follow default field" +
                                                   (defaults.size() == 1 ? " " : "s ") +
                                                   defaults.back().first));
      }
      fields.push_back(field);
    }
  }
  if (class_object->attributes.contains("__new__")) {
    return base::Fail(c.Throw("AttributeError", "Cannot overwrite NamedTuple attribute __new__"));
  }
  // What the class derives from is the named tuple machinery itself.
  class_object->bases.clear();
  return Value::Host(
      std::make_shared<NamedTupleType>(std::move(class_object), std::move(fields), std::move(defaults)));
}

// The field names namedtuple() takes: a str split at commas and
// whitespace, or an iterable of str.
Result<std::vector<std::string>> FieldNames(CallContext& c, const Value& names) {
  std::vector<std::string> out;
  if (names.Is(Kind::kStr)) {
    std::string current;
    for (char ch : names.AsStr() + " ") {
      if (ch == ',' || ch == ' ' || ch == '\t' || ch == '\n') {
        if (!current.empty()) out.push_back(std::move(current));
        current.clear();
      } else {
        current += ch;
      }
    }
    return out;
  }
  auto items = IterateValue(c, names);
  if (!items) return base::Fail(items.error());
  for (const Value& item : *items) {
    if (!item.Is(Kind::kStr)) {
      return base::Fail(c.Throw("TypeError", "Type names and field names must be strings"));
    }
    out.push_back(item.AsStr());
  }
  return out;
}

Result<Value> NamedTupleFactory(CallContext& c, Args& args) {
  SQLMEND_RETURN_IF_ERROR(
      CheckArgs(c, "namedtuple", args, 2, 2, {"rename", "defaults", "module"}));
  if (!args.positional[0].Is(Kind::kStr)) {
    return base::Fail(c.Throw("TypeError", "Type names and field names must be strings"));
  }
  const std::string type_name = args.positional[0].AsStr();
  auto fields = FieldNames(c, args.positional[1]);
  if (!fields) return base::Fail(fields.error());
  const Value* rename = KeywordArg(args, "rename");
  std::set<std::string> seen;
  for (size_t i = 0; i < fields->size(); ++i) {
    std::string& field = (*fields)[i];
    const bool bad = !IsIdentifier(field) || IsKeyword(field) || field.starts_with("_") ||
                     seen.contains(field);
    if (bad && rename != nullptr && rename->Truthy()) field = "_" + std::to_string(i);
    seen.insert(field);
  }
  seen.clear();
  if (!IsIdentifier(type_name) || IsKeyword(type_name)) {
    return base::Fail(c.Throw("ValueError", "Type names and field names must be valid "
                                            "identifiers: " + StrRepr(type_name)));
  }
  for (const std::string& field : *fields) {
    if (!IsIdentifier(field)) {
      return base::Fail(c.Throw("ValueError",
                                "Type names and field names must be valid identifiers: " +
                                    StrRepr(field)));
    }
    if (IsKeyword(field)) {
      return base::Fail(c.Throw("ValueError", "Type names and field names cannot be a keyword: " +
                                                  StrRepr(field)));
    }
    if (field.starts_with("_") && !(rename != nullptr && rename->Truthy())) {
      return base::Fail(c.Throw("ValueError",
                                "Field names cannot start with an underscore: " + StrRepr(field)));
    }
    if (!seen.insert(field).second) {
      return base::Fail(
          c.Throw("ValueError", "Encountered duplicate field name: " + StrRepr(field)));
    }
  }
  std::vector<std::pair<std::string, Value>> defaults;
  if (const Value* given = KeywordArg(args, "defaults"); given != nullptr && !given->IsNone()) {
    auto values = IterateValue(c, *given);
    if (!values) return base::Fail(values.error());
    if (values->size() > fields->size()) {
      return base::Fail(c.Throw("TypeError", "Got more default values than field names"));
    }
    const size_t first = fields->size() - values->size();
    for (size_t i = 0; i < values->size(); ++i) defaults.emplace_back((*fields)[first + i], (*values)[i]);
  }
  auto class_object = std::make_shared<ClassObject>();
  class_object->name = type_name;
  class_object->attributes["__name__"] = Value::Str(type_name);
  return Value::Host(std::make_shared<NamedTupleType>(std::move(class_object), std::move(*fields),
                                                      std::move(defaults)));
}

}  // namespace

Value MakeNamedTupleBase() {
  auto class_object = std::make_shared<ClassObject>();
  class_object->name = "NamedTuple";
  class_object->attributes["__name__"] = Value::Str("NamedTuple");
  class_object->attributes["__module__"] = Value::Str("typing");
  class_object->attributes[kClassHookName] = Value::Builtin("NamedTuple", MakeNamedTupleFromClass);
  class_object->attributes["__init__"] =
      Value::Builtin("typing.NamedTuple", [](CallContext& c, Args&) -> Result<Value> {
        return base::Fail(c.Unsupported(
            "unsupported: typing.NamedTuple's functional form (collections.namedtuple is "
            "modelled)"));
      });
  return Value::Class(std::move(class_object));
}

Value MakeCollectionsModule() {
  auto module = std::make_shared<ModuleObject>();
  module->name = "collections";
  module->attributes["namedtuple"] = Value::Builtin("collections.namedtuple", NamedTupleFactory);
  // OrderedDict is dict: dicts keep insertion order.
  Scope builtins;
  InstallBuiltins(builtins);
  module->attributes["OrderedDict"] = builtins.names.at("dict");
  return Value::Module(std::move(module));
}

}  // namespace sqlmend::python
