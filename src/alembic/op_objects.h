// Alembic's operation objects (alembic.operations.ops: AddColumnOp,
// CreateTableOp, ...) and what op.invoke() does with one.
//
// A revision may build an operation as an object and hand it to
// op.invoke(), which runs it as the op method of the same name would
// (Alembic dispatches each class to that method's implementation). Each
// class here binds its constructor as Alembic 1.8 declares it, keeps the
// arguments (readable as attributes: `.table_name`, `.column`), and
// InvocationOf() turns them back into the op method's name and arguments
// (AlterColumnOp's modify_* becoming nullable=, type_=, ...). Custom
// operations (Operations.register_operation) are not modelled: invoking
// anything else is a located error.
#pragma once

#include <string>

#include "base/status.h"
#include "python/value.h"

namespace sqlmend::alembic {

// The module alembic.operations.ops.
python::Value MakeOperationObjectsModule();

// An operation object's op method ("add_column") and the arguments to call
// it with.
struct Invocation {
  std::string method;
  python::Args args;
};

// What op.invoke(`operation`) calls; TypeError (catchable) for a value that
// is no operation object of this module.
base::Result<Invocation> InvocationOf(python::CallContext& context,
                                      const python::Value& operation);

}  // namespace sqlmend::alembic
