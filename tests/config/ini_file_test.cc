// IniFile against the oracle: each case is written to a file, read by
// /usr/bin/python3's configparser.ConfigParser({"here": <folder>}) (the
// parser Alembic builds) and by IniFile, and both are dumped in one compact
// form: every section (DEFAULT first), every option with its interpolated
// value or its interpolation error, the items() order, or the parse error
// with its line. A failing case prints its input.
#include "config/ini_file.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "base/files.h"
#include "testutil/testutil.h"

namespace sqlmend::config {
namespace {

// Dumps configparser's view of argv[1] (with "here" = argv[2]) as lines of
// hex-encoded fields, so values with newlines and quotes survive the pipe.
constexpr char kConfigParserOracle[] = R"PY(
import configparser, sys
path, here = sys.argv[1], sys.argv[2]
def h(s): return s.encode("utf-8").hex() or "-"
cp = configparser.ConfigParser({"here": here})
try:
    cp.read(path, encoding="utf-8")
except configparser.MissingSectionHeaderError as e:
    print("E MissingSectionHeader", e.lineno, "-"); sys.exit(0)
except configparser.ParsingError as e:
    print("E Parsing", e.errors[0][0], "-"); sys.exit(0)
except (configparser.DuplicateSectionError, configparser.DuplicateOptionError) as e:
    print("E", type(e).__name__[:-5], e.lineno, h(str(e).split("]: ", 1)[1])); sys.exit(0)
for section in ["DEFAULT"] + cp.sections():
    print("S", h(section))
    names = list(cp.defaults()) if section == "DEFAULT" else cp.options(section)
    for name in names:
        try:
            print("V", h(name), h(cp.get(section, name)))
        except configparser.Error as e:
            print("X", h(name), h(str(e)))
    try:
        print("I", h(" ".join(k for k, _ in cp.items(section))))
    except configparser.Error:
        print("I", h("!error"))
)PY";

std::string Unhex(const std::string& hex) {
  if (hex == "-") return "";
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

// The oracle's output in the dump form.
std::string PythonDump(const std::string& oracle_output) {
  std::istringstream lines(oracle_output);
  std::string dump;
  std::string kind;
  while (lines >> kind) {
    if (kind == "E") {
      std::string error, line, message;
      lines >> error >> line >> message;
      dump += "error " + error + " line " + line + ": " + Unhex(message) + "\n";
    } else if (kind == "S") {
      std::string section;
      lines >> section;
      dump += "[" + Unhex(section) + "]\n";
    } else if (kind == "V" || kind == "X") {
      std::string name, value;
      lines >> name >> value;
      dump += "  " + Unhex(name) + (kind == "V" ? " = " : " ! ") + Unhex(value) + "\n";
    } else if (kind == "I") {
      std::string items;
      lines >> items;
      dump += "  items: " + Unhex(items) + "\n";
    }
  }
  return dump;
}

// IniFile's view in the same form. The error kind is read from the message
// and the line from the "<file>:<line>" object.
std::string SqlmendDump(const std::string& path, const std::string& here) {
  auto file = IniFile::Read(path, path, {{"here", here}});
  if (!file) {
    const std::string& message = file.error().message();
    const std::string& object = file.error().object();
    const std::string line = object.substr(object.rfind(':') + 1);
    std::string kind = "Unknown";
    std::string shown;
    if (message.starts_with("File contains no section headers")) kind = "MissingSectionHeader";
    if (message.starts_with("Source contains parsing errors")) kind = "Parsing";
    if (message.starts_with("section ")) kind = "DuplicateSection", shown = message;
    if (message.starts_with("option ")) kind = "DuplicateOption", shown = message;
    return "error " + kind + " line " + line + ": " + shown + "\n";
  }
  std::string dump;
  std::vector<std::string> sections = {"DEFAULT"};
  for (const std::string& section : file->Sections()) sections.push_back(section);
  for (const std::string& section : sections) {
    dump += "[" + section + "]\n";
    for (const std::string& name : file->Options(section)) {
      auto value = file->Get(section, name);
      dump +=
          "  " + name + (value ? " = " + value->value() : " ! " + value.error().message()) + "\n";
    }
    auto items = file->Items(section);
    std::string keys;
    if (items) {
      for (const auto& [key, value] : **items) keys += (keys.empty() ? "" : " ") + key;
    }
    dump += "  items: " + (items ? keys : std::string("!error")) + "\n";
  }
  return dump;
}

struct ParserCase {
  const char* name;
  const char* text;
};

// Each case names the configparser rule it pins.
const ParserCase kParserCases[] = {
    {"equals_and_colon_delimiters",
     "[alembic]\nscript_location = migrations\nsqlalchemy.url: sqlite:///x.db\n"},
    {"keys_lower_cased_values_stripped", "[alembic]\n  Script_Location   =    a b   \nMY KEY=v\n"},
    {"first_delimiter_splits", "[s]\na = b = c\nd: e = f\ng = h: i\nj:k=l\n"},
    {"empty_value", "[s]\na =\nb:\n"},
    {"continuation_joined_with_newline", "[s]\na = one\n  two\n\tthree\nb = x\n"},
    {"blank_lines_inside_value_kept_trailing_dropped",
     "[s]\na = one\n\n  two\n\n\nb = x\n  y\n\n\n"},
    {"blank_line_then_unindented_line_is_new_option", "[s]\na = one\n\nb = two\n"},
    {"comments_full_line_only",
     "# top\n; top\n[s]\n# c\na = b # not a comment\n; c\nc = d ; kept\n"},
    {"indented_comment_inside_continuation_skipped",
     "[s]\na = one\n  # hidden\n  two\n    ; hidden\n  three\n"},
    {"default_section_seen_everywhere",
     "[DEFAULT]\nshared = s\nover = d\n[a]\nover = a\n[b]\nx = %(shared)s-%(over)s\n"},
    {"here_default_and_override", "[s]\npath = %(here)s/migrations\n"},
    {"here_overridden_in_file_default", "[DEFAULT]\nhere = /elsewhere\n[s]\npath = %(here)s/m\n"},
    {"interpolation_same_section_recursive", "[s]\na = %(b)s/x\nb = %(c)s/y\nc = z\n"},
    {"interpolation_reference_lower_cased", "[s]\nName = v\nref = %(NAME)s and %(here)s\n"},
    {"double_percent_is_percent", "[alembic]\nfile_template = %%(rev)s_%%(slug)s\nurl = a%%20b\n"},
    {"referenced_value_percent_reinterpreted", "[s]\nraw = 50%%\nref = %(raw)s done\n"},
    {"lone_percent_error", "[s]\na = 50% off\nb = fine\n"},
    {"percent_at_end_error", "[s]\na = 100%\n"},
    {"bad_reference_format_error", "[s]\na = %(b)d\nb = 1\n"},
    {"unclosed_reference_error", "[s]\na = %(b\n"},
    {"missing_key_error", "[s]\na = %(nope)s\n"},
    {"missing_key_in_referenced_value_error", "[s]\na = %(b)s\nb = %(nope)s\n"},
    {"self_reference_depth_error", "[s]\na = %(a)s\n"},
    {"chain_of_ten_ok",
     "[s]\na0 = %(a1)s\na1 = %(a2)s\na2 = %(a3)s\na3 = %(a4)s\na4 = %(a5)s\n"
     "a5 = %(a6)s\na6 = %(a7)s\na7 = %(a8)s\na8 = %(a9)s\na9 = %(a10)s\na10 = end\n"},
    {"chain_of_eleven_error",
     "[s]\na0 = %(a1)s\na1 = %(a2)s\na2 = %(a3)s\na3 = %(a4)s\na4 = %(a5)s\n"
     "a5 = %(a6)s\na6 = %(a7)s\na7 = %(a8)s\na8 = %(a9)s\na9 = %(a10)s\na10 = %(a11)s\n"
     "a11 = %%end\n"},
    {"default_refers_to_section_key",
     "[DEFAULT]\nd = %(only_in_a)s\n[a]\nonly_in_a = A\n[b]\nx = 1\n"},
    {"duplicate_section_error", "[a]\nx = 1\n[b]\n[a]\ny = 2\n"},
    {"duplicate_option_error", "[a]\nx = 1\ny = 2\nX = 3\n"},
    {"duplicate_option_across_default_blocks_error", "[DEFAULT]\nx = 1\n[a]\n[DEFAULT]\nx = 2\n"},
    {"default_section_twice_ok", "[DEFAULT]\nx = 1\n[a]\n[DEFAULT]\ny = 2\n"},
    {"no_section_header_error", "# comment\n\nkey = value\n[a]\n"},
    {"parsing_error_line_without_delimiter", "[a]\nx = 1\njust words\ny = 2\n"},
    {"parsing_error_reported_after_duplicate", "[a]\njust words\n[a]\n"},
    {"parsing_error_empty_key", "[a]\n= value\n"},
    {"bogus_line_then_indented_line_continues_previous", "[a]\nx = 1\nbogus\n    more\n"},
    {"section_header_text_after_bracket_ignored",
     "[a] trailing\nx = 1\n[b]]\ny = 2\n[ c ]\nz = 3\n"},
    {"empty_brackets_are_not_a_header", "[a]\n[]\n"},
    {"indented_first_option_then_less_indented", "[a]\n    x = 1\n  y = 2\n      z\n"},
    {"continuation_not_allowed_after_header", "[a]\n  x = 1\n"},
    {"crlf_and_cr_line_ends", "[a]\r\nx = 1\r\n  two\r\ny = 2\rz = 3\r\n"},
    {"empty_file", ""},
    {"only_comments", "# a\n; b\n\n"},
    {"utf8_values", "[a]\nname = caf\xc3\xa9 \xe2\x98\x95\n"},
    {"form_feed_and_vertical_tab_are_space", "[a]\nx = 1\n\f\n  y\n"},
    {"quotes_in_error_message", "[s]\na = it's 100% \"real\"\n"},
    {"alembic_generic_template",
     "[alembic]\nscript_location = %(here)s/alembic\nprepend_sys_path = .\npath_separator = os\n"
     "sqlalchemy.url = driver://user:pass@localhost/dbname\n\n[post_write_hooks]\n\n[loggers]\n"
     "keys = root,sqlalchemy,alembic\n\n[formatter_generic]\nformat = %%(levelname)-5.5s "
     "[%%(name)s] %%(message)s\n"
     "datefmt = %%H:%%M:%%S\n"},
};

class IniFileOracleTest : public ::testing::TestWithParam<ParserCase> {};

TEST_P(IniFileOracleTest, MatchesPythonConfigparser) {
  if (!base::Exists(testutil::kPython)) GTEST_SKIP() << "no " << testutil::kPython;
  const ParserCase& c = GetParam();
  testutil::TempDir dir;
  const std::string script = dir.File("oracle.py");
  const std::string ini = dir.File("case.ini");
  testutil::WriteFile(script, kConfigParserOracle);
  testutil::WriteFile(ini, c.text);
  const testutil::RunResult python =
      testutil::RunCommand(std::string(testutil::kPython) + " " + testutil::ShellQuote(script) + " " +
                           testutil::ShellQuote(ini) + " " + testutil::ShellQuote(dir.path()));
  ASSERT_EQ(python.exit_code, 0) << python.err;
  EXPECT_EQ(SqlmendDump(ini, dir.path()), PythonDump(python.out)) << "input:\n" << c.text;
}

INSTANTIATE_TEST_SUITE_P(Cases, IniFileOracleTest, ::testing::ValuesIn(kParserCases),
                         [](const auto& info) { return std::string(info.param.name); });

// The oracle cannot check where an error points: these pin the object.
struct LocationCase {
  const char* text;
  const char* section;
  const char* option;
  const char* object;  // expected "<source>:<line>"
};

const LocationCase kLocationCases[] = {
    {"[s]\na = 1\nb = %(nope)s\n", "s", "b", "f.ini:3"},
    {"[DEFAULT]\nd = 50%\n[s]\nx = 1\n", "s", "d", "f.ini:2"},
    {"[s]\nmulti = one\n  two %\n", "s", "multi", "f.ini:2"},
    {"[s]\na = %(here)s\n", "s", "a", "f.ini:2"},  // the error is a's, though here holds the '%'
    {"[s]\na = 1\n", "s", "here", "f.ini"},        // a constructor default has no line
};

TEST(IniFileTest, InterpolationErrorsNameTheOptionLine) {
  for (const LocationCase& c : kLocationCases) {
    auto file = IniFile::Parse(c.text, "f.ini", {{"here", "/x%y"}});
    ASSERT_TRUE(file) << file.error().ToString() << "\ninput:\n" << c.text;
    auto value = file->Get(c.section, c.option);
    ASSERT_FALSE(value) << "input:\n" << c.text;
    EXPECT_EQ(value.error().object(), c.object) << "input:\n" << c.text;
    EXPECT_EQ(value.error().code(), base::Code::kUnusableInput);
  }
}

TEST(IniFileTest, ParseErrorsAreOneLineWithFileAndLine) {
  const std::pair<const char*, const char*> cases[] = {
      {"x = 1\n", "f.ini:1: File contains no section headers: 'x = 1'"},
      {"[a]\n[a]\n", "f.ini:2: section 'a' already exists"},
      {"[a]\nx=1\nx=2\n", "f.ini:3: option 'x' in section 'a' already exists"},
      {"[a]\nx=1\nwords\n",
       "f.ini:3: Source contains parsing errors: 'words' is not '[section]', 'key = value' "
       "or a comment"},
  };
  for (const auto& [text, expected] : cases) {
    auto file = IniFile::Parse(text, "f.ini");
    ASSERT_FALSE(file) << "input:\n" << text;
    EXPECT_EQ(file.error().ToString(), expected) << "input:\n" << text;
  }
}

TEST(IniFileTest, HasOptionFollowsConfigparser) {
  auto file = IniFile::Parse("[DEFAULT]\nd = 1\n[s]\nx = 2\n", "f.ini", {{"here", "/h"}});
  ASSERT_TRUE(file);
  EXPECT_TRUE(file->HasOption("s", "X"));
  EXPECT_TRUE(file->HasOption("s", "d"));
  EXPECT_TRUE(file->HasOption("s", "here"));
  EXPECT_TRUE(file->HasOption("DEFAULT", "d"));
  EXPECT_FALSE(file->HasOption("DEFAULT", "x"));
  EXPECT_FALSE(file->HasOption("missing", "d"));  // no section: false even for defaults
  EXPECT_FALSE(file->HasSection("DEFAULT"));
  EXPECT_TRUE(file->HasSection("s"));
  EXPECT_EQ(file->Find("s", "x")->line, 4);
}

TEST(IniFileTest, ReadOfMissingFileIsAnEnvironmentError) {
  testutil::TempDir dir;
  auto file = IniFile::Read(dir.File("absent.ini"));
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code(), base::Code::kEnvironment);
}

}  // namespace
}  // namespace sqlmend::config
