// The bases of SQLAlchemy's custom SQL constructs, and sqlalchemy.ext.compiler,
// as a project's modules import them to define constructs of their own
// (SQLAlchemy's "Custom SQL Constructs and Compilation Extension"):
//
//   class InsertFromSelect(Executable, ClauseElement):
//       _execution_options = Executable._execution_options.union({...})
//   @compiler.compiles(InsertFromSelect)
//   def _visit(element, compiler, **kw): return "INSERT INTO ..."
//
// ClauseElement, ColumnElement, Executable and BooleanClauseList (of
// sqlalchemy.sql.elements, also in sqlalchemy.sql and
// sqlalchemy.sql.expression) are plain classes a module can derive from;
// Executable._execution_options is an immutable mapping with union(), get()
// and `in`; BooleanClauseList.and_/or_ are sqlalchemy.and_/or_.
// compiles() and deregister() register nothing: the decorated function is
// returned as it is, so the module imports and its other code runs.
// NOTE: sqlmend does not compile custom constructs; an instance of such a
// class that reaches SQL raises TypeError where it would be compiled.
#pragma once

#include <map>
#include <string>

#include "python/interpreter.h"

namespace sqlmend::sqlalchemy {

// Puts the classes in the modules sqlalchemy.sql, sqlalchemy.sql.expression
// and sqlalchemy.sql.elements and the functions in sqlalchemy.ext.compiler,
// in place of the placeholders CompletePublicNames() (public_names.h) made
// for them: call it after that. `modules` holds the modules by dotted name;
// `sa` is the sqlalchemy module, whose and_/or_ BooleanClauseList shares.
base::Status AddCustomConstructs(python::Interpreter& interpreter,
                                 std::map<std::string, python::Value>& modules,
                                 const python::Value& sa);

}  // namespace sqlmend::sqlalchemy
