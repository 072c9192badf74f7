// The Flask libraries a Flask project's migrations reach, modelled in part
// (python::ModuleLoader::AddPartialModel): each module below is a
// placeholder (python/placeholder.h) whose names listed here are sqlmend's
// own Python (flask_libraries.cc), run when a script first imports it,
// whether or not the library is installed. Every other name of these
// libraries stays a placeholder, as for a library that is not installed.
//
// Modelled:
// - `flask`: `Flask` (its `config`, a dict with Flask 2's defaults and
//   `from_object`, `from_mapping`, `get_namespace`; `extensions`;
//   `app_context()` as a context manager or with `push()`/`pop()`),
//   `Config`, `current_app` (the application whose context is pushed; with
//   none, what it is today: a placeholder) and `has_app_context()`;
// - `flask_migrate`: `Migrate(app, db, ...)` and `init_app()`, which
//   register `app.extensions["migrate"]` with the `configure_args` (and
//   Flask-Migrate 4's `compare_type` and `render_as_batch` defaults) a
//   Flask-Migrate `env.py` hands `context.configure()`;
// - `flask_security` (and `.core`, `.utils`, `.datastore`): `Security(app,
//   datastore)` and `init_app()` (Flask-Security-Too's password settings as
//   `SECURITY_*` config defaults, its password `CryptContext`, registered
//   as `app.extensions["security"]`), `SQLAlchemyUserDatastore`,
//   `hash_password()`, `verify_password()`, `verify_and_update_password()`,
//   `get_hmac()`, `use_double_hash()` and `config_value()`, which hash as
//   Flask-Security-Too 4 and 5 do: an HMAC-SHA512 of the password with
//   `SECURITY_PASSWORD_SALT` first, then the configured passlib scheme;
// - `passlib.hash` and `passlib.context`: `pbkdf2_sha1`, `pbkdf2_sha256`,
//   `pbkdf2_sha512` (passlib 1.7's format, rounds and salt size) and
//   `plaintext` hash and verify; `bcrypt`, `bcrypt_sha256`, `argon2`,
//   `scrypt`, `sha256_crypt`, `sha512_crypt`, `md5_crypt` and `des_crypt`
//   identify their hashes, and hashing or verifying with one raises
//   NotImplementedError; `CryptContext` (schemes, default, deprecated
//   "auto", `<scheme>__rounds`) with hash, verify, identify, needs_update,
//   verify_and_update, handler;
// - `werkzeug.security`: `generate_password_hash()` (default
//   "pbkdf2:sha256" at Werkzeug 2.3's 600,000 iterations, which every
//   Werkzeug version checks), `check_password_hash()` (pbkdf2, scrypt,
//   salted HMAC, plain and unsalted digests, as Werkzeug 2 and 3 write
//   them) and `gen_salt()`.
// Random salts come from the kernel's CSPRNG when the revision runs, as in
// Python.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sqlmend::sqlalchemy {

// The modules modelled in part and the Python source of each.
const std::vector<std::pair<std::string, const char*>>& FlaskLibraryModels();

}  // namespace sqlmend::sqlalchemy
