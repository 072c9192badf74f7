#include "alembic/op.h"

#include <algorithm>
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "alembic/op_objects.h"
#include "ops/batch.h"
#include "python/args.h"
#include "python/builtins.h"
#include "sqlalchemy/column_default.h"
#include "sqlalchemy/compiler.h"
#include "sqlalchemy/elements.h"
#include "sqlalchemy/public_names.h"
#include "sqlalchemy/result.h"
#include "sqlalchemy/schema.h"
#include "sqlalchemy/sql.h"
#include "sqlalchemy/types.h"

namespace sqlmend::alembic {

using python::Args;
using python::BindArgs;
using python::BoolOr;
using python::BoundArgs;
using python::CallContext;
using python::CheckArgs;
using python::HostObject;
using python::Interpreter;
using python::ItemsOrSingle;
using python::IterateValue;
using python::ModuleObject;
using python::OptionalBool;
using python::OptionalString;
using python::Signature;
using python::SourceLocation;
using python::ToStr;
using python::Value;

namespace {

using base::Result;
using base::Status;
using Kind = Value::Kind;

constexpr char kNoResult[] =
    "the result of a statement is not available while planning (--sql prints statements; it "
    "runs none)";

// Keywords of Alembic's operations that change nothing on SQLite.
const std::vector<std::string> kIgnored = {"comment", "existing_comment", "info"};

// What a method does with keywords its signature does not name, as Alembic
// 1.8 to 1.16 declare them:
//   kNone: none are accepted (TypeError, as Python raises);
//   kAny: `**kw` passed to the migration implementation, which ignores them
//     on SQLite (alter_column's new_type=, drop_column's mssql_drop_check=);
//   kDialect: `**kw` passed to SQLAlchemy's construct (Table, Index,
//     constraints): dialect options named <dialect>_<argument>, of which
//     another dialect's (postgresql_using=, mysql_engine=) change nothing on
//     SQLite and are ignored, as is an unknown dialect's (SQLAlchemy warns:
//     1.8's reading of create_table(if_not_exists=...)); an unmodelled
//     sqlite_ option, or a keyword of the construct itself (prefixes=),
//     may change the DDL and is refused.
enum class ExtraKeywords { kNone, kAny, kDialect };

ExtraKeywords ExtraKeywordsOf(std::string_view method) {
  if (method == "alter_column" || method == "drop_column") return ExtraKeywords::kAny;
  for (std::string_view dialect_form :
       {"create_index", "drop_index", "create_table", "drop_table", "create_unique_constraint",
        "create_foreign_key", "create_check_constraint"}) {
    if (method == dialect_form) return ExtraKeywords::kDialect;
  }
  return ExtraKeywords::kNone;
}

// Raises the Python exception SQLAlchemy raises for `status`, a failure of
// the database, and keeps `status` for the report.
Status RaiseLive(CallContext& c, OperationLog& log, const Status& status) {
  const bool integrity = status.message().find("constraint failed") != std::string::npos;
  const char* kind = integrity ? "IntegrityError" : "OperationalError";
  Status raised = sqlalchemy::ThrowSqlalchemyError(
      c, kind, std::string("(sqlite3.") + kind + ") " + status.message());
  log.live_failure = status;
  log.live_exception = raised;
  return raised;
}

// Online, runs `operation` on the log's connection. A failure becomes the
// Python exception SQLAlchemy raises (IntegrityError for a constraint,
// OperationalError otherwise), so `try: ... except` in the revision sees
// it; the located failure is kept for the report.
Status RunLive(CallContext& c, OperationLog& log, const ops::Operation& operation,
               const SourceLocation& where) {
  if (log.live == nullptr) return Status::Ok();
  Status status = log.live->Apply(operation, where);
  if (status.ok()) return status;
  return RaiseLive(c, log, status);
}

// One method: its name and signature for op.<name>; the batch form drops
// `table_parameter` (empty: same signature, or no batch form when
// `batch_form` is false).
struct MethodSpec {
  std::vector<std::string> positional;
  size_t required = 0;
  std::vector<std::string> keywords;
  std::string table_parameter;
  bool op_form = true;
  bool batch_form = true;
};

class OpCall {
 public:
  OpCall(OperationsValue& self, CallContext& context, BoundArgs bound, std::string function)
      : self(self), c(context), bound(std::move(bound)), function(std::move(function)) {}

  OperationsValue& self;
  CallContext& c;
  BoundArgs bound;
  std::string function;

  const Value* Get(std::string_view name) const { return bound.Get(name); }
  Result<std::string> Str(std::string_view name) const {
    const Value* value = bound.GetNotNone(name);
    if (value == nullptr || !value->Is(Kind::kStr)) {
      return base::Fail(
          c.Throw("TypeError", function + "(): " + std::string(name) + " must be a str"));
    }
    return value->AsStr();
  }
  // The table: the batch's table for batch_op, else the `name` argument.
  Result<std::string> Table(std::string_view name) const {
    if (self.batch()) return self.batch()->table;
    return Str(name);
  }
  Result<ops::ConstraintName> Name(std::string_view name) const {
    const Value* value = bound.Get(name);
    if (value == nullptr) return ops::ConstraintName::None();
    return sqlalchemy::ConstraintNameOf(c, *value);
  }
  Result<std::vector<std::string>> Columns(std::string_view name) const {
    std::vector<std::string> out;
    const Value* value = bound.GetNotNone(name);
    if (value == nullptr) return out;
    for (const Value& item : ItemsOrSingle(*value)) {
      auto column = sqlalchemy::ColumnNameOf(c, item, function);
      if (!column) return base::Fail(column.error());
      out.push_back(*column);
    }
    return out;
  }
  Status RefuseSchema() const {
    if (bound.GetNotNone("schema") != nullptr) {
      return c.Unsupported("unsupported: schema= of " + function +
                           "() (sqlmend migrates the main database only)");
    }
    return Status::Ok();
  }
  // Appends `operation` to the log (op) or the batch (batch_op); online,
  // runs it too (RunLive). batch_op.execute() runs at once, before the
  // batch, as Alembic's does (it goes to the migration context, not the
  // batch).
  template <typename T>
  Result<Value> Record(T operation) const {
    if (self.batch()) {
      if constexpr (std::is_same_v<T, ops::Execute>) {
        return RecordInLog(ops::Operation(std::move(operation)));
      } else if constexpr (std::is_constructible_v<ops::BatchOperation, T>) {
        self.batch()->operations.emplace_back(std::move(operation));
        return Value::None();
      } else {
        return base::Fail(c.Unsupported("unsupported: " + function + "() inside a batch"));
      }
    } else {
      return RecordInLog(ops::Operation(std::move(operation)));
    }
  }

 private:
  Result<Value> RecordInLog(ops::Operation operation) const {
    OperationLog& log = *self.log();
    const SourceLocation where = self.interpreter()->CurrentLocation();
    log.operations.push_back(std::move(operation));
    log.locations.push_back(where);
    SQLMEND_RETURN_IF_ERROR(RunLive(c, log, log.operations.back(), where));
    return Value::None();
  }
};

using Handler = std::function<Result<Value>(const OpCall& call)>;

#define SQLMEND_ASSIGN(var, expr)                             \
  auto var##_result = (expr);                                 \
  if (!var##_result) return base::Fail(var##_result.error()); \
  auto var = std::move(*var##_result)

Result<Value> CreateTable(const OpCall& call) {
  SQLMEND_ASSIGN(name, call.Str("table_name"));
  auto table_value = std::make_shared<sqlalchemy::TableValue>(ops::Table{});
  table_value->table.name = name;
  SQLMEND_RETURN_IF_ERROR(sqlalchemy::AddTableItems(call.c, table_value->table,
                                                    &table_value->columns, call.bound.rest));
  std::vector<std::pair<std::string, Value>> keywords;
  for (const char* keyword : {"sqlite_autoincrement", "sqlite_with_rowid", "schema"}) {
    if (const Value* value = call.Get(keyword)) keywords.emplace_back(keyword, *value);
  }
  SQLMEND_RETURN_IF_ERROR(
      sqlalchemy::ApplyTableKeywords(call.c, "op.create_table", table_value->table, keywords));
  auto recorded = call.Record(ops::CreateTable{table_value->table});
  if (!recorded) return recorded;
  return Value::Host(table_value);
}

Result<Value> DropTable(const OpCall& call) {
  SQLMEND_RETURN_IF_ERROR(call.RefuseSchema());
  SQLMEND_ASSIGN(name, call.Str("table_name"));
  return call.Record(ops::DropTable{name});
}

Result<Value> AddColumn(const OpCall& call) {
  SQLMEND_RETURN_IF_ERROR(call.RefuseSchema());
  if (call.bound.GetNotNone("insert_before") != nullptr ||
      call.bound.GetNotNone("insert_after") != nullptr) {
    return base::Fail(
        call.c.Unsupported("unsupported: insert_before=/insert_after= of batch_op.add_column()"));
  }
  SQLMEND_ASSIGN(table, call.Table("table_name"));
  const Value* column = call.Get("column");
  sqlalchemy::ColumnValue* column_value =
      column != nullptr ? sqlalchemy::AsColumn(*column) : nullptr;
  if (column_value == nullptr) {
    return base::Fail(call.c.Throw("TypeError", call.function + "(): column must be a sa.Column"));
  }
  if (call.self.batch() && call.self.defaults() &&
      sqlalchemy::DefaultKindOf(column_value->default_value) != sqlalchemy::DefaultKind::kNone) {
    call.self.defaults()->columns.emplace_back(call.self.batch()->operations.size(), *column);
  }
  return call.Record(ops::AddColumn{table, column_value->column});
}

Result<Value> DropColumn(const OpCall& call) {
  SQLMEND_RETURN_IF_ERROR(call.RefuseSchema());
  SQLMEND_ASSIGN(table, call.Table("table_name"));
  SQLMEND_ASSIGN(column, call.Str("column_name"));
  return call.Record(ops::DropColumn{table, column});
}

// server_default= / existing_server_default=: False is "not given", None
// drops the default.
Result<std::optional<std::optional<ops::ServerDefault>>> OptionalDefault(const OpCall& call,
                                                                         std::string_view name) {
  const Value* value = call.Get(name);
  using Out = std::optional<std::optional<ops::ServerDefault>>;
  if (value == nullptr || (value->Is(Kind::kBool) && !value->AsBool())) return Out();
  if (value->IsNone()) return Out(std::optional<ops::ServerDefault>());
  auto server_default = sqlalchemy::ServerDefaultOf(call.c, *value);
  if (!server_default) return base::Fail(server_default.error());
  return Out(*server_default);
}

Result<std::optional<ops::Type>> OptionalType(const OpCall& call, std::string_view name) {
  const Value* value = call.bound.GetNotNone(name);
  if (value == nullptr) return std::optional<ops::Type>();
  auto type = sqlalchemy::TypeOf(call.c, *value, call.function);
  if (!type) return base::Fail(type.error());
  return std::optional<ops::Type>(*type);
}

Result<Value> AlterColumn(const OpCall& call) {
  SQLMEND_RETURN_IF_ERROR(call.RefuseSchema());
  if (call.bound.GetNotNone("insert_before") != nullptr ||
      call.bound.GetNotNone("insert_after") != nullptr) {
    return base::Fail(
        call.c.Unsupported("unsupported: insert_before=/insert_after= of batch_op.alter_column()"));
  }
  ops::AlterColumn alter;
  SQLMEND_ASSIGN(table, call.Table("table_name"));
  SQLMEND_ASSIGN(column, call.Str("column_name"));
  alter.table = table;
  alter.column = column;
  alter.nullable = OptionalBool(call.bound, "nullable");
  alter.existing_nullable = OptionalBool(call.bound, "existing_nullable");
  SQLMEND_ASSIGN(type, OptionalType(call, "type_"));
  alter.type = type;
  SQLMEND_ASSIGN(existing_type, OptionalType(call, "existing_type"));
  alter.existing_type = existing_type;
  SQLMEND_ASSIGN(server_default, OptionalDefault(call, "server_default"));
  alter.server_default = server_default;
  SQLMEND_ASSIGN(existing_default, OptionalDefault(call, "existing_server_default"));
  alter.existing_server_default = existing_default;
  if (const Value* name = call.bound.GetNotNone("new_column_name"))
    alter.new_column_name = ToStr(*name);
  if (const Value* comment = call.Get("comment");
      comment != nullptr && !(comment->Is(Kind::kBool) && !comment->AsBool())) {
    alter.comment = comment->IsNone() ? std::optional<std::string>()
                                      : std::optional<std::string>(ToStr(*comment));
  }
  if (const Value* autoincrement = call.bound.GetNotNone("autoincrement")) {
    alter.autoincrement =
        autoincrement->Truthy() ? ops::Autoincrement::kTrue : ops::Autoincrement::kFalse;
  }
  return call.Record(std::move(alter));
}

Result<Value> CreateIndex(const OpCall& call) {
  SQLMEND_RETURN_IF_ERROR(call.RefuseSchema());
  ops::CreateIndex create;
  SQLMEND_ASSIGN(name, call.Name("index_name"));
  SQLMEND_ASSIGN(table, call.Table("table_name"));
  create.index.name = name;
  create.index.table = table;
  const Value* columns = call.Get("columns");
  if (columns == nullptr)
    return base::Fail(call.c.Throw("TypeError", call.function + "() missing 'columns'"));
  for (const Value& item : ItemsOrSingle(*columns)) {
    if (item.Is(Kind::kStr)) {
      create.index.elements.push_back(ops::IndexElement::ColumnName(item.AsStr()));
    } else if (sqlalchemy::ColumnValue* column = sqlalchemy::AsColumn(item)) {
      create.index.elements.push_back(ops::IndexElement::ColumnName(column->column.name));
    } else {
      auto sql = sqlalchemy::CompileLiteralSql(call.c, item);
      if (!sql) return base::Fail(sql.error());
      create.index.elements.push_back(ops::IndexElement::Expression(*sql));
    }
  }
  create.index.unique = BoolOr(call.bound, "unique", false);
  if (const Value* where = call.bound.GetNotNone("sqlite_where")) {
    auto sql = sqlalchemy::CompileLiteralSql(call.c, *where);
    if (!sql) return base::Fail(sql.error());
    create.index.sqlite_where = *sql;
  }
  create.if_not_exists = BoolOr(call.bound, "if_not_exists", false);
  return call.Record(std::move(create));
}

Result<Value> DropIndex(const OpCall& call) {
  SQLMEND_RETURN_IF_ERROR(call.RefuseSchema());
  ops::DropIndex drop;
  SQLMEND_ASSIGN(name, call.Name("index_name"));
  drop.name = name;
  if (call.self.batch()) {
    drop.table = call.self.batch()->table;
  } else if (const Value* table = call.bound.GetNotNone("table_name")) {
    drop.table = ToStr(*table);
  }
  drop.if_exists = BoolOr(call.bound, "if_exists", false);
  return call.Record(std::move(drop));
}

Result<Value> RenameTable(const OpCall& call) {
  SQLMEND_RETURN_IF_ERROR(call.RefuseSchema());
  SQLMEND_ASSIGN(old_name, call.Str("old_table_name"));
  SQLMEND_ASSIGN(new_name, call.Str("new_table_name"));
  return call.Record(ops::RenameTable{old_name, new_name});
}

Result<Value> AddConstraintOf(const OpCall& call, ops::Constraint constraint) {
  SQLMEND_RETURN_IF_ERROR(call.RefuseSchema());
  std::string table_parameter =
      constraint.kind == ops::Constraint::Kind::kForeignKey ? "source_table" : "table_name";
  SQLMEND_ASSIGN(table, call.Table(table_parameter));
  return call.Record(ops::AddConstraint{table, std::move(constraint)});
}

Result<Value> CreateUnique(const OpCall& call) {
  SQLMEND_ASSIGN(name, call.Name("constraint_name"));
  SQLMEND_ASSIGN(columns, call.Columns("columns"));
  auto initially = OptionalString(call.c, call.bound, call.function, "initially");
  if (!initially) return base::Fail(initially.error());
  return AddConstraintOf(call,
                         ops::Constraint::Of(ops::UniqueConstraint{
                             columns, name, OptionalBool(call.bound, "deferrable"), *initially}));
}

Result<Value> CreatePrimaryKey(const OpCall& call) {
  SQLMEND_ASSIGN(name, call.Name("constraint_name"));
  SQLMEND_ASSIGN(columns, call.Columns("columns"));
  return AddConstraintOf(call,
                         ops::Constraint::Of(ops::PrimaryKeyConstraint{columns, name, {}, {}}));
}

Result<Value> CreateCheck(const OpCall& call) {
  SQLMEND_ASSIGN(name, call.Name("constraint_name"));
  const Value* condition = call.Get("condition");
  if (condition == nullptr)
    return base::Fail(call.c.Throw("TypeError", call.function + "() missing 'condition'"));
  auto sql = condition->Is(Kind::kStr) ? Result<std::string>(condition->AsStr())
                                       : sqlalchemy::CompileLiteralSql(call.c, *condition);
  if (!sql) return base::Fail(sql.error());
  return AddConstraintOf(call, ops::Constraint::Of(ops::CheckConstraint{*sql, name}));
}

Result<Value> CreateForeignKey(const OpCall& call) {
  ops::ForeignKeyConstraint fk;
  SQLMEND_ASSIGN(name, call.Name("constraint_name"));
  SQLMEND_ASSIGN(referent, call.Str("referent_table"));
  SQLMEND_ASSIGN(local, call.Columns("local_cols"));
  SQLMEND_ASSIGN(remote, call.Columns("remote_cols"));
  if (call.bound.GetNotNone("referent_schema") != nullptr ||
      call.bound.GetNotNone("source_schema") != nullptr) {
    return base::Fail(call.c.Unsupported("unsupported: a foreign key across schemas"));
  }
  fk.name = name;
  fk.target_table = referent;
  fk.columns = local;
  fk.target_columns = remote;
  for (auto [keyword, field] :
       {std::pair{"ondelete", &fk.options.ondelete}, std::pair{"onupdate", &fk.options.onupdate},
        std::pair{"initially", &fk.options.initially}, std::pair{"match", &fk.options.match}}) {
    auto text = OptionalString(call.c, call.bound, call.function, keyword);
    if (!text) return base::Fail(text.error());
    *field = *text;
  }
  fk.options.deferrable = OptionalBool(call.bound, "deferrable");
  return AddConstraintOf(call, ops::Constraint::Of(std::move(fk)));
}

Result<Value> DropConstraint(const OpCall& call) {
  SQLMEND_RETURN_IF_ERROR(call.RefuseSchema());
  SQLMEND_ASSIGN(name, call.Name("constraint_name"));
  SQLMEND_ASSIGN(table, call.Table("table_name"));
  std::string type;
  if (const Value* given = call.bound.GetNotNone("type_")) type = ToStr(*given);
  return call.Record(ops::DropConstraint{name, table, type});
}

// Bind values of text(...).bindparams(...) and of a params dict.
Result<std::vector<std::pair<std::string, ops::Literal>>> Parameters(
    CallContext& c, const std::vector<std::pair<std::string, Value>>& values) {
  std::vector<std::pair<std::string, ops::Literal>> out;
  for (const auto& [name, value] : values) {
    auto literal = sqlalchemy::LiteralOf(c, value);
    if (!literal) return base::Fail(literal.error());
    out.emplace_back(name, *literal);
  }
  return out;
}

// op.execute(sql) and connection.execute(sql, params): a str, sa.text(...)
// with its bind values and those of `params` (a dict), or a Core statement
// (select, insert, update, delete) compiled by sqlalchemy/compiler.h, with
// `params` as its execution parameters.
Result<ops::Execute> ExecuteOf(CallContext& c, const Value& statement, const Value* params,
                               bool plain_string_is_text) {
  ops::Execute execute;
  std::vector<std::pair<std::string, Value>> values;
  if (params != nullptr && !params->IsNone() && params->Is(Kind::kDict)) {
    for (const auto& [key, value] : params->AsDict().entries)
      values.emplace_back(ToStr(key), value);
  } else if (params != nullptr && !params->IsNone()) {
    // SQLAlchemy 1.4's legacy positional form: connection.execute("... ?",
    // value) or (value, value), bound in order by the driver.
    if (!statement.Is(Kind::kStr)) {
      return base::Fail(c.Unsupported(
          "unsupported: positional execute() parameters for a " + statement.TypeName()));
    }
    for (const Value& value : params->IsSequence() ? params->Items() : std::vector<Value>{*params})
      values.emplace_back("", value);
  }
  if (statement.Is(Kind::kStr)) {
    execute.sql = statement.AsStr();
    // With positional values the string goes to the driver as written.
    execute.text_clause =
        plain_string_is_text && (params == nullptr || params->IsNone() || params->Is(Kind::kDict));
    execute.plain_string = !execute.text_clause;
  } else if (const sqlalchemy::TextValue* text = sqlalchemy::AsText(statement)) {
    execute.sql = text->sql();
    values.insert(values.begin(), text->binds().begin(), text->binds().end());
  } else if (const sqlalchemy::DdlValue* ddl = sqlalchemy::AsDdl(statement)) {
    // DDL goes to the driver as written: no bind parameters.
    auto sql = ddl->Sql(c);
    if (!sql) return base::Fail(sql.error());
    execute.sql = std::move(*sql);
    execute.text_clause = false;
  } else if (sqlalchemy::ElementPtr element = sqlalchemy::AsElement(statement);
             element != nullptr && sqlalchemy::IsStatement(element)) {
    // Compiled SQL binds by position; --sql writes the values inline.
    sqlalchemy::CompileOptions options;
    options.execution = values;
    auto compiled = sqlalchemy::Compile(c, element, options);
    if (!compiled) return base::Fail(compiled.error());
    sqlalchemy::CompileOptions placeholders = options;
    placeholders.postcompile_in = true;
    auto offline = sqlalchemy::Compile(c, element, placeholders);
    if (!offline) return base::Fail(offline.error());
    if (offline->sql != compiled->sql) execute.placeholder_sql = std::move(offline->sql);
    options.literal_binds = true;
    auto literal = sqlalchemy::Compile(c, element, options);
    if (literal) {
      execute.literal_sql = std::move(literal->sql);
    } else if (c.Catch(literal.error(), "Exception")) {
      // Only --sql needs the literal form: the error waits for it.
      execute.literal_error = literal.error().message();
    } else {
      return base::Fail(literal.error());
    }
    execute.sql = std::move(compiled->sql);
    execute.text_clause = false;
    for (ops::Literal& parameter : compiled->parameters) {
      execute.parameters.emplace_back("", std::move(parameter));
    }
    return execute;
  } else {
    return base::Fail(c.Unsupported("unsupported: executing a " + statement.TypeName() +
                                    " (sqlmend runs str, sa.text(), sa.DDL() and Core statements)"));
  }
  auto parameters = Parameters(c, values);
  if (!parameters) return base::Fail(parameters.error());
  execute.parameters = *parameters;
  return execute;
}

Result<Value> Execute(const OpCall& call) {
  const Value* statement = call.Get("sqltext");
  if (statement == nullptr)
    return base::Fail(call.c.Throw("TypeError", "op.execute() missing 'sqltext'"));
  auto execute = ExecuteOf(call.c, *statement, nullptr, true);
  if (!execute) return base::Fail(execute.error());
  return call.Record(std::move(*execute));
}

Result<Value> BulkInsert(const OpCall& call) {
  const Value* table = call.Get("table");
  sqlalchemy::TableValue* table_value = table != nullptr ? sqlalchemy::AsTable(*table) : nullptr;
  if (table_value == nullptr) {
    return base::Fail(call.c.Throw(
        "TypeError", "op.bulk_insert(): table must be sa.table(...) or sa.Table(...)"));
  }
  ops::BulkInsert insert;
  insert.table = table_value->table.name;
  insert.columns = table_value->table.columns;
  insert.multiinsert = BoolOr(call.bound, "multiinsert", true);
  auto rows = IterateValue(call.c, *call.Get("rows"));
  if (!rows) return base::Fail(rows.error());
  for (const Value& row_value : *rows) {
    const Value& row = python::BuiltinValueOf(row_value);  // a dict subclass's items
    if (!row.Is(Kind::kDict))
      return base::Fail(call.c.Throw("TypeError", "op.bulk_insert(): each row must be a dict"));
    std::vector<std::pair<std::string, ops::Literal>> values;
    for (const auto& [key, value] : row.AsDict().entries) {
      std::string column_name = ToStr(key);
      const sqlalchemy::ColumnValue* column = nullptr;
      for (const auto& candidate : table_value->columns) {
        if (candidate->column.name == column_name) column = candidate.get();
      }
      if (column == nullptr) {
        return base::Fail(
            call.c.Throw("TypeError", "CompileError: Unconsumed column names: " + column_name));
      }
      // Online, Alembic executes table.insert() with the rows: each value
      // goes through its column type's bind processing.
      auto literal = sqlalchemy::BindLiteral(call.c, column->type_value, value);
      if (!literal) return base::Fail(literal.error());
      values.emplace_back(column_name, *literal);
    }
    // NOTE: SQLAlchemy fills a column with a Python-side default= from it,
    // per row online and as NULL or "?" in --sql; not modelled here.
    for (const auto& column : table_value->columns) {
      if (sqlalchemy::DefaultKindOf(column->default_value) == sqlalchemy::DefaultKind::kNone) {
        continue;
      }
      if (std::none_of(values.begin(), values.end(),
                       [&](const auto& entry) { return entry.first == column->column.name; })) {
        return base::Fail(call.c.Unsupported(
            "unsupported: op.bulk_insert() of a row without column '" + column->column.name +
            "', which has a Python-side default="));
      }
    }
    insert.rows.push_back(std::move(values));
  }
  return call.Record(std::move(insert));
}

Result<Value> TableComment(const OpCall& call, bool drop) {
  SQLMEND_RETURN_IF_ERROR(call.RefuseSchema());
  SQLMEND_ASSIGN(table, call.Table("table_name"));
  ops::Comment comment{table, std::nullopt, std::nullopt};
  if (!drop) {
    SQLMEND_ASSIGN(text, call.Str("comment"));
    comment.text = text;
  }
  return call.Record(std::move(comment));
}

// A statement's result while planning: using it stops the planning of the
// body, which then runs online (OperationLog::needs_database).
class PlannedResult : public HostObject {
 public:
  explicit PlannedResult(std::shared_ptr<OperationsValue> op) : op_(std::move(op)) {}
  std::string TypeName() const override { return "CursorResult"; }
  std::optional<Result<Value>> GetAttribute(CallContext& context, std::string_view) override {
    return base::Fail(Needed(context));
  }
  Result<std::vector<Value>> Iterate(CallContext& context) override {
    return base::Fail(Needed(context));
  }
  Result<Value> GetItem(CallContext& context, const Value&) override {
    return base::Fail(Needed(context));
  }

 private:
  Status Needed(CallContext& context) {
    op_->log()->needs_database = true;
    return context.Unsupported(kNoResult);
  }
  std::shared_ptr<OperationsValue> op_;
};

// The types of a Core SELECT's result columns, where the statement names
// them (a table's columns, labelled columns); None elsewhere.
std::vector<Value> ResultTypes(const sqlalchemy::ElementPtr& element) {
  std::vector<Value> types;
  if (element == nullptr || element->kind != sqlalchemy::Element::Kind::kSelect ||
      element->select == nullptr) {
    return types;
  }
  for (const sqlalchemy::ElementPtr& column : element->select->columns) {
    const sqlalchemy::Element* typed = column.get();
    if (typed->kind == sqlalchemy::Element::Kind::kTable) {
      for (const sqlalchemy::ElementPtr& child : typed->children) types.push_back(child->type);
      continue;
    }
    if (typed->kind == sqlalchemy::Element::Kind::kLabel && !typed->children.empty()) {
      typed = typed->children.front().get();
    }
    types.push_back(typed->type);
  }
  return types;
}

class OpConnection;
// The Engine value of `connection` (OpEngine, below).
Value EngineOf(std::shared_ptr<OpConnection> connection);

// op.get_bind() (and op.get_context().bind). While planning, execute()
// records and every result is refused, marking the body as one that needs
// the database; online, statements run at once and return their rows.
class OpConnection : public sqlalchemy::BindValue {
 public:
  explicit OpConnection(std::shared_ptr<OperationsValue> op) : op_(std::move(op)) {}
  std::string TypeName() const override { return "Connection"; }
  bool ReachesDatabase() const override { return true; }
  sqlalchemy::Connection* live() const override { return op_->log()->live; }
  Status DatabaseNeeded(CallContext& context) override {
    op_->log()->needs_database = true;
    return context.Unsupported(kNoResult);
  }

  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    auto op = op_;
    auto self = std::make_shared<OpConnection>(op_);
    if (name == "execute" || name == "exec_driver_sql" || name == "scalar") {
      const std::string function(name);
      return Value::Builtin(function, [self, function](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, function, a, 1, 2, {"execution_options"}));
        auto result = self->Execute(c, a.positional[0],
                                    a.positional.size() > 1 ? &a.positional[1] : nullptr,
                                    function == "exec_driver_sql");
        if (!result || function != "scalar") return result;
        auto scalar = c.GetAttr(*result, "scalar");
        if (!scalar) return scalar;
        return c.Call(*scalar, Args{});
      });
    }
    if (name == "dialect") return sqlalchemy::SqliteDialectValue();
    if (name == "engine") return EngineOf(self);
    if (name == "connect") {
      return Value::Builtin("connect", [self](CallContext&, Args&) -> Result<Value> {
        return Value::Host(self);
      });
    }
    return std::nullopt;
  }
  const std::optional<std::string>& url() const { return op_->log()->url; }
  // `with op.get_bind().connect() as conn:`: the same connection.
  Result<Value> Enter(CallContext&) override {
    return Value::Host(std::make_shared<OpConnection>(op_));
  }
  Status Exit(CallContext&) override { return Status::Ok(); }

 private:
  // One statement, or one per parameter set when given a list of them
  // (SQLAlchemy's executemany).
  Result<Value> Execute(CallContext& c, const Value& statement, const Value* params,
                        bool driver) {
    // A list of dicts (or of tuples) is one execution per item, as
    // SQLAlchemy's executemany; a dict, a tuple of values or one value is
    // a single execution.
    std::vector<const Value*> parameter_sets;
    if (params != nullptr && (params->Is(Kind::kList) || params->Is(Kind::kTuple)) &&
        !params->Items().empty() &&
        (params->Items().front().Is(Kind::kDict) || params->Items().front().IsSequence())) {
      for (const Value& item : params->Items()) parameter_sets.push_back(&item);
    } else {
      parameter_sets.push_back(params);
    }
    OperationLog& log = *op_->log();
    sqlalchemy::ResultSet last;
    int64_t rowcount = 0;
    for (const Value* parameters : parameter_sets) {
      auto execute = ExecuteOf(c, statement, parameters, false);
      if (!execute) return base::Fail(execute.error());
      if (driver) execute->text_clause = false;
      const SourceLocation where = op_->interpreter()->CurrentLocation();
      if (log.live == nullptr) {
        log.operations.emplace_back(std::move(*execute));
        log.locations.push_back(where);
        continue;
      }
      log.operations.emplace_back(*execute);
      log.locations.push_back(where);
      auto rows = log.live->Query(*execute, where);
      if (!rows) return base::Fail(RaiseLive(c, log, rows.error()));
      rowcount += std::max<int64_t>(rows->rowcount, 0);
      last = std::move(*rows);
    }
    if (log.live == nullptr) return Value::Host(std::make_shared<PlannedResult>(op_));
    if (parameter_sets.size() > 1) last.rowcount = rowcount;
    sqlalchemy::ElementPtr element = sqlalchemy::AsElement(statement);
    return sqlalchemy::MakeResult(c, std::move(last), ResultTypes(element));
  }

  std::shared_ptr<OperationsValue> op_;
};

// op.get_bind().engine: the Engine of the connection, named by env.py's
// URL (str() of SQLAlchemy's URL object is that text); connect() gives the
// connection back.
class OpEngine : public HostObject {
 public:
  explicit OpEngine(std::shared_ptr<OpConnection> connection)
      : connection_(std::move(connection)) {}
  std::string TypeName() const override { return "Engine"; }
  bool ReachesDatabase() const override { return true; }
  std::optional<Result<Value>> GetAttribute(CallContext& context, std::string_view name) override {
    if (name == "name") return Value::Str("sqlite");
    if (name == "driver") return Value::Str("pysqlite");
    if (name == "url") {
      const std::optional<std::string>& url = connection_->url();
      return url ? Value::Str(*url) : Value::None();
    }
    if (name == "connect") {
      Value connection = Value::Host(connection_);
      return Value::Builtin("connect", [connection](CallContext&, Args&) -> Result<Value> {
        return connection;
      });
    }
    return connection_->GetAttribute(context, name);
  }

 private:
  std::shared_ptr<OpConnection> connection_;
};

Value EngineOf(std::shared_ptr<OpConnection> connection) {
  return Value::Host(std::make_shared<OpEngine>(std::move(connection)));
}

class MigrationContextValue : public HostObject {
 public:
  explicit MigrationContextValue(std::shared_ptr<OperationsValue> op) : op_(std::move(op)) {}
  std::string TypeName() const override { return "MigrationContext"; }
  bool ReachesDatabase() const override { return true; }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "dialect") return sqlalchemy::SqliteDialectValue();
    if (name == "opts") return Value::Dict();
    if (name == "bind" || name == "connection") {
      return Value::Host(std::make_shared<OpConnection>(op_));
    }
    return std::nullopt;
  }

 private:
  std::shared_ptr<OperationsValue> op_;
};

// with op.batch_alter_table(...) as batch_op.
class BatchContext : public HostObject {
 public:
  BatchContext(std::shared_ptr<OperationsValue> op, std::shared_ptr<ops::BatchAlterTable> batch)
      : op_(std::move(op)), batch_(std::move(batch)), defaults_(std::make_shared<BatchDefaults>()) {}
  std::string TypeName() const override { return "BatchOperationsContext"; }
  bool ReachesDatabase() const override { return true; }
  Result<Value> Enter(CallContext&) override {
    return Value::Host(
        std::make_shared<OperationsValue>(op_->interpreter(), op_->log(), batch_, defaults_));
  }
  Status Exit(CallContext& context) override {
    if (op_->interpreter()->ExitingWithError()) return Status::Ok();
    // A rebuild copies the rows with the added columns' Python-side
    // defaults (SQLAlchemy's INSERT ... SELECT with include_defaults).
    if (ops::BatchRecreates(*batch_)) {
      Value parameters = Value::Dict();
      for (const auto& [index, column] : defaults_->columns) {
        const sqlalchemy::ColumnValue& added = *sqlalchemy::AsColumn(column);
        if (sqlalchemy::DefaultKindOf(added.default_value) != sqlalchemy::DefaultKind::kExpression) {
          parameters.AsDict().Set(Value::Str(added.column.name), Value::None());
        }
      }
      for (const auto& [index, column] : defaults_->columns) {
        auto* add = std::get_if<ops::AddColumn>(&batch_->operations[index]);
        if (add == nullptr) continue;
        auto value = sqlalchemy::CopyDefaultOf(context, *sqlalchemy::AsColumn(column), parameters);
        if (!value) return value.error();
        add->column.python_default = std::move(*value);
      }
    }
    OperationLog& log = *op_->log();
    log.operations.emplace_back(*batch_);
    log.locations.push_back(location_);
    return RunLive(context, log, log.operations.back(), location_);
  }
  SourceLocation location_;

 private:
  std::shared_ptr<OperationsValue> op_;
  std::shared_ptr<ops::BatchAlterTable> batch_;
  std::shared_ptr<BatchDefaults> defaults_;
};

Result<Value> BatchAlterTable(const OpCall& call) {
  SQLMEND_RETURN_IF_ERROR(call.RefuseSchema());
  auto batch = std::make_shared<ops::BatchAlterTable>();
  SQLMEND_ASSIGN(table, call.Str("table_name"));
  batch->table = table;
  if (const Value* recreate = call.bound.GetNotNone("recreate")) {
    std::string mode = ToStr(*recreate);
    if (mode == "auto") {
      batch->recreate = ops::BatchAlterTable::Recreate::kAuto;
    } else if (mode == "always") {
      batch->recreate = ops::BatchAlterTable::Recreate::kAlways;
    } else if (mode == "never") {
      batch->recreate = ops::BatchAlterTable::Recreate::kNever;
    } else {
      return base::Fail(
          call.c.Throw("ValueError", "recreate may be one of 'auto', 'always', or 'never'."));
    }
  }
  if (const Value* copy_from = call.bound.GetNotNone("copy_from")) {
    sqlalchemy::TableValue* source = sqlalchemy::AsTable(*copy_from);
    if (source == nullptr)
      return base::Fail(call.c.Throw("TypeError", "copy_from must be a sa.Table"));
    batch->copy_from = source->table;
  }
  if (const Value* table_args = call.bound.GetNotNone("table_args")) {
    for (const Value& item : ItemsOrSingle(*table_args)) {
      sqlalchemy::ConstraintValue* constraint = sqlalchemy::AsConstraint(item);
      if (constraint == nullptr) {
        return base::Fail(
            call.c.Unsupported("unsupported: a " + item.TypeName() + " in table_args"));
      }
      batch->table_args.push_back(constraint->constraint);
    }
  }
  if (const Value* table_kwargs = call.bound.GetNotNone("table_kwargs")) {
    if (!table_kwargs->Is(Kind::kDict))
      return base::Fail(call.c.Throw("TypeError", "table_kwargs must be a dict"));
    std::vector<std::pair<std::string, Value>> keywords;
    for (const auto& [key, value] : table_kwargs->AsDict().entries) {
      keywords.emplace_back(ToStr(key), value);
    }
    ops::Table keyworded;
    SQLMEND_RETURN_IF_ERROR(sqlalchemy::ApplyTableKeywords(
        call.c, "table_kwargs of op.batch_alter_table", keyworded, keywords));
    batch->sqlite_autoincrement = keyworded.sqlite_autoincrement;
    batch->sqlite_with_rowid = keyworded.sqlite_with_rowid;
  }
  for (const char* unmodelled : {"reflect_args", "reflect_kwargs"}) {
    const Value* value = call.bound.GetNotNone(unmodelled);
    if (value == nullptr) continue;
    bool empty = (value->IsSequence() && value->Items().empty()) ||
                 (value->Is(Kind::kDict) && value->AsDict().entries.empty());
    if (!empty)
      return base::Fail(call.c.Unsupported(std::string("unsupported: ") + unmodelled +
                                           "= of op.batch_alter_table()"));
  }
  if (const Value* convention = call.bound.GetNotNone("naming_convention")) {
    auto parsed = sqlalchemy::NamingConventionOf(call.c, *convention);
    if (!parsed) return base::Fail(parsed.error());
    batch->naming_convention = *parsed;
  }
  if (const Value* reordering = call.bound.GetNotNone("partial_reordering")) {
    for (const Value& group : ItemsOrSingle(*reordering)) {
      std::vector<std::string> names;
      for (const Value& name : ItemsOrSingle(group)) names.push_back(ToStr(name));
      batch->partial_reordering.push_back(std::move(names));
    }
  }
  auto context =
      std::make_shared<BatchContext>(std::make_shared<OperationsValue>(call.self), batch);
  context->location_ = call.self.interpreter()->CurrentLocation();
  return Value::Host(context);
}

const std::map<std::string, std::pair<MethodSpec, Handler>, std::less<>>& Methods() {
  static const auto* const methods =
      new std::map<std::string, std::pair<MethodSpec, Handler>, std::less<>>{
          {"create_table",
           {{{"table_name"}, 1, {"sqlite_autoincrement", "sqlite_with_rowid"}, "", true, false},
            CreateTable}},
          {"drop_table", {{{"table_name"}, 1, {}, "", true, false}, DropTable}},
          {"add_column",
           {{{"table_name", "column"}, 2, {"insert_before", "insert_after"}, "table_name"},
            AddColumn}},
          {"drop_column", {{{"table_name", "column_name"}, 2, {}, "table_name"}, DropColumn}},
          {"alter_column",
           {{{"table_name", "column_name", "nullable", "comment", "server_default",
              "new_column_name", "type_", "existing_type", "existing_server_default",
              "existing_nullable", "existing_comment"},
             2,
             {"autoincrement", "insert_before", "insert_after", "existing_autoincrement"},
             "table_name"},
            AlterColumn}},
          {"create_index",
           {{{"index_name", "table_name", "columns"},
             3,
             {"unique", "sqlite_where", "if_not_exists"},
             "table_name"},
            CreateIndex}},
          {"drop_index",
           {{{"index_name", "table_name"}, 1, {"if_exists"}, "table_name"}, DropIndex}},
          {"rename_table",
           {{{"old_table_name", "new_table_name"}, 2, {}, "", true, false}, RenameTable}},
          {"create_unique_constraint",
           {{{"constraint_name", "table_name", "columns"},
             3,
             {"deferrable", "initially"},
             "table_name"},
            CreateUnique}},
          {"create_primary_key",
           {{{"constraint_name", "table_name", "columns"}, 3, {}, "table_name"}, CreatePrimaryKey}},
          {"create_check_constraint",
           {{{"constraint_name", "table_name", "condition"}, 3, {}, "table_name"}, CreateCheck}},
          {"create_foreign_key",
           {{{"constraint_name", "source_table", "referent_table", "local_cols", "remote_cols"},
             5,
             {"onupdate", "ondelete", "deferrable", "initially", "match", "source_schema",
              "referent_schema"},
             "source_table"},
            CreateForeignKey}},
          {"drop_constraint",
           {{{"constraint_name", "table_name", "type_"}, 2, {}, "table_name"}, DropConstraint}},
          {"execute", {{{"sqltext", "execution_options"}, 1, {}, "", true, true}, Execute}},
          {"bulk_insert", {{{"table", "rows", "multiinsert"}, 2, {}, "", true, false}, BulkInsert}},
          {"create_table_comment",
           {{{"table_name", "comment", "existing_comment"}, 2, {}, "table_name"},
            [](const OpCall& call) { return TableComment(call, false); }}},
          {"drop_table_comment",
           {{{"table_name", "existing_comment"}, 1, {}, "table_name"},
            [](const OpCall& call) { return TableComment(call, true); }}},
          {"batch_alter_table",
           {{{"table_name", "schema", "recreate", "partial_reordering", "copy_from", "table_args",
              "table_kwargs", "reflect_args", "reflect_kwargs", "naming_convention"},
             1,
             {},
             "",
             true,
             false},
            BatchAlterTable}},
      };
  return *methods;
}

// `args` less the keywords `policy` accepts and ignores; a keyword it does
// not accept raises TypeError with Python's or SQLAlchemy's message.
Result<Args> AcceptedKeywords(CallContext& c, const std::string& function,
                              ExtraKeywords policy, const std::vector<std::string>& positional,
                              const std::vector<std::string>& keywords, const Args& args) {
  auto named = [&](const std::string& key) {
    for (const auto* list : {&positional, &keywords, &kIgnored}) {
      if (std::find(list->begin(), list->end(), key) != list->end()) return true;
    }
    return false;
  };
  Args accepted;
  accepted.positional = args.positional;
  for (const auto& [key, value] : args.keywords) {
    if (named(key)) {
      accepted.keywords.emplace_back(key, value);
      continue;
    }
    switch (policy) {
      case ExtraKeywords::kNone:
        return base::Fail(c.Throw("TypeError", function.substr(function.find('.') + 1) +
                                                   "() got an unexpected keyword argument '" +
                                                   key + "'"));
      case ExtraKeywords::kAny:
        continue;
      case ExtraKeywords::kDialect:
        // A keyword of SQLAlchemy's construct itself (Table's prefixes=)
        // or an unmodelled sqlite_ option: BindArgs refuses it, located.
        if (key.find('_') == std::string::npos || key.starts_with("sqlite_")) {
          accepted.keywords.emplace_back(key, value);
        }
        continue;
    }
  }
  return accepted;
}

Value Method(const std::shared_ptr<OperationsValue>& self, const std::string& name,
             const MethodSpec& spec, const Handler& handler) {
  std::string function = (self->batch() ? "batch_op." : "op.") + name;
  return Value::Builtin(
      function, [self, spec, handler, function, name](CallContext& c, Args& a) -> Result<Value> {
        std::vector<std::string> positional = spec.positional;
        size_t required = spec.required;
        if (self->batch() && !spec.table_parameter.empty()) {
          std::erase(positional, spec.table_parameter);
          --required;
        }
        std::vector<std::string> keywords = spec.keywords;
        if (std::find(positional.begin(), positional.end(), "schema") == positional.end())
          keywords.push_back("schema");
        const bool var_positional = name == "create_table";
        auto accepted = AcceptedKeywords(c, function, ExtraKeywordsOf(name), positional,
                                         keywords, a);
        if (!accepted) return base::Fail(accepted.error());
        auto bound = BindArgs(
            c, Signature{function, positional, required, var_positional, keywords, kIgnored},
            *accepted);
        if (!bound) return base::Fail(bound.error());
        return handler(OpCall(*self, c, std::move(*bound), function));
      });
}

}  // namespace

std::optional<Result<Value>> OperationsValue::GetAttribute(CallContext& context,
                                                           std::string_view name) {
  auto self = std::make_shared<OperationsValue>(*this);
  if (name == "f") {
    return Value::Builtin("op.f", [](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "f", a, 1, 1));
      if (!a.positional[0].Is(Kind::kStr))
        return base::Fail(c.Throw("TypeError", "op.f() takes a str"));
      return sqlalchemy::ConvName(a.positional[0].AsStr());
    });
  }
  if (name == "inline_literal") {
    return Value::Builtin("op.inline_literal", [](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "inline_literal", a, 1, 2, {"type_"}));
      auto sql = sqlalchemy::CompileLiteralSql(c, a.positional[0]);
      if (!sql) return base::Fail(sql.error());
      return Value::Host(std::make_shared<sqlalchemy::ExpressionValue>(*sql));
    });
  }
  if (name == "get_bind") {
    return Value::Builtin("op.get_bind", [self](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "get_bind", a, 0, 0));
      return Value::Host(std::make_shared<OpConnection>(self));
    });
  }
  if (name == "get_context") {
    return Value::Builtin("op.get_context", [self](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "get_context", a, 0, 0));
      return Value::Host(std::make_shared<MigrationContextValue>(self));
    });
  }
  if (name == "invoke" && !batch_) {
    // op.invoke(ops.AddColumnOp(...)): the operation as its op method
    // (op_objects.h).
    return Value::Builtin("op.invoke", [self](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "invoke", a, 1, 1));
      auto invocation = InvocationOf(c, a.positional[0]);
      if (!invocation) return base::Fail(invocation.error());
      auto method = self->GetAttribute(c, invocation->method);
      if (!method || !*method) {
        return base::Fail(c.Unsupported("unsupported: op." + invocation->method + "()"));
      }
      return c.Call(**method, std::move(invocation->args));
    });
  }
  if (name == "invoke" || name == "run_async") {
    // batch_op.invoke(...) and op.run_async(fn) (an async function) are not
    // modelled.
    std::string function = (batch_ ? "batch_op." : "op.") + std::string(name);
    return Value::Builtin(function, [function](CallContext& c, Args&) -> Result<Value> {
      return base::Fail(c.Unsupported("unsupported: " + function + "()"));
    });
  }
  if (batch_ && name == "impl") return std::nullopt;
  auto it = Methods().find(name);
  if (it == Methods().end()) {
    (void)context;
    return std::nullopt;
  }
  const auto& [spec, handler] = it->second;
  if (batch_ && !spec.batch_form) return std::nullopt;
  return Method(self, it->first, spec, handler);
}

Value MakeOp(Interpreter& interpreter, std::shared_ptr<OperationLog> log) {
  return Value::Host(std::make_shared<OperationsValue>(&interpreter, std::move(log), nullptr));
}

void InstallAlembicOp(Interpreter& interpreter, std::shared_ptr<OperationLog> log) {
  Value op = MakeOp(interpreter, std::move(log));
  auto alembic = std::make_shared<ModuleObject>();
  alembic->name = "alembic";
  alembic->attributes["op"] = op;
  auto operations = std::make_shared<ModuleObject>();
  operations->name = "alembic.operations";
  Value ops_module = MakeOperationObjectsModule();
  operations->attributes["ops"] = ops_module;
  alembic->attributes["operations"] = Value::Module(operations);
  interpreter.AddModule("alembic", Value::Module(alembic));
  interpreter.AddModule("alembic.op", op);
  interpreter.AddModule("alembic.operations", Value::Module(operations));
  interpreter.AddModule("alembic.operations.ops", ops_module);
}

}  // namespace sqlmend::alembic
