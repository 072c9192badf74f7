// ParseAhead: which files a module's imports name, found as Python's
// path-based search finds them, and the modules parsed ahead handed over
// once, under the caller's spelling of the path.
#include "python/parse_ahead.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/thread.h"
#include "testutil/testutil.h"

namespace sqlmend::python {
namespace {

class ParseAheadTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& relative, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(dir_.File(relative)).parent_path());
    testutil::WriteFile(dir_.File(relative), text);
    return dir_.File(relative);
  }
  PythonModule Parse(const std::string& relative) {
    auto module = PythonModule::Parse(testutil::ReadFile(dir_.File(relative)), dir_.File(relative));
    EXPECT_TRUE(module.has_value()) << module.error().ToString();
    return std::move(*module);
  }
  // `files` relative to the folder.
  std::vector<std::string> Relative(std::vector<std::string> files) {
    for (auto& file : files) {
      if (file.rfind(dir_.path() + "/", 0) == 0) file = file.substr(dir_.path().size() + 1);
    }
    return files;
  }
  testutil::TempDir dir_;
};

TEST_F(ParseAheadTest, ImportedFilesAreThoseModuleLevelImportsLoad) {
  Write("pkg/__init__.py", "");
  Write("pkg/a.py", "");
  Write("pkg/sub/__init__.py", "");
  Write("pkg/sub/b.py", "");
  Write("pkg/sub/c.py", "");
  Write("top.py", "");
  Write("second.py", "");
  Write("hidden.py", "");
  Write("typed.py", "");
  Write("inclass.py", "");
  Write("native.so", "");
  Write("pkg/sub/main.py",
        "import pkg.sub.b\n"
        "from pkg import a, missing\n"
        "from . import c\n"
        "from .. import a as again\n"
        "from ..sub.b import thing\n"
        "try:\n    import top\nexcept ImportError:\n    import second\n"
        "if TYPE_CHECKING:\n    import typed\n"
        "def f():\n    import hidden\n"
        "@decorator\nclass C:\n    import inclass\n"
        "import native, nowhere\n");
  PythonModule main = Parse("pkg/sub/main.py");
  EXPECT_EQ(Relative(ImportedFiles(main, {dir_.path()})),
            (std::vector<std::string>{"pkg/__init__.py", "pkg/sub/__init__.py",
                                      "pkg/sub/b.py",                         // import pkg.sub.b
                                      "pkg/__init__.py", "pkg/a.py",          // from pkg import a
                                      "pkg/sub/c.py",                         // from . import c
                                      "pkg/a.py",                             // from .. import a
                                      "pkg/sub/__init__.py", "pkg/sub/b.py",  // from ..sub.b import
                                      "top.py", "second.py",                  // both branches
                                      "inclass.py"}));
  // The search path decides where a top-level name is found.
  EXPECT_EQ(Relative(ImportedFiles(main, {dir_.File("nothing")})),
            (std::vector<std::string>{"pkg/sub/c.py", "pkg/a.py", "pkg/sub/__init__.py",
                                      "pkg/sub/b.py"}));
}

TEST_F(ParseAheadTest, AModuleParsedAheadIsTakenOnceUnderTheCallersPath) {
  if (!base::SecondCpuAvailable()) GTEST_SKIP() << "one CPU: nothing is parsed ahead";
  Write("main.py", "import good\nimport broken\n");
  Write("good.py", "import deeper\nVALUE = 1\n");
  Write("deeper.py", "DEEP = 2\n");
  Write("broken.py", "def (:\n");
  PythonModule main = Parse("main.py");
  ParseAhead ahead(true);
  ahead.QueueImportsOf(&main, {dir_.path()});
  ahead.WaitUntilIdle();
  // The same file through another spelling of its path.
  const std::string spelled = dir_.path() + "/./good.py";
  std::optional<PythonModule> good = ahead.Take(spelled);
  ASSERT_TRUE(good.has_value());
  EXPECT_EQ(good->path(), spelled);
  EXPECT_EQ(good->source(), "import deeper\nVALUE = 1\n");
  EXPECT_EQ(good->Root().NamedChildCount(), 2u);
  EXPECT_FALSE(ahead.Take(spelled).has_value());  // handed over once
  // Followed down the import graph.
  EXPECT_TRUE(ahead.Take(dir_.File("deeper.py")).has_value());
  // A file that does not parse is left to the caller, who reports it.
  EXPECT_FALSE(ahead.Take(dir_.File("broken.py")).has_value());
  // Never imported, never parsed.
  EXPECT_FALSE(ahead.Take(dir_.File("main.py")).has_value());
}

TEST_F(ParseAheadTest, DisabledItParsesNothing) {
  Write("main.py", "import good\n");
  Write("good.py", "VALUE = 1\n");
  PythonModule main = Parse("main.py");
  ParseAhead ahead(false);
  ahead.QueueImportsOf(&main, {dir_.path()});
  ahead.WaitUntilIdle();
  EXPECT_FALSE(ahead.Take(dir_.File("good.py")).has_value());
}

}  // namespace
}  // namespace sqlmend::python
