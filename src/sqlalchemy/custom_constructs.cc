#include "sqlalchemy/custom_constructs.h"

#include <utility>

#include "python/parser.h"

namespace sqlmend::sqlalchemy {

using python::ModuleObject;
using python::PythonModule;
using python::Value;

namespace {

// The classes and functions, in Python: they hold no SQL, only what a
// module defining a construct reads or calls while it is imported.
constexpr char kCustomConstructsSource[] = R"PY(
class immutabledict:
    def __init__(self, items=None):
        self._items = dict(items or {})
    def union(self, other):
        merged = dict(self._items)
        merged.update(other)
        return immutabledict(merged)
    def get(self, key, default=None):
        return self._items.get(key, default)
    def __getitem__(self, key):
        return self._items[key]
    def __contains__(self, key):
        return key in self._items
    def __len__(self):
        return len(self._items)
    def __repr__(self):
        return 'immutabledict(' + repr(self._items) + ')'

class ClauseElement:
    pass

class ColumnElement(ClauseElement):
    pass

class Executable:
    _execution_options = immutabledict()

class BooleanClauseList(ColumnElement):
    pass

def compiles(class_, *specs):
    def decorate(function):
        return function
    return decorate

def deregister(class_):
    pass
)PY";

}  // namespace

base::Status AddCustomConstructs(python::Interpreter& interpreter,
                                 std::map<std::string, Value>& modules, const Value& sa) {
  auto source = python::EmbeddedModule(kCustomConstructsSource, "<sqlalchemy.ext.compiler>");
  if (!source) return source.error();
  auto prelude = interpreter.RunModule(**source, "sqlalchemy.ext._sqlmend_custom_constructs");
  if (!prelude) return prelude.error();
  auto& defined = prelude->AsModule().attributes;
  auto boolean_clause_list = defined.at("BooleanClauseList").AsClass();
  for (const char* conjunction : {"and_", "or_"}) {
    boolean_clause_list->attributes[conjunction] = sa.AsModule().attributes.at(conjunction);
  }

  // The names replace the placeholders CompletePublicNames() made.
  for (const char* module : {"sqlalchemy.sql", "sqlalchemy.sql.expression",
                             "sqlalchemy.sql.elements"}) {
    for (const char* name : {"ClauseElement", "ColumnElement", "Executable"}) {
      modules.at(module).AsModule().attributes[name] = defined.at(name);
    }
  }
  modules.at("sqlalchemy.sql.elements").AsModule().attributes["BooleanClauseList"] =
      defined.at("BooleanClauseList");
  for (const char* name : {"compiles", "deregister"}) {
    modules.at("sqlalchemy.ext.compiler").AsModule().attributes[name] = defined.at(name);
  }
  return base::Status::Ok();
}

}  // namespace sqlmend::sqlalchemy
