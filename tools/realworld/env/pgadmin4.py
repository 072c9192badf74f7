# env.py for pgAdmin 4's migrations (web/migrations) without the running app.
#
# pgAdmin upgrades its database from pgadmin/setup/db_upgrade.py: inside the
# app's context it calls flask_migrate.Migrate(app, db) and
# flask_migrate.upgrade(<web/migrations>). Its env.py then reads the URL,
# target_metadata and configure() options from Flask's current_app, and two
# revisions (fdc58d9bd449, f195f9a4923d) use current_app themselves. This one
# makes the same app context: the schema version pgAdmin4.py sets, a Flask app configured from pgAdmin's config
# module (as create_app does), the database URL from alembic.ini, pgAdmin's
# db and Flask-Migrate's defaults (compare_type and render_as_batch, used by
# autogenerate only), and runs the migrations inside it.
from logging.config import fileConfig

from alembic import context
from flask import Flask
from flask_migrate import Migrate
from sqlalchemy import engine_from_config, pool

import config as pgadmin_config
from pgadmin.model import SCHEMA_VERSION, db

# As pgAdmin4.py and setup.py do at startup (revision 09d53fca90c7 reads it).
pgadmin_config.SETTINGS_SCHEMA_VERSION = SCHEMA_VERSION

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

app = Flask("pgadmin")
app.config.from_object(pgadmin_config)
app.config["SQLALCHEMY_DATABASE_URI"] = config.get_main_option("sqlalchemy.url")
# A running pgAdmin always has a secret key (create_app loads it from the keys
# table); Flask-Security, which f195f9a4923d installs, needs one.
if not app.config.get("SECRET_KEY"):
    app.config["SECRET_KEY"] = "realworld-secret-key"
db.init_app(app)
Migrate(app, db)
target_metadata = db.metadata


def run_migrations_offline():
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    connection = engine.connect()
    context.configure(connection=connection, target_metadata=target_metadata,
                      **app.extensions["migrate"].configure_args)
    try:
        with context.begin_transaction():
            context.run_migrations()
    finally:
        connection.close()


with app.app_context():
    if context.is_offline_mode():
        run_migrations_offline()
    else:
        run_migrations_online()
