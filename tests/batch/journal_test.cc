// The resume journal: lines round-trip, a torn last line is ignored and does
// not swallow the next, and only the same command on an unchanged file
// counts as done.
#include "batch/journal.h"

#include <gtest/gtest.h>

#include "base/files.h"
#include "testutil/testutil.h"

namespace sqlmend::batch {
namespace {

JournalEntry Entry(std::string path, uint64_t ino, Outcome outcome, std::string signature = "fix-fk") {
  return {std::move(path), FileId{7, ino, 4096, 1700000000123456789}, outcome, std::move(signature)};
}

TEST(JournalTest, LinesRoundTrip) {
  const JournalEntry cases[] = {
      Entry("plain.db", 1, Outcome::kFixed),
      Entry("we\"ird\\name\n\ttab.db", 2, Outcome::kRefused, "fix-fk --stamp=a --map=x=y"),
      Entry("ünïcode/数据.db", 3, Outcome::kHealthy, "check-fk"),
  };
  for (const auto& entry : cases) {
    std::string line = JournalLine(entry);
    ASSERT_EQ(line.back(), '\n');
    auto parsed = ParseJournalLine(line.substr(0, line.size() - 1));
    ASSERT_TRUE(parsed.has_value()) << line;
    EXPECT_EQ(parsed->path, entry.path);
    EXPECT_EQ(parsed->id, entry.id);
    EXPECT_EQ(parsed->outcome, entry.outcome);
    EXPECT_EQ(parsed->signature, entry.signature);
  }
  for (const char* bad : {"", "{", "{\"path\":\"a\"}", "{\"path\":\"a\",\"dev\":1,\"ino\":2,\"size\":3,"
                                                       "\"mtime_ns\":4,\"outcome\":\"fix"}) {
    EXPECT_FALSE(ParseJournalLine(bad).has_value()) << bad;
  }
}

TEST(JournalTest, DoneNeedsTheSameCommandAndAnUnchangedFile) {
  testutil::TempDir dir;
  auto journal = Journal::Open(dir.File("j"));
  ASSERT_TRUE(journal.has_value());
  JournalEntry fixed = Entry("a.db", 1, Outcome::kFixed);
  ASSERT_OK((*journal)->Append(fixed));
  ASSERT_OK((*journal)->Append(Entry("b.db", 2, Outcome::kError)));
  EXPECT_EQ((*journal)->Done(fixed.id, "fix-fk"), Outcome::kFixed);
  EXPECT_FALSE((*journal)->Done(fixed.id, "fix-fk --stamp=x").has_value());
  FileId touched = fixed.id;
  touched.mtime_ns += 1;
  EXPECT_FALSE((*journal)->Done(touched, "fix-fk").has_value());
  EXPECT_FALSE((*journal)->Done(Entry("b.db", 2, Outcome::kError).id, "fix-fk").has_value());

  // Another process's journal object sees the lines after Refresh().
  auto other = Journal::Open(dir.File("j"));
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ((*other)->Done(fixed.id, "fix-fk"), Outcome::kFixed);
  JournalEntry later = Entry("c.db", 3, Outcome::kHealthy);
  ASSERT_OK((*other)->Append(later));
  EXPECT_FALSE((*journal)->Done(later.id, "fix-fk").has_value());
  (*journal)->Refresh();
  EXPECT_EQ((*journal)->Done(later.id, "fix-fk"), Outcome::kHealthy);
}

TEST(JournalTest, ATornLastLineIsIgnoredAndDoesNotSwallowTheNext) {
  testutil::TempDir dir;
  std::string whole = JournalLine(Entry("a.db", 1, Outcome::kFixed));
  testutil::WriteFile(dir.File("j"), whole + whole.substr(0, 30));  // power loss mid-append
  {
    auto journal = Journal::Open(dir.File("j"));
    ASSERT_TRUE(journal.has_value());
    EXPECT_TRUE((*journal)->Done(Entry("a.db", 1, Outcome::kFixed).id, "fix-fk").has_value());
    ASSERT_OK((*journal)->Append(Entry("b.db", 2, Outcome::kHealthy)));
  }
  auto reopened = Journal::Open(dir.File("j"));
  ASSERT_TRUE(reopened.has_value());
  EXPECT_EQ((*reopened)->Done(Entry("b.db", 2, Outcome::kHealthy).id, "fix-fk"), Outcome::kHealthy);
}

TEST(JournalTest, LivesInTheFirstFolderOrBesideTheFirstFile) {
  testutil::TempDir dir;
  testutil::WriteFile(dir.File("a.db"), "");
  std::string name(base::kJournalName);
  EXPECT_EQ(JournalPathFor({dir.path() + "/"}), dir.path() + "/" + name);
  EXPECT_EQ(JournalPathFor({dir.File("a.db"), "/elsewhere"}), dir.path() + "/" + name);
  EXPECT_EQ(JournalPathFor({dir.path() + "/*.db"}), dir.path() + "/" + name);
  EXPECT_EQ(JournalPathFor({"a.db"}), "./" + name);
  EXPECT_TRUE(base::IsSqlmendArtifact(dir.path() + "/" + name));
}

}  // namespace
}  // namespace sqlmend::batch
