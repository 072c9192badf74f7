"""Version bridge for the Alembic side of tools/realworld only, for pgAdmin 4,
whose requirements pin Flask-Security-Too 4.1 where Debian has 5.1.

pgAdmin's initial revision (fdc58d9bd449) calls
`Security(current_app, datastore, register_blueprint=False)`. Flask-Security
4.1 accepts Flask's `current_app` proxy; 5.1 with Flask 2.2 takes a weak
reference to the app, which a proxy refuses. Hand it the app behind the
proxy, as 4.1 in effect used. Python imports sitecustomize at startup when it
is on the path."""
try:
    import flask_security.core as _core
except ImportError:  # nothing to bridge
    _core = None

if _core is not None:
    _init_app = _core.Security.init_app

    def init_app(self, app, *args, **kwargs):
        if hasattr(app, "_get_current_object"):
            app = app._get_current_object()
        return _init_app(self, app, *args, **kwargs)

    _core.Security.init_app = init_app
