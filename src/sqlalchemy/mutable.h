// sqlalchemy.ext.mutable as model modules use it: a column type wrapped by
// `MutableDict.as_mutable(JSONType)` (or MutableList, MutableSet, a
// project's Mutable subclass) is the wrapped type, as an instance, for DDL,
// bound values and results, exactly as as_mutable() returns it in
// SQLAlchemy 1.4.
//
//   class Server(db.Model):
//       connection_params = db.Column(MutableDict.as_mutable(JSONString))
//
// Mutable, MutableBase and MutableComposite are classes a project may
// derive from (coerce() and changed() as SQLAlchemy defines them);
// associate_with() and associate_with_attribute() register nothing.
// NOTE: the ORM session (orm.h) flushes a column whose value was replaced,
// not one changed in place, so `obj.params["k"] = v` on a loaded object
// writes nothing here where SQLAlchemy's change tracking would UPDATE it.
// MutableDict, MutableList and MutableSet are not dict, list and set
// subclasses: constructing one raises NotImplementedError, and coerce()
// returns a dict, list or set unchanged.
#pragma once

#include "base/status.h"
#include "python/interpreter.h"

namespace sqlmend::sqlalchemy {

// Runs the module in `interpreter` and registers it as
// "sqlalchemy.ext.mutable"; returns the module. as_mutable() imports
// sqlalchemy.sql.sqltypes.to_instance when called.
base::Result<python::Value> MakeMutableModule(python::Interpreter& interpreter);

}  // namespace sqlmend::sqlalchemy
