// The datetime and uuid modules, and SQLAlchemy's bind processing of
// op.bulk_insert() rows and text bind parameters on SQLite, checked against
// the oracle: Debian's /usr/bin/python3 with SQLAlchemy 1.4.46 and Alembic
// 1.8.1 runs the same snippets, and each printed line (for the modules) or
// stored value with its typeof() (for the binds) must match.
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "alembic/op.h"
#include "python/interpreter.h"
#include "sqlalchemy/sqlalchemy.h"
#include "testutil/testutil.h"

namespace sqlmend::sqlalchemy {

using python::FloatRepr;
using python::Interpreter;
using python::PythonModule;

namespace {

// Expressions whose repr() both interpreters print.
const std::vector<std::string> kModuleExpressions = {
    "datetime.datetime(2024, 1, 8, 9, 45)",
    "str(datetime.datetime(2024, 1, 8, 9, 45))",
    "str(datetime.datetime(2024, 1, 8, 9, 45, 0, 5))",
    "datetime.datetime(2024, 1, 8, 9, 45, 7).isoformat()",
    "datetime.datetime(2024, 1, 8).isoformat(' ')",
    "datetime.datetime(2024, 2, 29, 23, 59, 59, 120).date()",
    "datetime.datetime(2024, 2, 29, 23, 59, 59, 120).time()",
    "datetime.date(2024, 2, 1)",
    "str(datetime.date(2024, 2, 1))",
    "datetime.date(2024, 2, 1).weekday()",
    "datetime.date(2024, 2, 1).strftime('%Y/%m/%d %j')",
    "datetime.time(9, 1, 30)",
    "datetime.time(9, 1)",
    "str(datetime.time(9, 1, 30, 250))",
    "datetime.datetime(2024, 1, 8).year + datetime.datetime(2024, 1, 8).month",
    "datetime.datetime(2024, 1, 8) == datetime.datetime(2024, 1, 8, 0, 0)",
    "datetime.datetime(2024, 1, 8) < datetime.datetime(2024, 1, 8, 0, 0, 0, 1)",
    "datetime.date(2024, 1, 8) == datetime.datetime(2024, 1, 8)",
    "isinstance(datetime.datetime(2024, 1, 8), datetime.date)",
    "isinstance(datetime.date(2024, 1, 8), datetime.datetime)",
    "{datetime.date(2024, 1, 8): 1}[datetime.date(2024, 1, 8)]",
    "datetime.date(2024, 1, 8).replace(day=9)",
    "datetime.timedelta(days=1, hours=2, seconds=5)",
    "str(datetime.timedelta(days=-1, microseconds=5))",
    "str(datetime.timedelta(hours=1.5))",
    "datetime.timedelta(minutes=90).total_seconds()",
    "datetime.timedelta(0)",
    "uuid.UUID('7C3A5E1F-0B9D-4C2E-8A6F-1D2B3C4D5E6F')",
    "uuid.UUID('{7c3a5e1f0b9d4c2e8a6f1d2b3c4d5e6f}').hex",
    "str(uuid.UUID('urn:uuid:7c3a5e1f-0b9d-4c2e-8a6f-1d2b3c4d5e6f'))",
    "uuid.UUID('7c3a5e1f-0b9d-4c2e-8a6f-1d2b3c4d5e6f').version",
    "uuid.UUID('7c3a5e1f0b9d4c2e8a6f1d2b3c4d5e6f') == "
    "uuid.UUID(hex='7c3a5e1f-0b9d-4c2e-8a6f-1d2b3c4d5e6f')",
    "isinstance(uuid.UUID('7c3a5e1f0b9d4c2e8a6f1d2b3c4d5e6f'), uuid.UUID)",
    "isinstance('7c3a5e1f0b9d4c2e8a6f1d2b3c4d5e6f', uuid.UUID)",
};

// Statements that must raise; both sides print the exception's class and
// message.
const std::vector<std::string> kModuleErrors = {
    "datetime.date(2023, 2, 29)", "datetime.datetime(2024, 13, 1)", "datetime.time(24, 0)",
    "datetime.datetime(0, 1, 1)", "datetime.date(2024.0, 1, 1)",    "uuid.UUID('not-a-uuid')",
};

// (column type, value) pairs bound through op.bulk_insert() into an untyped
// column, so typeof() shows what the driver received.
struct BindCase {
  std::string type;
  std::string value;
};
const std::vector<BindCase> kBindCases = {
    {"GUID()", "'7c3a5e1f-0b9d-4c2e-8a6f-1d2b3c4d5e6f'"},
    {"GUID()", "uuid.UUID('1e2d3c4b-5a69-4788-9a0b-c1d2e3f40516')"},
    {"GUID()", "None"},
    {"sa.Enum(Status)", "Status.ACTIVE"},
    {"sa.Enum(Status, values_callable=lambda e: [m.value for m in e])", "Status.FROZEN"},
    {"sa.Enum(Status)", "'frozen'"},
    {"sa.Boolean()", "True"},
    {"sa.Boolean()", "0"},
    {"sa.Numeric(12, 2)", "2500"},
    {"sa.Numeric(12, 2)", "125.5"},
    {"sa.Float()", "3"},
    {"sa.Integer()", "True"},
    {"sa.DateTime()", "datetime.datetime(2024, 1, 8, 9, 45)"},
    {"sa.DateTime()", "datetime.date(2024, 1, 8)"},
    {"sa.Date()", "datetime.datetime(2024, 2, 1, 3, 4, 5)"},
    {"sa.Time()", "datetime.time(9, 1, 30, 7)"},
    {"sa.JSON()", "{'a': [1, 2.5, None]}"},
    {"sa.JSON()", "None"},
    {"sa.String()", "datetime.datetime(2024, 1, 8, 9, 45, 0, 5)"},
    {"sa.String()", "5"},
    {"None", "datetime.date(2024, 1, 8)"},
    {"None", "2.5"},
    {"None", "b'\\x00ab\\xff'"},
    {"sa.LargeBinary()", "b'\\x00\\x01'"},
    {"sa.String()", "b'ab'"},
};

constexpr char kCommonPrelude[] = R"PY(
import datetime
import enum
import uuid

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


class Status(enum.Enum):
    ACTIVE = "active"
    FROZEN = "frozen"


class GUID(TypeDecorator):
    impl = sa.CHAR(32)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return value
        if isinstance(value, uuid.UUID):
            return value.hex
        return uuid.UUID(value).hex


def column(type_):
    return sa.column("v") if type_ is None else sa.column("v", type_)

)PY";

std::string ModuleScript() {
  std::string script;
  for (const std::string& expression : kModuleExpressions) {
    script += "print(repr(" + expression + "))\n";
  }
  for (const std::string& statement : kModuleErrors) {
    script += "try:\n    " + statement + "\n    print('no error')\nexcept Exception as e:\n" +
              "    print(type(e).__name__ + ': ' + str(e))\n";
  }
  return script;
}

std::string BindRows() {
  std::string rows;
  for (const BindCase& c : kBindCases) {
    rows += "    (" + c.type + ", " + c.value + "),\n";
  }
  return "CASES = [\n" + rows + "]\n";
}

// The oracle's lines: the module script's, then "typeof:value" per case.
std::vector<std::string> OracleLines() {
  std::string script = kCommonPrelude + ModuleScript() + BindRows() + R"PY(
from alembic.migration import MigrationContext
from alembic.operations import Operations
engine = sa.create_engine("sqlite://")
with engine.begin() as conn:
    op = Operations(MigrationContext.configure(conn))
    # One table name per case: SQLAlchemy caches the compiled INSERT by
    # table and column, and Enum's cache key leaves values_callable out.
    for number, (type_, value) in enumerate(CASES):
        name = "t%d" % number
        conn.exec_driver_sql("CREATE TABLE %s (v)" % name)
        op.bulk_insert(sa.table(name, column(type_)), [{"v": value}])
        kind, stored = conn.exec_driver_sql("SELECT typeof(v), v FROM %s" % name).fetchone()
        print("%s:%s" % (kind, stored))
    conn.exec_driver_sql("CREATE TABLE t (v)")
    conn.execute(sa.text("INSERT INTO t VALUES (:v)").bindparams(v=datetime.datetime(2024, 2, 20, 11, 11, 11)))
    conn.execute(sa.text("INSERT INTO t VALUES (:v)").bindparams(sa.bindparam("v", "7c3a5e1f-0b9d-4c2e-8a6f-1d2b3c4d5e6f", type_=GUID())))
    for kind, stored in conn.exec_driver_sql("SELECT typeof(v), v FROM t"):
        print("%s:%s" % (kind, stored))
)PY";
  testutil::TempDir dir;
  testutil::WriteFile(dir.File("oracle.py"), script);
  const testutil::RunResult run = testutil::RunCommand("/usr/bin/python3 -W ignore " +
                                                       testutil::ShellQuote(dir.File("oracle.py")));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> lines;
  std::istringstream in(run.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Dump(const ops::Literal& literal) {
  switch (literal.kind) {
    case ops::Literal::Kind::kNull:
      return "null:None";
    case ops::Literal::Kind::kInt:
      return "integer:" + std::to_string(literal.integer);
    case ops::Literal::Kind::kFloat:
      return "real:" + FloatRepr(literal.real);
    case ops::Literal::Kind::kText:
      return "text:" + literal.text;
    case ops::Literal::Kind::kBlob:
      return "blob:" + python::BytesRepr(literal.text);
  }
  return "?";
}

// sqlmend's lines for the same script: printed lines, then the recorded
// bulk_insert and execute values.
std::vector<std::string> SqlmendLines() {
  std::string script = kCommonPrelude + ModuleScript() + BindRows() + R"PY(
from alembic import op
for type_, value in CASES:
    op.bulk_insert(sa.table("t", column(type_)), [{"v": value}])
op.execute(sa.text("INSERT INTO t VALUES (:v)").bindparams(v=datetime.datetime(2024, 2, 20, 11, 11, 11)))
op.execute(sa.text("INSERT INTO t VALUES (:v)").bindparams(sa.bindparam("v", "7c3a5e1f-0b9d-4c2e-8a6f-1d2b3c4d5e6f", type_=GUID())))
)PY";
  static std::vector<std::unique_ptr<PythonModule>> keep;  // outlive the functions
  auto module = PythonModule::Parse(script, "bind.py");
  EXPECT_TRUE(module.has_value());
  if (!module) return {};
  keep.push_back(std::make_unique<PythonModule>(std::move(*module)));
  std::vector<std::string> lines;
  Interpreter interpreter(
      [&](const python::LogRecord& record) { lines.push_back(record.text); });
  InstallSqlalchemy(interpreter);
  auto log = std::make_shared<alembic::OperationLog>();
  alembic::InstallAlembicOp(interpreter, log);
  base::Status status = interpreter.Run(*keep.back());
  EXPECT_TRUE(status.ok()) << status.ToString();
  for (const ops::Operation& operation : log->operations) {
    if (const auto* insert = std::get_if<ops::BulkInsert>(&operation)) {
      for (const auto& row : insert->rows) {
        for (const auto& [name, literal] : row) lines.push_back(Dump(literal));
      }
    } else if (const auto* execute = std::get_if<ops::Execute>(&operation)) {
      for (const auto& [name, literal] : execute->parameters) lines.push_back(Dump(literal));
    }
  }
  return lines;
}

TEST(BindValuesTest, ModulesAndBindProcessingMatchSqlalchemy) {
  const std::vector<std::string> expected = OracleLines();
  const std::vector<std::string> actual = SqlmendLines();
  const size_t module_lines = kModuleExpressions.size() + kModuleErrors.size();
  ASSERT_EQ(expected.size(), module_lines + kBindCases.size() + 2);
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    std::string input =
        i < kModuleExpressions.size() ? kModuleExpressions[i]
        : i < module_lines            ? kModuleErrors[i - kModuleExpressions.size()]
        : i < module_lines + kBindCases.size()
            ? kBindCases[i - module_lines].type + " <- " + kBindCases[i - module_lines].value
            : "text bindparams #" + std::to_string(i - module_lines - kBindCases.size());
    EXPECT_EQ(actual[i], expected[i]) << input;
  }
}

// Hand-checked against the oracle, so that a broken oracle run cannot hide
// the main conversions.
TEST(BindValuesTest, KnownConversions) {
  const std::vector<std::string> actual = SqlmendLines();
  const size_t first = kModuleExpressions.size() + kModuleErrors.size();
  ASSERT_GE(actual.size(), first + kBindCases.size());
  EXPECT_EQ(actual[first + 0], "text:7c3a5e1f0b9d4c2e8a6f1d2b3c4d5e6f");
  EXPECT_EQ(actual[first + 3], "text:ACTIVE");
  EXPECT_EQ(actual[first + 4], "text:frozen");
  EXPECT_EQ(actual[first + 8], "real:2500.0");
  EXPECT_EQ(actual[first + 12], "text:2024-01-08 09:45:00.000000");
  EXPECT_EQ(actual[first + 15], "text:09:01:30.000007");
}

}  // namespace
}  // namespace sqlmend::sqlalchemy
