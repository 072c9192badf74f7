#include "sqlalchemy/orm.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "python/args.h"
#include "python/builtins.h"
#include "python/heap.h"
#include "sqlalchemy/column_default.h"
#include "sqlalchemy/connection.h"
#include "sqlalchemy/declarative.h"
#include "sqlalchemy/elements.h"
#include "sqlalchemy/public_names.h"
#include "sqlalchemy/schema.h"

namespace sqlmend::sqlalchemy {

using python::Args;
using python::CallContext;
using python::CheckArgs;
using python::HostObject;
using python::InstanceObject;
using python::IterateValue;
using python::ModuleObject;
using python::Value;

namespace {

using base::Result;
using base::Status;
using Kind = Value::Kind;

// sqlalchemy.select, for queries of columns.
const Value& CoreSelect() {
  static const Value* const select = [] {
    auto* module = new ModuleObject();
    AddCoreFunctions(*module);
    return new Value(module->attributes.at("select"));
  }();
  return *select;
}

// The Table a declarative class is mapped to, or null.
std::shared_ptr<TableValue> TableOf(const Value& class_value) {
  if (!class_value.Is(Kind::kClass)) return nullptr;
  const Value* table = class_value.AsClass()->Lookup("__table__");
  if (table == nullptr || AsTable(*table) == nullptr) return nullptr;
  return std::static_pointer_cast<TableValue>(table->object());
}

std::string KeyOf(const ColumnValue& column) {
  return column.key.empty() ? column.column.name : column.key;
}

std::vector<size_t> PrimaryKeyIndexes(const TableValue& table) {
  std::vector<size_t> out;
  if (table.table.primary_key) {
    for (const std::string& name : table.table.primary_key->columns) {
      for (size_t i = 0; i < table.columns.size(); ++i) {
        if (table.columns[i]->column.name == name) out.push_back(i);
      }
    }
    return out;
  }
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i]->column.primary_key) out.push_back(i);
  }
  return out;
}

// An object's value for column `i`; nullopt when never set (the class's
// Column shows through).
std::optional<Value> AttributeOf(const Value& object, const TableValue& table, size_t i) {
  auto& attributes = object.AsInstance().attributes;
  auto it = attributes.find(KeyOf(*table.columns[i]));
  if (it == attributes.end()) return std::nullopt;
  return it->second;
}

Result<Value> CallMethod(CallContext& c, const Value& object, std::string_view name, Args args) {
  auto method = c.GetAttr(object, name);
  if (!method) return method;
  return c.Call(*method, std::move(args));
}

struct Tracked {
  Value object;
  std::shared_ptr<TableValue> table;
  std::vector<Value> snapshot;  // the column values as loaded or last flushed
};

// Shared by a session, its queries and transactions; recorded with the
// interpreter's heap (python/heap.h), since the objects it tracks can hold
// queries of it (a lazy="dynamic" relationship).
struct SessionState : public HostObject {
  std::string TypeName() const override { return "SessionState"; }
  void Traverse(const Visitor& visit) const override {
    python::VisitValue(bind, visit);
    for (const auto& [key, tracked] : identity) {
      python::VisitValue(tracked.object, visit);
      if (tracked.table) visit(static_cast<const HostObject*>(tracked.table.get()));
      for (const Value& value : tracked.snapshot) python::VisitValue(value, visit);
    }
    for (const auto& [object, table] : added) {
      python::VisitValue(object, visit);
      if (table) visit(static_cast<const HostObject*>(table.get()));
    }
    for (const Value& object : deleted) python::VisitValue(object, visit);
  }
  void Clear() override {
    bind = Value();
    identity.clear();
    added.clear();
    deleted.clear();
  }

  Value bind;
  std::map<std::string, Tracked> identity;  // table + primary key -> object
  std::vector<std::pair<Value, std::shared_ptr<TableValue>>> added;
  std::vector<Value> deleted;
};

std::shared_ptr<SessionState> NewSessionState() {
  auto state = std::make_shared<SessionState>();
  python::Heap::Record(python::Heap::Kind::kHost, std::static_pointer_cast<HostObject>(state));
  return state;
}

void VisitState(const std::shared_ptr<SessionState>& state, const HostObject::Visitor& visit) {
  if (state) visit(static_cast<const HostObject*>(state.get()));
}

// What a session keeps for an object it loaded or flushed, as the object's
// _sa_instance_state attribute (SQLAlchemy's own name for it): the session,
// and the relationships loaded into the object, with their items then, so
// that a flush can tell one the migration changed.
class InstanceState : public HostObject {
 public:
  explicit InstanceState(std::weak_ptr<SessionState> session) : session(std::move(session)) {}
  std::string TypeName() const override { return "InstanceState"; }

  struct Loaded {
    Value value;
    std::vector<const void*> items;  // of a list, as loaded
  };
  std::weak_ptr<SessionState> session;
  std::map<std::string, Loaded> loaded;

  void Traverse(const Visitor& visit) const override {
    for (const auto& [name, entry] : loaded) python::VisitValue(entry.value, visit);
  }
  void Clear() override { loaded.clear(); }
};

constexpr char kInstanceStateName[] = "_sa_instance_state";

InstanceState* StateOf(const Value& object) {
  auto& attributes = object.AsInstance().attributes;
  auto it = attributes.find(kInstanceStateName);
  if (it == attributes.end() || !it->second.Is(Kind::kHost)) return nullptr;
  return dynamic_cast<InstanceState*>(&it->second.AsHost());
}

void AttachState(const Value& object, const std::shared_ptr<SessionState>& session) {
  if (StateOf(object) != nullptr) return;
  object.AsInstance().attributes[kInstanceStateName] =
      Value::Host(std::make_shared<InstanceState>(session));
}

std::vector<const void*> ItemsOf(const Value& value) {
  std::vector<const void*> out;
  if (value.Is(Kind::kList)) {
    for (const Value& item : value.Items()) out.push_back(item.object().get());
  }
  return out;
}

// relationship(...) as a class attribute (see orm.h): loaded on first read
// from an object a session holds, into the object; writing through it is
// refused at the flush.
class RelationshipValue : public HostObject {
 public:
  std::string TypeName() const override { return "RelationshipProperty"; }
  std::optional<Result<Value>> GetFromClass(
      CallContext& c, const Value* instance,
      const std::shared_ptr<python::ClassObject>& owner) override;
  std::optional<Result<Value>> GetAttribute(CallContext& c, std::string_view name) override {
    return Result<Value>(base::Fail(
        c.Unsupported("unsupported: ." + std::string(name) +
                      " of a relationship: relationship comparisons are not modelled")));
  }

  // The attribute this relationship is in `owner` or a base of it.
  std::string NameIn(const std::shared_ptr<python::ClassObject>& owner) const {
    const void* self = static_cast<const HostObject*>(this);
    std::vector<std::shared_ptr<python::ClassObject>> pending = {owner};
    while (!pending.empty()) {
      auto next = pending.back();
      pending.pop_back();
      for (const auto& [key, value] : next->attributes) {
        if (value.Is(Kind::kHost) && value.object().get() == self) return key;
      }
      pending.insert(pending.end(), next->bases.begin(), next->bases.end());
    }
    return "?";
  }

  void Traverse(const Visitor& visit) const override {
    python::VisitValue(argument, visit);
    python::VisitValue(secondary, visit);
    python::VisitValue(order_by, visit);
  }
  void Clear() override {
    argument = Value();
    secondary = Value();
    order_by = Value();
  }

  Value argument;   // the target: a class, its name, or a callable giving it
  Value secondary;  // None, a Table or a table's name
  Value order_by;   // None, or what query.order_by() takes
  std::optional<bool> uselist;
  std::string lazy = "select";
  std::string backref;                   // backref= (a name or backref(name))
  std::optional<bool> backref_uselist;   // backref(name, uselist=...)
  std::string unsupported;  // a parameter that changes the join or the collection
  bool remote_side = false;
  bool backref_installed = false;

 private:
  Result<Value> Load(CallContext& c, const Value& instance,
                     const std::shared_ptr<python::ClassObject>& owner);
};

// The relationship attribute `object` holds a value for that differs from
// what was loaded into it (set by its constructor or an assignment, or a
// loaded list changed): a flush would have to write it.
std::optional<std::string> RelationshipSet(const Value& object) {
  const InstanceObject& instance = object.AsInstance();
  const InstanceState* state = StateOf(object);
  for (const auto& [name, value] : instance.attributes) {
    const Value* declared = instance.class_object->Lookup(name);
    if (declared == nullptr || !declared->Is(Kind::kHost) ||
        dynamic_cast<const RelationshipValue*>(&declared->AsHost()) == nullptr) {
      continue;
    }
    if (state != nullptr) {
      auto loaded = state->loaded.find(name);
      if (loaded != state->loaded.end() &&
          loaded->second.value.object() == value.object() &&
          loaded->second.value.IsNone() == value.IsNone() &&
          loaded->second.items == ItemsOf(value)) {
        continue;
      }
    }
    return name;
  }
  return std::nullopt;
}

Status RefuseRelationshipWrites(CallContext& c, const Value& object) {
  if (auto name = RelationshipSet(object)) {
    return c.Unsupported("unsupported: flushing a " + object.AsInstance().class_object->name +
                         " object whose relationship '" + *name +
                         "' was changed: relationships are not written");
  }
  return Status::Ok();
}

std::string IdentityKey(const TableValue& table, const std::vector<Value>& key) {
  std::string out = table.table.name;
  for (const Value& part : key) out += "\x1f" + python::Repr(part);
  return out;
}

// Runs `statement` on the session's bind; planning stops here.
Result<Value> Execute(CallContext& c, SessionState& state, const Value& statement,
                      const Value* params = nullptr) {
  BindValue* bind = AsBind(state.bind);
  if (bind == nullptr) {
    return base::Fail(c.Unsupported("unsupported: a Session without bind= (sqlmend's sessions "
                                    "run on op.get_bind())"));
  }
  if (bind->live() == nullptr) return base::Fail(bind->DatabaseNeeded(c));
  Args args{{statement}, {}};
  if (params != nullptr) args.positional.push_back(*params);
  return CallMethod(c, state.bind, "execute", std::move(args));
}

// The WHERE clause matching `object`'s primary key.
Result<Value> KeyClause(CallContext& c, const TableValue& table, const std::vector<Value>& key) {
  std::vector<size_t> indexes = PrimaryKeyIndexes(table);
  Value clause;
  for (size_t k = 0; k < indexes.size() && k < key.size(); ++k) {
    auto term = c.Operate("==", Value::Host(table.columns[indexes[k]]), key[k]);
    if (!term) return term;
    if (clause.IsNone()) {
      clause = *term;
    } else {
      auto both = c.Operate("&", clause, *term);
      if (!both) return both;
      clause = *both;
    }
  }
  if (clause.IsNone()) {
    return base::Fail(c.Unsupported("unsupported: a mapped table without a primary key (" +
                                    table.table.name + ")"));
  }
  return clause;
}

std::vector<Value> KeyOfObject(const Value& object, const TableValue& table) {
  std::vector<Value> key;
  for (size_t i : PrimaryKeyIndexes(table)) key.push_back(AttributeOf(object, table, i).value_or(Value::None()));
  return key;
}

std::vector<Value> Snapshot(const Value& object, const TableValue& table) {
  std::vector<Value> values;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    values.push_back(AttributeOf(object, table, i).value_or(Value::None()));
  }
  return values;
}

// The primary key an object had when loaded or last flushed: the row its
// UPDATE or DELETE targets.
std::vector<Value> LoadedKey(const Tracked& tracked) {
  std::vector<Value> key;
  for (size_t i : PrimaryKeyIndexes(*tracked.table)) key.push_back(tracked.snapshot[i]);
  return key;
}

Status Flush(CallContext& c, const std::shared_ptr<SessionState>& session) {
  SessionState& state = *session;
  // INSERTs of added objects, in the order added.
  auto added = std::move(state.added);
  state.added.clear();
  for (auto& [object, table] : added) {
    SQLMEND_RETURN_IF_ERROR(RefuseRelationshipWrites(c, object));
    // The ORM's INSERT parameters (persistence.py): a None attribute is left
    // out, so that a default applies; a column with a Python-side value or
    // callable default takes it now, in column order, and the object keeps
    // it (an expression default is written into the INSERT instead).
    Value values = Value::Dict();
    for (size_t i = 0; i < table->columns.size(); ++i) {
      const ColumnValue& column = *table->columns[i];
      auto value = AttributeOf(object, *table, i);
      if (value && AsColumn(*value) == nullptr && !value->IsNone()) {
        values.AsDict().Set(Value::Str(column.column.name), *value);
        continue;
      }
      const DefaultKind kind = DefaultKindOf(column.default_value);
      if (kind == DefaultKind::kValue || kind == DefaultKind::kCallable) {
        auto computed = DefaultValueFor(c, column.default_value, values);
        if (!computed) return computed.error();
        values.AsDict().Set(Value::Str(column.column.name), *computed);
        object.AsInstance().attributes[KeyOf(column)] = *computed;
      } else if (value && value->IsNone() && kind == DefaultKind::kNone &&
                 !column.column.server_default) {
        values.AsDict().Set(Value::Str(column.column.name), *value);
      }
    }
    auto insert = CallMethod(c, Value::Host(table), "insert", Args{});
    if (!insert) return insert.error();
    auto result = Execute(c, state, *insert, &values);
    if (!result) return result.error();
    std::vector<size_t> key = PrimaryKeyIndexes(*table);
    if (key.size() == 1) {
      auto current = AttributeOf(object, *table, key[0]);
      if (!current || current->IsNone()) {
        auto rowid = c.GetAttr(*result, "lastrowid");
        if (!rowid) return rowid.error();
        object.AsInstance().attributes[KeyOf(*table->columns[key[0]])] = *rowid;
      }
    }
    AttachState(object, session);
    state.identity[IdentityKey(*table, KeyOfObject(object, *table))] =
        Tracked{object, table, Snapshot(object, *table)};
  }
  // UPDATEs of the columns changed since load.
  for (auto& [identity, tracked] : state.identity) {
    SQLMEND_RETURN_IF_ERROR(RefuseRelationshipWrites(c, tracked.object));
    const TableValue& table = *tracked.table;
    Value changes = Value::Dict();
    bool changed = false;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      auto value = AttributeOf(tracked.object, table, i);
      if (!value || AsColumn(*value) != nullptr) continue;
      if (python::Equals(*value, tracked.snapshot[i])) continue;
      changes.AsDict().Set(Value::Str(table.columns[i]->column.name), *value);
      changed = true;
    }
    if (!changed) continue;
    // onupdate= of the columns not changed: a value or a callable's result
    // joins the UPDATE and the object (an expression is written into it).
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const ColumnValue& column = *table.columns[i];
      const DefaultKind kind = DefaultKindOf(column.onupdate_value);
      if ((kind != DefaultKind::kValue && kind != DefaultKind::kCallable) ||
          changes.AsDict().Find(Value::Str(column.column.name)) != nullptr) {
        continue;
      }
      auto computed = DefaultValueFor(c, column.onupdate_value, changes);
      if (!computed) return computed.error();
      changes.AsDict().Set(Value::Str(column.column.name), *computed);
      tracked.object.AsInstance().attributes[KeyOf(column)] = *computed;
    }
    auto where = KeyClause(c, table, LoadedKey(tracked));
    if (!where) return where.error();
    auto update = CallMethod(c, Value::Host(tracked.table), "update", Args{});
    if (!update) return update.error();
    update = CallMethod(c, *update, "where", Args{{*where}, {}});
    if (!update) return update.error();
    auto result = Execute(c, state, *update, &changes);
    if (!result) return result.error();
    tracked.snapshot = Snapshot(tracked.object, table);
  }
  // DELETEs last.
  auto deleted = std::move(state.deleted);
  state.deleted.clear();
  for (const Value& object : deleted) {
    for (auto it = state.identity.begin(); it != state.identity.end(); ++it) {
      if (it->second.object.object() != object.object()) continue;
      auto where = KeyClause(c, *it->second.table, LoadedKey(it->second));
      if (!where) return where.error();
      auto statement = CallMethod(c, Value::Host(it->second.table), "delete", Args{});
      if (!statement) return statement.error();
      statement = CallMethod(c, *statement, "where", Args{{*where}, {}});
      if (!statement) return statement.error();
      auto result = Execute(c, state, *statement);
      if (!result) return result.error();
      state.identity.erase(it);
      break;
    }
  }
  return Status::Ok();
}

// The object for a row of a mapped table's SELECT: the one the session
// already holds for its primary key, or a new one (without __init__).
Value Load(const std::shared_ptr<SessionState>& session, const Value& class_value,
           const std::shared_ptr<TableValue>& table, const std::vector<Value>& values) {
  SessionState& state = *session;
  std::vector<Value> key;
  for (size_t i : PrimaryKeyIndexes(*table)) key.push_back(i < values.size() ? values[i] : Value());
  const std::string identity = IdentityKey(*table, key);
  if (auto it = state.identity.find(identity); it != state.identity.end()) {
    return it->second.object;
  }
  auto instance = std::make_shared<InstanceObject>();
  instance->class_object = class_value.AsClass();
  for (size_t i = 0; i < table->columns.size() && i < values.size(); ++i) {
    instance->attributes[KeyOf(*table->columns[i])] = values[i];
  }
  Value object = Value::Instance(instance);
  AttachState(object, session);
  state.identity[identity] = Tracked{object, table, values};
  return object;
}

class QueryValue : public HostObject {
 public:
  QueryValue(std::shared_ptr<SessionState> state, Value entity, std::vector<Value> columns)
      : state_(std::move(state)), entity_(std::move(entity)), columns_(std::move(columns)) {}
  std::string TypeName() const override { return "Query"; }
  bool ReachesDatabase() const override { return true; }
  void Traverse(const Visitor& visit) const override {
    VisitState(state_, visit);
    python::VisitValue(entity_, visit);
    for (const auto* values : {&columns_, &where_, &order_by_, &group_by_}) {
      for (const Value& value : *values) python::VisitValue(value, visit);
    }
    python::VisitValue(limit_, visit);
    python::VisitValue(offset_, visit);
  }
  void Clear() override {
    state_.reset();
    entity_ = Value();
    columns_.clear();
    where_.clear();
    order_by_.clear();
    group_by_.clear();
    limit_ = Value();
    offset_ = Value();
  }

  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    auto self = std::make_shared<QueryValue>(*this);
    auto method = [&](auto body) -> Value {
      return Value::Builtin(std::string(name),
                            [self, body](CallContext& c, Args& a) -> Result<Value> {
                              return body(*self, c, a);
                            });
    };
    if (name == "filter" || name == "where") {
      return method([](QueryValue& q, CallContext&, Args& a) -> Result<Value> {
        for (const Value& clause : a.positional) q.where_.push_back(clause);
        return Value::Host(std::make_shared<QueryValue>(q));
      });
    }
    if (name == "filter_by") {
      return method([](QueryValue& q, CallContext& c, Args& a) -> Result<Value> {
        for (const auto& [key, value] : a.keywords) {
          auto column = c.GetAttr(q.entity_, key);
          if (!column) return column;
          auto clause = c.Operate("==", *column, value);
          if (!clause) return clause;
          q.where_.push_back(*clause);
        }
        return Value::Host(std::make_shared<QueryValue>(q));
      });
    }
    if (name == "order_by" || name == "group_by") {
      const bool order = name == "order_by";
      return method([order](QueryValue& q, CallContext&, Args& a) -> Result<Value> {
        auto& list = order ? q.order_by_ : q.group_by_;
        for (const Value& item : a.positional) {
          if (!item.IsNone()) list.push_back(item);
        }
        return Value::Host(std::make_shared<QueryValue>(q));
      });
    }
    if (name == "limit" || name == "offset") {
      const bool limit = name == "limit";
      return method([limit](QueryValue& q, CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, limit ? "limit" : "offset", a, 1, 1));
        (limit ? q.limit_ : q.offset_) = a.positional[0];
        return Value::Host(std::make_shared<QueryValue>(q));
      });
    }
    if (name == "with_entities") {
      return method([](QueryValue& q, CallContext&, Args& a) -> Result<Value> {
        q.columns_ = a.positional;
        return Value::Host(std::make_shared<QueryValue>(q));
      });
    }
    if (name == "distinct") {
      return method([](QueryValue& q, CallContext&, Args&) -> Result<Value> {
        q.distinct_ = true;
        return Value::Host(std::make_shared<QueryValue>(q));
      });
    }
    if (name == "all") {
      return method([](QueryValue& q, CallContext& c, Args&) -> Result<Value> {
        auto rows = q.Rows(c);
        if (!rows) return base::Fail(rows.error());
        return Value::List(std::move(*rows));
      });
    }
    if (name == "first") {
      return method([](QueryValue& q, CallContext& c, Args&) -> Result<Value> {
        q.limit_ = Value::Int(1);
        auto rows = q.Rows(c);
        if (!rows) return base::Fail(rows.error());
        return rows->empty() ? Value::None() : rows->front();
      });
    }
    if (name == "one" || name == "one_or_none" || name == "scalar") {
      const std::string which(name);
      return method([which](QueryValue& q, CallContext& c, Args&) -> Result<Value> {
        auto rows = q.Rows(c);
        if (!rows) return base::Fail(rows.error());
        if (rows->size() > 1) {
          return base::Fail(ThrowSqlalchemyError(
              c, "MultipleResultsFound", "Multiple rows were found when exactly one was required"));
        }
        if (rows->empty()) {
          if (which == "one") {
            return base::Fail(ThrowSqlalchemyError(c, "NoResultFound",
                                                        "No row was found when one was required"));
          }
          return Value::None();
        }
        if (which != "scalar" || q.columns_.empty()) return rows->front();
        auto items = IterateValue(c, rows->front());
        if (!items) return base::Fail(items.error());
        return items->empty() ? Value::None() : items->front();
      });
    }
    if (name == "count") {
      return method([](QueryValue& q, CallContext& c, Args&) -> Result<Value> {
        auto rows = q.Rows(c);
        if (!rows) return base::Fail(rows.error());
        return Value::Int(static_cast<int64_t>(rows->size()));
      });
    }
    if (name == "get") {
      return method([](QueryValue& q, CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "get", a, 1, 1));
        return q.Get(c, a.positional[0]);
      });
    }
    if (name == "update" || name == "delete") {
      const bool update = name == "update";
      return method([update](QueryValue& q, CallContext& c, Args& a) -> Result<Value> {
        return q.Bulk(c, update, a);
      });
    }
    return std::nullopt;
  }

  Result<std::vector<Value>> Iterate(CallContext& context) override { return Rows(context); }

  Result<Value> Get(CallContext& c, const Value& key_value) {
    auto table = TableOf(entity_);
    if (!table) return base::Fail(c.Throw("TypeError", "get() needs a mapped class"));
    std::vector<Value> key = key_value.Is(Kind::kTuple) ? key_value.Items()
                                                         : std::vector<Value>{key_value};
    if (auto it = state_->identity.find(IdentityKey(*table, key)); it != state_->identity.end()) {
      return it->second.object;
    }
    auto where = KeyClause(c, *table, key);
    if (!where) return where;
    where_.push_back(*where);
    auto rows = Rows(c);
    if (!rows) return base::Fail(rows.error());
    return rows->empty() ? Value::None() : rows->front();
  }

 private:
  // The SELECT of this query.
  Result<Value> Statement(CallContext& c) {
    auto table = TableOf(entity_);
    if (columns_.empty() && !table) {
      return base::Fail(c.Unsupported("unsupported: query() of a " + entity_.TypeName() +
                                      " (sqlmend queries declarative classes and columns)"));
    }
    Result<Value> select = columns_.empty() ? CallMethod(c, Value::Host(table), "select", Args{})
                                            : c.Call(CoreSelect(), Args{columns_, {}});
    if (!select) return select;
    Value statement = *select;
    auto apply = [&](std::string_view method, std::vector<Value> arguments) -> Status {
      if (arguments.empty()) return Status::Ok();
      auto next = CallMethod(c, statement, method, Args{std::move(arguments), {}});
      if (!next) return next.error();
      statement = *next;
      return Status::Ok();
    };
    SQLMEND_RETURN_IF_ERROR(apply("where", where_));
    SQLMEND_RETURN_IF_ERROR(apply("group_by", group_by_));
    SQLMEND_RETURN_IF_ERROR(apply("order_by", order_by_));
    if (!limit_.IsNone()) SQLMEND_RETURN_IF_ERROR(apply("limit", {limit_}));
    if (!offset_.IsNone()) SQLMEND_RETURN_IF_ERROR(apply("offset", {offset_}));
    if (distinct_) {
      auto next = CallMethod(c, statement, "distinct", Args{});
      if (!next) return next;
      statement = *next;
    }
    return statement;
  }

  Result<std::vector<Value>> Rows(CallContext& c) {
    SQLMEND_RETURN_IF_ERROR(Flush(c, state_));
    auto statement = Statement(c);
    if (!statement) return base::Fail(statement.error());
    auto result = Execute(c, *state_, *statement);
    if (!result) return base::Fail(result.error());
    auto rows = IterateValue(c, *result);
    if (!rows || !columns_.empty()) return rows;
    auto table = TableOf(entity_);
    std::vector<Value> objects;
    for (const Value& row : *rows) {
      auto values = IterateValue(c, row);
      if (!values) return base::Fail(values.error());
      objects.push_back(Load(state_, entity_, table, *values));
    }
    return objects;
  }

  // query.update({...}) / query.delete(): one statement over the query's
  // WHERE; loaded objects keep their values (synchronize_session=False).
  Result<Value> Bulk(CallContext& c, bool update, Args& a) {
    SQLMEND_RETURN_IF_ERROR(Flush(c, state_));
    auto table = TableOf(entity_);
    if (!table) return base::Fail(c.Throw("TypeError", "update() needs a mapped class query"));
    auto statement = CallMethod(c, Value::Host(table), update ? "update" : "delete", Args{});
    if (!statement) return statement;
    if (!where_.empty()) {
      statement = CallMethod(c, *statement, "where", Args{where_, {}});
      if (!statement) return statement;
    }
    Value values = Value::Dict();
    if (update) {
      if (a.positional.empty() || !a.positional[0].Is(Kind::kDict)) {
        return base::Fail(c.Throw("TypeError", "update() takes a dict of values"));
      }
      for (const auto& [key, value] : a.positional[0].AsDict().entries) {
        Value name = key;
        if (ColumnValue* column = AsColumn(key)) name = Value::Str(column->column.name);
        values.AsDict().Set(name, value);
      }
    }
    auto result = Execute(c, *state_, *statement, update ? &values : nullptr);
    if (!result) return result;
    return c.GetAttr(*result, "rowcount");
  }

  std::shared_ptr<SessionState> state_;
  Value entity_;                // the mapped class (or the first column's class)
  std::vector<Value> columns_;  // query(User.id, ...) / with_entities
  std::vector<Value> where_;
  std::vector<Value> order_by_;
  std::vector<Value> group_by_;
  Value limit_;
  Value offset_;
  bool distinct_ = false;
};

class SessionValue : public HostObject {
 public:
  explicit SessionValue(Value bind) : state_(NewSessionState()) {
    state_->bind = std::move(bind);
  }
  std::string TypeName() const override { return "Session"; }
  bool ReachesDatabase() const override { return true; }
  void Traverse(const Visitor& visit) const override { VisitState(state_, visit); }
  void Clear() override { state_.reset(); }
  Result<Value> Enter(CallContext&) override {
    return Value::Host(std::make_shared<SessionValue>(*this));
  }
  Status Exit(CallContext&) override {
    Drop();
    return Status::Ok();
  }

  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    auto state = state_;
    auto self = std::make_shared<SessionValue>(*this);
    auto method = [&](auto body) -> Value {
      return Value::Builtin(std::string(name),
                            [self, body](CallContext& c, Args& a) -> Result<Value> {
                              return body(*self, c, a);
                            });
    };
    if (name == "bind") return state_->bind;
    if (name == "connection" || name == "get_bind") {
      return method([](SessionValue& s, CallContext&, Args&) -> Result<Value> {
        return s.state_->bind;
      });
    }
    if (name == "query") {
      return method([](SessionValue& s, CallContext& c, Args& a) -> Result<Value> {
        if (a.positional.empty()) return base::Fail(c.Throw("TypeError", "query() needs an entity"));
        if (a.positional.size() == 1 && TableOf(a.positional[0]) != nullptr) {
          return Value::Host(std::make_shared<QueryValue>(s.state_, a.positional[0],
                                                          std::vector<Value>{}));
        }
        return Value::Host(std::make_shared<QueryValue>(s.state_, Value::None(), a.positional));
      });
    }
    if (name == "get") {
      return method([](SessionValue& s, CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "get", a, 2, 2));
        QueryValue query(s.state_, a.positional[0], {});
        return query.Get(c, a.positional[1]);
      });
    }
    if (name == "execute" || name == "scalar" || name == "scalars") {
      const std::string which(name);
      return method([which](SessionValue& s, CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, which, a, 1, 2, {"params"}));
        SQLMEND_RETURN_IF_ERROR(Flush(c, s.state_));
        auto result = Execute(c, *s.state_, a.positional[0],
                              a.positional.size() > 1 ? &a.positional[1] : nullptr);
        if (!result || which == "execute") return result;
        return CallMethod(c, *result, which, Args{});
      });
    }
    if (name == "add" || name == "add_all" || name == "merge") {
      const bool all = name == "add_all";
      const bool merge = name == "merge";
      return method([all, merge](SessionValue& s, CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "add", a, 1, 1));
        std::vector<Value> objects{a.positional[0]};
        if (all) {
          auto items = IterateValue(c, a.positional[0]);
          if (!items) return base::Fail(items.error());
          objects = std::move(*items);
        }
        for (const Value& object : objects) SQLMEND_RETURN_IF_ERROR(s.Add(c, object, merge));
        return merge ? objects.front() : Value::None();
      });
    }
    if (name == "delete") {
      return method([](SessionValue& s, CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "delete", a, 1, 1));
        if (!a.positional[0].Is(Kind::kInstance) ||
            TableOf(Value::Class(a.positional[0].AsInstance().class_object)) == nullptr) {
          return base::Fail(ThrowSqlalchemyError(
              c, "UnmappedInstanceError",
              "Class '" + a.positional[0].TypeName() + "' is not mapped"));
        }
        s.state_->deleted.push_back(a.positional[0]);
        return Value::None();
      });
    }
    if (name == "flush" || name == "commit") {
      return method([](SessionValue& s, CallContext& c, Args&) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(Flush(c, s.state_));
        return Value::None();
      });
    }
    if (name == "rollback" || name == "close" || name == "expunge_all") {
      return method([](SessionValue& s, CallContext&, Args&) -> Result<Value> {
        s.Drop();
        return Value::None();
      });
    }
    if (name == "begin" || name == "begin_nested") {
      return method([](SessionValue& s, CallContext&, Args&) -> Result<Value> {
        return Value::Host(std::make_shared<SessionTransaction>(s.state_));
      });
    }
    if (name == "autoflush") return Value::Bool(true);
    return std::nullopt;
  }

 private:
  // `with session.begin():` flushes when the block succeeds.
  class SessionTransaction : public HostObject {
   public:
    explicit SessionTransaction(std::shared_ptr<SessionState> state) : state_(std::move(state)) {}
    void Traverse(const Visitor& visit) const override { VisitState(state_, visit); }
    void Clear() override { state_.reset(); }
    std::string TypeName() const override { return "SessionTransaction"; }
    bool ReachesDatabase() const override { return true; }
    Result<Value> Enter(CallContext&) override { return Value::None(); }
    Status Exit(CallContext& c) override { return Flush(c, state_); }

   private:
    std::shared_ptr<SessionState> state_;
  };

  Status Add(CallContext& c, const Value& object, bool merge) {
    if (!object.Is(Kind::kInstance)) {
      return ThrowSqlalchemyError(c, "UnmappedInstanceError",
                                  "Class '" + object.TypeName() + "' is not mapped");
    }
    auto table = TableOf(Value::Class(object.AsInstance().class_object));
    if (!table) {
      return ThrowSqlalchemyError(c, "UnmappedInstanceError",
                                  "Class '" + object.TypeName() + "' is not mapped");
    }
    for (const auto& [identity, tracked] : state_->identity) {
      if (tracked.object.object() == object.object()) return Status::Ok();
    }
    for (const auto& [pending, unused] : state_->added) {
      if (pending.object() == object.object()) return Status::Ok();
    }
    if (merge) {
      // merge(): an existing row of the same key is updated, else inserted.
      QueryValue query(state_, Value::Class(object.AsInstance().class_object), {});
      std::vector<Value> key = KeyOfObject(object, *table);
      auto existing = query.Get(c, key.size() == 1 ? key.front() : Value::Tuple(key));
      if (!existing) return existing.error();
      if (!existing->IsNone()) {
        for (size_t i = 0; i < table->columns.size(); ++i) {
          auto value = AttributeOf(object, *table, i);
          if (value && AsColumn(*value) == nullptr) {
            existing->AsInstance().attributes[KeyOf(*table->columns[i])] = *value;
          }
        }
        return Status::Ok();
      }
    }
    state_->added.emplace_back(object, table);
    return Status::Ok();
  }

  void Drop() {
    state_->added.clear();
    state_->deleted.clear();
    state_->identity.clear();
  }

  std::shared_ptr<SessionState> state_;
};

// --- Relationship loading --------------------------------------------------

// A foreign key from one table to another: its columns in the first, the
// columns they refer to in the second (by name).
struct ForeignKeyPath {
  std::vector<std::string> local;
  std::vector<std::string> remote;
};

// The foreign keys of `from` that refer to the table named `to`: each
// column-level ForeignKey, then each ForeignKeyConstraint.
std::vector<ForeignKeyPath> PathsTo(const TableValue& from, const std::string& to) {
  std::vector<ForeignKeyPath> out;
  for (const auto& column : from.columns) {
    for (const auto& fk : column->column.foreign_keys) {
      if (fk.target_table == to) out.push_back({{column->column.name}, {fk.target_column}});
    }
  }
  for (const auto& constraint : from.table.constraints) {
    if (constraint.kind != ops::Constraint::Kind::kForeignKey) continue;
    const auto& fk = constraint.foreign_key;
    if (fk.target_table != to) continue;
    ForeignKeyPath path{fk.columns, fk.target_columns};
    const bool seen = std::any_of(out.begin(), out.end(),
                                  [&](const ForeignKeyPath& p) { return p.local == path.local; });
    if (!seen) out.push_back(std::move(path));
  }
  return out;
}

std::optional<size_t> ColumnIndex(const TableValue& table, const std::string& name) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i]->column.name == name) return i;
  }
  return std::nullopt;
}

std::shared_ptr<MetaDataValue> MetaDataOf(const std::shared_ptr<python::ClassObject>& owner) {
  const Value* metadata = owner->Lookup("metadata");
  if (metadata == nullptr || AsMetaData(*metadata) == nullptr) return nullptr;
  return std::static_pointer_cast<MetaDataValue>(metadata->object());
}

// The class a relationship's argument names, seen from `owner`.
Result<Value> TargetClass(CallContext& c, const Value& argument,
                          const std::shared_ptr<python::ClassObject>& owner) {
  if (argument.Is(Kind::kClass)) return argument;
  if (argument.Is(Kind::kStr)) {
    std::string name = argument.AsStr();
    if (name.rfind('.') != std::string::npos) name = name.substr(name.rfind('.') + 1);
    if (auto metadata = MetaDataOf(owner)) {
      auto found = metadata->classes.find(name);
      if (found != metadata->classes.end()) {
        if (auto target = found->second.lock()) return Value::Class(target);
      }
    }
    return base::Fail(c.Unsupported("unsupported: relationship('" + argument.AsStr() +
                                    "'): no mapped class of that name"));
  }
  if (argument.Is(Kind::kFunction) || argument.Is(Kind::kBuiltin)) {
    auto called = c.Call(argument, Args{});
    if (!called) return called;
    return TargetClass(c, *called, owner);
  }
  return base::Fail(c.Unsupported("unsupported: relationship() of a " + argument.TypeName()));
}

// The class name and whether it is a collection, from the annotation of
// attribute `key` in `owner` or a base: Mapped["Parent"],
// Mapped[Optional["Parent"]], Mapped[List["Child"]] (list, Set, set too).
std::optional<std::pair<std::string, bool>> AnnotatedTarget(
    const std::shared_ptr<python::ClassObject>& owner, const std::string& key) {
  std::vector<std::shared_ptr<python::ClassObject>> pending = {owner};
  while (!pending.empty()) {
    auto next = pending.back();
    pending.pop_back();
    pending.insert(pending.end(), next->bases.begin(), next->bases.end());
    auto annotations = next->attributes.find("__annotations__");
    if (annotations == next->attributes.end() || !annotations->second.Is(Kind::kDict)) continue;
    Value* text = annotations->second.AsDict().Find(Value::Str(key));
    if (text == nullptr || !text->Is(Kind::kStr)) continue;
    auto mapped = ParseMapped(text->AsStr());
    if (!mapped) return std::nullopt;
    std::string name = mapped->inner;
    bool list = false;
    for (std::string_view collection : {"List", "list", "Set", "set"}) {
      if (auto item = Subscript(name, collection)) {
        name = *item;
        list = true;
        break;
      }
    }
    if (name.empty()) return std::nullopt;
    return std::pair(name, list);
  }
  return std::nullopt;
}

std::optional<Result<Value>> RelationshipValue::GetFromClass(
    CallContext& c, const Value* instance, const std::shared_ptr<python::ClassObject>& owner) {
  if (instance == nullptr) return std::nullopt;
  return Load(c, *instance, owner);
}

Result<Value> RelationshipValue::Load(CallContext& c, const Value& instance,
                                      const std::shared_ptr<python::ClassObject>& owner) {
  const std::string key = NameIn(owner);
  auto refuse = [&](const std::string& why) {
    return base::Fail(c.Unsupported("unsupported: reading relationship '" + key + "' of a " +
                                     owner->name + " object: " + why));
  };
  if (!unsupported.empty()) return refuse(unsupported + " is not modelled");
  InstanceState* state = StateOf(instance);
  std::shared_ptr<SessionState> session = state != nullptr ? state->session.lock() : nullptr;
  if (session == nullptr) return refuse("only the objects a session loaded load relationships");
  Value named = argument;
  std::optional<bool> annotated_list;
  if (named.IsNone()) {
    // SQLAlchemy 2.0: `children: Mapped[List["Child"]] = relationship()`.
    auto annotation = AnnotatedTarget(owner, key);
    if (!annotation) return refuse("its class is given neither as an argument nor annotated");
    named = Value::Str(annotation->first);
    annotated_list = annotation->second;
  }
  auto target = TargetClass(c, named, owner);
  if (!target) return target;
  auto owner_table = TableOf(Value::Class(owner));
  auto target_table = TableOf(*target);
  if (owner_table == nullptr || target_table == nullptr) return refuse("a class is not mapped");
  const std::string owner_name = owner_table->table.name;
  const std::string target_name = target_table->table.name;

  auto owner_value = [&](const std::string& column) -> std::optional<Value> {
    auto index = ColumnIndex(*owner_table, column);
    if (!index) return std::nullopt;
    return AttributeOf(instance, *owner_table, *index);
  };
  auto target_key = [&](const std::string& column) -> std::optional<std::string> {
    auto index = ColumnIndex(*target_table, column);
    if (!index) return std::nullopt;
    return KeyOf(*target_table->columns[*index]);
  };
  Value query = Value::Host(std::make_shared<QueryValue>(session, *target, std::vector<Value>{}));
  bool collection = true;

  if (!secondary.IsNone()) {
    // Many to many: the keys the association table pairs with this object,
    // then the targets with those keys.
    std::shared_ptr<TableValue> association;
    if (AsTable(secondary) != nullptr) {
      association = std::static_pointer_cast<TableValue>(secondary.object());
    } else if (secondary.Is(Kind::kStr)) {
      if (auto metadata = MetaDataOf(owner)) association = metadata->Find(secondary.AsStr());
    }
    if (association == nullptr) return refuse("its secondary table is not in the MetaData");
    auto to_owner = PathsTo(*association, owner_name);
    auto to_target = PathsTo(*association, target_name);
    if (owner_name == target_name || to_owner.size() != 1 || to_target.size() != 1 ||
        to_target[0].local.size() != 1) {
      return refuse("its secondary table's foreign keys do not name one path each way");
    }
    auto columns = c.GetAttr(Value::Host(association), "c");
    if (!columns) return columns;
    auto selected = c.GetAttr(*columns, to_target[0].local[0]);
    if (!selected) return selected;
    auto statement = c.Call(CoreSelect(), Args{{*selected}, {}});
    if (!statement) return statement;
    for (size_t i = 0; i < to_owner[0].local.size(); ++i) {
      auto value = owner_value(to_owner[0].remote[i]);
      if (!value) return refuse("a joined column is missing");
      auto column = c.GetAttr(*columns, to_owner[0].local[i]);
      if (!column) return column;
      auto clause = c.Operate("==", *column, *value);
      if (!clause) return clause;
      statement = CallMethod(c, *statement, "where", Args{{*clause}, {}});
      if (!statement) return statement;
    }
    SQLMEND_RETURN_IF_ERROR(Flush(c, session));
    auto result = Execute(c, *session, *statement);
    if (!result) return result;
    auto rows = IterateValue(c, *result);
    if (!rows) return base::Fail(rows.error());
    std::vector<Value> keys;
    for (const Value& row : *rows) {
      auto items = IterateValue(c, row);
      if (!items) return base::Fail(items.error());
      keys.push_back(items->at(0));
    }
    auto remote = target_key(to_target[0].remote[0]);
    if (!remote) return refuse("a joined column is missing");
    auto column = c.GetAttr(*target, *remote);
    if (!column) return column;
    auto clause = CallMethod(c, *column, "in_", Args{{Value::List(std::move(keys))}, {}});
    if (!clause) return clause;
    auto filtered = CallMethod(c, query, "filter", Args{{*clause}, {}});
    if (!filtered) return filtered;
    query = *filtered;
  } else {
    auto to_target = PathsTo(*owner_table, target_name);  // many to one
    auto to_owner = PathsTo(*target_table, owner_name);   // one to many
    if (owner_name == target_name) {
      // An adjacency list: one to many, unless remote_side= makes it the
      // parent.
      if (remote_side) {
        to_owner.clear();
      } else {
        to_target.clear();
      }
    }
    if (to_target.size() + to_owner.size() != 1) {
      return refuse(to_target.empty() && to_owner.empty()
                        ? "no foreign key joins the two tables"
                        : "more than one foreign key joins the two tables");
    }
    Args by_key;
    if (!to_target.empty()) {
      collection = false;
      const ForeignKeyPath& path = to_target[0];
      for (size_t i = 0; i < path.local.size(); ++i) {
        auto value = owner_value(path.local[i]);
        auto remote = target_key(path.remote[i]);
        if (!value || !remote) return refuse("a joined column is missing");
        if (value->IsNone()) {
          // No parent: nothing to load.
          instance.AsInstance().attributes[key] = Value::None();
          state->loaded[key] = {Value::None(), {}};
          return Value::None();
        }
        by_key.keywords.emplace_back(*remote, *value);
      }
    } else {
      const ForeignKeyPath& path = to_owner[0];
      for (size_t i = 0; i < path.local.size(); ++i) {
        auto value = owner_value(path.remote[i]);
        auto local = target_key(path.local[i]);
        if (!value || !local) return refuse("a joined column is missing");
        by_key.keywords.emplace_back(*local, *value);
      }
    }
    auto filtered = CallMethod(c, query, "filter_by", std::move(by_key));
    if (!filtered) return filtered;
    query = *filtered;
  }
  if (!order_by.IsNone()) {
    // order_by= may be a callable giving the columns, resolved when first
    // used (the target class may be declared after the relationship).
    Value columns = order_by;
    if (columns.Is(Kind::kFunction) || columns.Is(Kind::kBuiltin)) {
      auto called = c.Call(columns, Args{});
      if (!called) return called;
      columns = *called;
    }
    if (columns.Is(Kind::kStr)) return refuse("order_by= as a string is not modelled");
    Args order{python::ItemsOrSingle(columns), {}};
    auto ordered = CallMethod(c, query, "order_by", std::move(order));
    if (!ordered) return ordered;
    query = *ordered;
  }
  if (lazy == "dynamic") return query;
  const bool as_list = uselist.value_or(annotated_list.value_or(collection));
  auto loaded = CallMethod(c, query, as_list ? "all" : "first", Args{});
  if (!loaded) return loaded;
  instance.AsInstance().attributes[key] = *loaded;
  state->loaded[key] = {*loaded, ItemsOf(*loaded)};
  return loaded;
}

// Gives each class that holds a relationship with backref= the reverse
// relationship on its target, once the target is mapped (SQLAlchemy's
// configure_mappers()).
void InstallBackrefs(CallContext& c, const std::shared_ptr<MetaDataValue>& metadata) {
  for (const auto& [name, weak] : metadata->classes) {
    auto owner = weak.lock();
    if (owner == nullptr) continue;
    for (const auto& [key, value] : owner->attributes) {
      if (!value.Is(Kind::kHost)) continue;
      auto* relationship = dynamic_cast<RelationshipValue*>(&value.AsHost());
      if (relationship == nullptr || relationship->backref.empty() ||
          relationship->backref_installed) {
        continue;
      }
      Value named = relationship->argument;
      if (named.IsNone()) {
        auto annotation = AnnotatedTarget(owner, key);
        if (!annotation) continue;
        named = Value::Str(annotation->first);
      }
      auto target = TargetClass(c, named, owner);
      if (!target) {
        c.Catch(target.error(), "Exception");
        continue;
      }
      relationship->backref_installed = true;
      auto target_class = target->AsClass();
      if (target_class->attributes.contains(relationship->backref)) continue;
      auto reverse = std::make_shared<RelationshipValue>();
      reverse->argument = Value::Class(owner);
      reverse->secondary = relationship->secondary;
      reverse->uselist = relationship->backref_uselist;
      reverse->remote_side = !relationship->remote_side && owner == target_class;
      target_class->attributes[relationship->backref] = Value::Host(reverse);
    }
  }
}

Value BindOf(const Args& args, size_t position) {
  if (args.positional.size() > position) return args.positional[position];
  if (const Value* bind = python::KeywordArg(args, "bind")) return *bind;
  return Value::None();
}

// sessionmaker(bind=...): calling it makes a Session; configure(bind=...).
class SessionMakerValue : public HostObject {
 public:
  explicit SessionMakerValue(Value bind) : bind_(std::make_shared<Value>(std::move(bind))) {}
  std::string TypeName() const override { return "sessionmaker"; }
  bool ReachesDatabase() const override { return true; }
  Result<Value> Call(CallContext&, Args& args) override {
    Value bind = BindOf(args, 0);
    return Value::Host(std::make_shared<SessionValue>(bind.IsNone() ? *bind_ : bind));
  }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name != "configure") return std::nullopt;
    auto bind = bind_;
    return Value::Builtin("configure", [bind](CallContext&, Args& a) -> Result<Value> {
      *bind = BindOf(a, SIZE_MAX);
      return Value::None();
    });
  }

 private:
  std::shared_ptr<Value> bind_;
};

}  // namespace

Value RelationshipFunction() {
  return Value::Builtin(
      "sqlalchemy.orm.relationship", [](CallContext&, Args& a) -> Result<Value> {
        // Without an argument, the target comes from the Mapped[...] annotation.
        auto relationship = std::make_shared<RelationshipValue>();
        relationship->argument = a.positional.empty() ? Value::None() : a.positional[0];
        if (a.positional.size() > 1) relationship->secondary = a.positional[1];
        for (const auto& [key, value] : a.keywords) {
          if (key == "argument") {
            relationship->argument = value;
          } else if (key == "secondary") {
            relationship->secondary = value;
          } else if (key == "order_by") {
            if (!value.Is(Kind::kBool)) relationship->order_by = value;
          } else if (key == "uselist") {
            if (!value.IsNone()) relationship->uselist = value.Truthy();
          } else if (key == "lazy") {
            if (value.Is(Kind::kStr)) relationship->lazy = value.AsStr();
            if (value.Is(Kind::kBool)) relationship->lazy = value.AsBool() ? "select" : "joined";
          } else if (key == "backref") {
            // A name, or backref(name, **kw): a tuple of the two.
            if (value.Is(Kind::kStr)) relationship->backref = value.AsStr();
            if (value.Is(Kind::kTuple) && !value.Items().empty() &&
                value.Items()[0].Is(Kind::kStr)) {
              relationship->backref = value.Items()[0].AsStr();
              if (value.Items().size() > 1 && value.Items()[1].Is(Kind::kDict)) {
                if (Value* uselist = value.Items()[1].AsDict().Find(Value::Str("uselist"))) {
                  relationship->backref_uselist = uselist->Truthy();
                }
              }
            }
          } else if (key == "remote_side") {
            relationship->remote_side = !value.IsNone();
          } else if ((key == "primaryjoin" || key == "secondaryjoin" || key == "foreign_keys" ||
                      key == "collection_class") &&
                     !value.IsNone()) {
            relationship->unsupported = key + "=";
          }
        }
        return Value::Host(relationship);
      });
}

Value BackrefFunction() {
  return Value::Builtin("sqlalchemy.orm.backref", [](CallContext& c, Args& a) -> Result<Value> {
    if (a.positional.size() != 1 || !a.positional[0].Is(Kind::kStr)) {
      return base::Fail(c.Throw("TypeError", "backref() takes the name of the reverse attribute"));
    }
    Value options = Value::Dict();
    for (const auto& [key, value] : a.keywords) options.AsDict().Set(Value::Str(key), value);
    return Value::Tuple({a.positional[0], options});
  });
}

void MapRelationships(CallContext& c, const std::shared_ptr<python::ClassObject>& class_object,
                      const std::shared_ptr<MetaDataValue>& metadata) {
  metadata->classes[class_object->name] = class_object;
  InstallBackrefs(c, metadata);
}

void AddOrmSession(ModuleObject& module) {
  module.attributes["Session"] = Value::Builtin("Session", [](CallContext&, Args& a) -> Result<Value> {
    return Value::Host(std::make_shared<SessionValue>(BindOf(a, 0)));
  });
  module.attributes["sessionmaker"] =
      Value::Builtin("sessionmaker", [](CallContext&, Args& a) -> Result<Value> {
        return Value::Host(std::make_shared<SessionMakerValue>(BindOf(a, SIZE_MAX)));
      });
  // Model modules call it once every class is declared. sqlmend maps a class
  // when it is declared and resolves relationships by name when they are
  // used, so there is nothing left to configure.
  module.attributes["configure_mappers"] =
      Value::Builtin("configure_mappers", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(python::CheckArgs(c, "configure_mappers", a, 0, 0));
        return Value::None();
      });
}

}  // namespace sqlmend::sqlalchemy
