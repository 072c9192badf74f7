#include "sqlalchemy/hybrid.h"

#include "python/parser.h"

namespace sqlmend::sqlalchemy {

namespace {

// SQLAlchemy 1.4's ext/hybrid.py, less the comparator proxies (hybrid.h).
constexpr char kHybridSource[] = R"PY(
def _bind(function, first):
    def bound(*args, **kwargs):
        return function(first, *args, **kwargs)
    return bound

class hybrid_method:
    is_attribute = True
    def __init__(self, func, expr=None):
        self.func = func
        self.expr = expr or func
        self.__name__ = func.__name__
    def __get__(self, instance, owner):
        if instance is None:
            return _bind(self.expr, owner)
        return _bind(self.func, instance)
    def expression(self, expr):
        self.expr = expr
        return self

class hybrid_property:
    is_attribute = True
    def __init__(self, fget, fset=None, fdel=None, expr=None, custom_comparator=None,
                 update_expr=None):
        self.fget = fget
        self.fset = fset
        self.fdel = fdel
        self.expr = expr
        self.custom_comparator = custom_comparator
        self.update_expr = update_expr
        self.__name__ = fget.__name__
    def __get__(self, instance, owner):
        if instance is not None:
            return self.fget(instance)
        if self.custom_comparator is not None:
            return self.custom_comparator(owner)
        if self.expr is not None:
            return self.expr(owner)
        return self.fget(owner)
    def __set__(self, instance, value):
        if self.fset is None:
            raise AttributeError("can't set attribute")
        self.fset(instance, value)
    def _copy(self, **kw):
        fields = dict(fget=self.fget, fset=self.fset, fdel=self.fdel, expr=self.expr,
                      custom_comparator=self.custom_comparator, update_expr=self.update_expr)
        fields.update(kw)
        return hybrid_property(**fields)
    @property
    def overrides(self):
        return self
    def getter(self, fget):
        return self._copy(fget=fget)
    def setter(self, fset):
        return self._copy(fset=fset)
    def deleter(self, fdel):
        return self._copy(fdel=fdel)
    def expression(self, expr):
        return self._copy(expr=expr)
    def comparator(self, comparator):
        return self._copy(custom_comparator=comparator)
    def update_expression(self, meth):
        return self._copy(update_expr=meth)
)PY";

}  // namespace

base::Status AddHybridAttributes(python::Interpreter& interpreter, python::ModuleObject& module) {
  auto prelude = python::EmbeddedModule(kHybridSource, "<sqlalchemy.ext.hybrid>");
  if (!prelude) return prelude.error();
  auto defined = interpreter.RunModule(**prelude, "sqlalchemy.ext.hybrid._sqlmend_prelude");
  if (!defined) return defined.error();
  for (const char* name : {"hybrid_property", "hybrid_method"}) {
    auto value = interpreter.GetAttr(*defined, name);
    if (!value) return value.error();
    module.attributes[name] = *value;
  }
  return base::Status::Ok();
}

}  // namespace sqlmend::sqlalchemy
