// Building blocks of the modelled env.py objects (env_context.h): a host
// object made of named attributes, and the recorded state the context,
// engines, connections and event listeners share. Internal to the alembic module.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "alembic/project.h"
#include "python/value.h"

namespace sqlmend::alembic::env {

// A host object whose attributes are a map: methods are builtins bound to
// the shared state they need. `refuse_unknown` makes a missing attribute an
// unsupported-construct error naming `type_name` (for objects whose real
// counterpart has many more methods than sqlmend models) instead of an
// AttributeError.
class Object : public python::HostObject {
 public:
  explicit Object(std::string type_name, bool refuse_unknown = false)
      : type_name_(std::move(type_name)), refuse_unknown_(refuse_unknown) {}
  std::string TypeName() const override { return type_name_; }
  std::optional<base::Result<python::Value>> GetAttribute(python::CallContext& context,
                                                          std::string_view name) override;
  base::Status SetAttribute(python::CallContext& context, std::string_view name,
                            python::Value value) override;
  base::Result<python::Value> Enter(python::CallContext& context) override;
  base::Status Exit(python::CallContext& context) override;
  std::string Repr() const override;

  // Adds a method (a builtin named TypeName().name).
  void Method(const std::string& name, python::NativeFunction function);

  void Traverse(const Visitor& visit) const override;
  void Clear() override;

  std::map<std::string, python::Value, std::less<>> attributes;
  std::set<std::string, std::less<>> settable;  // attributes a script may set
  // `with obj as x:` — x is enter()'s result (the object itself when unset).
  std::function<base::Result<python::Value>(python::CallContext&)> enter;
  std::function<base::Status(python::CallContext&)> exit;
  std::string repr;  // "" for the default
  // What the object is for listener targets: "engine", "engine_class",
  // "pool_class", or "".
  std::string role;
  const void* identity = nullptr;  // the engine's state, for "engine"

 private:
  std::string type_name_;
  bool refuse_unknown_;
};

std::shared_ptr<Object> NewObject(std::string type_name, bool refuse_unknown = false);

// One connection env.py opened: the SQL run on it, in order.
struct ConnectionState {
  std::string url;
  std::vector<std::string> statements;
};

struct EngineState {
  std::string url;
  bool connected = false;  // "first_connect" fired
};

struct Listener {
  const void* engine = nullptr;  // the engine's state; null for every engine
  std::string identifier;        // "connect" or "first_connect"
  python::Value function;
  bool named = false;
};

// Everything env.py did that Alembic would act on. The methods of env.py's
// objects hold it weakly (it holds those objects: context.config, the
// listeners, target_metadata); it goes with its project.
struct State;
inline base::Status ProjectGone(python::CallContext& context) {
  return context.Unsupported("unsupported: an env.py object used after its project was closed");
}

// A method of env.py's objects: `body(context, args, state)` with `state`
// held weakly, refused (ProjectGone) once the project is gone.
template <typename Body>
python::NativeFunction WithState(const std::shared_ptr<State>& state, Body body) {
  return [weak = std::weak_ptr<State>(state), body](
             python::CallContext& context, python::Args& args) -> base::Result<python::Value> {
    std::shared_ptr<State> held = weak.lock();
    if (held == nullptr) return base::Fail(ProjectGone(context));
    return body(context, args, held);
  };
}

struct State {
  ProjectContext context;
  std::set<std::pair<std::string, std::string>> raw_options;  // set by the script
  // set_main_option('sqlalchemy.url', <placeholder>) ignored (Flask-Migrate's
  // current_app...): the placeholder's description, for the error when the
  // configuration has no URL of its own.
  std::string url_from_placeholder;
  python::Value config;                                       // context.config
  python::Value attributes;                                   // config.attributes
  std::vector<Listener> listeners;
  // Every engine and connection env.py made, by identity (Object::identity).
  std::map<const void*, std::shared_ptr<EngineState>> engines;
  std::map<const void*, std::shared_ptr<ConnectionState>> connections;

  int configure_calls = 0;
  EnvOutcome outcome;
  python::Value target_metadata;
  std::shared_ptr<ConnectionState> connection;  // configure(connection=...)
  int run_migrations_calls = 0;
  python::Args migration_arguments;
};

// The SQL text of `statement` (a str, or an object with a str `.text`, as
// SQLAlchemy's text() has), or an unsupported error.
base::Result<std::string> SqlText(python::CallContext& context, const python::Value& statement);

// Records `sql` as run on `connection`; refused after run_migrations().
base::Status RecordStatement(python::CallContext& context, const State& state,
                             ConnectionState& connection, const std::string& sql);

// Registers sqlalchemy.engine_from_config, create_engine, pool, event,
// engine.Engine / Connection (env_engine.cc).
void InstallEngine(python::Interpreter& interpreter, const std::shared_ptr<State>& state);

// The module `dotted`, registered in `interpreter` (and as an attribute of
// its parent) when it was not yet.
python::Value EnsureModule(python::Interpreter& interpreter, const std::string& dotted);

}  // namespace sqlmend::alembic::env
