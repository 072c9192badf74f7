// PythonModule: parsing, locations in code points, and syntax errors located
// at the first ERROR or MISSING node with a short description.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "python/parser.h"

namespace sqlmend::python {
namespace {

TEST(PythonParserTest, ParsesAModuleAndQuotesNodes) {
  auto module = PythonModule::Parse("import os\nrevision = 'abc'\n", "v/a.py");
  ASSERT_TRUE(module.has_value()) << module.error().ToString();
  Node root = module->Root();
  EXPECT_EQ(root.Type(), "module");
  ASSERT_EQ(root.NamedChildCount(), 2u);
  Node assignment = root.NamedChild(1).NamedChild(0);
  EXPECT_TRUE(assignment.Is("assignment"));
  EXPECT_EQ(module->Text(assignment.Field("left")), "revision");
  EXPECT_EQ(module->Text(assignment.Field("right")), "'abc'");
  EXPECT_EQ(module->Where(assignment.Field("right")), "v/a.py:2:12");
  SourceSpan span = module->Span(assignment.Field("right"));
  EXPECT_EQ(span.begin, 21u);
  EXPECT_EQ(span.end, 26u);
  EXPECT_EQ(span.start, (SourceLocation{2, 12}));
  EXPECT_TRUE(assignment.Field("nonexistent").IsNull());
}

TEST(PythonParserTest, ColumnsCountCodePoints) {
  auto module = PythonModule::Parse("x = '\xc3\xa9\xe2\x82\xac' + y\n", "m.py");
  ASSERT_TRUE(module.has_value());
  Node binary = module->Root().NamedChild(0).NamedChild(0).Field("right");
  EXPECT_EQ(module->Location(binary.Field("right")), (SourceLocation{1, 12}));
}

struct SyntaxErrorCase {
  std::string source;
  std::string where;    // "path:line:col"
  std::string message;  // exact
};

TEST(PythonParserTest, LocatesTheFirstSyntaxError) {
  const std::vector<SyntaxErrorCase> cases = {
      {"revision = 'abc\n", "f.py:1:12", "syntax error: unterminated string literal"},
      {"x = 1\ndef upgrade(:\n    pass\n", "f.py:2:13", "syntax error: missing \")\""},
      {"x = 1\n\ny = )\n", "f.py:3:1", "syntax error: cannot parse \"y = )\""},
      {"x = 1\ndef upgrade() -> None\n    pass\n", "f.py:2:1",
       "syntax error: cannot parse \"def upgrade() -> None\""},
      {"x = [1,\n  2\ny = 3\n", "f.py:1:1", "syntax error: cannot parse \"x = [1,\""},
  };
  for (const SyntaxErrorCase& c : cases) {
    auto module = PythonModule::Parse(c.source, "f.py");
    ASSERT_FALSE(module.has_value()) << "input:\n" << c.source;
    EXPECT_EQ(module.error().code(), base::Code::kUnusableInput) << "input:\n" << c.source;
    EXPECT_EQ(module.error().object(), c.where) << "input:\n" << c.source;
    EXPECT_EQ(module.error().message(), c.message) << "input:\n" << c.source;
  }
}

TEST(PythonParserTest, SkipsAByteOrderMarkAndReadsCrLfLines) {
  auto module = PythonModule::Parse("\xEF\xBB\xBFx = 1\r\ny = 'a'\r\n", "m.py");
  ASSERT_TRUE(module.has_value()) << module.error().ToString();
  Node root = module->Root();
  ASSERT_EQ(root.NamedChildCount(), 2u);
  Node y = root.NamedChild(1).NamedChild(0).Field("right");
  EXPECT_EQ(module->Text(y), "'a'");
  EXPECT_EQ(module->Location(y), (SourceLocation{2, 5}));
}

TEST(PythonParserTest, AbbreviatesForMessages) {
  EXPECT_EQ(Abbreviate("op.create_table(\n    'users',\n    sa.Column('id'))", 200),
            "op.create_table( 'users', sa.Column('id'))");
  EXPECT_EQ(Abbreviate("abcdefgh", 5), "abcde...");
  EXPECT_EQ(Abbreviate("  a  ", 5), "a");
}

// Every byte of a text with empty lines, CRLF, a multi-byte character and
// no final newline: the line index gives what counting from the start gives.
TEST(PythonParserTest, LocationOfEveryByteIsCountedFromTheStart) {
  const std::string source = "x = 1\n\ny = 'h\xc3\xa9llo'\r\n  z = (\n    2)\n#\xe2\x82\xac\nw = 3";
  auto module = PythonModule::Parse(source, "m.py");
  ASSERT_TRUE(module) << module.error().ToString();
  SourceLocation expected{1, 1};
  for (uint32_t byte = 0; byte <= source.size() + 2; ++byte) {
    EXPECT_EQ(module->LocationOfByte(byte), expected) << "byte " << byte;
    if (byte >= source.size()) continue;  // past the end: the end's location
    const unsigned char c = static_cast<unsigned char>(source[byte]);
    if (c == '\n') {
      ++expected.line;
      expected.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++expected.column;
    }
  }
}

// A file over the size limit is refused before parsing, naming the file;
// one at the limit parses.
TEST(PythonParserTest, RefusesASourceOverTheSizeLimit) {
  const std::string line = "x = 'abcdefghijklmnopqrstuvwxyz'\n";
  std::string at_limit;
  while (at_limit.size() + line.size() <= PythonModule::kMaxSourceBytes) at_limit += line;
  ASSERT_TRUE(PythonModule::Parse(at_limit, "ok.py").has_value());
  auto over = PythonModule::Parse(at_limit + line, "big.py");
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code(), base::Code::kUnusableInput);
  EXPECT_EQ(over.error().object(), "big.py");
  EXPECT_NE(over.error().message().find("up to 2 MB"), std::string::npos) << over.error().message();
}

}  // namespace
}  // namespace sqlmend::python
