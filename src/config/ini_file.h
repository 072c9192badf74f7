// IniFile: an .ini file read exactly as Python's configparser.ConfigParser
// reads it with the settings Alembic uses (strict=True, BasicInterpolation,
// delimiters '=' and ':', full-line comments '#' and ';', no inline comments,
// no valueless options, empty lines kept inside values), so that
// `alembic.ini` means the same to sqlmend as it does to Alembic.
//
// The rules, in the order configparser (3.11, `RawConfigParser._read`)
// applies them to each physical line (lines end at \n, \r\n or \r):
//  1. A line whose stripped text starts with '#' or ';' is a comment and is
//     skipped, even when indented inside a multi-line value.
//  2. A blank line adds an empty line to the value being read, if any;
//     trailing empty lines are dropped when the value is finished.
//  3. A line indented deeper than the line that started the current option
//     continues that value; the stripped text is appended after a "\n".
//  4. Otherwise, "[name]..." (text up to the last ']', not stripped, at least
//     one character) opens a section; a repeated section is an error. The
//     name "DEFAULT" opens the defaults instead, which every section sees.
//  5. Otherwise, before any section, the line is an error ("no section
//     headers"). Otherwise it is "key = value" or "key: value", split at the
//     first '=' or ':'; the key is lower-cased (optionxform) and stripped, the
//     value stripped. A repeated key within one section is an error. A line
//     with neither, or with an empty key, is a parsing error reported once
//     the whole file is read (errors in rules 4 and 5 stop reading at once,
//     as configparser raises them immediately).
//
// Values are interpolated when they are read (Get, Items), never when
// parsed: "%(name)s" is replaced by the option `name` (lower-cased) of the
// same section or of the defaults, recursively; "%%" is a '%'; any other '%'
// is an error. A value needing more than 10 nested substitutions
// (configparser's MAX_INTERPOLATION_DEPTH) is an error. Errors use
// configparser's own sentences.
//
// Every failing function returns a Status whose object is "<source>:<line>"
// (the line of the offending text, or of the option whose value failed to
// interpolate; just "<source>" for a constructor default) and whose code is
// kUnusableInput. IniFile values are immutable once parsed.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace sqlmend::config {

// configparser's default_section: the name whose options every section sees.
inline constexpr std::string_view kDefaultSection = "DEFAULT";

// configparser's MAX_INTERPOLATION_DEPTH.
inline constexpr int kMaxInterpolationDepth = 10;

// One option as written in the file: the lower-cased name, the value before
// interpolation (continuation lines joined with "\n") and the line on which
// it starts (0 for a constructor default).
struct IniOption {
  std::string name;
  std::string raw_value;
  int line = 0;
};

// Ordered (name, value) pairs, in configparser's order: the defaults first,
// then the section's own options (an option that overrides a default keeps
// the default's position, as in a Python dict update).
using IniItems = std::vector<std::pair<std::string, std::string>>;

class IniFile {
 public:
  // An empty file: no sections, no defaults, named "" in messages.
  IniFile() = default;

  // Parses `text`. `source` names the file in error messages (the path as
  // the user gave it). `defaults` are the parser's constructor defaults
  // (Alembic passes {"here": <absolute folder of the file>}); their names are
  // lower-cased and a [DEFAULT] section in the file may override them.
  static base::Result<IniFile> Parse(
      std::string_view text, std::string source,
      const std::vector<std::pair<std::string, std::string>>& defaults = {});

  // Reads and parses the file at `path` (named `source` in messages, `path`
  // when empty). A file that cannot be opened fails with kEnvironment; note
  // that configparser's read() skips such files silently, which is the
  // caller's choice to make (AlembicConfig does).
  static base::Result<IniFile> Read(
      const std::string& path, std::string source = "",
      const std::vector<std::pair<std::string, std::string>>& defaults = {});

  // The name used in messages.
  const std::string& source() const { return source_; }

  // The sections in file order, without DEFAULT (configparser's sections()).
  std::vector<std::string> Sections() const;

  // configparser's has_section(): false for "DEFAULT" itself.
  bool HasSection(std::string_view section) const;

  // configparser's has_option(): for DEFAULT (or an empty section name),
  // whether the defaults hold `option`; for a missing section, false;
  // otherwise whether the section or the defaults hold it. `option` is
  // lower-cased first.
  bool HasOption(std::string_view section, std::string_view option) const;

  // configparser's options(section): the section's own option names in file
  // order, then the defaults it does not override; for DEFAULT, the
  // defaults. Empty for a missing section.
  std::vector<std::string> Options(std::string_view section) const;

  // The interpolated value of `option` in `section` (or in the defaults),
  // std::nullopt when the section (other than DEFAULT) or the option does
  // not exist; an error when interpolation fails.
  base::Result<std::optional<std::string>> Get(std::string_view section,
                                               std::string_view option) const;

  // The raw value and line of `option`, as Get() would find it; nullptr when
  // absent. The pointer lives as long as this IniFile.
  const IniOption* Find(std::string_view section, std::string_view option) const;

  // configparser's items(section): every option the section sees, the
  // defaults included, each interpolated. std::nullopt when the section
  // (other than DEFAULT) does not exist; an error when any value fails to
  // interpolate.
  base::Result<std::optional<IniItems>> Items(std::string_view section) const;

 private:
  struct Section {
    std::string name;
    std::vector<IniOption> options;
  };

  const Section* FindSection(std::string_view name) const;
  // The option map a lookup in `section` sees: defaults overlaid with the
  // section's own options.
  std::map<std::string, const IniOption*, std::less<>> UnifiedOptions(const Section* section) const;
  base::Result<std::string> Interpolate(
      std::string_view section, const IniOption& option,
      const std::map<std::string, const IniOption*, std::less<>>& map) const;

  std::string source_;
  Section defaults_;
  std::vector<Section> sections_;
};

}  // namespace sqlmend::config
