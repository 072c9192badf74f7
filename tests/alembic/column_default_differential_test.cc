// Column(..., default=...) (Python-side) where SQLAlchemy uses it, run by the
// real alembic 1.8.1 (SQLAlchemy 1.4) and by sqlmend on twin projects made
// by `alembic init -t generic`, comparing the databases (schema and rows)
// and the --sql scripts:
//   - a batch rebuild whose copy fills the columns it adds (a value, a
//     callable, an expression; NOT NULL among them);
//   - Core insert().values(...), execute(insert(), {...}), from_select(),
//     with a callable that reads its context's parameters;
//   - the ORM's INSERT of objects whose attributes are unset or None, and
//     the object's attribute after the flush;
//   - onupdate= in Core update() and the ORM's UPDATE;
//   - --sql of a copy_from batch and of a Core insert, with and without
//     literal binds.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "testutil/testutil.h"

namespace sqlmend {
namespace {

constexpr char kBase[] = R"PY(

def upgrade():
    op.create_table('author', sa.Column('id', sa.Integer, primary_key=True))
    op.create_table('post', sa.Column('id', sa.Integer, primary_key=True),
                    sa.Column('title', sa.String(20)))
    op.execute("INSERT INTO author (id) VALUES (1)")
    op.execute("INSERT INTO post (title) VALUES ('a'), ('b'), (NULL)")
)PY";

constexpr char kBatch[] = R"PY(
calls = []


def next_rank():
    calls.append(1)
    return 100 + len(calls)


def note(context):
    # The values computed before, and the columns still to compute (None).
    parameters = context.get_current_parameters()
    return '%s %s %s' % (parameters.get('rank'), parameters['note'], 'title' in parameters)


def upgrade():
    with op.batch_alter_table('post') as batch_op:
        batch_op.add_column(sa.Column('author_id', sa.Integer, nullable=False, default=1))
        batch_op.add_column(sa.Column('flag', sa.Boolean, default=False))
        batch_op.add_column(sa.Column('state', sa.String(10), nullable=False, default='new'))
        batch_op.add_column(sa.Column('rank', sa.Integer, default=next_rank))
        batch_op.add_column(sa.Column('code', sa.String(10), default=sa.func.upper('x')))
        batch_op.add_column(sa.Column('sum', sa.Integer, default=sa.literal(1) + 2))
        batch_op.add_column(sa.Column('lit', sa.String(10), default=sa.text("'t'")))
        batch_op.add_column(sa.Column('note', sa.String(80), default=note))
        batch_op.create_foreign_key('fk_post_author', 'author', ['author_id'], ['id'])
    op.execute("INSERT INTO author (id) VALUES (%d)" % (10 + len(calls)))
)PY";

constexpr char kInserts[] = R"PY(from sqlalchemy import orm
from sqlalchemy.orm import declarative_base

counter = [0]


def count():
    counter[0] += 1
    return counter[0]


def shout(context):
    return (context.get_current_parameters().get('title') or '').upper()


post = sa.Table(
    'post', sa.MetaData(),
    sa.Column('id', sa.Integer, primary_key=True),
    sa.Column('title', sa.String(20)),
    sa.Column('author_id', sa.Integer, default=1),
    sa.Column('flag', sa.Boolean, default=True),
    sa.Column('state', sa.String(10), default=shout),
    sa.Column('rank', sa.Integer, default=count),
    sa.Column('code', sa.String(10), default=sa.func.lower('CODE')),
    sa.Column('sum', sa.Integer),
    sa.Column('lit', sa.String(10)),
)

Base = declarative_base()


class Post(Base):
    __tablename__ = 'post'
    id = sa.Column(sa.Integer, primary_key=True)
    title = sa.Column(sa.String(20))
    author_id = sa.Column(sa.Integer, default=1)
    flag = sa.Column(sa.Boolean, default=False)
    state = sa.Column(sa.String(10), default='orm')
    rank = sa.Column(sa.Integer, default=count)
    code = sa.Column(sa.String(10), default=sa.func.upper('orm'))
    lit = sa.Column(sa.String(10), server_default='s')


def upgrade():
    op.execute(post.insert().values(title='core'))
    op.execute(post.insert().values(title='given', state='mine', flag=None))
    bind = op.get_bind()
    bind.execute(post.insert(), {'title': 'params'})
    bind.execute(post.insert().from_select(['title'], sa.select(post.c.title).where(post.c.id < 3)))
    try:
        # Without the defaults, NOT NULL author_id and state fail.
        bind.execute(post.insert().from_select(
            ['title'], sa.select(post.c.title).where(post.c.id == 1), include_defaults=False))
    except sa.exc.IntegrityError:
        op.execute("INSERT INTO author (id) VALUES (500)")
    session = orm.Session(bind=bind)
    first = Post(title='orm one')
    second = Post(title='orm two', state=None, rank=None, flag=True)
    session.add_all([first, second])
    session.flush()
    # The flush gave the objects their defaults.
    op.execute("INSERT INTO author (id) VALUES (%d)" % (1000 + first.rank * 10 + second.rank))
    op.execute("INSERT INTO author (id) VALUES (%d)" % (
        2000 + (first.state == 'orm') * 10 + (first.flag is False)))
    session.commit()
)PY";

// The copy_from batch and the Core insert, for --sql.
constexpr char kOffline[] = R"PY(
post = sa.Table('post', sa.MetaData(), sa.Column('id', sa.Integer, primary_key=True),
                sa.Column('title', sa.String(20)),
                sa.Column('state', sa.String(10), default='new'),
                sa.Column('code', sa.String(10), default=sa.func.lower('X')))


def upgrade():
    with op.batch_alter_table('post', copy_from=post, recreate='always') as batch_op:
        batch_op.add_column(sa.Column('flag', sa.Boolean, default=False))
        batch_op.add_column(sa.Column('rank', sa.Integer, default=lambda: 5))
        batch_op.add_column(sa.Column('upper', sa.String(10), default=sa.func.upper('y')))
        batch_op.add_column(sa.Column('now', sa.String(10), default=sa.func.now()))
    op.execute(post.insert().values(title='offline'))
)PY";

// A revision file: the imports, its header, `body`, and an empty downgrade.
std::string Revision(const std::string& id, const std::string& down, const std::string& body) {
  return "from alembic import op\nimport sqlalchemy as sa\n\nrevision = '" + id +
         "'\ndown_revision = " + down + "\nbranch_labels = None\ndepends_on = None\n" + body +
         "\n\ndef downgrade():\n    pass\n";
}

// onupdate=, in a second branch from c3.
constexpr char kOnupdate[] = R"PY(
from sqlalchemy import orm
from sqlalchemy.orm import declarative_base

counter = [0]


def bump():
    counter[0] += 1
    return 500 + counter[0]


def tagged(context):
    return 'upd-' + (context.get_current_parameters().get('title') or '')


post = sa.Table(
    'post', sa.MetaData(),
    sa.Column('id', sa.Integer, primary_key=True),
    sa.Column('title', sa.String(20)),
    sa.Column('rank', sa.Integer, onupdate=bump),
    sa.Column('state', sa.String(10), onupdate=tagged),
    sa.Column('code', sa.String(10), onupdate=sa.func.upper('u')),
    sa.Column('flag', sa.Boolean, default=True, onupdate=False),
)

Base = declarative_base()


class Post(Base):
    __tablename__ = 'post'
    id = sa.Column(sa.Integer, primary_key=True)
    title = sa.Column(sa.String(20))
    rank = sa.Column(sa.Integer, onupdate=bump)
    code = sa.Column(sa.String(10), onupdate=sa.func.lower('ORM'))


def upgrade():
    op.execute(post.update().where(post.c.id == 1).values(title='one'))
    bind = op.get_bind()
    bind.execute(post.update().where(post.c.id == 2).values(title='two', rank=7))
    session = orm.Session(bind=bind)
    third = session.query(Post).get(3)
    third.title = 'three'
    session.flush()
    op.execute("INSERT INTO author (id) VALUES (%d)" % (3000 + third.rank))
    session.commit()
)PY";

class ColumnDefaultDifferentialTest : public testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists("/usr/bin/alembic")) GTEST_SKIP() << "no alembic oracle";
    for (const std::string name : {"alembic", "sqlmend"}) {
      const std::string root = dir_.path() + "/" + name;
      std::filesystem::create_directories(root);
      auto init = testutil::RunCommand("cd " + testutil::ShellQuote(root) +
                                       " && /usr/bin/alembic init -t generic alembic");
      ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
      std::string ini = testutil::ReadFile(root + "/alembic.ini");
      const std::string key = "sqlalchemy.url = ";
      const size_t at = ini.find(key);
      ini.replace(at, ini.find('\n', at) - at, key + "sqlite:///%(here)s/app.db");
      testutil::WriteFile(root + "/alembic.ini", ini);
      const std::vector<std::tuple<std::string, std::string, const char*>> revisions = {
          {"a1", "None", kBase}, {"b2", "'a1'", kBatch}, {"c3", "'b2'", kInserts},
          {"d4", "'c3'", kOffline}, {"e5", "'c3'", kOnupdate}};
      for (const auto& [id, down, body] : revisions) {
        testutil::WriteFile(root + "/alembic/versions/" + id + "_r.py", Revision(id, down, body));
      }
    }
  }

  std::string Root(const std::string& tool) const { return dir_.path() + "/" + tool; }

  testutil::RunResult Alembic(const std::string& args) const {
    return testutil::RunCommand("cd " + testutil::ShellQuote(Root("alembic")) +
                                " && PYTHONHASHSEED=0 /usr/bin/alembic " + args);
  }
  testutil::RunResult Ours(const std::string& args) const {
    return testutil::RunCommand("cd " + testutil::ShellQuote(Root("sqlmend")) + " && " +
                                testutil::ShellQuote(SQLMEND_BIN) + " " + args);
  }

  // The schema and every row of both tables, with storage classes.
  std::vector<std::string> Dump(const std::string& tool) const {
    const std::string db = Root(tool) + "/app.db";
    std::vector<std::string> out = testutil::Query(
        db, "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'alembic%' ORDER BY name");
    for (const char* sql :
         {"SELECT * FROM author ORDER BY id",
          "SELECT id, quote(title), author_id, typeof(flag), flag, state, rank, code, sum, lit, "
          "note FROM post ORDER BY id"}) {
      std::vector<std::string> rows = testutil::Query(db, sql);
      out.insert(out.end(), rows.begin(), rows.end());
    }
    return out;
  }

  // Both tools upgrade to `target`; the databases must be the same.
  void ExpectSameUpgrade(const std::string& target) const {
    auto theirs = Alembic("upgrade " + target);
    ASSERT_EQ(theirs.exit_code, 0) << theirs.out << theirs.err;
    auto ours = Ours("upgrade " + target);
    ASSERT_EQ(ours.exit_code, 0) << ours.out << ours.err;
    EXPECT_EQ(Dump("sqlmend"), Dump("alembic"));
  }

  testutil::TempDir dir_;
};

TEST_F(ColumnDefaultDifferentialTest, BatchCopyFillsAddedColumnsAsAlembic) {
  ExpectSameUpgrade("b2");
  // The callable ran once, for the one copy.
  EXPECT_EQ(testutil::Query(Root("sqlmend") + "/app.db", "SELECT max(id) FROM author"),
            std::vector<std::string>{"11"});
}

TEST_F(ColumnDefaultDifferentialTest, CoreAndOrmInsertsTakeDefaultsAsSqlalchemy) {
  ExpectSameUpgrade("c3");
}

TEST_F(ColumnDefaultDifferentialTest, UpdatesTakeOnupdateAsSqlalchemy) {
  ExpectSameUpgrade("e5");
}

TEST_F(ColumnDefaultDifferentialTest, OfflineScriptIsAlembics) {
  for (bool literal_binds : {true, false}) {
    if (!literal_binds) {
      for (const std::string tool : {"alembic", "sqlmend"}) {
        const std::string path = Root(tool) + "/alembic/env.py";
        std::string env = testutil::ReadFile(path);
        for (const std::string option :
             {"literal_binds=True,", "dialect_opts={\"paramstyle\": \"named\"},"}) {
          const size_t at = env.find(option);
          ASSERT_NE(at, std::string::npos) << option;
          env.erase(at, option.size());
        }
        testutil::WriteFile(path, env);
      }
    }
    auto theirs = Alembic("upgrade c3:d4 --sql");
    ASSERT_EQ(theirs.exit_code, 0) << theirs.out << theirs.err;
    auto ours = Ours("upgrade c3:d4 --sql");
    ASSERT_EQ(ours.exit_code, 0) << ours.out << ours.err;
    EXPECT_EQ(ours.out, theirs.out) << "literal_binds=" << literal_binds;
  }
}

}  // namespace
}  // namespace sqlmend
