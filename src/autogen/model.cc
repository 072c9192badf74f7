#include "autogen/model.h"

#include <cctype>
#include <memory>
#include <set>
#include <utility>

#include "python/format.h"
#include "python/placeholder.h"
#include "sqlalchemy/schema.h"
#include "sqlalchemy/sqlalchemy.h"
#include "sqlalchemy/types.h"

namespace sqlmend::autogen {
namespace {

using base::Fail;
using base::Result;
using base::Status;
using python::Value;
using VKind = Value::Kind;


// "NAME(a, b)" -> {"a", "b"}.
std::vector<std::string> RawArguments(const std::string& raw) {
  std::vector<std::string> out;
  size_t open = raw.find('(');
  size_t close = raw.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return out;
  std::string term;
  for (size_t i = open + 1; i <= close; ++i) {
    char c = raw[i];
    if (c == ',' || i == close) {
      size_t b = term.find_first_not_of(' ');
      size_t e = term.find_last_not_of(' ');
      if (b != std::string::npos) out.push_back(term.substr(b, e - b + 1));
      term.clear();
    } else {
      term += c;
    }
  }
  return out;
}

std::string RawName(const std::string& raw) {
  std::string name = raw.substr(0, raw.find('('));
  while (!name.empty() && name.back() == ' ') name.pop_back();
  return name;
}

bool IsDigits(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The keyword arguments SQLAlchemy's generic repr shows for a type of
// class `name` whose SQL arguments are `args` (the ones given, positional).
std::string ArgumentsFor(const std::string& name, const std::vector<std::string>& args) {
  static const std::set<std::string> kLength = {"VARCHAR", "CHAR",  "NVARCHAR", "NCHAR",
                                                "TEXT",    "CLOB",  "String",   "Unicode",
                                                "Text",    "UnicodeText", "BINARY", "VARBINARY"};
  static const std::set<std::string> kPrecisionScale = {"NUMERIC", "DECIMAL", "Numeric"};
  static const std::set<std::string> kPrecision = {"FLOAT", "Float", "REAL", "DOUBLE",
                                                   "DOUBLE_PRECISION"};
  std::vector<std::string> keywords;
  if (kLength.count(name) && !args.empty() && IsDigits(args[0])) {
    keywords.push_back("length=" + args[0]);
  } else if (kPrecisionScale.count(name)) {
    if (!args.empty() && IsDigits(args[0])) keywords.push_back("precision=" + args[0]);
    if (args.size() > 1 && IsDigits(args[1])) keywords.push_back("scale=" + args[1]);
  } else if (kPrecision.count(name) && !args.empty() && IsDigits(args[0])) {
    keywords.push_back("precision=" + args[0]);
  }
  std::string out;
  for (const auto& k : keywords) out += (out.empty() ? "" : ", ") + k;
  return out;
}

// The SQL arguments an ops::Type carries.
std::vector<std::string> TypeArguments(const ops::Type& type) {
  using TK = ops::Type::Kind;
  switch (type.kind) {
    case TK::kString:
    case TK::kText:
      if (type.length) return {std::to_string(*type.length)};
      return {};
    case TK::kNumeric: {
      std::vector<std::string> out;
      if (type.precision) out.push_back(std::to_string(*type.precision));
      if (type.precision && type.scale) out.push_back(std::to_string(*type.scale));
      return out;
    }
    case TK::kFloat:
      if (type.precision) return {std::to_string(*type.precision)};
      return {};
    case TK::kRaw:
      return RawArguments(type.raw);
    default:
      return {};
  }
}

// The class name ArgumentsFor() knows a type's arguments by.
std::string ImplClassName(const ops::Type& type) {
  using TK = ops::Type::Kind;
  switch (type.kind) {
    case TK::kString: return "String";
    case TK::kText: return "Text";
    case TK::kNumeric: return "Numeric";
    case TK::kFloat: return "Float";
    case TK::kRaw: return RawName(type.raw);
    default: return "";
  }
}

// A type instance of SQLAlchemy's own (TypeValue) written as Alembic does.
std::string SqlalchemyTypeRepr(const std::string& class_name, const ops::Type& type) {
  if (type.kind == ops::Type::Kind::kEnum) {
    std::string out = "sa.Enum(";
    for (size_t i = 0; i < type.enum_values.size(); ++i) {
      out += (i ? ", " : "") + PythonStr(type.enum_values[i]);
    }
    if (type.name) out += std::string(type.enum_values.empty() ? "" : ", ") + "name=" + PythonStr(*type.name);
    if (type.create_constraint) out += ", create_constraint=True";
    return out + ")";
  }
  if (type.IsNull()) return "sa.NullType()";
  return "sa." + class_name + "(" + ArgumentsFor(class_name, TypeArguments(type)) + ")";
}

Result<ModelColumnType> ColumnTypeRepr(const sqlalchemy::ColumnValue& column) {
  const Value& value = column.type_value;
  if (value.Is(VKind::kHost)) {
    if (auto* type = dynamic_cast<const sqlalchemy::TypeValue*>(&value.AsHost())) {
      return ModelColumnType{SqlalchemyTypeRepr(type->TypeName(), column.column.type), {}};
    }
    if (auto* type_class = dynamic_cast<const sqlalchemy::TypeClassValue*>(&value.AsHost())) {
      return ModelColumnType{SqlalchemyTypeRepr(type_class->name(), column.column.type), {}};
    }
  }
  if (value.Is(VKind::kInstance) || value.Is(VKind::kClass)) {
    const auto& class_object =
        value.Is(VKind::kInstance) ? value.AsInstance().class_object : value.AsClass();
    std::string module;
    if (const Value* found = class_object->Lookup("__module__"); found && found->Is(VKind::kStr)) {
      module = found->AsStr();
    }
    // SQLAlchemy's repr of a TypeDecorator shows its impl's arguments.
    std::string arguments = "(";
    arguments += ArgumentsFor(ImplClassName(column.column.type), TypeArguments(column.column.type));
    arguments += ")";
    if (module.empty() || module == "__main__") {
      return ModelColumnType{class_object->name + arguments, {}};
    }
    return ModelColumnType{module + "." + class_object->name + arguments, {"import " + module}};
  }
  return ModelColumnType{SqlalchemyTypeRepr("NullType", column.column.type), {}};
}

Status AddMetaData(const Value& value, Model& model, bool first, const std::string& env_path) {
  const sqlalchemy::MetaDataValue* metadata = sqlalchemy::AsMetaData(value);
  if (metadata == nullptr && value.Is(VKind::kClass)) {
    if (const Value* found = value.AsClass()->Lookup("metadata")) {
      metadata = sqlalchemy::AsMetaData(*found);
    }
  }
  if (metadata == nullptr) {
    // A placeholder (Flask-Migrate's current_app...db.metadata) names the
    // module that is missing.
    const std::string what =
        python::IsPlaceholder(value) ? python::DescribePlaceholder(value) : "a " + value.TypeName();
    return Status::Refused(env_path, "target_metadata is " + what +
                                         ", not a MetaData: autogenerate has no models to compare");
  }
  if (first) model.metadata = metadata->metadata;
  for (const auto& table : metadata->tables) {
    if (table->lightweight) continue;
    ModelTable out;
    out.table = table->table;
    for (const auto& column : out.table.columns) {
      ModelColumnType repr{"sa.NullType()", {}};
      for (const auto& value_column : table->columns) {
        if (value_column->column.name != column.name) continue;
        auto found = ColumnTypeRepr(*value_column);
        if (!found) return found.error();
        repr = std::move(*found);
      }
      out.types.push_back(std::move(repr));
    }
    model.tables.push_back(std::move(out));
  }
  return Status::Ok();
}

}  // namespace

std::string PythonStr(const std::string& text) { return python::Repr(Value::Str(text)); }

Result<Model> ModelOf(const Value& target_metadata, const std::string& env_path) {
  if (target_metadata.IsNone()) {
    return Fail(Status::Refused(
        "",
        "Can't proceed with --autogenerate option; environment script " + env_path +
            " does not provide a MetaData object or sequence of objects to the context."));
  }
  Model model;
  if (target_metadata.IsSequence()) {
    bool first = true;
    for (const Value& item : target_metadata.Items()) {
      SQLMEND_RETURN_IF_ERROR(AddMetaData(item, model, first, env_path));
      first = false;
    }
    return model;
  }
  SQLMEND_RETURN_IF_ERROR(AddMetaData(target_metadata, model, true, env_path));
  return model;
}

ModelColumnType ReflectedTypeRepr(const ops::Type& type) {
  if (type.IsNull()) return {"sa.NullType()", {}};
  const std::string raw = ops::CompileSqliteType(type);
  std::string name = RawName(raw);
  for (char& c : name) {
    if (c == ' ') c = '_';
  }
  const std::string arguments = ArgumentsFor(name, RawArguments(raw));
  // SQLAlchemy's SQLite dialect reflects these as its own classes.
  static const std::set<std::string> kSqliteTypes = {"JSON"};
  if (kSqliteTypes.count(name)) {
    return {"sqlite." + name + "(" + arguments + ")", {"from sqlalchemy.dialects import sqlite"}};
  }
  return {"sa." + name + "(" + arguments + ")", {}};
}

ObjectFilter EnvFilter(const Value& include_object, const Value& include_name, PythonCall call) {
  ObjectFilter filter;
  if (include_object.IsNone() && include_name.IsNone()) return filter;
  filter.include = [include_object, include_name, call](
                       const std::string& kind, const std::string& name, const std::string& table,
                       bool reflected) -> Result<bool> {
    if (reflected && !include_name.IsNone()) {
      Value parents = Value::Dict();
      if (kind != "table") parents.AsDict().Set(Value::Str("table_name"), Value::Str(table));
      parents.AsDict().Set(Value::Str("schema_name"), Value::None());
      auto kept = call(include_name, python::Args{{Value::Str(name), Value::Str(kind), parents}, {}});
      if (!kept) return Fail(kept.error());
      if (!kept->Truthy()) return false;
    }
    if (include_object.IsNone()) return true;
    Value object;
    if (kind == "table") {
      ops::Table t;
      t.name = name;
      object = Value::Host(std::make_shared<sqlalchemy::TableValue>(std::move(t)));
    } else if (kind == "column") {
      ops::Column c;
      c.name = name;
      auto column = std::make_shared<sqlalchemy::ColumnValue>(std::move(c), true, 0);
      column->table = table;
      object = Value::Host(std::move(column));
    } else if (kind == "index") {
      ops::Index i;
      i.name = ops::ConstraintName::Of(name);
      i.table = table;
      object = Value::Host(std::make_shared<sqlalchemy::IndexValue>(std::move(i)));
    } else {
      ops::Constraint c;
      if (kind == "foreign_key_constraint") {
        c.kind = ops::Constraint::Kind::kForeignKey;
        c.foreign_key.name = ops::ConstraintName::Of(name);
      } else {
        c.unique.name = ops::ConstraintName::Of(name);
      }
      object = Value::Host(std::make_shared<sqlalchemy::ConstraintValue>(std::move(c)));
    }
    auto kept = call(include_object, python::Args{{object, Value::Str(name), Value::Str(kind),
                                                   Value::Bool(reflected), Value::None()},
                                                  {}});
    if (!kept) return Fail(kept.error());
    return kept->Truthy();
  };
  return filter;
}

}  // namespace sqlmend::autogen
