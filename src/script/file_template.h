// The name and date of a new revision file, as Alembic 1.8.1's
// ScriptDirectory._generate_create_date and _rev_path make them.
//
//  - The date is datetime.now() (naive, local time) when no timezone is
//    configured; with `timezone = <name>` it is the current UTC time
//    converted to that zone (dateutil's tz.gettz(name), then
//    tz.gettz(name.upper())), an aware datetime whose str() ends in the UTC
//    offset ("+01:00"). An empty timezone is the local zone, aware.
//  - The slug is the message's \w+ runs joined by "_" and lower-cased; when
//    longer than truncate_slug_length code points it is cut there, back to
//    the last "_", and given a trailing "_".
//  - The name is file_template % {rev, slug, epoch, year, month, day, hour,
//    minute, second} with Python's %-formatting, plus the extension.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace sqlmend::script {

struct CreateDate {
  int64_t epoch = 0;  // int(create_date.timestamp())
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, microsecond = 0;
  // The UTC offset of an aware datetime (a timezone was configured).
  std::optional<int> utc_offset_seconds;

  // str(datetime): "2024-01-02 03:04:05.678901", microseconds left out when
  // zero, "+HH:MM" (or "+HH:MM:SS") appended when aware.
  std::string ToString() const;
};

// The create date for the instant `seconds`.`microseconds` (since the
// epoch) in `timezone` (see above), read from the system's tz database
// (/usr/share/zoneinfo). Fails with kUsage and Alembic's "Can't locate
// timezone: <name>" for an unknown zone.
// NOTE: the zone is applied by setting $TZ for the duration of one
// localtime_r() call, under a process-wide lock; other threads calling
// localtime() meanwhile could see the zone.
base::Result<CreateDate> MakeCreateDate(const std::optional<std::string>& timezone,
                                        std::time_t seconds, int microseconds);

// The slug of `message` for `truncate_slug_length` (Alembic's rule above;
// \w and lower() follow Unicode through the C.UTF-8 locale).
std::string RevisionSlug(std::string_view message, int truncate_slug_length);

// Python's `file_template % values` for the keys above. Fails with kUsage
// naming file_template for a key Alembic does not pass (Python's KeyError),
// a conversion it cannot apply, or a '%' that is not followed by "(key)".
base::Result<std::string> FormatFileTemplate(std::string_view file_template, const std::string& rev,
                                             const std::string& slug, const CreateDate& date);

}  // namespace sqlmend::script
