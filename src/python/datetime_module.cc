#include "python/datetime_module.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <utility>
#include <vector>

#include "base/gcc_workarounds.h"
#include "python/args.h"
#include "python/builtins.h"
#include "python/placeholder.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;
using DtKind = DateTimeValue::Kind;

constexpr int64_t kMicrosecondsPerDay = 86'400'000'000;
constexpr int64_t kMaxTimedeltaDays = 999'999'999;  // Python's timedelta.max.days

std::string Format(const char* format, auto... parts) {
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, format, parts...);
  return buffer;
}

bool IsLeapYear(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int year, int month, int day) {
  int64_t y = year - (month <= 2 ? 1 : 0);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t year_of_era = y - era * 400;
  int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// Monday is 0, as date.weekday(); 1970-01-01 was a Thursday.
int Weekday(const DateTimeValue::Parts& p) {
  int64_t days = DaysFromCivil(p.year, p.month, p.day);
  return static_cast<int>(((days + 3) % 7 + 7) % 7);
}

int DayOfYear(const DateTimeValue::Parts& p) {
  return static_cast<int>(DaysFromCivil(p.year, p.month, p.day) - DaysFromCivil(p.year, 1, 1)) + 1;
}

SQLMEND_GCC12_STRING_PLUS_BEGIN
// An int part of a constructor call, with Python's TypeError for others.
Result<int> IntPart(CallContext& context, const Value& value) {
  if (value.Is(Kind::kInt) || value.Is(Kind::kBool)) {
    int64_t v = value.AsInt();
    if (v < INT32_MIN || v > INT32_MAX) {
      return base::Fail(context.Throw("OverflowError", "signed integer is greater than maximum"));
    }
    return static_cast<int>(v);
  }
  return base::Fail(context.Throw(
      "TypeError", "'" + value.TypeName() + "' object cannot be interpreted as an integer"));
}
SQLMEND_GCC12_STRING_PLUS_END

// The checks and messages of CPython's check_date_args / check_time_args.
base::Status CheckParts(CallContext& context, DtKind kind, const DateTimeValue::Parts& p) {
  if (kind != DtKind::kTime) {
    if (p.year < 1 || p.year > 9999) {
      return context.Throw("ValueError", "year " + std::to_string(p.year) + " is out of range");
    }
    if (p.month < 1 || p.month > 12) return context.Throw("ValueError", "month must be in 1..12");
    if (p.day < 1 || p.day > DaysInMonth(p.year, p.month)) {
      return context.Throw("ValueError", "day is out of range for month");
    }
  }
  if (kind != DtKind::kDate) {
    if (p.hour < 0 || p.hour > 23) return context.Throw("ValueError", "hour must be in 0..23");
    if (p.minute < 0 || p.minute > 59)
      return context.Throw("ValueError", "minute must be in 0..59");
    if (p.second < 0 || p.second > 59)
      return context.Throw("ValueError", "second must be in 0..59");
    if (p.microsecond < 0 || p.microsecond > 999999) {
      return context.Throw("ValueError", "microsecond must be in 0..999999");
    }
  }
  return base::Status::Ok();
}

// The names of the parts each kind takes, in positional order.
std::vector<std::string> PartNames(DtKind kind) {
  switch (kind) {
    case DtKind::kDateTime:
      return {"year", "month", "day", "hour", "minute", "second", "microsecond"};
    case DtKind::kDate:
      return {"year", "month", "day"};
    case DtKind::kTime:
      return {"hour", "minute", "second", "microsecond"};
    case DtKind::kTimedelta:
      break;
  }
  return {};
}

int* PartField(DateTimeValue::Parts& p, std::string_view name) {
  if (name == "year") return &p.year;
  if (name == "month") return &p.month;
  if (name == "day") return &p.day;
  if (name == "hour") return &p.hour;
  if (name == "minute") return &p.minute;
  if (name == "second") return &p.second;
  if (name == "microsecond") return &p.microsecond;
  return nullptr;
}

const char* KindName(DtKind kind) {
  switch (kind) {
    case DtKind::kDateTime:
      return "datetime";
    case DtKind::kDate:
      return "date";
    case DtKind::kTime:
      return "time";
    case DtKind::kTimedelta:
      return "timedelta";
  }
  return "?";
}

using Zone = DateTimeValue::Zone;

// "+02:00", "-05:30", "+05:45:30" (seconds and microseconds only when not 0);
// `colon` false gives strftime's %z, "+0200".
std::string OffsetText(int64_t offset_micros, bool colon = true) {
  const char sign = offset_micros < 0 ? '-' : '+';
  int64_t rest = offset_micros < 0 ? -offset_micros : offset_micros;
  const int64_t micros = rest % 1000000;
  rest /= 1000000;
  const char* separator = colon ? ":" : "";
  std::string text = Format("%c%02lld%s%02lld", sign, static_cast<long long>(rest / 3600),
                            separator, static_cast<long long>(rest / 60 % 60));
  if (rest % 60 != 0 || micros != 0) {
    text += Format("%s%02lld", separator, static_cast<long long>(rest % 60));
  }
  if (micros != 0) text += Format(".%06lld", static_cast<long long>(micros));
  return text;
}

// tzname() of a timezone: its name, else "UTC" or "UTC+02:00".
std::string ZoneName(const Zone& zone) {
  if (!zone.name.empty()) return zone.name;
  return zone.offset_micros == 0 ? "UTC" : "UTC" + OffsetText(zone.offset_micros);
}

Value MakeTimedeltaValue(int64_t micros);

// datetime.timezone(offset, name=None): a fixed offset from UTC.
class TimezoneValue : public HostObject {
 public:
  explicit TimezoneValue(Zone zone) : zone_(std::move(zone)) {}
  const Zone& zone() const { return zone_; }
  std::string TypeName() const override { return "timezone"; }
  std::string Repr() const override {
    if (zone_.offset_micros == 0 && zone_.name.empty()) return "datetime.timezone.utc";
    std::string text =
        "datetime.timezone(" + MakeTimedeltaValue(zone_.offset_micros).AsHost().Repr();
    if (!zone_.name.empty()) text += ", " + python::Repr(Value::Str(zone_.name));
    return text + ")";
  }
  std::string Str() const override { return ZoneName(zone_); }
  // timezone equality is the offset's (CPython ignores the name).
  std::optional<std::string> ValueKey() const override {
    return Format("%020llu", static_cast<unsigned long long>(zone_.offset_micros) + (1ULL << 63));
  }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    const Zone zone = zone_;
    if (name == "utcoffset" || name == "tzname" || name == "dst") {
      return Value::Builtin(
          std::string(name),
          [zone, name = std::string(name)](CallContext& c, Args& a) -> Result<Value> {
            SQLMEND_RETURN_IF_ERROR(CheckArgs(c, name, a, 1, 1));
            if (name == "utcoffset") return MakeTimedeltaValue(zone.offset_micros);
            if (name == "tzname") return Value::Str(ZoneName(zone));
            return Value::None();
          });
    }
    return std::nullopt;
  }

 private:
  Zone zone_;
};

const TimezoneValue* AsTimezone(const Value& value) {
  if (!value.Is(Kind::kHost)) return nullptr;
  return dynamic_cast<const TimezoneValue*>(&value.AsHost());
}

Value MakeTimezone(const Zone& zone) { return Value::Host(std::make_shared<TimezoneValue>(zone)); }

// The zone a tzinfo argument names: None (naive) or a datetime.timezone;
// anything else (pytz, zoneinfo, a script's own tzinfo) is Unsupported.
Result<std::optional<Zone>> ZoneArgument(CallContext& context, const Value& given) {
  if (given.IsNone()) return std::optional<Zone>();
  if (const TimezoneValue* zone = AsTimezone(given)) return std::optional<Zone>(zone->zone());
  // pytz.UTC with pytz not installed: the located stop names the module.
  if (auto stop = PlaceholderStop(context, given, "the tzinfo of a datetime")) {
    return base::Fail(*stop);
  }
  return base::Fail(context.Unsupported(
      "unsupported: a tzinfo that is a " + given.TypeName() +
      " (sqlmend models datetime.timezone's fixed offsets, not pytz or zoneinfo)"));
}

// datetime.timezone: timezone(timedelta, name=None), timezone.utc.
class TimezoneClass : public HostObject {
 public:
  std::string TypeName() const override { return "type"; }
  std::string Repr() const override { return "<class 'datetime.timezone'>"; }
  bool IsInstance(const Value& value) const override { return AsTimezone(value) != nullptr; }
  Result<Value> Call(CallContext& context, Args& args) override {
    auto bound = BindArgs(
        context, Signature{"datetime.timezone", {"offset", "name"}, 1, false, {}, {}}, args);
    if (!bound) return base::Fail(bound.error());
    const DateTimeValue* offset = AsDateTime(*bound->Get("offset"));
    if (offset == nullptr || offset->kind() != DtKind::kTimedelta) {
      return base::Fail(context.Throw("TypeError",
                                      "timezone() argument 1 must be "
                                      "datetime.timedelta, not " +
                                          bound->Get("offset")->TypeName()));
    }
    const int64_t micros = offset->total_microseconds();
    if (micros <= -kMicrosecondsPerDay || micros >= kMicrosecondsPerDay) {
      return base::Fail(
          context.Throw("ValueError",
                        "offset must be a timedelta strictly between -timedelta(hours=24) and "
                        "timedelta(hours=24), not " +
                            offset->Repr() + "."));
    }
    Zone zone{micros, ""};
    if (const Value* name = bound->GetNotNone("name")) {
      if (!name->Is(Kind::kStr)) {
        return base::Fail(context.Throw(
            "TypeError", "timezone() argument 2 must be str, not " + name->TypeName()));
      }
      zone.name = name->AsStr();
    }
    return MakeTimezone(zone);
  }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (name == "utc") return MakeTimezone(Zone{});
    if (name == "__name__") return Value::Str("timezone");
    return std::nullopt;
  }
};

// Reads `parts` from bound arguments named as PartNames(kind); absent ones
// keep their value.
base::Status ReadParts(CallContext& context, const BoundArgs& bound, DtKind kind,
                       DateTimeValue::Parts& parts, std::optional<Zone>& zone) {
  for (const std::string& name : PartNames(kind)) {
    const Value* given = bound.Get(name);
    if (given == nullptr) continue;
    auto part = IntPart(context, *given);
    if (!part) return part.error();
    *PartField(parts, name) = *part;
  }
  if (const Value* given = bound.Get("tzinfo")) {
    if (kind == DtKind::kTime && !given->IsNone()) {
      return context.Unsupported(
          "unsupported: a time with a tzinfo (an aware datetime is modelled)");
    }
    auto read = ZoneArgument(context, *given);
    if (!read) return read.error();
    zone = *read;
  }
  return CheckParts(context, kind, parts);
}

// The date of a day number since 1970-01-01 (the inverse of DaysFromCivil,
// Howard Hinnant's civil_from_days).
void CivilFromDays(int64_t z, int& year, int& month, int& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

constexpr int64_t kMicrosPerDay = 86400LL * 1000000;

int64_t EpochMicros(const DateTimeValue::Parts& p) {
  return DaysFromCivil(p.year, p.month, p.day) * kMicrosPerDay +
         ((p.hour * 60LL + p.minute) * 60 + p.second) * 1000000 + p.microsecond;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The clock: microseconds since the epoch, UTC or local wall time.
int64_t LocalOffsetMicros(int64_t epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm local{};
  ::localtime_r(&t, &local);
  return static_cast<int64_t>(local.tm_gmtoff) * 1000000;
}

int64_t ClockMicros(bool utc) {
  const int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  return utc ? now : now + LocalOffsetMicros(now / 1000000);
}

Result<Value> FromEpochMicros(CallContext& context, DtKind kind, int64_t micros,
                              std::optional<Zone> zone = std::nullopt) {
  DateTimeValue::Parts parts;
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t rest = micros - days * kMicrosPerDay;
  CivilFromDays(days, parts.year, parts.month, parts.day);
  if (parts.year < 1 || parts.year > 9999) {
    return base::Fail(context.Throw("OverflowError", "date value out of range"));
  }
  if (kind == DtKind::kDateTime) {
    parts.microsecond = static_cast<int>(rest % 1000000);
    rest /= 1000000;
    parts.second = static_cast<int>(rest % 60);
    parts.minute = static_cast<int>(rest / 60 % 60);
    parts.hour = static_cast<int>(rest / 3600);
  }
  return Value::Host(std::make_shared<DateTimeValue>(kind, parts, std::move(zone)));
}

Value MakeValue(DtKind kind, DateTimeValue::Parts parts, std::optional<Zone> zone = std::nullopt) {
  return Value::Host(std::make_shared<DateTimeValue>(kind, parts, std::move(zone)));
}

// timedelta(days, seconds, microseconds, milliseconds, minutes, hours,
// weeks): each int or float, summed in microseconds and rounded half to
// even as CPython does.
Result<Value> MakeTimedelta(CallContext& context, const Args& args) {
  static const std::vector<std::pair<std::string, double>> kUnits = {
      {"days", 86400e6}, {"seconds", 1e6},  {"microseconds", 1},   {"milliseconds", 1e3},
      {"minutes", 60e6}, {"hours", 3600e6}, {"weeks", 7 * 86400e6}};
  std::vector<std::string> names;
  for (const auto& unit : kUnits) names.push_back(unit.first);
  auto bound = BindArgs(context, Signature{"datetime.timedelta", names, 0, false, {}, {}}, args);
  if (!bound) return base::Fail(bound.error());
  int64_t whole = 0;  // int arguments, exact
  double fraction = 0;
  for (const auto& [name, factor] : kUnits) {
    const Value* given = bound->Get(name);
    if (given == nullptr) continue;
    if (given->Is(Kind::kInt) || given->Is(Kind::kBool)) {
      int64_t product = 0;
      if (__builtin_mul_overflow(given->AsInt(), static_cast<int64_t>(factor), &product) ||
          __builtin_add_overflow(whole, product, &whole)) {
        return base::Fail(context.Throw("OverflowError", "timedelta is out of range"));
      }
    } else if (given->Is(Kind::kFloat)) {
      fraction += given->AsFloat() * factor;
    } else {
      return base::Fail(context.Throw("TypeError", "unsupported type for timedelta " + name +
                                                       " component: " + given->TypeName()));
    }
  }
  if (!std::isfinite(fraction) || std::fabs(fraction) > 9e18) {
    return base::Fail(context.Throw("OverflowError", "timedelta is out of range"));
  }
  int64_t total = whole + static_cast<int64_t>(std::nearbyint(fraction));
  int64_t days =
      total >= 0 ? total / kMicrosecondsPerDay : -((-total - 1) / kMicrosecondsPerDay) - 1;
  if (days > kMaxTimedeltaDays || days < -kMaxTimedeltaDays) {
    return base::Fail(context.Throw(
        "OverflowError", "days=" + std::to_string(days) + "; must have magnitude <= 999999999"));
  }
  return Value::Host(std::make_shared<DateTimeValue>(DateTimeValue::Timedelta(total)));
}

// strftime() for the fixed-width directives; others are Unsupported, since
// the locale-dependent ones (%a, %b, %c, %x) vary with the machine.
Result<std::string> Strftime(CallContext& context, const DateTimeValue& value,
                             const std::string& format) {
  const DateTimeValue::Parts& p = value.parts();
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      out += format[i];
      continue;
    }
    char directive = format[++i];
    switch (directive) {
      case 'Y':
        out += Format("%04d", p.year);
        break;
      case 'y':
        out += Format("%02d", p.year % 100);
        break;
      case 'm':
        out += Format("%02d", p.month);
        break;
      case 'd':
        out += Format("%02d", p.day);
        break;
      case 'H':
        out += Format("%02d", p.hour);
        break;
      case 'M':
        out += Format("%02d", p.minute);
        break;
      case 'S':
        out += Format("%02d", p.second);
        break;
      case 'f':
        out += Format("%06d", p.microsecond);
        break;
      case 'j':
        out += Format("%03d", DayOfYear(p));
        break;
      case 'z':
        if (value.zone()) out += OffsetText(value.zone()->offset_micros, false);
        break;
      case 'Z':
        if (value.zone()) out += ZoneName(*value.zone());
        break;
      case '%':
        out += '%';
        break;
      default:
        return base::Fail(
            context.Unsupported(std::string("unsupported: strftime directive %") + directive +
                                " (sqlmend writes %Y %y %m %d %H %M %S %f %j %z %Z %%)"));
    }
  }
  return out;
}

Value Method(std::string name, NativeFunction function) {
  return Value::Builtin(std::move(name), std::move(function));
}

// datetime.datetime, .date, .time and .timedelta: callable classes.
class DateTimeClass : public HostObject {
 public:
  explicit DateTimeClass(DtKind kind) : kind_(kind) {}
  std::string TypeName() const override { return "type"; }
  std::string Repr() const override {
    return std::string("<class 'datetime.") + KindName(kind_) + "'>";
  }
  bool IsInstance(const Value& value) const override {
    const DateTimeValue* held = AsDateTime(value);
    if (held == nullptr) return false;
    return held->kind() == kind_ || (kind_ == DtKind::kDate && held->kind() == DtKind::kDateTime);
  }
  Result<Value> Call(CallContext& context, Args& args) override {
    if (kind_ == DtKind::kTimedelta) return MakeTimedelta(context, args);
    std::vector<std::string> names = PartNames(kind_);
    size_t required = kind_ == DtKind::kTime ? 0 : 3;
    if (kind_ != DtKind::kDate) names.push_back("tzinfo");
    auto bound = BindArgs(context,
                          Signature{std::string("datetime.") + KindName(kind_),
                                    names,
                                    required,
                                    false,
                                    kind_ == DtKind::kDate ? std::vector<std::string>{}
                                                           : std::vector<std::string>{"fold"},
                                    {}},
                          args);
    if (!bound) return base::Fail(bound.error());
    DateTimeValue::Parts parts;
    std::optional<Zone> zone;
    SQLMEND_RETURN_IF_ERROR(ReadParts(context, *bound, kind_, parts, zone));
    return MakeValue(kind_, parts, zone);
  }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    if (kind_ == DtKind::kDateTime || kind_ == DtKind::kDate) {
      const DtKind kind = kind_;
      const bool date = kind_ == DtKind::kDate;
      if (name == "now" || name == "today" || (name == "utcnow" && !date)) {
        const bool utc = name == "utcnow";
        std::string qualified = std::string("datetime.") + KindName(kind_) + "." +
                                std::string(name);
        const bool takes_zone = name == "now";
        return Method(std::string(name),
                      [kind, utc, qualified, takes_zone](CallContext& c, Args& a) -> Result<Value> {
                        auto bound = BindArgs(c,
                                              Signature{qualified,
                                                        takes_zone ? std::vector<std::string>{"tz"}
                                                                   : std::vector<std::string>{},
                                                        0,
                                                        false,
                                                        {},
                                                        {}},
                                              a);
                        if (!bound) return base::Fail(bound.error());
                        if (const Value* tz = bound->GetNotNone("tz")) {
                          // now(tz): the instant in that zone.
                          auto zone = ZoneArgument(c, *tz);
                          if (!zone) return base::Fail(zone.error());
                          return FromEpochMicros(c, kind,
                                                 ClockMicros(true) + (*zone)->offset_micros, *zone);
                        }
                        return FromEpochMicros(c, kind, ClockMicros(utc));
                      });
      }
      if (name == "fromtimestamp" || (name == "utcfromtimestamp" && !date)) {
        const bool utc = name == "utcfromtimestamp";
        std::string qualified = std::string("datetime.") + KindName(kind_) + "." +
                                std::string(name);
        return Method(
            std::string(name), [kind, utc, qualified](CallContext& c, Args& a) -> Result<Value> {
              auto bound =
                  BindArgs(c, Signature{qualified, {"timestamp", "tz"}, 1, false, {}, {}}, a);
              if (!bound) return base::Fail(bound.error());
              const Value& timestamp = *bound->Get("timestamp");
              if (!timestamp.IsNumber()) {
                return base::Fail(c.Throw("TypeError", "'" + timestamp.TypeName() +
                                                           "' object cannot be interpreted as a "
                                                           "timestamp"));
              }
              const double seconds = timestamp.AsFloat();
              auto micros = static_cast<int64_t>(std::llround(seconds * 1e6));
              if (const Value* tz = bound->GetNotNone("tz"); tz != nullptr && !utc) {
                auto zone = ZoneArgument(c, *tz);
                if (!zone) return base::Fail(zone.error());
                return FromEpochMicros(c, kind, micros + (*zone)->offset_micros, *zone);
              }
              if (!utc) micros += LocalOffsetMicros(static_cast<int64_t>(std::floor(seconds)));
              return FromEpochMicros(c, kind, micros);
            });
      }
    }
    if ((kind_ == DtKind::kDate || kind_ == DtKind::kDateTime) && name == "fromordinal") {
      const DtKind kind = kind_;
      return Method("fromordinal", [kind](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "fromordinal", a, 1, 1));
        if (!a.positional[0].Is(Kind::kInt)) {
          return base::Fail(c.Throw(
              "TypeError",
              "'" + a.positional[0].TypeName() + "' object cannot be interpreted as an integer"));
        }
        const int64_t ordinal = a.positional[0].AsInt();
        if (ordinal < 1 || ordinal > 3652059) {
          return base::Fail(c.Throw("ValueError", "ordinal must be >= 1"));
        }
        return FromEpochMicros(c, kind, (ordinal - 719163) * kMicrosPerDay);
      });
    }
    if (name == "__name__") return Value::Str(KindName(kind_));
    // datetime.ctime(value), datetime.isoformat(value): a method read
    // through the class takes the value first.
    static const char* const kMethods[] = {"isoformat",     "strftime",   "ctime",     "replace",
                                           "date",          "time",       "weekday",   "isoweekday",
                                           "timestamp",     "astimezone", "utcoffset", "tzname",
                                           "total_seconds", "toordinal"};
    for (const char* method : kMethods) {
      if (name != method) continue;
      const std::string qualified = std::string(KindName(kind_)) + "." + method;
      const DtKind kind = kind_;
      return Method(qualified, [qualified, kind, method](CallContext& c, Args& a) -> Result<Value> {
        const DateTimeValue* self = a.positional.empty() ? nullptr : AsDateTime(a.positional[0]);
        if (self == nullptr || (self->kind() != kind &&
                                !(kind == DtKind::kDate && self->kind() == DtKind::kDateTime))) {
          return base::Fail(c.Throw("TypeError", "descriptor '" + std::string(method) +
                                                     "' requires a '" + KindName(kind) +
                                                     "' object"));
        }
        auto bound = c.GetAttr(a.positional[0], method);
        if (!bound) return bound;
        Args rest;
        rest.positional.assign(a.positional.begin() + 1, a.positional.end());
        rest.keywords = a.keywords;
        return c.Call(*bound, std::move(rest));
      });
    }
    return std::nullopt;
  }

 private:
  DtKind kind_;
};

}  // namespace

DateTimeValue DateTimeValue::Timedelta(int64_t total_microseconds) {
  DateTimeValue value(Kind::kTimedelta, Parts{});
  value.total_microseconds_ = total_microseconds;
  return value;
}

std::string DateTimeValue::DateText() const {
  return Format("%04d-%02d-%02d", parts_.year, parts_.month, parts_.day);
}

std::string DateTimeValue::TimeText() const {
  return Format("%02d:%02d:%02d.%06d", parts_.hour, parts_.minute, parts_.second,
                parts_.microsecond);
}

std::string DateTimeValue::IsoFormat(char separator) const {
  std::string time = Format("%02d:%02d:%02d", parts_.hour, parts_.minute, parts_.second);
  if (parts_.microsecond != 0) time += Format(".%06d", parts_.microsecond);
  switch (kind_) {
    case Kind::kDate:
      return DateText();
    case Kind::kTime:
      return time;
    case Kind::kDateTime:
      return DateText() + separator + time + (zone_ ? OffsetText(zone_->offset_micros) : "");
    case Kind::kTimedelta:
      break;
  }
  return Str();
}

std::string DateTimeValue::TypeName() const { return KindName(kind_); }

std::string DateTimeValue::Str() const {
  if (kind_ != Kind::kTimedelta) return IsoFormat(' ');
  // CPython: "[-]D day[s], H:MM:SS[.ffffff]" with days floored.
  int64_t days = total_microseconds_ >= 0 ? total_microseconds_ / kMicrosecondsPerDay
                                          : -((-total_microseconds_ - 1) / kMicrosecondsPerDay) - 1;
  int64_t rest = total_microseconds_ - days * kMicrosecondsPerDay;
  int64_t seconds = rest / 1'000'000;
  int64_t microseconds = rest % 1'000'000;
  std::string text =
      Format("%lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
             static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  if (days != 0) {
    text =
        Format("%lld day%s, ", static_cast<long long>(days), days == 1 || days == -1 ? "" : "s") +
        text;
  }
  if (microseconds != 0) text += Format(".%06lld", static_cast<long long>(microseconds));
  return text;
}

std::string DateTimeValue::Repr() const {
  const Parts& p = parts_;
  std::vector<int> shown;
  switch (kind_) {
    case Kind::kDate:
      shown = {p.year, p.month, p.day};
      break;
    case Kind::kDateTime:
      shown = {p.year, p.month, p.day, p.hour, p.minute, p.second, p.microsecond};
      break;
    case Kind::kTime:
      shown = {p.hour, p.minute, p.second, p.microsecond};
      break;
    case Kind::kTimedelta: {
      int64_t days = total_microseconds_ >= 0
                         ? total_microseconds_ / kMicrosecondsPerDay
                         : -((-total_microseconds_ - 1) / kMicrosecondsPerDay) - 1;
      int64_t rest = total_microseconds_ - days * kMicrosecondsPerDay;
      std::vector<std::string> fields;
      if (days != 0) fields.push_back("days=" + std::to_string(days));
      if (rest / 1'000'000 != 0) fields.push_back("seconds=" + std::to_string(rest / 1'000'000));
      if (rest % 1'000'000 != 0)
        fields.push_back("microseconds=" + std::to_string(rest % 1'000'000));
      if (fields.empty()) fields.push_back("0");
      std::string text = "datetime.timedelta(";
      for (size_t i = 0; i < fields.size(); ++i) text += (i ? ", " : "") + fields[i];
      return text + ")";
    }
  }
  // CPython drops a zero microsecond, then a zero second (time and datetime).
  if (kind_ != Kind::kDate) {
    if (shown.back() == 0) shown.pop_back();
    if (shown.back() == 0 && shown.size() == PartNames(kind_).size() - 1) shown.pop_back();
  }
  std::string text = std::string("datetime.") + KindName(kind_) + "(";
  for (size_t i = 0; i < shown.size(); ++i) text += (i ? ", " : "") + std::to_string(shown[i]);
  if (zone_) text += ", tzinfo=" + MakeTimezone(*zone_).AsHost().Repr();
  return text + ")";
}

std::optional<std::string> DateTimeValue::ValueKey() const {
  if (kind_ == Kind::kTimedelta) {
    // Offset into the unsigned range so that text order is numeric order.
    return Format("%020llu", static_cast<unsigned long long>(total_microseconds_) + (1ULL << 63));
  }
  const Parts& p = parts_;
  if (zone_) {
    // An aware datetime is its instant; never equal to a naive one.
    return "Z" + Format("%020llu",
                        static_cast<unsigned long long>(EpochMicros(p) - zone_->offset_micros) +
                            (1ULL << 63));
  }
  return Format("%04d%02d%02d%02d%02d%02d%06d", p.year, p.month, p.day, p.hour, p.minute, p.second,
                p.microsecond);
}

std::optional<Result<Value>> DateTimeValue::GetAttribute(CallContext& context,
                                                         std::string_view name) {
  (void)context;
  auto self = std::make_shared<DateTimeValue>(*this);
  if (kind_ == Kind::kTimedelta) {
    int64_t days = total_microseconds_ >= 0
                       ? total_microseconds_ / kMicrosecondsPerDay
                       : -((-total_microseconds_ - 1) / kMicrosecondsPerDay) - 1;
    int64_t rest = total_microseconds_ - days * kMicrosecondsPerDay;
    if (name == "days") return Value::Int(days);
    if (name == "seconds") return Value::Int(rest / 1'000'000);
    if (name == "microseconds") return Value::Int(rest % 1'000'000);
    if (name == "total_seconds") {
      return Method("total_seconds", [self](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "total_seconds", a, 0, 0));
        return Value::Float(static_cast<double>(self->total_microseconds()) / 1e6);
      });
    }
    return std::nullopt;
  }
  std::vector<std::string> names = PartNames(kind_);
  for (const std::string& part : names) {
    if (name == part) return Value::Int(*PartField(parts_, part));
  }
  if (name == "tzinfo" && kind_ != Kind::kDate) return zone_ ? MakeTimezone(*zone_) : Value::None();
  if (kind_ == Kind::kDateTime && (name == "utcoffset" || name == "tzname" || name == "dst")) {
    const std::optional<Zone> zone = zone_;
    return Method(std::string(name),
                  [zone, name = std::string(name)](CallContext& c, Args& a) -> Result<Value> {
                    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, name, a, 0, 0));
                    if (!zone || name == "dst") return Value::None();
                    if (name == "utcoffset") return MakeTimedeltaValue(zone->offset_micros);
                    return Value::Str(ZoneName(*zone));
                  });
  }
  if (kind_ == Kind::kDateTime && name == "timestamp") {
    return Method("timestamp", [self](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "timestamp", a, 0, 0));
      int64_t micros = EpochMicros(self->parts());
      // A naive datetime is local time.
      micros -= self->zone() ? self->zone()->offset_micros : LocalOffsetMicros(micros / 1000000);
      return Value::Float(static_cast<double>(micros) / 1e6);
    });
  }
  if (kind_ == Kind::kDateTime && name == "astimezone") {
    return Method("astimezone", [self](CallContext& c, Args& a) -> Result<Value> {
      auto bound = BindArgs(c, Signature{"astimezone", {"tz"}, 0, false, {}, {}}, a);
      if (!bound) return base::Fail(bound.error());
      int64_t instant = EpochMicros(self->parts());
      instant -= self->zone() ? self->zone()->offset_micros : LocalOffsetMicros(instant / 1000000);
      std::optional<Zone> zone;
      if (const Value* tz = bound->GetNotNone("tz")) {
        auto read = ZoneArgument(c, *tz);
        if (!read) return base::Fail(read.error());
        zone = *read;
      } else {
        // astimezone(): the machine's local zone at that instant, as a fixed offset.
        std::time_t t = static_cast<std::time_t>(FloorDiv(instant, 1000000));
        std::tm local{};
        ::localtime_r(&t, &local);
        zone = Zone{static_cast<int64_t>(local.tm_gmtoff) * 1000000,
                    local.tm_zone ? local.tm_zone : ""};
      }
      return FromEpochMicros(c, Kind::kDateTime, instant + zone->offset_micros, zone);
    });
  }
  if (name == "isoformat") {
    return Method("isoformat", [self](CallContext& c, Args& a) -> Result<Value> {
      auto bound = BindArgs(c, Signature{"isoformat", {"sep"}, 0, false, {}, {}}, a);
      if (!bound) return base::Fail(bound.error());
      char separator = 'T';
      if (const Value* sep = bound->Get("sep")) {
        if (!sep->Is(Value::Kind::kStr) || sep->AsStr().size() != 1) {
          return base::Fail(
              c.Throw("TypeError", "isoformat() argument 1 must be a unicode character"));
        }
        separator = sep->AsStr()[0];
      }
      return Value::Str(self->IsoFormat(separator));
    });
  }
  if (kind_ != Kind::kTime && name == "toordinal") {
    // Day 1 is 0001-01-01; 1970-01-01 is day 719163.
    const int64_t ordinal = DaysFromCivil(parts_.year, parts_.month, parts_.day) + 719163;
    return Method("toordinal", [ordinal](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "toordinal", a, 0, 0));
      return Value::Int(ordinal);
    });
  }
  if (kind_ != Kind::kTime && name == "ctime") {
    // "Sun Mar 31 00:30:00 2024", in English whatever the locale.
    static const char* const kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::string text =
        Format("%s %s %2d %02d:%02d:%02d %04d", kDays[Weekday(parts_)], kMonths[parts_.month - 1],
               parts_.day, parts_.hour, parts_.minute, parts_.second, parts_.year);
    return Method("ctime", [text](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "ctime", a, 0, 0));
      return Value::Str(text);
    });
  }
  if (name == "strftime") {
    return Method("strftime", [self](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "strftime", a, 1, 1));
      if (!a.positional[0].Is(Value::Kind::kStr)) {
        return base::Fail(c.Throw("TypeError", "strftime() argument 1 must be str"));
      }
      auto text = Strftime(c, *self, a.positional[0].AsStr());
      if (!text) return base::Fail(text.error());
      return Value::Str(std::move(*text));
    });
  }
  if (name == "replace") {
    return Method("replace", [self](CallContext& c, Args& a) -> Result<Value> {
      std::vector<std::string> part_names = PartNames(self->kind());
      if (self->kind() != Kind::kDate) part_names.push_back("tzinfo");
      auto bound = BindArgs(c, Signature{"replace", part_names, 0, false, {}, {}}, a);
      if (!bound) return base::Fail(bound.error());
      Parts parts = self->parts();
      std::optional<Zone> zone = self->zone();
      SQLMEND_RETURN_IF_ERROR(ReadParts(c, *bound, self->kind(), parts, zone));
      return MakeValue(self->kind(), parts, zone);
    });
  }
  if (kind_ != Kind::kTime && (name == "weekday" || name == "isoweekday")) {
    int weekday = Weekday(parts_) + (name == "isoweekday" ? 1 : 0);
    return Method(std::string(name),
                  [weekday, name = std::string(name)](CallContext& c, Args& a) -> Result<Value> {
                    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, name, a, 0, 0));
                    return Value::Int(weekday);
                  });
  }
  if (kind_ == Kind::kDateTime && (name == "date" || name == "time")) {
    Kind part_kind = name == "date" ? Kind::kDate : Kind::kTime;
    Parts parts = parts_;
    return Method(
        std::string(name),
        [part_kind, parts, name = std::string(name)](CallContext& c, Args& a) -> Result<Value> {
          SQLMEND_RETURN_IF_ERROR(CheckArgs(c, name, a, 0, 0));
          Parts kept = parts;
          if (part_kind == Kind::kDate)
            kept.hour = kept.minute = kept.second = kept.microsecond = 0;
          if (part_kind == Kind::kTime) kept.year = kept.month = kept.day = 1;
          return MakeValue(part_kind, kept);
        });
  }
  return std::nullopt;
}

const DateTimeValue* AsDateTime(const Value& value) {
  if (!value.Is(Kind::kHost)) return nullptr;
  return dynamic_cast<const DateTimeValue*>(&value.AsHost());
}

Value MakeDatetimeModule() {
  auto module = std::make_shared<ModuleObject>();
  module->name = "datetime";
  for (DtKind kind : {DtKind::kDateTime, DtKind::kDate, DtKind::kTime, DtKind::kTimedelta}) {
    module->attributes[KindName(kind)] = Value::Host(std::make_shared<DateTimeClass>(kind));
  }
  module->attributes["timezone"] = Value::Host(std::make_shared<TimezoneClass>());
  // The base of a script's own zones, which ZoneArgument() refuses.
  auto tzinfo = std::make_shared<ClassObject>();
  tzinfo->name = "tzinfo";
  tzinfo->attributes["__name__"] = Value::Str("tzinfo");
  tzinfo->attributes["__module__"] = Value::Str("datetime");
  module->attributes["tzinfo"] = Value::Class(tzinfo);
  module->attributes["UTC"] = MakeTimezone(Zone{});
  module->attributes["MINYEAR"] = Value::Int(1);
  module->attributes["MAXYEAR"] = Value::Int(9999);
  return Value::Module(module);
}

namespace {

const DateTimeValue* AsDateTimeOfKind(const Value& value, DtKind kind) {
  const DateTimeValue* moment = AsDateTime(value);
  return moment != nullptr && moment->kind() == kind ? moment : nullptr;
}

Value MakeTimedeltaValue(int64_t micros) {
  return Value::Host(std::make_shared<DateTimeValue>(DateTimeValue::Timedelta(micros)));
}

}  // namespace

std::optional<Result<Value>> DateTimeValue::Operator(CallContext& context, std::string_view op,
                                                     const Value& other, bool reflected) {
  const DateTimeValue* delta = AsDateTimeOfKind(other, DtKind::kTimedelta);
  if (kind_ == DtKind::kDateTime || kind_ == DtKind::kDate) {
    const int64_t mine = EpochMicros(parts_);
    if (delta != nullptr && (op == "+" || (op == "-" && !reflected))) {
      int64_t change = delta->total_microseconds();
      // A date moves by the timedelta's whole days.
      if (kind_ == DtKind::kDate) change = FloorDiv(change, kMicrosPerDay) * kMicrosPerDay;
      return FromEpochMicros(context, kind_, op == "+" ? mine + change : mine - change, zone_);
    }
    if (op == "-" && !reflected) {
      if (const DateTimeValue* same = AsDateTimeOfKind(other, kind_)) {
        if (zone_.has_value() != same->zone_.has_value()) {
          return Result<Value>(base::Fail(context.Throw(
              "TypeError", "can't subtract offset-naive and offset-aware datetimes")));
        }
        // Aware values subtract as instants.
        const int64_t shift = zone_ ? same->zone_->offset_micros - zone_->offset_micros : 0;
        return Result<Value>(MakeTimedeltaValue(mine - EpochMicros(same->parts_) + shift));
      }
    }
    return std::nullopt;
  }
  if (kind_ != DtKind::kTimedelta) return std::nullopt;
  const int64_t mine = total_microseconds_;
  if (delta != nullptr) {
    const int64_t theirs = delta->total_microseconds();
    const int64_t left = reflected ? theirs : mine, right = reflected ? mine : theirs;
    if (op == "+") return Result<Value>(MakeTimedeltaValue(left + right));
    if (op == "-") return Result<Value>(MakeTimedeltaValue(left - right));
    if (op == "/") {
      if (right == 0) return Result<Value>(base::Fail(context.Throw("ZeroDivisionError", "division by zero")));
      return Result<Value>(Value::Float(static_cast<double>(left) / static_cast<double>(right)));
    }
    if (op == "//") {
      if (right == 0) return Result<Value>(base::Fail(context.Throw("ZeroDivisionError", "integer division or modulo by zero")));
      return Result<Value>(Value::Int(FloorDiv(left, right)));
    }
    return std::nullopt;
  }
  if (other.IsNumber() && (op == "*" || (!reflected && (op == "/" || op == "//")))) {
    if (op == "*" && !other.Is(Value::Kind::kFloat)) {
      return Result<Value>(MakeTimedeltaValue(mine * other.AsInt()));
    }
    const double factor = other.AsFloat();
    if (op != "*" && factor == 0) {
      return Result<Value>(base::Fail(context.Throw("ZeroDivisionError", "division by zero")));
    }
    if (op == "//" && !other.Is(Value::Kind::kFloat)) {
      return Result<Value>(MakeTimedeltaValue(FloorDiv(mine, other.AsInt())));
    }
    const double exact = op == "*" ? static_cast<double>(mine) * factor
                                   : static_cast<double>(mine) / factor;
    return Result<Value>(MakeTimedeltaValue(static_cast<int64_t>(std::nearbyint(exact))));
  }
  return std::nullopt;
}

std::optional<Result<Value>> DateTimeValue::UnaryOperator(CallContext&, std::string_view op) {
  if (kind_ != DtKind::kTimedelta) return std::nullopt;
  if (op == "-") return Result<Value>(MakeTimedeltaValue(-total_microseconds_));
  if (op == "+") return Result<Value>(MakeTimedeltaValue(total_microseconds_));
  return std::nullopt;
}

}  // namespace sqlmend::python
