// The `dataclasses` module (dataclasses_module.h), written in Python.
#include "python/dataclasses_module.h"

#include <memory>
#include <string>
#include <utility>

#include "python/builtins.h"
#include "python/parser.h"
#include "python/source_modules.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;

constexpr char kDataclassesSource[] = R"PY(
class _MISSING_TYPE:
    def __repr__(self):
        return 'MISSING'


MISSING = _MISSING_TYPE()


class _KW_ONLY_TYPE:
    def __repr__(self):
        return 'KW_ONLY'


KW_ONLY = _KW_ONLY_TYPE()


class FrozenInstanceError(AttributeError):
    pass


class InitVar:
    def __init__(self, type):
        self.type = type


class Field:
    def __init__(self, default, default_factory, init, repr, hash, compare, metadata, kw_only):
        self.name = None
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.hash = hash
        self.compare = compare
        self.metadata = {} if metadata is None else metadata
        self.kw_only = kw_only
        self._field_type = None

    def __repr__(self):
        return ('Field(name=' + repr(self.name) + ',type=' + repr(self.type) +
                ',default=' + repr(self.default) +
                ',default_factory=' + repr(self.default_factory) +
                ',init=' + repr(self.init) + ',repr=' + repr(self.repr) +
                ',hash=' + repr(self.hash) + ',compare=' + repr(self.compare) +
                ',metadata=' + repr(self.metadata) + ',kw_only=' + repr(self.kw_only) +
                ',_field_type=' + str(self._field_type) + ')')


class _DataclassParams:
    def __init__(self, init, repr, eq, order, unsafe_hash, frozen):
        self.init = init
        self.repr = repr
        self.eq = eq
        self.order = order
        self.unsafe_hash = unsafe_hash
        self.frozen = frozen


# Native helpers, set by _install(): the attributes a class itself defines
# (a dict), and deleting one of them.
_own_attributes = None
_delete_attribute = None


def _install(own_attributes, delete_attribute):
    global _own_attributes
    global _delete_attribute
    _own_attributes = own_attributes
    _delete_attribute = delete_attribute


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None,
          compare=True, metadata=None, kw_only=MISSING):
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError('cannot specify both default and default_factory')
    return Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)


# Whether an annotation (its text) names `name`: ClassVar, typing.ClassVar,
# ClassVar[int], 'InitVar[str]'.
def _hint_is(annotation, name):
    if not isinstance(annotation, str):
        return False
    head = annotation.strip().strip('\'"').split('[')[0].strip()
    return head == name or head.endswith('.' + name)


def _has_default(f):
    return f.default is not MISSING or f.default_factory is not MISSING


def _name_list(names):
    quoted = [repr(name) for name in names]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return quoted[0] + ' and ' + quoted[1]
    return ', '.join(quoted[:-1]) + ', and ' + quoted[-1]


def _missing_error(where, names, kind):
    return TypeError(where + ' missing ' + str(len(names)) + ' required ' + kind + ' argument' +
                     ('' if len(names) == 1 else 's') + ': ' + _name_list(names))


def _make_init(class_name, init_fields, set_fields, initvars):
    positional = [f for f in init_fields if not f.kw_only]
    keyword_only = [f for f in init_fields if f.kw_only]
    names = [f.name for f in init_fields]

    def __init__(self, *args, **kwargs):
        where = class_name + '.__init__()'
        if len(args) > len(positional):
            total = len(positional) + 1
            required = len([f for f in positional if not _has_default(f)]) + 1
            takes = str(total) if required == total else 'from ' + str(required) + ' to ' + str(total)
            raise TypeError(where + ' takes ' + takes + ' positional argument' +
                            ('' if total == 1 else 's') + ' but ' + str(len(args) + 1) +
                            ' were given')
        values = {}
        index = 0
        for value in args:
            values[positional[index].name] = value
            index += 1
        for name, value in kwargs.items():
            if name not in names:
                raise TypeError(where + ' got an unexpected keyword argument ' + repr(name))
            if name in values:
                raise TypeError(where + ' got multiple values for argument ' + repr(name))
            values[name] = value
        missing = [f.name for f in positional if f.name not in values and not _has_default(f)]
        if missing:
            raise _missing_error(where, missing, 'positional')
        missing = [f.name for f in keyword_only if f.name not in values and not _has_default(f)]
        if missing:
            raise _missing_error(where, missing, 'keyword-only')
        for f in set_fields:
            if f.init and f.name in values:
                value = values[f.name]
            elif f.default_factory is not MISSING:
                value = f.default_factory()
            elif f.init and f.default is not MISSING:
                value = f.default
            else:
                continue
            setattr(self, f.name, value)
        if hasattr(self, '__post_init__'):
            arguments = []
            for f in initvars:
                arguments.append(values[f.name] if f.name in values else f.default)
            self.__post_init__(*arguments)

    return __init__


def _make_repr(repr_fields):
    def __repr__(self):
        parts = [f.name + '=' + repr(getattr(self, f.name)) for f in repr_fields]
        return type(self).__name__ + '(' + ', '.join(parts) + ')'

    return __repr__


def _make_compare(op, compare_fields):
    def compare(self, other):
        if type(other) is not type(self):
            return NotImplemented
        mine = tuple([getattr(self, f.name) for f in compare_fields])
        theirs = tuple([getattr(other, f.name) for f in compare_fields])
        if op == '==':
            return mine == theirs
        if op == '<':
            return mine < theirs
        if op == '<=':
            return mine <= theirs
        if op == '>':
            return mine > theirs
        return mine >= theirs

    return compare


def _process_class(cls, init, repr_, eq, order, unsafe_hash, frozen, kw_only):
    if order and not eq:
        raise ValueError('eq must be true if order is true')
    fields = {}
    inherited = getattr(cls, '__dataclass_fields__', None)
    if inherited is not None:
        for f in inherited.values():
            fields[f.name] = f
    own = _own_attributes(cls)
    annotations = own.get('__annotations__', {})
    field_kw_only = kw_only
    for name, annotation in annotations.items():
        if _hint_is(annotation, 'KW_ONLY'):
            field_kw_only = True
            continue
        default = own[name] if name in own else getattr(cls, name, MISSING)
        if isinstance(default, Field):
            f = default
        else:
            if isinstance(default, (list, dict, set)):
                raise ValueError('mutable default <class ' + repr(type(default).__name__) +
                                 '> for field ' + name +
                                 ' is not allowed: use default_factory')
            f = field(default=default)
        f.name = name
        f.type = annotation
        if _hint_is(annotation, 'ClassVar'):
            f._field_type = 'classvar'
        elif _hint_is(annotation, 'InitVar'):
            f._field_type = 'initvar'
        else:
            f._field_type = 'field'
        if f.kw_only is MISSING:
            f.kw_only = field_kw_only
        if f._field_type != 'field' and f.default_factory is not MISSING:
            raise TypeError('field ' + name + ' cannot have a default factory')
        if isinstance(default, Field) and name in own:
            if f.default is MISSING:
                _delete_attribute(cls, name)
            else:
                setattr(cls, name, f.default)
        fields[name] = f
    setattr(cls, '__dataclass_fields__', fields)
    setattr(cls, '__dataclass_params__',
            _DataclassParams(init, repr_, eq, order, unsafe_hash, frozen))
    set_fields = [f for f in fields.values() if f._field_type == 'field']
    init_fields = [f for f in fields.values() if f._field_type != 'classvar' and f.init]
    initvars = [f for f in fields.values() if f._field_type == 'initvar']
    if init:
        seen_default = False
        for f in init_fields:
            if f.kw_only:
                continue
            if _has_default(f):
                seen_default = True
            elif seen_default:
                raise TypeError('non-default argument ' + repr(f.name) +
                                ' follows default argument')
        if '__init__' not in own:
            setattr(cls, '__init__', _make_init(cls.__name__, init_fields, set_fields, initvars))
    if repr_ and '__repr__' not in own:
        setattr(cls, '__repr__', _make_repr([f for f in set_fields if f.repr]))
    compare_fields = [f for f in set_fields if f.compare]
    if eq and '__eq__' not in own:
        setattr(cls, '__eq__', _make_compare('==', compare_fields))
    if order:
        for method, op in [('__lt__', '<'), ('__le__', '<='), ('__gt__', '>'), ('__ge__', '>=')]:
            if method in own:
                raise TypeError('Cannot overwrite attribute ' + method + ' in class ' +
                                cls.__name__ + '. Consider using functools.total_ordering')
            setattr(cls, method, _make_compare(op, compare_fields))
    if '__match_args__' not in own:
        setattr(cls, '__match_args__',
                tuple([f.name for f in init_fields if not f.kw_only and f._field_type == 'field']))
    return cls


def dataclass(cls=None, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False,
              frozen=False, match_args=True, kw_only=False, slots=False, weakref_slot=False):
    def wrap(cls):
        return _process_class(cls, init, repr, eq, order, unsafe_hash, frozen, kw_only)

    if cls is None:
        return wrap
    return wrap(cls)


def is_dataclass(obj):
    return hasattr(obj, '__dataclass_fields__')


def _is_dataclass_instance(obj):
    return hasattr(type(obj), '__dataclass_fields__')


def fields(class_or_instance):
    if not hasattr(class_or_instance, '__dataclass_fields__'):
        raise TypeError('must be called with a dataclass type or instance')
    found = getattr(class_or_instance, '__dataclass_fields__')
    return tuple([f for f in found.values() if f._field_type == 'field'])


def _copy_inner(obj, make):
    if _is_dataclass_instance(obj):
        return make([(f.name, _copy_inner(getattr(obj, f.name), make)) for f in fields(obj)])
    if isinstance(obj, list):
        return [_copy_inner(item, make) for item in obj]
    if isinstance(obj, tuple):
        return tuple([_copy_inner(item, make) for item in obj])
    if isinstance(obj, dict):
        return {_copy_inner(key, make): _copy_inner(value, make) for key, value in obj.items()}
    return obj


def asdict(obj, *, dict_factory=dict):
    if not _is_dataclass_instance(obj):
        raise TypeError('asdict() should be called on dataclass instances')
    return _copy_inner(obj, dict_factory)


def _as_tuple(pairs):
    return tuple([value for name, value in pairs])


def astuple(obj, *, tuple_factory=tuple):
    if not _is_dataclass_instance(obj):
        raise TypeError('astuple() should be called on dataclass instances')
    return tuple_factory(_copy_inner(obj, _as_tuple))


def replace(obj, **changes):
    if not _is_dataclass_instance(obj):
        raise TypeError('replace() should be called on dataclass instances')
    for f in getattr(obj, '__dataclass_fields__').values():
        if f._field_type == 'classvar':
            continue
        if not f.init:
            if f.name in changes:
                raise ValueError('field ' + f.name + ' is declared with init=False, ' +
                                 'it cannot be specified with replace()')
            continue
        if f.name not in changes:
            if f._field_type == 'initvar' and f.default is MISSING:
                raise ValueError('InitVar ' + repr(f.name) + ' must be specified with replace()')
            if f._field_type == 'field':
                changes[f.name] = getattr(obj, f.name)
    return type(obj)(**changes)
)PY";

Result<Value> DeleteAttribute(CallContext& c, Args& a) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "_delete_attribute", a, 2, 2));
  a.positional[0].AsClass()->attributes.erase(ToStr(a.positional[1]));
  return Value::None();
}

}  // namespace

Result<Value> MakeDataclassesModule(Interpreter& interpreter) {
  auto source = EmbeddedModule(kDataclassesSource, "<dataclasses>");
  if (!source) return base::Fail(source.error());
  auto module = interpreter.RunModule(**source, "dataclasses");
  if (!module) return module;
  auto install = interpreter.GetAttr(*module, "_install");
  if (!install) return base::Fail(install.error());
  auto installed =
      interpreter.Call(*install, Args{{Value::Builtin("_own_attributes", OwnAttributes),
                                       Value::Builtin("_delete_attribute", DeleteAttribute)},
                                      {}});
  if (!installed) return base::Fail(installed.error());
  return module;
}

}  // namespace sqlmend::python
