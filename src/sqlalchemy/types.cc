#include "sqlalchemy/types.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "python/args.h"
#include "python/builtins.h"
#include "python/datetime_module.h"
#include "python/decimal_module.h"
#include "python/format.h"
#include "python/placeholder.h"
#include "sqlalchemy/connection.h"
#include "sqlalchemy/inspection.h"
#include "sqlalchemy/result.h"
#include "sqlalchemy/sql.h"

namespace sqlmend::sqlalchemy {

using python::Args;
using python::AsDateTime;
using python::AsDecimal;
using python::BindArgs;
using python::BoolOr;
using python::CallContext;
using python::CheckArgs;
using python::ClassObject;
using python::DateTimeValue;
using python::Equals;
using python::HostObject;
using python::Interpreter;
using python::IterateValue;
using python::ModuleObject;
using python::OptionalInt;
using python::OptionalString;
using python::PythonModule;
using python::Repr;
using python::Signature;
using python::ToStr;
using python::Value;

namespace {

using base::Result;
using ops::Type;
using Kind = Value::Kind;

// TypeDecorator's impl may itself be a TypeDecorator; each level calls back
// into TypeOf(). Real projects nest one or two levels.
constexpr int kMaxTypeDecoratorDepth = 8;

// The Python half of TypeDecorator: its __init__ keeps the arguments for
// the impl, as SQLAlchemy's does, and lets subclasses override __init__
// and call super().__init__(...).
constexpr char kTypeDecoratorSource[] = R"PY(
class TypeDecorator:
    _sqlmend_type_decorator = True
    cache_ok = None
    def __init__(self, *args, **kwargs):
        self._sqlmend_args = args
        self._sqlmend_kwargs = kwargs
)PY";

std::string WithLength(const std::string& word, std::optional<int> length) {
  return length ? word + "(" + std::to_string(*length) + ")" : word;
}

// precision/scale for NUMERIC-like upper-case types: "DECIMAL(10, 2)".
std::string WithPrecision(const std::string& word, std::optional<int> precision,
                          std::optional<int> scale) {
  if (!precision) return word;
  if (!scale) return word + "(" + std::to_string(*precision) + ")";
  return word + "(" + std::to_string(*precision) + ", " + std::to_string(*scale) + ")";
}

Signature Sig(const std::string& name, std::vector<std::string> positional,
              std::vector<std::string> ignored = {}) {
  return Signature{"sa." + name, std::move(positional), 0, false, {}, std::move(ignored)};
}

// A type that takes no arguments that matter on SQLite. `ignored` are its
// parameters in SQLAlchemy's order, positional or keyword
// (sa.LargeBinary(65536), sa.DateTime(timezone=True)).
TypeClassValue::Factory Fixed(const std::string& name, Type type,
                              std::vector<std::string> ignored = {}) {
  return [=](CallContext& c, const Args& a) -> Result<Type> {
    auto bound = BindArgs(c, Sig(name, ignored), a);
    if (!bound) return base::Fail(bound.error());
    return type;
  };
}

// String-like types: (length=None, collation=None, ...).
TypeClassValue::Factory StringLike(const std::string& name,
                                   std::function<Type(std::optional<int>)> make) {
  return [=](CallContext& c, const Args& a) -> Result<Type> {
    auto bound = BindArgs(
        c,
        Sig(name, {"length", "collation"},
            {"convert_unicode", "unicode_error", "_warn_on_bytestring", "_expect_unicode"}),
        a);
    if (!bound) return base::Fail(bound.error());
    auto collation = OptionalString(c, *bound, "sa." + name, "collation");
    if (!collation) return base::Fail(collation.error());
    auto length = OptionalInt(c, *bound, "sa." + name, "length");
    if (!length) return base::Fail(length.error());
    Type type = make(*length);
    type.collation = *collation;
    return type;
  };
}

// Where results of a Numeric-like type come back as Decimal: asdecimal=
// (default `asdecimal`), with decimal_return_scale, else the scale, else 10
// places (SQLAlchemy's _effective_decimal_return_scale).
Result<std::optional<int>> DecimalPlaces(CallContext& c, const python::BoundArgs& bound,
                                         const std::string& name, bool asdecimal,
                                         std::optional<int> scale) {
  if (const Value* given = bound.GetNotNone("asdecimal")) asdecimal = given->Truthy();
  if (!asdecimal) return std::optional<int>();
  auto places = OptionalInt(c, bound, "sa." + name, "decimal_return_scale");
  if (!places) return base::Fail(places.error());
  if (*places) return *places;
  return std::optional<int>(scale.value_or(10));
}

TypeClassValue::Factory NumericLike(
    const std::string& name, std::function<Type(std::optional<int>, std::optional<int>)> make) {
  return [=](CallContext& c, const Args& a) -> Result<Type> {
    auto bound =
        BindArgs(c, Sig(name, {"precision", "scale", "decimal_return_scale", "asdecimal"}), a);
    if (!bound) return base::Fail(bound.error());
    auto precision = OptionalInt(c, *bound, "sa." + name, "precision");
    if (!precision) return base::Fail(precision.error());
    auto scale = OptionalInt(c, *bound, "sa." + name, "scale");
    if (!scale) return base::Fail(scale.error());
    Type type = make(*precision, *scale);
    auto places = DecimalPlaces(c, *bound, name, true, *scale);
    if (!places) return base::Fail(places.error());
    type.decimal_places = *places;
    return type;
  };
}

TypeClassValue::Factory FloatLike(const std::string& name, Type type) {
  return [=](CallContext& c, const Args& a) -> Result<Type> {
    auto bound = BindArgs(c, Sig(name, {"precision", "asdecimal", "decimal_return_scale"}), a);
    if (!bound) return base::Fail(bound.error());
    auto precision = OptionalInt(c, *bound, "sa." + name, "precision");
    if (!precision) return base::Fail(precision.error());
    Type result = type;
    result.precision = *precision;
    auto places = DecimalPlaces(c, *bound, name, false, std::nullopt);
    if (!places) return base::Fail(places.error());
    result.decimal_places = *places;
    return result;
  };
}

TypeClassValue::Factory BooleanLike(const std::string& name) {
  return [=](CallContext& c, const Args& a) -> Result<Type> {
    auto bound = BindArgs(c, Sig(name, {"create_constraint", "name", "_create_events"}), a);
    if (!bound) return base::Fail(bound.error());
    auto constraint_name = OptionalString(c, *bound, "sa." + name, "name");
    if (!constraint_name) return base::Fail(constraint_name.error());
    return Type::Boolean(BoolOr(*bound, "create_constraint", false), *constraint_name);
  };
}

// The values of Enum(*enums): strings as given, or one Python enum class
// whose member names are the values (SQLAlchemy stores names, not values),
// or values_callable(enum_class).
Result<Type> MakeEnum(CallContext& c, const Args& a) {
  auto bound =
      BindArgs(c,
               Signature{"sa.Enum",
                         {},
                         0,
                         true,
                         {"name", "create_constraint", "native_enum", "length", "values_callable",
                          "validate_strings", "omit_aliases", "sort_key_function", "schema",
                          "metadata", "inherit_schema", "quote", "_create_events"},
                         {}},
               a);
  if (!bound) return base::Fail(bound.error());
  std::vector<std::string> values;
  std::optional<std::string> enum_class_name;
  for (const Value& item : bound->rest) {
    if (item.Is(Kind::kStr)) {
      values.push_back(item.AsStr());
      continue;
    }
    // A Python enum class: the modelled enum module's class is a host
    // object iterating its members (enum_module.h). Unnamed, the type
    // takes the class's name lower-cased, as SQLAlchemy names it.
    if (!enum_class_name) {
      if (auto class_name = c.GetAttr(item, "__name__"); class_name && class_name->Is(Kind::kStr)) {
        enum_class_name = class_name->AsStr();
      }
    }
    Value members_source = item;
    if (const Value* callable = bound->GetNotNone("values_callable")) {
      auto computed = c.Call(*callable, Args{{item}, {}});
      if (!computed) return base::Fail(computed.error());
      auto items = IterateValue(c, *computed);
      if (!items) return base::Fail(items.error());
      for (const Value& v : *items) {
        auto text = c.Text(v, false);
        if (!text) return base::Fail(text.error());
        values.push_back(*text);
      }
      continue;
    }
    auto members = IterateValue(c, members_source);
    if (!members) return base::Fail(members.error());
    for (const Value& member : *members) {
      auto name = c.GetAttr(member, "name");
      if (!name) return base::Fail(name.error());
      if (!name->Is(Kind::kStr)) {
        return base::Fail(c.Throw("TypeError", "sa.Enum(): enum member names must be str"));
      }
      values.push_back(name->AsStr());
    }
  }
  auto name = OptionalString(c, *bound, "sa.Enum", "name");
  if (!name) return base::Fail(name.error());
  if (!*name && enum_class_name) {
    std::string lowered = *enum_class_name;
    for (char& ch : lowered) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    *name = lowered;
  }
  if (const Value* schema = bound->GetNotNone("schema")) {
    (void)schema;
    return base::Fail(c.Unsupported("unsupported: schema= of sa.Enum()"));
  }
  Type type = Type::Enum(values, *name, BoolOr(*bound, "create_constraint", false),
                         BoolOr(*bound, "native_enum", true));
  auto length = OptionalInt(c, *bound, "sa.Enum", "length");
  if (!length) return base::Fail(length.error());
  if (*length) {
    // VARCHAR(n) is written from the longest value; another length would
    // change the DDL.
    Type probe = type;
    if (ops::CompileSqliteType(probe) != "VARCHAR(" + std::to_string(**length) + ")") {
      return base::Fail(
          c.Unsupported("unsupported: sa.Enum(length=...) other than the longest value's length"));
    }
  }
  return type;
}

struct TypeEntry {
  std::string name;
  TypeClassValue::Factory factory;
};

std::vector<TypeEntry> UpperCaseTypes() {
  auto raw_length = [](const std::string& word) {
    return StringLike(word,
                      [word](std::optional<int> n) { return Type::Raw(WithLength(word, n)); });
  };
  auto raw_precision = [](const std::string& word) {
    return NumericLike(word, [word](std::optional<int> p, std::optional<int> s) {
      return Type::Raw(WithPrecision(word, p, s));
    });
  };
  return {
      {"INTEGER", Fixed("INTEGER", Type::Integer())},
      {"INT", Fixed("INT", Type::Integer())},
      {"BIGINT", Fixed("BIGINT", Type::BigInteger())},
      {"SMALLINT", Fixed("SMALLINT", Type::SmallInteger())},
      {"VARCHAR", StringLike("VARCHAR", [](std::optional<int> n) { return Type::String(n); })},
      {"NVARCHAR", raw_length("NVARCHAR")},
      {"CHAR", raw_length("CHAR")},
      {"NCHAR", raw_length("NCHAR")},
      {"TEXT", StringLike("TEXT", [](std::optional<int> n) { return Type::Text(n); })},
      {"CLOB", raw_length("CLOB")},
      {"NUMERIC", NumericLike("NUMERIC", [](std::optional<int> p,
                                            std::optional<int> s) { return Type::Numeric(p, s); })},
      {"DECIMAL", raw_precision("DECIMAL")},
      {"FLOAT", FloatLike("FLOAT", Type::Float())},
      {"REAL", FloatLike("REAL", Type::Raw("REAL"))},
      {"BOOLEAN", BooleanLike("BOOLEAN")},
      {"DATETIME", Fixed("DATETIME", Type::DateTime(),
                         {"timezone", "storage_format", "regexp", "truncate_microseconds"})},
      {"DATE", Fixed("DATE", Type::Date(), {"storage_format", "regexp"})},
      {"TIME", Fixed("TIME", Type::Time(),
                     {"timezone", "storage_format", "regexp", "truncate_microseconds"})},
      {"TIMESTAMP", Fixed("TIMESTAMP", Type::Raw("TIMESTAMP"), {"timezone"})},
      {"BLOB", Fixed("BLOB", Type::LargeBinary(), {"length"})},
      {"BINARY", raw_length("BINARY")},
      {"VARBINARY", raw_length("VARBINARY")},
      {"JSON", Fixed("JSON", Type::Json(), {"none_as_null"})},
  };
}

std::vector<TypeEntry> GenericTypes() {
  return {
      {"Integer", Fixed("Integer", Type::Integer())},
      {"BigInteger", Fixed("BigInteger", Type::BigInteger())},
      {"SmallInteger", Fixed("SmallInteger", Type::SmallInteger())},
      {"String", StringLike("String", [](std::optional<int> n) { return Type::String(n); })},
      {"Unicode", StringLike("Unicode", [](std::optional<int> n) { return Type::Unicode(n); })},
      {"Text", StringLike("Text", [](std::optional<int> n) { return Type::Text(n); })},
      {"UnicodeText",
       StringLike("UnicodeText", [](std::optional<int> n) { return Type::Text(n); })},
      {"Boolean", BooleanLike("Boolean")},
      {"Enum", MakeEnum},
      {"DateTime", Fixed("DateTime", Type::DateTime(), {"timezone"})},
      {"Date", Fixed("Date", Type::Date())},
      {"Time", Fixed("Time", Type::Time(), {"timezone"})},
      {"Interval",
       Fixed("Interval", Type::DateTime(), {"native", "second_precision", "day_precision"})},
      {"Float", FloatLike("Float", Type::Float())},
      {"Numeric", NumericLike("Numeric", [](std::optional<int> p,
                                            std::optional<int> s) { return Type::Numeric(p, s); })},
      {"LargeBinary", Fixed("LargeBinary", Type::LargeBinary(), {"length"})},
      // SQLAlchemy 1.4's deprecated name for LargeBinary, still in old revisions.
      {"Binary", Fixed("LargeBinary", Type::LargeBinary(), {"length"})},
      {"PickleType",
       Fixed("PickleType", Type::LargeBinary(), {"protocol", "pickler", "comparator"})},
      {"JSON", Fixed("JSON", Type::Json(), {"none_as_null"})},
      // SQLAlchemy 2.0's, as its SQLite dialect compiles them.
      {"Uuid", Fixed("Uuid", Type::Raw("CHAR(32)"), {"as_uuid", "native_uuid"})},
      {"Double", Fixed("Double", Type::Raw("DOUBLE"), {"asdecimal", "decimal_return_scale"})},
  };
}

Result<Type> TypeOfDepth(CallContext& context, const Value& value, std::string_view what,
                         int depth);

bool IsTypeDecorator(const std::shared_ptr<ClassObject>& class_object) {
  return class_object->Lookup("_sqlmend_type_decorator") != nullptr;
}

// The type a TypeDecorator instance stands for on SQLite, GUID(32) -> CHAR(32):
// load_dialect_impl(dialect) when the class defines one, else the impl
// (called with the constructor's arguments when it is a class).
Result<Value> ImplOf(CallContext& context, const Value& instance) {
  const auto& class_object = instance.AsInstance().class_object;
  if (const Value* loader = class_object->Lookup("load_dialect_impl");
      loader != nullptr && loader->Is(Kind::kFunction)) {
    return context.Call(Value::BoundMethod(instance, *loader), Args{{SqliteDialectValue()}, {}});
  }
  const Value* impl = class_object->Lookup("impl");
  if (impl == nullptr) {
    return base::Fail(context.Throw("AssertionError",
                                    "TypeDecorator implementations require a "
                                    "class-level variable 'impl' which refers "
                                    "to the class of type being decorated"));
  }
  if (impl->Is(Kind::kHost) && dynamic_cast<TypeValue*>(&impl->AsHost()) != nullptr) return *impl;
  Args args;
  const auto& attributes = instance.AsInstance().attributes;
  if (auto it = attributes.find("_sqlmend_args");
      it != attributes.end() && it->second.IsSequence()) {
    args.positional = it->second.Items();
  }
  if (auto it = attributes.find("_sqlmend_kwargs");
      it != attributes.end() && it->second.Is(Kind::kDict)) {
    for (const auto& [key, v] : it->second.AsDict().entries)
      args.keywords.emplace_back(ToStr(key), v);
  }
  return context.Call(*impl, std::move(args));
}

Result<Type> DecoratedType(CallContext& context, const Value& instance, int depth) {
  auto impl = ImplOf(context, instance);
  if (!impl) return base::Fail(impl.error());
  const bool loaded = instance.AsInstance().class_object->Lookup("load_dialect_impl") != nullptr;
  return TypeOfDepth(context, *impl, loaded ? "load_dialect_impl()" : "impl", depth + 1);
}

Result<Type> TypeOfDepth(CallContext& context, const Value& value, std::string_view what,
                         int depth) {
  if (depth > kMaxTypeDecoratorDepth) {
    return base::Fail(context.Unsupported("unsupported: TypeDecorator nested deeper than " +
                                          std::to_string(kMaxTypeDecoratorDepth) + " levels"));
  }
  if (value.Is(Kind::kHost)) {
    if (auto* type = dynamic_cast<TypeValue*>(&value.AsHost())) return type->type();
    if (dynamic_cast<TypeClassValue*>(&value.AsHost()) != nullptr) {
      Args no_arguments;
      auto made = value.AsHost().Call(context, no_arguments);
      if (!made) return base::Fail(made.error());
      return TypeOfDepth(context, *made, what, depth);
    }
  }
  if (value.Is(Kind::kClass) && IsTypeDecorator(value.AsClass())) {
    auto made = context.Call(value, Args{});
    if (!made) return base::Fail(made.error());
    return TypeOfDepth(context, *made, what, depth);
  }
  if (value.Is(Kind::kInstance) && IsTypeDecorator(value.AsInstance().class_object)) {
    return DecoratedType(context, value, depth);
  }
  return base::Fail(context.Throw(
      "TypeError", std::string(what) + ": expected a SQLAlchemy type, got " + value.TypeName()));
}

class SqliteDialect : public HostObject {
 public:
  std::string TypeName() const override { return "SQLiteDialect_pysqlite"; }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "name") return Value::Str("sqlite");
    if (name == "driver") return Value::Str("pysqlite");
    if (name == "type_descriptor") {
      return Value::Builtin("type_descriptor", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "type_descriptor", a, 1, 1));
        return a.positional[0];
      });
    }
    if (name == "has_table") {
      // dialect.has_table(connection, table_name, schema=None): the
      // Inspector's answer, as Inspector.has_table() is the dialect's.
      return Value::Builtin("has_table", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "has_table", a, 2, 3, {"schema"}));
        BindValue* bind = AsBind(a.positional[0]);
        if (bind == nullptr) {
          return base::Fail(c.Throw("TypeError", "has_table() takes a connection, not " +
                                                     a.positional[0].TypeName()));
        }
        if (bind->live() == nullptr) return base::Fail(bind->DatabaseNeeded(c));
        auto has_table = c.GetAttr(MakeInspector(bind->live()), "has_table");
        if (!has_table) return has_table;
        Args rest;
        rest.positional.assign(a.positional.begin() + 1, a.positional.end());
        rest.keywords = a.keywords;
        return c.Call(*has_table, std::move(rest));
      });
    }
    return std::nullopt;
  }
};

// The database value of an enum member bound to Enum(EnumClass, ...): the
// value at the member's position among the class's members, which is its
// name, or what values_callable gave for it (MakeEnum keeps that order).
std::optional<std::string> EnumDatabaseValue(const Type& type, const Value& member) {
  if (!member.Is(Kind::kInstance) ||
      !member.AsInstance().attributes.contains("_sqlmend_enum_member")) {
    return std::nullopt;
  }
  // The class's members in definition order, aliases left out, as
  // iterating the enum class (and so values_callable) visits them
  // (enum_module.cc records the order in __sqlmend_order__).
  const auto& class_object = member.AsInstance().class_object;
  const Value& value = member.AsInstance().attributes.at("value");
  std::vector<Value> members;
  if (const Value* order = class_object->Lookup("__sqlmend_order__");
      order != nullptr && order->IsSequence()) {
    for (const Value& name : order->Items()) {
      if (!name.Is(Kind::kStr)) continue;
      auto it = class_object->attributes.find(name.AsStr());
      if (it == class_object->attributes.end() || !it->second.Is(Kind::kInstance)) continue;
      const auto& attributes = it->second.AsInstance().attributes;
      if (attributes.contains("_sqlmend_enum_member") && !attributes.contains("_sqlmend_alias")) {
        members.push_back(it->second);
      }
    }
  }
  if (members.size() == type.enum_values.size()) {
    for (size_t i = 0; i < members.size(); ++i) {
      // An alias binds as the member it stands for, the first with its value.
      if (Equals(members[i].AsInstance().attributes.at("value"), value)) {
        return type.enum_values[i];
      }
    }
  }
  return ToStr(member.AsInstance().attributes.at("name"));
}

// The bind processors of SQLAlchemy 1.4's types on SQLite (the pysqlite
// dialect's colspecs) applied to `value`; see BindLiteral() in sa_types.h.
// A Decimal bound to a Numeric-like column: float(value) (pysqlite has no
// native decimal), written as str(value) by Numeric's literal processor.
Result<ops::Literal> DecimalLiteral(CallContext& context, const Value& value) {
  auto real = context.CallSpecialMethod(value, "__float__", {});
  if (!real) return base::Fail(real.error());
  ops::Literal literal = ops::Literal::Float((*real)->AsFloat());
  literal.literal_sql = AsDecimal(value)->number().Text();
  return literal;
}

// Upper-case and dialect types of Numeric's family that the sqlalchemy
// module keeps as raw SQL (REAL, DOUBLE, DECIMAL(p, s)).
bool IsRawNumeric(const Type& type) {
  if (type.kind != Type::Kind::kRaw) return false;
  for (std::string_view word : {"REAL", "DOUBLE", "FLOAT", "NUMERIC", "DECIMAL"}) {
    if (type.raw.starts_with(word)) return true;
  }
  return false;
}

Result<ops::Literal> ProcessForType(CallContext& context, const Type& type, const Value& value) {
  if (value.IsNone() && type.kind != Type::Kind::kJson) return ops::Literal::Null();
  const DateTimeValue* moment = AsDateTime(value);
  using DtKind = DateTimeValue::Kind;
  switch (type.kind) {
    case Type::Kind::kBoolean:
      // Boolean's strict processor: bool, or the ints 0 and 1.
      if (value.Is(Kind::kBool)) return ops::Literal::Int(value.AsBool() ? 1 : 0);
      if (value.Is(Kind::kInt)) {
        if (value.AsInt() == 0 || value.AsInt() == 1) return ops::Literal::Int(value.AsInt());
        return base::Fail(
            context.Throw("ValueError", "Value " + Repr(value) + " is not None, True, or False"));
      }
      return base::Fail(context.Throw("TypeError", "Not a boolean value: " + Repr(value)));
    case Type::Kind::kFloat:
    case Type::Kind::kNumeric:
      // pysqlite has no native decimal: Numeric and Float bind float(value);
      // their literal processor writes str(value).
      if (AsDecimal(value) != nullptr) return DecimalLiteral(context, value);
      if (value.IsNumber()) {
        ops::Literal literal = ops::Literal::Float(value.AsFloat());
        if (value.Is(Kind::kBool)) {
          literal.literal_sql = value.AsBool() ? "True" : "False";
        } else if (value.Is(Kind::kInt)) {
          literal.literal_sql = std::to_string(value.AsInt());
        }
        return literal;
      }
      break;
    case Type::Kind::kEnum:
      if (auto text = EnumDatabaseValue(type, value)) return ops::Literal::Text(*text);
      break;
    case Type::Kind::kDateTime:
      if (moment != nullptr && moment->kind() == DtKind::kDateTime) {
        return ops::Literal::Text(moment->DateText() + " " + moment->TimeText());
      }
      if (moment != nullptr && moment->kind() == DtKind::kDate) {
        return ops::Literal::Text(moment->DateText() + " 00:00:00.000000");
      }
      return base::Fail(context.Throw(
          "TypeError",
          "SQLite DateTime type only accepts Python datetime and date objects as input."));
    case Type::Kind::kDate:
      if (moment != nullptr &&
          (moment->kind() == DtKind::kDate || moment->kind() == DtKind::kDateTime)) {
        return ops::Literal::Text(moment->DateText());
      }
      return base::Fail(context.Throw(
          "TypeError", "SQLite Date type only accepts Python date objects as input."));
    case Type::Kind::kTime:
      if (moment != nullptr && moment->kind() == DtKind::kTime) {
        return ops::Literal::Text(moment->TimeText());
      }
      return base::Fail(context.Throw(
          "TypeError", "SQLite Time type only accepts Python time objects as input."));
    default:
      if (IsRawNumeric(type) && AsDecimal(value) != nullptr) return DecimalLiteral(context, value);
      break;
  }
  return LiteralOf(context, value, &type);
}

// `type_value` as an instance: a type class (sa.String) or a TypeDecorator
// subclass called with no arguments, as a Column does; the value itself
// otherwise. Fails past kMaxTypeDecoratorDepth levels of TypeDecorator.
Result<Value> TypeInstance(CallContext& context, const Value& type_value, int depth) {
  if (depth > kMaxTypeDecoratorDepth) {
    return base::Fail(context.Unsupported("unsupported: TypeDecorator nested deeper than " +
                                          std::to_string(kMaxTypeDecoratorDepth) + " levels"));
  }
  if (type_value.Is(Kind::kHost) &&
      dynamic_cast<TypeClassValue*>(&type_value.AsHost()) != nullptr) {
    Args no_arguments;
    return type_value.AsHost().Call(context, no_arguments);
  }
  if (type_value.Is(Kind::kClass) && IsTypeDecorator(type_value.AsClass())) {
    return context.Call(type_value, Args{});
  }
  return type_value;
}

// Interval on SQLite (no native interval): a DATETIME holding the epoch
// plus the timedelta, as SQLAlchemy's Interval stores and reads it.
Value IntervalEpoch() {
  DateTimeValue::Parts epoch;
  epoch.year = 1970;
  return Value::Host(std::make_shared<DateTimeValue>(DateTimeValue::Kind::kDateTime, epoch));
}

bool IsInterval(const TypeValue& type) { return type.TypeName() == "Interval"; }

Result<ops::Literal> BindLiteralDepth(CallContext& context, const Value& given,
                                      const Value& value, int depth) {
  auto instance = TypeInstance(context, given, depth);
  if (!instance) return base::Fail(instance.error());
  const Value& type_value = *instance;
  if (type_value.IsNone()) return LiteralOf(context, value);
  if (type_value.Is(Kind::kHost)) {
    if (auto* type = dynamic_cast<TypeValue*>(&type_value.AsHost())) {
      const DateTimeValue* delta = AsDateTime(value);
      if (IsInterval(*type) && delta != nullptr &&
          delta->kind() == DateTimeValue::Kind::kTimedelta) {
        auto moment = context.Operate("+", IntervalEpoch(), value);
        if (!moment) return base::Fail(moment.error());
        return ProcessForType(context, type->type(), *moment);
      }
      return ProcessForType(context, type->type(), value);
    }
  }
  if (type_value.Is(Kind::kInstance) && IsTypeDecorator(type_value.AsInstance().class_object)) {
    // TypeDecorator: process_bind_param(value, dialect), None included,
    // then the impl's own processing of what it returned.
    Value processed = value;
    if (const Value* process = type_value.AsInstance().class_object->Lookup("process_bind_param");
        process != nullptr && process->Is(Kind::kFunction)) {
      auto result = context.Call(Value::BoundMethod(type_value, *process),
                                 Args{{value, SqliteDialectValue()}, {}});
      if (!result) return base::Fail(result.error());
      processed = std::move(*result);
    }
    auto impl = ImplOf(context, type_value);
    if (!impl) return base::Fail(impl.error());
    return BindLiteralDepth(context, *impl, processed, depth + 1);
  }
  return base::Fail(
      context.Throw("TypeError", "expected a SQLAlchemy type, got " + type_value.TypeName()));
}

}  // namespace

Result<ops::Literal> BindLiteral(CallContext& context, const Value& type_value,
                                 const Value& value) {
  if (auto stop = python::PlaceholderStop(context, value, "a value written to the database")) {
    return base::Fail(*stop);
  }
  return BindLiteralDepth(context, type_value, value, 0);
}

namespace {

Value RawValueOf(const Cell& cell) {
  switch (cell.kind) {
    case Cell::Kind::kNull:
      return Value::None();
    case Cell::Kind::kInt:
      return Value::Int(cell.integer);
    case Cell::Kind::kFloat:
      return Value::Float(cell.real);
    case Cell::Kind::kText:
      return Value::Str(cell.text);
    case Cell::Kind::kBlob:
      // pysqlite returns a BLOB as bytes.
      return Value::Bytes(cell.text);
  }
  return Value::None();
}

// Reads up to `width` digits of `text` from `at`; false when there are none.
bool ReadNumber(std::string_view text, size_t& at, size_t width, int& out) {
  size_t start = at;
  out = 0;
  while (at < text.size() && at - start < width && text[at] >= '0' && text[at] <= '9') {
    out = out * 10 + (text[at++] - '0');
  }
  return at > start;
}

// SQLite's DATETIME / DATE / TIME text as SQLAlchemy's regexes read it:
// "YYYY-MM-DD[ HH:MM:SS[.ffffff]]" (a "T" separator too), "HH:MM:SS[.f]".
std::optional<DateTimeValue::Parts> ParseMoment(std::string_view text, bool date, bool time) {
  DateTimeValue::Parts parts;
  size_t at = 0;
  auto expect = [&](char c) {
    if (at < text.size() && text[at] == c) {
      ++at;
      return true;
    }
    return false;
  };
  if (date) {
    if (!ReadNumber(text, at, 4, parts.year) || !expect('-') ||
        !ReadNumber(text, at, 2, parts.month) || !expect('-') ||
        !ReadNumber(text, at, 2, parts.day)) {
      return std::nullopt;
    }
    if (!time || at == text.size()) return parts;
    if (!expect(' ') && !expect('T')) return std::nullopt;
  }
  if (!ReadNumber(text, at, 2, parts.hour) || !expect(':') ||
      !ReadNumber(text, at, 2, parts.minute)) {
    return std::nullopt;
  }
  if (expect(':') && !ReadNumber(text, at, 2, parts.second)) return std::nullopt;
  if (expect('.')) {
    size_t start = at;
    int fraction = 0;
    if (!ReadNumber(text, at, 6, fraction)) return std::nullopt;
    for (size_t digits = at - start; digits < 6; ++digits) fraction *= 10;
    parts.microsecond = fraction;
  }
  return parts;
}

Result<Value> ResultForType(CallContext& context, const Type& type, const Cell& cell) {
  Value raw = RawValueOf(cell);
  if (raw.IsNone()) return raw;
  if (type.decimal_places) {
    // SQLAlchemy's to_decimal_processor_factory: Decimal("%.<n>f" % value),
    // a TypeError for text.
    auto text = python::PercentFormat(context, "%." + std::to_string(*type.decimal_places) + "f",
                                      raw);
    if (!text) return base::Fail(text.error());
    return python::DecimalFromText(context, *text);
  }
  using DtKind = DateTimeValue::Kind;
  switch (type.kind) {
    case Type::Kind::kBoolean:
      if (raw.Is(Kind::kInt)) return Value::Bool(raw.AsInt() != 0);
      return raw;
    case Type::Kind::kDateTime:
    case Type::Kind::kDate:
    case Type::Kind::kTime: {
      if (!raw.Is(Kind::kStr)) return raw;
      const bool date = type.kind != Type::Kind::kTime;
      const bool time = type.kind != Type::Kind::kDate;
      auto parts = ParseMoment(raw.AsStr(), date, time);
      if (!parts) {
        return base::Fail(context.Throw(
            "ValueError", "Couldn't parse " +
                              std::string(type.kind == Type::Kind::kDate   ? "date"
                                          : type.kind == Type::Kind::kTime ? "time"
                                                                           : "datetime") +
                              " string: '" + raw.AsStr() + "'"));
      }
      const DtKind kind = type.kind == Type::Kind::kDate   ? DtKind::kDate
                          : type.kind == Type::Kind::kTime ? DtKind::kTime
                                                           : DtKind::kDateTime;
      return Value::Host(std::make_shared<DateTimeValue>(kind, *parts));
    }
    case Type::Kind::kJson: {
      if (!raw.Is(Kind::kStr)) return raw;
      auto loads = context.GetAttr(python::MakeJsonModule(), "loads");
      if (!loads) return base::Fail(loads.error());
      return context.Call(*loads, Args{{raw}, {}});
    }
    default:
      return raw;
  }
}

Result<Value> ResultValueDepth(CallContext& context, const Value& given, const Cell& cell,
                               int depth) {
  auto instance = TypeInstance(context, given, depth);
  if (!instance) return instance;
  const Value& type_value = *instance;
  if (type_value.IsNone()) return RawValueOf(cell);
  if (type_value.Is(Kind::kHost)) {
    if (auto* type = dynamic_cast<TypeValue*>(&type_value.AsHost())) {
      auto value = ResultForType(context, type->type(), cell);
      if (!value || !IsInterval(*type) || value->IsNone()) return value;
      return context.Operate("-", *value, IntervalEpoch());
    }
  }
  if (type_value.Is(Kind::kInstance) && IsTypeDecorator(type_value.AsInstance().class_object)) {
    // The impl's processing first, then process_result_value(value,
    // dialect), None included, as SQLAlchemy chains them.
    auto impl = ImplOf(context, type_value);
    if (!impl) return base::Fail(impl.error());
    auto value = ResultValueDepth(context, *impl, cell, depth + 1);
    if (!value) return value;
    const Value* process = type_value.AsInstance().class_object->Lookup("process_result_value");
    if (process == nullptr || !process->Is(Kind::kFunction)) return value;
    return context.Call(Value::BoundMethod(type_value, *process),
                        Args{{*value, SqliteDialectValue()}, {}});
  }
  return RawValueOf(cell);
}

}  // namespace

Result<Value> ToTypeInstance(CallContext& context, const Value& value) {
  return TypeInstance(context, value, 0);
}

Result<Value> ResultValueOf(CallContext& context, const Value& type_value, const Cell& cell) {
  return ResultValueDepth(context, type_value, cell, 0);
}

Value InferredTypeOf(const Value& value) {
  std::optional<Type> type;
  if (value.Is(Kind::kBool))
    type = Type::Boolean();
  else if (value.Is(Kind::kFloat))
    type = Type::Float();
  else if (AsDecimal(value) != nullptr) {
    type = Type::Numeric();  // asdecimal, 10 places
    type->decimal_places = 10;
  }
  else if (const DateTimeValue* moment = AsDateTime(value)) {
    switch (moment->kind()) {
      case DateTimeValue::Kind::kDateTime:
        type = Type::DateTime();
        break;
      case DateTimeValue::Kind::kDate:
        type = Type::Date();
        break;
      case DateTimeValue::Kind::kTime:
        type = Type::Time();
        break;
      case DateTimeValue::Kind::kTimedelta:
        break;
    }
  }
  if (!type) return Value::None();
  return Value::Host(std::make_shared<TypeValue>("Inferred", *type));
}

std::string TypeValue::Repr() const { return class_name_ + "()"; }

std::optional<Result<Value>> TypeValue::GetAttribute(CallContext&, std::string_view name) {
  if (name == "length") {
    return type_.length ? Value::Int(*type_.length) : Value::None();
  }
  if (name == "name") return type_.name ? Value::Str(*type_.name) : Value::None();
  if (name == "enums") {
    std::vector<Value> values;
    for (const std::string& v : type_.enum_values) values.push_back(Value::Str(v));
    return Value::List(std::move(values));
  }
  // SchemaType.create(bind, checkfirst=False) and drop(): the CREATE TYPE of
  // a native enum, which SQLite has not (its Enum and Boolean are a column
  // type and a CHECK), so nothing is run, as SQLAlchemy runs nothing there.
  if ((name == "create" || name == "drop") &&
      (class_name_ == "Enum" || class_name_ == "Boolean" || class_name_ == "ENUM")) {
    return Value::Builtin(
        std::string(name), [name = std::string(name)](CallContext& c, Args& a) -> Result<Value> {
          auto bound = python::BindArgs(
              c, python::Signature{name, {"bind", "checkfirst"}, 1, false, {}, {}}, a);
          if (!bound) return base::Fail(bound.error());
          return Value::None();
        });
  }
  if (name == "with_variant") {
    Value self = Value::Host(std::make_shared<TypeValue>(*this));
    return Value::Builtin("with_variant", [self](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "with_variant", a, 2, 2));
      if (a.positional[1].Is(Kind::kStr) && a.positional[1].AsStr() == "sqlite") {
        auto type = TypeOf(c, a.positional[0], "with_variant()");
        if (!type) return base::Fail(type.error());
        return Value::Host(std::make_shared<TypeValue>("Variant", *type));
      }
      return self;
    });
  }
  return std::nullopt;
}

void AddDialectTypeClasses(ModuleObject& module,
                           const std::function<bool(const Value&)>& replaceable) {
  // Keywords of MySQL's and PostgreSQL's type constructors that change
  // nothing in SQLite's DDL (SQLite's compiler ignores them).
  static const char* const kDialectOnly[] = {"display_width", "unsigned", "zerofill",
                                             "charset",       "national", "binary",
                                             "ascii",         "unicode",  "fsp",
                                             "retrieve_as_bitwise"};
  ModuleObject generic;
  AddTypeClasses(generic, false);
  // NOTE: no structured binding: clang before 16 cannot capture one.
  for (const auto& attribute : generic.attributes) {
    const std::string& name = attribute.first;
    const Value& value = attribute.second;
    if (name.empty() || std::any_of(name.begin(), name.end(), [](char ch) {
          return ch >= 'a' && ch <= 'z';
        })) {
      continue;
    }
    auto it = module.attributes.find(name);
    if (it == module.attributes.end() || !replaceable(it->second)) continue;
    Value generic_class = value;
    it->second = Value::Host(std::make_shared<TypeClassValue>(
        name, [generic_class, name](CallContext& c, const Args& args) -> Result<Type> {
          Args kept;
          kept.positional = args.positional;
          for (const auto& [key, argument] : args.keywords) {
            if (std::find(std::begin(kDialectOnly), std::end(kDialectOnly), key) ==
                std::end(kDialectOnly)) {
              kept.keywords.emplace_back(key, argument);
            }
          }
          auto made = generic_class.AsHost().Call(c, kept);
          if (!made) return base::Fail(made.error());
          return TypeOf(c, *made, name);
        }));
  }
  // The dialect's own types SQLAlchemy 1.4's SQLite type compiler cannot
  // render (UnsupportedCompilationError): a Type that stands where no DDL
  // is written and fails where it would be.
  static const std::vector<std::string> kPostgresql = {
      "ARRAY",     "BIT",      "BYTEA", "CIDR",  "DATERANGE", "DOUBLE_PRECISION", "HSTORE",
      "INET",      "INT4RANGE", "INT8RANGE", "INTERVAL", "JSONB", "MACADDR", "MACADDR8",
      "MONEY",     "NUMRANGE", "OID",   "REGCLASS", "TSRANGE", "TSTZRANGE", "TSVECTOR", "UUID"};
  static const std::vector<std::string> kMysql = {
      "BIT",      "DOUBLE",   "ENUM",     "LONGBLOB", "LONGTEXT", "MEDIUMBLOB", "MEDIUMINT",
      "MEDIUMTEXT", "SET",    "TINYBLOB", "TINYINT",  "TINYTEXT", "YEAR"};
  const std::vector<std::string>& unrenderable =
      module.name == "sqlalchemy.dialects.mysql" ? kMysql : kPostgresql;
  for (const std::string& name : unrenderable) {
    auto it = module.attributes.find(name);
    if (it == module.attributes.end() || !replaceable(it->second)) continue;
    const std::string type_name = name;
    it->second = Value::Host(std::make_shared<TypeClassValue>(
        type_name, [type_name](CallContext&, const Args&) -> Result<Type> {
          return Type::Unrenderable(type_name);
        }));
  }
}

std::optional<Result<Value>> TypeClassValue::GetAttribute(CallContext&, std::string_view name) {
  if (name == "__name__") return Value::Str(name_);
  return std::nullopt;
}

Result<Value> TypeClassValue::Call(CallContext& context, Args& args) {
  auto type = factory_(context, args);
  if (!type) return base::Fail(type.error());
  return Value::Host(std::make_shared<TypeValue>(name_, std::move(*type)));
}

Result<Type> TypeOf(CallContext& context, const Value& value, std::string_view what) {
  return TypeOfDepth(context, value, what, 0);
}

bool IsTypeValue(const Value& value) {
  if (value.Is(Kind::kHost)) {
    return dynamic_cast<TypeValue*>(&value.AsHost()) != nullptr ||
           dynamic_cast<TypeClassValue*>(&value.AsHost()) != nullptr;
  }
  if (value.Is(Kind::kClass)) return IsTypeDecorator(value.AsClass());
  if (value.Is(Kind::kInstance)) return IsTypeDecorator(value.AsInstance().class_object);
  return false;
}

Value TypeClassNamed(std::string_view name) {
  for (const auto& entries : {GenericTypes(), UpperCaseTypes()}) {
    for (const TypeEntry& entry : entries) {
      if (entry.name == name) {
        return Value::Host(std::make_shared<TypeClassValue>(entry.name, entry.factory));
      }
    }
  }
  return Value::None();
}

void AddTypeClasses(ModuleObject& module, bool sqlite_dialect) {
  auto add = [&](const std::vector<TypeEntry>& entries) {
    for (const TypeEntry& entry : entries) {
      module.attributes[entry.name] =
          Value::Host(std::make_shared<TypeClassValue>(entry.name, entry.factory));
    }
  };
  add(UpperCaseTypes());
  if (!sqlite_dialect) add(GenericTypes());
}

Result<Value> MakeTypeDecoratorClass(Interpreter& interpreter) {
  auto prelude = python::EmbeddedModule(kTypeDecoratorSource, "<sqlalchemy.types>");
  if (!prelude) return base::Fail(prelude.error());
  auto module = interpreter.RunModule(**prelude, "sqlalchemy.types._sqlmend_prelude");
  if (!module) return module;
  return interpreter.GetAttr(*module, "TypeDecorator");
}

Value SqliteDialectValue() { return Value::Host(std::make_shared<SqliteDialect>()); }

}  // namespace sqlmend::sqlalchemy
