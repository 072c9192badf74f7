// File names and dates of new revisions: slugs, file_template formatting
// and timezones, table-driven (the whole path is compared with alembic in
// revision_writer_test.cc).
#include "script/file_template.h"

#include <gtest/gtest.h>

namespace sqlmend::script {
namespace {

TEST(FileTemplateTest, Slug) {
  struct Case {
    const char* message;
    int length;
    const char* slug;
  } const cases[] = {
      {"Add users table", 40, "add_users_table"},
      {"  Second: add the users' table!  ", 40, "second_add_the_users_table"},
      {"", 40, ""},
      {"under_score and CAPS", 40, "under_score_and_caps"},
      {"first revision of many words", 12, "first_"},  // "first_revisi" cut back to "_"
      {"first revision", 5, "first_"},
      {"abcdefghijklmnop", 5, "abcde_"},
      {"Ünïcode — slug", 40, "ünïcode_slug"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(RevisionSlug(c.message, c.length), c.slug) << c.message << " / " << c.length;
  }
}

TEST(FileTemplateTest, Format) {
  CreateDate date;
  date.epoch = 1704164645;
  date.year = 2024;
  date.month = 1;
  date.day = 2;
  date.hour = 3;
  date.minute = 4;
  date.second = 5;
  struct Case {
    const char* file_template;
    const char* expected;
  } const cases[] = {
      {"%(rev)s_%(slug)s", "abc_add_users"},
      {"%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s",
       "2024_01_02_0304-abc_add_users"},
      {"%(epoch)s_%(second)02d_%(rev)5s|%(rev)-5s|%(rev).2s", "1704164645_05_  abc|abc  |ab"},
      {"%%(rev)s", "%(rev)s"},
      {"%(nope)s", "error: file_template: KeyError: 'nope'"},
      {"%(rev)d", "error: file_template: %d format: a real number is required, not str"},
      {"%s", "error: file_template: format requires a mapping"},
  };
  for (const auto& c : cases) {
    auto name = FormatFileTemplate(c.file_template, "abc", "add_users", date);
    EXPECT_EQ(name ? *name : "error: " + name.error().ToString(), c.expected) << c.file_template;
  }
}

TEST(FileTemplateTest, CreateDate) {
  // 2024-07-01 12:00:00 UTC.
  const std::time_t noon = 1719835200;
  auto paris = MakeCreateDate(std::string("Europe/Paris"), noon, 123456);
  ASSERT_TRUE(paris) << paris.error().ToString();
  EXPECT_EQ(paris->ToString(), "2024-07-01 14:00:00.123456+02:00");
  EXPECT_EQ(paris->hour, 14);
  auto utc = MakeCreateDate(std::string("utc"), noon, 0);  // found as "UTC"
  ASSERT_TRUE(utc) << utc.error().ToString();
  EXPECT_EQ(utc->ToString(), "2024-07-01 12:00:00+00:00");
  auto kolkata = MakeCreateDate(std::string("Asia/Kolkata"), noon, 5);
  ASSERT_TRUE(kolkata);
  EXPECT_EQ(kolkata->ToString(), "2024-07-01 17:30:00.000005+05:30");
  auto unknown = MakeCreateDate(std::string("europe/paris"), noon, 0);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message(), "Can't locate timezone: europe/paris");
  auto naive = MakeCreateDate(std::nullopt, noon, 1);
  ASSERT_TRUE(naive);
  EXPECT_FALSE(naive->utc_offset_seconds.has_value());
  EXPECT_EQ(naive->epoch, noon);
}

}  // namespace
}  // namespace sqlmend::script
