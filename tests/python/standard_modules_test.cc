// typing, the classes of logging and json, and the TOML modules: the names annotations and
// (overload, Protocol, TypeVar, ...) import and behave as in Python.
#include "python/typing_module.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "python/interpreter.h"

namespace sqlmend::python {
namespace {

// repr(result) after running `source`, or the error.
std::string TypingResult(const std::string& source) {
  auto module = PythonModule::Parse(source, "t.py");
  if (!module) return "!" + module.error().ToString();
  Interpreter interpreter;
  base::Status status = interpreter.Run(*module);
  if (!status.ok()) return "!" + status.ToString();
  const Value* result = interpreter.Global("result");
  return result != nullptr ? Repr(*result) : "<unset>";
}

struct TypingCase {
  const char* source;
  const char* expected;  // repr(result), or "!" + the error
};

TEST(StandardModulesTest, TypingNamesImportAndBehave) {
  const TypingCase cases[] = {
      // overload: the stubs are replaced by the definition that follows.
      {"from typing import overload\n"
       "@overload\ndef f(x: int) -> int: ...\n"
       "@overload\ndef f(x: str) -> str: ...\n"
       "def f(x):\n    return x * 2\n"
       "result = f(2), f('a')",
       "(4, 'aa')"},
      {"from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import nothere\nresult = "
       "TYPE_CHECKING",
       "False"},
      {"from typing import cast, List\nresult = cast(List[int], [1])", "[1]"},
      {"from typing import Protocol, TypeVar, Generic\nT = TypeVar('T', bound=int)\n"
       "class P(Protocol[T]):\n    def get(self) -> T: ...\n"
       "class Box(Generic[T]):\n    def __init__(self, v: T):\n        self.v = v\n"
       "result = Box(3).v",
       "3"},
      {"from typing import NamedTuple, TypedDict, ClassVar, Final, Literal, Annotated, Optional\n"
       "class Row(TypedDict):\n    name: str\n"
       "class Point(NamedTuple):\n    x: int\n"
       "LIMIT: Final = 3\nMode = Literal['a', 'b']\nX = Annotated[int, 'meta']\n"
       "def g(a: Optional[ClassVar[int]] = None) -> None:\n    return a\nresult = LIMIT, g()",
       "(3, None)"},
      {"from typing import NewType, final, runtime_checkable, Protocol\n"
       "UserId = NewType('UserId', int)\n"
       "@runtime_checkable\nclass P(Protocol):\n    pass\n"
       "@final\nclass C:\n    pass\nresult = UserId(5)",
       "5"},
      {"import typing_extensions as te\nfrom typing_extensions import Self, override\n"
       "result = te.TYPE_CHECKING",
       "False"},
      {"from typing import List\nx = List()\n", "!t.py:2:5: unsupported: calling typing.List"},
  };
  for (const TypingCase& c : cases) {
    EXPECT_EQ(TypingResult(c.source), c.expected) << c.source;
  }
}

// logging's classes, as package code names them in annotations and handler
// set-up.
TEST(StandardModulesTest, LoggingClassesForAnnotationsAndHandlers) {
  EXPECT_EQ(TypingResult("import logging\nfrom logging import Logger\n"
                         "def f(log: Logger = None):\n    return log\n"
                         "class Quiet(logging.Filter):\n    pass\n"
                         "h = logging.StreamHandler()\nh.setFormatter(logging.Formatter('%(message)s'))\n"
                         "h.addFilter(Quiet())\n"
                         "result = f(), isinstance(h, logging.Handler), Logger.__name__"),
            "(None, False, 'Logger')");
}

// json's classes, as package code derives from them.
TEST(StandardModulesTest, JsonClassesToDeriveFrom) {
  EXPECT_EQ(TypingResult("import json\n"
                         "class Encoder(json.JSONEncoder):\n"
                         "    def default(self, obj):\n        return list(obj)\n"
                         "try:\n    json.loads('{')\nexcept json.JSONDecodeError:\n    bad = True\n"
                         "result = Encoder().default((1,)), bad"),
            "([1], True)");
}

// What named tuples and dataclasses do otherwise than CPython, each as
// collections_module.h and dataclasses_module.h say.
// What the TOML modules refuse: an offset date-time read by the toml
// package (its TomlTz zones; tomllib's datetime.timezone ones are read),
// parse_float= and toml's _dict= other than the defaults;
// each a located error the script cannot catch. A syntax error is the
// module's decode error, whose message says where (toml's with its
// attributes), and which `except ValueError` catches.
TEST(StandardModulesTest, TomlRefusalsAndErrors) {
  const TypingCase cases[] = {
      {"import toml\ntry:\n    toml.loads('a = 1979-05-27T07:32:00Z')\nexcept Exception:\n"
       "    pass",
       "!t.py:3:5: unsupported: a TOML offset date-time (line 1) read by the toml package (its "
       "TomlTz zones are not modelled)"},
      {"import tomllib\nresult = tomllib.loads('a = 1979-05-27T07:32:00Z\\nb = "
       "1979-05-27T00:32:00.5-07:00')",
       "{'a': datetime.datetime(1979, 5, 27, 7, 32, tzinfo=datetime.timezone.utc), 'b': "
       "datetime.datetime(1979, 5, 27, 0, 32, 0, 500000, "
       "tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=61200)))}"},
      {"import tomllib\n\nresult = tomllib.loads('a = 1.5', parse_float=len)",
       "!t.py:3:10: unsupported: parse_float= other than float"},
      {"import tomllib\nresult = tomllib.loads('a = 1.5', parse_float=float)", "{'a': 1.5}"},
      {"import toml\nresult = toml.loads('a = 1', _dict=dict)", "{'a': 1}"},
      {"import toml\nresult = toml.loads('a = 1', _dict=list)",
       "!t.py:2:10: unsupported: toml's _dict= other than dict"},
      {"import tomllib\ntry:\n    tomllib.loads('a = 1\\nb = ')\nexcept ValueError as e:\n"
       "    result = str(e).endswith('(at line 2, column 5)')",
       "True"},
      {"import toml\ntry:\n    toml.loads('a = 1\\nb = ')\nexcept toml.TomlDecodeError as e:\n"
       "    result = e.lineno, e.colno, e.pos, e.doc, str(e).endswith('(line 2 column 5 char 10)')",
       "(2, 5, 10, 'a = 1\\nb = ', True)"},
  };
  for (const TypingCase& c : cases) {
    EXPECT_EQ(TypingResult(c.source), c.expected) << c.source;
  }
}

TEST(StandardModulesTest, RecordClassesWhereTheyDifferFromPython) {
  const TypingCase cases[] = {
      // Annotations are kept as their text, forward references included.
      {"class A:\n    x: int\n    y: 'Later' = 1\n    z: Undefined[int]\nresult = "
       "A.__annotations__",
       "{'x': 'int', 'y': \"'Later'\", 'z': 'Undefined[int]'}"},
      // A function body's annotations are not recorded.
      {"def f():\n    x: int = 1\n    return x\nresult = f()", "1"},
      {"from typing import NamedTuple\nP = NamedTuple('P', [('x', int)])\n",
       "!t.py:2:5: unsupported: typing.NamedTuple's functional form (collections.namedtuple is "
       "modelled)"},
      {"from typing import NamedTuple\nclass P(NamedTuple):\n    x: int\nresult = P(1)[0:1]\n",
       "!t.py:4:10: TypeError: 'P' object is not subscriptable"},
      {"from typing import NamedTuple\nclass P(NamedTuple):\n    _x: int\n",
       "!t.py:2:1: AttributeError: Cannot overwrite NamedTuple attribute _x"},
      // Dataclass errors raised by the generated __init__ (sqlmend's own
      // Python) are located at the script's call.
      {"from dataclasses import dataclass\n@dataclass\nclass P:\n    x: int\nP()\n",
       "!t.py:5:1: TypeError: P.__init__() missing 1 required positional argument: 'x'"},
  };
  for (const TypingCase& c : cases) {
    EXPECT_EQ(TypingResult(c.source), c.expected) << c.source;
  }
}

}  // namespace
}  // namespace sqlmend::python
