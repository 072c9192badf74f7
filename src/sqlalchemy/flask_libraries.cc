// The Flask libraries modelled in part (flask_libraries.h), in Python.
#include "sqlalchemy/flask_libraries.h"

namespace sqlmend::sqlalchemy {
namespace {

constexpr char kFlaskSource[] = R"PY(import datetime
import importlib

from _sqlmend_partial import unmodelled, is_placeholder

_flask = unmodelled('flask')
# current_app outside an application context (Flask raises there).
_unbound = unmodelled('flask', 'is modelled by sqlmend only in part, and no application '
                               'context is pushed (sqlmend does not start the Flask application)')
_app_stack = []


def _import_string(name):
    if ':' in name:
        module, attribute = name.split(':', 1)
    elif '.' in name:
        module, attribute = name.rsplit('.', 1)
    else:
        return importlib.import_module(name)
    return getattr(importlib.import_module(module), attribute)


class Config(dict):
    def __init__(self, root_path=None, defaults=None):
        dict.__init__(self, defaults or {})
        self.root_path = root_path

    def from_object(self, obj):
        if isinstance(obj, str):
            obj = _import_string(obj)
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)

    def from_mapping(self, mapping=None, **kwargs):
        mappings = {}
        if mapping is not None:
            mappings.update(mapping)
        mappings.update(kwargs)
        for key, value in mappings.items():
            if key.isupper():
                self[key] = value
        return True

    def get_namespace(self, namespace, lowercase=True, trim_namespace=True):
        found = {}
        for key, value in self.items():
            if not key.startswith(namespace):
                continue
            if trim_namespace:
                key = key[len(namespace):]
            if lowercase:
                key = key.lower()
            found[key] = value
        return found

    def __getattr__(self, name):
        # from_pyfile, from_envvar, from_file, from_prefixed_env: not read.
        return getattr(_flask.Config(), name)


def _migrations_called():
    try:
        from alembic import context
        return context._sqlmend_migrations_called()
    except (ImportError, AttributeError):
        return False


class _AppContext:
    def __init__(self, app):
        self.app = app

    def push(self):
        _app_stack.append(self.app)

    def pop(self, exc=None):
        # sqlmend runs the revisions once env.py has returned: a context
        # env.py pushed around context.run_migrations() stays pushed for them.
        if _app_stack and _app_stack[-1] is self.app and not _migrations_called():
            _app_stack.pop()

    def __enter__(self):
        self.push()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.pop(exc_value)
        return False


class Flask(_flask.Flask):
    default_config = {
        'ENV': None, 'DEBUG': None, 'TESTING': False, 'PROPAGATE_EXCEPTIONS': None,
        'SECRET_KEY': None, 'PERMANENT_SESSION_LIFETIME': datetime.timedelta(days=31),
        'USE_X_SENDFILE': False, 'SERVER_NAME': None, 'APPLICATION_ROOT': '/',
        'SESSION_COOKIE_NAME': 'session', 'SESSION_COOKIE_DOMAIN': None,
        'SESSION_COOKIE_PATH': None, 'SESSION_COOKIE_HTTPONLY': True,
        'SESSION_COOKIE_SECURE': False, 'SESSION_COOKIE_SAMESITE': None,
        'SESSION_REFRESH_EACH_REQUEST': True, 'MAX_CONTENT_LENGTH': None,
        'SEND_FILE_MAX_AGE_DEFAULT': None, 'TRAP_BAD_REQUEST_ERRORS': None,
        'TRAP_HTTP_EXCEPTIONS': False, 'EXPLAIN_TEMPLATE_LOADING': False,
        'PREFERRED_URL_SCHEME': 'http', 'JSON_AS_ASCII': None, 'JSON_SORT_KEYS': None,
        'JSONIFY_PRETTYPRINT_REGULAR': None, 'JSONIFY_MIMETYPE': None,
        'TEMPLATES_AUTO_RELOAD': None, 'MAX_COOKIE_SIZE': 4093,
    }

    def __init__(self, import_name, static_url_path=None, static_folder='static',
                 static_host=None, host_matching=False, subdomain_matching=False,
                 template_folder='templates', instance_path=None,
                 instance_relative_config=False, root_path=None):
        self.import_name = import_name
        self.name = import_name
        self.root_path = root_path
        self.config = Config(root_path, self.default_config)
        self.extensions = {}

    def app_context(self):
        return _AppContext(self)


class _CurrentApp:
    def _get_current_object(self):
        if _app_stack:
            return _app_stack[-1]
        return _unbound.current_app

    def __getattr__(self, name):
        return getattr(self._get_current_object(), name)

    def __bool__(self):
        # As Flask's proxy: false outside an application context.
        return bool(_app_stack)

    def __repr__(self):
        return '<LocalProxy flask.current_app>'


current_app = _CurrentApp()


def has_app_context():
    return bool(_app_stack)


def _application(app):
    """The application behind `app`: current_app's when it is the proxy;
    None when it is a placeholder or None."""
    if isinstance(app, _CurrentApp):
        app = app._get_current_object()
    if app is None or is_placeholder(app):
        return None
    return app
)PY";

constexpr char kFlaskMigrateSource[] = R"PY(from _sqlmend_partial import unmodelled
from flask import _application

_flask_migrate = unmodelled('flask_migrate')


class _MigrateConfig:
    def __init__(self, migrate, db, **kwargs):
        self.migrate = migrate
        self.db = db
        self.directory = migrate.directory
        self.configure_args = kwargs

    @property
    def metadata(self):
        return self.db.metadata


class Migrate(_flask_migrate.Migrate):
    def __init__(self, app=None, db=None, directory='migrations', command='db',
                 compare_type=True, render_as_batch=True, **kwargs):
        self.configure_callbacks = []
        self.db = db
        self.command = command
        self.directory = str(directory)
        self.alembic_ctx_kwargs = kwargs
        self.alembic_ctx_kwargs['compare_type'] = compare_type
        self.alembic_ctx_kwargs['render_as_batch'] = render_as_batch
        if app is not None and db is not None:
            self.init_app(app, db, directory)

    def init_app(self, app, db=None, directory=None, command=None, compare_type=None,
                 render_as_batch=None, **kwargs):
        self.db = db or self.db
        self.command = command or self.command
        self.directory = str(directory or self.directory)
        self.alembic_ctx_kwargs.update(kwargs)
        if compare_type is not None:
            self.alembic_ctx_kwargs['compare_type'] = compare_type
        if render_as_batch is not None:
            self.alembic_ctx_kwargs['render_as_batch'] = render_as_batch
        app = _application(app)
        if app is not None:
            app.extensions['migrate'] = _MigrateConfig(self, self.db, **self.alembic_ctx_kwargs)

    def configure(self, f):
        self.configure_callbacks.append(f)
        return f
)PY";

constexpr char kPasslibHashSource[] = R"PY(import base64
import hashlib
import hmac
import secrets

from _sqlmend_partial import unmodelled

_passlib_hash = unmodelled('passlib.hash')


def _to_bytes(secret):
    if isinstance(secret, str):
        return secret.encode('utf-8')
    if isinstance(secret, bytes):
        return secret
    raise TypeError('secret must be unicode or bytes, not %s' % type(secret).__name__)


def ab64_encode(data):
    return base64.b64encode(data).decode('ascii').replace('+', '.').rstrip('=')


def ab64_decode(text):
    text = text.replace('.', '+')
    return base64.b64decode(text + '=' * (-len(text) % 4))


class _Pbkdf2:
    default_salt_size = 16
    min_rounds = 1
    max_rounds = 4294967295

    def __init__(self, name, ident, digest, checksum_size, default_rounds, rounds=None,
                 salt_size=None):
        self.name = name
        self.ident = ident
        self._digest = digest
        self.checksum_size = checksum_size
        self.default_rounds = default_rounds if rounds is None else rounds
        self.salt_size = self.default_salt_size if salt_size is None else salt_size

    def using(self, rounds=None, default_rounds=None, salt_size=None, **kwargs):
        chosen = rounds if rounds is not None else default_rounds
        return _Pbkdf2(self.name, self.ident, self._digest, self.checksum_size,
                       self.default_rounds if chosen is None else chosen,
                       salt_size=self.salt_size if salt_size is None else salt_size)

    def _checksum(self, secret, salt, rounds):
        return hashlib.pbkdf2_hmac(self._digest, _to_bytes(secret), salt, rounds,
                                   self.checksum_size)

    def hash(self, secret, **kwargs):
        salt = secrets.token_bytes(self.salt_size)
        rounds = self.default_rounds
        return '%s%d$%s$%s' % (self.ident, rounds, ab64_encode(salt),
                               ab64_encode(self._checksum(secret, salt, rounds)))

    def encrypt(self, secret, **kwargs):
        return self.hash(secret, **kwargs)

    def identify(self, hash):
        if isinstance(hash, bytes):
            hash = hash.decode('ascii', 'replace')
        return isinstance(hash, str) and hash.startswith(self.ident)

    def _parse(self, hash):
        if isinstance(hash, bytes):
            hash = hash.decode('ascii')
        if not self.identify(hash):
            raise ValueError('not a valid %s hash' % self.name)
        parts = hash[len(self.ident):].split('$')
        if len(parts) != 3:
            raise ValueError('malformed %s hash' % self.name)
        return int(parts[0]), ab64_decode(parts[1]), ab64_decode(parts[2])

    def verify(self, secret, hash):
        rounds, salt, checksum = self._parse(hash)
        return hmac.compare_digest(self._checksum(secret, salt, rounds), checksum)

    def needs_update(self, hash, secret=None):
        return False


class _Plaintext:
    name = 'plaintext'

    def using(self, **kwargs):
        return self

    def hash(self, secret, **kwargs):
        if isinstance(secret, bytes):
            return secret.decode('utf-8')
        if not isinstance(secret, str):
            raise TypeError('secret must be unicode or bytes, not %s' % type(secret).__name__)
        return secret

    def encrypt(self, secret, **kwargs):
        return self.hash(secret, **kwargs)

    def identify(self, hash):
        return isinstance(hash, (str, bytes))

    def verify(self, secret, hash):
        if isinstance(hash, bytes):
            hash = hash.decode('utf-8')
        return hmac.compare_digest(_to_bytes(self.hash(secret)), _to_bytes(hash))

    def needs_update(self, hash, secret=None):
        return False


class _Unmodelled:
    def __init__(self, name, prefixes=(), length=None):
        self.name = name
        self._prefixes = prefixes
        self._length = length

    def using(self, **kwargs):
        return self

    def identify(self, hash):
        if isinstance(hash, bytes):
            hash = hash.decode('ascii', 'replace')
        if not isinstance(hash, str):
            return False
        if self._length is not None:
            alphabet = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
            return len(hash) == self._length and all(ch in alphabet for ch in hash)
        return any(hash.startswith(prefix) for prefix in self._prefixes)

    def _refuse(self, *args, **kwargs):
        raise NotImplementedError("sqlmend does not model passlib's %s hashes" % self.name)

    hash = _refuse
    encrypt = _refuse
    verify = _refuse

    def needs_update(self, hash, secret=None):
        return False


pbkdf2_sha1 = _Pbkdf2('pbkdf2_sha1', '$pbkdf2$', 'sha1', 20, 131000)
pbkdf2_sha256 = _Pbkdf2('pbkdf2_sha256', '$pbkdf2-sha256$', 'sha256', 32, 29000)
pbkdf2_sha512 = _Pbkdf2('pbkdf2_sha512', '$pbkdf2-sha512$', 'sha512', 64, 25000)
plaintext = _Plaintext()
bcrypt = _Unmodelled('bcrypt', ('$2$', '$2a$', '$2b$', '$2x$', '$2y$'))
bcrypt_sha256 = _Unmodelled('bcrypt_sha256', ('$bcrypt-sha256$',))
argon2 = _Unmodelled('argon2', ('$argon2',))
scrypt = _Unmodelled('scrypt', ('$scrypt$',))
sha256_crypt = _Unmodelled('sha256_crypt', ('$5$',))
sha512_crypt = _Unmodelled('sha512_crypt', ('$6$',))
md5_crypt = _Unmodelled('md5_crypt', ('$1$',))
des_crypt = _Unmodelled('des_crypt', length=13)

_HANDLERS = {handler.name: handler for handler in (
    pbkdf2_sha1, pbkdf2_sha256, pbkdf2_sha512, plaintext, bcrypt, bcrypt_sha256, argon2,
    scrypt, sha256_crypt, sha512_crypt, md5_crypt, des_crypt)}


def _handler(name):
    if not isinstance(name, str):
        return name
    if name not in _HANDLERS:
        raise KeyError('unknown password hash: %r (sqlmend models %s)'
                       % (name, ', '.join(sorted(_HANDLERS))))
    return _HANDLERS[name]
)PY";

constexpr char kPasslibContextSource[] = R"PY(from _sqlmend_partial import unmodelled
from passlib.hash import _handler

_passlib_context = unmodelled('passlib.context')


class CryptContext:
    def __init__(self, schemes=None, default=None, deprecated=None, **kwargs):
        handlers = [_handler(scheme) for scheme in (schemes or [])]
        for key, value in kwargs.items():
            if '__' not in key:
                continue
            scheme, option = key.split('__', 1)
            if option not in ('rounds', 'default_rounds'):
                continue
            for i, handler in enumerate(handlers):
                if handler.name == scheme:
                    handlers[i] = handler.using(rounds=value)
        self._handlers = handlers
        self._default = handlers[0].name if default is None and handlers else default
        deprecated = list(deprecated or [])
        if 'auto' in deprecated:
            deprecated = [h.name for h in handlers if h.name != self._default]
        self._deprecated = deprecated

    def schemes(self, resolve=False, category=None, unconfigured=False):
        if resolve:
            return tuple(self._handlers)
        return tuple(h.name for h in self._handlers)

    def default_scheme(self, category=None, resolve=False, unconfigured=False):
        return self.handler(None) if resolve else self._default

    def handler(self, scheme=None, category=None, unconfigured=False):
        name = self._default if scheme is None else scheme
        for handler in self._handlers:
            if handler.name == name:
                return handler
        raise KeyError('crypt algorithm not found in this CryptContext instance: %r' % (name,))

    def identify(self, hash, category=None, resolve=False, required=False, unconfigured=False):
        if hash is not None:
            for handler in self._handlers:
                if handler.identify(hash):
                    return handler if resolve else handler.name
        if required:
            raise ValueError('hash could not be identified')
        return None

    def hash(self, secret, scheme=None, category=None, **kwargs):
        return self.handler(scheme).hash(secret)

    def encrypt(self, secret, scheme=None, category=None, **kwargs):
        return self.hash(secret, scheme)

    def verify(self, secret, hash, scheme=None, category=None, **kwargs):
        if hash is None:
            return False
        if scheme is not None:
            return self.handler(scheme).verify(secret, hash)
        return self.identify(hash, resolve=True, required=True).verify(secret, hash)

    def needs_update(self, hash, scheme=None, category=None, secret=None):
        handler = self.identify(hash, resolve=True, required=True)
        return handler.name in self._deprecated or handler.needs_update(hash)

    def verify_and_update(self, secret, hash, scheme=None, category=None):
        if hash is None:
            return False, None
        if not self.verify(secret, hash):
            return False, None
        if self.needs_update(hash):
            return True, self.hash(secret)
        return True, None
)PY";

constexpr char kPasslibSource[] = R"PY(from _sqlmend_partial import unmodelled

_passlib = unmodelled('passlib')
)PY";

constexpr char kFlaskSecuritySource[] = R"PY(import base64
import hashlib
import hmac

from _sqlmend_partial import unmodelled
from flask import current_app, _application
from passlib.context import CryptContext

_flask_security = unmodelled('flask_security')

# Flask-Security-Too's password settings (5.1's defaults; 4.x's are the same
# but for PASSWORD_SINGLE_HASH, which was False: with a salt, both hash twice).
_DEFAULT_CONFIG = {
    'PASSWORD_HASH': 'bcrypt',
    'PASSWORD_SALT': None,
    'PASSWORD_SINGLE_HASH': {
        'django_argon2', 'django_bcrypt_sha256', 'django_pbkdf2_sha256', 'django_pbkdf2_sha1',
        'django_bcrypt', 'django_salted_md5', 'django_salted_sha1', 'django_des_crypt',
        'plaintext',
    },
    'PASSWORD_SCHEMES': ['bcrypt', 'argon2', 'des_crypt', 'pbkdf2_sha256', 'pbkdf2_sha512',
                         'sha256_crypt', 'sha512_crypt', 'plaintext'],
    'PASSWORD_HASH_OPTIONS': {},
    'PASSWORD_HASH_PASSLIB_OPTIONS': {'argon2__rounds': 10},
    'DEPRECATED_PASSWORD_SCHEMES': ['auto'],
}


def config_value(key, app=None, default=None, strict=True):
    app = _application(app or current_app)
    if app is None:
        raise RuntimeError('Working outside of application context.')
    key = 'SECURITY_' + key.upper()
    if strict and key not in app.config:
        raise ValueError("Key %s doesn't exist" % key)
    return app.config.get(key, default)


def _security():
    app = _application(current_app)
    if app is None or 'security' not in app.extensions:
        raise RuntimeError('Flask-Security is not set up: no Security(app, ...) in this '
                           'application context')
    return app.extensions['security']


def encode_string(string):
    if isinstance(string, str):
        return string.encode('utf-8')
    return string


def get_hmac(password):
    salt = config_value('PASSWORD_SALT')
    if salt is None:
        raise RuntimeError(
            'The configuration value `SECURITY_PASSWORD_SALT` must not be None when the '
            'value of `SECURITY_PASSWORD_HASH` is set to "%s"' % config_value('PASSWORD_HASH'))
    h = hmac.new(encode_string(salt), encode_string(password), hashlib.sha512)
    return base64.b64encode(h.digest())


def use_double_hash(password_hash=None):
    security = _security()
    single_hash = config_value('PASSWORD_SINGLE_HASH') or {'plaintext'}
    if password_hash is None:
        scheme = security.password_hash
    else:
        scheme = security.pwd_context.identify(password_hash)
    return not (single_hash is True or scheme in single_hash)


def hash_password(password):
    if use_double_hash():
        password = get_hmac(password).decode('ascii')
    return _security().pwd_context.hash(password)


def verify_password(password, password_hash):
    if use_double_hash(password_hash):
        password = get_hmac(password)
    return _security().pwd_context.verify(password, password_hash)


def verify_and_update_password(password, user):
    context = _security().pwd_context
    if use_double_hash(user.password):
        verified = context.verify(get_hmac(password), user.password)
    else:
        verified = context.verify(password, user.password)
    if verified and context.needs_update(user.password):
        user.password = hash_password(password)
        _security().datastore.put(user)
    return verified


class SQLAlchemyUserDatastore(_flask_security.SQLAlchemyUserDatastore):
    def __init__(self, db, user_model, role_model, webauthn_model=None):
        self.db = db
        self.user_model = user_model
        self.role_model = role_model
        self.webauthn_model = webauthn_model

    def put(self, model):
        self.db.session.add(model)
        return model

    def delete(self, model):
        self.db.session.delete(model)

    def commit(self):
        self.db.session.commit()


SQLAlchemySessionUserDatastore = SQLAlchemyUserDatastore


class Security(_flask_security.Security):
    def __init__(self, app=None, datastore=None, register_blueprint=True, **kwargs):
        self.app = app
        self._datastore = datastore
        self.datastore = datastore
        self._register_blueprint = register_blueprint
        self._kwargs = kwargs
        if app is not None and datastore is not None:
            self.init_app(app, datastore, register_blueprint=register_blueprint)

    def init_app(self, app, datastore=None, register_blueprint=None, **kwargs):
        if datastore is not None:
            self._datastore = datastore
            self.datastore = datastore
        app = _application(app)
        if app is None:
            return None
        for key, value in _DEFAULT_CONFIG.items():
            app.config.setdefault('SECURITY_' + key, value)
        self.password_hash = config_value('PASSWORD_HASH', app=app)
        schemes = config_value('PASSWORD_SCHEMES', app=app)
        if self.password_hash not in schemes:
            allowed = ', '.join(schemes[:-1]) + ' and ' + schemes[-1]
            raise ValueError('Invalid password hashing scheme %s. Allowed values are %s'
                             % (self.password_hash, allowed))
        self.pwd_context = CryptContext(
            schemes=schemes, default=self.password_hash,
            deprecated=config_value('DEPRECATED_PASSWORD_SCHEMES', app=app),
            **config_value('PASSWORD_HASH_PASSLIB_OPTIONS', app=app))
        app.extensions['security'] = self
        return self
)PY";

// The submodules where Flask-Security-Too defines these names.
constexpr char kFlaskSecurityCoreSource[] = R"PY(from flask_security import Security
)PY";

constexpr char kFlaskSecurityDatastoreSource[] =
    R"PY(from flask_security import SQLAlchemyUserDatastore, SQLAlchemySessionUserDatastore
)PY";

constexpr char kFlaskSecurityUtilsSource[] = R"PY(from flask_security import (
    config_value, encode_string, get_hmac, hash_password, use_double_hash,
    verify_and_update_password, verify_password)
)PY";

constexpr char kWerkzeugSecuritySource[] = R"PY(import hashlib
import hmac
import secrets

SALT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
DEFAULT_PBKDF2_ITERATIONS = 600000


def gen_salt(length):
    if length <= 0:
        raise ValueError('Salt length must be at least 1.')
    return ''.join(secrets.choice(SALT_CHARS) for _ in range(length))


def _hash_internal(method, salt, password):
    method, *args = method.split(':')
    salt = salt.encode('utf-8')
    password = password.encode('utf-8')
    if method == 'scrypt':
        if not args:
            n, r, p = 2 ** 15, 8, 1
        else:
            try:
                n, r, p = map(int, args)
            except ValueError:
                raise ValueError("'scrypt' takes 3 arguments.") from None
        maxmem = 132 * n * r * p
        return (hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, maxmem=maxmem).hex(),
                'scrypt:%d:%d:%d' % (n, r, p))
    if method == 'pbkdf2':
        if len(args) > 2:
            raise ValueError("'pbkdf2' takes 2 arguments.")
        hash_name = args[0] if args else 'sha256'
        iterations = int(args[1]) if len(args) > 1 and args[1] else DEFAULT_PBKDF2_ITERATIONS
        return (hashlib.pbkdf2_hmac(hash_name, password, salt, iterations).hex(),
                'pbkdf2:%s:%d' % (hash_name, iterations))
    if args:
        raise ValueError("Invalid hash method '%s'." % method)
    if method == 'plain':
        return password.decode('utf-8'), method
    if salt:
        return hmac.new(salt, password, method).hexdigest(), method
    return hashlib.new(method, password).hexdigest(), method


def generate_password_hash(password, method='pbkdf2:sha256', salt_length=16):
    salt = gen_salt(salt_length) if method != 'plain' else ''
    h, actual_method = _hash_internal(method, salt, password)
    return '%s$%s$%s' % (actual_method, salt, h)


def check_password_hash(pwhash, password):
    if pwhash.count('$') < 2:
        return False
    method, salt, hashval = pwhash.split('$', 2)
    return hmac.compare_digest(_hash_internal(method, salt, password)[0], hashval)
)PY";

}  // namespace

const std::vector<std::pair<std::string, const char*>>& FlaskLibraryModels() {
  static const auto* models = new std::vector<std::pair<std::string, const char*>>{
      {"flask", kFlaskSource},
      {"flask_migrate", kFlaskMigrateSource},
      {"flask_security", kFlaskSecuritySource},
      {"flask_security.core", kFlaskSecurityCoreSource},
      {"flask_security.datastore", kFlaskSecurityDatastoreSource},
      {"flask_security.utils", kFlaskSecurityUtilsSource},
      {"passlib", kPasslibSource},
      {"passlib.hash", kPasslibHashSource},
      {"passlib.context", kPasslibContextSource},
      {"werkzeug.security", kWerkzeugSecuritySource},
  };
  return *models;
}

}  // namespace sqlmend::sqlalchemy
