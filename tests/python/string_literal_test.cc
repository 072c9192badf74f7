// Python string literal decoding: a table of tokens and their values, the
// refused forms with their offsets, and a differential check of the whole
// table against CPython's own compiler (Python is a test oracle
// only; sqlmend never runs it).
#include "python/string_literal.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testutil/testutil.h"

namespace sqlmend::python {
namespace {

struct DecodeCase {
  std::string token;     // the literal as written in a .py file
  std::string expected;  // its UTF-8 value, or its octets for a bytes literal
};

// True for a bytes literal (a b or B in its prefix).
bool IsBytesToken(const std::string& token) {
  return token.substr(0, token.find_first_of("'\"")).find_first_of("bB") != std::string::npos;
}

const std::vector<DecodeCase>& DecodeCases() {
  static const std::vector<DecodeCase> cases = {
      {R"("abc")", "abc"},
      {R"('abc')", "abc"},
      {R"("")", ""},
      {R"('''''')", ""},
      {R"("""a "quoted" b""")", R"(a "quoted" b)"},
      {R"('''it's''')", "it's"},
      {"\"\"\"\nCREATE TABLE t (\n  id INTEGER\n)\n\"\"\"",
       "\nCREATE TABLE t (\n  id INTEGER\n)\n"},
      {"\"\"\"a\r\nb\rc\"\"\"", "a\nb\nc"},  // source newlines read as \n
      {R"("a\nb\tc\\d")", "a\nb\tc\\d"},
      {R"("\'\"")", "'\""},
      {R"("\a\b\f\v\r")", "\a\b\f\v\r"},
      {R"("\x41\x7a\xe9")", "Az\xc3\xa9"},
      {R"("\u00e9\u20ac")", "\xc3\xa9\xe2\x82\xac"},
      {R"("\U0001F600")", "\xf0\x9f\x98\x80"},
      {R"("\101\0\7\777x")", std::string("A\0\a\xc7\xbfx", 6)},
      {R"("\18")",
       "\x01"
       "8"},
      {R"("\d\w\%")", R"(\d\w\%)"},  // unknown escapes keep their backslash
      {"\"a\\\nb\"", "ab"},          // backslash-newline joins lines
      {"'''a\\\r\nb'''", "ab"},
      {R"(r"\d+\n")", R"(\d+\n)"},
      {R"(R'\x41')", R"(\x41)"},
      {R"(r"\"")", R"(\")"},
      {R"(r'a\\')", R"(a\\)"},
      {"r'''a\\\nb'''", "a\\\nb"},
      {R"(u"caf\xe9")", "caf\xc3\xa9"},
      {R"(U'x')", "x"},
      {R"(f"plain")", "plain"},
      {R"(f"{{x}}")", "{x}"},
      {R"(rf"\d{{2}}")", R"(\d{2})"},
      {R"(Fr'\n')", R"(\n)"},
      {"\"caf\xc3\xa9 \xe2\x82\xac\"", "caf\xc3\xa9 \xe2\x82\xac"},
      {R"("50% \\ 'x'")", R"(50% \ 'x')"},
      {R"('''a'b''')", "a'b"},
      {R"("""a""b""")", "a\"\"b"},
      {R"("\U0010FFFF\x00")", std::string("\xf4\x8f\xbf\xbf\0", 5)},
      {R"('\\n')", "\\n"},
      {R"(r'\\')", "\\\\"},
      {R"(f'\x7b{{')", "{{"},
      // bytes: octets, not UTF-8; \u, \U and \N are not escapes there.
      {R"(b"abc")", "abc"},
      {R"(B'\x00\xff\x41')", std::string("\0\xff\x41", 3)},
      {R"(b"\101\777\0")", std::string("A\xff\0", 3)},
      {R"(b'\u00e9\U0001F600\N{x}')", R"(\u00e9\U0001F600\N{x})"},
      {R"(b"\d\n\t\\\'")", "\\d\n\t\\'"},
      {R"(rb'\x00\'')", R"(\x00\')"},
      {R"(Rb"a\b")", R"(a\b)"},
      {"bR'''x\\\ny'''", "x\\\ny"},
      {"b'a\\\nb'", "ab"},
  };
  return cases;
}

TEST(StringLiteralTest, DecodesLikePython) {
  for (const DecodeCase& c : DecodeCases()) {
    auto value = DecodeLiteralToken(c.token);
    ASSERT_TRUE(value.has_value()) << "input: " << c.token << "\nerror: " << value.error().message;
    EXPECT_EQ(value->value, c.expected) << "input: " << c.token;
    EXPECT_EQ(value->bytes, IsBytesToken(c.token)) << "input: " << c.token;
    // Text only: the same value, or a refusal for a bytes literal.
    auto text = DecodeStringToken(c.token);
    EXPECT_EQ(text.has_value(), !IsBytesToken(c.token)) << "input: " << c.token;
  }
}

struct RefusedCase {
  std::string token;
  size_t offset;        // byte offset of the error in the token
  std::string message;  // a fragment of the message
};

TEST(StringLiteralTest, RefusesWhatIsNotPlainText) {
  const std::vector<RefusedCase> cases = {
      {R"(b"bytes")", 0, "bytes literal"},
      {R"(rb"x")", 0, "bytes literal"},
      {R"(ur"x")", 0, "invalid string prefix"},
      {R"(f"a{b}c")", 3, "interpolates"},
      {R"(f"a}b")", 3, "single '}'"},
      {R"("\N{EM DASH}")", 1, "\\N{...}"},
      {R"("ab\x4")", 3, "truncated \\xXX"},
      {R"("\u12")", 1, "truncated \\uXXXX"},
      {R"("\U00110000")", 1, "illegal Unicode"},
      {R"("\ud800")", 1, "surrogate"},
  };
  for (const RefusedCase& c : cases) {
    auto value = DecodeStringToken(c.token);
    ASSERT_FALSE(value.has_value()) << "input: " << c.token << " gave " << *value;
    EXPECT_EQ(value.error().offset, c.offset) << "input: " << c.token;
    EXPECT_NE(value.error().message.find(c.message), std::string::npos)
        << "input: " << c.token << "\nmessage: " << value.error().message;
  }
}

TEST(StringLiteralTest, RefusesWhatIsNotABytesLiteral) {
  const std::vector<RefusedCase> cases = {
      {"b'caf\xc3\xa9'", 5, "ASCII literal characters"},
      {R"(bf"x")", 0, "invalid string prefix"},
      {R"(ub"x")", 0, "invalid string prefix"},
      {R"(b"\x4")", 2, "truncated \\xXX"},
  };
  for (const RefusedCase& c : cases) {
    auto value = DecodeLiteralToken(c.token);
    ASSERT_FALSE(value.has_value()) << "input: " << c.token << " gave " << value->value;
    EXPECT_EQ(value.error().offset, c.offset) << "input: " << c.token;
    EXPECT_NE(value.error().message.find(c.message), std::string::npos)
        << "input: " << c.token << "\nmessage: " << value.error().message;
  }
}

TEST(StringLiteralTest, ConcatenatesAdjacentLiteralsAndLocatesErrors) {
  auto module =
      PythonModule::Parse("x = ('a' \"b\"  # c\n     r'\\n' f'{{}}')\ny = 'ok' f'{z}'\n", "m.py");
  ASSERT_TRUE(module.has_value()) << module.error().ToString();
  Node root = module->Root();
  Node x = root.NamedChild(0).NamedChild(0).Field("right").NamedChild(0);
  auto value = DecodeStringLiteral(*module, x);
  ASSERT_TRUE(value.has_value()) << value.error().ToString();
  EXPECT_EQ(*value, "ab\\n{}");

  Node y = root.NamedChild(1).NamedChild(0).Field("right");
  auto refused = DecodeStringLiteral(*module, y);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().object(), "m.py:3:12");
  EXPECT_EQ(refused.error().code(), base::Code::kRefused);
}

TEST(StringLiteralTest, ConcatenatesBytesButNeverWithText) {
  auto module = PythonModule::Parse(
      "x = (b'a'  # c\n     rb'\\n' B'\\x00')\ny = b'a' 'b'\nz = 'a' b'b'\n", "m.py");
  ASSERT_TRUE(module.has_value()) << module.error().ToString();
  Node root = module->Root();
  Node x = root.NamedChild(0).NamedChild(0).Field("right").NamedChild(0);
  auto value = DecodeLiteral(*module, x);
  ASSERT_TRUE(value.has_value()) << value.error().ToString();
  EXPECT_EQ(value->value, std::string("a\\n\0", 4));
  EXPECT_TRUE(value->bytes);
  // Where text is expected, the bytes part is refused where it starts.
  auto text = DecodeStringLiteral(*module, x);
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().object(), "m.py:1:6");

  Node y = root.NamedChild(1).NamedChild(0).Field("right");
  auto mixed = DecodeLiteral(*module, y);
  ASSERT_FALSE(mixed.has_value());
  EXPECT_EQ(mixed.error().object(), "m.py:3:10");
  EXPECT_EQ(mixed.error().message(), "SyntaxError: cannot mix bytes and nonbytes literals");
  Node z = root.NamedChild(2).NamedChild(0).Field("right");
  EXPECT_FALSE(DecodeLiteral(*module, z).has_value());
}

// Differential: CPython decodes every literal of the table, and must agree
// byte for byte (UTF-8, compared as hex). Skipped without /usr/bin/python3.
TEST(StringLiteralTest, AgreesWithCPython) {
  const std::string python = "/usr/bin/python3";
  if (testutil::RunCommand(python + " -c pass").exit_code != 0) {
    GTEST_SKIP() << "no " << python;
  }
  testutil::TempDir dir;
  std::string script;
  for (const DecodeCase& c : DecodeCases()) script += "v.append(" + c.token + ")\n";
  testutil::WriteFile(dir.File("literals.py"), script);
  // One line per literal: the hex of its UTF-8 value, in file order.
  const std::string oracle =
      "import sys\n"
      "src = open(sys.argv[1], encoding='utf-8', newline='').read()\n"
      "namespace = {'v': []}\n"
      "exec(compile(src, sys.argv[1], 'exec'), namespace)\n"
      "for value in namespace['v']:\n"
      "    print(value.hex() if isinstance(value, bytes) else value.encode('utf-8').hex())\n";
  auto result = testutil::RunCommand(python + " -W ignore -c " + testutil::ShellQuote(oracle) +
                                     " " + dir.File("literals.py"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = result.out.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(result.out.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), DecodeCases().size()) << result.out;
  for (size_t k = 0; k < lines.size(); ++k) {
    const DecodeCase& c = DecodeCases()[k];
    auto value = DecodeLiteralToken(c.token);
    ASSERT_TRUE(value.has_value()) << "input: " << c.token;
    std::string hex;
    for (unsigned char byte : value->value) {
      constexpr char kDigits[] = "0123456789abcdef";
      hex += kDigits[byte >> 4];
      hex += kDigits[byte & 15];
    }
    EXPECT_EQ(hex, lines[k]) << "input: " << c.token;
  }
}

}  // namespace
}  // namespace sqlmend::python
