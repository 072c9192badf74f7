// AlembicConfig: which files a command line reads and what each supplies.
// Layouts are built in a temporary folder ({root} in expectations). Where
// Alembic 1.8.1 (the installed /usr/bin/alembic) and 1.16+ agree -- ini-only
// projects -- each layout is also run through the real `alembic current`
// with an env.py that prints what Alembic resolved, and the two dumps must
// match. pyproject.toml rules (1.16+) are pinned by expectations taken from
// alembic/config.py; each case's name states the rule.
#include "config/alembic_config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "base/files.h"
#include "testutil/testutil.h"

namespace sqlmend::config {
namespace {

constexpr char kAlembic[] = "/usr/bin/alembic";
// An env.py that prints, in Dump()'s form, what Alembic resolved, then stops
// before any database is touched.
constexpr char kOracleEnvPy[] = R"PY(
import os
from alembic import context
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
config = context.config
script = ScriptDirectory.from_config(config)
print("script_location=" + os.path.abspath(script.dir))
print("version_locations=" + ";".join(script._version_locations))
print("file_template=" + script.file_template)
print("truncate_slug_length=%d" % script.truncate_slug_length)
print("output_encoding=" + script.output_encoding)
print("sourceless=" + ("true" if script.sourceless else "false"))
print("timezone=" + str(script.timezone))
print("x=" + ";".join("%s=%s" % kv for kv in sorted(context.get_x_argument(as_dictionary=True).items())))
url = config.get_main_option("sqlalchemy.url")
print("url=" + str(url))
if url:
    print("database=" + SQLiteDialect_pysqlite().create_connect_args(make_url(url))[0][0])
raise SystemExit(0)
)PY";

struct File {
  const char* path;  // relative to the root
  const char* text;  // "{env.py}" stands for kOracleEnvPy
};

struct LayoutCase {
  const char* name;
  std::vector<File> files;
  const char* cwd = "";  // relative to the root
  std::vector<std::string> config_paths = {};
  const char* alembic_config = nullptr;  // $ALEMBIC_CONFIG; nullptr: unset
  const char* pythonpath = nullptr;      // $PYTHONPATH ({root} expanded); nullptr: unset
  const char* section = "alembic";
  std::vector<std::string> x_args = {};
  // Lines the dump must contain ({root} is the temporary root), or
  // "load!<message>" when LoadConfig must fail.
  const char* expected = "";
  bool oracle = false;  // also compare the whole dump with alembic 1.8.1
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

template <typename T>
std::string Shown(const base::Result<T>& result, const std::string& text) {
  return result ? text : "!" + result.error().message();
}

// What sqlmend resolved, one "key=value" line each, "!message" for errors.
std::string Dump(const AlembicConfig& config) {
  std::string dump;
  auto script_location = config.ScriptLocation();
  dump += "script_location=" + Shown(script_location, script_location.value_or("")) + "\n";
  auto versions = config.VersionLocations();
  std::string joined;
  for (const std::string& location : versions.value_or(std::vector<std::string>{})) {
    joined += (joined.empty() ? "" : ";") + location;
  }
  dump += "version_locations=" + Shown(versions, joined) + "\n";
  auto file_template = config.FileTemplate();
  dump += "file_template=" + Shown(file_template, file_template.value_or("")) + "\n";
  auto truncate = config.TruncateSlugLength();
  dump += "truncate_slug_length=" + Shown(truncate, std::to_string(truncate.value_or(0))) + "\n";
  auto encoding = config.OutputEncoding();
  dump += "output_encoding=" + Shown(encoding, encoding.value_or("")) + "\n";
  auto sourceless = config.Sourceless();
  dump += "sourceless=" + Shown(sourceless, sourceless.value_or(false) ? "true" : "false") + "\n";
  auto timezone = config.Timezone();
  dump += "timezone=" + Shown(timezone, timezone ? timezone->value_or("None") : "") + "\n";
  std::string x;
  for (const auto& [key, value] : config.GetXArgumentDictionary())
    x += (x.empty() ? "" : ";") + key + "=" + value;
  dump += "x=" + x + "\n";
  auto url = config.GetMainOption("sqlalchemy.url");
  dump += "url=" + Shown(url, url ? url->value_or("None") : "") + "\n";
  if (url && *url) {
    auto database = config.DatabaseUrl();
    dump += "database=" + Shown(database, database ? database->location : "") + "\n";
  }
  return dump;
}

class Layout {
 public:
  explicit Layout(const LayoutCase& c) : case_(c) {
    for (const File& file : c.files) {
      const std::string path = dir_.File(file.path);
      std::filesystem::create_directories(std::filesystem::path(path).parent_path());
      testutil::WriteFile(path, std::string(file.text) == "{env.py}" ? kOracleEnvPy : file.text);
    }
    std::filesystem::create_directories(Cwd());
  }
  std::string Root() const { return dir_.path(); }
  std::string Cwd() const { return *case_.cwd ? dir_.File(case_.cwd) : dir_.path(); }

  base::Result<AlembicConfig> Load() const {
    ConfigArgs args;
    args.config_paths = case_.config_paths;
    args.section = case_.section;
    args.x_args = case_.x_args;
    Environment environment;
    environment.cwd = Cwd();
    if (case_.alembic_config) environment.alembic_config = case_.alembic_config;
    if (case_.pythonpath) environment.pythonpath = Replace(case_.pythonpath, "{root}", Root());
    return LoadConfig(args, environment);
  }

  std::string SqlmendDump() const {
    auto config = Load();
    return config ? Dump(*config) : "load!" + config.error().message();
  }

  // The same command line given to the real alembic.
  testutil::RunResult RunAlembic() const {
    std::string command = "cd " + testutil::ShellQuote(Cwd()) + " && ";
    command += case_.alembic_config
                   ? "ALEMBIC_CONFIG=" + testutil::ShellQuote(case_.alembic_config) + " "
                   : std::string("env -u ALEMBIC_CONFIG ");
    command += case_.pythonpath
                   ? "PYTHONPATH=" +
                         testutil::ShellQuote(Replace(case_.pythonpath, "{root}", Root())) + " "
                   : std::string("env -u PYTHONPATH ");
    command += "PYTHONDONTWRITEBYTECODE=1 ";
    command += kAlembic;
    for (const std::string& path : case_.config_paths)
      command += " -c " + testutil::ShellQuote(path);
    command += " -n " + testutil::ShellQuote(case_.section);
    for (const std::string& x : case_.x_args) command += " -x " + testutil::ShellQuote(x);
    return testutil::RunCommand(command + " current");
  }

 private:
  const LayoutCase& case_;
  testutil::TempDir dir_;
};

const char kGenericIni[] =
    "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///app.db\n\n[loggers]\nkeys "
    "= root\n";

const LayoutCase kLayoutCases[] = {
    // --- ini-only layouts, checked against alembic 1.8.1 as well ---
    {.name = "AlembicIniInCwdWithDefaults",
     .files = {{"alembic.ini", kGenericIni}, {"migrations/env.py", "{env.py}"}},
     .expected = "script_location={root}/migrations\nversion_locations={root}/migrations/versions\n"
                 "file_template=%(rev)s_%(slug)s\ntruncate_slug_length=40\noutput_encoding=utf-8\n"
                 "sourceless=false\ntimezone=None\nurl=sqlite:///app.db\ndatabase={root}/app.db\n",
     .oracle = true},
    {.name = "HereIsTheIniFolder",
     .files = {{"data_development/config.ini",
                "[alembic]\nscript_location = %(here)s/../migrations\nsqlalchemy.url = "
                "sqlite:///%(here)s/dev.db\n"},
               {"migrations/env.py", "{env.py}"}},
     .config_paths = {"data_development/config.ini"},
     .expected = "script_location={root}/data_development/../migrations\n"
                 "database={root}/data_development/dev.db\n"},
    {.name = "RelativeScriptLocationIsRelativeToCwdNotIni",
     .files = {{"env/dev.ini",
                "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///dev.db\n"},
               {"migrations/env.py", "{env.py}"}},
     .config_paths = {"env/dev.ini"},
     .expected = "script_location={root}/migrations\ndatabase={root}/dev.db\n",
     .oracle = true},
    {.name = "IniInSubfolderWithHereAndCwdElsewhere",
     .files = {{"proj/env/dev.ini",
                "[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = "
                "sqlite:///%(here)s/dev.db\n"},
               {"proj/env/migrations/env.py", "{env.py}"}},
     .cwd = "work",
     .config_paths = {"../proj/env/dev.ini"},
     .expected = "database={root}/proj/env/dev.db\n"},
    {.name = "AlembicConfigEnvironmentNamesTheIni",
     .files = {{"cfg/a.ini",
                "[alembic]\nscript_location = %(here)s/m\nsqlalchemy.url = sqlite://\n"},
               {"cfg/m/env.py", "{env.py}"}},
     .alembic_config = "cfg/a.ini",
     .expected = "script_location={root}/cfg/m\ndatabase=:memory:\n",
     .oracle = true},
    {.name = "DashCOverridesAlembicConfigEnvironment",
     .files = {{"a.ini", "[alembic]\nscript_location = m\n"},
               {"b.ini", "[alembic]\nscript_location = n\n"},
               {"n/env.py", "{env.py}"}},
     .config_paths = {"b.ini"},
     .alembic_config = "a.ini",
     .expected = "script_location={root}/n\n",
     .oracle = true},
    {.name = "DashNSelectsTheSectionAndDefaultSectionCounts",
     .files = {{"alembic.ini",
                "[DEFAULT]\nscript_location = shared\n[alembic]\nsqlalchemy.url = sqlite:///a.db\n"
                "[other]\nsqlalchemy.url = sqlite:////abs/o.db\ntruncate_slug_length = 20\n"},
               {"shared/env.py", "{env.py}"}},
     .section = "other",
     .expected = "script_location={root}/shared\ntruncate_slug_length=20\ndatabase=/abs/o.db\n",
     .oracle = true},
    {.name = "IniOptionsOverrideDefaults",
     .files = {{"alembic.ini",
                "[alembic]\nscript_location = m\nfile_template = "
                "%%(year)d_%%(rev)s\ntruncate_slug_length = 0\n"
                "output_encoding = latin-1\nsourceless = true\ntimezone =\n"
                "sqlalchemy.url = sqlite+pysqlite:///db/x.db?timeout=3\n"},
               {"m/env.py", "{env.py}"}},
     // (1.8.1 cannot take "-x flag" without '=': see XArgumentsAsListAndDictionary)
     .x_args = {"a=1", "a=2", "b=x=y"},
     .expected =
         "file_template=%(year)d_%(rev)s\ntruncate_slug_length=40\noutput_encoding=latin-1\n"
         "sourceless=true\ntimezone=\nx=a=2;b=x=y\ndatabase={root}/db/x.db\n",
     .oracle = true},
    {.name = "SourcelessIsTheExactTextTrue",
     .files = {{"alembic.ini", "[alembic]\nscript_location = m\nsourceless = True\n"},
               {"m/env.py", "{env.py}"}},
     .expected = "sourceless=false\n",
     .oracle = true},
    {.name = "VersionLocationsLegacySplitOnCommasAndSpaces",
     .files = {{"alembic.ini",
                "[alembic]\nscript_location = m\nversion_locations = %(here)s/a, b c\n"},
               {"m/env.py", "{env.py}"}},
     .expected = "version_locations={root}/a;{root}/b;{root}/c\n",
     .oracle = true},
    {.name = "VersionPathSeparatorSemicolonKeepsSpaces",
     .files = {{"alembic.ini",
                "[alembic]\nscript_location = m\nversion_path_separator = ;\nversion_locations = a "
                "b;c\n"},
               {"m/env.py", "{env.py}"}},
     .expected = "version_locations={root}/a b;{root}/c\n",
     .oracle = true},
    {.name = "UriQueryBecomesSqliteUri",
     .files = {{"alembic.ini",
                "[alembic]\nscript_location = m\nsqlalchemy.url = "
                "sqlite:///file:x.db?mode=ro&uri=true\n"},
               {"m/env.py", "{env.py}"}},
     .expected = "database=file:x.db?mode=ro\n",
     .oracle = true},
    // --- path_separator (1.16+) ---
    {.name = "PathSeparatorOsIsColon",
     .files =
         {{"alembic.ini",
           "[alembic]\nscript_location = m\npath_separator = os\nversion_locations = a b:c\n"}},
     .expected = "version_locations={root}/a b;{root}/c\n"},
    {.name = "PathSeparatorNewlineSplitsContinuationLines",
     .files = {{"alembic.ini",
                "[alembic]\nscript_location = m\npath_separator = newline\nversion_locations =\n  "
                "a b\n  c;d\n"}},
     .expected = "version_locations={root}/a b;{root}/c;d\n"},
    {.name = "PathSeparatorWinsOverVersionPathSeparator",
     .files =
         {{"alembic.ini",
           "[alembic]\nscript_location = m\npath_separator = space\nversion_path_separator = ;\n"
           "version_locations = a;b c\n"}},
     .expected = "version_locations={root}/a;b;{root}/c\n"},
    {.name = "PathSeparatorUnknownValueFails",
     .files = {{"alembic.ini",
                "[alembic]\nscript_location = m\npath_separator = comma\nversion_locations = a\n"}},
     .expected =
         "version_locations=!'comma' is not a valid value for path_separator; expected 'space', "
         "'newline', 'os', ':', ';'\n"},
    // --- pyproject.toml (1.16+) ---
    {.name = "TomlInCwdNamesMigrationsWhileIniBesideEnvironmentHoldsUrl",
     .files =
         {{"pyproject.toml",
           "[project]\nname = 'app'\n[tool.alembic]\nscript_location = \"%(here)s/migrations\"\n"},
          {"data_development/config.ini",
           "[alembic]\nsqlalchemy.url = sqlite:///%(here)s/dev.db\n"}},
     .config_paths = {"data_development/config.ini"},
     .expected = "script_location={root}/migrations\nversion_locations={root}/migrations/versions\n"
                 "database={root}/data_development/dev.db\n"},
    {.name = "TomlIsLookedUpInCwdNotBesideTheIni",
     .files = {{"proj/pyproject.toml",
                "[tool.alembic]\nscript_location = \"%(here)s/migrations\"\n"},
               {"proj/alembic.ini", "[alembic]\nsqlalchemy.url = sqlite://\n"}},
     .config_paths = {"proj/alembic.ini"},
     .expected = "script_location=!No 'script_location' key found in configuration.\n"},
    {.name = "IniValueWinsOverToml",
     .files = {{"pyproject.toml",
                "[tool.alembic]\nscript_location = \"toml\"\ntruncate_slug_length = 12\n"},
               {"alembic.ini", "[alembic]\nscript_location = ini\n"}},
     .expected = "script_location={root}/ini\ntruncate_slug_length=12\n"},
    {.name = "TomlHereIsTheTomlFolderAndPercentIsEscaped",
     .files = {{"conf/pyproject.toml",
                "[tool.alembic]\nscript_location = \"%(here)s/m\"\nfile_template = "
                "\"%%(rev)s_%%(slug)s_x\"\n"
                "version_locations = [\"%(here)s/v1\", \"rel/v2\"]\ntimezone = \"UTC\"\n"
                "output_encoding = \"utf-16\"\nsourceless = true\n"},
               {"conf/alembic.ini", "[alembic]\nsqlalchemy.url = sqlite:///%(here)s/x.db\n"}},
     .config_paths = {"conf/pyproject.toml", "conf/alembic.ini"},
     .expected =
         "script_location={root}/conf/m\nfile_template=%(rev)s_%(slug)s_x\n"
         "version_locations={root}/conf/v1;{root}/rel/v2\ntimezone=UTC\noutput_encoding=utf-16\n"
         "sourceless=true\ndatabase={root}/conf/x.db\n"},
    {.name = "AlembicConfigEnvironmentMayNameTheToml",
     .files = {{"cfg/pyproject.toml", "[tool.alembic]\nscript_location = \"%(here)s/m\"\n"}},
     .alembic_config = "cfg/pyproject.toml",
     .expected =
         "script_location={root}/cfg/m\nurl=!No config file 'alembic.ini' found, or file has no "
         "'[alembic]' section\n"},
    {.name = "TomlOnlyWithoutIniRuns",
     .files = {{"pyproject.toml", "[tool.alembic]\nscript_location = \"migrations\"\n"}},
     .expected = "script_location={root}/migrations\n"},
    {.name = "DashNDoesNotChangeTheTomlTable",
     .files = {{"pyproject.toml", "[tool.alembic]\nscript_location = \"m\"\n"},
               {"alembic.ini", "[other]\nsqlalchemy.url = sqlite://\n"}},
     .section = "other",
     .expected = "script_location={root}/m\ndatabase=:memory:\n"},
    {.name = "TomlBooleanMustBeBoolean",
     .files = {{"pyproject.toml",
                "[tool.alembic]\nscript_location = \"m\"\nsourceless = \"true\"\n"}},
     .expected = "sourceless=!boolean value expected for TOML parameter 'sourceless'\n"},
    {.name = "TomlStringForListIsRefused",
     .files = {{"pyproject.toml",
                "[tool.alembic]\nscript_location = \"m\"\nversion_locations = \"a\"\n"}},
     .expected =
         "version_locations=!TOML value for 'version_locations' must be a list of strings\n"},
    {.name = "TomlUnknownInterpolationKeyIsRefused",
     .files = {{"pyproject.toml",
                "[tool.alembic]\nscript_location = \"m\"\nfile_template = \"%(year)d\"\n"}},
     .expected =
         "file_template=!TOML value for 'file_template' has an unsupported '%' at '%(year)d' "
         "(write %% for a '%')\n"},
    {.name = "TomlToolAlembicMustBeATable",
     .files = {{"pyproject.toml", "[tool]\nalembic = 5\n"}},
     .expected = "load!Incorrect TOML format"},
    // --- which files, and errors ---
    {.name = "MissingIniIsNotALoadError",
     .files = {},
     .config_paths = {"missing.ini"},
     .expected = "script_location=!No 'script_location' key found in configuration.\n"
                 "url=!No config file 'missing.ini' found, or file has no '[alembic]' section\n"},
    // --- package:folder locations (Alembic's coerce_resource_to_filename) ---
    {.name = "PackageResourceFoundThroughPrependSysPath",
     .files = {{"alembic.ini",
                "[alembic]\nscript_location = myapp:migrations\nprepend_sys_path = .\n"
                "version_locations = myapp.plugin:versions myapp:migrations/versions\n"},
               {"myapp/__init__.py", ""},
               {"myapp/migrations/env.py", "{env.py}"},
               {"myapp/migrations/versions/.keep", ""},
               {"myapp/plugin/__init__.py", ""},
               {"myapp/plugin/versions/.keep", ""}},
     .expected = "script_location={root}/myapp/migrations\n"
                 "version_locations={root}/myapp/plugin/versions;{root}/myapp/migrations/versions\n",
     .oracle = true},
    {.name = "PackageResourceFoundThroughPythonpath",
     .files = {{"conf/alembic.ini", "[alembic]\nscript_location = app:db\n"},
               {"lib/app/__init__.py", ""},
               {"lib/app/db/env.py", "{env.py}"},
               {"lib/app/db/versions/.keep", ""}},
     .config_paths = {"conf/alembic.ini"},
     .pythonpath = "{root}/lib",
     .expected = "script_location={root}/lib/app/db\n",
     .oracle = true},
    {.name = "PackageResourceFoundInTheDeclaredSrcLayout",
     .files = {{"alembic.ini", "[alembic]\nscript_location = myapp:migrations\n"},
               {"pyproject.toml",
                "[project]\nname = \"myapp\"\n[tool.setuptools.packages.find]\nwhere = "
                "[\"src\"]\n"},
               {"src/myapp/__init__.py", ""},
               {"src/myapp/migrations/versions/.keep", ""}},
     .expected = "script_location={root}/src/myapp/migrations\n"},
    {.name = "PackageResourceOfAPackageFoundNowhere",
     .files = {{"alembic.ini", "[alembic]\nscript_location = myapp:migrations\n"}},
     .expected = "script_location=!script_location 'myapp:migrations': No module named 'myapp' "
                 "(searched prepend_sys_path, PYTHONPATH, the virtualenv and the project's source "
                 "folders)\n"},
    {.name = "TwoInisRefused",
     .files = {},
     .config_paths = {"a.ini", "b.ini"},
     .expected = "load!only one ini file may be indicated"},
    {.name = "TwoTomlsRefused",
     .files = {},
     .config_paths = {"pyproject.toml", "x/pyproject.toml"},
     .expected = "load!pyproject.toml indicated more than once"},
    {.name = "NonSqliteUrlRefusedAtUseNotAtLoad",
     .files = {{"alembic.ini",
                "[alembic]\nscript_location = m\nsqlalchemy.url = postgresql://u:secret@h/db\n"}},
     .expected =
         "script_location={root}/m\n"
         "database=!sqlalchemy.url: dialect 'postgresql' is not supported: sqlmend migrates SQLite "
         "databases only\n"},
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string Describe(const LayoutCase& c) {
  std::string text = "layout:\n";
  for (const File& file : c.files)
    text += "--- " + std::string(file.path) + "\n" + file.text + "\n";
  text += "cwd: {root}/" + std::string(c.cwd) + "\n";
  for (const std::string& path : c.config_paths) text += "-c " + path + "\n";
  if (c.alembic_config) text += "ALEMBIC_CONFIG=" + std::string(c.alembic_config) + "\n";
  return text;
}

class AlembicLayoutTest : public ::testing::TestWithParam<LayoutCase> {};

TEST_P(AlembicLayoutTest, ResolvesAsAlembicDoes) {
  const LayoutCase& c = GetParam();
  Layout layout(c);
  const std::string dump = layout.SqlmendDump();
  const std::string expected = Replace(c.expected, "{root}", layout.Root());
  if (expected.starts_with("load!")) {
    EXPECT_EQ(dump, expected) << Describe(c);
  } else {
    for (const std::string& line : Lines(expected)) {
      EXPECT_NE(dump.find(line + "\n"), std::string::npos) << "missing: " << line << "\ndump:\n"
                                                           << dump << Describe(c);
    }
  }
  if (c.oracle && base::Exists(kAlembic)) {
    const testutil::RunResult alembic = layout.RunAlembic();
    ASSERT_EQ(alembic.exit_code, 0) << alembic.err << Describe(c);
    EXPECT_EQ(dump, alembic.out) << Describe(c);
  }
}

INSTANTIATE_TEST_SUITE_P(Layouts, AlembicLayoutTest, ::testing::ValuesIn(kLayoutCases),
                         [](const auto& info) { return std::string(info.param.name); });

// Alembic prints these as "FAILED: <message>" on stdout and exits with
// status 255 (util.err: sys.exit(-1)); 1.8.1 must print our words.
TEST(AlembicConfigTest, FailureWordingMatchesAlembic) {
  if (!base::Exists(kAlembic)) GTEST_SKIP() << "no " << kAlembic;
  const LayoutCase missing_file{.name = "missing", .files = {}, .config_paths = {"missing.ini"}};
  const LayoutCase no_script_location{.name = "no_key",
                                      .files = {{"alembic.ini", "[alembic]\nx = 1\n"}}};
  const std::pair<const LayoutCase*, std::string> cases[] = {
      // 1.8.1 asks get_main_option("script_location") first; 1.16+ reaches
      // the same sentence through env.py's get_main_option.
      {&missing_file, "main"},
      {&no_script_location, "script_location"},
  };
  for (const auto& [c, accessor] : cases) {
    Layout layout(*c);
    auto config = layout.Load();
    ASSERT_TRUE(config) << config.error().ToString();
    const std::string message = accessor == "main"
                                    ? config->GetMainOption("script_location").error().message()
                                    : config->ScriptLocation().error().message();
    const testutil::RunResult alembic = layout.RunAlembic();
    EXPECT_EQ(alembic.exit_code, 255) << Describe(*c);
    EXPECT_NE(alembic.out.find("FAILED: " + message + "\n"), std::string::npos)
        << "alembic said: " << alembic.out << alembic.err << "\nsqlmend: " << message << "\n"
        << Describe(*c);
  }
}

TEST(AlembicConfigTest, MalformedFilesFailWithFileAndLine) {
  const std::pair<File, const char*> cases[] = {
      {{"alembic.ini", "[alembic]\nscript_location\n"},
       "alembic.ini:2: Source contains parsing errors: 'script_location' is not '[section]', 'key "
       "= value' or a "
       "comment"},
      {{"alembic.ini", "script_location = m\n"},
       "alembic.ini:1: File contains no section headers: "
       "'script_location = m'"},
      {{"pyproject.toml", "[tool.alembic]\nscript_location = \"m\"\nsourceless = yes\n"},
       "pyproject.toml:3: "},
      {{"pyproject.toml", "[tool.alembic]\na = 1\na = 2\n"}, "pyproject.toml:3: "},
  };
  for (const auto& [file, expected] : cases) {
    const LayoutCase c{.name = "malformed", .files = {file}};
    Layout layout(c);
    auto config = layout.Load();
    ASSERT_FALSE(config) << Describe(c);
    const std::string text = config.error().ToString();
    EXPECT_TRUE(text.starts_with(expected)) << text << "\n" << Describe(c);
    EXPECT_EQ(text.find('\n'), std::string::npos) << text;
  }
}

TEST(AlembicConfigTest, DeprecatedSeparatorsWarnAsAlembicDoes) {
  const LayoutCase c{.name = "warn",
                     .files = {{"alembic.ini",
                                "[alembic]\nscript_location = m\nversion_path_separator = os\n"
                                "version_locations = a:b\nprepend_sys_path = .:lib\n"}}};
  Layout layout(c);
  auto config = layout.Load();
  ASSERT_TRUE(config);
  std::vector<std::string> warnings;
  auto versions = config->VersionLocations(&warnings);
  ASSERT_TRUE(versions);
  EXPECT_EQ(versions->size(), 2u);
  auto sys_path = config->PrependSysPath(&warnings);
  ASSERT_TRUE(sys_path);
  EXPECT_EQ(*sys_path, (std::vector<std::string>{".", "lib"}));
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0],
            "The version_path_separator configuration parameter is deprecated; please use "
            "path_separator");
  EXPECT_TRUE(warnings[1].starts_with(
      "No path_separator found in configuration; falling back to legacy splitting "
      "on spaces, commas, and colons for prepend_sys_path."));
}

TEST(AlembicConfigTest, PostWriteHooksFromIniOrToml) {
  const LayoutCase ini{
      .name = "ini",
      .files = {{"alembic.ini",
                 "[alembic]\nscript_location = m\n[post_write_hooks]\nhooks = black, ruff\n"
                 "black.type = console_scripts\nblack.entrypoint = black\nruff.type = exec\n"}}};
  const LayoutCase toml{
      .name = "toml",
      .files = {{"pyproject.toml",
                 "[tool.alembic]\nscript_location = \"m\"\n[[tool.alembic.post_write_hooks]]\n"
                 "name = \"ruff\"\ntype = \"exec\"\nexecutable = \"%(here)s/.venv/bin/ruff\"\n"}}};
  Layout ini_layout(ini);
  auto hooks = ini_layout.Load()->PostWriteHooks();
  ASSERT_TRUE(hooks) << hooks.error().ToString();
  ASSERT_EQ(hooks->size(), 2u);
  EXPECT_EQ((*hooks)[0].name, "black");
  EXPECT_EQ((*hooks)[0].options, (std::map<std::string, std::string>{{"entrypoint", "black"},
                                                                     {"type", "console_scripts"}}));
  EXPECT_EQ((*hooks)[1].options.at("type"), "exec");
  Layout toml_layout(toml);
  hooks = toml_layout.Load()->PostWriteHooks();
  ASSERT_TRUE(hooks) << hooks.error().ToString();
  ASSERT_EQ(hooks->size(), 1u);
  EXPECT_EQ((*hooks)[0].name, "ruff");
  EXPECT_EQ((*hooks)[0].options.at("executable"), toml_layout.Root() + "/.venv/bin/ruff");
  EXPECT_FALSE((*hooks)[0].options.contains("name"));
}

TEST(AlembicConfigTest, XArgumentsAsListAndDictionary) {
  const std::pair<std::vector<std::string>, std::map<std::string, std::string>> cases[] = {
      {{}, {}},
      {{"db=dev"}, {{"db", "dev"}}},
      {{"a=1", "a=2"}, {{"a", "2"}}},
      {{"flag"}, {{"flag", ""}}},
      {{"url=sqlite:///x.db?a=b"}, {{"url", "sqlite:///x.db?a=b"}}},
      {{"=v"}, {{"", "v"}}},
  };
  for (const auto& [x_args, expected] : cases) {
    ConfigArgs args;
    args.x_args = x_args;
    testutil::TempDir dir;
    auto config = LoadConfig(args, Environment{dir.path(), std::nullopt, std::nullopt, std::nullopt});
    ASSERT_TRUE(config);
    EXPECT_EQ(config->GetXArgumentList(), x_args);
    EXPECT_EQ(config->GetXArgumentDictionary(), expected)
        << "first -x: " << (x_args.empty() ? "" : x_args[0]);
  }
}

TEST(AlembicConfigTest, EnvironmentFromProcessReadsAlembicConfig) {
  const char* saved = std::getenv("ALEMBIC_CONFIG");
  const std::string previous = saved ? saved : "";
  ::setenv("ALEMBIC_CONFIG", "deploy/prod.ini", 1);
  auto environment = Environment::FromProcess();
  ASSERT_TRUE(environment);
  EXPECT_EQ(environment->alembic_config, std::optional<std::string>("deploy/prod.ini"));
  EXPECT_EQ(environment->cwd, std::filesystem::current_path().string());
  ::unsetenv("ALEMBIC_CONFIG");
  EXPECT_FALSE(Environment::FromProcess()->alembic_config.has_value());
  if (saved) ::setenv("ALEMBIC_CONFIG", previous.c_str(), 1);
}

}  // namespace
}  // namespace sqlmend::config
