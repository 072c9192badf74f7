// The modules projects read TOML with, as their configuration code calls
// them to find the database URL:
//
//   with open(path, "rb") as f:
//       settings = tomllib.load(f)          # Python 3.11's standard library
//   settings = tomli.loads(text)            # tomllib's PyPI original
//   settings = dict(toml.load(path_or_file)) # uiri's `toml` 0.10
//
// tomllib and tomli: load(binary file) and loads(str), keyword parse_float
// (float only), TOMLDecodeError (a ValueError). A text-mode file raises
// TypeError, as both do.
// toml: load(path | list of paths | file with read()), loads(str),
// dumps(dict), dump(dict, file with write()) (returns the text as toml
// does), TomlDecodeError (a ValueError with msg, doc, pos, lineno and colno;
// its str() ends "(line L column C char P)"); `_dict=dict` and `decoder=None`
// are accepted. dumps() writes what toml 0.10's TomlEncoder writes: a
// table's scalars, then its arrays of tables, then its sub-tables breadth
// first as `[a.b]` sections; arrays as `[ 1, 2,]`; None values left out;
// strings as toml's _dump_str makes them from repr() (including its
// mangling of `\x..` escapes).
//
// The document is read by toml++ (TOML 1.0) and its values become Python's:
// a table a dict in the document's key order, an array a list, and str,
// int, float, bool, datetime.date, datetime.time and naive datetime.datetime
// (fractions of a second cut to microseconds, as tomllib does). A syntax
// error raises the module's decode error with toml++'s description and
// position (the wording differs from the Python packages').
// NOTE: an offset date-time (`1979-05-27T07:32:00Z`) stops the run with its
// location (Unsupported): the datetime model has no tzinfo. toml 0.10
// follows TOML 0.5 where 1.0 differs (it refuses arrays of mixed types);
// sqlmend reads TOML 1.0 for all three modules.
//
// These are models, registered in the interpreter's module table, so they
// answer whether or not the project's environment installs the package (as
// sqlalchemy and alembic are models): the packages' own code would run
// through the interpreter char by char, and their answer for a valid
// document is the one modelled here.
#pragma once

#include <string>

#include "python/value.h"

namespace sqlmend::python {

// `tomllib` or `tomli` (`name`: the two share their API).
Value MakeTomllibModule(const std::string& name);
// `toml` (uiri's package, 0.10).
Value MakeTomlModule();

}  // namespace sqlmend::python
