// ProjectPythonPath: the folders a project's imports are searched in, from
// prepend_sys_path, $PYTHONPATH, the virtualenv (site-packages, .pth files,
// editable installs) and the src layout each build tool declares.
#include "config/python_path.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "testutil/testutil.h"

namespace sqlmend::config {
namespace {

struct PathFile {
  const char* path;  // relative to the root; a path ending in "/" is a folder
  const char* text;
};

void WriteLayout(const testutil::TempDir& dir, const std::vector<PathFile>& files) {
  for (const PathFile& file : files) {
    const std::string path = dir.File(file.path);
    if (std::string(file.path).ends_with("/")) {
      std::filesystem::create_directories(path);
      continue;
    }
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::string text = file.text;
    for (size_t at = text.find("{root}"); at != std::string::npos; at = text.find("{root}")) {
      text.replace(at, 6, dir.path());
    }
    testutil::WriteFile(path, text);
  }
}

// The search path, with the root written as "{root}", joined by ";".
std::string PathOf(const testutil::TempDir& dir, std::optional<std::string> pythonpath = {},
                   std::optional<std::string> virtual_env = {}) {
  Environment environment;
  environment.cwd = dir.path();
  environment.pythonpath = std::move(pythonpath);
  environment.virtual_env = std::move(virtual_env);
  auto config = LoadConfig(ConfigArgs{}, environment);
  if (!config) return "load!" + config.error().ToString();
  auto path = ProjectPythonPath(*config);
  if (!path) return "!" + path.error().ToString();
  std::string out;
  for (std::string folder : *path) {
    if (folder.starts_with(dir.path())) folder = "{root}" + folder.substr(dir.path().size());
    out += (out.empty() ? "" : ";") + folder;
  }
  return out;
}

struct SourceLayoutCase {
  const char* name;
  std::vector<PathFile> files;
  const char* expected;
};

// Each build tool's way of declaring where the packages are.
const std::vector<SourceLayoutCase> kLayouts = {
    {"SetuptoolsPackagesFindWhere",
     {{"pyproject.toml", "[tool.setuptools.packages.find]\nwhere = [\"src\"]\n"},
      {"src/app/__init__.py", ""}},
     "{root}/src"},
    {"SetuptoolsPackageDir",
     {{"pyproject.toml", "[tool.setuptools]\npackage-dir = {\"\" = \"lib\"}\n"}},
     "{root}/lib"},
    {"SetupCfgPackageDirAndWhere",
     {{"setup.cfg",
       "[options]\npackage_dir =\n    =source\n[options.packages.find]\nwhere = source\n"}},
     "{root}/source"},
    {"SetupPyLiterals",
     {{"setup.py",
       "from setuptools import setup, find_packages\nsetup(name='x', "
       "package_dir={'': 'py'}, packages=find_packages(where='py'))\n"}},
     "{root}/py"},
    {"SetupPyPositionalFindPackages",
     {{"setup.py", "from setuptools import setup, find_packages\nsetup(packages=find_packages(\"code\"))\n"}},
     "{root}/code"},
    {"HatchWheelPackages",
     {{"pyproject.toml", "[tool.hatch.build.targets.wheel]\npackages = [\"src/app\"]\n"}},
     "{root}/src"},
    {"PoetryPackagesFrom",
     {{"pyproject.toml",
       "[tool.poetry]\nname = \"app\"\npackages = [{include = \"app\", from = \"src\"}]\n"}},
     "{root}/src"},
    {"PdmPackageDir", {{"pyproject.toml", "[tool.pdm.build]\npackage-dir = \"src\"\n"}}, "{root}/src"},
    {"FlitModuleUnderSrc",
     {{"pyproject.toml", "[tool.flit.module]\nname = \"app\"\n"}, {"src/app/__init__.py", ""}},
     "{root}/src"},
    {"UndeclaredSrcPackageIsDiscovered",
     {{"pyproject.toml", "[project]\nname = \"app\"\n"}, {"src/app/__init__.py", ""}},
     "{root}/src"},
    {"FlatLayoutAddsNothing",
     {{"pyproject.toml", "[project]\nname = \"app\"\n"}, {"app/__init__.py", ""}},
     ""},
    {"MalformedPyprojectIsSkipped",
     {{"pyproject.toml", "[tool.setuptools\n"}, {"alembic.ini", "[alembic]\n"}},
     "load!"},
};

class PythonPathLayoutTest : public ::testing::TestWithParam<SourceLayoutCase> {};

TEST_P(PythonPathLayoutTest, FindsTheDeclaredSourceFolders) {
  const SourceLayoutCase& c = GetParam();
  testutil::TempDir dir;
  WriteLayout(dir, c.files);
  const std::string path = PathOf(dir);
  if (std::string(c.expected) == "load!") {
    // A pyproject.toml Alembic cannot parse fails the load, before imports.
    EXPECT_TRUE(path.starts_with("load!")) << path;
  } else {
    EXPECT_EQ(path, c.expected);
  }
}

INSTANTIATE_TEST_SUITE_P(Layouts, PythonPathLayoutTest, ::testing::ValuesIn(kLayouts),
                         [](const ::testing::TestParamInfo<SourceLayoutCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(PythonPathTest, OrderIsPrependSysPathThenPythonpathThenVirtualenvThenLayout) {
  testutil::TempDir dir;
  WriteLayout(dir, {{"alembic.ini", "[alembic]\nprepend_sys_path = . tools\n"},
                    {"pyproject.toml", "[tool.setuptools.packages.find]\nwhere = [\"src\"]\n"},
                    {".venv/pyvenv.cfg", "home = /usr/bin\n"},
                    {".venv/lib/python3.11/site-packages/", ""},
                    {"lib/", ""}});
  EXPECT_EQ(PathOf(dir, std::string("lib::/nonexistent")),
            "{root};{root}/tools;{root}/lib;/nonexistent;"
            "{root}/.venv/lib/python3.11/site-packages;{root}/src");
}

TEST(PythonPathTest, PthFilesAndEditableInstallsAddTheirFolders) {
  testutil::TempDir dir;
  WriteLayout(
      dir,
      {{"env/lib/python3.12/site-packages/b_paths.pth",
        "# a comment\n\n{root}/extra\nrelative\n/does/not/exist\nimport sys; sys.x = 1\n"},
       {"env/lib/python3.12/site-packages/relative/", ""},
       {"env/lib/python3.12/site-packages/__editable__.app-1.0.pth",
        "import __editable___app_1_0_finder; __editable___app_1_0_finder.install()\n"},
       {"env/lib/python3.12/site-packages/__editable___app_1_0_finder.py",
        "import sys\nMAPPING: dict = {'app': '{root}/work/src/app', 'tool': "
        "'{root}/work/tools/tool'}\nNAMESPACES = {}\n"},
       {"env/lib/python3.12/site-packages/a_src.pth", "{root}/checkout/src\n"},
       {"extra/", ""},
       {"checkout/src/", ""}});
  // $VIRTUAL_ENV names the environment; .pth files are read in name order.
  EXPECT_EQ(PathOf(dir, std::nullopt, dir.File("env")),
            "{root}/env/lib/python3.12/site-packages;"
            "{root}/work/src;{root}/work/tools;"  // __editable__.app-1.0.pth
            "{root}/checkout/src;"                 // a_src.pth
            "{root}/extra;{root}/env/lib/python3.12/site-packages/relative");  // b_paths.pth
}

TEST(PythonPathTest, FindPackageFolderPrefersARegularPackageToNamespacePortions) {
  testutil::TempDir dir;
  WriteLayout(dir, {{"one/pkg/sub/__init__.py", ""},
                    {"two/pkg/__init__.py", ""},
                    {"two/pkg/sub/__init__.py", ""}});
  const std::vector<std::string> path = {dir.File("one"), dir.File("two")};
  EXPECT_EQ(FindPackageFolder("pkg", path), dir.File("two/pkg"));
  EXPECT_EQ(FindPackageFolder("pkg.sub", path), dir.File("two/pkg/sub"));
  EXPECT_EQ(FindPackageFolder("pkg.none", path), std::nullopt);
  EXPECT_EQ(FindPackageFolder("nothing", path), std::nullopt);
  // Namespace portions only: the first one.
  EXPECT_EQ(FindPackageFolder("pkg.sub", {dir.File("one")}), dir.File("one/pkg/sub"));
}

}  // namespace
}  // namespace sqlmend::config
