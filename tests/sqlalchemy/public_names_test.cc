// Every public name of the SQLAlchemy modules imports, compared with the
// SQLAlchemy Debian installs (its names are listed by the same tool that
// generated public_names.inc, run here); unmodelled names stop a run only
// when evaluated, with their location.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "python/interpreter.h"
#include "python/parser.h"
#include "sqlalchemy/sqlalchemy.h"

namespace sqlmend::sqlalchemy {

using python::Interpreter;
using python::PythonModule;

namespace {

constexpr const char* kPython = "/usr/bin/python3";

struct ScriptRun {
  base::Status status;
  std::string result;
};

ScriptRun RunScript(const std::string& source) {
  auto module = PythonModule::Parse(source, "rev.py");
  if (!module) return {module.error(), ""};
  Interpreter interpreter;
  InstallSqlalchemy(interpreter);
  ScriptRun out{interpreter.Run(*module), ""};
  if (const python::Value* result = interpreter.Global("result")) {
    out.result = python::Repr(*result);
  }
  return out;
}

std::vector<std::string> Lines(const std::string& command) {
  std::vector<std::string> lines;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return lines;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    std::string line = buffer;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  ::pclose(pipe);
  return lines;
}

bool HaveSqlalchemy() {
  return !Lines(std::string(kPython) + " -c 'import sqlalchemy; print(1)' 2>/dev/null").empty();
}

TEST(PublicNamesTest, EveryNameTheInstalledSqlalchemyHasImports) {
  if (!HaveSqlalchemy()) GTEST_SKIP() << "no SQLAlchemy oracle";
  std::vector<std::string> names =
      Lines(std::string(kPython) + " " SQLMEND_SOURCE_DIR "/tools/sqlalchemy_names.py --plain");
  ASSERT_GT(names.size(), 500u);
  std::string script;
  for (size_t i = 0; i < names.size(); ++i) {
    size_t dot = names[i].rfind('.');
    script += "from " + names[i].substr(0, dot) + " import " + names[i].substr(dot + 1) +
              " as n" + std::to_string(i) + "\n";
    // The attribute path works too (sa.exc.IntegrityError).
    script += "import " + names[i].substr(0, dot) + "\n";
  }
  ScriptRun run = RunScript(script);
  EXPECT_TRUE(run.status.ok()) << run.status.ToString();
}

TEST(PublicNamesTest, AnUnmodelledNameStopsOnlyWhereItIsEvaluated) {
  ScriptRun unreached = RunScript(
      "import sqlalchemy as sa\nfrom sqlalchemy.dialects import postgresql\n"
      "from sqlalchemy.exc import IntegrityError\n"
      "dialect = 'sqlite'\n"
      "if dialect == 'postgresql':\n    t = postgresql.ExcludeConstraint(('x', '='))\n"
      "result = isinstance(1, postgresql.ExcludeConstraint), "
      "postgresql.ExcludeConstraint is postgresql.ExcludeConstraint, "
      "postgresql.ExcludeConstraint.__name__, postgresql.JSONB.__name__\n");
  ASSERT_TRUE(unreached.status.ok()) << unreached.status.ToString();
  EXPECT_EQ(unreached.result, "(False, True, 'ExcludeConstraint', 'JSONB')");

  ScriptRun reached = RunScript(
      "from sqlalchemy.dialects import postgresql\nimport sqlalchemy as sa\n\n"
      "t = postgresql.ExcludeConstraint(('x', '='))\n");
  EXPECT_EQ(reached.status.code(), base::Code::kRefused) << reached.status.ToString();
  EXPECT_NE(reached.status.ToString().find("rev.py:4:"), std::string::npos)
      << reached.status.ToString();
  EXPECT_NE(reached.status.ToString().find("sqlalchemy.dialects.postgresql.ExcludeConstraint is not modelled"),
            std::string::npos)
      << reached.status.ToString();
}

// The exception hierarchy of sqlalchemy.exc is SQLAlchemy's: the same
// snippet run by CPython with the real SQLAlchemy gives the same result.
TEST(PublicNamesTest, ExceptionClassesKeepSqlalchemysHierarchy) {
  if (!HaveSqlalchemy()) GTEST_SKIP() << "no SQLAlchemy oracle";
  const std::string snippet =
      "import sqlalchemy as sa\nfrom sqlalchemy import exc\n"
      "def caught(error, by):\n    try:\n        raise error\n    except by:\n"
      "        return True\n    except Exception:\n        return False\n"
      "result = (issubclass(exc.IntegrityError, exc.DBAPIError), "
      "issubclass(exc.NoSuchTableError, exc.InvalidRequestError), "
      "issubclass(exc.OperationalError, exc.ArgumentError), "
      "caught(exc.NoSuchTableError('t'), sa.exc.SQLAlchemyError), "
      "caught(exc.NoSuchTableError('t'), exc.ArgumentError), "
      "caught(exc.ArgumentError('a'), (exc.CompileError, exc.ArgumentError)), "
      "exc.IntegrityError.__name__)\n";
  ScriptRun ours = RunScript(snippet);
  ASSERT_TRUE(ours.status.ok()) << ours.status.ToString();
  std::string path = testing::TempDir() + "sqlmend_exc_snippet.py";
  FILE* file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fputs((snippet + "print(repr(result))\n").c_str(), file);
  std::fclose(file);
  std::vector<std::string> theirs = Lines(std::string(kPython) + " " + path);
  std::remove(path.c_str());
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(ours.result, theirs[0]);
}

// MySQL's and PostgreSQL's upper-case types that are also generic ones
// compile on SQLite as SQLAlchemy compiles them there (the dialect's own
// keywords ignored), so an autogenerated downgrade that re-adds
// mysql.VARCHAR(length=128) runs on SQLite.
TEST(PublicNamesTest, OtherDialectsGenericTypesCompileForSqlite) {
  if (!HaveSqlalchemy()) GTEST_SKIP() << "no SQLAlchemy oracle";
  const std::vector<std::string> types = {
      "mysql.VARCHAR(length=128)", "mysql.INTEGER(display_width=11)",
      "mysql.CHAR(36)", "mysql.DATETIME()", "mysql.TEXT()",
      "postgresql.INTEGER()", "postgresql.VARCHAR(40)", "postgresql.BOOLEAN()"};
  std::string ours_source = "from sqlalchemy.dialects import mysql, postgresql\nresult = [";
  std::string theirs_source =
      "from sqlalchemy.dialects import mysql, postgresql, sqlite\nprint(repr([";
  for (const std::string& type : types) {
    ours_source += "str(" + type + "), ";
    theirs_source += "str(" + type + ".compile(dialect=sqlite.dialect())), ";
  }
  ours_source += "]\n";
  theirs_source += "]))\n";
  ScriptRun ours = RunScript(ours_source);
  ASSERT_TRUE(ours.status.ok()) << ours.status.ToString();
  std::string path = testing::TempDir() + "sqlmend_dialect_types.py";
  FILE* file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fputs(theirs_source.c_str(), file);
  std::fclose(file);
  std::vector<std::string> theirs = Lines(std::string(kPython) + " " + path);
  std::remove(path.c_str());
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(ours.result, theirs[0]);
}

// The bases of custom SQL constructs and sqlalchemy.ext.compiler
// (custom_constructs.h): a module that defines its own construct the way
// SQLAlchemy's documentation shows imports and gives what it gives under
// the real SQLAlchemy.
constexpr const char* kCustomConstructSnippet = R"PY(import sqlalchemy as sa
from sqlalchemy.ext import compiler
from sqlalchemy.sql import expression
from sqlalchemy.sql.elements import BooleanClauseList, ColumnElement
from sqlalchemy.sql.expression import ClauseElement, Executable

class InsertFromSelect(Executable, ClauseElement):
    _execution_options = Executable._execution_options.union({'autocommit': True})

    def __init__(self, table, select):
        self.table = table
        self.select = select

@compiler.compiles(InsertFromSelect)
def _visit_insert_from_select(element, compiler, **kw):
    return 'INSERT INTO ' + compiler.process(element.table, asfrom=True)

t = sa.table('t', sa.column('a'), sa.column('b'))
clause = BooleanClauseList.and_(*[c == v for (c, v) in [(t.c.a, 1), (t.c.b, 2)]])
node = InsertFromSelect(t, None)
result = (_visit_insert_from_select.__name__,
          InsertFromSelect._execution_options.get('autocommit'),
          'autocommit' in node._execution_options,
          'autocommit' in Executable._execution_options,
          isinstance(node, ClauseElement), isinstance(node, expression.Executable),
          issubclass(ColumnElement, ClauseElement), type(clause).__name__)
)PY";

TEST(PublicNamesTest, ADocumentedCustomConstructImportsAsUnderSqlalchemy) {
  ScriptRun ours = RunScript(kCustomConstructSnippet);
  ASSERT_TRUE(ours.status.ok()) << ours.status.ToString();
  if (!HaveSqlalchemy()) GTEST_SKIP() << "no SQLAlchemy oracle; sqlmend gave " << ours.result;
  std::string path = testing::TempDir() + "sqlmend_custom_constructs.py";
  FILE* file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fputs((std::string(kCustomConstructSnippet) + "print(repr(result))\n").c_str(), file);
  std::fclose(file);
  std::vector<std::string> theirs = Lines(std::string(kPython) + " " + path);
  std::remove(path.c_str());
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(ours.result, theirs[0]);
}

}  // namespace
}  // namespace sqlmend::sqlalchemy
