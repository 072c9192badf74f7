// Interpreter: values of variables after running snippets, what reaches the
// log sink, host modules and objects, and located errors for uncaught
// exceptions, unsupported constructs and the safety limits.
#include "python/interpreter.h"

#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <filesystem>

#include <memory>
#include <string>
#include <vector>

namespace sqlmend::python {
namespace {

struct RunResult {
  base::Status status;
  std::string result;  // repr(result), or "" when unset
  std::vector<std::string> log;
};

RunResult RunWith(Interpreter& interpreter, const std::string& source,
                  std::vector<std::string>* log) {
  RunResult out;
  auto module = PythonModule::Parse(source, "t.py");
  if (!module) {
    out.status = module.error();
    return out;
  }
  // The module must outlive calls into functions it defined; each test here
  // is done with it before returning.
  out.status = interpreter.Run(*module);
  if (const Value* result = interpreter.Global("result")) out.result = Repr(*result);
  if (log != nullptr) out.log = *log;
  return out;
}

RunResult RunSnippet(const std::string& source) {
  auto log = std::make_shared<std::vector<std::string>>();
  Interpreter interpreter([log](const LogRecord& record) {
    log->push_back(record.level + ": " + record.text);
  });
  return RunWith(interpreter, source, log.get());
}

struct ValueCase {
  const char* source;
  const char* expected;  // repr(result)
};

TEST(InterpreterTest, ComputesValues) {
  const ValueCase cases[] = {
      {"result = 1 + 2", "3"},
      {"class Color:\n    RED = 'red'\nresult = Color.RED", "'red'"},
      {"x = [1]\ndef f():\n    x.append(2)\nf()\nresult = x", "[1, 2]"},
      {"def f(a, /, b, *, c=3):\n    return a + b + c\nresult = f(1, b=2)", "6"},
      {"result = {'b': 1, 'a': 2}", "{'b': 1, 'a': 2}"},
      {"d = {}\nfor k in 'cab':\n    d[k] = len(d)\nresult = list(d.items())",
       "[('c', 0), ('a', 1), ('b', 2)]"},
      {"class A:\n    def __enter__(self):\n        return 'in'\n    def __exit__(self, *a):\n     "
       "   log.append('out')\nlog = []\nwith A() as v:\n    log.append(v)\nresult = log",
       "['in', 'out']"},
      {"import logging\nlogger = logging.getLogger('alembic.env')\nresult = logger.name",
       "'alembic.env'"},
      {"def f(x: int = 1) -> int:\n    return x\nresult = f()", "1"},
      {"result = (yes := 5) + yes", "10"},
      {"xs = [1, 2, 3]\ndel xs[0]\nd = {'a': 1}\ndel d['a']\nresult = xs, d", "([2, 3], {})"},
      {"if __name__ == '__main__':\n    result = 'main'", "'main'"},
      {"from typing import Optional, List, TYPE_CHECKING, cast\n"
       "def f(x: Optional[List[int]] = None) -> Optional[int]:\n    return cast(int, 3)\n"
       "result = f(), TYPE_CHECKING",
       "(3, False)"},
      {"try:\n    raise IOError('disk')\nexcept OSError as e:\n    result = repr(e)",
       "\"OSError('disk')\""},
  };
  for (const ValueCase& c : cases) {
    RunResult run = RunSnippet(c.source);
    EXPECT_TRUE(run.status.ok()) << c.source << "\n" << run.status.ToString();
    EXPECT_EQ(run.result, c.expected) << c.source;
  }
}

TEST(InterpreterTest, PrintAndLoggingReachTheSink) {
  RunResult run = RunSnippet(
      "import logging\n"
      "log = logging.getLogger(__name__)\n"
      "print('a', 1, None)\n"
      "print('x', 'y', sep='-')\n"
      "log.info('hello %s', 'world')\n"
      "log.warning('careful')\n"
      "logging.error('%d items', 3)\n");
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(run.log, (std::vector<std::string>{"print: a 1 None", "print: x-y", "info: hello world",
                                               "warning: careful", "error: 3 items"}));
}

// A host object in the way the Alembic model will provide them: attributes,
// a method, and a context manager.
class FakeContext : public HostObject {
 public:
  std::string TypeName() const override { return "EnvironmentContext"; }
  std::optional<base::Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "dialect") return Value::Str("sqlite");
    if (name == "configure") {
      return Value::Builtin("configure", [this](CallContext&, Args& args) -> base::Result<Value> {
        for (const auto& [k, v] : args.keywords) configured.push_back(k + "=" + python::Repr(v));
        return Value::None();
      });
    }
    return std::nullopt;
  }
  base::Result<Value> Enter(CallContext&) override {
    events.push_back("enter");
    return Value::Str("tx");
  }
  base::Status Exit(CallContext&) override {
    events.push_back("exit");
    return base::Status::Ok();
  }
  std::vector<std::string> configured;
  std::vector<std::string> events;
};

TEST(InterpreterTest, HostModulesAndObjects) {
  auto context = std::make_shared<FakeContext>();
  auto alembic = std::make_shared<ModuleObject>();
  alembic->name = "alembic";
  alembic->attributes["context"] = Value::Host(context);
  Interpreter interpreter;
  interpreter.AddModule("alembic", Value::Module(alembic));
  RunResult run = RunWith(interpreter,
                          "from alembic import context\n"
                          "from myapp import models\n"
                          "import sqlalchemy as sa\n"
                          "context.configure(render_as_batch=True, version_table='v')\n"
                          "with context as tx:\n"
                          "    result = (tx, context.dialect)\n",
                          nullptr);
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(run.result, "('tx', 'sqlite')");
  EXPECT_EQ(context->configured,
            (std::vector<std::string>{"render_as_batch=True", "version_table='v'"}));
  EXPECT_EQ(context->events, (std::vector<std::string>{"enter", "exit"}));
}

TEST(InterpreterTest, HostCallsScriptFunctions) {
  auto module =
      PythonModule::Parse("def upgrade(n, extra=1):\n    return n * 2 + extra\n", "rev.py");
  ASSERT_TRUE(module.has_value());
  Interpreter interpreter;
  ASSERT_TRUE(interpreter.Run(*module).ok());
  const Value* upgrade = interpreter.Global("upgrade");
  ASSERT_NE(upgrade, nullptr);
  auto value = interpreter.Call(*upgrade, Args{{Value::Int(4)}, {{"extra", Value::Int(3)}}});
  ASSERT_TRUE(value.has_value()) << value.error().ToString();
  EXPECT_EQ(Repr(*value), "11");
  auto bad = interpreter.Call(*upgrade, Args{});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(),
            "TypeError: upgrade() missing 1 required positional argument: 'n'");
}

struct ErrorCase {
  const char* source;
  const char* object;   // "t.py:line:col"
  const char* message;  // exact
};

TEST(InterpreterTest, LocatedErrors) {
  const ErrorCase cases[] = {
      {"x = 1\ny = x + undefined\n", "t.py:2:9", "NameError: name 'undefined' is not defined"},
      {"def f():\n    return 1 / 0\nf()\n", "t.py:2:12", "ZeroDivisionError: division by zero"},
      {"raise ValueError('bad value')\n", "t.py:1:1", "ValueError: bad value"},
      {"d = {}\nd['missing']\n", "t.py:2:1", "KeyError: 'missing'"},
      {"xs = [1]\nxs[5]\n", "t.py:2:1", "IndexError: list index out of range"},
      {"from myapp import models\nx = 1\nmodels.Base\n", "t.py:3:1",
       "ModuleNotFoundError: No module named 'myapp' (imported at t.py:1:19)"},
      {"import nothere\nnothere.x\n", "t.py:2:1",
       "ModuleNotFoundError: No module named 'nothere' (imported at t.py:1:8)"},
      {"async def f():\n    pass\nx = 1\nf()\n", "t.py:4:1",
       "unsupported: calling async def f() (sqlmend runs no coroutines)"},
      {"x = 2 ** 70\n", "t.py:1:5", "unsupported: int result beyond 64 bits"},
      {"x = 99999999999999999999\n", "t.py:1:5", "unsupported: int literal beyond 64 bits"},
      {"x = 9223372036854775807\nx += 1\n", "t.py:2:1", "unsupported: int result beyond 64 bits"},
      {"def f(n):\n    return f(n + 1)\nf(0)\n", "t.py:2:12",
       "RecursionError: more than 200 nested calls"},
      {"while True:\n    pass\n", "t.py:1:1", "unsupported: loop of more than 1000000 iterations"},
      {"n = 0\nfor i in range(1000000):\n    for j in range(1000000):\n        n += 1\n",
       "t.py:3:5", "unsupported: more than 2000000 loop iterations and calls in one run"},
      {"s = 'x'\nfor i in range(100):\n    s += s\n", "t.py:3:5",
       "unsupported: a str of more than 16777216 bytes"},
      {"xs = [0]\nfor i in range(100):\n    xs.extend(xs)\n", "t.py:3:5",
       "unsupported: a list of more than 1000000 items"},
      {"x = 'ab' * 9223372036854775807\n", "t.py:1:5",
       "unsupported: a str of more than 16777216 bytes"},
      {"x = range(10**7)\n", "t.py:1:5", "unsupported: range() of more than 1000000 items"},
      {"assert 1 == 2, 'math'\n", "t.py:1:1", "AssertionError: math"},
      {"a, b = 1, 2, 3\n", "t.py:1:1", "ValueError: too many values to unpack (expected 2)"},
      {"len(5)\n", "t.py:1:1", "TypeError: object of type 'int' has no len()"},
      {"'x'.nope()\n", "t.py:1:1", "AttributeError: 'str' object has no attribute 'nope'"},
      {"try:\n    1 / 0\nexcept ZeroDivisionError:\n    raise KeyError('k')\n", "t.py:4:5",
       "KeyError: 'k'"},
      {"class E(Exception):\n    pass\nraise E\n", "t.py:3:1", "E"},
      {"class B(bool):\n    pass\n", "t.py:1:8",
       "unsupported: a class deriving from the builtin 'bool'"},
      {"class L(list):\n    pass\nclass S(str):\n    pass\nclass M(L, S):\n    pass\n", "t.py:5:8",
       "TypeError: multiple bases have instance lay-out conflict"},
      {"x = 1j\n", "t.py:1:5", "unsupported: complex number"},
      {"x = f'{1:q}'\n", "t.py:1:7",
       "ValueError: Unknown format code 'q' for object of type 'int'"},
      {"x = b'a' 'b'\n", "t.py:1:10", "SyntaxError: cannot mix bytes and nonbytes literals"},
      {"x = b'\xc3\xa9'\n", "t.py:1:7", "bytes can only contain ASCII literal characters"},
      {"x = b'%s' % 'text'\n", "t.py:1:5",
       "TypeError: %b requires a bytes-like object, or an object that implements __bytes__, "
       "not 'str'"},
      {"x = 'a'.encode('utf-16')\n", "t.py:1:5",
       "unsupported: the encoding 'utf-16' (sqlmend has utf-8, ascii and latin-1)"},
  };
  for (const ErrorCase& c : cases) {
    RunResult run = RunSnippet(c.source);
    ASSERT_FALSE(run.status.ok()) << c.source;
    EXPECT_EQ(run.status.object(), c.object) << c.source;
    EXPECT_EQ(run.status.message(), c.message) << c.source;
  }
}

// Values each under their own cap can still fill the machine together: a
// run stops, located, once the process holds more than the memory cap,
// whether the values are large (checked when made) or many small ones
// (checked every kMemoryCheckSteps steps).
TEST(InterpreterTest, ManyValuesStopAtTheMemoryCap) {
  for (const char* source : {"chunks = ['a' * 4000000 for _ in range(200)]\n",
                             "chunks = []\nfor i in range(200000):\n    chunks.append(str(i) * 1000)\n"}) {
    auto module = PythonModule::Parse(source, "t.py");
    ASSERT_TRUE(module.has_value());
    Interpreter interpreter;
    const size_t cap = base::ResidentBytes() + (size_t{200} << 20);
    interpreter.set_memory_cap(cap);
    base::Status status = interpreter.Run(*module);
    ASSERT_FALSE(status.ok()) << source;
    EXPECT_EQ(status.object().rfind("t.py:", 0), 0u) << status.object();
    EXPECT_EQ(status.message(), "unsupported: the values made take more than " +
                                    std::to_string(cap >> 20) + " MB of memory");
  }
}

TEST(InterpreterTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep = "x = " + std::string(400, '(') + "1" + std::string(400, ')') + "\n";
  RunResult run = RunSnippet(deep);
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(run.status.message(), "unsupported: expression nested deeper than 300");
  // Recursion inside deep expressions: the summed nesting cap stops it
  // before the C++ stack runs out.
  std::string parens = std::string(250, '(');
  std::string closing = std::string(250, ')');
  run = RunSnippet("def f(n):\n    return " + parens + "f(n + 1)" + closing + "\nf(0)\n");
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(run.status.message(),
            "unsupported: evaluation nested deeper than 1000 levels across calls");
  std::string deep_list = "x = " + std::string(2000, '[') + std::string(2000, ']') + "\n";
  run = RunSnippet(deep_list);
  ASSERT_FALSE(run.status.ok());
}

// Dicts and sets are hashed: filling them in a loop stays fast.
TEST(InterpreterTest, LargeDictsAndSetsStayFast) {
  RunResult run = RunSnippet(
      "d = {}\nfor i in range(200000):\n    d[i] = i\n"
      "s = set(range(200000))\nhits = 0\nfor i in range(0, 400000, 2):\n    if i in s and i in "
      "d:\n        hits += 1\n"
      "del d[5]\ns.discard(6)\nresult = hits, len(d), len(s), d.get(7), 7 in s, 5 in d, 6 in s");
  ASSERT_TRUE(run.status.ok()) << run.status.ToString();
  EXPECT_EQ(run.result, "(100000, 199999, 199999, 7, True, False, False)");
}

TEST(InterpreterTest, UncaughtErrorsLeaveEarlierGlobals) {
  Interpreter interpreter;
  RunResult run = RunWith(interpreter, "a = 1\nb = missing\nc = 3\n", nullptr);
  ASSERT_FALSE(run.status.ok());
  ASSERT_NE(interpreter.Global("a"), nullptr);
  EXPECT_EQ(interpreter.Global("c"), nullptr);
}

// The clock and randomness are read as Python reads them, when the
// revision is evaluated (real revisions fill new columns with utcnow() and
// uuid4() and make secrets with the secrets module).
TEST(InterpreterTest, ClockAndRandomnessAreReadWhenEvaluated) {
  const int64_t before = static_cast<int64_t>(std::time(nullptr));
  RunResult clock = RunSnippet(
      "import datetime\n"
      "epoch = datetime.datetime(1970, 1, 1)\n"
      "result = int((datetime.datetime.utcnow() - epoch).total_seconds())\n");
  ASSERT_TRUE(clock.status.ok()) << clock.status.ToString();
  const int64_t seconds = std::stoll(clock.result);
  EXPECT_GE(seconds, before);
  EXPECT_LE(seconds, static_cast<int64_t>(std::time(nullptr)) + 1);

  RunResult local = RunSnippet(
      "import datetime\n"
      "now = datetime.datetime.now()\n"
      "result = now.date() == datetime.date.today() or now.hour == 0, type(now).__name__\n");
  ASSERT_TRUE(local.status.ok()) << local.status.ToString();
  EXPECT_EQ(local.result, "(True, 'datetime')");

  RunResult random = RunSnippet(
      "import uuid, secrets\n"
      "a, b = uuid.uuid4(), uuid.uuid4()\n"
      "result = (a != b, a.version, len(str(a)), str(a)[19] in '89ab', len(a.hex),\n"
      "          len(secrets.token_hex(16)), len(secrets.token_hex()), len(secrets.token_urlsafe(32)),\n"
      "          0 <= secrets.randbelow(10) < 10, secrets.choice(['x']))\n");
  ASSERT_TRUE(random.status.ok()) << random.status.ToString();
  EXPECT_EQ(random.result, "(True, 4, 36, True, 32, 32, 64, 43, True, 'x')");

  // A tzinfo other than datetime.timezone's fixed offsets (pytz, zoneinfo, a
  // script's own tzinfo subclass) stops the run with its location.
  RunResult zone = RunSnippet(
      "import datetime\n"
      "class Paris(datetime.tzinfo):\n"
      "    def utcoffset(self, dt):\n"
      "        return datetime.timedelta(hours=1)\n"
      "naive = datetime.datetime.now(None)\n"
      "x = datetime.datetime.now(Paris())\n");
  EXPECT_EQ(zone.status.code(), base::Code::kRefused) << zone.status.ToString();
  EXPECT_NE(zone.status.ToString().find(":6:5: unsupported: a tzinfo that is a Paris"),
            std::string::npos)
      << zone.status.ToString();
}

// RE2 has no backreferences or lookarounds: such a pattern stops the run
// where it is compiled, never matching differently from Python.
TEST(InterpreterTest, RegexFeaturesRe2LacksAreLocatedErrors) {
  for (const char* pattern : {"r'(a)\\1'", "r'a(?=b)'", "r'x', re.VERBOSE"}) {
    RunResult run = RunSnippet(std::string("import re\n\nx = re.compile(") + pattern + ")\n");
    EXPECT_EQ(run.status.code(), base::Code::kRefused) << pattern << run.status.ToString();
    EXPECT_NE(run.status.ToString().find("t.py:3:"), std::string::npos) << run.status.ToString();
  }
}

// A revision reads a data file it ships beside itself; writing is refused.
TEST(InterpreterTest, OpenAndPathlibReadFilesAndRefuseWriting) {
  const std::string dir = testing::TempDir() + "sqlmend_open_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir + "/seed.json");
    out << "{\"rows\": [1, 2]}\r\nsecond line\n";
    std::ofstream rows(dir + "/rows.json");
    rows << "[3]";
  }
  RunResult read = RunSnippet(
      "import json\nfrom pathlib import Path\nhere = '" + dir + "'\n"
      "with open(here + '/seed.json') as f:\n    first = f.readline()\n"
      "    rest = f.read()\n"
      "lines = [line for line in open(here + '/seed.json', encoding='utf-8')]\n"
      "p = Path(here) / 'seed.json'\n"
      "result = json.loads(first), rest, len(lines), p.exists(), p.is_file(), Path(here).is_dir(), "
      "p.read_text().count('\\n'), json.load((Path(here) / 'rows.json').open())\n");
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  EXPECT_EQ(read.result.substr(0, 40), "({'rows': [1, 2]}, 'second line\\n', 2, T");
  EXPECT_NE(read.result.find("True, True, True, 2, [3])"), std::string::npos) << read.result;

  RunResult missing = RunSnippet(
      "try:\n    open('" + dir + "/none.txt')\nexcept FileNotFoundError as e:\n    result = "
      "str(e)\n");
  EXPECT_NE(missing.result.find("No such file or directory"), std::string::npos)
      << missing.status.ToString() << missing.result;

  for (const char* body : {"x = open('f.txt', 'w')\n", "from pathlib import Path\n"
                                                         "x = Path('.').iterdir()\n"}) {
    RunResult refused = RunSnippet(body);
    EXPECT_EQ(refused.status.code(), base::Code::kRefused) << body << refused.status.ToString();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sqlmend::python
