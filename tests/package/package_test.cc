// The Debian package, as an operator would install it: CPack builds
// sqlmend_<version>_amd64.deb from this build tree (the configuration
// tools/package.sh uses), `dpkg -x` unpacks it into a fresh root, and the
// installed binary runs --version, check-fk and current against fixtures.
#include <gtest/gtest.h>

#include <filesystem>

#include "testutil/testutil.h"

namespace sqlmend {
namespace {

namespace fs = std::filesystem;
using testutil::RunCommand;
using testutil::ShellQuote;

class PackageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testutil::TempDir();
    auto run = RunCommand("cpack -G DEB --config " +
                          ShellQuote(std::string(SQLMEND_BUILD_DIR) + "/CPackConfig.cmake") +
                          " -B " + ShellQuote(dir_->File("out")));
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    deb_ = dir_->File("out/sqlmend_" SQLMEND_VERSION "_amd64.deb");
    ASSERT_TRUE(fs::exists(deb_)) << run.out;
    root_ = dir_->File("root");
    auto unpack = RunCommand("dpkg -x " + ShellQuote(deb_) + " " + ShellQuote(root_));
    ASSERT_EQ(unpack.exit_code, 0) << unpack.err;
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string Field(const std::string& name) {
    auto run = RunCommand("dpkg-deb -f " + ShellQuote(deb_) + " " + name);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return run.out;
  }
  std::string Installed() const { return root_ + "/usr/bin/sqlmend"; }

  static testutil::TempDir* dir_;
  static std::string deb_;
  static std::string root_;
};
testutil::TempDir* PackageTest::dir_ = nullptr;
std::string PackageTest::deb_;
std::string PackageTest::root_;

TEST_F(PackageTest, ControlFieldsAndDependsFromTheLinkedLibraries) {
  EXPECT_EQ(Field("Package"), "sqlmend\n");
  EXPECT_EQ(Field("Version"), SQLMEND_VERSION "\n");
  EXPECT_EQ(Field("Architecture"), "amd64\n");
  // dpkg-shlibdeps found these from the binary's own NEEDED entries.
  std::string depends = Field("Depends");
  for (const char* library : {"libc6", "libsqlite3-0"}) {
    EXPECT_NE(depends.find(library), std::string::npos) << library << " in " << depends;
  }
  // libcrypto, which the binary loads when a script first hashes (not a
  // NEEDED entry), is declared by hand.
  EXPECT_NE(depends.find("libssl3"), std::string::npos) << depends;
  // The C++ libraries are in the binary when SQLMEND_STATIC_LIBS is on
  // (see CMakeLists.txt), and needed beside it otherwise.
#ifdef SQLMEND_STATIC_LIBS_LINKED
  const bool linked_in = true;
#else
  const bool linked_in = false;
#endif
  for (const char* library : {"libre2-", "libfmt", "libspdlog", "libtree-sitter0", "libstdc++6"}) {
    EXPECT_EQ(depends.find(library) == std::string::npos, linked_in)
        << library << " in " << depends;
  }
}

TEST_F(PackageTest, FilesInTheUsualPlaces) {
  for (const char* path : {"usr/bin/sqlmend", "usr/share/man/man1/sqlmend.1.gz",
                           "usr/share/bash-completion/completions/sqlmend",
                           "usr/share/zsh/vendor-completions/_sqlmend",
                           "usr/share/fish/vendor_completions.d/sqlmend.fish",
                           "usr/share/doc/sqlmend/README.md", "usr/share/doc/sqlmend/changelog.gz"}) {
    EXPECT_TRUE(fs::exists(root_ + "/" + path)) << path;
  }
  // The installed page is the one the build wrote, and man reads it.
  auto man = RunCommand("MANWIDTH=100 MANPAGER=cat man -l " +
                        ShellQuote(root_ + "/usr/share/man/man1/sqlmend.1.gz"));
  EXPECT_EQ(man.exit_code, 0) << man.err;
  EXPECT_NE(man.out.find("REPAIR COMMANDS"), std::string::npos);
  auto changelog = RunCommand("zcat " + ShellQuote(root_ + "/usr/share/doc/sqlmend/changelog.gz"));
  EXPECT_EQ(changelog.out, testutil::ReadFile(std::string(SQLMEND_SOURCE_DIR) + "/CHANGELOG.md"));
}

TEST_F(PackageTest, InstalledBinaryRunsVersionCheckFkAndCurrent) {
  auto version = RunCommand(ShellQuote(Installed()) + " --version");
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out, "sqlmend " SQLMEND_VERSION "\n");

  // check-fk on the demo's legacy database, built from fixtures/demo.
  testutil::TempDir work;
  std::string db = work.File("app.sqlite");
  testutil::ExecSql(db, testutil::ReadFixture("demo/schema.sql"));
  testutil::ExecSql(db, testutil::ReadFixture("demo/migration.sql"));
  auto check = RunCommand(ShellQuote(Installed()) + " check-fk --json " + ShellQuote(db));
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  EXPECT_NE(check.out.find("\"outcome\":\"damaged\""), std::string::npos) << check.out;

  // current on a copy of a fixture project: empty, then at its head after
  // an upgrade by the same installed binary.
  std::string project = work.File("project");
  fs::copy(std::string(SQLMEND_FIXTURES) + "/pyrev_corpus/inventory_naming", project,
           fs::copy_options::recursive);
  std::string cd = "cd " + ShellQuote(project) + " && " + ShellQuote(Installed());
  auto empty = RunCommand(cd + " current");
  EXPECT_EQ(empty.exit_code, 0) << empty.out << empty.err;
  EXPECT_EQ(empty.out, "");
  auto upgrade = RunCommand(cd + " upgrade heads");
  ASSERT_EQ(upgrade.exit_code, 0) << upgrade.out << upgrade.err;
  auto current = RunCommand(cd + " current");
  EXPECT_EQ(current.exit_code, 0) << current.err;
  EXPECT_EQ(current.out, "f9a1b3c5d7e2 (head)\n");  // the project's one head
  EXPECT_NE(current.err.find("Context impl SQLiteImpl."), std::string::npos);
}

}  // namespace
}  // namespace sqlmend
