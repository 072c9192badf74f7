// Flask-SQLAlchemy's models (db.Model, db.Column, __tablename__ derived
// from the class name, abstract bases), evaluated by sqlmend and by the
// real flask_sqlalchemy Debian installs, compared.
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

constexpr char kModels[] = R"PY(
from flask_sqlalchemy import SQLAlchemy
import sqlalchemy as sa
db = SQLAlchemy()
class Base(db.Model):
    __abstract__ = True
    created = db.Column(db.DateTime)
class UserRole(Base):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20), nullable=False)
class HTTPSession(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey('user_role.id'))
    user = db.relationship('UserRole', backref='sessions')
class Keys(db.Model):
    __tablename__ = 'keys'
    name = db.Column(db.String(), nullable=False, primary_key=True)
    value = db.Column(db.String(), nullable=False)
class NoKey(db.Model):
    __abstract__ = True
roles_users = db.Table(
    'roles_users',
    db.Column('user_id', db.Integer(), db.ForeignKey('user_role.id')),
    db.Column('role_id', db.Integer()))
class Checked(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    entity = db.Column(db.String(20))
    @db.validates('entity')
    def validate_entity(self, key, entity):
        return entity
result = [(name, [c.name for c in t.c]) for name, t in sorted(db.metadata.tables.items())]
)PY";

TEST(FlaskSqlalchemyTest, ModelsMakeTheTablesFlaskSqlalchemyMakes) {
  auto oracle = testutil::RunCommand(
      "/usr/bin/python3 -c 'import flask_sqlalchemy' 2>/dev/null && echo yes");
  if (oracle.out.find("yes") == std::string::npos) GTEST_SKIP() << "no flask_sqlalchemy oracle";
  testutil::TempDir dir;
  const std::string script = dir.File("models.py");
  testutil::WriteFile(script, std::string(kModels) + "print(repr(result))\n");
  auto theirs = testutil::RunCommand("/usr/bin/python3 " + testutil::ShellQuote(script));
  ASSERT_EQ(theirs.exit_code, 0) << theirs.err;

  auto module = python::PythonModule::Parse(kModels, "models.py");
  ASSERT_TRUE(module) << module.error().ToString();
  python::Interpreter interpreter;
  InstallSqlalchemy(interpreter);
  base::Status ran = interpreter.Run(*module);
  ASSERT_TRUE(ran.ok()) << ran.ToString();
  const python::Value* result = interpreter.Global("result");
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(python::Repr(*result) + "\n", theirs.out);
}

}  // namespace
}  // namespace sqlmend::sqlalchemy
