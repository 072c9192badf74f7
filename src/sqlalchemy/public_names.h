// Every public name of the SQLAlchemy modules a revision, env.py or model
// module may import (the list in public_names.inc, generated from SQLAlchemy
// 1.4 by tools/sqlalchemy_names.py), so that importing a name never stops a
// run; only evaluating one that sqlmend does not model does.
//
// CompletePublicNames() fills in, for each listed module (created and
// registered when sqlmend models nothing of it, as for sqlalchemy.exc or
// sqlalchemy.dialects.postgresql), each listed name the model lacks:
//   - an exception class of sqlalchemy.exc: a real class with SQLAlchemy's
//     hierarchy, so `except sa.exc.IntegrityError:` means what it means;
//   - a name that is the same object as sqlalchemy.<name>
//     (sqlalchemy.schema.Column): the top-level model of it;
//   - anything else: a placeholder. Importing it, binding it, comparing it
//     by identity and isinstance(x, it) (always false: no value sqlmend
//     makes is of an unmodelled class) pass; calling it, reading an
//     attribute other than __name__, subscripting, iterating or testing
//     its truth stops the run with its location:
//     "unsupported: sqlalchemy.dialects.postgresql.JSONB is not modelled".
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "python/interpreter.h"

namespace sqlmend::sqlalchemy {

// `modules`: the modelled modules by dotted name (kModule values), already
// registered with `interpreter`; completed and extended in place.
void CompletePublicNames(python::Interpreter& interpreter,
                         std::map<std::string, python::Value>& modules);

// Raises sqlalchemy.exc.<class_name>(message) (OperationalError,
// IntegrityError, NoSuchTableError, ...), so `except sa.exc.X:` catches it.
base::Status ThrowSqlalchemyError(python::CallContext& context, std::string_view class_name,
                                  std::string message);

// True when `value` is a placeholder for an unmodelled SQLAlchemy name.
bool IsUnmodelledName(const python::Value& value);

// Such a placeholder for `dotted` ("sqlalchemy_utils.database_exists"), for
// the libraries over SQLAlchemy that sqlmend models in part.
python::Value MakeUnmodelledName(std::string dotted);

}  // namespace sqlmend::sqlalchemy
