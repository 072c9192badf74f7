// The interpreter against CPython: each snippet sets `result`, and repr() of
// it must read the same from sqlmend's interpreter and from Debian's
// /usr/bin/python3, which serves as the oracle (it is never a runtime
// dependency). All snippets go through one python3 process. When python3 is
// absent the comparison is skipped, not failed.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "python/interpreter.h"

namespace sqlmend::python {
namespace {

// Class creation: type() with three arguments, metaclasses (their __new__,
// __init__ and __call__, inherited from a base, methods and properties read
// through the class), abc, __init_subclass__, __set_name__, a class's __new__;
// and globals() and locals(), which module-level configuration reads.
const char* const kClassCreationSnippets[] = {
    R"py(class Base:
    SHARED = 1
    def method(self):
        return 1
class Settings(Base):
    DEBUG = False
    SECRET_KEY = 'k'
    _private = 2
s = Settings()
s.extra = 3
def own(names):
    return [n for n in names if not n.startswith('__')]
result = own(dir(Settings)), own(dir(s)), [k for k in dir(Settings) if k.isupper()])py",
    R"py(class Proxy:
    def __init__(self, target):
        self.own = 1
        self._target = target
    def __getattr__(self, name):
        if name.startswith('no_'):
            raise AttributeError(name)
        return getattr(self._target, name)
class Target:
    size = 3
    def hello(self):
        return 'hi'
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return False
p = Proxy(Target())
try:
    with p:
        pass
    protocol = 'entered'
except (TypeError, AttributeError) as e:
    protocol = type(e).__name__ in ('TypeError', 'AttributeError')
result = p.own, p.size, p.hello(), hasattr(p, 'no_x'), getattr(p, 'no_y', 'default'), hasattr(p, 'size'), protocol)py",
    R"py(X = type('X', (), {'a': 1, 'f': lambda self: self.a + 1})
x = X()
result = X.__name__, X.a, x.f(), isinstance(x, X), type(x) is X)py",
    R"py(class Base:
    def hello(self):
        return 'base'
Y = type('Y', (Base,), {'extra': 2})
result = Y().hello(), Y.extra, issubclass(Y, Base), Y.__name__)py",
    R"py(class Meta(type):
    def __new__(mcs, name, bases, attrs):
        attrs['tag'] = name.lower()
        return super().__new__(mcs, name, bases, attrs)
class A(metaclass=Meta):
    pass
class B(A):
    pass
result = A.tag, B.tag, type(A) is Meta, type(B) is Meta, isinstance(A, Meta))py",
    R"py(seen = []
class Meta(type):
    def __init__(cls, name, bases, attrs):
        seen.append((name, sorted(k for k in attrs if not k.startswith('__'))))
        super().__init__(name, bases, attrs)
class A(metaclass=Meta):
    x = 1
    def m(self):
        return 2
class B(A):
    y = 2
result = seen, B().m(), B.x)py",
    R"py(class Registry(type):
    registry = {}
    def __init__(cls, name, bases, d):
        if bases:
            Registry.registry[name] = cls
        type.__init__(cls, name, bases, d)
    @classmethod
    def get(mcs, name):
        return mcs.registry[name]
class Base(metaclass=Registry):
    pass
class One(Base):
    pass
class Two(Base):
    pass
result = sorted(Registry.registry), Base.get('One') is One, One.get('Two') is Two)py",
    R"py(class Singleton(type):
    _instances = {}
    def __call__(cls, *args, **kwargs):
        if cls not in cls._instances:
            cls._instances[cls] = super().__call__(*args, **kwargs)
        return cls._instances[cls]
class Config(metaclass=Singleton):
    def __init__(self, value=0):
        self.value = value
a = Config(5)
b = Config(7)
result = a is b, b.value)py",
    R"py(class Meta(type):
    def describe(cls):
        return 'class ' + cls.__name__
    @property
    def upper(cls):
        return cls.__name__.upper()
class A(metaclass=Meta):
    pass
result = A.describe(), A.upper, A.__class__ is Meta)py",
    R"py(from abc import ABC, abstractmethod
class Shape(ABC):
    @abstractmethod
    def area(self):
        pass
    @abstractmethod
    def name(self):
        pass
class Square(Shape):
    def __init__(self, s):
        self.s = s
    def area(self):
        return self.s * self.s
    def name(self):
        return 'square'
try:
    Shape()
except TypeError as e:
    error = str(e)
result = error, Square(3).area(), isinstance(Square(1), Shape))py",
    R"py(import abc
class Base(metaclass=abc.ABCMeta):
    @abc.abstractmethod
    def run(self):
        pass
    @property
    @abc.abstractmethod
    def label(self):
        pass
class Half(Base):
    def run(self):
        return 1
try:
    Half()
except TypeError as e:
    error = str(e)
result = error, type(Base) is abc.ABCMeta, isinstance(Base, abc.ABCMeta), Base.run.__isabstractmethod__)py",
    R"py(from abc import ABCMeta
def _init(self, name, bases, d):
    cls = self.__class__
    if cls._registry is None:
        cls._registry = dict()
    if cls._initialized:
        cls._registry[d['__module__'] + ':' + name] = self
    cls._initialized = True
    ABCMeta.__init__(self, name, bases, d)
@classmethod
def _get(cls, name):
    return cls._registry[name]
Registry = type('pkg.Registry', (ABCMeta,), {'__init__': _init, '_registry': None, '_initialized': False, 'get': _get})
class Base(metaclass=Registry):
    pass
class Impl(Base):
    pass
result = sorted(Registry._registry), Base.get('__main__:Impl') is Impl, Registry.__name__, type(Impl).__name__)py",
    R"py(class Plugin:
    plugins = []
    def __init_subclass__(cls, key=None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.key = key
        Plugin.plugins.append(cls.__name__)
class A(Plugin, key='a'):
    pass
class B(A):
    pass
result = Plugin.plugins, A.key, B.key)py",
    R"py(class Field:
    def __set_name__(self, owner, name):
        self.name = owner.__name__ + '.' + name
class Model:
    title = Field()
result = Model.title.name, Model.__qualname__, Model.__module__)py",
    R"py(class Counted:
    count = 0
    def __new__(cls, *args):
        Counted.count += 1
        instance = super().__new__(cls)
        instance.made_by_new = True
        return instance
    def __init__(self, value):
        self.value = value
c = Counted(4)
result = c.value, c.made_by_new, Counted.count, type(c).__name__)py",
    R"py(class Meta(type):
    def __new__(mcs, name, bases, ns, **kwargs):
        cls = super().__new__(mcs, name, bases, ns)
        cls.options = kwargs
        return cls
    def __init__(cls, name, bases, ns, **kwargs):
        super().__init__(name, bases, ns)
class A(metaclass=Meta, flavour='x'):
    pass
result = A.options)py",
    R"py(def with_metaclass(meta, *bases):
    class metaclass(type):
        def __new__(cls, name, this_bases, d):
            return meta(name, bases, d)
    return type.__new__(metaclass, 'temporary_class', (), {})
class Meta(type):
    def __new__(mcs, name, bases, d):
        d['via'] = 'meta'
        return type.__new__(mcs, name, bases, d)
class Base:
    pass
class A(with_metaclass(Meta, Base)):
    pass
result = A.via, type(A) is Meta, issubclass(A, Base), A.__name__)py",
    R"py(def tag(f):
    f.tagged = True
    return f
@tag
def g():
    return 1
result = g.tagged, g(), getattr(g, 'missing', None))py",
    R"py(def meta(name, bases, ns):
    ns['made'] = name
    return type(name, bases, ns)
class A(metaclass=meta):
    pass
result = A.made, type(A).__name__)py",
    R"py(class M1(type):
    pass
class M2(type):
    pass
class A(metaclass=M1):
    pass
try:
    class B(A, metaclass=M2):
        pass
except TypeError as e:
    result = str(e))py",
    R"py(class A:
    pass
try:
    class B(A, flavour=1):
        pass
except TypeError as e:
    result = str(e))py",
    R"py(try:
    class B(metaclass=1):
        pass
except TypeError as e:
    result = str(e))py",
    R"py(import abc
class Base(abc.ABC):
    @abc.abstractmethod
    def run(self):
        pass
class Impl(Base):
    def __new__(cls):
        return super().__new__(cls)
    def run(self):
        return 'ran'
class Still(Base):
    def __new__(cls):
        return super().__new__(cls)
try:
    Still()
except TypeError as e:
    error = str(e)
result = Impl().run(), error, sorted(Base.__abstractmethods__), sorted(Impl.__abstractmethods__))py",
    // globals(): a live view of the module's globals.
    R"py(x = 1
g = globals()
y = 2
g.update(z=3)
def f():
    return globals().get('x')
result = g.get('x'), g['y'], z, 'y' in g, g.get('nope', 'd'), g.setdefault('w', 4), w, f(), sorted(k for k in g if len(k) == 1))py",
    R"py(a = 1
locals().update({'b': 2})
def f(x):
    y = x + 1
    d = locals()
    d['z'] = 5
    return sorted(d.items())
class C:
    locals().update(k='v')
result = b, f(1), C.k, locals()['a'])py",
};

const char* const kSnippets[] = {
    // Slice assignment, as Flask-Migrate's env.py drops an empty revision
    // (`directives[:] = []`).
    R"py(a = [1, 2, 3, 4, 5]
a[1:3] = ['x']
b = [1, 2]
b[:] = []
c = [1, 2, 3]
c[5:] = iter([9])
d = [1, 2, 3]
d[-1:] = (7, 8)
e = [1, 2, 3]
e[2:1] = ['y']
class L(list):
    pass
f = L([1, 2])
f[:1] = 'ab'
result = a, b, c, d, e, list(f))py",
    // Arithmetic.
    "result = 7 // 2, -7 // 2, 7 % -3, -7 % 3, 2 ** 10, 2 ** -1",
    "result = 7 / 2, 1 / 3, 0.1 + 0.2, 1e16, 1e-5, 123456789.0, 1.5e300 * 10",
    "result = -7.5 // 2, 7.5 % 2, -0.0, 3 * 1.0, abs(-3), abs(-2.5)",
    "result = 1 << 10, 255 >> 3, 6 & 3, 6 | 3, 6 ^ 3, ~5",
    "result = divmod(17, 5), divmod(-17, 5), round(2.5), round(3.5), round(2.675, 2)",
    "result = int('42'), int('-0x1f', 16), int(3.9), int(-3.9), float('1.5'), float(2)",
    "result = True + True, True * 3, 1 == 1.0, 0.5 == 1/2, None is None",
    "result = 10 - 3 * 2 ** 2 + (4 - 1) * 2",
    "result = min(3, 1, 2), max([4, 9, 2]), min('b', 'a'), sum([1, 2, 3]), sum([0.5, 0.25])",
    "result = max([], default=7), min([3, 1], key=lambda x: -x)",
    // Strings.
    "result = 'ab' + 'cd', 'ab' * 3, 'hello'[1], 'hello'[-1], 'hello'[1:3], 'hello'[::-1]",
    "result = 'a,b,,c'.split(','), ' a  b '.split(), 'a b c'.split(None, 1), 'x=1=2'.split('=', 1)",
    "result = 'a.b.c'.rsplit('.', 1), '  x  '.strip(), 'xxhixx'.strip('x'), '  x'.lstrip(), 'x  "
    "'.rstrip()",
    "result = 'Hello'.lower(), 'Hello'.upper(), 'a-b-c'.replace('-', '+'), 'aaa'.replace('a', 'b', "
    "2)",
    "result = 'abc'.startswith('ab'), 'abc'.endswith(('x', 'c')), 'abcabc'.find('c'), "
    "'abc'.find('z'), 'abcabc'.count('bc')",
    "result = ', '.join(['a', 'b', 'c']), ''.join(reversed('abc')), 'x'.join('abc')",
    "result = 'abc'.capitalize(), 'hello world'.title(), '42'.zfill(5), '-42'.zfill(5), "
    "'ab'.center(6, '*')",
    "result = 'a\\nb\\r\\nc'.splitlines(), 'k=v'.partition('='), 'abc'.isalpha(), '123'.isdigit(), "
    "'a_1'.isidentifier()",
    "result = len('héllo'), 'héllo'[1], 'héllo'.upper(), 'ü' in 'grün'",
    "result = repr('it\\'s'), repr('say \"hi\"'), repr('both \\' and \"'), str(1.0), str(None), "
    "repr('\\t\\x01')",
    "result = 'a' < 'b', 'abc' < 'abd', [1, 2] < [1, 3], (1, 2) < (1, 2, 0), 'B' < 'a'",
    "result = 'abc' 'def', r'\\d+', '\\x41\\u00e9', '''multi\nline'''",
    // Formatting.
    "x = 3.14159\nresult = f'{x:.2f}', f'{x:10.3f}|', f'{x:<10.1f}|', f'{x:^9.2f}|', f'{x:+.1e}'",
    "n = 1234567\nresult = f'{n:,}', f'{n:_}', f'{n:>12,}', f'{n:x}', f'{n:#x}', f'{n:o}', "
    "f'{n:b}', f'{n:08d}'",
    "name = 'ab'\nresult = f'{name!r}', f'{name:>5}', f'{name:*<5}', f'{name!r:>6}', f'{{literal}} "
    "{name}'",
    "v = 0.25\nresult = f'{v:%}', f'{v:.1%}', f'{v:g}', f'{1e20:g}', f'{1234.5:.3g}', f'{v}'",
    "w = 8\nresult = f'{42:{w}d}|', f'{\"x\":>{w}}|', f'{-5:05d}', f'{5:+d}', f'{5: d}'",
    "x = 5\nresult = f'{x=}', f'{x + 1 = }', f'{[1, 2]}', f'{ {\"a\": 1} }'",
    "result = format(3.5, '.3f'), format(10, 'x'), format('s', '>3'), format(1.0, '.2'), "
    "format(1e-7, '.3')",
    "result = '%s-%d' % ('a', 5), '%5.2f|' % 3.14159, '%-5s|' % 'ab', '%05d' % 42, '%x %X %o' % "
    "(255, 255, 8)",
    "result = '%(a)s and %(b)r' % {'a': 1, 'b': 'two'}, '%%d' % (), '%s' % [1, 2], '%r' % 'q', "
    "'%+d' % 3",
    "result = '{} {}'.format(1, 'a'), '{1} {0}'.format('a', 'b'), '{x}-{y}'.format(x=1, y=2)",
    "result = '{:>8.3f}|'.format(2.5), '{0[1]}'.format([5, 6]), '{d[k]}'.format(d={'k': 'v'}), "
    "'{!r}'.format('s')",
    "result = '{:,}'.format(1000000), '{:^10}|'.format('mid'), '{{}}'.format(), "
    "'{:.2%}'.format(0.5)",
    "result = '%.3e' % 12345.678, '%g' % 0.0001, '%g' % 1234567.0, '%i' % 3.7, '%c' % 65",
    // bytes.
    R"py(x = b'ab\x00\xff'
result = x, len(x), x[0], x[-1], x[1:3], x[::-1], list(x), x == b'ab\x00\xff', x == 'ab', bool(b''))py",
    R"py(result = rb'\x00\d', b'\u00e9\N{x}', Rb'a' b'b', b"it's", b'say "hi"', b'\t\n\r\\', b'\777', b'\101\x41')py",
    R"py(result = b'a' in b'xay', 97 in b'a', 98 not in b'a', b'' + b'c' * 3, 2 * b'ab', b'a' < b'b', b'\xff' > b'a', sorted([b'b', b'', b'a']))py",
    R"py(result = bytes(), bytes(3), bytes([65, 66, 0]), bytes(b'x'), bytes('é', 'utf-8'), bytes('é', encoding='latin-1'), bytes(range(3)), bytes((1,)))py",
    R"py(result = 'é'.encode(), 'é€'.encode('utf8'), 'é'.encode('latin-1'), 'ab'.encode('ascii'), 'a€é'.encode('ascii', 'replace'), 'a€😀'.encode('ascii', 'backslashreplace'), 'a€'.encode('latin1', 'xmlcharrefreplace'), 'a€'.encode('ascii', 'ignore'))py",
    R"py(result = b'\xc3\xa9'.decode(), b'\xe9'.decode('latin-1'), b'ab'.decode('ascii'), str(b'\xc3\xa9', 'utf-8'), str(b'x', encoding='ascii'), b'a\xffb\xe2\x82'.decode('utf-8', 'replace'), b'a\xffb'.decode('utf-8', 'ignore'), b'\xff\xe2\x82'.decode('utf-8', 'backslashreplace'))py",
    R"py(result = str(b'a'), repr(b"'"), f'{b"x"}', '%s' % b'y', '{}'.format(b'z'), str([b'a']), {b'k': 1}[b'k'], {b'a' + b'b': 2}[b'ab'], b'ab' in {b'ab'}, len({b'a', b'a', 'a'}))py",
    R"py(result = isinstance(b'', bytes), isinstance('', bytes), isinstance(b'', str), type(b'').__name__, bytes.__name__, ord(b'a'), int(b'-12'), [c for c in b'hi'])py",
    R"py(t = bytes.maketrans(b"\t !#$%&'()*+,./:;<=>?@[\\]^{|}~", b"______________________________")
result = 'a b/c'.encode('utf8').translate(t), b'abc'.translate(None, b'b'), len(t), t[32])py",
    R"py(result = bytes.fromhex('de ad BEEF'), b'\xde\xad'.hex(), b'\x01\x02\x03'.hex(':'), b'\x01\x02\x03'.hex('-', 2), b''.hex())py",
    R"py(result = b'a,b,,c'.split(b','), b' a  b '.split(), b'a.b.c'.rsplit(b'.', 1), b' x '.strip(), b'xxhixx'.strip(b'x'), b'  x'.lstrip(), b'x '.rstrip())py",
    R"py(result = b'Hello'.lower(), b'Hello'.upper(), b'a-b'.replace(b'-', b'+'), b'abc'.startswith(b'ab'), b'abc'.endswith((b'x', b'c')), b'-'.join([b'a', b'b']), b''.join([]))py",
    R"py(result = b'abcabc'.find(b'c'), b'abc'.find(99), b'abc'.rfind(b'z'), b'abcabc'.count(b'bc'), b'ab'.count(b''), b'abcabc'.index(b'b'), b'abcabc'.rindex(b'b'))py",
    R"py(result = b'k=v'.partition(b'='), b'a=b=c'.rpartition(b'='), b'x'.partition(b'='), b'a\nb\r\nc'.splitlines(), b'42'.zfill(5), b'ab'.center(5, b'-'), b'ab'.ljust(4), b'ab'.rjust(4, b'*'))py",
    R"py(result = b'abc'.isalpha(), b'12'.isdigit(), b'a1'.isalnum(), b' '.isspace(), b'AB'.isupper(), b'ab'.islower(), b'\xff'.isascii(), b''.isascii(), b'abc def'.title(), b'aBC'.capitalize(), b'xab'.removeprefix(b'x'), b'abx'.removesuffix(b'x'))py",
    R"py(result = 'ab'.center(5), 'ab'.center(6, '*'), 'abc'.center(6), 'é'.center(4, '-'), 'a'.ljust(3, 'é'), 'é'.zfill(3))py",
    R"py(def err(f):
    try:
        return f()
    except Exception as e:
        return type(e).__name__ + ': ' + str(e)
result = [err(f) for f in [
    lambda: b'a' + 'b', lambda: 'a' + b'b', lambda: 'x' in b'x', lambda: 300 in b'x', lambda: b'ab'[5],
    lambda: b'a' < 'b', lambda: bytes('x'), lambda: bytes(-1), lambda: bytes(None), lambda: bytes([300]),
    lambda: bytes(['a']), lambda: bytes.fromhex('zz'), lambda: bytes.fromhex('a'), lambda: b'a'.translate(b'x'),
    lambda: bytes.maketrans(b'a', b'bc'), lambda: b'a'.split('a'), lambda: b'a'.join(['a']),
    lambda: b'a'.startswith('a'), lambda: b'a'.replace('a', 'b'), lambda: b'a'.strip('a'), lambda: 'a'.strip(b'a'),
    lambda: str('x', 'utf-8'), lambda: 'a'.split(b'x'),
    lambda: 'a'.join([b'x']), lambda: 'a'.startswith(b'x'), lambda: b'a'.center(4, 'x'), lambda: 'a'.center(4, 'xx'),
    lambda: 'a'.center(4, b'x'), lambda: b'abc'.index(b'z'), lambda: format(b'x', '5'), lambda: b'a'.partition(b'')]])py",
    R"py(def err(f):
    try:
        return f()
    except UnicodeError as e:
        return type(e).__name__ + ': ' + str(e)
result = [err(f) for f in [
    lambda: b'\xff'.decode(), lambda: b'a\xe2\x82'.decode(), lambda: b'\xe2(\xa1'.decode(), lambda: b'\xed\xa0\x80'.decode(),
    lambda: b'\xf0\x9f\x98'.decode(), lambda: b'\x80\x80'.decode(), lambda: b'\xe0\x80\x80'.decode(),
    lambda: b'\xf4\x90\x80\x80'.decode(), lambda: b'\xe2\x82a'.decode(), lambda: b'a\xc3\xa9'.decode('ascii'),
    lambda: 'é€'.encode('ascii'), lambda: 'aé'.encode('ascii'), lambda: 'a€'.encode('latin-1'), lambda: '😀'.encode('ascii'),
    lambda: b'\xe2\x82\xac\xff'.decode('utf-8', 'replace')]])py",
    // Containers.
    "xs = [3, 1, 2]\nxs.append(4)\nxs.extend([5])\nxs.insert(0, 9)\nresult = xs, xs.pop(), "
    "xs.pop(0), xs.index(2), xs",
    "xs = [1, 2, 3, 4, 5, 6]\nresult = xs[1:4], xs[::2], xs[-2:], xs[:-2], xs[::-2], xs[10:], "
    "xs[-100:2]",
    "xs = [1, 2, 3]\nys = xs\nys.append(4)\nresult = xs, xs is ys, xs == [1, 2, 3, 4], xs * 2, [0] "
    "* 3",
    "xs = [5, 2, 8]\nxs.sort()\nys = [5, 2, 8]\nys.sort(reverse=True)\nresult = xs, ys, "
    "sorted('bca'), xs.count(2)",
    "xs = [1, 2, 2, 3]\nxs.remove(2)\nxs.reverse()\nresult = xs, xs.copy(), len(xs), 2 in xs, 7 "
    "not in xs",
    "t = (1, 2, 3)\nresult = t, (1,), (), t[0], t[1:], t + (4,), t.index(2), t.count(3), len(t)",
    "d = {'b': 1, 'a': 2}\nd['c'] = 3\nd['b'] = 4\nresult = d, list(d), list(d.keys()), "
    "list(d.values()), list(d.items())",
    "d = {'a': 1}\nresult = d.get('a'), d.get('z'), d.get('z', 0), d.setdefault('b', 2), "
    "d.setdefault('a', 9), d",
    "d = {'a': 1, 'b': 2}\nd.update({'c': 3}, d=4)\nv = d.pop('a')\nresult = v, d, d.pop('x', "
    "None), 'b' in d, len(d)",
    "d = {'a': 1}\ne = {**d, 'b': 2}\ndel e['a']\nresult = e, dict(a=1, b=2), dict([('x', 1)]), "
    "{1: 'a', True: 'b'}",
    "s = {3, 1, 2}\ns.add(4)\ns.discard(1)\nresult = sorted(s), 3 in s, len(s), sorted(s | {9}), "
    "sorted(s & {2, 3}), sorted(s - {2})",
    "result = set(), {1, 2} == {2, 1}, sorted(set('hello')), sorted({1, 1, 2})",
    "result = list(range(5)), list(range(2, 10, 3)), list(range(5, 0, -2)), list(range(0)), "
    "len(range(10))",
    "result = list(enumerate('ab')), list(enumerate('ab', 1)), list(zip([1, 2, 3], 'ab')), "
    "list(reversed([1, 2]))",
    "result = any([0, '', 1]), all([1, 'a']), all([]), any([]), list(map(str, [1, 2])), "
    "list(filter(None, [0, 1, 2]))",
    "result = bool([]), bool([0]), bool(''), bool(0.0), bool(None), bool({}), bool((0,))",
    "result = [[1, 2], [3]][0][1], {'a': [1, {'b': 2}]}['a'][1]['b'], [1, 2, 3][-1]",
    // Comprehensions.
    "result = [x * x for x in range(5) if x % 2 == 0]",
    "result = {k: v for k, v in [('a', 1), ('b', 2)]}, {x % 3 for x in range(10)} == {0, 1, 2}",
    "result = [(x, y) for x in range(3) for y in range(x)], sum(x for x in range(4))",
    "result = [y for row in [[1, 2], [3]] for y in row if y > 1], [c.upper() for c in 'ab']",
    "x = 'outer'\nys = [x for x in 'ab']\nresult = x, ys",
    // Unpacking.
    "a, b = 1, 2\na, b = b, a\nresult = a, b",
    "a, *rest = [1, 2, 3, 4]\n*init, last = 'abc'\nfirst, *mid, end = range(5)\nresult = a, rest, "
    "init, last, mid",
    "(a, b), c = (1, 2), 3\nfor i, (x, y) in enumerate([(1, 2), (3, 4)]):\n    pass\nresult = a, "
    "b, c, i, x, y",
    "a = b = []\na.append(1)\nresult = b, [*range(3), *'ab'], (*[1, 2],)",
    "x: int = 5\ny: str\nresult = x",
    // Control flow.
    "out = []\nfor i in range(10):\n    if i == 2:\n        continue\n    if i == 5:\n        "
    "break\n    out.append(i)\nelse:\n    out.append('else')\nresult = out",
    "out = []\nfor i in range(3):\n    out.append(i)\nelse:\n    out.append('done')\nresult = out",
    "i = 0\nwhile i < 10:\n    i += 3\nelse:\n    i = -i\nresult = i",
    "n = 15\nif n % 15 == 0:\n    r = 'fizzbuzz'\nelif n % 3 == 0:\n    r = 'fizz'\nelse:\n    r = "
    "n\nresult = r",
    "result = [('fizz' if i % 3 == 0 else i) for i in range(1, 5)], 1 < 2 < 3, 1 < 3 < 2, 0 or "
    "'x', 1 and 0, None or []",
    "x = 5\nx += 2\nx *= 3\nx -= 1\nx //= 4\nx **= 2\nx %= 7\nresult = x",
    "s = 'a'\ns += 'b'\nxs = [1]\nys = xs\nxs += [2]\nresult = s, xs, ys",
    // Functions and closures.
    "def f(a, b=2, *args, c, d=4, **kw):\n    return a, b, args, c, d, kw\nresult = f(1, c=3), "
    "f(1, 5, 6, 7, c=8, e=9)",
    "def outer():\n    count = 0\n    def inc():\n        nonlocal count\n        count += 1\n     "
    "   return count\n    inc()\n    inc()\n    return inc()\nresult = outer()",
    "def make(n):\n    return lambda x: x * n\ndoubles = make(2)\nresult = doubles(5), (lambda *a, "
    "**k: (a, k))(1, b=2)",
    "fs = [lambda: i for i in range(3)]\nresult = [f() for f in fs]",
    "def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\nresult = fact(20)",
    "counter = 0\ndef bump():\n    global counter\n    counter += 10\nbump()\nbump()\nresult = "
    "counter",
    "def f(*args, **kwargs):\n    return args, kwargs\nargs = [1, 2]\nkw = {'x': 3}\nresult = "
    "f(*args, *args, **kw), f()",
    "def deco(fn):\n    def wrapper(*a):\n        return ('wrapped', fn(*a))\n    return "
    "wrapper\n@deco\ndef g(x):\n    return x + 1\nresult = g(1), g.__name__",
    "def f():\n    pass\nresult = f(), (lambda: None)()",
    "def f(x):\n    if x:\n        return 'yes'\nresult = f(1), f(0)",
    // Sorting.
    "people = [('bob', 25), ('alice', 30), ('carol', 25)]\nresult = sorted(people, key=lambda p: "
    "p[1]), sorted(people, key=lambda p: (-p[1], p[0]))",
    "result = sorted(['b', 'A', 'c'], key=str.lower) if False else sorted(['b', 'A', 'c'], "
    "key=lambda s: s.lower()), sorted([3, 1, 2], reverse=True)",
    "result = sorted({'b': 1, 'a': 2}.items()), sorted([[2, 1], [1, 2], [1]])",
    // Classes.
    R"py(class P:
    def __init__(self):
        self._x = 1
        self.log = []
    @property
    def x(self):
        return self._x
    @x.setter
    def x(self, value):
        self.log.append(value)
        self._x = value * 2
    @x.deleter
    def x(self):
        pass
    def _get_y(self):
        return 'y'
    y = property(_get_y)
    z = property(fset=lambda self, v: self.log.append(('z', v)))
class Q(P):
    @P.x.getter
    def x(self):
        return -self._x
def err(f):
    try:
        return f()
    except AttributeError as e:
        return str(e)
p = P()
p.x = 5
p.z = 3
q = Q()
q.x = 4
result = p.x, p.log, p.y, err(lambda: setattr(p, 'y', 1)), err(lambda: p.z), q.x, q.log, type(P.x).__name__, P.x.fset is not None, P.y.fset)py",
    "class A:\n    kind = 'a'\n    def __init__(self, x):\n        self.x = x\n    def "
    "get(self):\n        return self.x * 2\na = A(4)\nresult = a.get(), a.kind, A.kind, a.x",
    "class Base:\n    def hello(self):\n        return 'base ' + self.name()\n    def "
    "name(self):\n        return 'B'\nclass Child(Base):\n    def name(self):\n        return "
    "'C'\nresult = Child().hello(), Base().hello(), isinstance(Child(), Base), issubclass(Child, "
    "Base)",
    "class Counter:\n    total = 0\n    def add(self, n=1):\n        Counter.total += n\n        "
    "return self\nc = Counter()\nc.add().add(5)\nresult = Counter.total, hasattr(c, 'add'), "
    "hasattr(c, 'nope'), getattr(c, 'nope', 'dflt')",
    "class P:\n    def __init__(self, **kw):\n        for k, v in kw.items():\n            "
    "setattr(self, k, v)\np = P(a=1, b='x')\nresult = p.a, p.b, type(p).__name__ if False else "
    "P.__name__",
    "class A:\n    def __init__(self, x):\n        self.x = x\nclass B(A):\n    def __init__(self, "
    "x, y):\n        super().__init__(x)\n        self.y = y\nb = B(1, 2)\nresult = b.x, b.y",
    "class T:\n    n = 2\n    @staticmethod\n    def s(a):\n        return a * 10\n    "
    "@classmethod\n    def c(cls, a):\n        return cls.n + a\n    @property\n    def p(self):\n "
    "       return self.n * 3\nt = T()\nresult = T.s(1), t.s(2), T.c(1), t.c(2), t.p",
    "class R:\n    def __init__(self):\n        self._d = 'a'\n    @property\n    def d(self):\n"
    "        return self._d\n    @d.setter\n    def d(self, v):\n        self._d = v * 2\n"
    "    def _get(self):\n        return 5\n    def _set(self, v):\n        self.got = v\n"
    "    both = property(_get, _set)\n    ro = property(_get)\n"
    "r = R()\nr.d = 'b'\nr.both = 9\ntry:\n    r.ro = 1\n    err = None\n"
    "except AttributeError as e:\n    err = str(e)\nresult = r.d, r._d, r.both, r.got, err",
    "class E(Exception):\n    def __init__(self, msg, code):\n        super().__init__(msg)\n      "
    "  self.code = code\ntry:\n    raise E('boom', 7)\nexcept E as e:\n    result = str(e), "
    "e.code, e.args",
    "result = type(1).__name__, type('s').__name__, type([]).__name__, type(None).__name__, "
    "type(1.0) is float, type(True) is bool",
    "class K:\n    pass\nresult = type(K()).__name__, type(K()) is K, sorted(['b', 'A', 'c'], "
    "key=str.lower), str.upper('x')",
    "class P:\n    name = 'pt'\nresult = '{0.name} {p.name}'.format(P(), p=P()), "
    "'{0.real}'.format(5) if False else '{d[a]}'.format(d={'a': 1})",
    "class V:\n    def __init__(self, n):\n        self.n = n\n    def __repr__(self):\n        "
    "return f'V({self.n})'\nclass W(V):\n    def __str__(self):\n        return 'w' + "
    "str(self.n)\nresult = str(V(1)), repr(W(2)), str(W(2)), f'{W(3)}|{W(3)!r}', '%s %r' % (W(4), "
    "W(4)), '{}'.format(V(5))",
    "def stub(): ...\nresult = stub(), ..., str(...)",
    // Operator overloading: special methods, reflection, NotImplemented.
    "class M:\n    def __init__(self, n):\n        self.n = n\n    def __add__(self, o):\n"
    "        return M(self.n + (o.n if isinstance(o, M) else o))\n    def __radd__(self, o):\n"
    "        return M(o * 100 + self.n)\n    def __sub__(self, o):\n        return NotImplemented\n"
    "    def __neg__(self):\n        return M(-self.n)\n    def __repr__(self):\n        "
    "return f'M({self.n})'\nresult = M(1) + M(2), M(1) + 5, 5 + M(1), -M(3), sum([M(1), M(2)], "
    "M(0))",
    "class M:\n    def __sub__(self, o):\n        return NotImplemented\ntry:\n    M() - 1\n"
    "except TypeError as e:\n    result = str(e)",
    "class V:\n    def __init__(self, n):\n        self.n = n\n    def __eq__(self, o):\n"
    "        return isinstance(o, V) and o.n == self.n\n    def __lt__(self, o):\n        return "
    "self.n < o.n\n    def __gt__(self, o):\n        return self.n > o.n\nresult = V(1) == V(1), "
    "V(1) != V(2), V(1) == 1, V(1) < V(2), V(2) > V(1), V(3) < V(2), 1 < 2 < 3, 1 < 3 < 2",
    "class Q:\n    def __eq__(self, o):\n        return 'eq-' + str(o)\n    def __lt__(self, o):\n"
    "        return 'lt-' + str(o)\nresult = Q() == 5, 5 == Q(), Q() < 1, 1 > Q(), (Q() < 1) "
    "and 'x'",
    "class B:\n    def __init__(self, v):\n        self.v = v\n    def __bool__(self):\n        "
    "return self.v > 0\nclass L:\n    def __len__(self):\n        return 0\nresult = bool(B(1)), "
    "bool(B(0)), not B(0), bool(L()), [x.v for x in [B(1), B(0), B(2)] if x], 'y' if B(5) else "
    "'n', any([B(0), B(3)]), all([B(1), L()])",
    "class N:\n    def __init__(self, v):\n        self.v = v\n    def __float__(self):\n"
    "        return self.v / 2\n    def __int__(self):\n        return int(self.v)\n    def "
    "__len__(self):\n        return 3\n    def __abs__(self):\n        return N(abs(self.v))\n"
    "    def __round__(self, n=None):\n        return 'r' + str(n)\n    def __eq__(self, o):\n"
    "        return isinstance(o, N) and o.v == self.v\nresult = float(N(3)), int(N(7.9)), "
    "len(N(1)), abs(N(-4)).v, round(N(1)), round(N(1), 2), [N(1), N(2)] == [N(1), N(2)], "
    "(N(1),) != (N(2),), [N(1)] == [N(2)]",
    "class C:\n    def __contains__(self, item):\n        return item % 2 == 0\nresult = 2 in "
    "C(), 3 in C(), 3 not in C()",
    "class F:\n    def __init__(self, bits):\n        self.bits = bits\n    def __and__(self, o):\n"
    "        return F(self.bits & o.bits)\n    def __or__(self, o):\n        return F(self.bits | "
    "o.bits)\n    def __invert__(self):\n        return F(~self.bits & 7)\nresult = (F(6) & "
    "F(3)).bits, (F(4) | F(1)).bits, (~F(5)).bits",

    // Files and pathlib (the snippet writes its data file with CPython's
    // open() only when run by CPython; sqlmend reads the file CPython left).
    "from pathlib import Path, PurePath\np = Path('/srv/app') / 'migrations' / 'data.seed.json'\n"
    "result = str(p), p.name, p.stem, p.suffix, str(p.parent), p.parts, str(p.with_suffix('.sql')), "
    "str(p.with_name('x.txt')), str('/tmp' / PurePath('a')), str(Path('a', 'b/', './c')), "
    "isinstance(p, Path), Path('x') == Path('./x'), str(Path('/etc').joinpath('a', 'b'))",
    // re.
    "import re\nm = re.match(r'(?P<table>\\w+)_(\\d+)', 'user_42_x')\nresult = m.group(0), "
    "m.group(1), m.group('table', 2), m.groups(), m.groupdict(), m.start(2), m.end(), m.span(1), "
    "m['table'], bool(re.search('x$', 'abx')), re.match('b', 'ab'), re.fullmatch('a.', 'ab') is "
    "not None",
    "import re\nresult = re.sub(r'(\\w+)@(\\w+)', r'\\2 at \\g<1>', 'me@host, you@there'), "
    "re.sub('[aeiou]', lambda m: m.group(0).upper(), 'migration', count=2), re.findall(r'\\d+', "
    "'a1b22c333'), re.findall(r'(\\w)=(\\d)', 'a=1,b=2'), re.split(r',\\s*', 'a, b,c'), "
    "re.split('(-)', 'x-y'), [m.span() for m in re.finditer('é', 'éaé')], re.escape('a.b*c'), "
    "re.sub('x*', '-', 'abc')",
    "import re\npat = re.compile(r'^ix_(.*)$', re.I | re.M)\nresult = pat.match('IX_one').group(1), "
    "pat.findall('ix_a\\nix_b'), pat.pattern, pat.groups, re.search('A', 'xa', re.IGNORECASE) is "
    "not None, re.match('.', '\\n', re.S) is not None",
    // Generators.
    "def chunks(items, size):\n    for i in range(0, len(items), size):\n        yield "
    "items[i:i + size]\ndef flat(groups):\n    for g in groups:\n        yield from g\n    "
    "yield 'end'\ng = chunks([1, 2, 3, 4, 5], 2)\nfirst = next(g)\nresult = first, list(g), "
    "list(g), list(flat([[1], [2, 3]])), [x * 2 for x in chunks('abc', 1)], next(iter([]) if "
    "False else chunks([], 1), 'none'), sum(x for x in range(4)), type(g).__name__",
    "def gen():\n    yield 1\n    return\n    yield 2\nlog = []\ndef lazy():\n    "
    "log.append('ran')\n    yield 1\nx = lazy()\nbefore = list(log)\nresult = list(gen()), "
    "before, list(x), log",
    "import datetime as dt\nd = dt.datetime(2024, 2, 28, 23, 30)\nresult = d + dt.timedelta(hours=1), "
    "d - dt.datetime(2024, 1, 1), dt.date(2024, 3, 1) - dt.date(2023, 3, 1), dt.date(2024, 1, "
    "31) + dt.timedelta(days=1, hours=30), dt.date(2024, 1, 1) - dt.timedelta(hours=1), "
    "dt.timedelta(days=1) * 3, 2 * dt.timedelta(minutes=1), dt.timedelta(hours=3) / "
    "dt.timedelta(minutes=7), dt.timedelta(hours=3) // dt.timedelta(minutes=7), "
    "-dt.timedelta(seconds=5), dt.timedelta(days=1) / 4, dt.timedelta(seconds=7) // 2, "
    "dt.timedelta(1) + d, dt.datetime.utcfromtimestamp(86400 * 365.25), d - d == "
    "dt.timedelta(0), d + dt.timedelta(days=-1) < d",
    "import datetime as dt\ntry:\n    dt.date(9999, 12, 31) + dt.timedelta(days=1)\nexcept "
    "OverflowError as e:\n    result = str(e)",
    "result = 10 % 3.5, -3 ** 2, (-3) ** 2, 2 ** 3 ** 2, 7 // -2.0, 1e308 * 10, -1e308 * 10",
    "result = 0.1 * 3, 1/3 * 3, 2.0 ** 0.5, 100.0, 1e15, 12345678901234567.0, 0.000123",
    "result = round(0.5), round(1.5), round(-0.5), round(2.345, 1), round(7, 2), int('  12 ')",
    "result = str(123), str(-0.5), str([1, 'a']), str((1,)), str({'a': None}), str(True)",
    "result = 'abc'[5:], 'abc'[-5:], 'abc'[1:1], 'abcdef'[1:5:2], 'abcdef'[5:1:-2], [1, 2, "
    "3][::-1]",
    "result = '%s' % None, '%s %s' % (1, [2]), '%5.1f%%' % 99.55, '%-6d|' % 5, '% d' % 5, '%#x' % "
    "255",
    "result = f'{3.0:g}', f'{0.00001234:g}', f'{123456789:e}', f'{1.5:10}|', f'{-1.5:<8}|', "
    "f'{10:^7d}|'",
    "result = f'{1e6:,.2f}', f'{-1234.5:,}', f'{0:b}', f'{255:#o}', f'{65:c}', f'{True}', "
    "f'{None!s:>5}'",
    "result = f'{\"nested\"!r}', f'{3:03}', f'{-3:03}', f'{3.14159:.0f}', f'{2.5:.0f}', "
    "f'{0.125:.2f}'",
    "result = '{:<5}|{:>5}|'.format('a', 'b'), '{0}{1}{0}'.format('x', 'y'), '{:+.2f}'.format(1), "
    "'{:5d}'.format(3)",
    "result = 'a b  c'.split(' '), ''.split(), ''.split(','), 'abc'.split('abc'), "
    "'1,2,3'.split(',', -1)",
    "result = '  a b  '.split(None, 1), 'a b c d'.rsplit(None, 2), 'a.b.c'.split('.', 0), '  a b "
    "c'.rsplit(None, 1)",
    "result = sorted([3, 1, 2], key=lambda x: x % 2), sorted([(1, 'b'), (1, 'a'), (0, 'z')]), "
    "sorted('Banana')",
    "result = max('apple', 'fig', key=len), min([(2, 'a'), (1, 'b')]), max(1, 2.5), min(-1, False)",
    "d = {}\nfor w in 'the cat the hat'.split():\n    d[w] = d.get(w, 0) + 1\nresult = d, "
    "sorted(d, key=d.get), max(d, key=lambda k: d[k])",
    "xs = [1, 2, 3]\nxs[0] = 10\nxs[-1] += 5\nd = {'a': [1]}\nd['a'].append(2)\nd['b'] = "
    "d.get('b', 0) + 1\nresult = xs, d",
    "class Node:\n    count = 0\n    def __init__(self, v, children=None):\n        self.v = v\n   "
    "     self.children = children or []\n        Node.count += 1\n    def total(self):\n        "
    "return self.v + sum(c.total() for c in self.children)\nt = Node(1, [Node(2), Node(3, "
    "[Node(4)])])\nresult = t.total(), Node.count",
    "def gen_ops():\n    ops = []\n    for table in ['a', 'b']:\n        for col in ('x', 'y'):\n  "
    "          ops.append(f'{table}.{col}')\n    return ops\nresult = gen_ops()",
    "def f(a, *, b):\n    return a + b\ntry:\n    f(1, 2)\nexcept TypeError as e:\n    result = "
    "str(e)",
    "def f(a):\n    return a\ntry:\n    f(1, a=2)\nexcept TypeError as e:\n    result = str(e)",
    "def f(a):\n    return a\ntry:\n    f(b=2)\nexcept TypeError as e:\n    result = str(e)",
    "try:\n    [1, 2].index(5)\nexcept ValueError as e:\n    result = str(e)",
    "try:\n    int('4.5')\nexcept ValueError as e:\n    result = str(e)",
    "try:\n    float('x')\nexcept ValueError as e:\n    result = str(e)",
    "try:\n    1 < 'a'\nexcept TypeError as e:\n    result = str(e)",
    "try:\n    [] + ()\nexcept TypeError as e:\n    result = str(e)",
    "try:\n    len(None)\nexcept TypeError as e:\n    result = str(e)",
    "try:\n    None()\nexcept TypeError as e:\n    result = str(e)",
    "try:\n    x = {}\n    x.missing\nexcept AttributeError as e:\n    result = str(e)",
    "try:\n    'abc'[10]\nexcept IndexError as e:\n    result = str(e)",
    "try:\n    (1, 2)[5]\nexcept IndexError as e:\n    result = str(e)",
    "try:\n    a, b, c = 'xy'\nexcept ValueError as e:\n    result = str(e)",
    "try:\n    raise ValueError('a', 1)\nexcept ValueError as e:\n    result = str(e), repr(e)",
    "try:\n    raise ValueError()\nexcept ValueError as e:\n    result = str(e), repr(e), e.args",
    "import json\nresult = json.dumps({'a': 1, 'b': [1, 2]}, indent=4), json.dumps(None), "
    "json.dumps([1.5, -0.0, 1e20])",
    "import json\nresult = json.loads('[1, 2.5, \"x\", true, false, null, {}, []]'), json.loads(' "
    "{\"a\" : { \"b\" : [ ] } } ')",
    "result = list(zip()), list(zip([1], [2], [3])), dict(zip('ab', range(2))), list(map(lambda a, "
    "b: a + b, [1, 2], [3, 4]))",
    "result = isinstance(1, int), isinstance(True, int), isinstance(1, bool), isinstance('x', "
    "(int, str)), isinstance([], list), isinstance(1.0, float)",
    "result = chr(65), ord('A'), chr(233), ord('é'), hex(255) if False else format(255, 'x')",
    "result = 'x' in {'x': 1}, 1 in {1: 2}.values() if False else 1 in [1], 'ab' in 'cabd', () == "
    "(), [] == [], None == None",
    "result = [1, 2] == [1, 2.0], (1, 2) == [1, 2], {'a': 1} == {'a': 1.0}, 1 != 1.0, 'a' != 'b'",
    "result = not 1, not [], 1 and 2, 0 and 1, 1 or 2, '' or 0, None and 1",
    "a = [1, 2, 3]\nb = a[:]\nb.append(4)\nc = list(a)\nc[0] = 9\nresult = a, b, c",
    "x = 10\ndef f():\n    x = 20\n    def g():\n        return x\n    return g()\nresult = f(), x",
    "def outer():\n    items = []\n    def add(v):\n        items.append(v)\n        return "
    "len(items)\n    add(1); add(2)\n    return items\nresult = outer()",
    // Exceptions.
    "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    result = str(e), repr(e)",
    "try:\n    {}['k']\nexcept KeyError as e:\n    result = str(e), e.args",
    "try:\n    [][1]\nexcept (KeyError, IndexError) as e:\n    result = type(e).__name__ if False "
    "else str(e)",
    "out = []\ntry:\n    out.append('try')\nexcept ValueError:\n    out.append('except')\nelse:\n  "
    "  out.append('else')\nfinally:\n    out.append('finally')\nresult = out",
    "def f():\n    try:\n        return 'try'\n    finally:\n        out.append('fin')\nout = "
    "[]\nresult = f(), out",
    "class MyError(ValueError):\n    pass\ntry:\n    raise MyError('bad', 2)\nexcept ValueError as "
    "e:\n    result = e.args, str(e), isinstance(e, Exception)",
    "try:\n    try:\n        raise KeyError('x')\n    except KeyError:\n        raise\nexcept "
    "LookupError as e:\n    result = repr(e)",
    "try:\n    int('abc')\nexcept ValueError as e:\n    result = str(e)",
    "try:\n    undefined_name\nexcept NameError as e:\n    result = str(e)",
    "try:\n    None.foo\nexcept AttributeError as e:\n    result = str(e)",
    "try:\n    'a' + 1\nexcept TypeError as e:\n    result = str(e)",
    "try:\n    a, b = [1, 2, 3]\nexcept ValueError as e:\n    result = str(e)",
    "try:\n    assert 1 == 2, 'nope'\nexcept AssertionError as e:\n    result = str(e)",
    "try:\n    raise RuntimeError\nexcept Exception as e:\n    result = repr(e), str(e)",
    // Classes deriving from builtin types: the builtin's storage, methods
    // and protocols, with the class's own methods first.
    R"py(class Keys(list):
    def __init__(self, owner):
        super().__init__()
        self.owner = owner
    def add(self, x):
        self.append({'k': x})
k = Keys('me')
k.add(1)
k.add(2)
k.extend([3])
result = k, len(k), k[0], k[-1], k[1:], 3 in k, bool(k), bool(Keys(0)), isinstance(k, list), type(k).__name__, k.owner, [x for x in k], list(k), k == [{'k': 1}, {'k': 2}, 3], issubclass(Keys, list))py",
    R"py(class L(list):
    pass
a = L([3, 1, 2])
a.sort()
b = L()
b += [1]
b[0] = 5
del a[0]
result = a, b, repr(a), str(b), sorted(L('cab')), L((1, 2)) + [3], a.pop(), a, isinstance(b, L))py",
    R"py(class Headers(dict):
    def __setitem__(self, key, value):
        super().__setitem__(key.lower(), value)
    def __getitem__(self, key):
        return dict.__getitem__(self, key.lower())
h = Headers()
h['Content-Type'] = 'text'
h.update({'x': 1})
result = h, h['CONTENT-type'], h.get('content-type'), list(h.items()), list(h.keys()), 'x' in h, len(h), h.pop('x'), h, dict(h), isinstance(h, dict))py",
    R"py(class D(dict):
    def __missing__(self, key):
        return key * 2
d = D(a=1)
d2 = D({'b': 2}, c=3)
del d2['b']
result = d['a'], d['zz'], d2, len(d2), sorted(d2), d == {'a': 1}, {**d})py",
    R"py(class S(set):
    def add_all(self, *xs):
        for x in xs:
            self.add(x)
s = S([1])
s.add_all(2, 3, 2)
result = sorted(s), len(s), 2 in s, 9 in s, isinstance(s, set), bool(S()))py",
    R"py(class Name(str):
    def shout(self):
        return self.upper() + '!'
class Num(int):
    def double(self):
        return self * 2
n = Name('bob')
result = n.shout(), n, str(n), n + 'by', n == 'bob', {n: 1}['bob'], len(n), f'<{n}>', Num(4).double(), Num('7') + 1, isinstance(n, str), n.startswith('b'))py",
    R"py(class P(tuple):
    def first(self):
        return self[0]
p = P([1, 2])
a, b = p
result = p.first(), p, a + b, len(p), p == (1, 2), isinstance(p, tuple))py",
    R"py(class Base(list):
    def append(self, x):
        super().append(x * 10)
class Child(Base):
    pass
c = Child()
c.append(1)
list.append(c, 2)
result = c, isinstance(c, Base), isinstance(c, list))py",
    // importlib.import_module finds what the import statement finds.
    "import importlib\nm = importlib.import_module('json')\n"
    "try:\n    importlib.import_module('no_such_module_here')\n    e = None\n"
    "except ImportError as error:\n    e = type(error).__name__, str(error)\n"
    "result = m.dumps([1]), e, importlib.import_module('.', 'json') is m",
    // Only the special methods the builtin types define are on them.
    "result = (hasattr(list, '__fields__'), hasattr(dict, '__x__'), hasattr(list, '__len__'),\n"
    "          hasattr(dict, '__setitem__'), hasattr(type([]), '__dataclass_fields__'))",
    // The container protocols on a class of the script's own.
    R"py(class Grid:
    def __init__(self):
        self.cells = {}
    def __getitem__(self, key):
        return self.cells.get(key, 0)
    def __setitem__(self, key, value):
        self.cells[key] = value
    def __delitem__(self, key):
        del self.cells[key]
    def __len__(self):
        return len(self.cells)
    def __contains__(self, key):
        return key in self.cells
    def __iter__(self):
        return iter(list(self.cells))
g = Grid()
g[1, 2] = 'a'
g['x'] = 'b'
del g['x']
g['y'] = 'c'
result = g[1, 2], g['zz'], len(g), (1, 2) in g, 'x' in g, bool(g), list(g), [k for k in g])py",
    R"py(class Countdown:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        return self.n
class Seq:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError(i)
        return i * i
class Gen:
    def __iter__(self):
        yield 'a'
        yield 'b'
it = iter([1, 2])
result = list(Countdown(3)), [x for x in Countdown(2)], list(Seq()), 4 in Seq(), list(Gen()), 'b' in Gen(), next(it), next(it), next(it, 'done'), next(Countdown(5)), next(Countdown(0), 'end'), sorted(Countdown(3)))py",
    R"py(class Empty:
    def __bool__(self):
        return False
class Sized:
    def __len__(self):
        return 0
result = bool(Empty()), bool(Sized()), not Empty(), 'yes' if Sized() else 'no')py",
    // json.
    "import json\nresult = json.dumps({'a': [1, 2.5, None, True], 'b': 'é\"'}), "
    "json.loads('{\"x\": [1, 2, {\"y\": null}]}')",
    "import json\nresult = json.dumps({'b': 1, 'a': {}}, sort_keys=True), json.dumps([1, [2]], "
    "indent=2), json.loads('\"\\\\u00e9\"')",
    "from json import dumps as d\nresult = d([]), d('x'), d(1.0)",
    // The descriptor protocol: __get__ on reads through an instance or the
    // class, __set__ on assignment through an instance.
    "class D:\n    def __get__(self, instance, owner):\n        return (instance is None, "
    "owner.__name__)\n    def __set__(self, instance, value):\n        instance.seen = value * "
    "2\nclass C:\n    d = D()\nc = C()\nc.d = 4\nresult = C.d, c.d, c.seen",
    "class NonData:\n    def __get__(self, instance, owner):\n        return 'got'\nclass "
    "C:\n    n = NonData()\nc = C()\nc.n = 'own'\nresult = C.n, c.n",
};

// Snippets compared by what they print, not by a variable.
const char* const kPrintSnippets[] = {
    "print('hello', 42, 3.0, None, True, [1, 'a'], {'k': (1,)})",
    "for i in range(3):\n    print(i, i * i, sep=': ')",
    "print()\nprint('a' 'b', end='\\n')",
    "t = 'x'\nprint(\n    f'{t} a '  # a comment between the parts\n    f'({t})' 'c'\n    'd'\n)",
    "import logging\nlogging.getLogger(__name__).info('not printed')\nprint(f'{1/3:.4f}', '%5s|' % "
    "'x')",
    "def show(*args, **kwargs):\n    print(args, kwargs)\nshow(1, k=2)\nshow()",
    "class A:\n    def __str__(self):\n        return 'an A'\nprint(A())\nprint([str(A())])",
    "try:\n    {}['missing']\nexcept KeyError as e:\n    print('caught', e, repr(e))",
};

// A comprehension's first iterable is evaluated in the enclosing scope; a
// class body's comprehension iterates class attributes that way.
const char* const kComprehensionScopeSnippets[] = {
    "class C:\n    dirs = ['a', 'b']\n    files = [d + '.toml' for d in dirs]\n"
    "    pairs = {d: n for d in dirs for n in (1, 2)}\nresult = C.files, C.pairs",
    "class C:\n    n = 3\n    try:\n        bad = [n for _ in range(2)]\n"
    "    except NameError as e:\n        bad = str(e)\nresult = C.bad",
    "x = [1, 2]\nresult = [x for x in x], sum(v * 2 for v in x), x",
};

// Named tuples (typing.NamedTuple class syntax, collections.namedtuple) and
// dataclasses.
const char* const kRecordClassSnippets[] = {
    R"py(from typing import NamedTuple, Any, Type
class Entry(NamedTuple):
    name: str
    cast: Type
    default: Any = None
    required: bool = True

    def full_name(self, section=""):
        if section:
            section += "_"
        return f"{section}{self.name}"

    @property
    def upper(self):
        return self.name.upper()
e = Entry("port", int, default=5)
a, b, c, d = e
f = Entry("host", "str")
result = (f, e.name, e[1] is int, e.cast("7"), e[-1], len(e), list(f), a, d, e.full_name("db"), e.upper,
          Entry._fields, Entry._field_defaults, f._asdict(), f._replace(name="x"),
          e == ("port", int, 5, True), e != e._replace(required=False), Entry("a", str) < Entry("b", str),
          isinstance(e, Entry), e.count(5), e.index(int), Entry._make(["n", "s", 1, False]),
          "port" in e, tuple(f) + (1,), Entry.__name__, [x for x in e][0])
)py",
    R"py(from typing import NamedTuple
class P(NamedTuple):
    x: int
    y: int = 0
out = []
for make in [lambda: P(), lambda: P(1, 2, 3), lambda: P(1, z=2), lambda: P(1, x=2)]:
    try:
        make()
    except TypeError as e:
        out.append(str(e))
try:
    P(1).x = 3
except AttributeError as e:
    out.append('read-only')
try:
    P(1)[5]
except IndexError as e:
    out.append(str(e))
try:
    P(1)._replace(z=1)
except ValueError as e:
    out.append(str(e))
try:
    class Bad(NamedTuple):
        a: int = 1
        b: int
except TypeError as e:
    out.append(str(e))
result = out
)py",
    R"py(import collections
from collections import namedtuple
Point = namedtuple("Point", "x, y z", defaults=[9])
Pair = collections.namedtuple("Pair", ["left", "right"])
p = Point(1, 2)
out = [p, Point(z=3, y=2, x=1), Point._fields, Point._field_defaults, Pair(1, 2) == (1, 2),
       Pair(1, 2) == Pair(1, 2), Pair(1, 2) == Point(1, 2, 3), namedtuple("R", "a def _b a", rename=True)._fields,
       collections.OrderedDict([("k", 1)])["k"]]
for bad in ["a def", "a _b", "a a", "1a"]:
    try:
        namedtuple("Q", bad)
    except ValueError as e:
        out.append(str(e))
try:
    Point()
except TypeError as e:
    out.append(str(e))
result = out
)py",
    R"py(from dataclasses import dataclass, field, asdict, astuple, fields, replace, is_dataclass
from typing import ClassVar, List
@dataclass
class Item:
    name: str
    price: float = 0.0
    tags: List[str] = field(default_factory=list)
    count: ClassVar[int] = 0
    secret: str = field(default="s", repr=False, compare=False)

    def total(self, n):
        return self.price * n
a = Item("pen", 1.5)
b = Item("pen", 1.5, secret="other")
a.tags.append("x")
result = (a, a == b, a == Item("pen", 1.5, ["x"]), a != b, a.total(2), Item("ink").tags is not Item("ink").tags,
          asdict(a), astuple(a), [f.name for f in fields(Item)], replace(a, price=2.0), is_dataclass(a),
          is_dataclass(Item), is_dataclass(1), Item.count, "count" in [f.name for f in fields(a)],
          a == 1)
)py",
    R"py(from dataclasses import dataclass, field, InitVar, KW_ONLY
@dataclass(order=True, frozen=True)
class Version:
    major: int
    minor: int = 0
@dataclass
class Base:
    id: int
    label: str = "base"
@dataclass
class Child(Base):
    extra: list = field(default_factory=lambda: [1])
    label: str = "child"
@dataclass
class WithPost:
    a: int
    scale: InitVar[int] = 2
    b: int = field(init=False, default=0)
    def __post_init__(self, scale):
        self.b = self.a * scale
@dataclass
class Kw:
    a: int
    _: KW_ONLY
    b: int = 1
    c: int = 2
@dataclass
class Own:
    a: int
    def __repr__(self):
        return "Own!"
result = (Version(1, 2) < Version(1, 3), Version(2) >= Version(1, 9), sorted([Version(3), Version(1, 5)]),
          Child(1), Child(2, "x", [3]), Child(1) == Base(1), WithPost(3), WithPost(3, 5), Kw(1, c=5),
          Own(1), repr(Own(2)))
)py",
    R"py(from dataclasses import dataclass, field
out = []
@dataclass
class P:
    x: int
    y: int = 0
for make in [lambda: P(), lambda: P(1, 2, 3), lambda: P(1, q=2), lambda: P(1, x=2)]:
    try:
        make()
    except TypeError as e:
        out.append(str(e))
@dataclass
class Q:
    a: int
    b: int
try:
    Q()
except TypeError as e:
    out.append(str(e))
try:
    @dataclass
    class M:
        a: list = []
except ValueError as e:
    out.append(str(e))
try:
    @dataclass
    class N:
        a: int = 1
        b: int
except TypeError as e:
    out.append(str(e))
try:
    field(default=1, default_factory=list)
except ValueError as e:
    out.append(str(e))
class Plain:
    a: int
    b: str = "x"
result = out, list(Plain.__annotations__)
)py",
};

// The base64 and binascii modules: every encoder and decoder over edge
// lengths, alternative alphabets, casefold and map01, and the exact errors
// (TypeError, ValueError, binascii.Error and its messages).
const char* const kBase64Snippets[] = {
    R"py(import base64
data = [b'', b'f', b'fo', b'foo', b'foob', b'fooba', b'foobar', bytes(range(256)), b'\xfb\xff\xfe']
result = [(base64.b64encode(d), base64.urlsafe_b64encode(d), base64.standard_b64encode(d),
           base64.b64decode(base64.b64encode(d)) == d, base64.urlsafe_b64decode(base64.urlsafe_b64encode(d)) == d)
          for d in data])py",
    R"py(import base64
result = (base64.b64encode(b'\xfb\xff', altchars=b'*@'), base64.b64encode(b'\xfb\xff', b'-_'),
          base64.b64decode('+/8=', b'-_'), base64.b64decode(b'-_8=', altchars='-_'),
          base64.b64decode('YWJj\nZGVm'), base64.b64decode('YW Jj ZA=='), base64.b64decode('YWJjZA==garbage'),
          base64.b64decode('YWJjZA=g=='), base64.b64decode('YWJj=ZA=='), base64.b64decode('YQ=a=='),
          base64.urlsafe_b64decode('-_8='), base64.urlsafe_b64decode(b'+/8='), base64.standard_b64decode('Zm9v'),
          base64.b64decode(b'Zm9v', validate=True), base64.b64decode('Zm8=', validate=True),
          base64.urlsafe_b64encode(b'\x00' * 40).decode()))py",
    R"py(import base64, binascii
out = []
cases = [lambda: base64.b64encode('text'), lambda: base64.b64encode(5), lambda: base64.urlsafe_b64encode('x'),
         lambda: base64.b64decode('abc'), lambda: base64.b64decode('a'), lambda: base64.b64decode('abcde'),
         lambda: base64.b64decode('abcdefghi==='), lambda: base64.b64decode('é'), lambda: base64.b64decode(5),
         lambda: base64.b64decode(None), lambda: base64.b64decode('Zm9v!', validate=True),
         lambda: base64.b64decode('=Zm9v', validate=True), lambda: base64.b64decode('Zm8=Zm8=', validate=True),
         lambda: base64.b64decode('Zm==9v', validate=True), lambda: base64.b64decode('Zm9v====', validate=True),
         lambda: base64.b64encode(b'x', altchars=b'abc'), lambda: base64.b64encode(b'x', altchars='ab'),
         lambda: base64.b64decode('x', altchars=b'a'), lambda: base64.b64encode(b'x', altchars=3),
         lambda: base64.b64encode(), lambda: base64.b64encode(b'', b'', b''), lambda: base64.b64encode(s=b'a', x=1),
         lambda: base64.urlsafe_b64decode('abc'), lambda: base64.standard_b64decode('abcde'),
         lambda: base64.b64decode('ab=c'), lambda: base64.b64decode('a===')]
for case in cases:
    try:
        out.append(repr(case()))
    except binascii.Error as e:
        out.append('binascii.Error: ' + str(e))
    except (TypeError, ValueError, AssertionError) as e:
        out.append(type(e).__name__ + ': ' + str(e))
result = out)py",
    R"py(import base64, binascii
try:
    base64.b64decode('abc')
except ValueError as e:
    caught = (type(e).__name__, isinstance(e, binascii.Error), issubclass(binascii.Error, ValueError), e.args)
result = caught, base64.binascii.Error is binascii.Error)py",
    R"py(import base64
data = [b'', b'a', b'ab', b'abc', b'abcd', b'abcde', b'abcdef', bytes(range(200)), b'\xff\xfe\x00\x01']
result = [(base64.b32encode(d), base64.b32hexencode(d), base64.b32decode(base64.b32encode(d)) == d,
           base64.b32hexdecode(base64.b32hexencode(d)) == d, base64.b16encode(d)[:20],
           base64.b16decode(base64.b16encode(d)) == d) for d in data])py",
    R"py(import base64, binascii
out = [base64.b32decode('me======', casefold=True), base64.b32decode(b'MFRGG==='), base64.b32decode('0I======', map01='I'),
       base64.b32decode('MFRG1===', map01=b'L'), base64.b32hexdecode('c4======', casefold=True),
       base64.b16decode('ff00', casefold=True), base64.b16decode(b'ABCD'), base64.b16decode('')]
cases = [lambda: base64.b32decode('ABC'), lambda: base64.b32decode('ABCDEFG1'), lambda: base64.b32decode('A=======') ,
         lambda: base64.b32decode('AB======AB======'), lambda: base64.b32decode('AA=AAAAA'), lambda: base64.b32decode('me======'),
         lambda: base64.b32decode('AAAAAA==='), lambda: base64.b32decode('========'), lambda: base64.b32decode('AA', map01='LL'),
         lambda: base64.b32decode('AAAAAAAA', map01='LL'), lambda: base64.b32encode('x'), lambda: base64.b32encode(3),
         lambda: base64.b32hexdecode('W0======'), lambda: base64.b16decode('abc'), lambda: base64.b16decode('ABC'),
         lambda: base64.b16decode('GG'), lambda: base64.b16encode('x'), lambda: base64.b32hexdecode('A', map01='L'),
         lambda: base64.b32decode('AAAAAAA=')]
for case in cases:
    try:
        out.append(repr(case()))
    except binascii.Error as e:
        out.append('binascii.Error: ' + str(e))
    except (TypeError, ValueError, AssertionError) as e:
        out.append(type(e).__name__ + ': ' + str(e))
result = out)py",
    R"py(import base64, binascii
data = [b'', b'a', b'ab', b'abc', b'abcd', b'abcde', bytes(range(0, 256, 3)), b'\x00\x00\x00\x00', b'\xff\xff\xff\xff']
out = [(base64.b85encode(d), base64.b85encode(d, pad=True), base64.b85decode(base64.b85encode(d)) == d) for d in data]
for bad in ['abc"e', '|NsC0|NsC0', b'{{{{{']:
    try:
        out.append(base64.b85decode(bad))
    except ValueError as e:
        out.append(str(e))
out.append(base64.encodebytes(bytes(range(120))))
out.append(base64.encodebytes(b''))
out.append(base64.decodebytes(base64.encodebytes(bytes(range(120)))) == bytes(range(120)))
for case in [lambda: base64.encodebytes('x'), lambda: base64.decodebytes('eA==')]:
    try:
        out.append(case())
    except TypeError as e:
        out.append(str(e))
result = out)py",
    R"py(import binascii
out = [binascii.hexlify(b'\x01\xab\xff'), binascii.b2a_hex(b'abc', '-'), binascii.hexlify(b'abcde', b':', 2),
       binascii.hexlify(b'abcde', sep='_', bytes_per_sep=-2), binascii.unhexlify('01abFF'), binascii.a2b_hex(b'6162'),
       binascii.b2a_base64(b'abc'), binascii.b2a_base64(b'abcd', newline=False), binascii.a2b_base64('YWJj\n'),
       binascii.a2b_base64(b'YW=Jj', strict_mode=False), binascii.crc32(b'hello'), binascii.crc32(b'world', binascii.crc32(b'hello ')),
       binascii.crc32(b''), binascii.crc32(b'abc', -1)]
for case in [lambda: binascii.unhexlify('abc'), lambda: binascii.unhexlify('zz'), lambda: binascii.unhexlify(5),
             lambda: binascii.hexlify('ab'), lambda: binascii.hexlify(b'ab', '--'), lambda: binascii.a2b_base64('YW=Jj', strict_mode=True),
             lambda: binascii.unhexlify('é0')]:
    try:
        out.append(case())
    except binascii.Error as e:
        out.append('Error: ' + str(e))
    except (TypeError, ValueError) as e:
        out.append(type(e).__name__ + ': ' + str(e))
result = out)py",
    R"py(import base64, secrets
salt = base64.urlsafe_b64encode(bytes.fromhex(secrets.token_hex(32))).decode()
key = base64.b64encode(bytes.fromhex(secrets.token_hex(16)))
result = len(salt), salt.endswith('='), len(base64.urlsafe_b64decode(salt)), len(key), len(base64.b64decode(key)))py",
    R"py(import base64
data = [b'', b'a', b'ab', b'abc', b'abcd', b'\x00\x00\x00\x00', b'\x00', b'    ', b'     ', bytes(range(0, 256, 7))]
out = [(base64.a85encode(d), base64.a85encode(d, foldspaces=True), base64.a85encode(d, pad=True),
        base64.a85encode(d, adobe=True), base64.a85decode(base64.a85encode(d, foldspaces=True), foldspaces=True) == d,
        base64.a85decode(base64.a85encode(d, adobe=True), adobe=True) == d) for d in data]
out.append(base64.a85encode(bytes(range(40)), wrapcol=10))
out.append(base64.a85encode(bytes(range(40)), wrapcol=12, adobe=True))
out.append(base64.a85encode(b'abcdefgh', wrapcol=1, adobe=True))
out.append(base64.a85decode('<~@:E_~>', adobe=True))
out.append(base64.a85decode(b'@:E _\n', ignorechars=b' \n'))
for bad in [lambda: base64.a85decode('abz'), lambda: base64.a85decode('ab~'), lambda: base64.a85decode('s8W-"'),
            lambda: base64.a85decode('abc', adobe=True), lambda: base64.a85decode('ay', foldspaces=True),
            lambda: base64.a85decode('@:E _', ignorechars=b''), lambda: base64.a85encode('x')]:
    try:
        out.append(bad())
    except (ValueError, TypeError) as e:
        out.append(type(e).__name__ + ': ' + str(e))
result = out)py",
};

// decimal: construction, CPython's text of each number, the default
// context's arithmetic (28 digits, half-even), rounding and formatting.
// collections, itertools and functools, written in Python
// (source_modules.h): what migrations and model modules do with them.
const char* const kSourceModuleSnippets[] = {
    R"py(from collections import defaultdict
groups = defaultdict(list)
for name, team in [('a', 1), ('b', 2), ('c', 1)]:
    groups[team].append(name)
counts = defaultdict(int)
for word in 'a b a c a'.split():
    counts[word] += 1
plain = defaultdict()
try:
    plain['x']
    missing = None
except KeyError as e:
    missing = e.args
result = dict(groups), sorted(counts.items()), isinstance(groups, dict), repr(defaultdict(None, {1: 2})), missing, 'z' in counts, groups.get(9))py",
    R"py(from collections import Counter
c = Counter('abracadabra')
d = Counter({'a': 1, 'z': 2})
c.update(['z'])
e = Counter(a=3)
e.subtract('ab')
e.subtract(a=1)
result = sorted(e.items()), c.most_common(3), c['q'], c.total(), sorted((c + d).items()), sorted((c - d).items()), repr(Counter()), repr(Counter('aab')), sorted(Counter(x=2).elements()))py",
    R"py(from collections import deque
q = deque([1, 2, 3], maxlen=4)
q.append(4)
q.append(5)
q.appendleft(0)
first = q.popleft()
q.rotate(1)
last = q.pop()
result = list(q), first, last, len(q), 3 in q, repr(q), repr(deque('ab')), bool(deque()))py",
    R"py(from collections import namedtuple, OrderedDict
import collections
P = namedtuple('P', 'x y')
result = P(1, 2), dict(OrderedDict([('a', 1)])), collections.defaultdict(set)['k'])py",
    R"py(import itertools
rows = [('a', 1), ('a', 2), ('b', 3), ('a', 4)]
grouped = [(k, [v for _, v in g]) for k, g in itertools.groupby(rows, key=lambda r: r[0])]
result = (grouped, list(itertools.chain([1], (2, 3))), list(itertools.chain.from_iterable([[1], [2, 3]])),
          list(itertools.islice(range(10), 2, 8, 3)), list(itertools.islice('abcdef', 2)),
          list(itertools.zip_longest('ab', 'xyz', fillvalue='-')), list(itertools.product('ab', repeat=2)),
          list(itertools.permutations([1, 2, 3], 2)), list(itertools.combinations('abcd', 2)),
          list(itertools.combinations_with_replacement('ab', 2)), list(itertools.accumulate([1, 2, 3], initial=10)),
          list(itertools.starmap(lambda a, b: a ** b, [(2, 3), (3, 2)])), list(itertools.takewhile(lambda x: x < 3, [1, 2, 5, 1])),
          list(itertools.dropwhile(lambda x: x < 3, [1, 2, 5, 1])), list(itertools.filterfalse(None, [0, 1, '', 'a'])),
          list(itertools.compress('abcd', [1, 0, 1, 0])), list(itertools.pairwise([1, 2, 3])),
          [list(t) for t in itertools.tee([1, 2])], list(itertools.repeat('x', 3))))py",
    R"py(import functools
from functools import partial, reduce, wraps, lru_cache
def logged(f):
    @wraps(f)
    def inner(*args, **kwargs):
        return ('logged', f(*args, **kwargs))
    return inner
@logged
def add(a, b=1):
    """Adds."""
    return a + b
calls = []
@lru_cache(maxsize=None)
def square(x):
    calls.append(x)
    return x * x
@functools.cache
def cube(x):
    calls.append(x)
    return x ** 3
base2 = partial(int, base=2)
p = partial(partial(lambda a, b: a ** b, 2), 5)
result = (add(2), add.__name__, add.__doc__, add.__wrapped__(1, 1), base2('101'), p(),
          reduce(lambda a, b: a * b, [1, 2, 3, 4]), reduce(lambda a, b: a + b, [], 7),
          square(3), square(3), cube(2), cube(2), calls,
          sorted([3, 1, 2], key=functools.cmp_to_key(lambda a, b: b - a))))py",
    R"py(from enum import Enum
class FormEnum(Enum):
    @classmethod
    def choices(cls):
        return [(choice.value, choice.name) for choice in cls]
    def label(self):
        return self.name.lower()
class Mode(FormEnum):
    DISABLED = 0
    ENABLED = 1
    @classmethod
    def default(cls):
        return cls.ENABLED
Mode.labels = {'DISABLED': 'Off'}
try:
    Mode.ENABLED = 5
    reassigned = True
except AttributeError:
    reassigned = False
result = Mode.choices(), Mode.default().name, Mode(1).label(), Mode['DISABLED'].value, len(Mode), isinstance(Mode.ENABLED, Mode), isinstance(Mode.ENABLED, FormEnum), isinstance(1, Mode), Mode.labels, Mode.DISABLED.labels, reassigned)py",
    R"py(from functools import total_ordering, cached_property
@total_ordering
class Version:
    def __init__(self, n):
        self.n = n
    def __eq__(self, other):
        return self.n == other.n
    def __lt__(self, other):
        return self.n < other.n
class Box:
    computed = 0
    def __init__(self, v):
        self.v = v
    @cached_property
    def double(self):
        Box.computed += 1
        return self.v * 2
b = Box(4)
result = (Version(1) <= Version(2), Version(3) > Version(2), Version(2) >= Version(2), Version(1) > Version(2),
          b.double, b.double, Box.computed, sorted([Version(3), Version(1)])[0].n))py",
    R"py(import datetime
from datetime import timezone, timedelta
utc = datetime.datetime(2024, 3, 31, 0, 30, tzinfo=timezone.utc)
cest = timezone(timedelta(hours=2), 'CEST')
local = utc.astimezone(cest)
odd = timezone(timedelta(hours=-5, minutes=-30))
result = (utc, str(utc), utc.isoformat(), local, local.isoformat(' '), local.tzname(), local.utcoffset(),
          utc == local, utc - local, local - timedelta(days=1), repr(cest), str(odd), repr(odd),
          timezone.utc, datetime.UTC is not None, utc.timestamp(), local.replace(tzinfo=None),
          utc.strftime('%Y-%m-%d %H:%M %z %Z'), datetime.datetime(2024, 1, 1) == utc.replace(tzinfo=None),
          datetime.datetime.fromtimestamp(0, timezone.utc), timezone(timedelta(0)) == timezone.utc,
          sorted([local, utc - timedelta(minutes=1)])))py",
    R"py(import datetime
now = datetime.datetime.now(datetime.timezone.utc)
naive = datetime.datetime.utcnow()
try:
    now - naive
    error = None
except TypeError as e:
    error = str(e)
result = now.tzinfo, abs((now.replace(tzinfo=None) - naive).total_seconds()) < 5, error, now == naive)py",
    R"py(result = Ellipsis, Ellipsis is ..., [1, 2][...] if False else str(Ellipsis))py",
    R"py("""The snippet's docstring."""
class Quiet(RuntimeWarning):
    pass
a, b = {1, 2, 3}, [2, 3, 4]
c = set(a)
c.difference_update([1])
d = set(a)
d.symmetric_difference_update(b)
e = set(a)
popped = e.pop() in a
e.clear()
result = (__doc__, __debug__, issubclass(Quiet, Warning), issubclass(FutureWarning, Warning),
          sorted(a.difference(b)), sorted(a.intersection(b, [3])), sorted(a.symmetric_difference(b)),
          a.issubset([1, 2, 3, 4]), a.issuperset({1}), a.isdisjoint([9]), sorted(a.copy()), sorted(c), sorted(d),
          popped, e, len(a)))py",
    R"py(import datetime
import logging
from functools import wraps
logging.addLevelName(9, 'GNUPG')
@wraps(logging.Logger)
def create_logger(level=logging.NOTSET):
    log = logging.getLogger('gnupg')
    log.setLevel(level)
    log.addFilter(None)
    return log
d = datetime.datetime(2024, 3, 1, 7, 5, 9)
log = create_logger()
quiet = log.isEnabledFor(20), log.getEffectiveLevel()
log.setLevel(logging.DEBUG)
result = (quiet, log.isEnabledFor(20), log.isEnabledFor(9), datetime.datetime.ctime(d), d.ctime(),
          datetime.date(2024, 12, 25).ctime(), datetime.datetime.isoformat(d, ' '),
          datetime.timedelta.total_seconds(datetime.timedelta(1)), datetime.date(1970, 1, 1).toordinal(),
          d.toordinal(), datetime.date(1, 1, 1).toordinal(), datetime.date.fromordinal(738000),
          datetime.datetime.fromordinal(d.toordinal()), datetime.date.toordinal(d)))py",
};

const char* const kDecimalSnippets[] = {
    R"py(from decimal import Decimal
texts = ['0', '-0', '1.50', '  3.14  ', '1e3', '1E+3', '-1.2e-7', '0.000001', '0.0000001',
         '123456789012345678901234567890.123', '1_000.5', 'Infinity', '-inf', 'NaN',
         '.5', '5.', '00012.3400', '1e-0', '-0.00']
result = [(str(Decimal(t)), repr(Decimal(t))) for t in texts])py",
    R"py(from decimal import Decimal
result = [repr(Decimal(x)) for x in (0, 7, -42, 2**62, 0.1, 1.5, -2.25, 1e20, 5e-324, True)])py",
    R"py(from decimal import Decimal
nums = ['0', '1', '-1', '3', '7', '0.1', '2.50', '-0.003', '1234.5678', '1e5', '9.99',
        '12345678901234567890', '-7.25', '0.0']
out = []
for a in nums:
    for b in nums:
        x, y = Decimal(a), Decimal(b)
        row = [str(x + y), str(x - y), str(x * y)]
        if y:
            row += [str(x / y), str(x // y), str(x % y)]
        out.append(' '.join(row))
result = out)py",
    R"py(from decimal import Decimal
a = Decimal('10')
result = (str(a / 3), str(a / 7), str(Decimal(2) / Decimal(3)), str(Decimal('1') / 8),
          str(Decimal('100') / 4), str(Decimal('1.00') / 4), str(Decimal('-1') / 3),
          str(Decimal('0') / 5), str(Decimal('0.00') / Decimal('0.1')),
          str(Decimal('999999999999999999999999999.9') + 1),
          str(Decimal('1.1') ** 2), str(Decimal(2) ** 100), str(Decimal(2) ** -2),
          str(Decimal('-1.5') ** 3)))py",
    R"py(from decimal import Decimal
d = Decimal('1.25')
result = (d == Decimal('1.250'), d == 1.25, Decimal('0.1') == 0.1, Decimal(1) == 1,
          d < 2, d > 1.3, 1 < d, 2.0 >= d, d != 'x', Decimal('NaN') == Decimal('NaN'),
          sorted([Decimal('2'), Decimal('-1'), Decimal('1.5'), 0]),
          max(Decimal('1'), Decimal('1.0001')), sum([Decimal('0.1')] * 3),
          {Decimal('1.0'): 'a'}.get(Decimal('1')), bool(Decimal('0.00')), bool(d),
          -Decimal('0'), -d, +d, abs(Decimal('-3.10'))))py",
    R"py(from decimal import Decimal, ROUND_HALF_UP, ROUND_DOWN, ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_HALF_DOWN, ROUND_05UP
out = []
for t in ['1.005', '2.675', '-2.5', '2.5', '0.125', '-0.125', '1.999', '7', '-0.0051']:
    d = Decimal(t)
    out.append([str(d.quantize(Decimal('0.01'))), str(d.quantize(Decimal('1.'), rounding=ROUND_HALF_UP))]
               + [str(d.quantize(Decimal('0.1'), rounding=r)) for r in
                  (ROUND_DOWN, ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_HALF_DOWN, ROUND_05UP)]
               + [round(d), str(round(d, 1)), str(d.to_integral_value()), str(d.normalize())])
result = out)py",
    R"py(from decimal import Decimal
d = Decimal('1234.5678')
result = (format(d, '.2f'), format(d, 'f'), format(-d, ',.1f'), format(d, '>12.3f'),
          format(Decimal('0.5'), '.0f'), format(Decimal('0.125'), '.1%'), f'{d}', f'{d:10}',
          '%.2f' % d, '%d' % d, '%s|%r' % (d, d), '{:.3f}'.format(Decimal('2.0005')),
          float(d), int(d), int(Decimal('-7.9')), float(Decimal('-0')), Decimal('1E+2').as_tuple(),
          Decimal('-0.000').adjusted(), Decimal('12.30').normalize(), Decimal('1E+2').normalize(),
          Decimal.from_float(0.5), isinstance(d, Decimal), Decimal('-1').is_signed(),
          Decimal('0.0').is_zero(), Decimal('NaN').is_nan()))py",
    R"py(import decimal
from decimal import Decimal
out = []
for f in (lambda: Decimal('abc'), lambda: Decimal(1) / 0, lambda: Decimal(0) / 0,
          lambda: Decimal(1) + 1.5, lambda: Decimal('NaN') < 1, lambda: Decimal(5) % 0,
          lambda: int(Decimal('NaN')), lambda: Decimal([1]), lambda: Decimal(1).quantize(Decimal('1e-30'))):
    try:
        out.append(repr(f()))
    except ZeroDivisionError as e:
        out.append('ZeroDivisionError ' + type(e).__name__ + ' ' + str(e))
    except decimal.InvalidOperation as e:
        out.append('InvalidOperation ' + type(e).__name__ + ' ' + str(e))
    except (TypeError, ValueError) as e:
        out.append(type(e).__name__ + ' ' + str(e))
ctx = decimal.getcontext()
result = out, ctx.prec, ctx.rounding, issubclass(decimal.DivisionByZero, ArithmeticError))py",
};

enum class Compare { kResult, kStdout };

std::string RunOurs(const std::string& source, Compare what) {
  auto module = PythonModule::Parse(source, "snippet.py");
  if (!module) return "PARSE: " + module.error().ToString();
  std::string printed;
  Interpreter interpreter([&printed](const LogRecord& record) {
    if (record.level == "print") printed += record.text + "\n";
  });
  base::Status status = interpreter.Run(*module);
  if (!status.ok()) return "ERROR: " + status.ToString();
  if (what == Compare::kStdout) return Repr(Value::Str(printed));
  const Value* result = interpreter.Global("result");
  if (result == nullptr) return "NO RESULT";
  // repr(result) as the script would get it: a class's __repr__ counts.
  auto text = interpreter.Text(*result, true);
  return text ? *text : "ERROR: " + text.error().ToString();
}

// Runs every snippet through python3 in one process; one repr per line.
std::vector<std::string> RunPython(const std::vector<std::string>& sources, Compare what) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("sqlmend_python_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string driver = "import sys\nsnippets = []\n";
  for (const std::string& source : sources) {
    std::string escaped;
    for (char c : source) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned char>(c));
      escaped += buffer;
    }
    driver += "snippets.append(b'" + escaped + "'.decode('utf-8'))\n";
  }
  driver +=
      "import contextlib, io\n"
      "for s in snippets:\n"
      "    ns = {'__name__': '__main__'}\n"
      "    out = io.StringIO()\n"
      "    try:\n"
      "        with contextlib.redirect_stdout(out):\n"
      "            exec(s, ns)\n"
      "        shown = repr(out.getvalue()) if " +
      std::string(what == Compare::kStdout ? "True" : "False") +
      " else repr(ns['result'])\n"
      "        print(shown.replace('\\n', '\\\\n'))\n"
      "    except Exception as e:\n"
      "        print('PYERROR: ' + type(e).__name__ + ': ' + str(e))\n";
  std::ofstream(dir / "driver.py") << driver;
  std::string command = "/usr/bin/python3 " + (dir / "driver.py").string();
  std::vector<std::string> lines;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return lines;
  std::string line;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    line += buffer;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      lines.push_back(line);
      line.clear();
    }
  }
  ::pclose(pipe);
  std::filesystem::remove_all(dir);
  return lines;
}

void ExpectSameAsPython(const std::vector<std::string>& sources, Compare what) {
  std::vector<std::string> expected = RunPython(sources, what);
  ASSERT_EQ(expected.size(), sources.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    std::string ours = RunOurs(sources[i], what);
    std::string flat;
    for (char c : ours) flat += c == '\n' ? std::string("\\n") : std::string(1, c);
    EXPECT_EQ(flat, expected[i]) << "snippet #" << i << ":\n" << sources[i];
  }
}

TEST(InterpreterDifferentialTest, MatchesCPythonRepr) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3 oracle";
  ExpectSameAsPython({std::begin(kSnippets), std::end(kSnippets)}, Compare::kResult);
}

TEST(InterpreterDifferentialTest, CreatesClassesAsCPythonDoes) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3 oracle";
  ExpectSameAsPython({std::begin(kClassCreationSnippets), std::end(kClassCreationSnippets)},
                     Compare::kResult);
}

TEST(InterpreterDifferentialTest, RecordClassesMatchCPython) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3 oracle";
  ExpectSameAsPython({std::begin(kRecordClassSnippets), std::end(kRecordClassSnippets)},
                     Compare::kResult);
}

TEST(InterpreterDifferentialTest, ComprehensionScopesMatchCPython) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3 oracle";
  ExpectSameAsPython(
      {std::begin(kComprehensionScopeSnippets), std::end(kComprehensionScopeSnippets)},
      Compare::kResult);
}

TEST(InterpreterDifferentialTest, PrintsWhatCPythonPrints) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3 oracle";
  ExpectSameAsPython({std::begin(kPrintSnippets), std::end(kPrintSnippets)}, Compare::kStdout);
}

// TOML reading and writing (tomllib, tomli, toml) against Python 3.11's
// tomllib and Debian's python3-toml (0.10): the snippets read a document the
// test writes, through every entry point, with every value type.
const char* const kTomlDocument = R"toml(# comment
title = "TOML \"x\" \u00e9 \t"
lit = 'C:\path'
ml = """
one \
  two"""
mll = '''
raw \n'''
hex = 0xDEAD_beef
oct = 0o17
bin = 0b101
big = 1_000_000
neg = -17
flt = 6.626e-34
flt2 = -0.5
pinf = +inf
ninf = -inf
yes = true
no = false
ldt = 1979-05-27T07:32:00.123456789
ld = 1979-05-27
lt = 07:32:00.5
lt3 = 07:32:00.500
lt7 = 07:32:00.1234567
arr = [ 1, 2, 3, ]
nested = [ [1, 2], ["a", "b"] ]
inline = { x = 1, y.z = "w" }
dotted.key.here = 3
"quoted key" = 1

[server.alpha]
ip = "10.0.0.1"

[server]
name = "s"

[[products]]
name = "Hammer"

[[products]]

[[products]]
name = "Nail"
color = "gray"
[products.dims]
w = 1
)toml";

std::vector<std::string> TomlSnippets(const std::string& path) {
  const std::string quoted = "'" + path + "'";
  return {
      "import tomllib\nwith open(" + quoted +
          ", 'rb') as f:\n    d = tomllib.load(f)\nresult = d, list(d), list(d['server'])",
      "import toml\nd = toml.load(" + quoted + ")\nresult = d, list(d)",
      "import toml, pathlib\nwith open(" + quoted +
          ") as f:\n    a = toml.load(f)\nresult = a == toml.load(pathlib.Path(" + quoted +
          ")), a == toml.load([" + quoted + ", " + quoted + " + '.missing'])",
      "try:\n    import tomli\nexcept ImportError:\n    import tomllib as tomli\n"
      "result = tomli.loads('a = 1\\n[b]\\nc = [\"x\", 2.5]'), tomli.TOMLDecodeError.__name__",
      "with open(" + quoted +
          ", 'rb') as f:\n    data = f.read()\nresult = type(data).__name__, data[:9]",
      R"py(import tomllib, toml
out = []
for bad in ["a = ", "a = 1\na = 2", "[x]\n[x]", "a = \"x", "a = [1, \"b\"]", "k = 1\n= 2",
            "a = [[1], 2]", "a = [1, 2.0]"]:
    try:
        out.append(tomllib.loads(bad))
    except tomllib.TOMLDecodeError as e:
        out.append((type(e).__name__, isinstance(e, ValueError)))
    try:
        out.append(toml.loads(bad))
    except toml.TomlDecodeError as e:
        out.append((type(e).__name__, isinstance(e, ValueError), type(e.lineno).__name__))
result = out, toml.loads("a = [[1], ['x']]\nb = [1979-05-27, 1979-05-27T07:32:00]")
)py",
      "import tomllib, toml\nout = []\nfor call in [lambda: toml.loads(1), lambda: toml.load(1), "
      "lambda: tomllib.loads(1), lambda: tomllib.loads(b'a = 1'), lambda: tomllib.load(open(" +
          quoted +
          "))]:\n    try:\n        call()\n    except (TypeError, AttributeError) as e:\n"
          "        out.append((type(e).__name__, str(e)))\nresult = out",
      R"py(import toml, datetime
d = {"a": 1, "s": "x\"y\n\u00e9\\", "f": 1.5, "b": True, "l": [1, 2], "e": [], "n": None,
     "dt": datetime.datetime(2020, 1, 2, 3, 4, 5), "d": datetime.date(2020, 1, 2),
     "t": datetime.time(1, 2, 3), "big": 1e20, "small": 1e-7, "inf": float("inf"),
     "sec": {"x": 1, "sub": {"y": ["a", "b"]}, "z": 2}, "aot": [{"p": 1}, {"p": 2, "q": {"r": 1}}],
     "after": 3, "ll": [[1, 2], ["a"]], "lt": (1, 2), "k ey": 1, "mixed": [1, "a"],
     "dtu": datetime.datetime(2020, 1, 2, 3, 4, 5, 120)}
out = [toml.dumps(d), toml.dumps({}), toml.dumps({"a": {}}), toml.dumps({"a": {"b": {}}}),
       toml.dumps({"a": {"x": {"y": 1}}, "b": {"z": 1}, "c": [{"d": {"e": {"f": 1}}, "g": 2}]}),
       toml.dumps({"a": "x\x01y\\x"})]
kept = {k: v for k, v in d.items() if k not in ("n", "mixed", "lt", "dtu", "inf")}
out.append(toml.loads(toml.dumps(kept)) == kept)
try:
    toml.dumps({"a": "\x01"})
except IndexError as e:
    out.append(str(e))
class Sink:
    def __init__(self):
        self.parts = []
    def write(self, text):
        self.parts.append(text)
sink = Sink()
out.append((toml.dump({"a": {"b": 1}}, sink), sink.parts))
result = out
)py",
  };
}

// hashlib, hmac and the secrets additions (hashlib_module.h), as password
// hashing and content digests in data migrations use them.
const char* const kHashlibSnippets[] = {
    R"py(out = [b':%d' % 7, b'%s-%b' % (b'a', b'\xff'), b'%05.1f|%-4d|%x' % (3.14159, 2, 255),
       b'%(k)s=%(v)d' % {b'k': b'key', b'v': 3}, b'%r %a' % (b'x', 'q'), b'100%%', b'%c%c' % (65, b'B')]
out += ['%c|%c' % (300, 'é'), format(233, 'c'), '{:c}'.format(0x1F600)]
for bad in ((b'%s', 'text'), (b'%d %d', (1,)), (b'%d', (1, 2)), (b'%c', 300)):
    try:
        bad[0] % bad[1]
    except (TypeError, ValueError, OverflowError) as e:
        out.append((type(e).__name__, str(e)))
result = out)py",
    R"py(import hashlib
h = hashlib.sha256(b'abc')
h.update(b'def')
c = h.copy()
c.update(b'!')
names = ['md5', 'sha1', 'sha224', 'sha384', 'sha512', 'sha3_256', 'blake2b', 'blake2s', 'SHA256', 'sha512_256']
result = (h.hexdigest(), c.hexdigest(), h.name, h.digest_size, h.block_size,
          [hashlib.new(n, b'data').hexdigest() for n in names],
          hashlib.md5().hexdigest(), hashlib.sha1(string=b'x').hexdigest(),
          hashlib.sha512(b'x').digest()[:4], 'sha256' in hashlib.algorithms_guaranteed))py",
    R"py(import hashlib
out = []
for call in (lambda: hashlib.sha256('text'), lambda: hashlib.new('nope'), lambda: hashlib.pbkdf2_hmac('sha256', b'p', b's', 0)):
    try:
        call()
    except (TypeError, ValueError) as e:
        out.append((type(e).__name__, str(e)))
result = (hashlib.pbkdf2_hmac('sha512', b'password', b'salt', 1000).hex(),
          hashlib.pbkdf2_hmac('sha256', b'pw', b'NaCl', 25, dklen=10).hex(),
          [hashlib.pbkdf2_hmac(n, b'k' * 200, b'salt', 3, 100).hex() for n in ('sha1', 'sha224', 'sha384', 'sha512', 'sha3_256', 'md5')],
          hashlib.pbkdf2_hmac('sha1', b'', b'', 2).hex(), hashlib.pbkdf2_hmac('sha256', b'p' * 64, b's', 2, 1).hex(),
          hashlib.scrypt(b'password', salt=b'NaCl', n=16, r=8, p=1, dklen=32).hex(), out))py",
    R"py(import hashlib, hmac, secrets, base64
m = hmac.new(b'key', b'message', hashlib.sha512)
m.update(b' more')
b64 = base64.b64encode(hmac.new(b'salt', 'pässword'.encode('utf-8'), hashlib.sha512).digest())
out = []
for call in (lambda: hmac.new(b'k', b'm'), lambda: hmac.new('k', b'm', 'sha256'), lambda: hmac.compare_digest('a', b'a')):
    try:
        call()
    except TypeError as e:
        out.append(str(e))
result = (m.hexdigest(), m.name, m.digest_size, hmac.new(b'k', digestmod='sha1').hexdigest(),
          hmac.digest(b'k', b'm', 'sha256').hex(), hmac.new(b'k', b'm', hashlib.md5).copy().hexdigest(),
          b64, hmac.compare_digest(b'abc', b'abc'), hmac.compare_digest('abc', 'abd'),
          secrets.compare_digest(b'a', b'ab'), len(secrets.token_bytes(12)),
          type(secrets.token_bytes()).__name__, 0 <= secrets.randbits(8) < 256, out))py",
};

TEST(InterpreterDifferentialTest, ReadsAndWritesTomlAsThePackagesDo) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3 oracle";
  if (std::system("/usr/bin/python3 -c 'import tomllib, toml' 2>/dev/null") != 0)
    GTEST_SKIP() << "no tomllib or python3-toml in the oracle";
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("sqlmend_toml_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "doc.toml").string();
  std::ofstream(path) << kTomlDocument;
  ExpectSameAsPython(TomlSnippets(path), Compare::kResult);
  std::filesystem::remove_all(dir);
}

TEST(InterpreterDifferentialTest, Base64MatchesCPython) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3 oracle";
  ExpectSameAsPython({std::begin(kBase64Snippets), std::end(kBase64Snippets)}, Compare::kResult);
}

TEST(InterpreterDifferentialTest, DecimalMatchesCPython) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3 oracle";
  ExpectSameAsPython({std::begin(kDecimalSnippets), std::end(kDecimalSnippets)},
                     Compare::kResult);
}

TEST(InterpreterDifferentialTest, SourceModulesMatchCPython) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3 oracle";
  ExpectSameAsPython({std::begin(kSourceModuleSnippets), std::end(kSourceModuleSnippets)},
                     Compare::kResult);
}

TEST(InterpreterDifferentialTest, HashlibAndHmacMatchCPython) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3 oracle";
  ExpectSameAsPython({std::begin(kHashlibSnippets), std::end(kHashlibSnippets)}, Compare::kResult);
}

}  // namespace
}  // namespace sqlmend::python
