// The modelled engine, connections, DBAPI connections and event listeners
// of env.py (env_context.h), and the host-object building blocks
// (env_objects.h).
#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "alembic/env_objects.h"
#include "python/builtins.h"
#include "python/interpreter.h"

namespace sqlmend::alembic::env {

using python::Args;
using python::CallContext;
using python::CheckArgs;
using python::HostObject;
using python::Interpreter;
using python::KeywordArg;
using python::ModuleObject;
using python::NativeFunction;
using python::ToStr;
using python::Value;

using base::Result;
using base::Status;
using Kind = Value::Kind;

std::optional<Result<Value>> Object::GetAttribute(CallContext& context, std::string_view name) {
  auto it = attributes.find(name);
  if (it != attributes.end()) return it->second;
  if (refuse_unknown_) {
    return base::Fail(context.Unsupported("unsupported: " + type_name_ + "." + std::string(name) +
                                          " (sqlmend models only part of this object)"));
  }
  return std::nullopt;
}

Status Object::SetAttribute(CallContext& context, std::string_view name, Value value) {
  if (!settable.contains(name)) return HostObject::SetAttribute(context, name, std::move(value));
  attributes[std::string(name)] = std::move(value);
  return Status::Ok();
}

Result<Value> Object::Enter(CallContext& context) {
  if (enter) return enter(context);
  if (!exit) return HostObject::Enter(context);
  return Value::None();
}

Status Object::Exit(CallContext& context) { return exit ? exit(context) : Status::Ok(); }

std::string Object::Repr() const { return repr.empty() ? HostObject::Repr() : repr; }

void Object::Traverse(const Visitor& visit) const {
  for (const auto& [name, value] : attributes) python::VisitValue(value, visit);
}

void Object::Clear() {
  attributes.clear();
  enter = nullptr;
  exit = nullptr;
}

void Object::Method(const std::string& name, NativeFunction function) {
  attributes[name] = Value::Builtin(name, std::move(function));
}

std::shared_ptr<Object> NewObject(std::string type_name, bool refuse_unknown) {
  return std::make_shared<Object>(std::move(type_name), refuse_unknown);
}

Value EnsureModule(Interpreter& interpreter, const std::string& dotted) {
  if (const Value* known = interpreter.RegisteredModule(dotted)) return *known;
  auto object = std::make_shared<ModuleObject>();
  object->name = dotted;
  Value module = Value::Module(object);
  interpreter.AddModule(dotted, module);
  if (size_t dot = dotted.rfind('.'); dot != std::string::npos) {
    // Fixed names of at most three parts: the recursion is shallow.
    Value parent = EnsureModule(interpreter, dotted.substr(0, dot));
    if (parent.Is(Kind::kModule)) parent.AsModule().attributes[dotted.substr(dot + 1)] = module;
  }
  return module;
}

Result<std::string> SqlText(CallContext& context, const Value& statement) {
  if (statement.Is(Kind::kStr)) return statement.AsStr();
  if (statement.Is(Kind::kHost) || statement.Is(Kind::kInstance)) {
    auto text = context.GetAttr(statement, "text");
    if (text && text->Is(Kind::kStr)) return text->AsStr();
    if (!text && !context.Catch(text.error(), "AttributeError")) return base::Fail(text.error());
  }
  return base::Fail(context.Unsupported("unsupported: executing a " + statement.TypeName() +
                                        " on env.py's connection (sqlmend records SQL text only)"));
}

Status RecordStatement(CallContext& context, const State& state, ConnectionState& connection,
                       const std::string& sql) {
  if (state.run_migrations_calls > 0) {
    return context.Unsupported(
        "unsupported: SQL executed on env.py's connection after context.run_migrations() (sqlmend "
        "runs "
        "the statements env.py executes before migrating, and only those)");
  }
  connection.statements.push_back(sql);
  return Status::Ok();
}

namespace {

// execute(sql) without parameters, recorded on `connection`.
// It returns `result` (the cursor itself, held weakly: the cursor holds this
// method), or None when there is none.
NativeFunction Execute(std::shared_ptr<State> state, std::shared_ptr<ConnectionState> connection,
                       std::string name, std::weak_ptr<Object> result = {}) {
  return WithState(
      state,
      [connection, name, result](CallContext& c, Args& a,
                                 const std::shared_ptr<State>& state) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, name, a, 1, 2, {"*"}));
        bool has_parameters =
            a.positional.size() > 1 && !a.positional[1].IsNone() &&
            !(a.positional[1].IsSequence() && a.positional[1].Items().empty()) &&
            !(a.positional[1].Is(Kind::kDict) && a.positional[1].AsDict().entries.empty());
        if (has_parameters || !a.keywords.empty()) {
          return base::Fail(c.Unsupported("unsupported: parameters to " + name + "() in env.py"));
        }
        auto sql = SqlText(c, a.positional[0]);
        if (!sql) return base::Fail(sql.error());
        SQLMEND_RETURN_IF_ERROR(RecordStatement(c, *state, *connection, *sql));
        auto object = result.lock();
        return object == nullptr ? Value::None() : Value::Host(object);
      });
}

NativeFunction Nothing() {
  return [](CallContext&, Args&) -> Result<Value> { return Value::None(); };
}

NativeFunction RefuseReading(std::string what) {
  return [what](CallContext& c, Args&) -> Result<Value> {
    return base::Fail(c.Unsupported("unsupported: " + what + " (env.py runs without a database)"));
  };
}

Value MakeCursor(const std::shared_ptr<State>& state,
                 const std::shared_ptr<ConnectionState>& connection) {
  auto cursor = NewObject("Cursor", /*refuse_unknown=*/true);
  Value self = Value::Host(cursor);
  cursor->Method("execute", Execute(state, connection, "execute", cursor));
  cursor->Method("close", Nothing());
  for (const char* read : {"fetchone", "fetchall", "fetchmany"}) {
    cursor->Method(read, RefuseReading(std::string("cursor.") + read + "()"));
  }
  cursor->attributes["rowcount"] = Value::Int(-1);
  cursor->exit = [](CallContext&) { return Status::Ok(); };
  return self;
}

// The pysqlite connection a "connect" listener receives.
Value MakeDbapiConnection(const std::shared_ptr<State>& state,
                          const std::shared_ptr<ConnectionState>& connection) {
  auto dbapi = NewObject("sqlite3.Connection", /*refuse_unknown=*/true);
  dbapi->Method("cursor",
                WithState(state,
                          [connection](CallContext& c, Args& a,
                                       const std::shared_ptr<State>& state) -> Result<Value> {
                            SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "cursor", a, 0, 0));
                            return MakeCursor(state, connection);
                          }));
  dbapi->Method("execute",
                WithState(state,
                          [connection](CallContext& c, Args& a,
                                       const std::shared_ptr<State>& state) -> Result<Value> {
                            Value cursor = MakeCursor(state, connection);
                            auto execute = c.GetAttr(cursor, "execute");
                            if (!execute) return execute;
                            auto done = c.Call(*execute, a);
                            if (!done) return done;
                            return cursor;
                          }));
  for (const char* name : {"commit", "rollback", "close"}) dbapi->Method(name, Nothing());
  dbapi->attributes["isolation_level"] = Value::Str("");
  dbapi->settable.insert("isolation_level");
  return Value::Host(dbapi);
}

Value MakeDialect() {
  auto dialect = NewObject("SQLiteDialect_pysqlite", /*refuse_unknown=*/true);
  dialect->attributes["name"] = Value::Str("sqlite");
  dialect->attributes["driver"] = Value::Str("pysqlite");
  return Value::Host(dialect);
}

// Calls the listeners of `identifier` that apply to `engine` with a new
// DBAPI connection recording into `connection`.
Status FireListeners(CallContext& c, const std::shared_ptr<State>& state, const void* engine,
                     const std::string& identifier,
                     const std::shared_ptr<ConnectionState>& connection) {
  Value dbapi = MakeDbapiConnection(state, connection);
  auto record = NewObject("_ConnectionRecord");
  record->attributes["info"] = Value::Dict();
  Value record_value = Value::Host(record);
  // Copied: a listener may register listeners.
  std::vector<Listener> listeners = state->listeners;
  for (const Listener& listener : listeners) {
    if (listener.identifier != identifier ||
        (listener.engine != nullptr && listener.engine != engine))
      continue;
    Args args;
    if (listener.named) {
      args.keywords = {{"dbapi_connection", dbapi}, {"connection_record", record_value}};
    } else {
      args.positional = {dbapi, record_value};
    }
    auto called = c.Call(listener.function, std::move(args));
    if (!called) return called.error();
  }
  return Status::Ok();
}

Value MakeConnection(CallContext& c, const std::shared_ptr<State>& state,
                     const std::shared_ptr<EngineState>& engine, Value engine_value,
                     Status& status) {
  auto connection = std::make_shared<ConnectionState>();
  connection->url = engine->url;
  if (!engine->connected) {
    engine->connected = true;
    status = FireListeners(c, state, engine.get(), "first_connect", connection);
    if (!status.ok()) return Value();
  }
  status = FireListeners(c, state, engine.get(), "connect", connection);
  if (!status.ok()) return Value();

  auto object = NewObject("Connection", /*refuse_unknown=*/true);
  object->identity = connection.get();
  object->role = "connection";
  Value self = Value::Host(object);
  object->attributes["engine"] = engine_value;
  object->attributes["dialect"] = MakeDialect();
  object->attributes["closed"] = Value::Bool(false);
  object->Method("execute", Execute(state, connection, "execute"));
  object->Method("exec_driver_sql", Execute(state, connection, "exec_driver_sql"));
  for (const char* name : {"close", "commit", "rollback", "invalidate", "detach"})
    object->Method(name, Nothing());
  auto transaction = NewObject("Transaction");
  transaction->exit = [](CallContext&) { return Status::Ok(); };
  for (const char* name : {"commit", "rollback", "close"}) transaction->Method(name, Nothing());
  Value transaction_value = Value::Host(transaction);
  object->Method("begin", [transaction_value](CallContext&, Args&) -> Result<Value> {
    return transaction_value;
  });
  object->Method("begin_nested", [transaction_value](CallContext&, Args&) -> Result<Value> {
    return transaction_value;
  });
  // The object's own methods hold it weakly (it holds them).
  std::weak_ptr<Object> weak = object;
  object->Method("execution_options",
                 [weak](CallContext&, Args&) -> Result<Value> { return Value::Host(weak.lock()); });
  object->enter = [weak](CallContext&) -> Result<Value> { return Value::Host(weak.lock()); };
  object->exit = [](CallContext&) { return Status::Ok(); };
  state->connections[connection.get()] = connection;
  return self;
}

// The URL text of a str or of an object whose str() is one.
Result<std::string> UrlText(CallContext& c, const Value& url) {
  if (url.Is(Kind::kStr)) return url.AsStr();
  return c.Text(url, false);
}

Value MakeEngine(const std::shared_ptr<State>& state, std::string url) {
  auto engine = std::make_shared<EngineState>();
  engine->url = std::move(url);
  auto object = NewObject("Engine", /*refuse_unknown=*/true);
  object->role = "engine";
  object->identity = engine.get();
  object->repr = "Engine(" + engine->url + ")";
  Value self = Value::Host(object);
  object->attributes["url"] = Value::Str(engine->url);
  object->attributes["dialect"] = MakeDialect();
  object->attributes["name"] = Value::Str("sqlite");
  object->attributes["driver"] = Value::Str("pysqlite");
  // The engine's methods hold it weakly (it holds them).
  std::weak_ptr<Object> weak = object;
  auto connect = WithState(state,
                           [engine, weak](CallContext& c, Args& a,
                                          const std::shared_ptr<State>& state) -> Result<Value> {
                             SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "connect", a, 0, 0));
                             Status status;
                             Value connection =
                                 MakeConnection(c, state, engine, Value::Host(weak.lock()), status);
                             if (!status.ok()) return base::Fail(status);
                             return connection;
                           });
  object->Method("connect", connect);
  object->Method("begin", connect);
  object->Method("dispose", Nothing());
  object->Method("execution_options",
                 [weak](CallContext&, Args&) -> Result<Value> { return Value::Host(weak.lock()); });
  state->engines[engine.get()] = engine;
  return self;
}

// event.listen / listens_for: registers `function` for `target`.
Status Listen(CallContext& c, const std::shared_ptr<State>& state, const Value& target,
              const Value& identifier_value, Value function, const Args& args) {
  if (!identifier_value.Is(Kind::kStr))
    return c.Throw("TypeError", "event identifier must be a str");
  const std::string& identifier = identifier_value.AsStr();
  auto* object = target.Is(Kind::kHost) ? dynamic_cast<Object*>(&target.AsHost()) : nullptr;
  std::string role = object != nullptr ? object->role : "";
  if (role != "engine" && role != "engine_class" && role != "pool_class") {
    return Status::Ok();  // not an engine: never fires during a migration run
  }
  if (identifier != "connect" && identifier != "first_connect") {
    return c.Unsupported("unsupported: listening for the engine event '" + identifier +
                         "' (sqlmend runs \"connect\" and \"first_connect\" listeners only)");
  }
  Listener listener;
  listener.engine = role == "engine" ? object->identity : nullptr;
  listener.identifier = identifier;
  listener.function = std::move(function);
  const Value* named = KeywordArg(args, "named");
  listener.named = named != nullptr && named->Truthy();
  const Value* insert = KeywordArg(args, "insert");
  if (insert != nullptr && insert->Truthy()) {
    state->listeners.insert(state->listeners.begin(), std::move(listener));
  } else {
    state->listeners.push_back(std::move(listener));
  }
  return Status::Ok();
}

Value ClassObjectNamed(const std::string& path, const std::string& role) {
  auto object = NewObject("type");
  object->role = role;
  object->repr = "<class '" + path + "'>";
  return Value::Host(object);
}

}  // namespace

void InstallEngine(Interpreter& interpreter, const std::shared_ptr<State>& state) {
  Value sqlalchemy = EnsureModule(interpreter, "sqlalchemy");
  Value engine_module = EnsureModule(interpreter, "sqlalchemy.engine");
  Value pool = EnsureModule(interpreter, "sqlalchemy.pool");
  Value event = EnsureModule(interpreter, "sqlalchemy.event");

  Value create_engine = Value::Builtin(
      "create_engine",
      WithState(state,
                [](CallContext& c, Args& a, const std::shared_ptr<State>& state) -> Result<Value> {
                  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "create_engine", a, 1, 1, {"*"}));
                  auto url = UrlText(c, a.positional[0]);
                  if (!url) return base::Fail(url.error());
                  return MakeEngine(state, *url);
                }));
  Value engine_from_config = Value::Builtin(
      "engine_from_config",
      WithState(state,
                [](CallContext& c, Args& a, const std::shared_ptr<State>& state) -> Result<Value> {
                  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "engine_from_config", a, 1, 2, {"*"}));
                  std::string prefix = "sqlalchemy.";
                  if (a.positional.size() > 1) {
                    prefix = ToStr(a.positional[1]);
                  } else if (const Value* given = KeywordArg(a, "prefix")) {
                    prefix = ToStr(*given);
                  }
                  const Value& configuration = a.positional[0];
                  if (!configuration.Is(Kind::kDict)) {
                    return base::Fail(c.Throw(
                        "TypeError", "'" + configuration.TypeName() + "' object is not iterable"));
                  }
                  Value* url = configuration.AsDict().Find(Value::Str(prefix + "url"));
                  if (url == nullptr && !state->url_from_placeholder.empty()) {
                    // Flask-Migrate's env.py without the application.
                    return base::Fail(
                        c.Unsupported("unsupported: no database URL: env.py takes it from " +
                                      state->url_from_placeholder + "; set sqlalchemy.url in " +
                                      state->context.config_file_name));
                  }
                  if (url == nullptr) return base::Fail(c.ThrowKeyError(Value::Str("url")));
                  auto text = UrlText(c, *url);
                  if (!text) return base::Fail(text.error());
                  return MakeEngine(state, *text);
                }));
  for (Value module : {sqlalchemy, engine_module}) {
    if (!module.Is(Kind::kModule)) continue;
    module.AsModule().attributes["create_engine"] = create_engine;
    module.AsModule().attributes["engine_from_config"] = engine_from_config;
  }
  if (engine_module.Is(Kind::kModule)) {
    engine_module.AsModule().attributes["Engine"] =
        ClassObjectNamed("sqlalchemy.engine.base.Engine", "engine_class");
    engine_module.AsModule().attributes["Connection"] =
        ClassObjectNamed("sqlalchemy.engine.base.Connection", "");
  }
  if (pool.Is(Kind::kModule)) {
    for (const char* name :
         {"NullPool", "StaticPool", "QueuePool", "SingletonThreadPool", "AssertionPool", "Pool"}) {
      pool.AsModule().attributes[name] =
          ClassObjectNamed(std::string("sqlalchemy.pool.impl.") + name, "pool_class");
    }
  }
  if (event.Is(Kind::kModule)) {
    event.AsModule().attributes["listen"] = Value::Builtin(
        "listen", WithState(state,
                            [](CallContext& c, Args& a,
                               const std::shared_ptr<State>& state) -> Result<Value> {
                              SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "listen", a, 3, 3, {"*"}));
                              SQLMEND_RETURN_IF_ERROR(Listen(c, state, a.positional[0],
                                                             a.positional[1], a.positional[2], a));
                              return Value::None();
                            }));
    event.AsModule().attributes["listens_for"] = Value::Builtin(
        "listens_for",
        WithState(
            state,
            [](CallContext& c, Args& a, const std::shared_ptr<State>& state) -> Result<Value> {
              SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "listens_for", a, 2, 2, {"*"}));
              Args registration = a;
              return Value::Builtin(
                  "decorate",
                  WithState(state,
                            [registration](CallContext& c2, Args& d,
                                           const std::shared_ptr<State>& state) -> Result<Value> {
                              SQLMEND_RETURN_IF_ERROR(CheckArgs(c2, "decorate", d, 1, 1));
                              SQLMEND_RETURN_IF_ERROR(Listen(c2, state, registration.positional[0],
                                                             registration.positional[1],
                                                             d.positional[0], registration));
                              return d.positional[0];
                            }));
            }));
    for (const char* name : {"remove", "contains"}) {
      std::string function_name = name;
      event.AsModule().attributes[function_name] =
          Value::Builtin(function_name, [function_name](CallContext& c, Args&) -> Result<Value> {
            return base::Fail(c.Unsupported("unsupported: event." + function_name + "()"));
          });
    }
  }
}

}  // namespace sqlmend::alembic::env
