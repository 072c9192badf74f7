// InstallSqlalchemy() and MetaDataOf() (sqlalchemy.h): the module tree,
// Flask-SQLAlchemy's db object, and the inert ORM names (declarative
// mapping is declarative.h's).
#include <algorithm>
#include <map>
#include <tuple>

#include "python/args.h"
#include "python/builtins.h"
#include "sqlalchemy/custom_constructs.h"
#include "sqlalchemy/declarative.h"
#include "sqlalchemy/elements.h"
#include "sqlalchemy/hybrid.h"
#include "sqlalchemy/inspection.h"
#include "sqlalchemy/mutable.h"
#include "sqlalchemy/orm.h"
#include "sqlalchemy/public_names.h"
#include "sqlalchemy/schema.h"
#include "sqlalchemy/sql.h"
#include "sqlalchemy/sqlalchemy.h"
#include "sqlalchemy/sqlalchemy_utils.h"
#include "sqlalchemy/types.h"

namespace sqlmend::sqlalchemy {

using python::Args;
using python::BindArgs;
using python::CallContext;
using python::ClassObject;
using python::Interpreter;
using python::kClassHookName;
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

// ORM names a model module uses: relationship() and backref() (loaded as
// orm.h says), and names that change no DDL and load nothing: synonym(),
// joinedload(), ... (calls return None).
void AddInertNames(ModuleObject& module) {
  module.attributes["relationship"] = RelationshipFunction();
  module.attributes["backref"] = BackrefFunction();
  for (const char* name : {"synonym", "foreign", "remote", "joinedload", "selectinload",
                           "scoped_session"}) {
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
  bool ReachesDatabase() const override { return true; }
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

  void Traverse(const Visitor& visit) const override {
    python::VisitValue(sa_, visit);
    python::VisitValue(orm_, visit);
    if (metadata_) visit(static_cast<const HostObject*>(metadata_.get()));
    python::VisitValue(model_, visit);
  }
  void Clear() override {
    sa_ = Value();
    orm_ = Value();
    metadata_.reset();
    model_ = Value();
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
  // Flask-SQLAlchemy 2's query class, which model modules subclass for
  // query_class: SQLAlchemy's Query (what it adds, get_or_404() and
  // paginate(), serves views, not migrations).
  const auto& orm_names = orm.AsModule().attributes;
  if (auto query = orm_names.find("Query"); query != orm_names.end()) {
    module.AsModule().attributes["BaseQuery"] = query->second;
  }
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
  AddDdl(root);
  AddInspect(root);
  auto type_decorator = MakeTypeDecoratorClass(interpreter);
  if (type_decorator) root.attributes["TypeDecorator"] = *type_decorator;

  Value types = MakeModule("sqlalchemy.types");
  AddTypeClasses(types.AsModule(), false);
  if (type_decorator) types.AsModule().attributes["TypeDecorator"] = *type_decorator;
  Value schema = MakeModule("sqlalchemy.schema");
  AddSchemaConstructors(schema.AsModule());
  AddDdl(schema.AsModule());
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
  AddDeclarativeNames(orm.AsModule());
  Value ext = MakeModule("sqlalchemy.ext");
  Value ext_declarative = MakeModule("sqlalchemy.ext.declarative");
  AddDeclarativeNames(ext_declarative.AsModule());
  ext.AsModule().attributes["declarative"] = ext_declarative;
  // association_proxy("relationship", "attribute") reads through a
  // relationship, which the model does not load: inert, as relationship().
  Value association_proxy = MakeModule("sqlalchemy.ext.associationproxy");
  association_proxy.AsModule().attributes["association_proxy"] = Value::Builtin(
      "association_proxy", [](CallContext&, Args&) -> Result<Value> { return Value::None(); });
  ext.AsModule().attributes["associationproxy"] = association_proxy;

  // sqlalchemy.orm.collections: the dict-keyed collection_class factories
  // model modules hand relationship() (a relationship with one loads as a
  // located error, not as a list).
  Value orm_collections = MakeModule("sqlalchemy.orm.collections");
  for (const char* name : {"attribute_mapped_collection", "column_mapped_collection",
                           "mapped_collection", "attribute_keyed_dict", "column_keyed_dict",
                           "keyfunc_mapping"}) {
    const std::string dotted = std::string("sqlalchemy.orm.collections.") + name;
    orm_collections.AsModule().attributes[name] =
        Value::Builtin(dotted, [dotted](CallContext&, Args&) -> Result<Value> {
          return Value::Builtin(dotted + "()", [dotted](CallContext& c, Args&) -> Result<Value> {
            return base::Fail(c.Unsupported("unsupported: a " + dotted + "() collection"));
          });
        });
  }
  orm.AsModule().attributes["collections"] = orm_collections;

  Value orm_session = MakeModule("sqlalchemy.orm.session");
  AddOrmSession(orm_session.AsModule());
  orm.AsModule().attributes["session"] = orm_session;

  std::map<std::string, Value> modules = {{"sqlalchemy", sa},
                                         {"sqlalchemy.orm.session", orm_session},
                                         {"sqlalchemy.orm.collections", orm_collections},
                                         {"sqlalchemy.sql.expression", expression},
                                         {"sqlalchemy.dialects.sqlite", sqlite},
                                         {"sqlalchemy.ext.declarative", ext_declarative},
                                         {"sqlalchemy.ext.associationproxy", association_proxy}};
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
  {
    // Its source runs when a model module first reads it.
    Value mutable_module = MakeModule("sqlalchemy.ext.mutable");
    ext.AsModule().attributes["mutable"] = mutable_module;
    modules["sqlalchemy.ext.mutable"] = mutable_module;
    interpreter.AddModule("sqlalchemy.ext.mutable", mutable_module);
    interpreter.CompleteOnFirstUse(
        mutable_module,
        [mutable_module](python::Interpreter& on, ModuleObject& module) -> base::Status {
          auto made = MakeMutableModule(on);
          // Running the source registered a module of its own under the name.
          on.AddModule("sqlalchemy.ext.mutable", mutable_module);
          if (!made) return made.error();
          // The names replace the placeholders CompletePublicNames() made.
          for (const auto& [name, value] : made->AsModule().attributes) {
            module.attributes[name] = value;
          }
          return base::Status::Ok();
        });
  }
  CompletePublicNames(interpreter, modules);
  // NOTE: the prelude is our own Python; it parses and runs, or every test fails.
  (void)AddCustomConstructs(interpreter, modules, sa);
  modules.at("sqlalchemy.sql.sqltypes").AsModule().attributes["to_instance"] = Value::Builtin(
      "to_instance", [](CallContext& c, Args& a) -> Result<Value> {
        if (a.positional.size() != 1 || !a.keywords.empty()) {
          return base::Fail(c.Unsupported("unsupported: to_instance() with arguments for the type"));
        }
        return ToTypeInstance(c, a.positional[0]);
      });
  Value flask_sqlalchemy = FlaskSqlalchemyModule(sa, orm);
  interpreter.AddModule("flask_sqlalchemy", flask_sqlalchemy);
  // Flask-SQLAlchemy 3's submodules for the classes model modules derive
  // from: flask_sqlalchemy.query.Query and .extension.SQLAlchemy.
  for (const auto& [submodule, name, from] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"query", "Query", "BaseQuery"}, {"extension", "SQLAlchemy", "SQLAlchemy"}}) {
    const auto& attributes = flask_sqlalchemy.AsModule().attributes;
    auto found = attributes.find(from);
    if (found == attributes.end()) continue;
    Value module = MakeModule("flask_sqlalchemy." + submodule);
    module.AsModule().attributes[name] = found->second;
    flask_sqlalchemy.AsModule().attributes[submodule] = module;
    interpreter.AddModule("flask_sqlalchemy." + submodule, module);
  }
  AddSqlalchemyUtils(interpreter);
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
    // run that uses them with their location. Few projects use hybrids:
    // the prelude runs when one reads the module.
    interpreter.CompleteOnFirstUse(*hybrid, AddHybridAttributes);
  }
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
