// ModuleLoader: a project's own modules imported from env.py, as Python's
// path-based import finds and runs them: packages, submodules, relative
// imports, sys.path changes, namespace packages, cycles and located errors.
#include "python/module_loader.h"

#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <sstream>

#include "env_harness.h"

namespace sqlmend::alembic {

using python::Value;

namespace {

TEST(ModuleLoaderTest, PackagesSubmodulesAndRelativeImports) {
  EnvHarness h;
  h.Write("myapp/__init__.py", "from . import util\nNAME = 'myapp'\n");
  h.Write("myapp/util.py", "def shout(x):\n    return x.upper()\n");
  h.Write("myapp/db/__init__.py", "");
  h.Write("myapp/db/base.py",
          "from ..util import shout\nfrom .. import NAME\nTAG = shout('base')\n");
  h.Write("myapp/models.py",
          "from .db.base import TAG\nfrom myapp.db import base as b\nprint('models ran')\nMODELS = "
          "[TAG, b.TAG]\n");
  auto ran = h.Run(
      "import myapp.models\n"
      "from myapp.models import MODELS\n"
      "import myapp.models as again\n"
      "result = (MODELS, myapp.NAME, myapp.util.shout('x'), again is myapp.models, "
      "myapp.db.base.NAME)\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h), "(['BASE', 'BASE'], 'myapp', 'X', True, 'myapp')");
  // Each module runs once however often it is imported.
  EXPECT_EQ(std::count(h.log().begin(), h.log().end(), "print: models ran"), 1);
}

// `from pkg.sub.meta import Base` when pkg/sub/__init__.py itself imports
// pkg.sub.meta (and the model modules that use Base): meta runs once, so
// env.py's Base is the one the models were declared on, as in Python.
TEST(ModuleLoaderTest, ASubmoduleItsPackageInitImportedRunsOnce) {
  EnvHarness h;
  h.Write("shop/__init__.py", "");
  h.Write("shop/models/__init__.py",
          "from shop.models.meta import REGISTRY\nfrom shop.models import product\n");
  h.Write("shop/models/meta.py", "print('meta ran')\nREGISTRY = []\n");
  h.Write("shop/models/product.py",
          "from shop.models.meta import REGISTRY\nREGISTRY.append('product')\n");
  auto ran = h.Run("from shop.models.meta import REGISTRY\nresult = REGISTRY\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h), "['product']");
  EXPECT_EQ(std::count(h.log().begin(), h.log().end(), "print: meta ran"), 1);
}

// __package__ is set in every module run from a file, as importlib sets it
// (a registry built from it, as pgAdmin 4's driver registry is); sys's
// encodings and stdout, and os.path of pathlib paths, as nbgrader's package
// uses them.
TEST(ModuleLoaderTest, PackageNameAndSysEncodings) {
  EnvHarness h;
  h.Write("myapp/__init__.py", "PACKAGE = __package__\n");
  h.Write("myapp/drivers/__init__.py", "PACKAGE = __package__\n");
  h.Write("myapp/drivers/registry.py", "PACKAGE = __package__\n");
  h.Write("top.py", "PACKAGE = __package__\n");
  auto ran = h.Run(
      "import os, sys, top, myapp.drivers.registry\n"
      "from pathlib import Path\n"
      "here = Path(__file__).parent\n"
      "written = sys.stdout.write('to stdout\\n')\n"
      "sys.stdout.flush()\n"
      "result = (top.PACKAGE, myapp.PACKAGE, myapp.drivers.PACKAGE, "
      "myapp.drivers.registry.PACKAGE, sys.getdefaultencoding(), "
      "sys.getfilesystemencoding(), written, os.path.exists(here / 'top.py'), "
      "os.path.basename(here / 'top.py'))\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h),
            "('', 'myapp', 'myapp.drivers', 'myapp.drivers', 'utf-8', 'utf-8', 10, True, "
            "'top.py')");
  EXPECT_EQ(std::count(h.log().begin(), h.log().end(), "print: to stdout"), 1);
}

TEST(ModuleLoaderTest, SysPathChangesAndFileAreHonoured) {
  ProjectContext context;
  context.sys_path = {"/nonexistent-sqlmend-path"};
  EnvHarness h(context);
  h.Write("src/pkg/settings.py", "VALUE = 42\n");
  auto ran = h.Run(
      "import os, sys\n"
      "here = os.path.dirname(os.path.abspath(__file__))\n"
      "sys.path.insert(0, os.path.join(here, 'src'))\n"
      "from pkg.settings import VALUE\n"
      "result = VALUE, os.path.basename(__file__), os.environ.get('SQLMEND_TEST_UNSET', 'unset'), "
      "os.getenv('SQLMEND_TEST_UNSET')\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h), "(42, 'env.py', 'unset', None)");
}

// An env.py reads the URL from the environment, as under Alembic.
TEST(ModuleLoaderTest, TheEnvironmentIsTheProcesss) {
  ::setenv("SQLMEND_TEST_DATABASE_URL", "sqlite:///from-env.db", 1);
  EnvHarness h;
  auto ran = h.Run(
      "import os\n"
      "os.environ['SQLMEND_TEST_SET'] = 'set here'\n"
      "result = os.environ['SQLMEND_TEST_DATABASE_URL'], os.getenv('SQLMEND_TEST_DATABASE_URL'), "
      "'SQLMEND_TEST_DATABASE_URL' in os.environ, os.getenv('SQLMEND_TEST_SET'), "
      "os.environ.get('SQLMEND_TEST_UNSET', 'd')\n");
  ::unsetenv("SQLMEND_TEST_DATABASE_URL");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h), "('sqlite:///from-env.db', 'sqlite:///from-env.db', True, 'set here', 'd')");
  EXPECT_EQ(::getenv("SQLMEND_TEST_SET"), nullptr);
}

// A module that probes the file system at import: reads work, writes raise
// an OSError it can catch, and nothing is created.
TEST(ModuleLoaderTest, OsReadsTheFileSystemAndNeverWritesIt) {
  EnvHarness h;
  h.Write("data/b.txt", "b");
  h.Write("data/a.txt", "a");
  auto ran = h.Run(
      "import os\n"
      "here = os.path.dirname(os.path.abspath(__file__))\n"
      "made = 'made'\n"
      "try:\n"
      "    os.makedirs(os.path.join(here, 'new', 'folder'))\n"
      "except OSError as e:\n"
      "    made = type(e).__name__\n"
      "os.makedirs(os.path.join(here, 'data'), exist_ok=True)\n"
      "result = (os.listdir(os.path.join(here, 'data')), os.access(here, os.R_OK), os.X_OK, made, "
      "os.access(os.path.join(here, 'missing'), os.F_OK))\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h), "(['a.txt', 'b.txt'], True, 1, 'PermissionError', False)");
  EXPECT_FALSE(std::filesystem::exists(h.dir().File("new")));
}

// os's and posixpath's constants, as a POSIX CPython has them (Werkzeug's
// security module reads os.path.altsep at import).
TEST(ModuleLoaderTest, OsPathConstantsArePosixs) {
  EnvHarness h;
  auto ran = h.Run(
      "import os\n"
      "result = (os.path.altsep, os.altsep, os.sep, os.curdir, os.pardir, os.extsep, os.devnull,\n"
      "          os.pathsep, os.path.pardir, os.path.sep)\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  const auto expected = testutil::RunCommand(
      "/usr/bin/python3 -c \"import os; print(repr((os.path.altsep, os.altsep, os.sep, os.curdir, "
      "os.pardir, os.extsep, os.devnull, os.pathsep, os.path.pardir, os.path.sep)))\"");
  ASSERT_EQ(expected.exit_code, 0) << expected.err;
  EXPECT_EQ(ResultOf(h) + "\n", expected.out);
}

// Revisions generate secrets with os.urandom when they run.
TEST(ModuleLoaderTest, OsUrandomGivesFreshBytes) {
  EnvHarness h;
  auto ran = h.Run(
      "import os\na, b = os.urandom(16), os.urandom(16)\n"
      "try:\n    os.urandom(-1)\n    e = None\nexcept ValueError as error:\n    e = str(error)\n"
      "result = type(a).__name__, len(a), len(b), a != b, len(os.urandom(0)), e\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h), "('bytes', 16, 16, True, 0, 'negative argument not allowed')");
}

TEST(ModuleLoaderTest, OsGivesTheProcessIds) {
  EnvHarness h;
  // conda-store's settings default a field to os.getuid().
  auto ran = h.Run("import os\nresult = os.getuid() >= 0, os.getgid() >= 0, os.getpid() > 0\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h), "(True, True, True)");
}

TEST(ModuleLoaderTest, NamespacePackageWithoutInit) {
  EnvHarness h;
  h.Write("nspkg/mod.py", "X = 'ns'\n");
  auto ran = h.Run("from nspkg.mod import X\nfrom nspkg import mod\nresult = X, mod.X\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h), "('ns', 'ns')");
}

TEST(ModuleLoaderTest, ModulesNotInstalledArePlaceholders) {
  EnvHarness h;
  WarningCapture warnings;
  h.Write("myapp/__init__.py",
          "import cert_utils\n"
          "if cert_utils.NEEDS_TEMPFILES:\n"
          "    raise RuntimeError('tempfiles')\n"
          "for provider in cert_utils.providers():\n"
          "    raise RuntimeError('providers')\n");
  auto ran = h.Run(
      "import myapp\n"
      "from cert_utils.sub import thing\n"
      "import flask_sqlalchemy as fsa\n"
      "db = fsa.SQLAlchemy()\n"
      "class Model(db.Model):\n"
      "    def hello(self):\n"
      "        return 'hi'\n"
      "m = Model(1, a=2)\n"
      "@fsa.register('x')\n"
      "def f():\n"
      "    pass\n"
      "with db.session.begin() as s:\n"
      "    s.flag = 1\n"
      "db.engine = 5\n"
      "db.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\n"
      "assert dict(**db.extensions['migrate'].configure_args) == {}\n"
      "result = (m.hello(), Model.query.__name__, thing.__name__, isinstance(1, db.Model), "
      "fsa is fsa, len(list(db.tables)), (db.version >= (2, 0)).__name__, f.__name__)\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h),
            "('hi', 'flask_sqlalchemy.SQLAlchemy().Model.query', 'cert_utils.sub.thing', False, "
            "True, 0, '(flask_sqlalchemy.SQLAlchemy().version >= ...)', "
            "'flask_sqlalchemy.register()()')");
  const std::string init = h.dir().File("myapp/__init__.py");
  const std::string env = h.dir().File("env.py");
  EXPECT_NE(warnings.text().find(init + ":2:4: cert_utils.NEEDS_TEMPFILES (module 'cert_utils' "
                                        "is not installed) is taken as false"),
            std::string::npos)
      << warnings.text();
  EXPECT_NE(warnings.text().find(init + ":4:17: cert_utils.providers() (module 'cert_utils' is "
                                        "not installed) is iterated as empty"),
            std::string::npos)
      << warnings.text();
  EXPECT_NE(warnings.text().find(env + ":5:12: flask_sqlalchemy.SQLAlchemy().Model (module "
                                       "'flask_sqlalchemy' is not installed) is a base of class "
                                       "Model"),
            std::string::npos)
      << warnings.text();
}

TEST(ModuleLoaderTest, UnmodelledStandardModulesArePlaceholders) {
  EnvHarness h;
  WarningCapture warnings;
  auto ran = h.Run(
      "import contextlib, logging.handlers\nfrom smtplib import SMTP\n"
      "from secrets import SystemRandom\nKEY = SystemRandom().random()\n"
      "handler = logging.handlers.RotatingFileHandler('x.log')\n"
      "@contextlib.contextmanager\ndef session():\n    yield 1\n"
      "result = SMTP.__name__\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h), "'smtplib.SMTP'");
  EXPECT_NE(warnings.text().find(h.dir().File("env.py") +
                                 ":1:8: contextlib (module 'contextlib' is a standard library "
                                 "module sqlmend does not model) is imported as a placeholder"),
            std::string::npos)
      << warnings.text();
  EXPECT_NE(warnings.text().find("secrets.SystemRandom (module 'secrets.SystemRandom' is part of "
                                 "the standard library sqlmend does not model) is imported as a "
                                 "placeholder"),
            std::string::npos)
      << warnings.text();
}

// A path computed from a module that is not installed (appdirs, as
// configuration classes compute their folders) is a placeholder too.
TEST(ModuleLoaderTest, PathsFromPlaceholdersArePlaceholders) {
  EnvHarness h;
  WarningCapture warnings;
  auto ran = h.Run(
      "import os\nimport appdirs\n"
      "site = appdirs.site_config_dir('app')\n"
      "files = [os.path.join(d, 'config.toml') for d in [site]]\n"
      "found = [f for f in files if os.path.isfile(f)]\n"
      "result = files[0].__name__, found, os.path.dirname(os.path.abspath(site)).__name__\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h),
            "('os.path.join(appdirs.site_config_dir(), ...)', [], "
            "'os.path.dirname(os.path.abspath(appdirs.site_config_dir()))')");
  EXPECT_NE(warnings.text().find("os.path.isfile(os.path.join(appdirs.site_config_dir(), ...)) "
                                 "(module 'appdirs' is not installed) is taken as false"),
            std::string::npos)
      << warnings.text();
}

TEST(ModuleLoaderTest, UnmodelledPartsOfSqlalchemyFailOnlyWhenUsed) {
  EnvHarness h;
  auto quiet = h.Run("from sqlalchemy.ext import mutable\nresult = 1\n");
  ASSERT_TRUE(quiet.has_value()) << quiet.error().ToString();
  auto used = h.Run("from sqlalchemy.ext import mutable\nx = mutable.MutableDict\n");
  ASSERT_FALSE(used.has_value());
  EXPECT_EQ(used.error().object(), h.dir().File("env.py") + ":2:5");
  // (This harness installs no SQLAlchemy model: the first missing part is
  // named; either way it is not a placeholder.)
  EXPECT_TRUE(used.error().message().starts_with("module 'sqlalchemy."))
      << used.error().message();
  EXPECT_NE(used.error().message().find("is not available"), std::string::npos)
      << used.error().message();
}

TEST(ModuleLoaderTest, CompiledExtensionsArePlaceholders) {
  EnvHarness h;
  WarningCapture warnings;
  // Python tries an extension before a .py file in the same folder.
  h.Write("fastlib.cpython-311-x86_64-linux-gnu.so", "ELF (not Python)");
  h.Write("fastlib.py", "raise RuntimeError('the .py file ran')\n");
  h.Write("myapp/__init__.py", "from . import _speedups\nFAST = bool(_speedups.enabled)\n");
  h.Write("myapp/_speedups.abi3.so", "ELF (not Python)");
  auto ran = h.Run("import fastlib, myapp\nresult = bool(fastlib.x), myapp.FAST\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h), "(False, False)");
  EXPECT_NE(warnings.text().find("fastlib.x (module 'fastlib' is a C extension (" +
                                 h.dir().File("fastlib.cpython-311-x86_64-linux-gnu.so") +
                                 ")) is taken as false"),
            std::string::npos)
      << warnings.text();
  EXPECT_NE(warnings.text().find("myapp._speedups.enabled (module 'myapp._speedups' is a C "
                                 "extension"),
            std::string::npos)
      << warnings.text();
}

// An installed library (a virtualenv's site-packages) whose Python sqlmend
// cannot run is a placeholder, as one not installed, with the reason; what
// it ran before stays, and the rest of its package runs. A project module
// failing the same way still stops the run: it defines the schema.
TEST(ModuleLoaderTest, AnInstalledLibraryThatCannotRunIsAPlaceholder) {
  EnvHarness h;
  WarningCapture warnings;
  const std::string site = "venv/lib/python3.11/site-packages/";
  h.Write(site + "wzlib/__init__.py",
          "from . import _internal\nfrom ._internal import helper\nREADY = True\n");
  h.Write(site + "wzlib/_internal.py",
          "import datetime\nhelper = 1\nEPOCH = datetime.date(1970, 1, 1).no_such_method()\n");
  h.Write(site + "wzlib/security.py", "def digest(text):\n    return 'h:' + text\n");
  const std::string prelude =
      "import os, sys\n"
      "sys.path.append(os.path.join(os.path.dirname(__file__), 'venv', 'lib', 'python3.11', "
      "'site-packages'))\n";
  auto ran = h.Run(prelude +
                   "import wzlib\n"
                   "from wzlib.security import digest\n"
                   "result = wzlib.READY, bool(wzlib._internal.helper), digest('x')\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h), "(True, False, 'h:x')");
  EXPECT_NE(warnings.text().find("wzlib._internal (module 'wzlib._internal' could not be run by "
                                 "sqlmend: " +
                                 h.dir().File(site + "wzlib/_internal.py") +
                                 ":3:9: AttributeError: 'date' object has no attribute "
                                 "'no_such_method') is imported as a placeholder"),
            std::string::npos)
      << warnings.text();

  EnvHarness project;
  project.Write("myapp.py",
                "import datetime\nEPOCH = datetime.date(1970, 1, 1).no_such_method()\n");
  auto stopped = project.Run("import myapp\n");
  ASSERT_FALSE(stopped.has_value());
  EXPECT_EQ(stopped.error().object(), project.dir().File("myapp.py") + ":2:9");
}

TEST(ModuleLoaderTest, AModulesGetattrAnswersForNamesItLacks) {
  EnvHarness h;
  h.Write("lazy.py",
          "def __getattr__(name):\n"
          "    if name == 'VALUE':\n"
          "        return 42\n"
          "    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')\n");
  auto ran = h.Run(
      "import lazy\nfrom lazy import VALUE\n"
      "try:\n    lazy.other\n    missing = None\nexcept AttributeError as e:\n    missing = "
      "str(e)\n"
      "result = lazy.VALUE, VALUE, hasattr(lazy, 'other'), missing\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h), "(42, 42, False, \"module 'lazy' has no attribute 'other'\")");
}

// A library modelled in part (AddPartialModel): its modelled names are the
// model's, the rest placeholders, also under a parent that is not installed.
TEST(ModuleLoaderTest, ALibraryModelledInPart) {
  EnvHarness h;
  WarningCapture warnings;
  static constexpr char kModel[] =
      "from _sqlmend_partial import unmodelled, is_placeholder\n"
      "_rest = unmodelled('fancylib.sub')\n"
      "VALUE = 42\n"
      "class Widget(_rest.Widget):\n"
      "    def size(self):\n"
      "        return 3\n"
      "PLACEHOLDER_SEEN = is_placeholder(_rest), is_placeholder(VALUE)\n";
  h.loader().AddPartialModel("fancylib.sub", kModel);
  auto ran = h.Run(
      "import fancylib.sub\nfrom fancylib.sub import VALUE, Widget, other\n"
      "w = Widget(1, key=2)\n"
      "result = (VALUE, fancylib.sub.VALUE, repr(other), w.size(), repr(w.colour),\n"
      "          fancylib.sub.PLACEHOLDER_SEEN, repr(fancylib.sub2))\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h),
            "(42, 42, '<placeholder fancylib.sub.other>', 3, '<placeholder "
            "fancylib.sub.Widget.colour>', (True, False), '<placeholder fancylib.sub2>')");
  EXPECT_NE(warnings.text().find("fancylib (module 'fancylib' is not installed) is imported as a "
                                 "placeholder"),
            std::string::npos)
      << warnings.text();
}

TEST(ModuleLoaderTest, AMissingSubmoduleOfAProjectPackageIsAnImportError) {
  EnvHarness h;
  h.Write("myapp/__init__.py", "");
  auto ran = h.Run("from myapp import nothere\n");
  ASSERT_FALSE(ran.has_value());
  EXPECT_EQ(ran.error().message(), "ImportError: cannot import name 'nothere' from 'myapp'");
}

TEST(ModuleLoaderTest, SyntaxErrorInAProjectModuleIsLocatedInIt) {
  EnvHarness h;
  h.Write("myapp/__init__.py", "");
  h.Write("myapp/models.py", "x = 1\ndef broken(:\n    pass\n");
  auto ran = h.Run("from myapp.models import x\n");
  ASSERT_FALSE(ran.has_value());
  EXPECT_EQ(ran.error().code(), base::Code::kUnusableInput);
  EXPECT_TRUE(ran.error().object().starts_with(h.dir().File("myapp/models.py") + ":2:"))
      << ran.error().ToString();
}

TEST(ModuleLoaderTest, ExceptionInAProjectModuleIsLocatedInIt) {
  EnvHarness h;
  h.Write("settings.py", "x = 1\nraise RuntimeError('no settings')\n");
  auto ran = h.Run("import settings\n");
  ASSERT_FALSE(ran.has_value());
  EXPECT_EQ(ran.error().object(), h.dir().File("settings.py") + ":2:1");
  EXPECT_EQ(ran.error().message(), "RuntimeError: no settings");
}

TEST(ModuleLoaderTest, CyclicImportsBehaveAsInPython) {
  EnvHarness h;
  // a imports b, which imports a back: b sees the half-run a, and reads its
  // names later, at call time, as Python allows.
  h.Write("a.py", "import b\nA = 'a'\ndef both():\n    return A + b.B\n");
  h.Write("b.py", "import a\nB = 'b'\ndef from_a():\n    return a.A\n");
  auto ran = h.Run("import a, b\nresult = a.both(), b.from_a()\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h), "('ab', 'a')");

  // Reading a name the half-run module has not defined yet fails clearly
  // (Python: "cannot import name 'D' from partially initialized module").
  h.Write("c.py", "from d import D\nC = 'c'\n");
  h.Write("d.py", "from c import C\nD = 'd'\n");
  auto cyclic = h.Run("import c\n");
  ASSERT_FALSE(cyclic.has_value());
  EXPECT_EQ(cyclic.error().object(), h.dir().File("d.py") + ":1:15");
  EXPECT_EQ(cyclic.error().message(), "ImportError: cannot import name 'C' from 'c'");
}

TEST(ModuleLoaderTest, AHalfRunPackageShowsTheNamesItHasDefined) {
  EnvHarness h;
  // pkg/__init__ defines Err, then imports a submodule that imports Err back
  // from the half-run pkg: Python's module.__dict__ is its globals (nbgrader's
  // nbgrader.exchange does this).
  h.Write("pkg/__init__.py", "from pkg.base import (Err, Other)\nfrom .factory import Factory\n");
  h.Write("pkg/base.py", "class Err(Exception):\n    pass\nclass Other:\n    pass\n");
  h.Write("pkg/factory.py", "from .sub import thing\nFactory = 1\n");
  h.Write("pkg/sub/__init__.py", "from pkg import Err\nimport pkg\nthing = (Err, pkg.Other)\n");
  auto ran = h.Run("import pkg\nresult = pkg.Factory, pkg.sub.thing[0] is pkg.Err\n");
  ASSERT_TRUE(ran.has_value()) << ran.error().ToString();
  EXPECT_EQ(ResultOf(h), "(1, True)");
}

TEST(ModuleLoaderTest, RelativeImportOutsideAPackageFails) {
  EnvHarness h;
  auto ran = h.Run("from . import models\n");
  ASSERT_FALSE(ran.has_value());
  EXPECT_EQ(ran.error().message(),
            "ImportError: attempted relative import with no known parent package");
  h.Write("top/__init__.py", "from ... import x\n");
  auto beyond = h.Run("import top\n");
  ASSERT_FALSE(beyond.has_value());
  EXPECT_EQ(beyond.error().message(),
            "ImportError: attempted relative import beyond top-level package");
}

}  // namespace
}  // namespace sqlmend::alembic
