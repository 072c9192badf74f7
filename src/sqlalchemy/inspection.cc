#include "sqlalchemy/inspection.h"

#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ops/sql_type.h"
#include "python/args.h"
#include "python/builtins.h"
#include "sqlalchemy/public_names.h"
#include "sqlalchemy/types.h"

namespace sqlmend::sqlalchemy {

using python::Args;
using python::CallContext;
using python::CheckArgs;
using python::HostObject;
using python::ModuleObject;
using python::Value;

namespace {

using base::Result;
using Kind = Value::Kind;

Value Text(const std::string& text) { return Value::Str(text); }

Value OptionalName(const ops::ConstraintName& name) {
  return name.value ? Value::Str(*name.value) : Value::None();
}

Value Names(const std::vector<std::string>& names) {
  std::vector<Value> out;
  out.reserve(names.size());
  for (const std::string& name : names) out.push_back(Value::Str(name));
  return Value::List(std::move(out));
}

Value Dict(std::vector<std::pair<std::string, Value>> entries) {
  Value dict = Value::Dict();
  for (auto& [key, value] : entries) dict.AsDict().Set(Value::Str(key), std::move(value));
  return dict;
}

// A server default's text as the dialect reflects it (PRAGMA
// table_info's dflt_value): quotes kept, no parentheses added.
Value DefaultText(const std::optional<ops::ServerDefault>& server_default) {
  if (!server_default) return Value::None();
  return Value::Str(server_default->text);
}

class InspectorValue : public HostObject {
 public:
  explicit InspectorValue(Connection* connection) : connection_(connection) {}
  std::string TypeName() const override { return "SQLiteInspector"; }

  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    Connection* connection = connection_;
    if (name == "get_table_names" || name == "get_view_names") {
      const bool views = name == "get_view_names";
      return Value::Builtin(std::string(name),
                            [connection, views](CallContext& c, Args& a) -> Result<Value> {
                              SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "get_table_names", a, 0, 1,
                                                                {"schema"}));
                              auto names = connection->ObjectNames(views);
                              if (!names) return base::Fail(Raise(c, names.error()));
                              return Names(*names);
                            });
    }
    if (name == "has_table") {
      return Value::Builtin("has_table", [connection](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "has_table", a, 1, 2, {"schema"}));
        auto names = connection->ObjectNames(false);
        if (!names) return base::Fail(Raise(c, names.error()));
        const std::string wanted = python::ToStr(a.positional[0]);
        for (const std::string& table : *names) {
          if (table == wanted) return Value::Bool(true);
        }
        return Value::Bool(false);
      });
    }
    if (name == "get_columns") return TableMethod(name, Columns);
    if (name == "get_pk_constraint") return TableMethod(name, PrimaryKey);
    if (name == "get_foreign_keys") return TableMethod(name, ForeignKeys);
    if (name == "get_indexes") return TableMethod(name, Indexes);
    if (name == "get_unique_constraints") return TableMethod(name, Uniques);
    if (name == "get_check_constraints") return TableMethod(name, Checks);
    if (name == "get_table_options") {
      return TableMethod(name, [](const ops::Table&) { return Value::Dict(); });
    }
    if (name == "default_schema_name") return Text("main");
    if (name == "get_schema_names") {
      return Value::Builtin("get_schema_names", [](CallContext&, Args&) -> Result<Value> {
        return Value::List({Value::Str("main")});
      });
    }
    return std::nullopt;
  }

 private:
  // A database error as SQLAlchemy raises it (OperationalError).
  static base::Status Raise(CallContext& context, const base::Status& error) {
    return ThrowSqlalchemyError(context, "OperationalError", "(sqlite3.OperationalError) " + error.message());
  }

  template <typename Shape>
  Value TableMethod(std::string_view name, Shape shape) {
    Connection* connection = connection_;
    std::string function(name);
    return Value::Builtin(function, [connection, shape, function](CallContext& c,
                                                                  Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, function, a, 1, 2, {"schema", "table_name"}));
      const Value* name = a.positional.empty() ? python::KeywordArg(a, "table_name")
                                               : &a.positional[0];
      if (name == nullptr || !name->Is(Kind::kStr)) {
        return base::Fail(c.Throw("TypeError", function + "() takes a table name"));
      }
      auto names = connection->ObjectNames(false);
      if (!names) return base::Fail(Raise(c, names.error()));
      auto views = connection->ObjectNames(true);
      if (!views) return base::Fail(Raise(c, views.error()));
      bool found = false;
      for (const auto* list : {&*names, &*views}) {
        for (const std::string& table : *list) found = found || table == name->AsStr();
      }
      if (!found) return base::Fail(ThrowSqlalchemyError(c, "NoSuchTableError", name->AsStr()));
      auto table = connection->ReflectTable(name->AsStr());
      if (!table) return base::Fail(Raise(c, table.error()));
      return shape(*table);
    });
  }

  static std::vector<std::string> PrimaryKeyColumns(const ops::Table& table) {
    if (table.primary_key) return table.primary_key->columns;
    std::vector<std::string> out;
    for (const ops::Column& column : table.columns) {
      if (column.primary_key) out.push_back(column.name);
    }
    return out;
  }

  static Value Columns(const ops::Table& table) {
    const std::vector<std::string> key = PrimaryKeyColumns(table);
    std::vector<Value> out;
    for (const ops::Column& column : table.columns) {
      int64_t position = 0;
      for (size_t i = 0; i < key.size(); ++i) {
        if (key[i] == column.name) position = static_cast<int64_t>(i + 1);
      }
      out.push_back(Dict({{"name", Text(column.name)},
                          {"type", ReflectedTypeValue(column.type)},
                          {"nullable", Value::Bool(column.nullable.value_or(position == 0))},
                          {"default", DefaultText(column.server_default)},
                          {"autoincrement", Text("auto")},
                          {"primary_key", Value::Int(position)}}));
    }
    return Value::List(std::move(out));
  }

  static Value PrimaryKey(const ops::Table& table) {
    Value name = table.primary_key ? OptionalName(table.primary_key->name) : Value::None();
    return Dict({{"constrained_columns", Names(PrimaryKeyColumns(table))}, {"name", name}});
  }

  static Value ForeignKeys(const ops::Table& table) {
    std::vector<Value> out;
    for (const ops::Constraint& constraint : table.constraints) {
      if (constraint.kind != ops::Constraint::Kind::kForeignKey) continue;
      const ops::ForeignKeyConstraint& fk = constraint.foreign_key;
      std::vector<std::pair<std::string, Value>> options;
      if (fk.options.ondelete) options.emplace_back("ondelete", Text(*fk.options.ondelete));
      if (fk.options.onupdate) options.emplace_back("onupdate", Text(*fk.options.onupdate));
      if (fk.options.deferrable) {
        options.emplace_back("deferrable", Value::Bool(*fk.options.deferrable));
      }
      if (fk.options.initially) options.emplace_back("initially", Text(*fk.options.initially));
      out.push_back(Dict({{"name", OptionalName(fk.name)},
                          {"constrained_columns", Names(fk.columns)},
                          {"referred_schema", Value::None()},
                          {"referred_table", Text(fk.target_table)},
                          {"referred_columns", Names(fk.target_columns)},
                          {"options", Dict(std::move(options))}}));
    }
    return Value::List(std::move(out));
  }

  static Value Indexes(const ops::Table& table) {
    std::vector<Value> out;
    for (const ops::Index& index : table.indexes) {
      std::vector<std::string> columns;
      for (const ops::IndexElement& element : index.elements) columns.push_back(element.text);
      std::vector<std::pair<std::string, Value>> entries = {
          {"name", OptionalName(index.name)},
          {"column_names", Names(columns)},
          {"unique", Value::Int(index.unique ? 1 : 0)}};
      if (index.sqlite_where) {
        entries.emplace_back("dialect_options", Dict({{"sqlite_where", Text(*index.sqlite_where)}}));
      }
      out.push_back(Dict(std::move(entries)));
    }
    return Value::List(std::move(out));
  }

  static Value Uniques(const ops::Table& table) {
    std::vector<Value> out;
    for (const ops::Constraint& constraint : table.constraints) {
      if (constraint.kind != ops::Constraint::Kind::kUnique) continue;
      out.push_back(Dict({{"name", OptionalName(constraint.unique.name)},
                          {"column_names", Names(constraint.unique.columns)}}));
    }
    return Value::List(std::move(out));
  }

  static Value Checks(const ops::Table& table) {
    std::vector<Value> out;
    for (const ops::Constraint& constraint : table.constraints) {
      if (constraint.kind != ops::Constraint::Kind::kCheck) continue;
      out.push_back(Dict({{"name", OptionalName(constraint.check.name)},
                          {"sqltext", Text(constraint.check.sqltext)}}));
    }
    return Value::List(std::move(out));
  }

  Connection* connection_;
};

Result<Value> Inspect(CallContext& c, Args& a) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "inspect", a, 1, 2, {"raiseerr"}));
  if (BindValue* bind = AsBind(a.positional[0])) {
    if (bind->live() == nullptr) return base::Fail(bind->DatabaseNeeded(c));
    return MakeInspector(bind->live());
  }
  if (a.positional[0].Is(Kind::kHost) &&
      dynamic_cast<InspectorValue*>(&a.positional[0].AsHost()) != nullptr) {
    return a.positional[0];
  }
  return base::Fail(c.Unsupported("unsupported: inspect() of a " + a.positional[0].TypeName() +
                                  " (sqlmend inspects a connection)"));
}

// sqlalchemy.engine.reflection.Inspector: Inspector.from_engine(bind) and
// Inspector(bind), the forms older revisions use.
class InspectorClass : public HostObject {
 public:
  std::string TypeName() const override { return "type"; }
  std::string Repr() const override {
    return "<class 'sqlalchemy.engine.reflection.Inspector'>";
  }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "from_engine") return Value::Builtin("Inspector.from_engine", Inspect);
    return std::nullopt;
  }
  Result<Value> Call(CallContext& context, Args& args) override { return Inspect(context, args); }
  bool IsInstance(const Value& value) const override {
    return value.Is(Kind::kHost) && dynamic_cast<InspectorValue*>(&value.AsHost()) != nullptr;
  }
};

}  // namespace

Value ReflectedTypeValue(const ops::Type& type) {
  std::string sql = ops::CompileSqliteType(type);
  std::string class_name = sql.substr(0, sql.find('('));
  if (class_name.empty()) class_name = "NullType";
  // The reflected classes whose values SQLAlchemy processes (sqlite.JSON
  // dumps and loads JSON, BOOLEAN takes bools, sqlite.DATETIME/DATE/TIME
  // write and parse their text) carry the type kind that does it; the
  // SQL they compile to is the same.
  static const std::map<std::string, ops::Type, std::less<>> kProcessed = {
      {"JSON", ops::Type::Json()},         {"BOOLEAN", ops::Type::Boolean()},
      {"DATETIME", ops::Type::DateTime()}, {"DATE", ops::Type::Date()},
      {"TIME", ops::Type::Time()}};
  auto processed = kProcessed.find(sql);
  ops::Type typed = processed != kProcessed.end() ? processed->second : type;
  if (class_name == "NUMERIC" || class_name == "DECIMAL") {
    // Numeric's family returns Decimal, to the scale when there is one.
    std::optional<int> scale = typed.scale;
    if (size_t comma = sql.find(','); !scale && comma != std::string::npos) {
      scale = std::atoi(sql.c_str() + comma + 1);
    }
    typed.decimal_places = scale.value_or(10);
  }
  return Value::Host(std::make_shared<TypeValue>(class_name, typed));
}

void AddInspectorClass(ModuleObject& module) {
  module.attributes["Inspector"] = Value::Host(std::make_shared<InspectorClass>());
}

BindValue* AsBind(const Value& value) {
  if (!value.Is(Kind::kHost)) return nullptr;
  return dynamic_cast<BindValue*>(&value.AsHost());
}

Value MakeInspector(Connection* connection) {
  return Value::Host(std::make_shared<InspectorValue>(connection));
}

void AddInspect(ModuleObject& module) {
  module.attributes["inspect"] = Value::Builtin("inspect", Inspect);
}

}  // namespace sqlmend::sqlalchemy
