// Relationships in ORM data migrations beyond what Alembic 1.8.1's
// SQLAlchemy 1.4 runs (the live_reads tree compares the 1.4 forms with it):
// SQLAlchemy 2.0's annotated relationship() without an argument, and the
// join parameters sqlmend refuses, located, leaving the file as it was.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "corpus_py/corpus_tree.h"
#include "testutil/testutil.h"

namespace sqlmend {
namespace {

// A revision on the unsupported tree's base (table `thing`, rows 1 'one' and
// 2 'two') whose upgrade() is `body`, after models of its own.
std::string Revision(const std::string& id, const std::string& models, const std::string& body) {
  return "\"\"\"relationships\n\nRevision ID: " + id +
         "\nRevises: 4d5e6f708192\n\"\"\"\n"
         "from typing import List, Optional\n\n"
         "from alembic import op\nimport sqlalchemy as sa\n"
         "from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, "
         "relationship\n\n"
         "revision = '" + id + "'\ndown_revision = '4d5e6f708192'\n"
         "branch_labels = None\ndepends_on = None\n\n\n"
         "class Base(DeclarativeBase):\n    pass\n\n\n" + models +
         "\n\ndef upgrade():\n"
         "    op.create_table('part', sa.Column('id', sa.Integer(), primary_key=True),\n"
         "                    sa.Column('thing_id', sa.Integer(), sa.ForeignKey('thing.id')))\n"
         "    op.execute('INSERT INTO part (id, thing_id) VALUES (1, 1), (2, 1)')\n" +
         body + "\n\ndef downgrade():\n    op.drop_table('part')\n";
}

constexpr char kAnnotatedModels[] =
    "class Thing(Base):\n"
    "    __tablename__ = 'thing'\n"
    "    id: Mapped[int] = mapped_column(primary_key=True)\n"
    "    label: Mapped[Optional[str]] = mapped_column(sa.String(40))\n"
    "    parts: Mapped[List['Part']] = relationship(back_populates='thing')\n\n\n"
    "class Part(Base):\n"
    "    __tablename__ = 'part'\n"
    "    id: Mapped[int] = mapped_column(primary_key=True)\n"
    "    thing_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey('thing.id'))\n"
    "    thing: Mapped[Optional['Thing']] = relationship(back_populates='parts')\n";

TEST(OrmRelationshipTest, AnnotatedRelationshipsLoadTheirTargets) {
  testutil::TempDir dir;
  corpus::CopyTree("unsupported", dir.path());
  testutil::WriteFile(
      dir.File("alembic/versions/e7f8091a2b3c_annotated.py"),
      Revision("e7f8091a2b3c", kAnnotatedModels,
               "    session = Session(bind=op.get_bind())\n"
               "    for thing in session.query(Thing).order_by(Thing.id):\n"
               "        thing.label = '%s:%d' % (thing.label, len(thing.parts))\n"
               "    part = session.get(Part, 2)\n"
               "    session.get(Thing, 2).label += '/' + part.thing.label\n"
               "    session.commit()\n"));
  auto s = corpus::RunOurs(dir.path(), "upgrade e7f8091a2b3c");
  ASSERT_EQ(s.exit_code, 0) << s.out << s.err;
  EXPECT_EQ(testutil::Query(dir.File("app.db"), "SELECT id, label FROM thing ORDER BY id"),
            (std::vector<std::string>{"1|one:2", "2|two:0/one:2"}));
}

TEST(OrmRelationshipTest, JoinsItCannotFollowStopWhereRead) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"parts = relationship('Part', primaryjoin='Thing.id == Part.thing_id')",
       "reading relationship 'parts' of a Thing object: primaryjoin= is not modelled"},
      {"parts = relationship('Widget')",
       "relationship('Widget'): no mapped class of that name"},
  };
  for (const auto& [declaration, message] : cases) {
    SCOPED_TRACE(declaration);
    testutil::TempDir dir;
    corpus::CopyTree("unsupported", dir.path());
    auto base = corpus::RunOurs(dir.path(), "upgrade 4d5e6f708192");
    ASSERT_EQ(base.exit_code, 0) << base.out << base.err;
    const std::string before = testutil::ReadFile(dir.File("app.db"));
    testutil::WriteFile(
        dir.File("alembic/versions/f8091a2b3c4d_refused.py"),
        Revision("f8091a2b3c4d",
                 "class Thing(Base):\n    __tablename__ = 'thing'\n"
                 "    id = sa.Column(sa.Integer, primary_key=True)\n"
                 "    label = sa.Column(sa.String(40))\n    " + declaration +
                     "\n\n\nclass Part(Base):\n    __tablename__ = 'part'\n"
                     "    id = sa.Column(sa.Integer, primary_key=True)\n"
                     "    thing_id = sa.Column(sa.Integer, sa.ForeignKey('thing.id'))\n",
                 "    session = Session(bind=op.get_bind())\n"
                 "    thing = session.get(Thing, 1)\n"
                 "    thing.label = str(len(thing.parts))\n"
                 "    session.commit()\n"));
    auto s = corpus::RunOurs(dir.path(), "upgrade f8091a2b3c4d");
    EXPECT_NE(s.exit_code, 0);
    EXPECT_NE(s.out.find("f8091a2b3c4d_refused.py:41:27:"), std::string::npos) << s.out << s.err;
    EXPECT_NE(s.out.find(message), std::string::npos) << s.out << s.err;
    EXPECT_EQ(testutil::ReadFile(dir.File("app.db")), before);
  }
}

}  // namespace
}  // namespace sqlmend
