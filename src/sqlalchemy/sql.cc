#include "sqlalchemy/sql.h"

#include "python/args.h"
#include "python/builtins.h"
#include "python/datetime_module.h"
#include "python/format.h"
#include "python/placeholder.h"
#include "sqlalchemy/compiler.h"
#include "sqlalchemy/elements.h"
#include "sqlalchemy/types.h"

namespace sqlmend::sqlalchemy {

using python::Args;
using python::AsDateTime;
using python::CallContext;
using python::CheckArgs;
using python::DateTimeValue;
using python::FloatRepr;
using python::HostObject;
using python::KeywordArg;
using python::MakeJsonModule;
using python::ModuleObject;
using python::NativeFunction;
using python::ToStr;
using python::Value;

namespace {

using base::Result;
using Kind = Value::Kind;

void AddFunction(ModuleObject& module, const std::string& name, NativeFunction function) {
  module.attributes[name] = Value::Builtin(name, std::move(function));
}

// A bind value after SQLAlchemy's processing for `type` (None: the type
// inferred from the value, as bindparams(x=value) does), as the Python value
// the driver then receives.
Result<Value> ProcessedBindValue(CallContext& context, const Value& type, const Value& value) {
  auto literal = BindLiteral(context, type.IsNone() ? InferredTypeOf(value) : type, value);
  if (!literal) return base::Fail(literal.error());
  switch (literal->kind) {
    case ops::Literal::Kind::kNull:
      return Value::None();
    case ops::Literal::Kind::kInt:
      return Value::Int(literal->integer);
    case ops::Literal::Kind::kFloat:
      return Value::Float(literal->real);
    case ops::Literal::Kind::kText:
      return Value::Str(literal->text);
    case ops::Literal::Kind::kBlob:
      return Value::Bytes(literal->text);
  }
  return Value::None();
}

}  // namespace

std::string QuoteSqlString(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::optional<Result<Value>> TextValue::GetAttribute(CallContext&, std::string_view name) {
  auto self = std::make_shared<TextValue>(*this);
  if (name == "text") return Value::Str(sql_);
  if (name == "bindparams") {
    return Value::Builtin("bindparams", [self](CallContext& c, Args& a) -> Result<Value> {
      auto copy = std::make_shared<TextValue>(*self);
      for (const Value& bind : a.positional) {
        // sa.bindparam("n", value, type_=None).
        ElementPtr element = AsElement(bind);
        if (element == nullptr || element->kind != Element::Kind::kBind) {
          return base::Fail(
              c.Throw("TypeError", "bindparams(): expected sa.bindparam(name, value)"));
        }
        auto processed = ProcessedBindValue(c, element->type, element->value);
        if (!processed) return base::Fail(processed.error());
        copy->binds_.emplace_back(element->name, *processed);
      }
      for (const auto& [key, value] : a.keywords) {
        auto processed = ProcessedBindValue(c, Value::None(), value);
        if (!processed) return base::Fail(processed.error());
        copy->binds_.emplace_back(key, *processed);
      }
      return Value::Host(copy);
    });
  }
  if (name == "columns" || name == "execution_options") {
    return Value::Builtin(std::string(name), [self](CallContext&, Args&) -> Result<Value> {
      return Value::Host(self);
    });
  }
  return std::nullopt;
}

std::optional<Result<Value>> ExpressionValue::GetAttribute(CallContext&, std::string_view name) {
  if (name == "label" || name == "self_group") {
    std::string sql = sql_;
    bool now = now_;
    return Value::Builtin(std::string(name), [sql, now](CallContext&, Args&) -> Result<Value> {
      return Value::Host(std::make_shared<ExpressionValue>(sql, now));
    });
  }
  return std::nullopt;
}

std::optional<Result<Value>> DdlValue::GetAttribute(CallContext&, std::string_view name) {
  if (name == "statement") return Value::Str(statement_);
  if (name == "context") return context_;
  if (name == "execute_if" || name == "against") {
    auto self = std::make_shared<DdlValue>(*this);
    return Value::Builtin(std::string(name), [self](CallContext&, Args&) -> Result<Value> {
      return Value::Host(self);
    });
  }
  return std::nullopt;
}

Result<std::string> DdlValue::Sql(CallContext& context) const {
  return python::PercentFormat(context, statement_, context_);
}

void AddDdl(ModuleObject& module) {
  AddFunction(module, "DDL", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "DDL", a, 1, 3, {"statement", "context", "bind"}));
    const Value* statement = a.positional.empty() ? KeywordArg(a, "statement") : &a.positional[0];
    if (statement == nullptr || !statement->Is(Kind::kStr)) {
      return base::Fail(c.Throw("TypeError", "DDL(): expected a string SQL statement"));
    }
    const Value* context = a.positional.size() > 1 ? &a.positional[1] : KeywordArg(a, "context");
    Value dict = context != nullptr && !context->IsNone() ? *context : Value::Dict();
    if (!dict.Is(Kind::kDict)) return base::Fail(c.Throw("TypeError", "DDL(): context must be a dict"));
    return Value::Host(std::make_shared<DdlValue>(statement->AsStr(), dict));
  });
}

void AddSqlFunctions(ModuleObject& module) {
  AddFunction(module, "text", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "text", a, 0, 1, {"text"}));
    const Value* text = a.positional.empty() ? KeywordArg(a, "text") : &a.positional[0];
    if (text == nullptr || !text->Is(Kind::kStr)) {
      return base::Fail(c.Throw("TypeError", "text() takes a str"));
    }
    return Value::Host(std::make_shared<TextValue>(text->AsStr()));
  });
}

Result<std::string> CompileLiteralSql(CallContext& context, const Value& value) {
  switch (value.kind()) {
    case Kind::kNone:
      return std::string("NULL");
    case Kind::kBool:
      return std::string(value.AsBool() ? "1" : "0");
    case Kind::kInt:
      return std::to_string(value.AsInt());
    case Kind::kFloat:
      return FloatRepr(value.AsFloat());
    case Kind::kStr:
      return QuoteSqlString(value.AsStr());
    case Kind::kHost:
      if (auto* expression = dynamic_cast<ExpressionValue*>(&value.AsHost())) {
        return expression->sql();
      }
      if (auto* text = dynamic_cast<TextValue*>(&value.AsHost())) return text->sql();
      if (ElementPtr element = AsElement(value)) return CompileLiteral(context, element, false);
      break;
    default:
      break;
  }
  return base::Fail(
      context.Throw("TypeError", "cannot compile a " + value.TypeName() + " into SQL"));
}

namespace {

// sa.DefaultClause(arg, for_update=False): a server default given as an
// object; as server_default= it means what its `arg` means.
class DefaultClauseValue : public HostObject {
 public:
  DefaultClauseValue(Value arg, bool for_update) : arg_(std::move(arg)), for_update_(for_update) {}
  std::string TypeName() const override { return "DefaultClause"; }
  std::string Repr() const override {
    return "DefaultClause(" + python::Repr(arg_) + ", for_update=" +
           (for_update_ ? "True" : "False") + ")";
  }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "arg") return arg_;
    if (name == "for_update") return Value::Bool(for_update_);
    if (name == "has_argument") return Value::Bool(true);
    return std::nullopt;
  }
  const Value& arg() const { return arg_; }

 private:
  Value arg_;
  bool for_update_;
};

}  // namespace

Result<Value> MakeDefaultClause(CallContext& context, Args& args) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(context, "DefaultClause", args, 1, 2, {"for_update", "_reflected"}));
  const Value* for_update =
      args.positional.size() > 1 ? &args.positional[1] : KeywordArg(args, "for_update");
  return Value::Host(std::make_shared<DefaultClauseValue>(
      args.positional[0], for_update != nullptr && for_update->Truthy()));
}

Result<ops::ServerDefault> ServerDefaultOf(CallContext& context, const Value& given) {
  // A DefaultClause (of a DefaultClause ...) means its argument.
  const Value* unwrapped = &given;
  while (unwrapped->Is(Kind::kHost)) {
    auto* clause = dynamic_cast<DefaultClauseValue*>(&unwrapped->AsHost());
    if (clause == nullptr) break;
    unwrapped = &clause->arg();
  }
  const Value& value = *unwrapped;
  if (value.Is(Kind::kStr)) return ops::ServerDefault::String(value.AsStr());
  if (value.Is(Kind::kHost)) {
    if (auto* text = dynamic_cast<TextValue*>(&value.AsHost())) {
      return ops::ServerDefault::SqlText(text->sql());
    }
    if (auto* expression = dynamic_cast<ExpressionValue*>(&value.AsHost())) {
      if (expression->now()) return ops::ServerDefault::Now();
      return ops::ServerDefault::Expression(expression->sql());
    }
    if (ElementPtr element = AsElement(value);
        element != nullptr && dynamic_cast<ClauseValue*>(&value.AsHost()) != nullptr) {
      if (IsCurrentTimestamp(element)) return ops::ServerDefault::Now();
      auto sql = CompileLiteral(context, element, false);
      if (!sql) return base::Fail(sql.error());
      return ops::ServerDefault::Expression(*sql);
    }
  }
  return base::Fail(context.Throw(
      "TypeError",
      "ArgumentError: Argument 'arg' is expected to be one of type '<class 'str'>' or "
      "'<class 'sqlalchemy.sql.elements.ClauseElement'>' or '<class "
      "'sqlalchemy.sql.elements.TextClause'>', got '" +
          value.TypeName() + "'"));
}

Result<ops::Literal> LiteralOf(CallContext& context, const Value& value, const ops::Type* type) {
  if (auto stop = python::PlaceholderStop(context, value, "a value written to the database")) {
    return base::Fail(*stop);
  }
  if (type != nullptr && type->kind == ops::Type::Kind::kJson) {
    Value json = MakeJsonModule();
    auto dumps = context.GetAttr(json, "dumps");
    if (!dumps) return base::Fail(dumps.error());
    auto text = context.Call(*dumps, Args{{value}, {}});
    if (!text) return base::Fail(text.error());
    return ops::Literal::Text(text->AsStr());
  }
  switch (value.kind()) {
    case Kind::kNone:
      return ops::Literal::Null();
    case Kind::kBool:
      return ops::Literal::Int(value.AsBool() ? 1 : 0);
    case Kind::kInt:
      return ops::Literal::Int(value.AsInt());
    case Kind::kFloat:
      return ops::Literal::Float(value.AsFloat());
    case Kind::kStr:
      return ops::Literal::Text(value.AsStr());
    case Kind::kBytes:
      // pysqlite binds bytes as a BLOB.
      return ops::Literal::Blob(value.AsBytes());
    case Kind::kInstance:
      // An enum member bound to an Enum column: SQLAlchemy stores its name.
      if (value.AsInstance().attributes.contains("_sqlmend_enum_member")) {
        return ops::Literal::Text(ToStr(value.AsInstance().attributes.at("name")));
      }
      break;
    case Kind::kHost:
      // pysqlite's default adapters (Python 3.11): datetime ->
      // isoformat(" "), date -> isoformat(); it refuses time, timedelta
      // and UUID.
      if (const DateTimeValue* moment = AsDateTime(value)) {
        if (moment->kind() == DateTimeValue::Kind::kDateTime ||
            moment->kind() == DateTimeValue::Kind::kDate) {
          return ops::Literal::Text(moment->IsoFormat(' '));
        }
      }
      break;
    default:
      break;
  }
  return base::Fail(
      context.Throw("TypeError", "sqlmend cannot bind a " + value.TypeName() + " value to SQLite"));
}

const TextValue* AsText(const Value& value) {
  if (!value.Is(Kind::kHost)) return nullptr;
  return dynamic_cast<const TextValue*>(&value.AsHost());
}

const DdlValue* AsDdl(const Value& value) {
  if (!value.Is(Kind::kHost)) return nullptr;
  return dynamic_cast<const DdlValue*>(&value.AsHost());
}

}  // namespace sqlmend::sqlalchemy
