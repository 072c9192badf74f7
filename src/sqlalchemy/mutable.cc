// MakeMutableModule() (mutable.h): sqlalchemy.ext.mutable, written in Python
// so that projects' subclasses override coerce() and call super() as in
// SQLAlchemy.
#include "sqlalchemy/mutable.h"

#include "python/parser.h"

namespace sqlmend::sqlalchemy {

namespace {

constexpr char kMutableSource[] = R"PY(
class MutableBase:
    @classmethod
    def coerce(cls, key, value):
        if value is None:
            return None
        raise ValueError("Attribute '%s' does not accept objects of type <class '%s'>"
                         % (key, type(value).__name__))


class Mutable(MutableBase):
    def changed(self):
        pass

    @classmethod
    def associate_with_attribute(cls, attribute):
        pass

    @classmethod
    def associate_with(cls, sqltype):
        pass

    @classmethod
    def as_mutable(cls, sqltype):
        from sqlalchemy.sql.sqltypes import to_instance
        return to_instance(sqltype)


class MutableComposite(MutableBase):
    def changed(self):
        pass


class _MutableContainer(Mutable):
    # The builtin container the class stands for (dict, list, set).
    _container = None

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            "sqlalchemy.ext.mutable.%s instances are not modelled; "
            "as_mutable() and coerce() are" % type(self).__name__)

    @classmethod
    def coerce(cls, key, value):
        if isinstance(value, cls) or isinstance(value, cls._container):
            return value
        return Mutable.coerce(key, value)


class MutableDict(_MutableContainer):
    _container = dict


class MutableList(_MutableContainer):
    _container = list


class MutableSet(_MutableContainer):
    _container = set
)PY";

}  // namespace

base::Result<python::Value> MakeMutableModule(python::Interpreter& interpreter) {
  auto source = python::EmbeddedModule(kMutableSource, "<sqlalchemy.ext.mutable>");
  if (!source) return base::Fail(source.error());
  return interpreter.RunModule(**source, "sqlalchemy.ext.mutable");
}

}  // namespace sqlmend::sqlalchemy
