// InstallSqlalchemy() and MetaDataOf() (sqlalchemy_model.h): the module
// tree, declarative_base(), and the inert ORM names.
#include <algorithm>
#include <map>

#include "python/args.h"
#include "python/builtins.h"
#include "python/enum_module.h"
#include "sqlalchemy/elements.h"
#include "sqlalchemy/hybrid.h"
#include "sqlalchemy/inspection.h"
#include "sqlalchemy/orm.h"
#include "sqlalchemy/public_names.h"
#include "sqlalchemy/schema.h"
#include "sqlalchemy/sql.h"
#include "sqlalchemy/sqlalchemy.h"
#include "sqlalchemy/types.h"

namespace sqlmend::sqlalchemy {

using python::Args;
using python::BindArgs;
using python::CallContext;
using python::ClassObject;
using python::Interpreter;
using python::kClassHookName;
using python::MakeEnumModule;
using python::ModuleObject;
using python::NativeFunction;
using python::Signature;
using python::ToStr;
using python::Value;

namespace {

using base::Result;
using Kind = Value::Kind;

Value MakeModule(const std::string& name) {
  auto module = std::make_shared<ModuleObject>();
  module->name = name;
  return Value::Module(std::move(module));
}

// ORM names a model module uses that change no DDL: relationship(),
// backref(), ... Calls return None.
void AddInertNames(ModuleObject& module) {
  for (const char* name : {"relationship", "backref", "synonym",
                           "column_property", "deferred", "foreign", "remote",
                           "joinedload", "selectinload", "scoped_session"}) {
    module.attributes[name] = Value::Builtin(
        std::string("sqlalchemy.orm.") + name, [](CallContext&, Args& a) -> Result<Value> {
          if (a.positional.size() == 1 && a.positional[0].Is(Kind::kFunction))
            return a.positional[0];
          return Value::None();
        });
  }
  // @validates("entity", ...): a decorator factory whose decorator returns
  // the method unchanged (validators run on attribute sets, which
  // migrations' ORM code does not rely on here).
  module.attributes["validates"] = Value::Builtin(
      "sqlalchemy.orm.validates", [](CallContext&, Args&) -> Result<Value> {
        return Value::Builtin("validates.decorator", [](CallContext& c, Args& a) -> Result<Value> {
          if (a.positional.size() != 1) {
            return base::Fail(c.Throw("TypeError", "validates() decorates one method"));
          }
          return a.positional[0];
        });
      });
}

// The columns a declarative class body defines, in creation order, each
// named after its attribute unless the Column was given a name.
std::vector<std::pair<std::string, std::shared_ptr<ColumnValue>>> ClassColumns(
    const ClassObject& class_object) {
  std::vector<std::pair<std::string, std::shared_ptr<ColumnValue>>> columns;
  for (const auto& [name, value] : class_object.attributes) {
    if (AsColumn(value) != nullptr) {
      columns.emplace_back(name, std::static_pointer_cast<ColumnValue>(value.object()));
    }
  }
  std::sort(columns.begin(), columns.end(), [](const auto& a, const auto& b) {
    return a.second->creation_order < b.second->creation_order;
  });
  return columns;
}

// The class hook of a declarative base: a subclass with __tablename__
// becomes a Table of the base's MetaData, as DeclarativeMeta makes one.
NativeFunction DeclarativeHook(std::shared_ptr<MetaDataValue> metadata) {
  return [metadata](CallContext& c, Args& a) -> Result<Value> {
    Value class_value = a.positional.at(0);
    auto class_object = class_value.AsClass();
    const Value* tablename = class_object->Lookup("__tablename__");
    if (tablename == nullptr || !tablename->Is(Kind::kStr)) return class_value;
    if (class_object->attributes.contains("__table__")) {
      return base::Fail(c.Unsupported("unsupported: __table__ in a declarative class"));
    }
    ops::Table table;
    table.name = tablename->AsStr();
    auto table_value = std::make_shared<TableValue>(ops::Table{});
    std::vector<Value> items;
    // Columns of mixins and abstract bases are copied into each table.
    std::vector<std::pair<std::string, std::shared_ptr<ColumnValue>>> columns;
    for (const auto& base : class_object->bases) {
      if (base->Lookup("__tablename__") != nullptr) continue;
      auto inherited = ClassColumns(*base);
      columns.insert(columns.end(), inherited.begin(), inherited.end());
    }
    auto own = ClassColumns(*class_object);
    columns.insert(columns.end(), own.begin(), own.end());
    for (auto& [attribute, column] : columns) {
      auto copy = std::make_shared<ColumnValue>(*column);
      if (!copy->named) {
        copy->column.name = attribute;
        copy->named = true;
      }
      copy->key = attribute;
      items.push_back(Value::Host(copy));
    }
    std::vector<std::pair<std::string, Value>> keywords;
    if (const Value* table_args = class_object->Lookup("__table_args__")) {
      std::vector<Value> args =
          table_args->IsSequence() ? table_args->Items() : std::vector<Value>{};
      if (table_args->Is(Kind::kDict)) args.push_back(*table_args);
      if (!args.empty() && args.back().Is(Kind::kDict)) {
        for (const auto& [key, value] : args.back().AsDict().entries)
          keywords.emplace_back(ToStr(key), value);
        args.pop_back();
      }
      items.insert(items.end(), args.begin(), args.end());
    }
    SQLMEND_RETURN_IF_ERROR(AddTableItems(c, table, &table_value->columns, items));
    SQLMEND_RETURN_IF_ERROR(ApplyTableKeywords(c, "__table_args__", table, keywords));
    table_value->table = std::move(table);
    AddTableToMetaData(*metadata, table_value);
    class_object->attributes["__table__"] = Value::Host(table_value);
    // The class's attributes are its table's columns (User.id is
    // user.id in a query), as the mapper instruments them.
    for (const auto& column : table_value->columns) {
      if (!column->key.empty()) class_object->attributes[column->key] = Value::Host(column);
    }
    return class_value;
  };
}

// The constructor declarative classes get: column attributes start as
// None, keyword arguments set attributes the class has (a TypeError for
// others, as SQLAlchemy's _declarative_constructor raises).
Result<Value> DeclarativeConstructor(CallContext& c, Args& a) {
  if (a.positional.size() != 1 || !a.positional[0].Is(Kind::kInstance)) {
    return base::Fail(c.Throw("TypeError", "__init__() takes only keyword arguments"));
  }
  python::InstanceObject& self = a.positional[0].AsInstance();
  if (const Value* table = self.class_object->Lookup("__table__"); table != nullptr) {
    if (TableValue* mapped = AsTable(*table)) {
      for (const auto& column : mapped->columns) {
        self.attributes[column->key.empty() ? column->column.name : column->key] = Value::None();
      }
    }
  }
  for (const auto& [key, value] : a.keywords) {
    if (self.class_object->Lookup(key) == nullptr) {
      return base::Fail(c.Throw("TypeError", "'" + key + "' is an invalid keyword argument for " +
                                                 self.class_object->name));
    }
    // setattr(), as SQLAlchemy's constructor does: a hybrid's setter runs.
    SQLMEND_RETURN_IF_ERROR(c.SetAttr(a.positional[0], key, value));
  }
  return Value::None();
}

Result<Value> DeclarativeBase(CallContext& c, Args& a) {
  auto bound = BindArgs(c,
                        Signature{"declarative_base",
                                  {"bind", "metadata", "mapper", "cls", "name", "constructor",
                                   "class_registry", "metaclass"},
                                  0,
                                  false,
                                  {},
                                  {}},
                        a);
  if (!bound) return base::Fail(bound.error());
  std::shared_ptr<MetaDataValue> metadata;
  if (const Value* given = bound->GetNotNone("metadata")) {
    if (AsMetaData(*given) == nullptr) {
      return base::Fail(c.Throw("TypeError", "declarative_base(metadata=...) expects a MetaData"));
    }
    metadata = std::static_pointer_cast<MetaDataValue>(given->object());
  } else {
    metadata = MakeMetaData(std::nullopt);
  }
  for (const char* unsupported : {"cls", "metaclass", "mapper", "bind"}) {
    if (bound->GetNotNone(unsupported) != nullptr) {
      return base::Fail(
          c.Unsupported(std::string("unsupported: declarative_base(") + unsupported + "=...)"));
    }
  }
  auto base_class = std::make_shared<ClassObject>();
  base_class->name = "Base";
  if (const Value* name = bound->GetNotNone("name")) base_class->name = ToStr(*name);
  base_class->attributes["metadata"] = Value::Host(metadata);
  base_class->attributes["__name__"] = Value::Str(base_class->name);
  base_class->attributes[kClassHookName] = Value::Builtin("declarative", DeclarativeHook(metadata));
  base_class->attributes["__init__"] = Value::Builtin("__init__", DeclarativeConstructor);
  return Value::Class(base_class);
}

// Flask-SQLAlchemy's table name for a model class without __tablename__:
// the class name in snake case ("UserRole" -> "user_role").
std::string SnakeCase(const std::string& name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    const char ch = name[i];
    const bool upper = ch >= 'A' && ch <= 'Z';
    if (upper && i > 0) {
      const char before = name[i - 1];
      const bool after_lower_or_digit =
          (before >= 'a' && before <= 'z') || (before >= '0' && before <= '9');
      const bool next_lower = i + 1 < name.size() && name[i + 1] >= 'a' && name[i + 1] <= 'z';
      if (after_lower_or_digit || next_lower) out += '_';
    }
    out += upper ? static_cast<char>(ch - 'A' + 'a') : ch;
  }
  while (!out.empty() && out.front() == '_') out.erase(out.begin());
  return out;
}

// Whether `class_object` (or a base without a table of its own) declares a
// primary-key Column: Flask-SQLAlchemy names only such classes.
bool DeclaresPrimaryKey(const ClassObject& class_object) {
  for (const auto& [name, value] : ClassColumns(class_object)) {
    if (value->column.primary_key) return true;
  }
  for (const auto& base : class_object.bases) {
    if (base->Lookup("__tablename__") == nullptr && DeclaresPrimaryKey(*base)) return true;
  }
  return false;
}

// flask_sqlalchemy.SQLAlchemy(): db.Model (a declarative base whose classes
// are named after themselves when they give no __tablename__), db.metadata,
// db.session (a Session without a bind), every name of sqlalchemy and
// sqlalchemy.orm (db.Column, db.String, db.relationship, ...), and
// init_app/create_all/drop_all, which do nothing here.
class FlaskSqlalchemyValue : public python::HostObject {
 public:
  FlaskSqlalchemyValue(Value sa, Value orm, std::shared_ptr<MetaDataValue> metadata)
      : sa_(std::move(sa)), orm_(std::move(orm)), metadata_(std::move(metadata)) {
    auto base_class = std::make_shared<ClassObject>();
    base_class->name = "Model";
    base_class->attributes["metadata"] = Value::Host(metadata_);
    base_class->attributes["__name__"] = Value::Str("Model");
    base_class->attributes["__init__"] = Value::Builtin("__init__", DeclarativeConstructor);
    NativeFunction declarative = DeclarativeHook(metadata_);
    base_class->attributes[kClassHookName] = Value::Builtin(
        "flask_sqlalchemy.model", [declarative](CallContext& c, Args& a) -> Result<Value> {
          auto class_object = a.positional.at(0).AsClass();
          // __abstract__ = True in the class's own body.
          auto abstract = class_object->attributes.find("__abstract__");
          const bool is_abstract = abstract != class_object->attributes.end() &&
                                   abstract->second.Is(Kind::kBool) && abstract->second.AsBool();
          if (!is_abstract && !class_object->attributes.contains("__tablename__") &&
              class_object->Lookup("__table__") == nullptr && DeclaresPrimaryKey(*class_object)) {
            class_object->attributes["__tablename__"] = Value::Str(SnakeCase(class_object->name));
          }
          if (is_abstract) return a.positional.at(0);
          return declarative(c, a);
        });
    model_ = Value::Class(base_class);
  }
  std::string TypeName() const override { return "SQLAlchemy"; }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "Model") return model_;
    if (name == "metadata") return Value::Host(metadata_);
    if (name == "session") {
      auto session = orm_.AsModule().attributes.at("Session");
      return Value::Builtin("scoped_session", [session](CallContext& c, Args&) -> Result<Value> {
        return c.Call(session, Args{});
      });
    }
    if (name == "Table") {
      // db.Table(name, *columns): Flask-SQLAlchemy puts db.metadata in.
      Value table = sa_.AsModule().attributes.at("Table");
      Value metadata = Value::Host(metadata_);
      return Value::Builtin("Table", [table, metadata](CallContext& c, Args& a) -> Result<Value> {
        Args args = a;
        if (args.positional.size() < 2 || AsMetaData(args.positional[1]) == nullptr) {
          args.positional.insert(args.positional.begin() + (args.positional.empty() ? 0 : 1),
                                 metadata);
        }
        return c.Call(table, std::move(args));
      });
    }
    if (name == "init_app" || name == "create_all" || name == "drop_all") {
      return Value::Builtin(std::string(name), [](CallContext&, Args&) -> Result<Value> {
        return Value::None();
      });
    }
    for (const Value* module : {&sa_, &orm_}) {
      auto it = module->AsModule().attributes.find(name);
      if (it != module->AsModule().attributes.end()) return it->second;
    }
    return std::nullopt;
  }

 private:
  Value sa_;
  Value orm_;
  std::shared_ptr<MetaDataValue> metadata_;
  Value model_;
};

Value FlaskSqlalchemyModule(Value sa, Value orm) {
  Value module = MakeModule("flask_sqlalchemy");
  module.AsModule().attributes["SQLAlchemy"] = Value::Builtin(
      "SQLAlchemy", [sa, orm](CallContext& c, Args& a) -> Result<Value> {
        std::shared_ptr<MetaDataValue> metadata;
        if (const Value* given = python::KeywordArg(a, "metadata"); given && !given->IsNone()) {
          if (AsMetaData(*given) == nullptr) {
            return base::Fail(c.Throw("TypeError", "SQLAlchemy(metadata=...) expects a MetaData"));
          }
          metadata = std::static_pointer_cast<MetaDataValue>(given->object());
        } else {
          metadata = MakeMetaData(std::nullopt);
        }
        return Value::Host(std::make_shared<FlaskSqlalchemyValue>(sa, orm, metadata));
      });
  return module;
}

}  // namespace

void InstallSqlalchemy(Interpreter& interpreter) {
  Value sa = MakeModule("sqlalchemy");
  ModuleObject& root = sa.AsModule();
  AddTypeClasses(root, false);
  AddSchemaConstructors(root);
  AddSqlFunctions(root);
  AddCoreFunctions(root);
  AddInspect(root);
  auto type_decorator = MakeTypeDecoratorClass(interpreter);
  if (type_decorator) root.attributes["TypeDecorator"] = *type_decorator;

  Value types = MakeModule("sqlalchemy.types");
  AddTypeClasses(types.AsModule(), false);
  if (type_decorator) types.AsModule().attributes["TypeDecorator"] = *type_decorator;
  Value schema = MakeModule("sqlalchemy.schema");
  AddSchemaConstructors(schema.AsModule());
  Value sql = MakeModule("sqlalchemy.sql");
  AddSqlFunctions(sql.AsModule());
  AddCoreFunctions(sql.AsModule());
  Value expression = MakeModule("sqlalchemy.sql.expression");
  AddSqlFunctions(expression.AsModule());
  AddCoreFunctions(expression.AsModule());
  sql.AsModule().attributes["expression"] = expression;

  Value sqlite = MakeModule("sqlalchemy.dialects.sqlite");
  AddTypeClasses(sqlite.AsModule(), true);
  Value dialects = MakeModule("sqlalchemy.dialects");
  dialects.AsModule().attributes["sqlite"] = sqlite;

  Value orm = MakeModule("sqlalchemy.orm");
  AddInertNames(orm.AsModule());
  AddOrmSession(orm.AsModule());
  Value declarative_base = Value::Builtin("declarative_base", DeclarativeBase);
  orm.AsModule().attributes["declarative_base"] = declarative_base;
  Value ext = MakeModule("sqlalchemy.ext");
  Value ext_declarative = MakeModule("sqlalchemy.ext.declarative");
  ext_declarative.AsModule().attributes["declarative_base"] = declarative_base;
  ext.AsModule().attributes["declarative"] = ext_declarative;

  Value orm_session = MakeModule("sqlalchemy.orm.session");
  AddOrmSession(orm_session.AsModule());
  orm.AsModule().attributes["session"] = orm_session;

  std::map<std::string, Value> modules = {{"sqlalchemy", sa},
                                         {"sqlalchemy.orm.session", orm_session},
                                         {"sqlalchemy.sql.expression", expression},
                                         {"sqlalchemy.dialects.sqlite", sqlite},
                                         {"sqlalchemy.ext.declarative", ext_declarative}};
  for (auto& [name, module] : std::vector<std::pair<std::string, Value>>{{"types", types},
                                                                         {"schema", schema},
                                                                         {"sql", sql},
                                                                         {"dialects", dialects},
                                                                         {"orm", orm},
                                                                         {"ext", ext}}) {
    root.attributes[name] = module;
    modules["sqlalchemy." + name] = module;
  }
  for (const auto& [name, module] : modules) interpreter.AddModule(name, module);
  CompletePublicNames(interpreter, modules);
  interpreter.AddModule("flask_sqlalchemy", FlaskSqlalchemyModule(sa, orm));
  for (const char* dialect : {"sqlalchemy.dialects.mysql", "sqlalchemy.dialects.postgresql"}) {
    if (const Value* module = interpreter.RegisteredModule(dialect)) {
      AddDialectTypeClasses(module->AsModule(), IsUnmodelledName);
    }
  }
  if (const Value* reflection = interpreter.RegisteredModule("sqlalchemy.engine.reflection")) {
    AddInspectorClass(reflection->AsModule());
  }
  if (const Value* inspection = interpreter.RegisteredModule("sqlalchemy.inspection")) {
    AddInspect(inspection->AsModule());
  }
  if (const Value* hybrid = interpreter.RegisteredModule("sqlalchemy.ext.hybrid")) {
    // A prelude that does not run leaves the placeholders, which stop a
    // run that uses them with their location.
    (void)AddHybridAttributes(interpreter, hybrid->AsModule());
  }
  interpreter.AddModule("enum", MakeEnumModule());
}

std::optional<ops::MetaData> MetaDataOf(const Value& value) {
  if (MetaDataValue* metadata = AsMetaData(value)) return metadata->metadata;
  if (value.Is(Kind::kClass)) {
    const Value* found = value.AsClass()->Lookup("metadata");
    if (found != nullptr) return MetaDataOf(*found);
  }
  return std::nullopt;
}

}  // namespace sqlmend::sqlalchemy
