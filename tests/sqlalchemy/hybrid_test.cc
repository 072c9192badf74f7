// sqlalchemy.ext.hybrid's hybrid_property and hybrid_method on a
// declarative model, run by Debian's SQLAlchemy 1.4 (in the test) and by
// sqlmend's model: repr() of `result` must read the same.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "python/interpreter.h"
#include "python/parser.h"
#include "sqlalchemy/sqlalchemy.h"
#include "testutil/testutil.h"

namespace sqlmend::sqlalchemy {
namespace {

using python::Interpreter;
using python::PythonModule;

constexpr char kHybridModel[] = R"PY(
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base
from sqlalchemy.ext.hybrid import hybrid_property, hybrid_method
Base = declarative_base()
class Person(Base):
    __tablename__ = 'person'
    id = sa.Column(sa.Integer, primary_key=True)
    first = sa.Column(sa.String(20))
    last = sa.Column(sa.String(20))
    @hybrid_property
    def full(self):
        return self.first + ' ' + self.last
    @full.setter
    def full(self, value):
        self.first, self.last = value.split(' ', 1)
    @hybrid_property
    def initial(self):
        return self.first[0]
    @initial.expression
    def initial(cls):
        return sa.func.substr(cls.first, 1, 1)
    @hybrid_method
    def longer(self, n):
        return len(self.first) > n
    @longer.expression
    def longer(cls, n):
        return sa.func.length(cls.first) > n
p = Person(full='Ada Lovelace')
before = (p.full, p.initial, p.longer(3), p.longer(2))
p.full = 'Grace Hopper'
try:
    p.initial = 'X'
    refused = None
except AttributeError as e:
    refused = str(e)
result = (before, p.full, p.first, p.last, p.initial, refused,
          type(Person.longer(4)).__name__, [c.name for c in Person.__table__.c])
)PY";

std::string RunHybridOracle() {
  testutil::TempDir dir;
  testutil::WriteFile(dir.File("model.py"), std::string(kHybridModel) + "print(repr(result))\n");
  const testutil::RunResult run = testutil::RunCommand(
      "/usr/bin/python3 -W ignore " + testutil::ShellQuote(dir.File("model.py")));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return run.out.substr(0, run.out.find_last_not_of('\n') + 1);
}

TEST(HybridTest, HybridAttributesActAsSqlalchemys) {
  static std::vector<std::unique_ptr<PythonModule>> keep;  // outlive the interpreter
  auto module = PythonModule::Parse(kHybridModel, "model.py");
  ASSERT_TRUE(module.has_value()) << module.error().ToString();
  keep.push_back(std::make_unique<PythonModule>(std::move(*module)));
  Interpreter interpreter;
  InstallSqlalchemy(interpreter);
  base::Status status = interpreter.Run(*keep.back());
  ASSERT_TRUE(status.ok()) << status.ToString();
  const python::Value* result = interpreter.Global("result");
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(python::Repr(*result), RunHybridOracle());
}

}  // namespace
}  // namespace sqlmend::sqlalchemy
