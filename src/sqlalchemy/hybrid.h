// sqlalchemy.ext.hybrid: hybrid_property and hybrid_method, attributes of a
// model class that run their Python function on an instance and, read
// from the class, give the SQL expression (the function run with the
// class, or the one `.expression` names).
//
// They are Python classes evaluated by the interpreter (a prelude, as
// SQLAlchemy's own are Python), relying on the interpreter's descriptor
// protocol (__get__ and __set__). What SQLAlchemy 1.4 does and they do:
//   instance.prop            fget(instance)
//   instance.prop = value    fset(instance, value); AttributeError
//                            ("can't set attribute") without a setter
//   Class.prop               custom comparator(cls), else expr(cls), else
//                            fget(cls)
//   .getter/.setter/.deleter/.expression/.comparator/.update_expression
//                            a copy with that function replaced
//   instance.method(*a)      func(instance, *a); Class.method(*a): expr(cls, *a)
// NOTE: SQLAlchemy wraps the class-level expression in a proxy
// (ExprComparator) whose str() is "Class.prop"; here the expression itself
// is returned, which compares and compiles the same.
#pragma once

#include "base/status.h"
#include "python/interpreter.h"

namespace sqlmend::sqlalchemy {

// Sets hybrid_property and hybrid_method in `module` (sqlalchemy.ext.hybrid),
// evaluating their definitions in `interpreter`. Fails only if the prelude
// does not run, leaving `module` unchanged.
base::Status AddHybridAttributes(python::Interpreter& interpreter, python::ModuleObject& module);

}  // namespace sqlmend::sqlalchemy
