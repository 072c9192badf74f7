// SQLAlchemy-Utils (`sqlalchemy_utils`), the column types revisions import:
// autogenerate writes a model's `UUIDType(binary=False)` into the revision
// as `sqlalchemy_utils.types.uuid.UUIDType(binary=False)`. Written in Python
// over sqlmend's TypeDecorator (sqlalchemy_utils.cc) and run when a script
// first imports the package, so that each type compiles, binds and reads
// its values as SQLAlchemy-Utils 0.38 to 0.41 does on SQLite:
//   UUIDType (BINARY(16), or CHAR(32) with binary=False; uuid.UUID values),
//   ChoiceType and Choice (the impl, VARCHAR(255) by default; a Choice or
//   a Python enum's value stored), EmailType (VARCHAR(255), lower-cased),
//   URLType (TEXT), JSONType (TEXT holding JSON), TimezoneType
//   (VARCHAR(50)), CountryType (VARCHAR(2)), CurrencyType (VARCHAR(3)),
//   LocaleType (VARCHAR(10)), IPAddressType (VARCHAR(50)), ColorType
//   (VARCHAR(20)), PhoneNumberType (VARCHAR(20)), ScalarListType (TEXT,
//   joined with ","), ArrowType, EnrichedDateTimeType and EnrichedDateType
//   (DATETIME, DATE), PasswordType (BLOB; a value is refused: hashing it
//   needs passlib), StringEncryptedType and EncryptedType (VARCHAR; a
//   value is refused), TSVectorType (PostgreSQL only: no DDL on SQLite);
//   each under its `sqlalchemy_utils.types.<module>` path too. Also
//   `generic_repr` and `force_auto_coercion()` (nothing to do) and the
//   `Timestamp` mixin (created and updated columns).
// Every other public name of the package imports and stops the run with
// its location where it is used ("sqlalchemy_utils.database_exists is not
// modelled by sqlmend"), as SQLAlchemy's unmodelled names do.
#pragma once

#include "python/interpreter.h"

namespace sqlmend::sqlalchemy {

// Registers `sqlalchemy_utils` and its submodules with `interpreter`; their
// source runs on first use.
void AddSqlalchemyUtils(python::Interpreter& interpreter);

}  // namespace sqlmend::sqlalchemy
