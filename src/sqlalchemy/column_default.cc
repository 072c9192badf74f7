#include "sqlalchemy/column_default.h"

#include <optional>
#include <string>

#include "python/builtins.h"
#include "sqlalchemy/compiler.h"
#include "sqlalchemy/elements.h"
#include "sqlalchemy/schema.h"
#include "sqlalchemy/sql.h"
#include "sqlalchemy/types.h"

namespace sqlmend::sqlalchemy {

using base::Result;
using base::Status;
using python::Args;
using python::CallContext;
using python::CheckArgs;
using python::Value;
using Kind = Value::Kind;

namespace {

// The positional parameters without a default a def or lambda declares,
// less `skip` (self of a method, __init__ or __call__).
int RequiredPositionals(const Value& function, int skip) {
  if (!function.Is(Kind::kFunction)) return 0;  // a builtin: not inspectable
  int count = 0;
  for (const python::Parameter& parameter : function.AsFunction().parameters) {
    if (parameter.kind == python::Parameter::Kind::kPositional && !parameter.default_value) {
      ++count;
    }
  }
  return count > skip ? count - skip : 0;
}

// SQLAlchemy's get_callable_argspec(fn, no_self=True) as ColumnDefault
// counts it: the positionals the callable needs.
int PositionalsOf(const Value& callable) {
  switch (callable.kind()) {
    case Kind::kFunction:
      return RequiredPositionals(callable, 0);
    case Kind::kBoundMethod:
      return RequiredPositionals(callable.AsBoundMethod().function, 1);
    case Kind::kClass:
      if (const Value* init = callable.AsClass()->Lookup("__init__")) {
        return RequiredPositionals(*init, 1);
      }
      return 0;
    case Kind::kInstance:
      if (const Value* call = callable.AsInstance().class_object->Lookup("__call__")) {
        return RequiredPositionals(*call, 1);
      }
      return 0;
    default:
      return 0;
  }
}

// SQLAlchemy's DefaultExecutionContext as a default callable sees it: the
// row's parameters.
class DefaultContextValue : public python::HostObject {
 public:
  explicit DefaultContextValue(Value parameters) : parameters_(std::move(parameters)) {}
  std::string TypeName() const override { return "SQLiteExecutionContext_pysqlite"; }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "current_parameters") return parameters_;
    if (name == "get_current_parameters") {
      Value parameters = parameters_;
      return Value::Builtin("get_current_parameters",
                            [parameters](CallContext& c, Args& a) -> Result<Value> {
                              SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "get_current_parameters", a, 0,
                                                                1, {"isolate_multiinsert_groups"}));
                              return parameters;
                            });
    }
    return std::nullopt;
  }

 private:
  Value parameters_;
};

}  // namespace

DefaultKind DefaultKindOf(const Value& value) {
  switch (value.kind()) {
    case Kind::kNone:
      return DefaultKind::kNone;
    case Kind::kFunction:
    case Kind::kBuiltin:
    case Kind::kBoundMethod:
    case Kind::kClass:
      return DefaultKind::kCallable;
    case Kind::kInstance:
      return value.AsInstance().class_object->Lookup("__call__") != nullptr
                 ? DefaultKind::kCallable
                 : DefaultKind::kValue;
    case Kind::kHost:
      if (AsElement(value) != nullptr ||
          dynamic_cast<ExpressionValue*>(&value.AsHost()) != nullptr) {
        return DefaultKind::kExpression;
      }
      return DefaultKind::kValue;
    default:
      return DefaultKind::kValue;
  }
}

Status CheckDefaultCallable(CallContext& context, const Value& callable) {
  if (PositionalsOf(callable) <= 1) return Status::Ok();
  return context.Throw("TypeError",
                       "ArgumentError: ColumnDefault Python function takes zero or one "
                       "positional arguments");
}

Result<Value> DefaultValueFor(CallContext& context, const Value& default_value,
                              const Value& parameters) {
  if (DefaultKindOf(default_value) != DefaultKind::kCallable) return default_value;
  Args args;
  if (PositionalsOf(default_value) == 1) {
    args.positional.push_back(Value::Host(std::make_shared<DefaultContextValue>(parameters)));
  }
  return context.Call(default_value, std::move(args));
}

Result<std::optional<ops::ColumnDefault>> CopyDefaultOf(CallContext& context,
                                                        const ColumnValue& column,
                                                        Value& parameters) {
  using Out = std::optional<ops::ColumnDefault>;
  ops::ColumnDefault out;
  switch (DefaultKindOf(column.default_value)) {
    case DefaultKind::kNone:
      return Out();
    case DefaultKind::kValue:
    case DefaultKind::kCallable: {
      auto value = DefaultValueFor(context, column.default_value, parameters);
      if (!value) return base::Fail(value.error());
      parameters.AsDict().Set(Value::Str(column.column.name), *value);
      auto literal = BindLiteral(context, column.type_value, *value);
      if (!literal) return base::Fail(literal.error());
      out.sql = "?";
      out.parameters.push_back(std::move(*literal));
      out.literal_sql = "NULL";
      out.label = "anon";
      return Out(std::move(out));
    }
    case DefaultKind::kExpression:
      break;
  }
  auto element = ElementOf(context, column.default_value);
  if (!element) return base::Fail(element.error());
  const ElementPtr grouped = SelfGroup(*element, "");
  auto compiled = Compile(context, grouped, CompileOptions{});
  if (!compiled) return base::Fail(compiled.error());
  auto literal = CompileLiteral(context, grouped, true);
  if (!literal) return base::Fail(literal.error());
  out.sql = std::move(compiled->sql);
  out.parameters = std::move(compiled->parameters);
  out.literal_sql = std::move(*literal);
  out.label = SelectLabelStem(*element);
  return Out(std::move(out));
}

}  // namespace sqlmend::sqlalchemy
