// The modelled Alembic environment an env.py runs against: what
// `from alembic import context` gives, the engine and connection env.py
// opens, and the SQLAlchemy event listeners it registers. Nothing here
// touches a database; every call env.py makes is recorded, and
// EnvContext::outcome() reads as what env.py handed to Alembic.
//
// Names (as in Alembic 1.8.1 and SQLAlchemy 1.4):
//   alembic.context      config, configure(**kw), is_offline_mode(),
//                        begin_transaction() (a context manager doing
//                        nothing), run_migrations(**kw), get_x_argument(
//                        as_dictionary=False), get_context(), get_bind(),
//                        get_tag_argument() (None), requires_connection(),
//                        is_transactional_ddl(), script (dir only). Other
//                        EnvironmentContext methods (execute, static_output,
//                        get_head_revision, ...) are refused, located.
//   context.config       config_file_name, config_ini_section, cmd_opts (x,
//                        sql, tag, name, raiseerr, config), attributes (a
//                        dict kept across calls), get_main_option(name,
//                        default=None), get_section(name, default=None) (a
//                        new dict), get_section_option(section, name,
//                        default=None), set_main_option, set_section_option,
//                        remove_main_option, print_stdout(text, *arg) (to the
//                        log, level "print"). Values set by env.py go through
//                        configparser's interpolation when read back ("%%" is
//                        "%", "%(here)s" another option of the section or of
//                        DEFAULT); values of the file are read as given,
//                        already interpolated by the caller.
//   sqlalchemy           engine_from_config(configuration, prefix=
//                        "sqlalchemy.", **kw), create_engine(url, **kw):
//                        an Engine (url, dialect.name "sqlite", connect(),
//                        begin(), dispose()); pool.NullPool, StaticPool,
//                        QueuePool, SingletonThreadPool, AssertionPool
//                        (accepted as poolclass=); engine.Engine and
//                        engine.Connection (the classes, as listener targets);
//                        event.listens_for(target, identifier, **kw) and
//                        event.listen(target, identifier, fn, **kw).
//   logging.config       fileConfig() and dictConfig() do nothing: logging
//                        output always goes to the log sink.
//
// Connections: engine.connect() and engine.begin() make a Connection (a
// context manager closing it) and, as SQLAlchemy does for each new DBAPI
// connection, call the "first_connect" listeners (first connection of that
// engine only) and then the "connect" listeners whose target is that engine,
// the Engine class or a Pool class, in registration order (insert=True puts
// a listener first; named=True passes keywords), with a modelled DBAPI
// connection and a connection record (whose `info` is a dict). The DBAPI
// connection offers cursor() (a cursor with execute(sql) and close()),
// execute(sql), commit(), rollback(), close() and a settable
// isolation_level; connection.execute(text(...) or str) and
// exec_driver_sql(str) run on the Connection. Every SQL string executed on a
// connection before context.run_migrations() is recorded in order; the
// statements of the connection passed to configure(connection=...) become
// EnvOutcome::connect_statements, which the runner executes on its own
// connection before migrating. What the model cannot honour is refused,
// located: parameters to execute(), fetching results, SQL executed after
// run_migrations(), listeners for other Engine events ("begin",
// "engine_connect", ...: they would run SQL sqlmend cannot place), and a
// second run_migrations() (multiple databases). Listeners on other targets
// (MetaData, tables, ORM classes) never fire during a migration run and are
// accepted and ignored.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "alembic/project.h"
#include "base/status.h"
#include "python/interpreter.h"

namespace sqlmend::alembic {

class EnvContext {
 public:
  explicit EnvContext(const ProjectContext& context);
  ~EnvContext();
  EnvContext(const EnvContext&) = delete;
  EnvContext& operator=(const EnvContext&) = delete;

  // Registers the names above in `interpreter`: adds them to the `alembic`,
  // `sqlalchemy` and `logging` modules when these are registered (call after
  // InstallSqlalchemy() and InstallAlembicOp()), and registers modules that
  // are not. The EnvContext must outlive the interpreter's use of them.
  void Install(python::Interpreter& interpreter);

  // Forgets what a previous env.py run recorded (configure() calls,
  // run_migrations()); listeners and config changes stay, as in one process.
  void Reset();

  // What env.py handed to Alembic so far: the settings of the last
  // configure() call (Alembic's defaults when there was none), the connect
  // statements of its connection, and whether run_migrations() ran.
  // target_metadata is left at its default: see target_metadata().
  EnvOutcome outcome() const;

  // The target_metadata value the last configure() call gave (None when it
  // gave none). A list or tuple is narrowed to its first item, with a
  // warning in the log, since sqlmend models one MetaData per run.
  const python::Value& target_metadata() const;

  // The keyword arguments of run_migrations(**kw), which Alembic passes to
  // every upgrade() and downgrade().
  const python::Args& migration_arguments() const;

  // How many times env.py called context.configure().
  int configure_calls() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace sqlmend::alembic
