// `--sql` (offline) output of the .py revision corpus, compared with the real
// alembic 1.8.1 on the same tree: the whole upgrade script
// (`upgrade base:head --sql`) and, where it exists, the downgrade script.
//
// Where Alembic can write the script, sqlmend's stdout must be the same
// bytes. Where Alembic cannot (a batch operation that would have to reflect
// its table from a live database: every tree that uses batch mode without
// copy_from), both must fail with status 255 and a FAILED: line carrying
// Alembic's sentence. NOTE: Alembic prints the scripts of the steps before
// the failing one first; sqlmend renders every step before writing
// anything, so its stdout holds only the FAILED: line.
#include <gtest/gtest.h>

#include <string>

#include "corpus_py/corpus_tree.h"
#include "testutil/testutil.h"

namespace sqlmend {
namespace {

using corpus::CopyTree;
using corpus::RunAlembic;
using corpus::RunOurs;

struct OfflineCase {
  std::string tree;
  std::string command;
};

std::string CaseName(const testing::TestParamInfo<OfflineCase>& info) {
  std::string name = info.param.tree + "_" + info.param.command;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class CorpusOfflineTest : public testing::TestWithParam<OfflineCase> {};

TEST_P(CorpusOfflineTest, ScriptIsAlembicsOrBothFail) {
  const OfflineCase& c = GetParam();
  testutil::TempDir dir;
  const std::string theirs = dir.path() + "/alembic";
  const std::string ours = dir.path() + "/sqlmend";
  CopyTree(c.tree, theirs);
  CopyTree(c.tree, ours);
  const testutil::RunResult a = RunAlembic(theirs, c.command);
  const testutil::RunResult s = RunOurs(ours, c.command);
  if (a.exit_code == 0) {
    ASSERT_EQ(s.exit_code, 0) << s.out << s.err;
    EXPECT_EQ(s.out, a.out);
    return;
  }
  EXPECT_EQ(s.exit_code, a.exit_code) << s.out << s.err;
  const size_t failed = a.out.rfind("FAILED: ");
  ASSERT_NE(failed, std::string::npos) << a.out << a.err;
  std::string sentence = a.out.substr(failed + 8);
  sentence = sentence.substr(0, sentence.find('\n'));
  EXPECT_NE(s.out.find("FAILED: "), std::string::npos) << s.out;
  EXPECT_NE(s.out.find(sentence), std::string::npos) << "alembic: " << sentence << "\nsqlmend: " << s.out;
}

INSTANTIATE_TEST_SUITE_P(
    Trees, CorpusOfflineTest,
    testing::Values(OfflineCase{"shop_autogen", "upgrade base:head --sql"},
                    OfflineCase{"shop_autogen", "downgrade head:base --sql"},
                    OfflineCase{"shop_autogen", "upgrade head --sql"},
                    OfflineCase{"flask_blog", "upgrade base:head --sql"},
                    OfflineCase{"ledger_handwritten", "upgrade base:head --sql"},
                    OfflineCase{"library_cascade", "upgrade base:head --sql"},
                    OfflineCase{"inventory_naming", "upgrade base:4e0a1d2c3b5f --sql"},
                    OfflineCase{"portable_ops", "upgrade base:6b2d3f4a5c7e --sql"},
                    OfflineCase{"portable_ops", "upgrade base:head --sql"},
                    OfflineCase{"portable_ops", "upgrade 8d4f5b6c7e9a:9e5a6b7c8d0f --sql"},
                    OfflineCase{"portable_ops", "downgrade 9e5a6b7c8d0f:8d4f5b6c7e9a --sql"}),
    CaseName);

// An env.py whose offline configure() leaves literal_binds and the named
// paramstyle out (as Flask-Migrate's does): Alembic writes Core statements
// with "?" for their values; sqlmend must too.
TEST(CorpusOfflineLiteralBindsTest, WithoutLiteralBindsCoreValuesStayPlaceholders) {
  testutil::TempDir dir;
  const std::string theirs = dir.path() + "/alembic";
  const std::string ours = dir.path() + "/sqlmend";
  for (const std::string& root : {theirs, ours}) {
    CopyTree("portable_ops", root);
    std::string env = testutil::ReadFile(root + "/alembic/env.py");
    for (const std::string option : {"literal_binds=True,", "dialect_opts={\"paramstyle\": \"named\"},"}) {
      const size_t at = env.find(option);
      ASSERT_NE(at, std::string::npos) << option;
      env.erase(at, option.size());
    }
    testutil::WriteFile(root + "/alembic/env.py", env);
  }
  const std::string command = "upgrade 8d4f5b6c7e9a:9e5a6b7c8d0f --sql";
  const testutil::RunResult a = RunAlembic(theirs, command);
  const testutil::RunResult s = RunOurs(ours, command);
  ASSERT_EQ(a.exit_code, 0) << a.out << a.err;
  ASSERT_EQ(s.exit_code, 0) << s.out << s.err;
  EXPECT_NE(a.out.find("?"), std::string::npos) << "alembic wrote no placeholder:\n" << a.out;
  EXPECT_EQ(s.out, a.out);
}

// The offline connection Alembic hands to op.get_bind() ignores execute()'s
// values and writes a str as text(): an unbound :name is NULL there, for a
// str given positional values as for one given a dict.
TEST(CorpusOfflineLiteralBindsTest, ExecuteValuesAreIgnoredOffline) {
  testutil::TempDir dir;
  const std::string theirs = dir.path() + "/alembic";
  const std::string ours = dir.path() + "/sqlmend";
  for (const std::string& root : {theirs, ours}) {
    CopyTree("portable_ops", root);
    testutil::WriteFile(
        root + "/alembic/versions/af6b7c8d9e10_execute_values.py",
        "from alembic import op\nimport sqlalchemy as sa\n\nrevision = 'af6b7c8d9e10'\n"
        "down_revision = '9e5a6b7c8d0f'\nbranch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n    conn = op.get_bind()\n"
        "    conn.execute(\"INSERT INTO account (name) VALUES (:name);\", 'x')\n"
        "    conn.execute(\"UPDATE account SET name = :n WHERE id = :id\", {'n': 'y', 'id': 1})\n"
        "    conn.execute(sa.text('DELETE FROM account WHERE id = :id'), {'id': 2})\n\n\n"
        "def downgrade():\n    pass\n");
  }
  const std::string command = "upgrade 9e5a6b7c8d0f:af6b7c8d9e10 --sql";
  const testutil::RunResult a = RunAlembic(theirs, command);
  const testutil::RunResult s = RunOurs(ours, command);
  ASSERT_EQ(a.exit_code, 0) << a.out << a.err;
  ASSERT_EQ(s.exit_code, 0) << s.out << s.err;
  EXPECT_NE(a.out.find("VALUES (NULL)"), std::string::npos) << a.out;
  EXPECT_EQ(s.out, a.out);
}

}  // namespace
}  // namespace sqlmend
