// Finds, parses and runs a project's own Python modules for the interpreter,
// as Python's path-based import does for the modules an Alembic env.py
// imports (`from myapp.models import Base`).
//
// A ModuleLoader is the interpreter's module resolver (Interpreter::
// SetModuleResolver). Asked for `a.b.c` that the module table lacks, it:
//   1. loads the parent `a.b` first (as Python imports parents first); a
//      missing parent, or one that is not a package, makes `a.b.c` missing;
//   2. searches, for a top-level name, each entry of sys.path in order (the
//      list Value scripts see as `sys.path`, so entries env.py inserts or
//      appends are honoured by later imports) and, for a submodule, the
//      parent package's folders: <dir>/c/__init__.py (a package), then
//      <dir>/c.py (a module). A folder `c` without __init__.py is a
//      namespace package when no entry has a regular package or module `c`,
//      as in Python 3.3+;
//   3. parses the file (PythonModule::Parse: a syntax error fails the import
//      with Code::kUnusableInput, located in that file) and runs it once as
//      the module `a.b.c` (Interpreter::RunModule; a package is marked with
//      MarkPackage() first, so its relative imports resolve against itself),
//      then binds it as the attribute `c` of `a.b`.
//   4. a top-level name found nowhere (not installed in the project's
//      environment, or a standard library module sqlmend does not model),
//      and a module found only as a compiled extension (.so, .pyd) at any
//      level, becomes a placeholder, with a warning where it is imported (placeholder.h: attribute
//      access, calls, decorators and base classes pass through, its truth is
//      false and it iterates as empty, with a warning; it stops where it
//      would become a table, a column, a type, a constraint, a value written
//      to the database, or a call inside a revision body). A submodule of a
//      placeholder is the placeholder's attribute; an unmodelled submodule
//      of a standard module sqlmend models in part (logging.handlers) is a
//      placeholder too, and so is a name such a module lacks when `from m
//      import name` asks for it as a submodule (`from secrets import
//      token_bytes`; Python would give the function).
// Two kinds of names are "missing" instead (the interpreter binds a stand-in
// that fails, located, when the script uses it): a submodule a project
// package lacks (Python's ImportError) and an unmodelled part of sqlalchemy
// or alembic (the SQLAlchemy model decides what it offers). Modules sqlmend
// registers (sqlalchemy, alembic, logging, os, sys, typing, ...) never reach
// the loader, since the interpreter's table answers first.
//
// Relative sys.path entries ("", ".", "src") are relative to the current
// directory, as in Python. Every parsed module stays alive as long as the
// loader (functions defined by a module point into its syntax tree), so the
// loader must outlive the interpreter's last call.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "python/interpreter.h"
#include "python/parse_ahead.h"
#include "python/parser.h"
#include "python/placeholder.h"

namespace sqlmend::python {

// Dotted names longer than this many parts are refused: resolving a name
// loads its parents recursively, one level per part.
inline constexpr size_t kMaxModuleNameParts = 32;

class ModuleLoader {
 public:
  // `sys_path`: the initial search folders (prepend_sys_path), in order.
  // `parse_ahead`: parse the files of the modules each parsed module imports
  // on a second thread, before they are asked for (python/parse_ahead.h).
  explicit ModuleLoader(std::vector<std::string> sys_path, bool parse_ahead = true);
  ModuleLoader(const ModuleLoader&) = delete;
  ModuleLoader& operator=(const ModuleLoader&) = delete;

  // Makes `interpreter` resolve missing imports through this loader, and
  // registers `sys` (whose path is sys_path()), `os` and `os.path`
  // (os_sys_modules.h). The loader must outlive the interpreter's use of it.
  void Install(Interpreter& interpreter);

  // The list Value that is `sys.path` for the scripts: str entries are
  // searched in order; other entries are skipped.
  const Value& sys_path() const { return sys_path_; }

  // Parses the file at `path` (read from disk, or taken parsed ahead) and
  // keeps it alive for the loader's lifetime; queues what it imports to be
  // parsed ahead. Errors: kEnvironment when it cannot be read,
  // kUnusableInput "path:line:col" for a syntax error.
  base::Result<const PythonModule*> ParseFile(const std::string& path);

  // Makes ParseFile(module->path()) return `module` instead of reading and
  // parsing the file again: the script directory has already parsed every
  // revision file to read its header, and parsing is most of the time a
  // run spends before it executes anything.
  void Adopt(std::shared_ptr<const PythonModule> module);

  // A library sqlmend models in part: importing `dotted` runs `source`
  // (Python, which must outlive the loader) as that module, and binds a
  // placeholder whose names the source defines are the source's
  // (MakePartialModule), whether or not the library is installed. The
  // source reaches the rest of the library, as placeholders, through
  // `from _sqlmend_partial import unmodelled` and `unmodelled("<module>")`
  // (or `unmodelled("<module>", "<reason>")`, the reason its placeholders
  // give for themselves),
  // and tells one with `is_placeholder(value)`.
  void AddPartialModel(std::string dotted, const char* source);

  // Shared by every placeholder this loader makes (placeholder.h): set
  // in_body while a revision body runs.
  PlaceholderPolicy& placeholder_policy() { return *placeholder_policy_; }

  // The resolver itself (see the file comment).
  base::Result<std::optional<Value>> Resolve(Interpreter& interpreter, const std::string& dotted);

 private:
  // A placeholder for `dotted`, which `reason` says why sqlmend cannot load;
  // logs a warning at the import.
  Value StandIn(Interpreter& interpreter, const std::string& dotted, const std::string& reason);

  // Runs the model of `dotted` (AddPartialModel) and binds its module.
  base::Result<std::optional<Value>> ResolvePartial(Interpreter& interpreter,
                                                    const std::string& dotted, const char* source);

  std::map<std::string, const char*, std::less<>> partial_models_;
  // The folders to search for submodules of `package` (its __path__).
  std::map<std::string, std::vector<std::string>, std::less<>> package_paths_;
  Value sys_path_;
  std::shared_ptr<PlaceholderPolicy> placeholder_policy_;
  std::deque<PythonModule> parsed_;
  std::map<std::string, std::shared_ptr<const PythonModule>, std::less<>> adopted_;
  // The modules ParseFile() returned, in order, and the search path their
  // imports were last read with.
  std::vector<const PythonModule*> ahead_read_;
  std::vector<std::string> ahead_search_path_;
  // Last: its worker reads modules of parsed_ and adopted_ until it stops.
  ParseAhead ahead_;
};

}  // namespace sqlmend::python
