#include "sqlalchemy/public_names.h"

#include <memory>
#include <string_view>
#include <utility>

#include "python/placeholder.h"

namespace sqlmend::sqlalchemy {

using python::Args;
using python::CallContext;
using python::ClassObject;
using python::HostObject;
using python::ModuleObject;
using python::Value;

namespace {

using base::Result;

struct PublicName {
  const char* module;
  const char* name;
  const char* exception_base;  // nullptr unless an exception class
  bool same_as_top_level;
};

constexpr PublicName kPublicNames[] = {
#include "sqlalchemy/public_names.inc"
};

class UnmodelledName : public HostObject {
 public:
  explicit UnmodelledName(std::string dotted) : dotted_(std::move(dotted)) {}
  std::string TypeName() const override { return dotted_.substr(dotted_.rfind('.') + 1); }
  std::string Repr() const override { return "<class '" + dotted_ + "'>"; }

  std::optional<Result<Value>> GetAttribute(CallContext& context,
                                            std::string_view name) override {
    if (name == "__name__") return Value::Str(TypeName());
    return Refuse(context, "." + std::string(name));
  }
  Result<Value> Call(CallContext& context, Args&) override { return *Refuse(context, "()"); }
  Result<Value> GetItem(CallContext& context, const Value&) override {
    return *Refuse(context, "[...]");
  }
  Result<std::vector<Value>> Iterate(CallContext& context) override {
    return base::Fail(context.Unsupported(Message("iteration over ")));
  }
  std::optional<Result<Value>> Operator(CallContext& context, std::string_view op, const Value&,
                                        bool) override {
    if (op == "==" || op == "!=") return std::nullopt;  // identity, as for a class
    return Refuse(context, " " + std::string(op) + " ...");
  }
  std::optional<Result<bool>> Bool(CallContext&) override { return true; }  // a class is true
  // `class ProjectQuery(flask_sqlalchemy.BaseQuery)` in a model module: a
  // class of the script's own, whose own methods work; what it would
  // inherit is reached through this name, which refuses it with its
  // location (python/placeholder.h's kPlaceholderBaseName).
  std::shared_ptr<ClassObject> BaseClass() const override {
    if (!base_class_) {
      base_class_ = std::make_shared<ClassObject>();
      base_class_->name = TypeName();
      base_class_->attributes["__name__"] = Value::Str(TypeName());
      base_class_->attributes[std::string(python::kPlaceholderBaseName)] =
          Value::Host(std::make_shared<UnmodelledName>(dotted_));
    }
    return base_class_;
  }
  void Traverse(const Visitor& visit) const override {
    if (base_class_) visit(base_class_.get());
  }
  void Clear() override { base_class_.reset(); }

 private:
  std::string Message(std::string_view what) const {
    return "unsupported: " + std::string(what) + dotted_ + " (not modelled by sqlmend)";
  }
  std::optional<Result<Value>> Refuse(CallContext& context, const std::string& use) {
    return base::Fail(context.Unsupported("unsupported: " + dotted_ + use + ": " + dotted_ +
                                          " is not modelled by sqlmend"));
  }

  std::string dotted_;
  mutable std::shared_ptr<ClassObject> base_class_;
};

// The module `dotted`, created, registered and bound in its parent when
// sqlmend models nothing of it.
ModuleObject& ModuleNamed(python::Interpreter& interpreter,
                          std::map<std::string, Value>& modules, const std::string& dotted) {
  auto found = modules.find(dotted);
  if (found != modules.end()) return found->second.AsModule();
  auto module = std::make_shared<ModuleObject>();
  module->name = dotted;
  Value value = Value::Module(module);
  modules[dotted] = value;
  interpreter.AddModule(dotted, value);
  size_t dot = dotted.rfind('.');
  if (dot != std::string::npos) {
    ModuleObject& parent = ModuleNamed(interpreter, modules, dotted.substr(0, dot));
    parent.attributes[dotted.substr(dot + 1)] = value;
  }
  return *module;
}

// The exception class `name` of SQLAlchemy (its bases first), made once,
// or a builtin exception class.
std::shared_ptr<ClassObject> ExceptionClassNamed(
    std::string_view name, std::map<std::string, std::shared_ptr<ClassObject>, std::less<>>& made) {
  if (auto it = made.find(name); it != made.end()) return it->second;
  for (const PublicName& row : kPublicNames) {
    if (row.exception_base == nullptr || row.name != name) continue;
    auto class_object = std::make_shared<ClassObject>();
    class_object->name = row.name;
    class_object->attributes["__module__"] = Value::Str("sqlalchemy.exc");
    class_object->bases.push_back(ExceptionClassNamed(row.exception_base, made));
    made.emplace(std::string(name), class_object);
    return class_object;
  }
  // A builtin base (Exception, Warning, RuntimeWarning, ...); the warning
  // classes sqlmend lacks are Warning.
  auto builtin = python::ExceptionClass(name);
  return builtin != nullptr ? builtin : python::ExceptionClass("Warning");
}

}  // namespace

// SQLAlchemy's exception classes, one set per process as Python's builtin
// ones are, so host code can raise them in any interpreter.
std::map<std::string, std::shared_ptr<ClassObject>, std::less<>>& SqlalchemyExceptions() {
  static auto* const exceptions =
      new std::map<std::string, std::shared_ptr<ClassObject>, std::less<>>();
  return *exceptions;
}

void CompletePublicNames(python::Interpreter& interpreter, std::map<std::string, Value>& modules) {
  auto& exceptions = SqlalchemyExceptions();
  for (const PublicName& row : kPublicNames) {
    ModuleObject& module = ModuleNamed(interpreter, modules, row.module);
    if (module.attributes.contains(row.name)) continue;
    Value value;
    if (row.exception_base != nullptr) {
      value = Value::Class(ExceptionClassNamed(row.name, exceptions));
    } else if (row.same_as_top_level && modules.at("sqlalchemy").AsModule().attributes.contains(
                                            row.name)) {
      value = modules.at("sqlalchemy").AsModule().attributes.at(row.name);
    } else {
      value = Value::Host(
          std::make_shared<UnmodelledName>(std::string(row.module) + "." + row.name));
    }
    module.attributes.emplace(row.name, std::move(value));
  }
}

base::Status ThrowSqlalchemyError(python::CallContext& context, std::string_view class_name,
                                  std::string message) {
  auto class_object = ExceptionClassNamed(class_name, SqlalchemyExceptions());
  return context.ThrowValue(python::MakeException(class_object, std::move(message)));
}

Value MakeUnmodelledName(std::string dotted) {
  return Value::Host(std::make_shared<UnmodelledName>(std::move(dotted)));
}

bool IsUnmodelledName(const Value& value) {
  return value.Is(Value::Kind::kHost) && dynamic_cast<UnmodelledName*>(&value.AsHost()) != nullptr;
}

}  // namespace sqlmend::sqlalchemy
