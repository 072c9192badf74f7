#include "config/ini_file.h"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <set>
#include <sstream>

#include "base/files.h"
#include "config/python_text.h"

namespace sqlmend::config {
namespace {

using base::Result;
using base::Status;
using OptionMap = std::map<std::string, const IniOption*, std::less<>>;

std::string Located(const std::string& source, int line) {
  return line > 0 ? source + ":" + std::to_string(line) : source;
}

Status IniError(const std::string& source, int line, std::string message) {
  return Status::Unusable(Located(source, line), std::move(message));
}

// Splits `text` into physical lines the way Python's text-mode file
// iteration does (universal newlines: \n, \r\n and \r all end a line). The
// terminators are dropped: every rule below strips them anyway.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + ((text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') ? 2 : 1);
  }
  return lines;
}

size_t IndentOf(std::string_view line) {
  size_t indent = 0;
  while (indent < line.size() && IsPythonSpace(line[indent])) ++indent;
  return indent;
}

// The parse of one file: the state configparser's _read keeps between lines.
class IniParser {
 public:
  IniParser(std::string source, std::vector<IniOption>& defaults)
      : source_(std::move(source)), defaults_(defaults) {}

  // Section storage is owned by the caller; the parser appends to it.
  Status Run(std::string_view text,
             std::vector<std::pair<std::string, std::vector<IniOption>>>& sections);

 private:
  std::vector<IniOption>& Current(
      std::vector<std::pair<std::string, std::vector<IniOption>>>& sections) {
    return current_ < 0 ? defaults_ : sections[current_].second;
  }

  std::string source_;
  std::vector<IniOption>& defaults_;
  // -2: no section yet; -1: DEFAULT; otherwise an index into the sections.
  int current_ = -2;
  std::string section_name_;
  // The option that continuation and blank lines extend; empty for none
  // (configparser's falsy optname: None, or the "" of a bad line).
  std::string option_name_;
  size_t indent_level_ = 0;
};

IniOption* FindOption(std::vector<IniOption>& options, std::string_view name) {
  for (IniOption& option : options) {
    if (option.name == name) return &option;
  }
  return nullptr;
}

Status IniParser::Run(std::string_view text,
                      std::vector<std::pair<std::string, std::vector<IniOption>>>& sections) {
  std::set<std::string, std::less<>> sections_added;
  std::set<std::pair<std::string, std::string>> options_added;
  std::optional<Status> first_parsing_error;
  const std::vector<std::string_view> lines = SplitLines(text);
  for (size_t index = 0; index < lines.size(); ++index) {
    const int line_number = static_cast<int>(index) + 1;
    const std::string_view line = lines[index];
    const std::string_view value = PythonStrip(line);
    // Rules 1 and 2: comments are dropped; blank lines extend the value.
    if (value.empty() || value.front() == '#' || value.front() == ';') {
      if (value.empty() && current_ != -2 && !option_name_.empty()) {
        if (IniOption* option = FindOption(Current(sections), option_name_))
          option->raw_value += '\n';
      }
      continue;
    }
    // Rule 3: a continuation line.
    const size_t indent = IndentOf(line);
    if (current_ != -2 && !option_name_.empty() && indent > indent_level_) {
      if (IniOption* option = FindOption(Current(sections), option_name_)) {
        option->raw_value += '\n';
        option->raw_value += value;
      }
      continue;
    }
    indent_level_ = indent;
    // Rule 4: a section header, "[" then at least one character up to the
    // last "]"; whatever follows that "]" is ignored, as SECTCRE.match does.
    const size_t close = value.rfind(']');
    if (value.front() == '[' && close != std::string_view::npos && close >= 2) {
      std::string name(value.substr(1, close - 1));
      if (sections_added.contains(name)) {
        return IniError(source_, line_number, "section " + PythonRepr(name) + " already exists");
      }
      if (name == kDefaultSection) {
        current_ = -1;
      } else {
        sections.emplace_back(name, std::vector<IniOption>{});
        current_ = static_cast<int>(sections.size()) - 1;
        sections_added.insert(name);
      }
      section_name_ = std::move(name);
      option_name_.clear();
      continue;
    }
    // Rule 5: an option line.
    if (current_ == -2) {
      return IniError(source_, line_number,
                      "File contains no section headers: " + PythonRepr(line));
    }
    const size_t delimiter = value.find_first_of("=:");
    if (delimiter == std::string_view::npos) {
      if (!first_parsing_error) {
        first_parsing_error = IniError(source_, line_number,
                                       "Source contains parsing errors: " + PythonRepr(line) +
                                           " is not '[section]', 'key = value' or a comment");
      }
      continue;
    }
    std::string name = AsciiLower(PythonRightStrip(value.substr(0, delimiter)));
    if (name.empty() && !first_parsing_error) {
      first_parsing_error =
          IniError(source_, line_number,
                   "Source contains parsing errors: " + PythonRepr(line) + " has no key");
    }
    if (!options_added.emplace(section_name_, name).second) {
      return IniError(source_, line_number,
                      "option " + PythonRepr(name) + " in section " + PythonRepr(section_name_) +
                          " already exists");
    }
    std::string option_value(PythonStrip(value.substr(delimiter + 1)));
    std::vector<IniOption>& options = Current(sections);
    if (IniOption* existing = FindOption(options, name)) {
      // Only a constructor default can be met again here (strict mode
      // refuses the rest); a dict assignment keeps its position.
      existing->raw_value = std::move(option_value);
      existing->line = line_number;
    } else {
      options.push_back(IniOption{name, std::move(option_value), line_number});
    }
    option_name_ = std::move(name);
  }
  if (first_parsing_error) return *first_parsing_error;
  // configparser joins the lines of each value and drops trailing blank
  // lines and spaces ('\n'.join(lines).rstrip()).
  for (IniOption& option : defaults_)
    option.raw_value = std::string(PythonRightStrip(option.raw_value));
  for (auto& [name, options] : sections) {
    for (IniOption& option : options)
      option.raw_value = std::string(PythonRightStrip(option.raw_value));
  }
  return Status::Ok();
}

// The parentheses of "%(name)s", configparser's _KEYCRE: at least one
// character other than ')' between them, then ")s". Returns the length of the
// whole reference at the start of `text`, or 0 when it does not match.
size_t MatchReference(std::string_view text, std::string_view* name) {
  if (text.size() < 4 || text[0] != '%' || text[1] != '(') return 0;
  const size_t close = text.find(')', 2);
  if (close == std::string_view::npos || close == 2 || close + 1 >= text.size() ||
      text[close + 1] != 's') {
    return 0;
  }
  *name = text.substr(2, close - 2);
  return close + 2;
}

// BasicInterpolation._interpolate_some: appends the expansion of `rest` to
// `out`. Every error names `option` of `section` and its raw value, as
// configparser's do, even when the failing text came from a referenced
// option. Recursion is bounded: depth kMaxInterpolationDepth + 1 fails.
Status InterpolateSome(const std::string& source, std::string_view section, const IniOption& option,
                       std::string_view rest, const OptionMap& map, int depth, std::string& out) {
  const auto fail = [&](std::string message) {
    return IniError(source, option.line, std::move(message));
  };
  if (depth > kMaxInterpolationDepth) {
    return fail("Recursion limit exceeded in value substitution: option " +
                PythonRepr(option.name) + " in section " + PythonRepr(section) +
                " contains an interpolation key which cannot be substituted in " +
                std::to_string(kMaxInterpolationDepth) +
                " steps. Raw value: " + PythonRepr(option.raw_value));
  }
  while (!rest.empty()) {
    const size_t percent = rest.find('%');
    if (percent == std::string_view::npos) {
      out += rest;
      return Status::Ok();
    }
    out += rest.substr(0, percent);
    rest.remove_prefix(percent);
    const char next = rest.size() > 1 ? rest[1] : '\0';
    if (next == '%') {
      out += '%';
      rest.remove_prefix(2);
    } else if (next == '(') {
      std::string_view reference;
      const size_t length = MatchReference(rest, &reference);
      if (length == 0) return fail("bad interpolation variable reference " + PythonRepr(rest));
      const std::string key = AsciiLower(reference);
      rest.remove_prefix(length);
      const auto found = map.find(key);
      if (found == map.end()) {
        return fail(
            "Bad value substitution: option " + PythonRepr(option.name) + " in section " +
            PythonRepr(section) + " contains an interpolation key " + PythonRepr(key) +
            " which is not a valid option name. Raw value: " + PythonRepr(option.raw_value));
      }
      const std::string& substituted = found->second->raw_value;
      if (substituted.find('%') != std::string::npos) {
        SQLMEND_RETURN_IF_ERROR(
            InterpolateSome(source, section, option, substituted, map, depth + 1, out));
      } else {
        out += substituted;
      }
    } else {
      return fail("'%' must be followed by '%' or '(', found: " + PythonRepr(rest));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<IniFile> IniFile::Parse(std::string_view text, std::string source,
                               const std::vector<std::pair<std::string, std::string>>& defaults) {
  IniFile file;
  file.source_ = std::move(source);
  file.defaults_.name = std::string(kDefaultSection);
  for (const auto& [name, value] : defaults) {
    const std::string key = AsciiLower(name);
    if (IniOption* existing = FindOption(file.defaults_.options, key)) {
      existing->raw_value = value;
    } else {
      file.defaults_.options.push_back(IniOption{key, value, 0});
    }
  }
  std::vector<std::pair<std::string, std::vector<IniOption>>> sections;
  IniParser parser(file.source_, file.defaults_.options);
  SQLMEND_RETURN_IF_ERROR(parser.Run(text, sections));
  for (auto& [name, options] : sections)
    file.sections_.push_back(Section{name, std::move(options)});
  return file;
}

Result<IniFile> IniFile::Read(const std::string& path, std::string source,
                              const std::vector<std::pair<std::string, std::string>>& defaults) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return base::Fail(base::ErrnoStatus(path, "cannot read", errno));
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), source.empty() ? path : std::move(source), defaults);
}

std::vector<std::string> IniFile::Sections() const {
  std::vector<std::string> names;
  for (const Section& section : sections_) names.push_back(section.name);
  return names;
}

const IniFile::Section* IniFile::FindSection(std::string_view name) const {
  for (const Section& section : sections_) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

bool IniFile::HasSection(std::string_view section) const { return FindSection(section) != nullptr; }

bool IniFile::HasOption(std::string_view section, std::string_view option) const {
  if (section.empty() || section == kDefaultSection) {
    const std::string key = AsciiLower(option);
    for (const IniOption& candidate : defaults_.options) {
      if (candidate.name == key) return true;
    }
    return false;
  }
  if (!HasSection(section)) return false;
  return Find(section, option) != nullptr;
}

std::vector<std::string> IniFile::Options(std::string_view section) const {
  std::vector<std::string> names;
  const Section* found = FindSection(section);
  if (found == nullptr && section != kDefaultSection) return names;
  if (found != nullptr) {
    for (const IniOption& option : found->options) names.push_back(option.name);
  }
  for (const IniOption& option : defaults_.options) {
    if (std::find(names.begin(), names.end(), option.name) == names.end())
      names.push_back(option.name);
  }
  return names;
}

const IniOption* IniFile::Find(std::string_view section, std::string_view option) const {
  const Section* found = FindSection(section);
  if (found == nullptr && section != kDefaultSection) return nullptr;
  const std::string key = AsciiLower(option);
  if (found != nullptr) {
    for (const IniOption& candidate : found->options) {
      if (candidate.name == key) return &candidate;
    }
  }
  for (const IniOption& candidate : defaults_.options) {
    if (candidate.name == key) return &candidate;
  }
  return nullptr;
}

OptionMap IniFile::UnifiedOptions(const Section* section) const {
  OptionMap map;
  for (const IniOption& option : defaults_.options) map[option.name] = &option;
  if (section != nullptr) {
    for (const IniOption& option : section->options) map[option.name] = &option;
  }
  return map;
}

Result<std::string> IniFile::Interpolate(std::string_view section, const IniOption& option,
                                         const OptionMap& map) const {
  std::string out;
  SQLMEND_RETURN_IF_ERROR(InterpolateSome(source_, section, option, option.raw_value, map, 1, out));
  return out;
}

Result<std::optional<std::string>> IniFile::Get(std::string_view section,
                                                std::string_view option) const {
  const IniOption* found = Find(section, option);
  if (found == nullptr) return std::optional<std::string>();
  auto value = Interpolate(section, *found, UnifiedOptions(FindSection(section)));
  if (!value) return base::Fail(value.error());
  return std::optional<std::string>(std::move(*value));
}

Result<std::optional<IniItems>> IniFile::Items(std::string_view section) const {
  const Section* found = FindSection(section);
  if (found == nullptr && section != kDefaultSection) return std::optional<IniItems>();
  const OptionMap map = UnifiedOptions(found);
  // Python dict order: defaults first, then the section's own new names.
  std::vector<const IniOption*> ordered;
  for (const IniOption& option : defaults_.options) ordered.push_back(map.at(option.name));
  if (found != nullptr) {
    for (const IniOption& option : found->options) {
      bool is_default = false;
      for (const IniOption& default_option : defaults_.options)
        is_default |= default_option.name == option.name;
      if (!is_default) ordered.push_back(&option);
    }
  }
  IniItems items;
  for (const IniOption* option : ordered) {
    auto value = Interpolate(section, *option, map);
    if (!value) return base::Fail(value.error());
    items.emplace_back(option->name, std::move(*value));
  }
  return std::optional<IniItems>(std::move(items));
}

}  // namespace sqlmend::config
