// Reading files, as a revision reads a data file it ships beside itself:
//
//   with open(os.path.join(os.path.dirname(__file__), "seed.sql")) as f:
//       op.execute(f.read())
//   rows = json.loads((Path(__file__).parent / "rows.json").read_text())
//
// open(path, "r"/"rt", encoding=...) gives a text file object (read(),
// readline(), readlines(), iteration by line, a context manager);
// open(path, "rb") the same reading bytes (tomllib.load() takes one);
// pathlib.Path / PurePath / PosixPath with `/`, name, stem, suffix, parent,
// parts, read_text(), exists(), is_file(), is_dir(), joinpath(),
// with_suffix(), with_name(), resolve(), absolute(), open(). Relative paths
// are relative to the working folder, as in Python. Reads happen when the
// revision is evaluated. Writing and directory listing stop
// the run with the location (Unsupported): a revision must not change
// files beside the database.
#pragma once

#include "python/value.h"

namespace sqlmend::python {

// Adds open() to the builtins and returns the pathlib module.
void InstallOpen(Scope& builtins);
Value MakePathlibModule();

// The path a str or a pathlib path stands for, or std::nullopt.
std::optional<std::string> PathText(const Value& value);

// The text of the file at `path` as open(path).read() gives it (universal
// newlines); raises FileNotFoundError or IsADirectoryError as open() does.
base::Result<std::string> ReadTextFile(CallContext& context, const std::string& path);

}  // namespace sqlmend::python
