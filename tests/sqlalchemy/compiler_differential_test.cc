// Core statements compiled by sqlmend's SQLite compiler and by SQLAlchemy
// 1.4's (Debian's python3-sqlalchemy, run in the test): the online SQL with
// its bound values (after each type's bind processing, as pysqlite receives
// them) and the --sql form with literal binds must be identical.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "python/interpreter.h"
#include "python/parser.h"
#include "sqlalchemy/compiler.h"
#include "sqlalchemy/sqlalchemy.h"

namespace sqlmend::sqlalchemy {
namespace {

using python::Interpreter;
using python::PythonModule;
using python::Value;

constexpr const char* kCompilerOracle = "/usr/bin/python3";

constexpr const char* kCompilerPrelude =
    "import sqlalchemy as sa\n"
    "t = sa.table('account', sa.column('id', sa.Integer), sa.column('name', sa.String),\n"
    "             sa.column('weight', sa.Float), sa.column('active', sa.Boolean),\n"
    "             sa.column('balance', sa.Numeric(10, 2)))\n"
    "u = sa.Table('user', sa.MetaData(), sa.Column('id', sa.Integer, primary_key=True),\n"
    "             sa.Column('account_id', sa.Integer), sa.Column('email', sa.String(50)),\n"
    "             sa.Column('order', sa.Integer))\n";

// Each builds `stmt` (as revisions build their data migrations).
const char* const kCompilerCases[] = {
    "t.update().where(t.c.weight == None).values(weight=1)",
    "t.update().where(t.c.id.in_([1, 2, 3])).values(name='x', active=True)",
    "t.delete().where(sa.and_(t.c.id > 5, t.c.name != 'a'))",
    "t.delete().where((t.c.id > 5) & ~(t.c.name.like('a%')) | (t.c.active == True))",
    "t.delete().where(~((t.c.id > 5) & (t.c.id < 9)))",
    "sa.select(t.c.id, t.c.name).where(t.c.id.between(1, 10)).order_by(t.c.id.desc())",
    "sa.select([t.c.id]).where(t.c.name.is_(None))",
    "t.select().where(t.c.name.ilike('%x%'))",
    "sa.select(sa.func.count()).select_from(t)",
    "sa.select(sa.func.max(t.c.id).label('m'))",
    "t.insert().values(id=1, name='a')",
    "t.insert().values({'name': 'b', 'id': 2, 'balance': 3})",
    "t.insert().from_select(['id', 'name'], sa.select(u.c.id, u.c.email))",
    "sa.select(u.c.id).select_from(u.join(t, u.c.account_id == t.c.id))"
    ".where(t.c.active == sa.false())",
    "t.update().values(name=sa.case((t.c.id == 1, 'one'), else_='many'))",
    "t.update().values(name=sa.case([(t.c.id == 1, 'one'), (t.c.id == 2, 'two')]))",
    "t.update().values(name=sa.cast(t.c.id, sa.String))",
    "sa.select(t.c.id).where(t.c.id.not_in([1, 2]))",
    "sa.select(t.c.id).where(t.c.id.in_(sa.select(u.c.account_id)))",
    "sa.select(sa.literal_column('1'), sa.literal('x'))",
    "u.update().where(u.c.id == 3).values({u.c.email: u.c.email + '@x'})",
    "sa.select(t.c.id).where(sa.or_(t.c.id == 1, t.c.id == 2, sa.not_(t.c.active)))",
    // A comparison in a boolean context compares the operands' identity:
    // `col == 0 or col is None` is False, so the WHERE is false.
    "u.update().where(u.c.order == 0 or u.c.order is None).values(order=10)",
    "u.update().where(u.c.order == u.c.order or u.c.id is None).values(order=10)",
    "t.delete().where(t.c.id != t.c.id or t.c.id != t.c.name)",
    "sa.select(t.c.id).where(sa.true()).where(True)",
    "t.update().where(sa.and_(t.c.id == 1, False)).values(name='x')",
    "t.update().where(sa.or_(t.c.id == 1, True)).values(name='x')",
    // A Boolean value that is no comparison, alone or in and_/or_, is
    // compared with 1 (SQLite has no boolean type); true() and false()
    // drop out of or stand for the whole list.
    "t.update().where(t.c.active).values(id=1)",
    "t.update().where(sa.and_(t.c.active, t.c.id == 1)).values(id=1)",
    "t.update().where(t.c.active & (t.c.id == 1)).values(id=1)",
    "t.update().where(sa.or_(t.c.active, sa.false())).values(id=1)",
    "t.update().where(sa.and_(True, True)).values(id=1)",
    "t.update().where(t.c.id == 1).where(True).values(id=1)",
    "t.update().where(t.c.id == 1).where(False).values(id=1)",
    "t.update().where(sa.or_(False, False)).values(id=1)",
    "sa.select(sa.and_(t.c.active, t.c.id == 1))",
    "sa.select(t.c.id).where(sa.func.f(t.c.id, type_=sa.Boolean))",
    "sa.select(t.c.id).where(sa.or_(t.c.id == 2, sa.and_(t.c.active, True)))",
    "sa.select(t.c.id).where(sa.exists().where(u.c.account_id == t.c.id))",
    "sa.select(t.c.id).where(sa.and_(sa.exists().where(u.c.account_id == t.c.id)"
    ".correlate_except(u), t.c.id > 1))",
    "sa.select(t.c.id, sa.select(sa.func.count(u.c.id)).where(u.c.account_id == t.c.id)"
    ".correlate_except(u).scalar_subquery().label('n'))",
    "sa.select(t.c.id).where(sa.exists(sa.select(u.c.id).where(u.c.account_id == t.c.id)"
    ".correlate(t)))",
    "sa.select(t.c.id).where(~sa.exists(sa.select(u.c.id).where(u.c.account_id == t.c.id)"
    ".correlate(None)))",
    "sa.select(t.c.id + 1, -t.c.id, t.c.id * 2 / 3)",
    "sa.select(t).where(t.c.weight < sa.func.abs(t.c.balance))",
    "sa.select(t.c.id).where(t.c.name.is_not(None)).limit(5)",
    "sa.select(t.c.id).distinct()",
    "sa.select(t.c.id).where(t.c.name.in_([]))",
    "sa.select(sa.func.coalesce(t.c.name, 'n/a'))",
    "sa.select(t.c.id).where(t.c.name.startswith('a'))",
    "sa.select(t.c.id).group_by(t.c.name).having(sa.func.count(t.c.id) > 1)",
    "u.delete().where(u.c.account_id.in_(sa.select(t.c.id).where(t.c.active == False)))",
    "sa.select(t.c.id).where(t.c.id == sa.select(sa.func.max(u.c.id)).scalar_subquery())",
    "t.update().values(weight=sa.select(sa.func.count(u.c.id))"
    ".where(u.c.account_id == t.c.id).scalar_subquery())",
    "u.update().where(u.c.order >= 2).values(order=u.c.order + 1)",
    "t.update().where(t.c.balance != 0).values(balance=t.c.balance * 100, active=False)",
    "sa.select(t.c.id).where(t.c.id > 1).where(t.c.weight <= 2.5)",
    "sa.select(t.c.name, sa.func.sum(t.c.balance)).group_by(t.c.name).order_by(t.c.name)",
    "t.delete()",
    "sa.update(t).where(t.c.id == 7).values(name=None)",
};

struct Output {
  std::string online;
  std::string parameters;
  std::string literal;
};

std::string ParameterRepr(const std::vector<ops::Literal>& parameters) {
  std::string out = "[";
  for (size_t i = 0; i < parameters.size(); ++i) {
    if (i > 0) out += ", ";
    const ops::Literal& p = parameters[i];
    switch (p.kind) {
      case ops::Literal::Kind::kNull:
        out += "None";
        break;
      case ops::Literal::Kind::kInt:
        out += std::to_string(p.integer);
        break;
      case ops::Literal::Kind::kFloat:
        out += python::FloatRepr(p.real);
        break;
      case ops::Literal::Kind::kText:
        out += python::StrRepr(p.text);
        break;
      case ops::Literal::Kind::kBlob:
        out += python::BytesRepr(p.text);
        break;
    }
  }
  return out + "]";
}

Output Ours(const std::string& expression) {
  auto module = PythonModule::Parse(std::string(kCompilerPrelude) + "stmt = " + expression + "\n", "c.py");
  if (!module) return {"PARSE: " + module.error().ToString(), "", ""};
  Interpreter interpreter;
  InstallSqlalchemy(interpreter);
  base::Status status = interpreter.Run(*module);
  if (!status.ok()) return {"ERROR: " + status.ToString(), "", ""};
  ElementPtr element = AsElement(*interpreter.Global("stmt"));
  if (element == nullptr) return {"NOT A STATEMENT", "", ""};
  Output out;
  auto online = Compile(interpreter, element, CompileOptions{});
  if (!online) return {"ERROR: " + online.error().ToString(), "", ""};
  out.online = online->sql;
  out.parameters = ParameterRepr(online->parameters);
  auto literal = CompileLiteral(interpreter, element, true);
  out.literal = literal ? *literal : "ERROR: " + literal.error().ToString();
  return out;
}

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out;
}

// One line per case and form: online SQL, parameters, literal SQL.
std::vector<std::string> Theirs() {
  std::string script = std::string("import warnings\nwarnings.simplefilter('ignore')\n") +
                       kCompilerPrelude +
                       "from sqlalchemy.dialects import sqlite\nd = sqlite.dialect()\n"
                       "def show(stmt):\n"
                       "    c = stmt.compile(dialect=d, compile_kwargs={'render_postcompile': "
                       "True})\n"
                       "    params = c.construct_params()\n"
                       "    procs = c._bind_processors\n"
                       "    values = [procs[k](params[k]) if k in procs else params[k] for k in "
                       "c.positiontup]\n"
                       "    lit = stmt.compile(dialect=d, compile_kwargs={'literal_binds': True})\n"
                       "    for text in (str(c), repr(values), str(lit)):\n"
                       "        print(text.replace('\\n', '\\\\n'))\n";
  for (const char* expression : kCompilerCases) script += std::string("show(") + expression + ")\n";
  std::string path = testing::TempDir() + "sqlmend_compiler_oracle.py";
  FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) return {};
  std::fputs(script.c_str(), file);
  std::fclose(file);
  std::vector<std::string> lines;
  FILE* pipe = ::popen((std::string(kCompilerOracle) + " " + path + " 2>&1").c_str(), "r");
  char buffer[8192];
  while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    std::string line = buffer;
    if (!line.empty() && line.back() == '\n') line.pop_back();
    lines.push_back(line);
  }
  if (pipe != nullptr) ::pclose(pipe);
  std::remove(path.c_str());
  return lines;
}

TEST(CompilerDifferentialTest, CompilesAsSqlalchemysSqliteDialect) {
  if (!std::filesystem::exists(kCompilerOracle)) GTEST_SKIP() << "no python3 oracle";
  std::vector<std::string> theirs = Theirs();
  ASSERT_EQ(theirs.size(), 3 * std::size(kCompilerCases)) << (theirs.empty() ? "" : theirs[0]);
  for (size_t i = 0; i < std::size(kCompilerCases); ++i) {
    Output ours = Ours(kCompilerCases[i]);
    EXPECT_EQ(Escape(ours.online), theirs[3 * i]) << kCompilerCases[i];
    EXPECT_EQ(ours.parameters, theirs[3 * i + 1]) << kCompilerCases[i];
    EXPECT_EQ(Escape(ours.literal), theirs[3 * i + 2]) << kCompilerCases[i];
  }
}

}  // namespace
}  // namespace sqlmend::sqlalchemy
