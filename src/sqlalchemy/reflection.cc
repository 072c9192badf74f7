#include "sqlalchemy/reflection.h"

#include <algorithm>
#include <deque>
#include <set>
#include <utility>

#include "python/args.h"
#include "python/builtins.h"
#include "sqlalchemy/inspection.h"
#include "sqlalchemy/public_names.h"

namespace sqlmend::sqlalchemy {

using python::Args;
using python::CallContext;
using python::Value;

namespace {

using base::Result;
using Kind = Value::Kind;

base::Status DatabaseError(CallContext& context, const base::Status& error) {
  return ThrowSqlalchemyError(context, "OperationalError",
                              "(sqlite3.OperationalError) " + error.message());
}

// The names reflection can load: tables, and views when `views`.
Result<std::vector<std::string>> Available(CallContext& context, Connection* connection,
                                           bool views) {
  auto names = connection->ObjectNames(false);
  if (!names) return base::Fail(DatabaseError(context, names.error()));
  if (views) {
    auto view_names = connection->ObjectNames(true);
    if (!view_names) return base::Fail(DatabaseError(context, view_names.error()));
    names->insert(names->end(), view_names->begin(), view_names->end());
  }
  return std::move(*names);
}

// Table `name` as a Table value (not yet in a MetaData).
Result<std::shared_ptr<TableValue>> ReflectOne(CallContext& context, Connection* connection,
                                               const std::string& name,
                                               const std::vector<Value>& items) {
  auto available = Available(context, connection, true);
  if (!available) return base::Fail(available.error());
  if (std::find(available->begin(), available->end(), name) == available->end()) {
    return base::Fail(ThrowSqlalchemyError(context, "NoSuchTableError", name));
  }
  auto reflected = connection->ReflectTable(name);
  if (!reflected) return base::Fail(DatabaseError(context, reflected.error()));
  auto value = std::make_shared<TableValue>(std::move(*reflected));
  for (const ops::Column& column : value->table.columns) {
    auto column_value = std::make_shared<ColumnValue>(column, true, NextCreationOrder());
    column_value->key = column.name;
    column_value->table = name;
    column_value->type_value = ReflectedTypeValue(column.type);
    value->columns.push_back(std::move(column_value));
  }
  if (items.empty()) return value;
  // Columns and constraints given to Table(): a Column replaces the
  // reflected one of its name (autoload_replace), others are added.
  ops::Table given;
  given.name = name;
  std::vector<std::shared_ptr<ColumnValue>> given_columns;
  SQLMEND_RETURN_IF_ERROR(AddTableItems(context, given, &given_columns, items));
  for (size_t i = 0; i < given_columns.size(); ++i) {
    size_t at = 0;
    while (at < value->columns.size() && value->columns[at]->column.name != given.columns[i].name) {
      ++at;
    }
    if (at == value->columns.size()) {
      value->columns.push_back(given_columns[i]);
      value->table.columns.push_back(given.columns[i]);
    } else {
      value->columns[at] = given_columns[i];
      value->table.columns[at] = given.columns[i];
    }
  }
  if (given.primary_key) value->table.primary_key = given.primary_key;
  for (ops::Constraint& constraint : given.constraints) {
    value->table.constraints.push_back(std::move(constraint));
  }
  for (ops::Index& index : given.indexes) value->table.indexes.push_back(std::move(index));
  return value;
}

std::vector<std::string> ReferredTables(const ops::Table& table) {
  std::vector<std::string> referred;
  for (const ops::Constraint& constraint : table.constraints) {
    if (constraint.kind == ops::Constraint::Kind::kForeignKey) {
      referred.push_back(constraint.foreign_key.target_table);
    }
  }
  return referred;
}

}  // namespace

Result<Connection*> LiveConnection(CallContext& context, const Value& bind) {
  BindValue* value = AsBind(bind);
  if (value == nullptr) {
    return base::Fail(context.Unsupported("unsupported: reflecting through a " + bind.TypeName() +
                                          " (sqlmend reflects through a connection)"));
  }
  if (value->live() == nullptr) return base::Fail(value->DatabaseNeeded(context));
  return value->live();
}

Result<std::shared_ptr<TableValue>> ReflectTableInto(CallContext& context,
                                                     MetaDataValue& metadata,
                                                     Connection* connection,
                                                     const std::string& name, bool resolve_fks,
                                                     const std::vector<Value>& items) {
  auto table = ReflectOne(context, connection, name, items);
  if (!table) return table;
  AddTableToMetaData(metadata, *table);
  if (!resolve_fks) return table;
  // The referred tables, as Table reflection's resolve_fks loads them:
  // breadth first over a queue (each table joins the MetaData once, so the
  // loop ends after at most every table of the database).
  std::deque<std::string> pending;
  for (std::string& referred : ReferredTables((*table)->table)) pending.push_back(referred);
  while (!pending.empty()) {
    std::string next = std::move(pending.front());
    pending.pop_front();
    if (metadata.Find(next) != nullptr) continue;
    auto referred = ReflectOne(context, connection, next, {});
    if (!referred) return base::Fail(referred.error());
    AddTableToMetaData(metadata, *referred);
    for (std::string& further : ReferredTables((*referred)->table)) pending.push_back(further);
  }
  return table;
}

Result<Value> ReflectMetaData(CallContext& context, MetaDataValue& metadata, Args& args) {
  auto bound = python::BindArgs(context,
                                python::Signature{"MetaData.reflect",
                                                  {"bind", "schema", "views", "only",
                                                   "extend_existing", "autoload_replace",
                                                   "resolve_fks"},
                                                  0,
                                                  false,
                                                  {},
                                                  {}},
                                args);
  if (!bound) return base::Fail(bound.error());
  if (bound->GetNotNone("schema") != nullptr) {
    return base::Fail(context.Unsupported(
        "unsupported: schema= of MetaData.reflect() (sqlmend migrates the main database only)"));
  }
  const Value* bind = bound->GetNotNone("bind");
  if (bind == nullptr && !metadata.bind.IsNone()) bind = &metadata.bind;
  if (bind == nullptr) {
    return base::Fail(ThrowSqlalchemyError(
        context, "UnboundExecutionError",
        "MetaData object is not bound to an Engine or Connection.  Execution can not proceed "
        "without a database to execute against."));
  }
  auto connection = LiveConnection(context, *bind);
  if (!connection) return base::Fail(connection.error());
  const bool extend_existing = python::BoolOr(*bound, "extend_existing", false);
  const bool resolve_fks = python::BoolOr(*bound, "resolve_fks", true);
  auto available = Available(context, *connection, python::BoolOr(*bound, "views", false));
  if (!available) return base::Fail(available.error());

  // SQLAlchemy's choice of the names to load: every available one, those a
  // callable `only(name, metadata)` accepts, or the names `only` lists (all
  // of which must be available); the MetaData's own tables are left alone.
  std::vector<std::string> load;
  const Value* only = bound->GetNotNone("only");
  const Value self = Value::Host(metadata.shared_from_this());
  if (only == nullptr || only->Is(Kind::kFunction) || only->Is(Kind::kBuiltin) ||
      only->Is(Kind::kBoundMethod)) {
    for (const std::string& name : *available) {
      if (only != nullptr) {
        auto keep = context.Call(*only, Args{{Value::Str(name), self}, {}});
        if (!keep) return base::Fail(keep.error());
        auto truth = context.Truth(*keep);
        if (!truth) return base::Fail(truth.error());
        if (!*truth) continue;
      }
      load.push_back(name);
    }
  } else {
    auto names = python::IterateValue(context, *only);
    if (!names) return base::Fail(names.error());
    std::string missing;
    for (const Value& name : *names) {
      std::string text = name.Is(Kind::kStr) ? name.AsStr() : python::Repr(name);
      if (std::find(available->begin(), available->end(), text) == available->end()) {
        missing += (missing.empty() ? "" : ", ") + text;
      }
      load.push_back(std::move(text));
    }
    if (!missing.empty()) {
      return base::Fail(ThrowSqlalchemyError(
          context, "InvalidRequestError",
          "Could not reflect: requested table(s) not available in the database: (" + missing +
              ")"));
    }
  }
  for (const std::string& name : load) {
    if (metadata.Find(name) != nullptr) {
      if (!extend_existing) continue;
      return base::Fail(context.Unsupported("unsupported: MetaData.reflect(extend_existing=True) "
                                            "over table " +
                                            name + ", which the MetaData already holds"));
    }
    auto table = ReflectTableInto(context, metadata, *connection, name, resolve_fks, {});
    if (!table) return base::Fail(table.error());
  }
  return Value::None();
}

}  // namespace sqlmend::sqlalchemy
