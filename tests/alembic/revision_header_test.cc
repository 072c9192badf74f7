// ReadRevisionHeader: every header form Alembic's script.py.mako templates
// have rendered (1.8.1 plain assignments, 1.12 annotations, 1.16+ with
// Sequence and docstrings in the functions), docstrings and messages,
// tuples and lists, refusals with exact locations, and a differential check
// against the installed Alembic reading files its own `alembic revision`
// wrote.
#include "alembic/revision_header.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "testutil/testutil.h"

namespace sqlmend::alembic {

using python::SourceLocation;

namespace {

// A compact dump for comparisons: "rev <- down1,down2 [labels] {deps} | message".
std::string Dump(const RevisionHeader& header) {
  auto join = [](const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
    return out;
  };
  return header.revision + " <- " + join(header.down_revisions) + " [" +
         join(header.branch_labels) + "] {" + join(header.depends_on) + "} | " + header.Message();
}

// Alembic 1.8.1's generic script.py.mako, rendered.
constexpr char kAlembic18[] = R"PY("""add users

Revision ID: 1a2b3c4d5e6f
Revises: 0f9e8d7c6b5a
Create Date: 2024-01-02 03:04:05.678901

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1a2b3c4d5e6f'
down_revision = '0f9e8d7c6b5a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
)PY";

// Alembic 1.12 to 1.15: annotated header variables.
constexpr char kAlembic112[] = R"PY("""first

Revision ID: 9c1d2e3f4a5b
Revises: 
Create Date: 2024-05-06 07:08:09.101112

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '9c1d2e3f4a5b'
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
)PY";

// Alembic 1.16+: down_revision may be a Sequence (a merge), docstrings in
// upgrade()/downgrade().
constexpr char kAlembic116Merge[] = R"PY("""merge heads

Revision ID: 77aa88bb99cc
Revises: 11aa, 22bb
Create Date: 2025-06-07 08:09:10.111213

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '77aa88bb99cc'
down_revision: Union[str, Sequence[str], None] = ('11aa', '22bb')
branch_labels: Union[str, Sequence[str], None] = ('feature',)
depends_on: Union[str, Sequence[str], None] = ['33cc', '44dd']


def upgrade() -> None:
    """Upgrade schema."""
    pass


def downgrade() -> None:
    """Downgrade schema."""
    pass
)PY";

struct HeaderCase {
  std::string source;
  std::string expected;  // Dump()
};

TEST(RevisionHeaderTest, ReadsEveryTemplateForm) {
  const std::vector<HeaderCase> cases = {
      {kAlembic18, "1a2b3c4d5e6f <- 0f9e8d7c6b5a [] {} | add users"},
      {kAlembic112, "9c1d2e3f4a5b <-  [] {} | first"},
      {kAlembic116Merge, "77aa88bb99cc <- 11aa,22bb [feature] {33cc,44dd} | merge heads"},
      // Quoting, prefixes, concatenation, parentheses, bare tuples, lists.
      {"revision = \"abc\"\ndown_revision = r'x' u\"y\"\n", "abc <- xy [] {} | "},
      {"revision = '''abc'''\ndown_revision = ('x')\n", "abc <- x [] {} | "},
      {"revision = 'c'\ndown_revision = 'a', 'b'\n", "c <- a,b [] {} | "},
      {"revision = 'c'\ndown_revision = [\n    'a',  # first\n    'b',\n]\n", "c <- a,b [] {} | "},
      {"revision = 'c'\ndown_revision = ()\ndepends_on = ''\n", "c <-  [] {} | "},
      {"revision = 'c'\ndown_revision = ''\nbranch_labels = 'one'\n", "c <-  [one] {} | "},
      {"revision = down = 'c'\ndown_revision = None\n", "c <-  [] {} | "},
      // The last top-level assignment wins; function bodies do not count.
      {"revision = 'old'\nrevision = 'new'\ndown_revision = None\n"
       "def f():\n    revision = 'local'\n",
       "new <-  [] {} | "},
      // Annotation without a value binds nothing.
      {"revision: str\nrevision = 'a'\ndown_revision: Union[str, None] = None\n", "a <-  [] {} | "},
  };
  for (const HeaderCase& c : cases) {
    auto header = ReadRevisionHeader(c.source, "versions/x.py");
    ASSERT_TRUE(header.has_value()) << "input:\n" << c.source << "\n" << header.error().ToString();
    EXPECT_EQ(Dump(*header), c.expected) << "input:\n" << c.source;
  }
}

TEST(RevisionHeaderTest, DocstringAndMessageFollowAlembic) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      // Script.doc is the stripped docstring up to its first blank line.
      {"\"\"\"  two\nlines\n\nRevision ID: a\n\"\"\"\n", "two\nlines"},
      {"# comment first\n'''caf\\xe9 \"q\"'''\n", "caf\xc3\xa9 \"q\""},
      {"(\"paren\"\n \"thesised\")\n", "parenthesised"},
      {"f\"not a docstring\"\n", ""},
      {"x = 1\n\"\"\"late string\"\"\"\n", ""},
  };
  for (const auto& [prelude, message] : cases) {
    const std::string source = prelude + "revision = 'a'\ndown_revision = None\n";
    auto header = ReadRevisionHeader(source, "v.py");
    ASSERT_TRUE(header.has_value()) << "input:\n" << source << "\n" << header.error().ToString();
    EXPECT_EQ(header->Message(), message) << "input:\n" << source;
  }
  auto header = ReadRevisionHeader(kAlembic18, "v.py");
  ASSERT_TRUE(header.has_value());
  ASSERT_TRUE(header->docstring.has_value());
  EXPECT_EQ(header->LongDoc(),
            "add users\n\nRevision ID: 1a2b3c4d5e6f\nRevises: 0f9e8d7c6b5a\n"
            "Create Date: 2024-01-02 03:04:05.678901");
}

TEST(RevisionHeaderTest, RecordsWhereValuesAre) {
  auto header = ReadRevisionHeader(kAlembic116Merge, "v.py");
  ASSERT_TRUE(header.has_value());
  const RevisionHeader::Locations& at = header->locations;
  ASSERT_TRUE(at.revision && at.down_revision && at.branch_labels && at.depends_on && at.docstring);
  EXPECT_EQ(at.revision->start, (SourceLocation{15, 17}));
  EXPECT_EQ(at.down_revision->start, (SourceLocation{16, 50}));
  EXPECT_EQ(std::string(kAlembic116Merge)
                .substr(at.down_revision->begin, at.down_revision->end - at.down_revision->begin),
            "('11aa', '22bb')");
  EXPECT_EQ(at.docstring->start, (SourceLocation{1, 1}));
}

struct ErrorCase {
  std::string source;
  std::string path;
  base::Code code;
  std::string error;  // Status::ToString()
};

TEST(RevisionHeaderTest, RefusesWithLocations) {
  const std::vector<ErrorCase> cases = {
      {"revision = make_id()\ndown_revision = None\n", "v/a.py", base::Code::kRefused,
       "v/a.py:1:12: revision is not a literal value: make_id() (sqlmend reads Python files "
       "without running them)"},
      {"revision = 'a'\ndown_revision = 'b' + 'c'\n", "v/a.py", base::Code::kRefused,
       "v/a.py:2:17: down_revision is not a literal value: 'b' + 'c' (sqlmend reads Python "
       "files without running them)"},
      {"revision = 'a'\ndown_revision = ('b', PREV)\n", "v/a.py", base::Code::kRefused,
       "v/a.py:2:23: down_revision is not a literal value: PREV (sqlmend reads Python files "
       "without running them)"},
      {"revision = None\ndown_revision = None\n", "v/a.py", base::Code::kRefused,
       "v/a.py:1:12: revision must be a string, not None"},
      {"revision = 'a'\ndown_revision = True\n", "v/a.py", base::Code::kRefused,
       "v/a.py:2:17: down_revision must be None, a string, or a tuple or list of strings, not "
       "True"},
      {"revision = 'a'\ndown_revision = ('b', None)\n", "v/a.py", base::Code::kRefused,
       "v/a.py:2:23: down_revision items must be strings, not None"},
      {"revision = 'a'\ndown_revision = f'{x}'\n", "v/a.py", base::Code::kRefused,
       "v/a.py:2:19: f-string interpolates a value; only literal text can be read"},
      {"revision = b'a'\ndown_revision = None\n", "v/a.py", base::Code::kRefused,
       "v/a.py:1:12: bytes literal where text is expected"},
      {"if True:\n    revision = 'a'\ndown_revision = None\n", "v/a.py", base::Code::kRefused,
       "v/a.py:2:5: revision is assigned in a form sqlmend cannot read without running the file "
       "(write it as a top-level `revision = <literal>`)"},
      {"revision, down_revision = 'a', None\n", "v/a.py", base::Code::kRefused,
       "v/a.py:1:1: revision is assigned in a form sqlmend cannot read without running the file "
       "(write it as a top-level `revision = <literal>`)"},
      {"revision = 'a'\nrevision += 'b'\ndown_revision = None\n", "v/a.py", base::Code::kRefused,
       "v/a.py:2:1: revision is changed by revision += 'b'; sqlmend reads header variables "
       "assigned once, as literals"},
      {"revision = 'a'\ndown_revision = (\n", "v/a.py", base::Code::kUnusableInput,
       "v/a.py:2:1: syntax error: cannot parse \"down_revision = (\""},
      {"down_revision = None\n", "versions/1234_add.py", base::Code::kUnusableInput,
       "versions/1234_add.py: Could not determine revision id from filename 1234_add.py. Be sure "
       "the 'revision' variable is declared inside the script (please see 'Upgrading from "
       "Alembic 0.1 to 0.2' in the documentation)."},
      {"revision = 'a'\n", "v/a.py", base::Code::kUnusableInput,
       "v/a.py: no down_revision variable: a revision file declares down_revision (None for a "
       "first revision)"},
  };
  for (const ErrorCase& c : cases) {
    auto header = ReadRevisionHeader(c.source, c.path);
    ASSERT_FALSE(header.has_value()) << "input:\n" << c.source << "\ngave " << Dump(*header);
    EXPECT_EQ(header.error().ToString(), c.error) << "input:\n" << c.source;
    EXPECT_EQ(header.error().code(), c.code) << "input:\n" << c.source;
  }
}

TEST(RevisionHeaderTest, TakesALegacyRevisionFromAHexFileName) {
  auto header = ReadRevisionHeader("down_revision = None\n", "versions/3f2a9b.py");
  ASSERT_TRUE(header.has_value()) << header.error().ToString();
  EXPECT_EQ(header->revision, "3f2a9b");
  EXPECT_TRUE(header->revision_from_filename);
  EXPECT_FALSE(header->locations.revision.has_value());
}

// Differential: the installed Alembic writes revision files with its own
// templates and commands, then reads them back through ScriptDirectory; our
// header must agree on every field. Skipped when /usr/bin/python3 has no
// alembic.
TEST(RevisionHeaderTest, AgreesWithAlembicOnFilesItWrote) {
  const std::string python = "/usr/bin/python3";
  if (testutil::RunCommand(python + " -c 'import alembic'").exit_code != 0) {
    GTEST_SKIP() << "no alembic for " << python;
  }
  testutil::TempDir dir;
  const std::string alembic =
      "cd " + testutil::ShellQuote(dir.path()) + " && " + python + " -m alembic ";
  const std::vector<std::string> commands = {
      "init migrations",
      "revision -m " + testutil::ShellQuote("create users: it's \"quoted\" caf\xc3\xa9") +
          " --rev-id aaa111",
      "revision -m second --rev-id bbb222",
      "revision -m branch --rev-id ccc333 --head aaa111 --splice --branch-label feature",
      "merge -m 'merge heads' --rev-id ddd444 heads",
      "revision -m dep --rev-id eee555 --depends-on aaa111 --depends-on ccc333",
  };
  for (const std::string& command : commands) {
    auto result = testutil::RunCommand(alembic + command);
    ASSERT_EQ(result.exit_code, 0) << command << "\n" << result.err;
  }
  const std::string oracle =
      "import os, sys\n"
      "from alembic.config import Config\n"
      "from alembic.script import ScriptDirectory\n"
      "from alembic.util import to_tuple\n"
      "j = lambda x: ','.join(to_tuple(x, default=()))\n"
      "for s in ScriptDirectory.from_config(Config(sys.argv[1])).walk_revisions():\n"
      "    print(os.path.basename(s.path) + '\\t' + s.revision + ' <- ' + j(s.down_revision) +\n"
      "          ' [' + ','.join(s._orig_branch_labels) + '] {' + j(s.dependencies) + '} | ' +\n"
      "          s.doc)\n";
  auto result = testutil::RunCommand("cd " + testutil::ShellQuote(dir.path()) + " && " + python +
                                     " -c " + testutil::ShellQuote(oracle) + " alembic.ini");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::map<std::string, std::string> expected;  // file name -> Dump()
  size_t start = 0;
  for (size_t end; (end = result.out.find('\n', start)) != std::string::npos; start = end + 1) {
    std::string line = result.out.substr(start, end - start);
    expected[line.substr(0, line.find('\t'))] = line.substr(line.find('\t') + 1);
  }
  ASSERT_EQ(expected.size(), 5u) << result.out;
  for (const auto& [name, dump] : expected) {
    const std::string path = dir.File("migrations/versions/" + name);
    auto header = ReadRevisionHeader(testutil::ReadFile(path), path);
    ASSERT_TRUE(header.has_value()) << header.error().ToString();
    EXPECT_EQ(Dump(*header), dump) << "file " << name << ":\n" << testutil::ReadFile(path);
  }
}

}  // namespace
}  // namespace sqlmend::alembic
