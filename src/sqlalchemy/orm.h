// The ORM as data migrations use it: Session over a revision's connection,
// queries of declarative classes, and changes written back on flush.
//
//   session = Session(bind=op.get_bind())      # or sessionmaker(bind=...)()
//   for user in session.query(User).filter(User.email.like("%@x")).all():
//       user.email = user.email.lower()        # UPDATE on flush
//   session.add(Role(name="admin"))            # INSERT on flush
//   session.delete(old)                        # DELETE on flush
//   session.commit()
//
// Session: query(entity or columns...), get(Model, pk), execute(statement,
// params), scalar(statement), add, add_all, delete, merge, flush, commit
// (a flush: the revision's savepoint is the transaction), rollback (drops
// what is pending), close, expunge_all, begin() and `with Session(...) as
// s:`, bind, connection().
// Query (generative): filter, filter_by, order_by, limit, offset,
// with_entities, distinct; all, first, one, one_or_none, scalar, get,
// count, update(values), delete(), iteration.
//
// As in SQLAlchemy: a query flushes pending changes first (autoflush);
// loaded rows are objects of the class (its __init__ is not called), one
// per primary key per session; a change to an object's column attribute is
// an UPDATE of that column on flush; pending changes never flushed are
// dropped with the session. Relationships are neither loaded nor written:
// reading one on an object, or flushing an object one was set on, stops
// with its location.
//
// While planning, any use of the database stops the planning
// (BindValue::DatabaseNeeded), so the revision runs online.
#pragma once

#include "python/value.h"

namespace sqlmend::sqlalchemy {

// Adds Session and sessionmaker to `module` (sqlalchemy.orm,
// sqlalchemy.orm.session).
void AddOrmSession(python::ModuleObject& module);

// sqlalchemy.orm.relationship (also db.relationship): makes the class
// attribute the file comment describes, whatever its arguments.
python::Value RelationshipFunction();

}  // namespace sqlmend::sqlalchemy
