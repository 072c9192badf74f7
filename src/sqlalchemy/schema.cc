#include "sqlalchemy/schema.h"

#include <atomic>
#include <set>
#include <utility>

#include "python/args.h"
#include "python/builtins.h"
#include "sqlalchemy/column_default.h"
#include "sqlalchemy/compiler.h"
#include "sqlalchemy/elements.h"
#include "sqlalchemy/public_names.h"
#include "sqlalchemy/reflection.h"
#include "sqlalchemy/sql.h"
#include "sqlalchemy/types.h"

namespace sqlmend::sqlalchemy {

using python::Args;
using python::BindArgs;
using python::BoolOr;
using python::BoundArgs;
using python::CallContext;
using python::HostObject;
using python::ItemsOrSingle;
using python::ModuleObject;
using python::NativeFunction;
using python::OptionalBool;
using python::OptionalString;
using python::Repr;
using python::Signature;
using python::StrRepr;
using python::ToStr;
using python::Value;

namespace {

using base::Result;
using base::Status;
using Kind = Value::Kind;

// Declarative orders a class's columns by when they were made, as
// SQLAlchemy's Column._creation_order does.
std::atomic<int64_t> next_creation_order{1};

template <typename T>
T* HostAs(const Value& value) {
  return value.Is(Kind::kHost) ? dynamic_cast<T*>(&value.AsHost()) : nullptr;
}

// op.f("name"): a str subclass in SQLAlchemy; here a host object with the
// text, accepted wherever a name is.
class ConvValue : public HostObject {
 public:
  explicit ConvValue(std::string name) : name_(std::move(name)) {}
  std::string TypeName() const override { return "conv"; }
  std::string Repr() const override { return StrRepr(name_); }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

// The column collection `table.c`.
class ColumnCollection : public HostObject {
 public:
  explicit ColumnCollection(std::vector<std::shared_ptr<ColumnValue>> columns)
      : columns_(std::move(columns)) {}
  std::string TypeName() const override { return "ImmutableColumnCollection"; }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    for (const auto& column : columns_) {
      if (column->key == name) return Value::Host(column);
    }
    return std::nullopt;
  }
  Result<Value> GetItem(CallContext& context, const Value& key) override {
    if (key.Is(Kind::kStr)) {
      if (auto found = GetAttribute(context, key.AsStr())) return *found;
    }
    return base::Fail(context.ThrowKeyError(key));
  }
  Result<std::vector<Value>> Iterate(CallContext&) override {
    std::vector<Value> out;
    for (const auto& column : columns_) out.push_back(Value::Host(column));
    return out;
  }

 private:
  std::vector<std::shared_ptr<ColumnValue>> columns_;
};

Result<ops::ForeignKeyOptions> ForeignKeyOptionsOf(CallContext& c, const BoundArgs& bound,
                                                   const std::string& function) {
  ops::ForeignKeyOptions options;
  for (auto [name, field] :
       {std::pair{"ondelete", &options.ondelete}, std::pair{"onupdate", &options.onupdate},
        std::pair{"initially", &options.initially}, std::pair{"match", &options.match}}) {
    auto text = OptionalString(c, bound, function, name);
    if (!text) return base::Fail(text.error());
    *field = *text;
  }
  options.deferrable = OptionalBool(bound, "deferrable");
  return options;
}

// "parent.id" -> ("parent", "id"); a Column attached to a Table works too.
Result<std::pair<std::string, std::string>> TargetOf(CallContext& c, const Value& value) {
  if (ColumnValue* column = AsColumn(value); column != nullptr && !column->table.empty()) {
    return std::pair{column->table, column->column.name};
  }
  if (!value.Is(Kind::kStr)) {
    return base::Fail(
        c.Throw("TypeError", "ForeignKey: expected \"table.column\", got " + value.TypeName()));
  }
  const std::string& text = value.AsStr();
  size_t dot = text.find('.');
  if (dot == std::string::npos || text.find('.', dot + 1) != std::string::npos) {
    if (dot != std::string::npos) {
      return base::Fail(
          c.Unsupported("unsupported: a foreign key to another schema (\"" + text + "\")"));
    }
    return base::Fail(c.Throw("TypeError",
                              "ArgumentError: Invalid foreign key column "
                              "specification: " +
                                  text));
  }
  return std::pair{text.substr(0, dot), text.substr(dot + 1)};
}

// sa.Sequence(name, ...) and sa.Identity(...) given to a Column: SQLite has
// no sequences or identity columns, and SQLAlchemy's SQLite dialect writes
// no DDL for them (an INTEGER PRIMARY KEY is the rowid).
class NoDdlItem : public HostObject {
 public:
  explicit NoDdlItem(std::string type) : type_(std::move(type)) {}
  std::string TypeName() const override { return type_; }

 private:
  std::string type_;
};

NativeFunction NoDdlConstructor(std::string type, Signature signature) {
  return [type, signature](CallContext& c, Args& a) -> Result<Value> {
    auto bound = BindArgs(c, signature, a);
    if (!bound) return base::Fail(bound.error());
    return Value::Host(std::make_shared<NoDdlItem>(type));
  };
}

Result<Value> MakeColumn(CallContext& c, Args& a) {
  auto bound =
      BindArgs(c,
               Signature{"sa.Column",
                         {},
                         0,
                         true,
                         {"name", "type_", "key", "primary_key", "nullable", "server_default",
                          "index", "unique", "autoincrement", "comment", "server_onupdate",
                          "default", "onupdate"},
                         {"info", "doc", "quote", "system", "_proxies"}},
               a);
  if (!bound) return base::Fail(bound.error());
  ops::Column column;
  bool named = false;
  std::optional<Value> type_value;
  std::vector<Value> items = bound->rest;
  std::vector<std::shared_ptr<ColumnValue>> foreign_key_columns;
  if (!items.empty() && items[0].Is(Kind::kStr)) {
    column.name = items[0].AsStr();
    named = true;
    items.erase(items.begin());
  }
  if (!items.empty() && IsTypeValue(items[0])) {
    type_value = items[0];
    items.erase(items.begin());
  }
  if (const Value* name = bound->GetNotNone("name")) {
    column.name = ToStr(*name);
    named = true;
  }
  if (const Value* type = bound->GetNotNone("type_")) type_value = *type;
  // Without a type the column is NullType until a ForeignKey of its own
  // resolves (ResolveForeignKeyTypes).
  column.type = ops::Type::Null();
  if (type_value) {
    auto type = TypeOf(c, *type_value, "sa.Column");
    if (!type) return base::Fail(type.error());
    column.type = std::move(*type);
  }
  std::set<std::string> no_ddl;
  for (const Value& item : items) {
    // Column(None, ForeignKey(...)): SQLAlchemy skips None items, and the
    // foreign key gives the type.
    if (item.IsNone()) continue;
    if (auto* skipped = HostAs<NoDdlItem>(item)) {
      no_ddl.insert(skipped->TypeName());
      if (no_ddl.size() == 2) {
        return base::Fail(ThrowSqlalchemyError(
            c, "ArgumentError", "An column cannot specify both Identity and Sequence."));
      }
      continue;
    }
    if (auto* fk = HostAs<ForeignKeyValue>(item)) {
      column.foreign_keys.push_back(fk->foreign_key);
      if (fk->column != nullptr) foreign_key_columns.push_back(fk->column);
    } else if (ConstraintValue* check = AsConstraint(item);
               check != nullptr && check->constraint.kind == ops::Constraint::Kind::kCheck) {
      column.checks.push_back(check->constraint.check);
    } else {
      return base::Fail(
          c.Unsupported("unsupported: a " + item.TypeName() + " argument of sa.Column"));
    }
  }
  if (const Value* nullable = bound->GetNotNone("nullable")) column.nullable = nullable->Truthy();
  column.primary_key = BoolOr(*bound, "primary_key", false);
  column.unique = BoolOr(*bound, "unique", false);
  column.index = BoolOr(*bound, "index", false);
  if (const Value* comment = bound->GetNotNone("comment")) column.comment = ToStr(*comment);
  if (const Value* server_default = bound->GetNotNone("server_default")) {
    auto server = ServerDefaultOf(c, *server_default);
    if (!server) return base::Fail(server.error());
    column.server_default = *server;
  }
  if (const Value* autoincrement = bound->GetNotNone("autoincrement")) {
    if (autoincrement->Is(Kind::kStr)) {
      if (autoincrement->AsStr() != "auto") {
        return base::Fail(c.Unsupported("unsupported: autoincrement=" + Repr(*autoincrement)));
      }
    } else {
      column.autoincrement =
          autoincrement->Truthy() ? ops::Autoincrement::kTrue : ops::Autoincrement::kFalse;
    }
  }
  Value python_defaults[2];  // default=, onupdate=
  for (int i = 0; i < 2; ++i) {
    const Value* given = bound->GetNotNone(i == 0 ? "default" : "onupdate");
    if (given == nullptr) continue;
    if (DefaultKindOf(*given) == DefaultKind::kCallable) {
      SQLMEND_RETURN_IF_ERROR(CheckDefaultCallable(c, *given));
    }
    python_defaults[i] = *given;
  }
  auto value = std::make_shared<ColumnValue>(std::move(column), named, next_creation_order++);
  value->key = value->column.name;
  value->default_value = std::move(python_defaults[0]);
  value->onupdate_value = std::move(python_defaults[1]);
  if (type_value) value->type_value = *type_value;
  value->foreign_key_columns = std::move(foreign_key_columns);
  if (const Value* key = bound->GetNotNone("key")) value->key = ToStr(*key);
  return Value::Host(value);
}

Result<Value> MakeForeignKey(CallContext& c, Args& a) {
  auto bound = BindArgs(c,
                        Signature{"sa.ForeignKey",
                                  {"column", "_constraint", "use_alter", "name", "onupdate",
                                   "ondelete", "deferrable", "initially", "link_to_name", "match"},
                                  1,
                                  false,
                                  {},
                                  {"info"}},
                        a);
  if (!bound) return base::Fail(bound.error());
  auto target = TargetOf(c, *bound->Get("column"));
  if (!target) return base::Fail(target.error());
  auto options = ForeignKeyOptionsOf(c, *bound, "sa.ForeignKey");
  if (!options) return base::Fail(options.error());
  ops::ForeignKey fk{target->first, target->second, *options, {}};
  if (const Value* name = bound->Get("name")) {
    auto constraint_name = ConstraintNameOf(c, *name);
    if (!constraint_name) return base::Fail(constraint_name.error());
    fk.name = *constraint_name;
  }
  auto value = std::make_shared<ForeignKeyValue>(std::move(fk));
  if (AsColumn(*bound->Get("column")) != nullptr) {
    value->column = std::static_pointer_cast<ColumnValue>(bound->Get("column")->object());
  }
  return Value::Host(value);
}

Result<std::vector<std::string>> ColumnNames(CallContext& c, const std::vector<Value>& values,
                                             std::string_view what) {
  std::vector<std::string> names;
  for (const Value& value : values) {
    auto name = ColumnNameOf(c, value, what);
    if (!name) return base::Fail(name.error());
    names.push_back(*name);
  }
  return names;
}

Signature ConstraintSignature(std::string function, std::vector<std::string> positional,
                              bool var_positional) {
  return Signature{
      std::move(function),
      std::move(positional),
      0,
      var_positional,
      {"name", "deferrable", "initially", "table", "_create_rule", "_autoattach", "_type_bound",
       "_implicit_generated", "use_alter", "link_to_name", "match", "onupdate", "ondelete"},
      {"info", "comment"}};
}

Result<ops::ConstraintName> NameArg(CallContext& c, const BoundArgs& bound) {
  const Value* name = bound.Get("name");
  if (name == nullptr) return ops::ConstraintName::None();
  return ConstraintNameOf(c, *name);
}

Result<Value> Constraint(ops::Constraint constraint) {
  return Value::Host(std::make_shared<ConstraintValue>(std::move(constraint)));
}

// PrimaryKeyConstraint(*columns) and UniqueConstraint(*columns).
NativeFunction ColumnsConstraint(bool primary_key) {
  std::string function = primary_key ? "sa.PrimaryKeyConstraint" : "sa.UniqueConstraint";
  return [primary_key, function](CallContext& c, Args& a) -> Result<Value> {
    auto bound = BindArgs(c, ConstraintSignature(function, {}, true), a);
    if (!bound) return base::Fail(bound.error());
    auto columns = ColumnNames(c, bound->rest, function);
    if (!columns) return base::Fail(columns.error());
    auto name = NameArg(c, *bound);
    if (!name) return base::Fail(name.error());
    auto initially = OptionalString(c, *bound, function, "initially");
    if (!initially) return base::Fail(initially.error());
    std::optional<bool> deferrable = OptionalBool(*bound, "deferrable");
    if (primary_key) {
      return Constraint(
          ops::Constraint::Of(ops::PrimaryKeyConstraint{*columns, *name, deferrable, *initially}));
    }
    ops::Constraint unique =
        ops::Constraint::Of(ops::UniqueConstraint{*columns, *name, deferrable, *initially});
    // Made from the columns of a Table already in a MetaData (declared after
    // its model class), it joins that table, as in SQLAlchemy.
    for (const Value& item : bound->rest) {
      const ColumnValue* column = AsColumn(item);
      if (column == nullptr) continue;
      if (auto owner = column->owner.lock(); owner != nullptr && !owner->lightweight) {
        owner->table.constraints.push_back(unique);
      }
      break;
    }
    return Constraint(std::move(unique));
  };
}

Result<Value> MakeCheckConstraint(CallContext& c, Args& a) {
  auto bound = BindArgs(c, ConstraintSignature("sa.CheckConstraint", {"sqltext"}, false), a);
  if (!bound) return base::Fail(bound.error());
  const Value* sqltext = bound->Get("sqltext");
  if (sqltext == nullptr) {
    return base::Fail(c.Throw("TypeError", "sa.CheckConstraint() missing 'sqltext'"));
  }
  auto sql = sqltext->Is(Kind::kStr) ? Result<std::string>(sqltext->AsStr())
                                     : CompileLiteralSql(c, *sqltext);
  if (!sql) return base::Fail(sql.error());
  auto name = NameArg(c, *bound);
  if (!name) return base::Fail(name.error());
  if (bound->GetNotNone("deferrable") != nullptr || bound->GetNotNone("initially") != nullptr) {
    return base::Fail(c.Unsupported("unsupported: deferrable/initially of a CHECK constraint"));
  }
  return Constraint(ops::Constraint::Of(ops::CheckConstraint{*sql, *name}));
}

Result<Value> MakeForeignKeyConstraint(CallContext& c, Args& a) {
  // SQLAlchemy 1.4's order: every parameter may be given by position.
  auto bound = BindArgs(
      c,
      Signature{"sa.ForeignKeyConstraint",
                {"columns", "refcolumns", "name", "onupdate", "ondelete", "deferrable",
                 "initially", "use_alter", "link_to_name", "match", "table"},
                0,
                false,
                {"_create_rule", "_autoattach", "_type_bound", "_implicit_generated"},
                {"info", "comment"}},
      a);
  if (!bound) return base::Fail(bound.error());
  if (bound->Get("columns") == nullptr || bound->Get("refcolumns") == nullptr) {
    return base::Fail(
        c.Throw("TypeError", "sa.ForeignKeyConstraint() needs columns and refcolumns"));
  }
  auto columns = ColumnNames(c, ItemsOrSingle(*bound->Get("columns")), "sa.ForeignKeyConstraint");
  if (!columns) return base::Fail(columns.error());
  ops::ForeignKeyConstraint fk;
  fk.columns = *columns;
  for (const Value& ref : ItemsOrSingle(*bound->Get("refcolumns"))) {
    auto target = TargetOf(c, ref);
    if (!target) return base::Fail(target.error());
    if (!fk.target_table.empty() && fk.target_table != target->first) {
      return base::Fail(c.Throw("TypeError", "ArgumentError: ForeignKeyConstraint on " +
                                                 fk.target_table + " refers to two tables"));
    }
    fk.target_table = target->first;
    fk.target_columns.push_back(target->second);
  }
  if (fk.columns.size() != fk.target_columns.size()) {
    return base::Fail(c.Throw("TypeError",
                              "ArgumentError: ForeignKeyConstraint number of "
                              "constrained columns must match the number of "
                              "referenced columns."));
  }
  auto options = ForeignKeyOptionsOf(c, *bound, "sa.ForeignKeyConstraint");
  if (!options) return base::Fail(options.error());
  fk.options = *options;
  auto name = NameArg(c, *bound);
  if (!name) return base::Fail(name.error());
  fk.name = *name;
  return Constraint(ops::Constraint::Of(std::move(fk)));
}

// One index element: a column name (str or Column), sa.text(...), or a
// compiled expression.
// `element` with its columns written without their table, as SQLAlchemy's
// DDL compiler writes an index expression ("lower(name)"); `first` gets the
// first Column met.
ElementPtr WithoutTables(const ElementPtr& element, const ColumnValue** first) {
  auto copy = std::make_shared<Element>(*element);
  if (copy->kind == Element::Kind::kColumn) {
    if (*first == nullptr && copy->origin != nullptr) {
      *first = static_cast<const ColumnValue*>(copy->origin);
    }
    copy->table.clear();
  }
  for (auto& child : copy->children) child = WithoutTables(child, first);
  return copy;
}

// An index element; `column` gets the Column it names or the first one its
// expression uses.
Result<ops::IndexElement> IndexElementOf(CallContext& c, const Value& value, std::string* table,
                                         const ColumnValue** column_used = nullptr) {
  if (value.Is(Kind::kStr)) return ops::IndexElement::ColumnName(value.AsStr());
  if (ColumnValue* column = AsColumn(value)) {
    if (table != nullptr && table->empty()) *table = column->table;
    if (column_used != nullptr && *column_used == nullptr) *column_used = column;
    return ops::IndexElement::ColumnName(column->column.name);
  }
  if (value.Is(Kind::kHost) && dynamic_cast<ClauseValue*>(&value.AsHost()) != nullptr) {
    const ColumnValue* first = nullptr;
    ElementPtr bare = WithoutTables(AsElement(value), &first);
    auto sql = CompileLiteral(c, bare, false);
    if (!sql) return base::Fail(sql.error());
    if (first != nullptr) {
      if (table != nullptr && table->empty()) *table = first->table;
      if (column_used != nullptr && *column_used == nullptr) *column_used = first;
    }
    return ops::IndexElement::Expression(*sql);
  }
  auto sql = CompileLiteralSql(c, value);
  if (!sql) return base::Fail(sql.error());
  return ops::IndexElement::Expression(*sql);
}

Result<Value> MakeIndex(CallContext& c, Args& a) {
  auto bound = BindArgs(c,
                        Signature{"sa.Index",
                                  {"name"},
                                  1,
                                  true,
                                  {"unique", "sqlite_where", "_table", "_column_flag"},
                                  {"quote", "info"}},
                        a);
  if (!bound) return base::Fail(bound.error());
  ops::Index index;
  auto name = ConstraintNameOf(c, *bound->Get("name"));
  if (!name) return base::Fail(name.error());
  index.name = *name;
  const ColumnValue* column_used = nullptr;
  for (const Value& item : bound->rest) {
    auto element = IndexElementOf(c, item, &index.table, &column_used);
    if (!element) return base::Fail(element.error());
    index.elements.push_back(*element);
  }
  index.unique = BoolOr(*bound, "unique", false);
  if (const Value* where = bound->GetNotNone("sqlite_where")) {
    auto sql = CompileLiteralSql(c, *where);
    if (!sql) return base::Fail(sql.error());
    index.sqlite_where = *sql;
  }
  // Made from the columns of a Table already in a MetaData (an Index
  // declared after its model class), it joins that table.
  if (column_used != nullptr && bound->GetNotNone("_table") == nullptr) {
    if (auto owner = column_used->owner.lock(); owner != nullptr && !owner->lightweight) {
      owner->table.indexes.push_back(index);
    }
  }
  return Value::Host(std::make_shared<IndexValue>(std::move(index)));
}

Result<Value> MakeTable(CallContext& c, Args& a) {
  if (a.positional.size() < 2 || !a.positional[0].Is(Kind::kStr) ||
      AsMetaData(a.positional[1]) == nullptr) {
    return base::Fail(c.Throw("TypeError",
                              "sa.Table(name, metadata, *columns): expected a "
                              "name and a MetaData"));
  }
  MetaDataValue* metadata = AsMetaData(a.positional[1]);
  ops::Table table;
  table.name = a.positional[0].AsStr();
  std::vector<Value> items(a.positional.begin() + 2, a.positional.end());
  // The reflection keywords (reflection.h); the rest are the table's.
  Value autoload_with;
  bool autoload = false;
  bool resolve_fks = true;
  bool keep_existing = false;
  bool extend_existing = false;
  std::vector<std::pair<std::string, Value>> keywords;
  for (const auto& [key, given] : a.keywords) {
    if (key == "autoload_with") {
      autoload_with = given;
    } else if (key == "autoload") {
      autoload = given.Truthy();
    } else if (key == "resolve_fks") {
      resolve_fks = given.Truthy();
    } else if (key == "autoload_replace" && given.Truthy()) {
      // The default: given columns replace reflected ones of that name.
    } else {
      if (key == "keep_existing") keep_existing = given.Truthy();
      if (key == "extend_existing") extend_existing = given.Truthy();
      keywords.emplace_back(key, given);
    }
  }
  // SQLAlchemy's Table.__new__: a name the MetaData holds gives that table
  // when no columns are given (or keep_existing=True).
  // NOTE: given columns define the table anew, where SQLAlchemy raises
  // InvalidRequestError without extend_existing=True: a revision body that
  // reads the database runs twice (planned, then online), and its second
  // run meets the tables its first defined on a module-level MetaData.
  if (std::shared_ptr<TableValue> existing = metadata->Find(table.name)) {
    if (keep_existing || (items.empty() && !extend_existing)) return Value::Host(existing);
    if (extend_existing) {
      return base::Fail(c.Unsupported("unsupported: extend_existing=True of sa.Table('" +
                                      table.name + "') that the MetaData already holds"));
    }
  }
  if (autoload && autoload_with.IsNone()) {
    autoload_with = metadata->bind;
    if (autoload_with.IsNone()) {
      return base::Fail(ThrowSqlalchemyError(c, "UnboundExecutionError",
                                             "No engine is bound to this Table's MetaData. "
                                             "Pass an engine to the Table via "
                                             "autoload_with=<someengine_or_connection>"));
    }
  }
  if (!autoload_with.IsNone()) {
    SQLMEND_RETURN_IF_ERROR(ApplyTableKeywords(c, "sa.Table", table, keywords));
    auto connection = LiveConnection(c, autoload_with);
    if (!connection) return base::Fail(connection.error());
    auto reflected = ReflectTableInto(c, *metadata, *connection, table.name, resolve_fks, items);
    if (!reflected) return base::Fail(reflected.error());
    return Value::Host(*reflected);
  }
  auto value = std::make_shared<TableValue>(ops::Table{});
  SQLMEND_RETURN_IF_ERROR(AddTableItems(c, table, &value->columns, items));
  SQLMEND_RETURN_IF_ERROR(ApplyTableKeywords(c, "sa.Table", table, keywords));
  value->table = std::move(table);
  AddTableToMetaData(*metadata, value);
  return Value::Host(value);
}

// sa.table(name, *columns, schema=None) and sa.column(name, type_=None).
Result<Value> MakeLightTable(CallContext& c, Args& a) {
  auto bound = BindArgs(c, Signature{"sa.table", {"name"}, 1, true, {"schema"}, {}}, a);
  if (!bound) return base::Fail(bound.error());
  if (bound->GetNotNone("schema") != nullptr) {
    return base::Fail(c.Unsupported("unsupported: schema= of sa.table()"));
  }
  auto value = std::make_shared<TableValue>(ops::Table{});
  value->lightweight = true;
  value->table.name = ToStr(*bound->Get("name"));
  SQLMEND_RETURN_IF_ERROR(AddTableItems(c, value->table, &value->columns, bound->rest));
  return Value::Host(value);
}

Result<Value> MakeLightColumn(CallContext& c, Args& a) {
  auto bound = BindArgs(
      c, Signature{"sa.column", {"text", "type_", "is_literal", "_selectable"}, 1, false, {}, {}},
      a);
  if (!bound) return base::Fail(bound.error());
  ops::Column column;
  column.name = ToStr(*bound->Get("text"));
  // Untyped (NullType) binds values as they are.
  column.type = ops::Type::Null();
  if (const Value* type = bound->GetNotNone("type_")) {
    auto resolved = TypeOf(c, *type, "sa.column");
    if (!resolved) return base::Fail(resolved.error());
    column.type = *resolved;
  }
  auto value = std::make_shared<ColumnValue>(std::move(column), true, next_creation_order++);
  value->key = value->column.name;
  if (const Value* type = bound->GetNotNone("type_")) value->type_value = *type;
  return Value::Host(value);
}

Result<Value> MakeMetaDataCall(CallContext& c, Args& a) {
  auto bound = BindArgs(c,
                        Signature{"sa.MetaData",
                                  {"bind", "schema", "quote_schema", "naming_convention"},
                                  0,
                                  false,
                                  {},
                                  {"info"}},
                        a);
  if (!bound) return base::Fail(bound.error());
  if (bound->GetNotNone("schema") != nullptr) {
    return base::Fail(c.Unsupported(
        "unsupported: schema= of sa.MetaData() (sqlmend migrates the main database only)"));
  }
  const Value* bind = bound->GetNotNone("bind");
  if (bind != nullptr && AsBind(*bind) == nullptr) {
    return base::Fail(c.Unsupported("unsupported: bind= of sa.MetaData() given a " +
                                    bind->TypeName() + " (sqlmend binds a connection)"));
  }
  std::optional<std::map<std::string, std::string>> convention;
  if (const Value* given = bound->GetNotNone("naming_convention")) {
    auto parsed = NamingConventionOf(c, *given);
    if (!parsed) return base::Fail(parsed.error());
    convention = *parsed;
  }
  auto metadata = MakeMetaData(std::move(convention));
  if (bind != nullptr) metadata->bind = *bind;
  return Value::Host(metadata);
}

// The column `table.key` of `metadata` (the last table of that name, as
// MetaData.tables keeps it), found by key as ForeignKey's column string
// is; nullptr when either is missing.
ColumnValue* FindColumn(const MetaDataValue& metadata, const std::string& table,
                        const std::string& key) {
  for (auto it = metadata.tables.rbegin(); it != metadata.tables.rend(); ++it) {
    if ((*it)->table.name != table) continue;
    for (const auto& column : (*it)->columns) {
      if (column->key == key) return column.get();
    }
    return nullptr;
  }
  return nullptr;
}

// The columns `column` refers to, as (table, column key): its own
// ForeignKeys, then the table's ForeignKeyConstraints that list it (each
// gives its columns ForeignKeys in SQLAlchemy).
std::vector<std::pair<std::string, std::string>> ReferredColumns(const TableValue& table,
                                                                 const ColumnValue& column) {
  std::vector<std::pair<std::string, std::string>> referred;
  for (const ops::ForeignKey& fk : column.column.foreign_keys) {
    referred.emplace_back(fk.target_table, fk.target_column);
  }
  for (const ops::Constraint& constraint : table.table.constraints) {
    if (constraint.kind != ops::Constraint::Kind::kForeignKey) continue;
    const ops::ForeignKeyConstraint& fk = constraint.foreign_key;
    for (size_t i = 0; i < fk.columns.size() && i < fk.target_columns.size(); ++i) {
      if (fk.columns[i] == column.column.name) {
        referred.emplace_back(fk.target_table, fk.target_columns[i]);
      }
    }
  }
  return referred;
}

// SQLAlchemy's ForeignKey._set_target_column: a column declared without a
// type takes the type of the column its foreign key refers to once both
// are in one MetaData, whichever joined it first; a column typed so passes
// its type on to the columns that refer to it in turn. Each pass types at
// least one more column or ends the loop, so it ends.
void ResolveForeignKeyTypes(MetaDataValue& metadata) {
  bool changed = true;
  while (changed) {
    changed = false;
    for (const auto& table : metadata.tables) {
      for (const auto& column : table->columns) {
        if (!column->column.type.IsNull()) continue;
        for (const auto& [referred_table, referred_key] : ReferredColumns(*table, *column)) {
          const ColumnValue* referred = FindColumn(metadata, referred_table, referred_key);
          if (referred == nullptr || referred->column.type.IsNull()) continue;
          column->column.type = referred->column.type;
          column->type_value = referred->type_value;
          // The Table's ops copy of the column, which DDL is written from.
          for (ops::Column& copy : table->table.columns) {
            if (copy.name == column->column.name) copy.type = referred->column.type;
          }
          changed = true;
          break;
        }
      }
    }
  }
}

}  // namespace

Result<Value> MakeMappedColumn(CallContext& c, Args& a) {
  Args column_args;
  column_args.positional = a.positional;
  for (auto& [key, value] : a.keywords) {
    static const std::set<std::string, std::less<>> kDropped = {
        "sort_order", "init",     "repr",          "compare",          "kw_only",
        "hash",       "deferred", "deferred_group", "deferred_raiseload", "active_history",
        "use_existing_column", "default_factory", "dataclass_metadata"};
    if (kDropped.contains(key)) continue;
    column_args.keywords.emplace_back(key == "insert_default" ? "default" : key, value);
  }
  auto made = MakeColumn(c, column_args);
  if (!made) return made;
  auto* column = AsColumn(*made);
  column->mapped = true;
  column->type_given = !column->column.type.IsNull();
  return made;
}

void AddTableToMetaData(MetaDataValue& metadata, std::shared_ptr<TableValue> table) {
  for (const auto& column : table->columns) column->owner = table;
  metadata.tables.push_back(std::move(table));
  ResolveForeignKeyTypes(metadata);
}

void ColumnValue::Traverse(const Visitor& visit) const {
  python::VisitValue(type_value, visit);
  python::VisitValue(default_value, visit);
  python::VisitValue(onupdate_value, visit);
  for (const auto& other : foreign_key_columns) visit(static_cast<const HostObject*>(other.get()));
}

void ColumnValue::Clear() {
  type_value = Value();
  default_value = Value();
  onupdate_value = Value();
  foreign_key_columns.clear();
}

std::string ColumnValue::Repr() const {
  return "Column(" + StrRepr(column.name) + ", " + ops::CompileSqliteType(column.type) + ")";
}

std::optional<Result<Value>> ColumnValue::GetAttribute(CallContext& context,
                                                       std::string_view name) {
  if (name == "name") return Value::Str(column.name);
  if (name == "key") return Value::Str(key);
  if (name == "type") {
    return Value::Host(
        std::make_shared<TypeValue>(column.type.IsNull() ? "NullType" : "TypeEngine", column.type));
  }
  if (name == "nullable") return Value::Bool(column.nullable.value_or(!column.primary_key));
  if (name == "primary_key") return Value::Bool(column.primary_key);
  if (name == "unique") return Value::Bool(column.unique);
  if (name == "index") return Value::Bool(column.index);
  if (name == "table") return table.empty() ? Value::None() : Value::Str(table);
  return ColumnOperatorMethod(context, ColumnElementOf(*this), name);
}

std::optional<Result<Value>> ColumnValue::Operator(CallContext& context, std::string_view op,
                                                   const Value& other, bool reflected) {
  ClauseValue clause(ColumnElementOf(*this));
  return clause.Operator(context, op, other, reflected);
}

std::optional<Result<Value>> ColumnValue::UnaryOperator(CallContext& context,
                                                        std::string_view op) {
  ClauseValue clause(ColumnElementOf(*this));
  return clause.UnaryOperator(context, op);
}

std::string ConstraintValue::TypeName() const {
  switch (constraint.kind) {
    case ops::Constraint::Kind::kUnique:
      return "UniqueConstraint";
    case ops::Constraint::Kind::kCheck:
      return "CheckConstraint";
    case ops::Constraint::Kind::kForeignKey:
      return "ForeignKeyConstraint";
    case ops::Constraint::Kind::kPrimaryKey:
      return "PrimaryKeyConstraint";
  }
  return "Constraint";
}

std::string TableValue::Repr() const {
  return (lightweight ? "table(" : "Table(") + StrRepr(table.name) + ")";
}

std::optional<Result<Value>> TableValue::GetAttribute(CallContext&, std::string_view name) {
  if (name == "name" || name == "fullname") return Value::Str(table.name);
  if (name == "c" || name == "columns") {
    return Value::Host(std::make_shared<ColumnCollection>(columns));
  }
  return TableMethod(TableElementOf(*this), name);
}

std::optional<Result<Value>> MetaDataValue::GetAttribute(CallContext&, std::string_view name) {
  if (name == "naming_convention") {
    Value dict = Value::Dict();
    for (const auto& [key, value] : metadata.naming_convention) {
      dict.AsDict().Set(Value::Str(key), Value::Str(value));
    }
    return dict;
  }
  if (name == "tables") {
    Value dict = Value::Dict();
    for (const auto& table : tables)
      dict.AsDict().Set(Value::Str(table->table.name), Value::Host(table));
    return dict;
  }
  if (name == "sorted_tables") {
    std::vector<Value> items;
    for (const auto& table : tables) items.push_back(Value::Host(table));
    return Value::List(std::move(items));
  }
  if (name == "bind") return bind;
  if (name == "reflect") {
    std::shared_ptr<MetaDataValue> self = shared_from_this();
    return Value::Builtin("MetaData.reflect", [self](CallContext& c, Args& a) -> Result<Value> {
      return ReflectMetaData(c, *self, a);
    });
  }
  return std::nullopt;
}

std::shared_ptr<TableValue> MetaDataValue::Find(std::string_view name) const {
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
    if ((*it)->table.name == name) return *it;
  }
  return nullptr;
}

int64_t NextCreationOrder() { return next_creation_order++; }

ColumnValue* AsColumn(const Value& value) { return HostAs<ColumnValue>(value); }
TableValue* AsTable(const Value& value) { return HostAs<TableValue>(value); }
ConstraintValue* AsConstraint(const Value& value) { return HostAs<ConstraintValue>(value); }
IndexValue* AsIndex(const Value& value) { return HostAs<IndexValue>(value); }
MetaDataValue* AsMetaData(const Value& value) { return HostAs<MetaDataValue>(value); }

Value ConvName(std::string name) {
  return Value::Host(std::make_shared<ConvValue>(std::move(name)));
}

Result<std::string> ColumnNameOf(CallContext& context, const Value& value, std::string_view what) {
  if (value.Is(Kind::kStr)) return value.AsStr();
  if (ColumnValue* column = AsColumn(value)) return column->column.name;
  return base::Fail(context.Throw(
      "TypeError", std::string(what) + ": expected a column name, got " + value.TypeName()));
}

Result<ops::ConstraintName> ConstraintNameOf(CallContext& context, const Value& value) {
  if (value.IsNone()) return ops::ConstraintName::None();
  if (value.Is(Kind::kStr)) return ops::ConstraintName::Of(value.AsStr());
  if (auto* conv = HostAs<ConvValue>(value)) return ops::ConstraintName::F(conv->name());
  return base::Fail(
      context.Throw("TypeError", "a constraint name must be a str, not " + value.TypeName()));
}

Status AddTableItems(CallContext& context, ops::Table& table,
                     std::vector<std::shared_ptr<ColumnValue>>* column_values,
                     const std::vector<Value>& items) {
  for (const Value& item : items) {
    if (ColumnValue* column = AsColumn(item)) {
      if (!column->named) {
        return context.Throw("TypeError",
                             "ArgumentError: Column must be constructed with a "
                             "non-blank name or assign a non-blank .name before "
                             "adding to a Table.");
      }
      column->table = table.name;
      // A ForeignKey given a Column object resolves as the column joins
      // the table (ForeignKey._set_table), whatever MetaData holds it.
      for (const auto& referred : column->foreign_key_columns) {
        if (!column->column.type.IsNull() || referred->column.type.IsNull()) continue;
        column->column.type = referred->column.type;
        column->type_value = referred->type_value;
      }
      table.columns.push_back(column->column);
      if (column_values != nullptr) {
        column_values->push_back(std::static_pointer_cast<ColumnValue>(item.object()));
      }
    } else if (ConstraintValue* constraint = AsConstraint(item)) {
      if (constraint->constraint.kind == ops::Constraint::Kind::kPrimaryKey) {
        table.primary_key = constraint->constraint.primary_key;
      } else {
        table.constraints.push_back(constraint->constraint);
      }
    } else if (IndexValue* index = AsIndex(item)) {
      ops::Index copy = index->index;
      copy.table = table.name;
      table.indexes.push_back(std::move(copy));
    } else {
      return context.Unsupported("unsupported: a " + item.TypeName() + " given to table " +
                                 table.name);
    }
  }
  return Status::Ok();
}

Status ApplyTableKeywords(CallContext& context, std::string_view function, ops::Table& table,
                          const std::vector<std::pair<std::string, Value>>& keywords) {
  Args args;
  args.keywords = keywords;
  auto bound = BindArgs(context,
                        Signature{std::string(function),
                                  {},
                                  0,
                                  false,
                                  {"sqlite_autoincrement", "sqlite_with_rowid", "schema"},
                                  {"comment", "info", "extend_existing", "keep_existing", "quote",
                                   "quote_schema", "must_exist", "listeners"}},
                        args);
  if (!bound) return bound.error();
  if (bound->GetNotNone("schema") != nullptr) {
    return context.Unsupported("unsupported: schema= of " + std::string(function) +
                               " (sqlmend migrates the main database only)");
  }
  table.sqlite_autoincrement = BoolOr(*bound, "sqlite_autoincrement", false);
  table.sqlite_with_rowid = BoolOr(*bound, "sqlite_with_rowid", true);
  return Status::Ok();
}

Result<std::map<std::string, std::string>> NamingConventionOf(CallContext& context,
                                                              const Value& value) {
  if (!value.Is(Kind::kDict)) {
    return base::Fail(context.Throw("TypeError", "naming_convention must be a dict"));
  }
  static const std::map<std::string, std::string> kClassKeys = {{"sa.PrimaryKeyConstraint", "pk"},
                                                                {"sa.UniqueConstraint", "uq"},
                                                                {"sa.CheckConstraint", "ck"},
                                                                {"sa.ForeignKeyConstraint", "fk"},
                                                                {"sa.Index", "ix"}};
  std::map<std::string, std::string> out;
  for (const auto& [key, template_value] : value.AsDict().entries) {
    std::string name;
    if (key.Is(Kind::kStr)) {
      name = key.AsStr();
    } else if (key.Is(Kind::kBuiltin) && kClassKeys.contains(key.AsBuiltin().name)) {
      name = kClassKeys.at(key.AsBuiltin().name);
    } else {
      return base::Fail(context.Unsupported("unsupported: naming_convention key " + Repr(key)));
    }
    if (!template_value.Is(Kind::kStr)) {
      return base::Fail(
          context.Unsupported("unsupported: a naming_convention value that is not "
                              "a %-template string (" +
                              name + ")"));
    }
    out[name] = template_value.AsStr();
  }
  return out;
}

std::shared_ptr<MetaDataValue> MakeMetaData(
    std::optional<std::map<std::string, std::string>> naming_convention) {
  auto metadata = std::make_shared<MetaDataValue>();
  if (naming_convention) metadata->metadata.naming_convention = std::move(*naming_convention);
  return metadata;
}

void AddSchemaConstructors(ModuleObject& module) {
  auto add = [&](const std::string& name, NativeFunction function) {
    module.attributes[name] = Value::Builtin("sa." + name, std::move(function));
  };
  add("Column", MakeColumn);
  add("ForeignKey", MakeForeignKey);
  add("PrimaryKeyConstraint", ColumnsConstraint(true));
  add("UniqueConstraint", ColumnsConstraint(false));
  add("CheckConstraint", MakeCheckConstraint);
  add("ForeignKeyConstraint", MakeForeignKeyConstraint);
  add("Index", MakeIndex);
  add("Table", MakeTable);
  add("MetaData", MakeMetaDataCall);
  add("table", MakeLightTable);
  add("column", MakeLightColumn);
  add("DefaultClause", MakeDefaultClause);
  add("Sequence",
      NoDdlConstructor("Sequence",
                       Signature{"sa.Sequence",
                                 {"name", "start", "increment"},
                                 1,
                                 false,
                                 {},
                                 {"minvalue", "maxvalue", "nominvalue", "nomaxvalue", "cycle",
                                  "schema", "cache", "order", "data_type", "optional", "quote",
                                  "metadata", "quote_schema", "for_update"}}));
  add("Identity",
      NoDdlConstructor("Identity", Signature{"sa.Identity",
                                             {"always", "on_null", "start", "increment"},
                                             0,
                                             false,
                                             {},
                                             {"minvalue", "maxvalue", "nominvalue", "nomaxvalue",
                                              "cycle", "cache", "order"}}));
}

}  // namespace sqlmend::sqlalchemy
