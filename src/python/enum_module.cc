#include "python/enum_module.h"

#include <string>
#include <utility>
#include <vector>

#include "python/builtins.h"
#include "python/interpreter.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;

// enum.auto(): a marker the class hook numbers.
class AutoValue : public HostObject {
 public:
  std::string TypeName() const override { return "auto"; }
};

class EnumClass : public HostObject {
 public:
  EnumClass(std::shared_ptr<ClassObject> class_object, std::vector<Value> members)
      : class_object_(std::move(class_object)), members_(std::move(members)) {}
  std::string TypeName() const override { return "EnumMeta"; }
  std::string Repr() const override { return "<enum '" + class_object_->name + "'>"; }
  // An enum class without members may be extended (its methods are
  // shared); Python refuses to extend one with members.
  // isinstance(x, Color): x is a member of Color or of an enum deriving
  // from it.
  bool IsInstance(const Value& value) const override {
    return value.Is(Kind::kInstance) &&
           value.AsInstance().class_object->IsSubclassOf(*class_object_);
  }
  std::shared_ptr<ClassObject> BaseClass() const override {
    return members_.empty() ? class_object_ : nullptr;
  }
  void Traverse(const Visitor& visit) const override {
    if (class_object_) visit(class_object_.get());
    for (const Value& member : members_) VisitValue(member, visit);
  }
  void Clear() override {
    class_object_.reset();
    members_.clear();
  }

  std::optional<Result<Value>> GetAttribute(CallContext& context, std::string_view name) override {
    if (const Value* member = Find(name)) return *member;
    if (name == "__members__") {
      Value dict = Value::Dict();
      for (const Value& member : members_) {
        dict.AsDict().Set(member.AsInstance().attributes.at("name"), member);
      }
      return dict;
    }
    if (class_object_->Lookup(name) == nullptr && name != "__name__") return std::nullopt;
    return context.GetAttr(Value::Class(class_object_), name);
  }
  // Color.labels = {...}: a class attribute, as Python allows; a member
  // cannot be reassigned.
  base::Status SetAttribute(CallContext& context, std::string_view name, Value value) override {
    if (Find(name) != nullptr) {
      return context.Throw("AttributeError", "cannot reassign member '" + std::string(name) + "'");
    }
    class_object_->attributes[std::string(name)] = std::move(value);
    return base::Status::Ok();
  }
  Result<Value> GetItem(CallContext& context, const Value& key) override {
    if (key.Is(Kind::kStr)) {
      if (const Value* member = Find(key.AsStr())) return *member;
    }
    return base::Fail(context.ThrowKeyError(key));
  }
  Result<std::vector<Value>> Iterate(CallContext&) override {
    std::vector<Value> out;
    for (const Value& member : members_) {
      if (!member.AsInstance().attributes.contains("_sqlmend_alias")) out.push_back(member);
    }
    return out;
  }
  // Color("red"): the member whose value equals, or ValueError.
  Result<Value> Call(CallContext& context, Args& args) override {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(context, class_object_->name, args, 1, 1));
    for (const Value& member : members_) {
      if (Equals(member.AsInstance().attributes.at("value"), args.positional[0])) return member;
      if (Equals(member, args.positional[0])) return member;
    }
    return base::Fail(context.Throw(
        "ValueError", python::Repr(args.positional[0]) + " is not a valid " + class_object_->name));
  }

 private:
  const Value* Find(std::string_view name) const {
    for (const Value& member : members_) {
      const auto& attributes = member.AsInstance().attributes;
      if (attributes.at("name").AsStr() == name) return &member;
    }
    return nullptr;
  }

  std::shared_ptr<ClassObject> class_object_;
  std::vector<Value> members_;  // aliases included, marked _sqlmend_alias
};

bool IsSunderOrDunder(const std::string& name) {
  return name.size() > 1 && name.front() == '_' && name.back() == '_';
}

// Turns the class body's assignments into members, in definition order.
Result<Value> MakeEnumClass(CallContext& context, Args& args) {
  auto class_object = args.positional.at(0).AsClass();
  const Value* order = class_object->Lookup("__sqlmend_order__");
  std::vector<Value> members;
  int64_t last_int = 0;
  for (const Value& name_value : order != nullptr ? order->Items() : std::vector<Value>{}) {
    const std::string& name = name_value.AsStr();
    auto it = class_object->attributes.find(name);
    if (IsSunderOrDunder(name) || it == class_object->attributes.end()) continue;
    Value value = it->second;
    if (value.Is(Kind::kFunction) || value.Is(Kind::kBuiltin) ||
        (value.Is(Kind::kInstance) && value.AsInstance().attributes.contains("__func__"))) {
      continue;
    }
    if (value.Is(Kind::kHost) && dynamic_cast<AutoValue*>(&value.AsHost()) != nullptr) {
      value = Value::Int(last_int + 1);
    }
    if (value.Is(Kind::kInt)) last_int = value.AsInt();
    auto member = std::make_shared<InstanceObject>();
    member->class_object = class_object;
    member->attributes["name"] = Value::Str(name);
    member->attributes["value"] = value;
    member->attributes["_value_"] = value;
    member->attributes["_name_"] = Value::Str(name);
    member->attributes["_sqlmend_enum_member"] = Value::Bool(true);
    for (const Value& earlier : members) {
      if (Equals(earlier.AsInstance().attributes.at("value"), value)) {
        member->attributes["_sqlmend_alias"] = Value::Bool(true);
      }
    }
    Value member_value = Value::Instance(member);
    class_object->attributes[name] = member_value;
    members.push_back(member_value);
  }
  (void)context;
  Value enum_class = Value::Host(std::make_shared<EnumClass>(class_object, std::move(members)));
  class_object->attributes[kClassFacadeName] = enum_class;  // cls of its classmethods
  return enum_class;
}

std::shared_ptr<ClassObject> EnumBase(const std::string& name) {
  auto base = std::make_shared<ClassObject>();
  base->name = name;
  base->attributes["__name__"] = Value::Str(name);
  base->attributes[kClassHookName] = Value::Builtin("EnumMeta", MakeEnumClass);
  return base;
}

}  // namespace

Value MakeEnumModule() {
  auto module = std::make_shared<ModuleObject>();
  module->name = "enum";
  for (const char* name : {"Enum", "IntEnum", "Flag", "IntFlag"}) {
    module->attributes[name] = Value::Class(EnumBase(name));
  }
  module->attributes["auto"] =
      Value::Builtin("enum.auto", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "auto", a, 0, 0));
        return Value::Host(std::make_shared<AutoValue>());
      });
  module->attributes["unique"] =
      Value::Builtin("enum.unique", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "unique", a, 1, 1));
        return a.positional[0];
      });
  return Value::Module(std::move(module));
}

}  // namespace sqlmend::python
