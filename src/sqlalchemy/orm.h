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
// dropped with the session.
//
// Relationships are loaded, not written. relationship(Target or "Target"
// or a callable, secondary=, order_by=, uselist=, lazy="dynamic",
// backref= / backref(), back_populates=, remote_side=) read on an object
// the session loaded queries its target through the one foreign key that
// joins the two tables (many to one: the parent or None; one to many: a
// list; many to many through `secondary`; an adjacency list is one to many
// unless remote_side= is given), keeps the result in the object, and
// lazy="dynamic" gives the query itself. A flush of an object whose
// relationship was set or whose loaded list changed stops with its
// location, as do primaryjoin=/secondaryjoin=/foreign_keys=, more than one
// joining foreign key, an object no session loaded, and comparisons on the
// class (User.roles.any()). Loader options (joinedload, selectinload) are
// accepted and change nothing.
//
// While planning, any use of the database stops the planning
// (BindValue::DatabaseNeeded), so the revision runs online.
#pragma once

#include <memory>

#include "python/value.h"
#include "sqlalchemy/schema.h"

namespace sqlmend::sqlalchemy {

// Adds Session and sessionmaker to `module` (sqlalchemy.orm,
// sqlalchemy.orm.session).
void AddOrmSession(python::ModuleObject& module);

// sqlalchemy.orm.relationship (also db.relationship) and backref: the
// class attribute the file comment describes.
python::Value RelationshipFunction();
python::Value BackrefFunction();

// Called by the declarative mapping of `class_object` into `metadata`:
// registers the class by name (for relationship("Name")) and installs
// the backrefs whose both classes are now mapped.
void MapRelationships(python::CallContext& context,
                      const std::shared_ptr<python::ClassObject>& class_object,
                      const std::shared_ptr<MetaDataValue>& metadata);

}  // namespace sqlmend::sqlalchemy
