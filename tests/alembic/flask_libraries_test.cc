// The Flask libraries sqlmend models in part (sqlalchemy/flask_libraries.h):
// a Flask application's config and context, Flask-Migrate's registration,
// and password hashes that the real passlib, Werkzeug and Flask-Security-Too
// verify (and whose hashes sqlmend verifies), run in the test.
#include "sqlalchemy/flask_libraries.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "env_harness.h"
#include "testutil/testutil.h"

namespace sqlmend::alembic {
namespace {

using python::Value;

void AddModels(EnvHarness& h) {
  for (const auto& [module, source] : sqlalchemy::FlaskLibraryModels()) {
    h.loader().AddPartialModel(module, source);
  }
}

TEST(FlaskLibrariesTest, AnApplicationsConfigContextAndMigrate) {
  EnvHarness h;
  AddModels(h);
  h.Write("settings.py", "SECRET_KEY = 'k'\nlower = 1\n");
  auto ran = h.Run(R"py(import settings
from flask import Flask, Blueprint, current_app, has_app_context, render_template
from flask_migrate import Migrate
class Extra:
    FEATURE = 'on'
    hidden = 1
app = Flask(__name__)
app.config.from_object(settings)
app.config.from_object(Extra)
app.config.from_mapping({'A_B': 1}, lower=2, C_D=3)
bp = Blueprint('views', __name__)
@app.route('/')
def index():
    return render_template('index.html')
migrate = Migrate(app, object(), render_as_batch=False, user_module_prefix='m.')
outside = bool(current_app), has_app_context(), repr(current_app.extensions['migrate'].db)
with app.app_context():
    inside = (current_app.name, current_app.config['SECRET_KEY'],
              current_app.extensions['migrate'].configure_args, has_app_context(), bool(current_app))
context = app.app_context()
context.push()
pushed = current_app.config.get('FEATURE')
context.pop()
result = (app.config['SECRET_KEY'], 'lower' in app.config, app.config['FEATURE'],
          'hidden' in app.config, app.config['A_B'], app.config['C_D'],
          app.config.get_namespace('SESSION_COOKIE_')['name'], app.config['MAX_COOKIE_SIZE'],
          isinstance(app, Flask), outside, inside, pushed, has_app_context())
)py");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h),
            "('k', False, 'on', False, 1, 3, 'session', 4093, True, (False, False, '<placeholder "
            "flask.current_app.extensions[...].db>'), ('env_py', 'k', {'user_module_prefix': "
            "'m.', 'compare_type': True, 'render_as_batch': False}, True, True), 'on', False)");
}

TEST(FlaskLibrariesTest, FlaskSecurityNeedsItsSetUp) {
  EnvHarness h;
  AddModels(h);
  auto ran = h.Run(R"py(from flask import Flask
from flask_security import Security, SQLAlchemyUserDatastore
from flask_security.utils import hash_password
out = []
app = Flask('t')
with app.app_context():
    try:
        hash_password('x')
    except RuntimeError as e:
        out.append(str(e))
    Security(app, SQLAlchemyUserDatastore(None, None, None))
    try:
        hash_password('x')
    except RuntimeError as e:
        out.append(str(e))
    app.config['SECURITY_PASSWORD_SALT'] = 'salt'
    try:
        hash_password('x')
    except NotImplementedError as e:
        out.append(str(e))
try:
    Security(Flask('u'), SQLAlchemyUserDatastore(None, None, None)).init_app(Flask('v'))
    app2 = Flask('w')
    app2.config['SECURITY_PASSWORD_HASH'] = 'md5'
    Security(app2, SQLAlchemyUserDatastore(None, None, None))
except ValueError as e:
    out.append(str(e))
result = out
)py");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h),
            "['Flask-Security is not set up: no Security(app, ...) in this application context', "
            "'The configuration value `SECURITY_PASSWORD_SALT` must not be None when the value "
            "of `SECURITY_PASSWORD_HASH` is set to \"bcrypt\"', \"sqlmend does not model "
            "passlib's bcrypt hashes\", 'Invalid password hashing scheme md5. Allowed values are "
            "bcrypt, argon2, des_crypt, pbkdf2_sha256, pbkdf2_sha512, sha256_crypt, "
            "sha512_crypt and plaintext']");
}

// An error raised inside a model is located where the script called it.
TEST(FlaskLibrariesTest, AnErrorInsideAModelIsLocatedAtTheScriptsCall) {
  EnvHarness h;
  AddModels(h);
  auto ran =
      h.Run("from passlib.hash import bcrypt\nsecret = 'pw'\nhashed = bcrypt.hash(secret)\n");
  ASSERT_FALSE(ran.has_value());
  EXPECT_EQ(ran.error().object(), h.dir().File("env.py") + ":3:10");
  EXPECT_EQ(ran.error().message(),
            "NotImplementedError: sqlmend does not model passlib's bcrypt hashes");
}

bool OracleHasPasswordLibraries() {
  return std::filesystem::exists("/usr/bin/python3") &&
         std::system(
             "/usr/bin/python3 -c 'import passlib, werkzeug.security, flask_security' "
             "2>/dev/null") == 0;
}

// Hashes made by sqlmend, checked by the real libraries.
TEST(FlaskLibrariesTest, TheRealLibrariesVerifySqlmendsHashes) {
  if (!OracleHasPasswordLibraries()) {
    GTEST_SKIP() << "no /usr/bin/python3 with passlib, Werkzeug and Flask-Security";
  }
  EnvHarness h;
  AddModels(h);
  auto ran = h.Run(R"py(import hashlib
from passlib.hash import pbkdf2_sha512, pbkdf2_sha256, pbkdf2_sha1, plaintext
from passlib.context import CryptContext
from werkzeug.security import generate_password_hash
from flask import Flask
from flask_security import Security, SQLAlchemyUserDatastore
from flask_security.utils import hash_password
context = CryptContext(schemes=['pbkdf2_sha256', 'plaintext'], pbkdf2_sha256__rounds=1234)
app = Flask('t')
app.config.update(SECURITY_PASSWORD_HASH='pbkdf2_sha512', SECURITY_PASSWORD_SALT='NaCl')
with app.app_context():
    Security(app, SQLAlchemyUserDatastore(None, None, None))
    flask_security_hash = hash_password('Sekrit-Passw0rd')
result = [pbkdf2_sha512.hash('pässword'), pbkdf2_sha256.hash('pw'),
          pbkdf2_sha1.using(rounds=1000).hash(b'pw'), context.hash('pw'),
          generate_password_hash('pw'), generate_password_hash('pw', 'pbkdf2:sha1:1000', 8),
          generate_password_hash('pw', 'sha256'), generate_password_hash('pw', 'scrypt'),
          flask_security_hash]
)py");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  testutil::TempDir dir;
  const std::string hashes = dir.File("hashes.txt");
  testutil::WriteFile(hashes, ResultOf(h));
  const std::string check = dir.File("check.py");
  testutil::WriteFile(check, R"py(import ast, hashlib, sys
from types import SimpleNamespace
from flask import Flask
from passlib.context import CryptContext
from passlib.hash import pbkdf2_sha512, pbkdf2_sha256, pbkdf2_sha1
from werkzeug.security import check_password_hash
from flask_security.utils import verify_password
h = ast.literal_eval(open(sys.argv[1]).read())
method, salt, value = h[7].split('$')
app = Flask('t')
app.config.update(SECURITY_PASSWORD_HASH='pbkdf2_sha512', SECURITY_PASSWORD_SALT='NaCl',
                  SECURITY_PASSWORD_SINGLE_HASH=False)
with app.app_context():
    app.extensions['security'] = SimpleNamespace(
        password_hash='pbkdf2_sha512',
        pwd_context=CryptContext(schemes=['pbkdf2_sha512', 'plaintext'], default='pbkdf2_sha512'))
    flask_security = [verify_password('Sekrit-Passw0rd', h[8]), verify_password('other', h[8])]
print([pbkdf2_sha512.verify('pässword', h[0]), h[0].startswith('$pbkdf2-sha512$25000$'),
       pbkdf2_sha256.verify('pw', h[1]), h[1].startswith('$pbkdf2-sha256$29000$'),
       pbkdf2_sha1.verify('pw', h[2]), h[2].startswith('$pbkdf2$1000$'),
       pbkdf2_sha256.verify('pw', h[3]), h[3].startswith('$pbkdf2-sha256$1234$'),
       check_password_hash(h[4], 'pw'), h[4].startswith('pbkdf2:sha256:600000$'),
       check_password_hash(h[5], 'pw'), not check_password_hash(h[5], 'px'),
       check_password_hash(h[6], 'pw'),
       method == 'scrypt:32768:8:1' and hashlib.scrypt(b'pw', salt=salt.encode(), n=32768, r=8,
                                                       p=1, maxmem=132 * 32768 * 8).hex() == value]
      + flask_security)
)py");
  testutil::RunResult verified = testutil::RunCommand(
      "/usr/bin/python3 " + testutil::ShellQuote(check) + " " + testutil::ShellQuote(hashes));
  ASSERT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_EQ(verified.out,
            "[True, True, True, True, True, True, True, True, True, True, True, True, True, "
            "True, True, False]\n")
      << ResultOf(h);
}

// Hashes made by the real libraries, checked by sqlmend.
TEST(FlaskLibrariesTest, SqlmendVerifiesTheRealLibrariesHashes) {
  if (!OracleHasPasswordLibraries()) {
    GTEST_SKIP() << "no /usr/bin/python3 with passlib, Werkzeug and Flask-Security";
  }
  testutil::TempDir dir;
  const std::string make = dir.File("make.py");
  testutil::WriteFile(make, R"py(from types import SimpleNamespace
from flask import Flask
from passlib.context import CryptContext
from passlib.hash import pbkdf2_sha512, pbkdf2_sha256, pbkdf2_sha1, bcrypt
from werkzeug.security import generate_password_hash
from flask_security.utils import hash_password
app = Flask('t')
app.config.update(SECURITY_PASSWORD_HASH='pbkdf2_sha512', SECURITY_PASSWORD_SALT='NaCl',
                  SECURITY_PASSWORD_SINGLE_HASH=False, SECURITY_PASSWORD_HASH_OPTIONS={})
with app.app_context():
    app.extensions['security'] = SimpleNamespace(
        password_hash='pbkdf2_sha512',
        pwd_context=CryptContext(schemes=['pbkdf2_sha512', 'plaintext'], default='pbkdf2_sha512'))
    flask_security_hash = hash_password('Sekrit-Passw0rd')
print(repr([pbkdf2_sha512.hash('pässword'), pbkdf2_sha256.hash('pw'), pbkdf2_sha1.hash('pw'),
            generate_password_hash('pw'), generate_password_hash('pw', 'pbkdf2:sha512:1000'),
            generate_password_hash('pw', 'sha1'), generate_password_hash('pw', 'plain'),
            flask_security_hash, '$2b$12$' + 'a' * 53]))
)py");
  testutil::RunResult made = testutil::RunCommand("/usr/bin/python3 " + testutil::ShellQuote(make));
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EnvHarness h;
  AddModels(h);
  auto ran = h.Run("h = " + made.out + R"py(
from passlib.hash import pbkdf2_sha512, pbkdf2_sha256, pbkdf2_sha1
from passlib.context import CryptContext
from werkzeug.security import check_password_hash
from flask import Flask
from flask_security import Security, SQLAlchemyUserDatastore
from flask_security.utils import verify_password, verify_and_update_password
context = CryptContext(schemes=['bcrypt', 'pbkdf2_sha512', 'plaintext'], default='pbkdf2_sha512',
                       deprecated=['auto'])
class User:
    password = 'plain-text'
app = Flask('t')
app.config.update(SECURITY_PASSWORD_HASH='pbkdf2_sha512', SECURITY_PASSWORD_SALT='NaCl')
with app.app_context():
    Security(app, SQLAlchemyUserDatastore(None, None, None))
    flask_security = [verify_password('Sekrit-Passw0rd', h[7]), verify_password('x', h[7]),
                      verify_and_update_password('Sekrit-Passw0rd', User())]
result = [pbkdf2_sha512.verify('pässword', h[0]), pbkdf2_sha512.verify('password', h[0]),
          pbkdf2_sha256.verify('pw', h[1]), pbkdf2_sha1.verify('pw', h[2]),
          check_password_hash(h[3], 'pw'), check_password_hash(h[4], 'pw'),
          check_password_hash(h[5], 'pw'), check_password_hash(h[6], 'pw'),
          check_password_hash(h[6], 'px'), check_password_hash('nonsense', 'pw'),
          context.identify(h[8]), context.identify(h[0]), context.identify('zz'),
          context.needs_update(h[0]), context.needs_update('zz'), context.verify('zz', 'zz')
          ] + flask_security
)py");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h),
            "[True, False, True, True, True, True, True, True, False, False, 'bcrypt', "
            "'pbkdf2_sha512', 'plaintext', False, True, True, True, False, False]");
}

}  // namespace
}  // namespace sqlmend::alembic
