#include "script/file_template.h"

#include <locale.h>
#include <stdlib.h>
#include <time.h>
#include <wctype.h>

#include <climits>
#include <cwchar>

#include <map>
#include <mutex>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "base/files.h"
#include "script/text_file.h"

namespace sqlmend::script {

namespace {

// Where dateutil's gettz() looks for zone files (dateutil.tz.TZPATHS).
constexpr const char* kZonePaths[] = {"/usr/share/zoneinfo", "/usr/lib/zoneinfo",
                                      "/usr/share/lib/zoneinfo", "/etc/zoneinfo"};

// The $TZ value that selects zone `name` as gettz(name) finds it, or
// nullopt.
std::optional<std::string> FindZone(const std::string& name) {
  if (!name.empty() && name[0] == '/') {
    return base::Exists(name) ? std::optional<std::string>(":" + name) : std::nullopt;
  }
  std::string file = name;
  for (char& c : file) {
    if (c == ' ') c = '_';
  }
  for (const char* folder : kZonePaths) {
    std::string path = std::string(folder) + "/" + file;
    if (IsRegularFile(path)) return ":" + path;
  }
  if (name == "UTC" || name == "GMT") return std::string("UTC0");
  return std::nullopt;
}

std::mutex tz_mutex;

// localtime_r() of `seconds` with $TZ set to `tz` (nullopt: as it is).
std::tm LocalTime(std::time_t seconds, const std::optional<std::string>& tz) {
  std::tm tm{};
  if (!tz) {
    ::localtime_r(&seconds, &tm);
    return tm;
  }
  std::lock_guard<std::mutex> lock(tz_mutex);
  const char* old = ::getenv("TZ");
  std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
  ::setenv("TZ", tz->c_str(), 1);
  ::tzset();
  ::localtime_r(&seconds, &tm);
  if (saved) {
    ::setenv("TZ", saved->c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
  return tm;
}

locale_t Utf8Locale() {
  static locale_t locale = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", nullptr);
  return locale;
}

bool IsWordChar(char32_t cp) {
  if (cp < 0x80) return std::isalnum(static_cast<int>(cp)) || cp == '_';
  locale_t locale = Utf8Locale();
  return locale && ::iswalnum_l(static_cast<wint_t>(cp), locale);
}

// UTF-8 <-> code points, for the slug, through the C library in the
// C.UTF-8 locale (set for this thread only). A byte that is not valid UTF-8
// stands for itself.
std::u32string Decode(std::string_view s) {
  std::u32string out;
  locale_t previous = ::uselocale(Utf8Locale());
  std::mbstate_t state{};
  for (size_t i = 0; i < s.size();) {
    wchar_t wc = 0;
    size_t n = std::mbrtowc(&wc, s.data() + i, s.size() - i, &state);
    if (n == 0 || n > s.size() - i) {
      wc = static_cast<unsigned char>(s[i]);
      n = 1;
      state = {};
    }
    out.push_back(static_cast<char32_t>(wc));
    i += n;
  }
  ::uselocale(previous);
  return out;
}

std::string Encode(const std::u32string& s) {
  std::string out;
  locale_t previous = ::uselocale(Utf8Locale());
  std::mbstate_t state{};
  char buffer[MB_LEN_MAX];
  for (char32_t cp : s) {
    size_t n = std::wcrtomb(buffer, static_cast<wchar_t>(cp), &state);
    if (n == static_cast<size_t>(-1)) {
      out += '?';
      state = {};
    } else {
      out.append(buffer, n);
    }
  }
  ::uselocale(previous);
  return out;
}

char32_t Lower(char32_t cp) {
  if (cp < 0x80) return static_cast<char32_t>(std::tolower(static_cast<int>(cp)));
  locale_t locale = Utf8Locale();
  return locale ? static_cast<char32_t>(::towlower_l(static_cast<wint_t>(cp), locale)) : cp;
}

}  // namespace

std::string CreateDate::ToString() const {
  std::string out = fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}", year, month, day,
                                hour, minute, second);
  if (microsecond != 0) out += fmt::format(".{:06d}", microsecond);
  if (utc_offset_seconds) {
    int offset = *utc_offset_seconds;
    char sign = offset < 0 ? '-' : '+';
    if (offset < 0) offset = -offset;
    out += fmt::format("{}{:02d}:{:02d}", sign, offset / 3600, offset / 60 % 60);
    if (offset % 60 != 0) out += fmt::format(":{:02d}", offset % 60);
  }
  return out;
}

base::Result<CreateDate> MakeCreateDate(const std::optional<std::string>& timezone,
                                        std::time_t seconds, int microseconds) {
  std::optional<std::string> tz;
  if (timezone && !timezone->empty()) {
    tz = FindZone(*timezone);
    if (!tz) {
      std::string upper = *timezone;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      tz = FindZone(upper);
    }
    if (!tz) {
      return base::Fail(
          base::Status::Usage("timezone", fmt::format("Can't locate timezone: {}", *timezone)));
    }
  }
  std::tm tm = LocalTime(seconds, tz);
  CreateDate date;
  date.epoch = static_cast<int64_t>(seconds);
  date.year = tm.tm_year + 1900;
  date.month = tm.tm_mon + 1;
  date.day = tm.tm_mday;
  date.hour = tm.tm_hour;
  date.minute = tm.tm_min;
  date.second = tm.tm_sec;
  date.microsecond = microseconds;
  if (timezone) date.utc_offset_seconds = static_cast<int>(tm.tm_gmtoff);
  return date;
}

std::string RevisionSlug(std::string_view message, int truncate_slug_length) {
  // 1. "_".join(re.findall(r"\w+", message)).lower()
  std::u32string slug;
  bool in_word = false;
  for (char32_t cp : Decode(message)) {
    if (IsWordChar(cp)) {
      if (!in_word && !slug.empty()) slug += U'_';
      slug += Lower(cp);
      in_word = true;
    } else {
      in_word = false;
    }
  }
  // 2. Cut at the length, back to the last "_", and mark the cut.
  size_t limit = static_cast<size_t>(truncate_slug_length);
  if (slug.size() > limit) {
    slug.resize(limit);
    size_t underscore = slug.rfind(U'_');
    if (underscore != std::u32string::npos) slug.resize(underscore);
    slug += U'_';
  }
  return Encode(slug);
}

base::Result<std::string> FormatFileTemplate(std::string_view file_template,
                                             const std::string& rev, const std::string& slug,
                                             const CreateDate& date) {
  using Value = std::variant<std::string, int64_t>;
  const std::map<std::string, Value, std::less<>> values = {
      {"rev", rev},          {"slug", slug},         {"epoch", date.epoch},
      {"year", date.year},   {"month", date.month},  {"day", date.day},
      {"hour", date.hour},   {"minute", date.minute}, {"second", date.second}};
  auto fail = [](std::string problem) {
    return base::Fail(base::Status::Usage("file_template", std::move(problem)));
  };
  std::string out;
  for (size_t i = 0; i < file_template.size(); ++i) {
    char c = file_template[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 1 < file_template.size() && file_template[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    if (i + 1 >= file_template.size() || file_template[i + 1] != '(') {
      return fail("format requires a mapping");
    }
    size_t close = file_template.find(')', i + 2);
    if (close == std::string_view::npos) return fail("incomplete format key");
    std::string_view key = file_template.substr(i + 2, close - i - 2);
    size_t j = close + 1;
    // %[flags][width][.precision]conversion
    std::string flags;
    while (j < file_template.size() && std::string_view("-+ #0").find(file_template[j]) != std::string_view::npos) {
      flags += file_template[j++];
    }
    int width = 0;
    while (j < file_template.size() && std::isdigit(static_cast<unsigned char>(file_template[j]))) {
      width = width * 10 + (file_template[j++] - '0');
    }
    std::optional<int> precision;
    if (j < file_template.size() && file_template[j] == '.') {
      ++j;
      precision = 0;
      while (j < file_template.size() && std::isdigit(static_cast<unsigned char>(file_template[j]))) {
        *precision = *precision * 10 + (file_template[j++] - '0');
      }
    }
    if (j >= file_template.size()) return fail("incomplete format");
    char conversion = file_template[j];
    auto it = values.find(key);
    if (it == values.end()) return fail(fmt::format("KeyError: '{}'", key));
    bool left = flags.find('-') != std::string::npos;
    bool zero = flags.find('0') != std::string::npos && !left;
    std::string text;
    if (conversion == 's' || conversion == 'r') {
      if (const auto* s = std::get_if<std::string>(&it->second)) {
        text = conversion == 'r' ? "'" + *s + "'" : *s;
      } else {
        text = std::to_string(std::get<int64_t>(it->second));
      }
      if (precision && text.size() > static_cast<size_t>(*precision)) text.resize(*precision);
      zero = false;
    } else if (conversion == 'd' || conversion == 'i' || conversion == 'u') {
      const auto* n = std::get_if<int64_t>(&it->second);
      if (!n) return fail(fmt::format("%{} format: a real number is required, not str", conversion));
      int64_t v = *n;
      std::string digits = std::to_string(v < 0 ? -v : v);
      if (precision && digits.size() < static_cast<size_t>(*precision)) {
        digits.insert(0, *precision - digits.size(), '0');
      }
      std::string sign = v < 0 ? "-" : flags.find('+') != std::string::npos ? "+"
                                     : flags.find(' ') != std::string::npos ? " " : "";
      if (zero && sign.size() + digits.size() < static_cast<size_t>(width)) {
        digits.insert(0, width - sign.size() - digits.size(), '0');
      }
      text = sign + digits;
    } else {
      return fail(fmt::format("unsupported format character '{}'", conversion));
    }
    if (text.size() < static_cast<size_t>(width)) {
      text = left ? text + std::string(width - text.size(), ' ')
                  : std::string(width - text.size(), ' ') + text;
    }
    out += text;
    i = j;
  }
  return out;
}

}  // namespace sqlmend::script
