// Functions a schema calls that this library does not define.
//
// A CHECK constraint, a generated column or an index on an expression may
// call a function the application registers on its own connections (REGEXP
// is the common one: the sqlite3 library leaves it to applications). SQLite
// reads such a schema from a file (it resolves nothing while loading), but
// CREATE TABLE and CREATE INDEX resolve every function they name and fail
// with "no such function: NAME". A copy of the schema built elsewhere (the
// repaired file, the in-memory probe) therefore needs the name to exist.
//
// ExecDefiningUnknownFunctions() runs SQL and, each time SQLite names an
// unknown function, defines a placeholder under that name and tries again.
// The placeholder never returns a value: calling it fails the statement with
// "NAME() belongs to the application; sqlmend cannot evaluate it". So it can
// let a schema be created, and a copy that only moves stored records (SQLite's
// transfer path, CREATE INDEX on an empty table) succeed, but it can never
// put a made-up value into a row, an index or a CHECK verdict. It is tagged
// SQLITE_INNOCUOUS, so a schema may name it on a connection with
// trusted_schema=OFF (sqlite/db.h): it runs nothing.
#pragma once

#include <string>
#include <vector>

#include <sqlite3.h>

namespace sqlmend::sqlite {

// Runs `sql`, one statement, on `db` (sqlite3_exec; it is run again after
// each definition, so it must not be several statements), defining a placeholder for each unknown
// function SQLite reports, up to a bound (and trusting SQLite's own untagged
// functions as TrustSqliteOwnAfter does). Returns SQLite's message on
// failure, empty on success. Names defined are appended to `defined` (when
// not null). A failure other than an unknown function is returned at once.
std::string ExecDefiningUnknownFunctions(sqlite3* db, const std::string& sql,
                                         std::vector<std::string>* defined = nullptr);

// The function name in SQLite's "no such function: NAME" message; empty when
// `message` is not one.
std::string UnknownFunctionIn(const std::string& message);

}  // namespace sqlmend::sqlite
