// The `datetime` module, as data migrations use it: fixed dates and times
// written into op.bulk_insert() rows and bind parameters.
//
//   datetime.datetime(2024, 1, 8, 9, 45)       # hour..microsecond default 0
//   datetime.date(2024, 2, 1)
//   datetime.time(9, 1, 30)                    # all parts default 0
//   datetime.timedelta(days=1, hours=2)        # weeks..microseconds, int or float
//
// Each is an immutable value (a DateTimeValue) with Python's attributes
// (.year .. .microsecond, .tzinfo None; a timedelta's .days .seconds
// .microseconds), isoformat(sep="T"), strftime() for %Y %m %d %H %M %S %f %j
// %y %%, date(), time(), replace(...), weekday(), isoweekday(), a
// timedelta's total_seconds(); str() and repr() as CPython prints them; ==,
// hashing and < .. >= between values of the same type. Out-of-range parts
// raise ValueError with Python's message. isinstance() follows Python's
// classes: a datetime is also a date.
//
// The clock reads as Python's does, when the revision is evaluated:
// now(), today(), utcnow() (naive: local time, local date, UTC),
// fromtimestamp(ts) and utcfromtimestamp(ts); a run's --sql shows that run's
// values, as Alembic's does. Arithmetic is Python's: datetime/date +-
// timedelta, datetime - datetime and date - date (a timedelta), timedelta
// + - * / // with timedeltas and numbers, -timedelta; a result
// outside years 1..9999 raises OverflowError.
//
// Time zones are datetime.timezone's fixed offsets: timezone.utc (also
// datetime.UTC), timezone(timedelta(hours=2), "CEST"); a datetime made with
// tzinfo=, now(tz), fromtimestamp(ts, tz), replace(tzinfo=) or astimezone()
// is aware: isoformat(), str() and repr() show the offset, utcoffset(),
// tzname() and timestamp() answer, aware values compare and subtract as
// instants, and an aware minus a naive one raises TypeError. A datetime
// bound to a SQLite DATETIME column is written as its wall time, without
// the offset, as SQLAlchemy's SQLite dialect writes it.
// NOTE: a tzinfo other than datetime.timezone (pytz, zoneinfo, a class of
// the script's own) and a time with a tzinfo are Unsupported; < between an
// aware and a naive datetime orders them instead of raising TypeError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "python/value.h"

namespace sqlmend::python {

// A datetime, date, time or timedelta value.
class DateTimeValue : public HostObject {
 public:
  enum class Kind { kDateTime, kDate, kTime, kTimedelta };

  // The parts of a date/time; a timedelta keeps only `total_microseconds`.
  // Callers construct through the module's classes, which validate the
  // parts; the constructor trusts them.
  struct Parts {
    int year = 1, month = 1, day = 1;
    int hour = 0, minute = 0, second = 0, microsecond = 0;
  };
  // A datetime's fixed UTC offset (a datetime.timezone); a naive value has
  // none.
  struct Zone {
    int64_t offset_micros = 0;
    std::string name;  // timezone(offset, name)'s name; "" for the default
  };
  DateTimeValue(Kind kind, Parts parts, std::optional<Zone> zone = std::nullopt)
      : kind_(kind), parts_(parts), zone_(std::move(zone)) {}
  static DateTimeValue Timedelta(int64_t total_microseconds);

  Kind kind() const { return kind_; }
  const Parts& parts() const { return parts_; }
  int64_t total_microseconds() const { return total_microseconds_; }
  const std::optional<Zone>& zone() const { return zone_; }

  // Python's isoformat(): "2024-01-08T09:45:00" (".ffffff" only when the
  // microsecond is not 0); a date "2024-01-08"; a time "09:45:00".
  // `separator` goes between a datetime's date and time.
  std::string IsoFormat(char separator = 'T') const;
  // The parts in fixed layouts, microseconds always written:
  // "YYYY-MM-DD", "HH:MM:SS.ffffff".
  std::string DateText() const;
  std::string TimeText() const;

  std::string TypeName() const override;
  std::string Repr() const override;
  std::string Str() const override;
  std::optional<std::string> ValueKey() const override;
  std::optional<base::Result<Value>> GetAttribute(CallContext& context,
                                                  std::string_view name) override;
  std::optional<base::Result<Value>> Operator(CallContext& context, std::string_view op,
                                              const Value& other, bool reflected) override;
  std::optional<base::Result<Value>> UnaryOperator(CallContext& context,
                                                   std::string_view op) override;

 private:
  Kind kind_;
  Parts parts_;
  std::optional<Zone> zone_;        // kDateTime only
  int64_t total_microseconds_ = 0;  // kTimedelta
};

// The DateTimeValue `value` holds, or nullptr.
const DateTimeValue* AsDateTime(const Value& value);

// The `datetime` module: the classes datetime, date, time and timedelta,
// MINYEAR and MAXYEAR.
Value MakeDatetimeModule();

}  // namespace sqlmend::python
