// Alembic's operation objects and op.invoke() (op_objects.h).
#include "alembic/op_objects.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "python/args.h"

namespace sqlmend::alembic {
namespace {

using base::Result;
using python::Args;
using python::CallContext;
using python::HostObject;
using python::Value;

// One class of alembic.operations.ops: its constructor's parameters as
// Alembic 1.8 declares them, and the op method it runs as.
struct ObjectSpec {
  const char* name;
  const char* method;
  std::vector<std::string> parameters;  // in order, positional or keyword
  size_t required;
  bool any_keywords;  // **kw, handed on to the method
};

const std::vector<ObjectSpec>& Specs() {
  static const std::vector<ObjectSpec> specs = {
      {"AddColumnOp", "add_column", {"table_name", "column", "schema"}, 2, true},
      {"DropColumnOp", "drop_column", {"table_name", "column_name", "schema", "_reverse"}, 2, true},
      {"CreateTableOp",
       "create_table",
       {"table_name", "columns", "schema", "_namespace_metadata", "_constraints_included"},
       2,
       true},
      {"DropTableOp", "drop_table", {"table_name", "schema", "table_kw", "_reverse"}, 1, false},
      {"RenameTableOp", "rename_table", {"old_table_name", "new_table_name", "schema"}, 2, false},
      {"CreateIndexOp",
       "create_index",
       {"index_name", "table_name", "columns", "schema", "unique"},
       3,
       true},
      {"DropIndexOp", "drop_index", {"index_name", "table_name", "schema", "_reverse"}, 1, true},
      {"AlterColumnOp",
       "alter_column",
       {"table_name", "column_name", "schema", "existing_type", "existing_server_default",
        "existing_nullable", "existing_comment", "modify_nullable", "modify_comment",
        "modify_server_default", "modify_name", "modify_type"},
       2,
       true},
      {"CreateUniqueConstraintOp",
       "create_unique_constraint",
       {"constraint_name", "table_name", "columns", "schema"},
       3,
       true},
      {"CreatePrimaryKeyOp",
       "create_primary_key",
       {"constraint_name", "table_name", "columns", "schema"},
       3,
       true},
      {"CreateCheckConstraintOp",
       "create_check_constraint",
       {"constraint_name", "table_name", "condition", "schema"},
       3,
       true},
      {"CreateForeignKeyOp",
       "create_foreign_key",
       {"constraint_name", "source_table", "referent_table", "local_cols", "remote_cols"},
       5,
       true},
      {"DropConstraintOp",
       "drop_constraint",
       {"constraint_name", "table_name", "type_", "schema", "_reverse"},
       2,
       false},
      {"ExecuteSQLOp", "execute", {"sqltext", "execution_options"}, 1, false},
      {"BulkInsertOp", "bulk_insert", {"table", "rows", "multiinsert"}, 2, false},
      {"CreateTableCommentOp",
       "create_table_comment",
       {"table_name", "comment", "schema", "existing_comment"},
       2,
       false},
      {"DropTableCommentOp",
       "drop_table_comment",
       {"table_name", "schema", "existing_comment"},
       1,
       false},
  };
  return specs;
}

// An instance of one of the classes: the arguments it was made with.
class OperationObject : public HostObject {
 public:
  OperationObject(const ObjectSpec& spec, std::vector<std::pair<std::string, Value>> given,
                  std::vector<std::pair<std::string, Value>> extra)
      : spec_(spec), given_(std::move(given)), extra_(std::move(extra)) {}

  std::string TypeName() const override { return spec_.name; }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (const Value* value = Given(name)) return Result<Value>(*value);
    const auto& parameters = spec_.parameters;
    if (std::find(parameters.begin(), parameters.end(), name) != parameters.end()) {
      return Result<Value>(Value::None());
    }
    if (name == "kw") {
      auto dict = Value::Dict();
      for (const auto& [key, value] : extra_) dict.AsDict().Set(Value::Str(key), value);
      return Result<Value>(dict);
    }
    return std::nullopt;
  }

  const ObjectSpec& spec() const { return spec_; }
  const Value* Given(std::string_view name) const {
    for (const auto& [key, value] : given_) {
      if (key == name) return &value;
    }
    return nullptr;
  }
  const std::vector<std::pair<std::string, Value>>& given() const { return given_; }
  const std::vector<std::pair<std::string, Value>>& extra() const { return extra_; }

 private:
  const ObjectSpec& spec_;
  std::vector<std::pair<std::string, Value>> given_;  // by parameter, in order given
  std::vector<std::pair<std::string, Value>> extra_;  // **kw
};

Result<Value> Construct(CallContext& c, const ObjectSpec& spec, const Args& args) {
  const std::string function = std::string(spec.name) + "()";
  if (args.positional.size() > spec.parameters.size()) {
    return base::Fail(c.Throw("TypeError", function + " takes " +
                                               std::to_string(spec.parameters.size()) +
                                               " positional arguments but " +
                                               std::to_string(args.positional.size()) +
                                               " were given"));
  }
  std::vector<std::pair<std::string, Value>> given, extra;
  for (size_t i = 0; i < args.positional.size(); ++i) {
    given.emplace_back(spec.parameters[i], args.positional[i]);
  }
  for (const auto& [key, value] : args.keywords) {
    const bool named = std::find(spec.parameters.begin(), spec.parameters.end(), key) !=
                       spec.parameters.end();
    if (!named && !spec.any_keywords) {
      return base::Fail(
          c.Throw("TypeError", function + " got an unexpected keyword argument '" + key + "'"));
    }
    if (!named) {
      extra.emplace_back(key, value);
      continue;
    }
    if (std::any_of(given.begin(), given.end(), [&](const auto& g) { return g.first == key; })) {
      return base::Fail(
          c.Throw("TypeError", function + " got multiple values for argument '" + key + "'"));
    }
    given.emplace_back(key, value);
  }
  for (size_t i = 0; i < spec.required; ++i) {
    const std::string& name = spec.parameters[i];
    if (std::none_of(given.begin(), given.end(), [&](const auto& g) { return g.first == name; })) {
      return base::Fail(c.Throw("TypeError", function + " missing required argument: '" + name +
                                                 "'"));
    }
  }
  return Value::Host(std::make_shared<OperationObject>(spec, std::move(given), std::move(extra)));
}

// AlterColumnOp's modify_* and existing_server_default as alter_column's
// parameters; False (Alembic's "not given" for these) leaves one out.
void AlterColumnArguments(const OperationObject& object, Args& args) {
  static const std::vector<std::pair<std::string, std::string>> kRenamed = {
      {"modify_nullable", "nullable"},          {"modify_comment", "comment"},
      {"modify_server_default", "server_default"}, {"modify_name", "new_column_name"},
      {"modify_type", "type_"}};
  for (const auto& [key, value] : object.given()) {
    const bool unset_false = (key == "modify_comment" || key == "modify_server_default" ||
                              key == "existing_server_default") &&
                             value.Is(Value::Kind::kBool) && !value.AsBool();
    const bool unset_none = (key == "modify_nullable" || key == "modify_name" ||
                             key == "modify_type") &&
                            value.IsNone();
    if (unset_false || unset_none) continue;
    std::string name = key;
    for (const auto& [from, to] : kRenamed) {
      if (key == from) name = to;
    }
    args.keywords.emplace_back(name, value);
  }
}

}  // namespace

Value MakeOperationObjectsModule() {
  auto module = std::make_shared<python::ModuleObject>();
  module->name = "alembic.operations.ops";
  for (const ObjectSpec& spec : Specs()) {
    const ObjectSpec* p = &spec;
    module->attributes[spec.name] =
        Value::Builtin(spec.name, [p](CallContext& c, Args& a) { return Construct(c, *p, a); });
  }
  return Value::Module(module);
}

Result<Invocation> InvocationOf(CallContext& context, const Value& operation) {
  const OperationObject* object =
      operation.Is(Value::Kind::kHost) ? dynamic_cast<const OperationObject*>(&operation.AsHost())
                                       : nullptr;
  if (object == nullptr) {
    return base::Fail(context.Unsupported("unsupported: op.invoke() of a " + operation.TypeName() +
                                          ": only alembic.operations.ops' own operations are "
                                          "modelled"));
  }
  Invocation out;
  out.method = object->spec().method;
  if (out.method == "alter_column") {
    AlterColumnArguments(*object, out.args);
  } else if (out.method == "create_table") {
    out.args.positional.push_back(*object->Given("table_name"));
    if (const Value* columns = object->Given("columns")) {
      for (const Value& column : python::ItemsOrSingle(*columns)) {
        out.args.positional.push_back(column);
      }
    }
    for (const auto& [key, value] : object->given()) {
      if (key == "schema") out.args.keywords.emplace_back(key, value);
    }
  } else {
    for (const auto& [key, value] : object->given()) {
      if (key.starts_with("_")) continue;
      if (key == "table_kw") {
        if (value.Is(Value::Kind::kDict)) {
          for (const auto& [k, v] : value.AsDict().entries) {
            if (k.Is(Value::Kind::kStr)) out.args.keywords.emplace_back(k.AsStr(), v);
          }
        }
        continue;
      }
      out.args.keywords.emplace_back(key, value);
    }
  }
  for (const auto& [key, value] : object->extra()) out.args.keywords.emplace_back(key, value);
  return out;
}

}  // namespace sqlmend::alembic
