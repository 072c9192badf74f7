# env.py for PowerDNS-Admin's migrations without the running Flask app.
#
# The project's env.py takes the URL and target_metadata from Flask's
# current_app, and configure() options from Flask-Migrate's Migrate(app, db)
# (powerdnsadmin/models/__init__.py). This one hands Alembic the same:
# Flask-SQLAlchemy's metadata has no naming convention (models/base.py:
# `db = SQLAlchemy()`), and Flask-Migrate 4.x configures compare_type=True and
# render_as_batch=True (both used by autogenerate only).
from logging.config import fileConfig

from alembic import context
from sqlalchemy import MetaData, engine_from_config, pool

config = context.config
fileConfig(config.config_file_name)

target_metadata = MetaData()
configure_args = {"compare_type": True, "render_as_batch": True}


def run_migrations_offline():
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    connection = engine.connect()
    context.configure(connection=connection, target_metadata=target_metadata, **configure_args)
    try:
        with context.begin_transaction():
            context.run_migrations()
    finally:
        connection.close()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
