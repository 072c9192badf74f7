// The standard modules written in Python (source_modules.h).
#include "python/source_modules.h"

#include <memory>
#include <string>
#include <utility>

#include "python/builtins.h"
#include "python/parser.h"

namespace sqlmend::python {
namespace {

using base::Result;

constexpr char kCollectionsSource[] = R"PY(from _sqlmend_collections import namedtuple, OrderedDict


class defaultdict(dict):
    def __init__(self, default_factory=None, *args, **kwargs):
        if default_factory is not None and not callable(default_factory):
            raise TypeError('first argument must be callable or None')
        dict.__init__(self, *args, **kwargs)
        self.default_factory = default_factory

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        value = self.default_factory()
        self[key] = value
        return value

    def __repr__(self):
        return 'defaultdict(%r, %r)' % (self.default_factory, dict(self))

    def copy(self):
        return defaultdict(self.default_factory, self)


class Counter(dict):
    def __init__(self, iterable=None, **kwds):
        dict.__init__(self)
        self.update(iterable, **kwds)

    def __missing__(self, key):
        return 0

    def total(self):
        return sum(self.values())

    def most_common(self, n=None):
        ordered = sorted(self.items(), key=_count_of, reverse=True)
        return ordered if n is None else ordered[:n]

    def elements(self):
        result = []
        for element, count in self.items():
            for _ in range(count):
                result.append(element)
        return iter(result)

    def update(self, iterable=None, **kwds):
        self._count(iterable, kwds, 1)

    def subtract(self, iterable=None, **kwds):
        self._count(iterable, kwds, -1)

    def _count(self, iterable, kwds, sign):
        if iterable is not None:
            if isinstance(iterable, dict):
                for element, count in iterable.items():
                    self[element] = self.get(element, 0) + sign * count
            else:
                for element in iterable:
                    self[element] = self.get(element, 0) + sign
        if kwds:
            self._count(kwds, None, sign)

    def copy(self):
        return Counter(self)

    def __add__(self, other):
        result = Counter()
        for element, count in self.items():
            total = count + other[element]
            if total > 0:
                result[element] = total
        for element, count in other.items():
            if element not in self and count > 0:
                result[element] = count
        return result

    def __sub__(self, other):
        result = Counter()
        for element, count in self.items():
            left = count - other[element]
            if left > 0:
                result[element] = left
        for element, count in other.items():
            if element not in self and count < 0:
                result[element] = 0 - count
        return result

    def __repr__(self):
        if not self:
            return 'Counter()'
        return 'Counter({%s})' % ', '.join(['%r: %r' % item for item in self.most_common()])


def _count_of(item):
    return item[1]


class deque:
    def __init__(self, iterable=(), maxlen=None):
        self.maxlen = maxlen
        self._items = []
        self.extend(iterable)

    def append(self, x):
        self._items.append(x)
        if self.maxlen is not None and len(self._items) > self.maxlen:
            del self._items[0]

    def appendleft(self, x):
        self._items.insert(0, x)
        if self.maxlen is not None and len(self._items) > self.maxlen:
            self._items.pop()

    def pop(self):
        if not self._items:
            raise IndexError('pop from an empty deque')
        return self._items.pop()

    def popleft(self):
        if not self._items:
            raise IndexError('pop from an empty deque')
        return self._items.pop(0)

    def extend(self, iterable):
        for x in list(iterable):
            self.append(x)

    def extendleft(self, iterable):
        for x in list(iterable):
            self.appendleft(x)

    def rotate(self, n=1):
        if self._items:
            n = n % len(self._items)
            if n:
                self._items[:] = self._items[-n:] + self._items[:-n]

    def clear(self):
        self._items.clear()

    def count(self, x):
        return self._items.count(x)

    def index(self, x, *args):
        return self._items.index(x, *args)

    def remove(self, value):
        self._items.remove(value)

    def reverse(self):
        self._items.reverse()

    def copy(self):
        return deque(self._items, self.maxlen)

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(list(self._items))

    def __reversed__(self):
        return iter(self._items[::-1])

    def __getitem__(self, index):
        return self._items[index]

    def __setitem__(self, index, value):
        self._items[index] = value

    def __delitem__(self, index):
        del self._items[index]

    def __contains__(self, x):
        return x in self._items

    def __bool__(self):
        return bool(self._items)

    def __eq__(self, other):
        return isinstance(other, deque) and self._items == other._items

    def __repr__(self):
        if self.maxlen is None:
            return 'deque(%r)' % (self._items,)
        return 'deque(%r, maxlen=%d)' % (self._items, self.maxlen)
)PY";

constexpr char kItertoolsSource[] = R"PY(_MISSING = object()


def chain(*iterables):
    result = []
    for iterable in iterables:
        result.extend(iterable)
    return iter(result)


def _chain_from_iterable(iterables):
    result = []
    for iterable in iterables:
        result.extend(iterable)
    return iter(result)


chain.from_iterable = _chain_from_iterable


def islice(iterable, *args):
    if len(args) == 1:
        start, stop, step = None, args[0], None
    elif len(args) in (2, 3):
        start, stop = args[0], args[1]
        step = args[2] if len(args) == 3 else None
    else:
        raise TypeError('islice expected at most 4 arguments, got %d' % (len(args) + 1))
    start = 0 if start is None else start
    step = 1 if step is None else step
    if start < 0 or (stop is not None and stop < 0):
        raise ValueError('Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.')
    if step < 1:
        raise ValueError('Step for islice() must be a positive integer or None.')
    items = list(iterable)
    return iter(items[start:stop:step])


def groupby(iterable, key=None):
    groups = []
    current = _MISSING
    members = None
    for item in iterable:
        k = item if key is None else key(item)
        if current is _MISSING or k != current:
            members = []
            groups.append((k, members))
            current = k
        members.append(item)
    return iter([(k, iter(members)) for k, members in groups])


def zip_longest(*iterables, fillvalue=None):
    lists = [list(iterable) for iterable in iterables]
    longest = max([len(items) for items in lists]) if lists else 0
    return iter([tuple([items[i] if i < len(items) else fillvalue for items in lists])
                 for i in range(longest)])


def product(*iterables, repeat=1):
    pools = [tuple(pool) for pool in iterables] * repeat
    result = [()]
    for pool in pools:
        result = [x + (y,) for x in result for y in pool]
    return iter(result)


def _pick(iterable, indices_of, keep):
    pool = tuple(iterable)
    result = []
    for indices in indices_of(len(pool)):
        if keep(indices):
            result.append(tuple([pool[i] for i in indices]))
    return iter(result)


def permutations(iterable, r=None):
    pool = tuple(iterable)
    r = len(pool) if r is None else r
    return _pick(pool, lambda n: product(range(n), repeat=r), lambda ix: len(set(ix)) == r)


def combinations(iterable, r):
    return _pick(iterable, lambda n: permutations(range(n), r), lambda ix: sorted(ix) == list(ix))


def combinations_with_replacement(iterable, r):
    return _pick(iterable, lambda n: product(range(n), repeat=r),
                 lambda ix: sorted(ix) == list(ix))


def accumulate(iterable, func=None, *, initial=None):
    result = []
    total = _MISSING
    if initial is not None:
        total = initial
        result.append(total)
    for item in iterable:
        if total is _MISSING:
            total = item
        elif func is None:
            total = total + item
        else:
            total = func(total, item)
        result.append(total)
    return iter(result)


def starmap(function, iterable):
    return iter([function(*args) for args in iterable])


def takewhile(predicate, iterable):
    result = []
    for item in iterable:
        if not predicate(item):
            break
        result.append(item)
    return iter(result)


def dropwhile(predicate, iterable):
    result = []
    dropping = True
    for item in iterable:
        if dropping and predicate(item):
            continue
        dropping = False
        result.append(item)
    return iter(result)


def filterfalse(predicate, iterable):
    if predicate is None:
        return iter([item for item in iterable if not item])
    return iter([item for item in iterable if not predicate(item)])


def compress(data, selectors):
    return iter([d for d, s in zip(data, selectors) if s])


def pairwise(iterable):
    items = list(iterable)
    return iter([(items[i], items[i + 1]) for i in range(len(items) - 1)])


def tee(iterable, n=2):
    items = list(iterable)
    return tuple([iter(list(items)) for _ in range(n)])


def repeat(object, times=None):
    if times is None:
        raise TypeError('itertools.repeat() without times is endless, which sqlmend does not model')
    return iter([object for _ in range(times)])
)PY";

constexpr char kFunctoolsSource[] =
    R"PY(WRAPPER_ASSIGNMENTS = ('__module__', '__name__', '__qualname__', '__doc__', '__annotations__')
WRAPPER_UPDATES = ('__dict__',)
_MISSING = object()


def update_wrapper(wrapper, wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    for attr in assigned:
        try:
            value = getattr(wrapped, attr)
        except AttributeError:
            continue
        try:
            setattr(wrapper, attr, value)
        except (AttributeError, TypeError):
            pass
    wrapper.__wrapped__ = wrapped
    return wrapper


def wraps(wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    def decorator(wrapper):
        return update_wrapper(wrapper, wrapped, assigned, updated)
    return decorator


class partial:
    def __init__(self, func, *args, **keywords):
        if not callable(func):
            raise TypeError('the first argument must be callable')
        if isinstance(func, partial):
            args = func.args + args
            keywords = {**func.keywords, **keywords}
            func = func.func
        self.func = func
        self.args = args
        self.keywords = keywords

    def __call__(self, *args, **keywords):
        return self.func(*self.args, *args, **{**self.keywords, **keywords})


def reduce(function, iterable, initial=_MISSING):
    items = list(iterable)
    if initial is _MISSING:
        if not items:
            raise TypeError('reduce() of empty iterable with no initial value')
        value = items[0]
        items = items[1:]
    else:
        value = initial
    for item in items:
        value = function(value, item)
    return value


def _cached(function):
    memo = {}

    def cached(*args, **kwargs):
        key = (args, tuple(kwargs.items()))
        if key in memo:
            return memo[key]
        value = function(*args, **kwargs)
        memo[key] = value
        return value

    def cache_clear():
        memo.clear()

    update_wrapper(cached, function)
    cached.cache_clear = cache_clear
    return cached


def lru_cache(maxsize=128, typed=False):
    if callable(maxsize) and not isinstance(maxsize, int):
        return _cached(maxsize)
    return _cached


def cache(function):
    return _cached(function)


class cached_property:
    def __init__(self, func):
        self.func = func
        self.attrname = None
        self.__doc__ = getattr(func, '__doc__', None)

    def __set_name__(self, owner, name):
        self.attrname = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = self.func(instance)
        if self.attrname is not None:
            setattr(instance, self.attrname, value)
        return value


_ORDER_FROM = {
    '__lt__': {'__gt__': lambda self, other: _not_op_and_not_eq(self, other, '__lt__'),
               '__le__': lambda self, other: _op_or_eq(self, other, '__lt__'),
               '__ge__': lambda self, other: _not_op(self, other, '__lt__')},
    '__le__': {'__ge__': lambda self, other: _not_op_or_eq(self, other, '__le__'),
               '__lt__': lambda self, other: _op_and_not_eq(self, other, '__le__'),
               '__gt__': lambda self, other: _not_op(self, other, '__le__')},
    '__gt__': {'__lt__': lambda self, other: _not_op_and_not_eq(self, other, '__gt__'),
               '__ge__': lambda self, other: _op_or_eq(self, other, '__gt__'),
               '__le__': lambda self, other: _not_op(self, other, '__gt__')},
    '__ge__': {'__le__': lambda self, other: _not_op_or_eq(self, other, '__ge__'),
               '__gt__': lambda self, other: _op_and_not_eq(self, other, '__ge__'),
               '__lt__': lambda self, other: _not_op(self, other, '__ge__')},
}


def _call(self, other, name):
    return getattr(self, name)(other)


def _not_op_and_not_eq(self, other, name):
    result = _call(self, other, name)
    if result is NotImplemented:
        return result
    return not result and self != other


def _op_or_eq(self, other, name):
    result = _call(self, other, name)
    if result is NotImplemented:
        return result
    return result or self == other


def _not_op(self, other, name):
    result = _call(self, other, name)
    if result is NotImplemented:
        return result
    return not result


def _not_op_or_eq(self, other, name):
    result = _call(self, other, name)
    if result is NotImplemented:
        return result
    return not result or self == other


def _op_and_not_eq(self, other, name):
    result = _call(self, other, name)
    if result is NotImplemented:
        return result
    return result and self != other


def total_ordering(cls):
    own = _own_attributes(cls)
    roots = [name for name in ('__lt__', '__le__', '__gt__', '__ge__')
             if name in own]
    if not roots:
        raise ValueError('must define at least one ordering operation: < > <= >=')
    root = roots[0]
    for name, method in _ORDER_FROM[root].items():
        if name not in roots:
            setattr(cls, name, method)
    return cls


def cmp_to_key(mycmp):
    class K:
        __slots__ = ['obj']

        def __init__(self, obj):
            self.obj = obj

        def __lt__(self, other):
            return mycmp(self.obj, other.obj) < 0

        def __gt__(self, other):
            return mycmp(self.obj, other.obj) > 0

        def __eq__(self, other):
            return mycmp(self.obj, other.obj) == 0

        def __le__(self, other):
            return mycmp(self.obj, other.obj) <= 0

        def __ge__(self, other):
            return mycmp(self.obj, other.obj) >= 0

        __hash__ = None
    return K


# A native helper, set by _install(): the attributes a class itself defines.
_own_attributes = None


def _install(own_attributes):
    global _own_attributes
    _own_attributes = own_attributes
)PY";

constexpr char kHashlibSource[] = R"PY(import _sqlmend_hashlib as _native

algorithms_guaranteed = frozenset(_native.algorithms)
algorithms_available = frozenset(_native.algorithms)


def _check(data):
    if isinstance(data, str):
        raise TypeError('Strings must be encoded before hashing')
    if not isinstance(data, bytes):
        raise TypeError("object supporting the buffer API required")
    return data


class _Hash:
    def __init__(self, name, data=b''):
        self.digest_size, self.block_size = _native.sizes(name)
        self.name = name.lower().replace('-', '_')
        self._data = b''
        self.update(data)

    def update(self, data):
        self._data = self._data + _check(data)

    def digest(self):
        return _native.digest(self.name, self._data)

    def hexdigest(self):
        return self.digest().hex()

    def copy(self):
        return _Hash(self.name, self._data)

    def __repr__(self):
        return '<%s _hashlib.HASH object>' % self.name


def new(name, data=b'', *, usedforsecurity=True, string=None):
    return _Hash(name, data if string is None else string)


def _constructor(name):
    def construct(data=b'', *, usedforsecurity=True, string=None):
        return _Hash(name, data if string is None else string)
    construct.__name__ = 'openssl_' + name
    return construct


md5 = _constructor('md5')
sha1 = _constructor('sha1')
sha224 = _constructor('sha224')
sha256 = _constructor('sha256')
sha384 = _constructor('sha384')
sha512 = _constructor('sha512')
sha3_224 = _constructor('sha3_224')
sha3_256 = _constructor('sha3_256')
sha3_384 = _constructor('sha3_384')
sha3_512 = _constructor('sha3_512')


def blake2b(data=b'', *, digest_size=64, usedforsecurity=True, string=None):
    if digest_size != 64:
        raise NotImplementedError('sqlmend models blake2b with its default digest_size only')
    return _Hash('blake2b', data if string is None else string)


def blake2s(data=b'', *, digest_size=32, usedforsecurity=True, string=None):
    if digest_size != 32:
        raise NotImplementedError('sqlmend models blake2s with its default digest_size only')
    return _Hash('blake2s', data if string is None else string)


def pbkdf2_hmac(hash_name, password, salt, iterations, dklen=None):
    return _native.pbkdf2_hmac(hash_name, _check(password), _check(salt), iterations, dklen)


def scrypt(password, *, salt=None, n=None, r=None, p=None, maxmem=0, dklen=64):
    if salt is None or n is None or r is None or p is None:
        raise TypeError('scrypt() needs salt, n, r and p')
    return _native.scrypt(_check(password), _check(salt), n, r, p, maxmem, dklen)
)PY";

constexpr char kHmacSource[] = R"PY(import hashlib as _hashlib
import _sqlmend_hashlib as _native

compare_digest = _native.compare_digest
digest_size = None


def _digest_name(digestmod):
    if isinstance(digestmod, str):
        return digestmod.lower()
    if callable(digestmod):
        return digestmod().name
    return digestmod.new().name


class HMAC:
    blocksize = 64

    def __init__(self, key, msg=None, digestmod=''):
        if not isinstance(key, bytes):
            raise TypeError('key: expected bytes or bytearray, but got %r' % type(key).__name__)
        if not digestmod:
            raise TypeError("Missing required parameter 'digestmod'.")
        self._digest = _digest_name(digestmod)
        self.digest_size, self.block_size = _native.sizes(self._digest)
        self._key = key
        self._msg = b''
        if msg is not None:
            self.update(msg)

    @property
    def name(self):
        return 'hmac-' + self._digest

    def update(self, msg):
        if not isinstance(msg, bytes):
            raise TypeError("a bytes-like object is required, not '%s'" % type(msg).__name__)
        self._msg = self._msg + msg

    def copy(self):
        other = HMAC(self._key, None, self._digest)
        other._msg = self._msg
        return other

    def digest(self):
        return _native.hmac(self._digest, self._key, self._msg)

    def hexdigest(self):
        return self.digest().hex()


def new(key, msg=None, digestmod=''):
    return HMAC(key, msg, digestmod)


def digest(key, msg, digest):
    return HMAC(key, msg, digest).digest()
)PY";

struct SourceModule {
  std::string_view name;
  const char* source;
};

constexpr SourceModule kSourceModules[] = {
    {"collections", kCollectionsSource},
    {"itertools", kItertoolsSource},
    {"functools", kFunctoolsSource},
    {"hashlib", kHashlibSource},
    {"hmac", kHmacSource},
};

}  // namespace

Result<Value> OwnAttributes(CallContext& c, Args& a) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "_own_attributes", a, 1, 1));
  Value dict = Value::Dict();
  if (!a.positional[0].Is(Value::Kind::kClass)) {
    return base::Fail(c.Unsupported("unsupported: a class decorator on a " +
                                    a.positional[0].TypeName() +
                                    " (classes the script defines are modelled)"));
  }
  for (const auto& [name, value] : a.positional[0].AsClass()->attributes) {
    dict.AsDict().Set(Value::Str(name), value);
  }
  return dict;
}

std::optional<Result<Value>> MakeSourceModule(Interpreter& interpreter, std::string_view name) {
  for (const SourceModule& module : kSourceModules) {
    if (module.name != name) continue;
    auto source = EmbeddedModule(module.source, "<" + std::string(name) + ">");
    if (!source) return base::Fail(source.error());
    auto made = interpreter.RunModule(**source, std::string(name));
    if (!made) return made;
    if (made->AsModule().attributes.contains("_install")) {
      auto install = interpreter.GetAttr(*made, "_install");
      if (!install) return base::Fail(install.error());
      auto installed =
          interpreter.Call(*install, Args{{Value::Builtin("_own_attributes", OwnAttributes)}, {}});
      if (!installed) return base::Fail(installed.error());
    }
    return made;
  }
  return std::nullopt;
}

}  // namespace sqlmend::python
