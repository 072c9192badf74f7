// EnvContext: alembic.context and context.config (env_context.h). The
// engine, connections and listeners are in env_engine.cc.
#include "alembic/env_context.h"

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "alembic/env_objects.h"
#include "python/builtins.h"
#include "python/format.h"
#include "python/interpreter.h"
#include "python/placeholder.h"

namespace sqlmend::alembic {

using python::Args;
using python::CallContext;
using python::CheckArgs;
using python::Equals;
using python::Interpreter;
using python::KeywordArg;
using python::ModuleObject;
using python::NativeFunction;
using python::PercentFormat;
using python::Repr;
using python::StrRepr;
using python::Value;

using base::Result;
using base::Status;
using Kind = Value::Kind;
using env::NewObject;
using env::Object;
using env::ProjectGone;
using env::State;
using env::WithState;

namespace {

// configparser's limit on nested %(name)s references.
constexpr int kMaxInterpolationDepth = 10;

using Options = std::vector<std::pair<std::string, std::string>>;

Options* FindSection(ProjectContext& context, std::string_view section) {
  for (auto& [name, options] : context.sections) {
    if (name == section) return &options;
  }
  return nullptr;
}

const std::string* FindOption(Options* options, std::string_view name) {
  if (options == nullptr) return nullptr;
  for (const auto& [key, value] : *options) {
    if (key == name) return &value;
  }
  return nullptr;
}

// configparser's has_section(): DEFAULT is not a section.
bool HasSection(ProjectContext& context, std::string_view section) {
  return section != "DEFAULT" && FindSection(context, section) != nullptr;
}

// The raw value of `name` in `section`, falling back to DEFAULT.
const std::string* RawOption(ProjectContext& context, std::string_view section,
                             std::string_view name) {
  if (const std::string* own = FindOption(FindSection(context, section), name)) return own;
  return FindOption(FindSection(context, "DEFAULT"), name);
}

// configparser's BasicInterpolation of a value the script set; values read
// from the file arrive interpolated already.
Result<std::string> Interpolate(CallContext& c, State& state, const std::string& section,
                                const std::string& name, int depth) {
  const std::string* raw = RawOption(state.context, section, name);
  if (raw == nullptr) return std::string();
  bool set_by_script =
      state.raw_options.contains({section, name}) || state.raw_options.contains({"DEFAULT", name});
  if (!set_by_script) return *raw;
  if (depth > kMaxInterpolationDepth) {
    return base::Fail(
        c.Throw("Exception", "Recursion limit exceeded in value substitution: option '" + name +
                                 "' in section '" + section + "'"));
  }
  std::string out;
  for (size_t i = 0; i < raw->size(); ++i) {
    if ((*raw)[i] != '%') {
      out += (*raw)[i];
      continue;
    }
    if (i + 1 < raw->size() && (*raw)[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    size_t close = raw->find(")s", i);
    std::string key = raw->substr(i + 2, close - i - 2);
    if (!RawOption(state.context, section, key)) {
      return base::Fail(c.Throw(
          "Exception", "Bad value substitution: option '" + name + "' in section '" + section +
                           "' contains an interpolation key '" + key +
                           "' which is not a valid option name. Raw value: " + StrRepr(*raw)));
    }
    auto inner = Interpolate(c, state, section, key, depth + 1);
    if (!inner) return inner;
    out += *inner;
    i = close + 1;
  }
  return out;
}

// configparser refuses, at set time, a '%' that starts no valid reference.
Status CheckInterpolationSyntax(CallContext& c, const std::string& value) {
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') continue;
    if (i + 1 < value.size() && value[i + 1] == '%') {
      ++i;
      continue;
    }
    size_t close = value.find(")s", i);
    if (i + 1 >= value.size() || value[i + 1] != '(' || close == std::string::npos) {
      return c.Throw("ValueError", "invalid interpolation syntax in " + StrRepr(value) +
                                       " at position " + std::to_string(i));
    }
    i = close + 1;
  }
  return Status::Ok();
}

Status SetOption(CallContext& c, State& state, const Value& section_value, const Value& name_value,
                 const Value& value) {
  // Flask-Migrate's env.py sets sqlalchemy.url from the running application
  // (current_app), which sqlmend does not start: the configuration's own
  // value stays, and the warning says so.
  if (python::IsPlaceholder(value) && name_value.Is(Kind::kStr)) {
    python::WarnPlaceholderUse(
        value, static_cast<python::Interpreter&>(c).CurrentWhere(),
        "is not set as option '" + name_value.AsStr() + "': the configuration's value stays");
    if (name_value.AsStr() == "sqlalchemy.url") {
      state.url_from_placeholder = python::DescribePlaceholder(value);
    }
    return Status::Ok();
  }
  if (!section_value.Is(Kind::kStr) || !name_value.Is(Kind::kStr) || !value.Is(Kind::kStr)) {
    return c.Throw("TypeError", "option values must be strings");
  }
  const std::string& section = section_value.AsStr();
  SQLMEND_RETURN_IF_ERROR(CheckInterpolationSyntax(c, value.AsStr()));
  Options* options = FindSection(state.context, section);
  if (options == nullptr) {
    state.context.sections.push_back({section, {}});
    options = &state.context.sections.back().second;
  }
  bool replaced = false;
  for (auto& [key, existing] : *options) {
    if (key == name_value.AsStr()) {
      existing = value.AsStr();
      replaced = true;
    }
  }
  if (!replaced) options->push_back({name_value.AsStr(), value.AsStr()});
  state.raw_options.insert({section, name_value.AsStr()});
  return Status::Ok();
}

Result<Value> GetSectionOption(CallContext& c, State& state, const std::string& section,
                               const std::string& name, Value default_value) {
  if (!HasSection(state.context, section)) {
    std::string file =
        state.context.config_file_name.empty() ? "None" : StrRepr(state.context.config_file_name);
    return base::Fail(c.Throw("Exception", "No config file " + file + " found, or file has no '[" +
                                               section + "]' section"));
  }
  if (RawOption(state.context, section, name) == nullptr) return default_value;
  auto text = Interpolate(c, state, section, name, 0);
  if (!text) return base::Fail(text.error());
  return Value::Str(std::move(*text));
}

Value OptionalArg(const Args& a, size_t index, std::string_view keyword) {
  if (a.positional.size() > index) return a.positional[index];
  const Value* given = KeywordArg(a, keyword);
  return given != nullptr ? *given : Value::None();
}

Status RequireStr(CallContext& c, const Value& value, std::string_view what) {
  if (value.Is(Kind::kStr)) return Status::Ok();
  return c.Throw("TypeError", std::string(what) + " must be a str, not " + value.TypeName());
}

Value MakeConfig(const std::shared_ptr<State>& state) {
  auto config = NewObject("Config");
  ProjectContext& context = state->context;
  config->attributes["config_file_name"] =
      context.config_file_name.empty() ? Value::None() : Value::Str(context.config_file_name);
  config->attributes["config_ini_section"] = Value::Str(context.config_ini_section);
  config->attributes["attributes"] = state->attributes;
  config->attributes["config_args"] = Value::Dict();
  config->settable = {"config_file_name", "config_ini_section"};
  auto cmd_opts = NewObject("Namespace");
  std::vector<Value> x;
  for (const std::string& argument : context.x_arguments) x.push_back(Value::Str(argument));
  cmd_opts->attributes["x"] = x.empty() ? Value::None() : Value::List(std::move(x));
  cmd_opts->attributes["sql"] = Value::Bool(context.offline);
  cmd_opts->attributes["tag"] = Value::None();
  cmd_opts->attributes["raiseerr"] = Value::Bool(false);
  cmd_opts->attributes["autogenerate"] = Value::Bool(context.autogenerate);
  cmd_opts->attributes["name"] = Value::Str(context.config_ini_section);
  cmd_opts->attributes["config"] = Value::Str(context.config_file_name);
  config->attributes["cmd_opts"] = Value::Host(cmd_opts);

  std::weak_ptr<Object> weak = config;
  auto main_section = [weak](CallContext& c) -> Result<std::string> {
    auto section = c.GetAttr(Value::Host(weak.lock()), "config_ini_section");
    if (!section) return base::Fail(section.error());
    SQLMEND_RETURN_IF_ERROR(RequireStr(c, *section, "config_ini_section"));
    return section->AsStr();
  };
  config->Method(
      "get_main_option",
      WithState(state,
                [main_section](CallContext& c, Args& a,
                               const std::shared_ptr<State>& state) -> Result<Value> {
                  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "get_main_option", a, 1, 2, {"default"}));
                  SQLMEND_RETURN_IF_ERROR(RequireStr(c, a.positional[0], "option name"));
                  auto section = main_section(c);
                  if (!section) return base::Fail(section.error());
                  return GetSectionOption(c, *state, *section, a.positional[0].AsStr(),
                                          OptionalArg(a, 1, "default"));
                }));
  config->Method(
      "get_section_option",
      WithState(state,
                [](CallContext& c, Args& a, const std::shared_ptr<State>& state) -> Result<Value> {
                  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "get_section_option", a, 2, 3, {"default"}));
                  SQLMEND_RETURN_IF_ERROR(RequireStr(c, a.positional[0], "section"));
                  SQLMEND_RETURN_IF_ERROR(RequireStr(c, a.positional[1], "option name"));
                  return GetSectionOption(c, *state, a.positional[0].AsStr(),
                                          a.positional[1].AsStr(), OptionalArg(a, 2, "default"));
                }));
  config->Method(
      "get_section",
      WithState(
          state, [](CallContext& c, Args& a, const std::shared_ptr<State>& state) -> Result<Value> {
            SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "get_section", a, 1, 2, {"default"}));
            SQLMEND_RETURN_IF_ERROR(RequireStr(c, a.positional[0], "section"));
            const std::string& section = a.positional[0].AsStr();
            if (!HasSection(state->context, section)) return OptionalArg(a, 1, "default");
            // configparser's items(): DEFAULT's options first, then the section's.
            Value out = Value::Dict();
            for (const char* source : {"DEFAULT", ""}) {
              Options* options = FindSection(
                  state->context, *source ? std::string_view(source) : std::string_view(section));
              if (options == nullptr) continue;
              for (const auto& [key, raw] : *options) {
                auto text = Interpolate(c, *state, section, key, 0);
                if (!text) return base::Fail(text.error());
                out.AsDict().Set(Value::Str(key), Value::Str(std::move(*text)));
              }
            }
            return out;
          }));
  config->Method("set_main_option",
                 WithState(state,
                           [main_section](CallContext& c, Args& a,
                                          const std::shared_ptr<State>& state) -> Result<Value> {
                             SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "set_main_option", a, 2, 2));
                             auto section = main_section(c);
                             if (!section) return base::Fail(section.error());
                             SQLMEND_RETURN_IF_ERROR(SetOption(c, *state, Value::Str(*section),
                                                               a.positional[0], a.positional[1]));
                             return Value::None();
                           }));
  config->Method(
      "set_section_option",
      WithState(state,
                [](CallContext& c, Args& a, const std::shared_ptr<State>& state) -> Result<Value> {
                  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "set_section_option", a, 3, 3));
                  SQLMEND_RETURN_IF_ERROR(
                      SetOption(c, *state, a.positional[0], a.positional[1], a.positional[2]));
                  return Value::None();
                }));
  config->Method("remove_main_option",
                 WithState(state,
                           [main_section](CallContext& c, Args& a,
                                          const std::shared_ptr<State>& state) -> Result<Value> {
                             SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "remove_main_option", a, 1, 1));
                             auto section = main_section(c);
                             if (!section) return base::Fail(section.error());
                             if (Options* options = FindSection(state->context, *section)) {
                               std::erase_if(*options, [&](const auto& option) {
                                 return Equals(Value::Str(option.first), a.positional[0]);
                               });
                             }
                             return Value::None();
                           }));
  config->Method("print_stdout", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "print_stdout", a, 1, SIZE_MAX));
    auto text = c.Text(a.positional[0], false);
    if (!text) return base::Fail(text.error());
    if (a.positional.size() > 1) {
      // Alembic formats with `text % arg`.
      std::vector<Value> rest(a.positional.begin() + 1, a.positional.end());
      auto formatted = PercentFormat(c, *text, Value::Tuple(std::move(rest)));
      if (!formatted) return base::Fail(formatted.error());
      text = std::move(*formatted);
    }
    c.Log("print", *text);
    return Value::None();
  });
  return Value::Host(config);
}

// A builtin that requires a configure() call first, as Alembic's
// get_context() does.
Status RequireConfigured(CallContext& c, const State& state) {
  if (state.configure_calls > 0) return Status::Ok();
  return c.Throw("Exception", "No context has been configured yet.");
}

// The configure() keywords autogenerate reads (EnvOutcome::autogen_options).
const std::set<std::string, std::less<>> kAutogenKeywords = {
    "compare_type",       "compare_server_default",      "include_object",
    "include_name",       "include_schemas",             "process_revision_directives",
    "user_module_prefix", "render_item"};

Status Configure(CallContext& c, State& state, Args& a) {
  if (!a.positional.empty()) {
    return c.Throw("TypeError", "configure() takes 1 positional argument but " +
                                    std::to_string(a.positional.size() + 1) + " were given");
  }
  EnvOutcome outcome;  // each call starts from Alembic's defaults
  Value target_metadata;
  std::shared_ptr<env::ConnectionState> connection;
  for (const auto& [key, value] : a.keywords) {
    if (key == "connection" && !value.IsNone()) {
      auto* object = value.Is(Kind::kHost) ? dynamic_cast<Object*>(&value.AsHost()) : nullptr;
      auto found =
          object != nullptr ? state.connections.find(object->identity) : state.connections.end();
      if (found == state.connections.end()) {
        return c.Unsupported("unsupported: configure(connection=" + value.TypeName() +
                             ") (sqlmend models connections made by engine.connect())");
      }
      connection = found->second;
      if (!outcome.url) outcome.url = connection->url;
    } else if (key == "url" && !value.IsNone()) {
      auto text = c.Text(value, false);
      if (!text) return text.error();
      outcome.url = *text;
    } else if (key == "dialect_name" && !value.IsNone()) {
      if (!value.Is(Kind::kStr) || value.AsStr() != "sqlite") {
        return c.Unsupported("unsupported: configure(dialect_name=" + Repr(value) +
                             "): sqlmend migrates SQLite only");
      }
    } else if (key == "version_table") {
      SQLMEND_RETURN_IF_ERROR(RequireStr(c, value, "version_table"));
      outcome.version_table = value.AsStr();
    } else if (key == "version_table_schema") {
      if (!value.IsNone()) {
        SQLMEND_RETURN_IF_ERROR(RequireStr(c, value, "version_table_schema"));
        outcome.version_table_schema = value.AsStr();
      }
    } else if (key == "render_as_batch") {
      outcome.render_as_batch = value.Truthy();
    } else if (key == "literal_binds") {
      outcome.literal_binds = value.Truthy();
    } else if (key == "transaction_per_migration") {
      outcome.transaction_per_migration = value.Truthy();
    } else if (key == "transactional_ddl") {
      if (!value.IsNone()) outcome.transactional_ddl = value.Truthy();
    } else if (key == "target_metadata") {
      outcome.target_metadata_value = value;
      target_metadata = value;
      if (value.IsSequence()) {
        // Alembic accepts a sequence of MetaData for autogenerate; its
        // operations use the naming convention of none in particular.
        c.Log("warning",
              "target_metadata is a sequence; sqlmend uses its first MetaData's naming convention");
        target_metadata = value.Items().empty() ? Value::None() : value.Items().front();
      }
    } else if (kAutogenKeywords.count(key) != 0) {
      outcome.autogen_options[key] = value;
    }
    // Every other keyword (dialect_opts, output_buffer, ...) concerns --sql
    // output formatting and is accepted unread.
  }
  ++state.configure_calls;
  state.outcome = std::move(outcome);
  state.target_metadata = std::move(target_metadata);
  state.connection = std::move(connection);
  return Status::Ok();
}

NativeFunction Refused(std::string name) {
  return [name](CallContext& c, Args&) -> Result<Value> {
    return base::Fail(c.Unsupported("unsupported: context." + name + "() in env.py"));
  };
}

Value MakeContextModule(const std::shared_ptr<State>& state) {
  auto module = std::make_shared<ModuleObject>();
  module->name = "alembic.context";
  Value context = Value::Module(module);
  auto define = [&](const std::string& name, NativeFunction function) {
    module->attributes[name] = Value::Builtin(name, std::move(function));
  };
  module->attributes["config"] = state->config;
  define("configure", WithState(state,
                                [](CallContext& c, Args& a,
                                   const std::shared_ptr<State>& state) -> Result<Value> {
                                  SQLMEND_RETURN_IF_ERROR(Configure(c, *state, a));
                                  return Value::None();
                                }));
  define(
      "is_offline_mode",
      WithState(state,
                [](CallContext& c, Args& a, const std::shared_ptr<State>& state) -> Result<Value> {
                  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "is_offline_mode", a, 0, 0));
                  return Value::Bool(state->context.offline);
                }));
  define(
      "requires_connection",
      WithState(state,
                [](CallContext& c, Args& a, const std::shared_ptr<State>& state) -> Result<Value> {
                  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "requires_connection", a, 0, 0));
                  return Value::Bool(!state->context.offline);
                }));
  define("get_tag_argument", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "get_tag_argument", a, 0, 0));
    return Value::None();
  });
  define(
      "get_x_argument",
      WithState(
          state, [](CallContext& c, Args& a, const std::shared_ptr<State>& state) -> Result<Value> {
            SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "get_x_argument", a, 0, 1, {"as_dictionary"}));
            bool as_dictionary = OptionalArg(a, 0, "as_dictionary").Truthy();
            if (!as_dictionary) {
              std::vector<Value> items;
              for (const std::string& x : state->context.x_arguments)
                items.push_back(Value::Str(x));
              return Value::List(std::move(items));
            }
            Value out = Value::Dict();
            for (size_t i = 0; i < state->context.x_arguments.size(); ++i) {
              const std::string& x = state->context.x_arguments[i];
              size_t equals = x.find('=');
              if (equals == std::string::npos) {
                return base::Fail(c.Throw("ValueError", "dictionary update sequence element #" +
                                                            std::to_string(i) +
                                                            " has length 1; 2 is required"));
              }
              out.AsDict().Set(Value::Str(x.substr(0, equals)), Value::Str(x.substr(equals + 1)));
            }
            return out;
          }));
  auto transaction = NewObject("_ProxyTransaction");
  transaction->exit = [](CallContext&) { return Status::Ok(); };
  Value transaction_value = Value::Host(transaction);
  // Functions of no arguments that need configure() first.
  auto define_configured = [&](const std::string& name,
                               std::function<Result<Value>(CallContext&)> body) {
    define(name, WithState(state,
                           [name, body](CallContext& c, Args& a,
                                        const std::shared_ptr<State>& state) -> Result<Value> {
                             SQLMEND_RETURN_IF_ERROR(CheckArgs(c, name, a, 0, 0));
                             SQLMEND_RETURN_IF_ERROR(RequireConfigured(c, *state));
                             return body(c);
                           }));
  };
  define_configured("begin_transaction", [transaction_value](CallContext&) -> Result<Value> {
    return transaction_value;
  });
  define(
      "run_migrations",
      WithState(state,
                [](CallContext& c, Args& a, const std::shared_ptr<State>& state) -> Result<Value> {
                  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "run_migrations", a, 0, 0, {"*"}));
                  SQLMEND_RETURN_IF_ERROR(RequireConfigured(c, *state));
                  if (state->run_migrations_calls > 0) {
                    return base::Fail(
                        c.Unsupported("unsupported: context.run_migrations() called more than once "
                                      "(sqlmend migrates one database per run)"));
                  }
                  ++state->run_migrations_calls;
                  state->migration_arguments = a;
                  return Value::None();
                }));
  // For sqlmend's own Python (the Flask model): whether env.py has called
  // run_migrations(). sqlmend runs the revisions after env.py returns, so
  // what env.py sets up around that call (an application context) must
  // stay set up for them.
  define("_sqlmend_migrations_called",
         WithState(state,
                   [](CallContext&, Args&, const std::shared_ptr<State>& state) -> Result<Value> {
                     return Value::Bool(state->run_migrations_calls > 0);
                   }));
  auto migration_context = NewObject("MigrationContext", /*refuse_unknown=*/true);
  auto dialect = NewObject("SQLiteDialect_pysqlite", /*refuse_unknown=*/true);
  dialect->attributes["name"] = Value::Str("sqlite");
  migration_context->attributes["dialect"] = Value::Host(dialect);
  Value migration_context_value = Value::Host(migration_context);
  define_configured("is_transactional_ddl",
                    [weak_state = std::weak_ptr<State>(state)](CallContext& c) -> Result<Value> {
                      auto state = weak_state.lock();
                      if (state == nullptr) return base::Fail(ProjectGone(c));
                      return Value::Bool(state->outcome.transactional_ddl.value_or(false));
                    });
  define_configured("get_context", [migration_context_value](CallContext&) -> Result<Value> {
    return migration_context_value;
  });
  define_configured("get_bind", [](CallContext& c) -> Result<Value> {
    return base::Fail(c.Unsupported("unsupported: context.get_bind() in env.py"));
  });
  for (const char* name : {"execute", "static_output", "get_head_revision", "get_head_revisions",
                           "get_starting_revision_argument", "get_revision_argument", "get_impl"}) {
    define(name, Refused(name));
  }
  auto script = NewObject("ScriptDirectory", /*refuse_unknown=*/true);
  const std::string* location =
      RawOption(state->context, state->context.config_ini_section, "script_location");
  script->attributes["dir"] = location != nullptr ? Value::Str(*location) : Value::None();
  module->attributes["script"] = Value::Host(script);
  return context;
}

Value MakeLoggingConfigModule() {
  auto module = std::make_shared<ModuleObject>();
  module->name = "logging.config";
  for (const char* name : {"fileConfig", "dictConfig"}) {
    module->attributes[name] =
        Value::Builtin(name, [](CallContext&, Args&) -> Result<Value> { return Value::None(); });
  }
  return Value::Module(module);
}

}  // namespace

struct EnvContext::State : env::State {};

EnvContext::EnvContext(const ProjectContext& context) : state_(std::make_shared<State>()) {
  state_->context = context;
  state_->attributes = Value::Dict();
  state_->config = MakeConfig(state_);
}

EnvContext::~EnvContext() = default;

void EnvContext::Install(Interpreter& interpreter) {
  Value alembic = env::EnsureModule(interpreter, "alembic");
  Value context = MakeContextModule(state_);
  interpreter.AddModule("alembic.context", context);
  if (alembic.Is(Kind::kModule)) alembic.AsModule().attributes["context"] = context;
  Value logging_config = MakeLoggingConfigModule();
  interpreter.AddModule("logging.config", logging_config);
  if (const Value* logging = interpreter.RegisteredModule("logging");
      logging && logging->Is(Kind::kModule)) {
    logging->AsModule().attributes["config"] = logging_config;
  }
  env::InstallEngine(interpreter, state_);
}

void EnvContext::Reset() {
  state_->configure_calls = 0;
  state_->outcome = EnvOutcome();
  state_->target_metadata = Value();
  state_->connection.reset();
  state_->run_migrations_calls = 0;
  state_->migration_arguments = Args();
}

EnvOutcome EnvContext::outcome() const {
  EnvOutcome out = state_->outcome;
  if (state_->connection) out.connect_statements = state_->connection->statements;
  out.ran_migrations = state_->run_migrations_calls > 0;
  return out;
}

const Value& EnvContext::target_metadata() const { return state_->target_metadata; }

const Args& EnvContext::migration_arguments() const { return state_->migration_arguments; }

int EnvContext::configure_calls() const { return state_->configure_calls; }

}  // namespace sqlmend::alembic
