#include "migrate/text_clause.h"

#include <set>

namespace sqlmend::migrate {

namespace {

bool IsWord(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}
bool IsWordOrDollar(char c) { return IsWord(c) || c == '$'; }

// The length of the run of characters satisfying `pred` starting at `at`.
template <typename Pred>
size_t RunLength(std::string_view text, size_t at, Pred pred) {
  size_t end = at;
  while (end < text.size() && pred(text[end])) ++end;
  return end - at;
}

// elements.py TextClause: (?<![:\w\\]):(\w+)(?!:). The regex backtracks, so
// a name followed by ':' still matches without its last character.
std::set<std::string> DeclaredBindNames(std::string_view text) {
  std::set<std::string> names;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != ':') continue;
    if (i > 0 && (text[i - 1] == ':' || text[i - 1] == '\\' || IsWord(text[i - 1]))) continue;
    size_t n = RunLength(text, i + 1, IsWord);
    if (n == 0) continue;
    if (i + 1 + n < text.size() && text[i + 1 + n] == ':') {
      if (n < 2) continue;
      --n;
    }
    names.insert(std::string(text.substr(i + 1, n)));
    i += n;
  }
  return names;
}

}  // namespace

CompiledText CompileTextClause(std::string_view text, std::string_view placeholder) {
  const std::set<std::string> declared = DeclaredBindNames(text);
  CompiledText out;
  // compiler.py BIND_PARAMS: (?<![:\w\$\\]):([\w\$]+)(?![:\w\$]); a shorter
  // name would be followed by a name character, so only the full run counts.
  std::string bound;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ':' &&
        !(i > 0 && (text[i - 1] == ':' || text[i - 1] == '\\' || IsWordOrDollar(text[i - 1])))) {
      size_t n = RunLength(text, i + 1, IsWordOrDollar);
      if (n > 0 && !(i + 1 + n < text.size() && text[i + 1 + n] == ':')) {
        std::string name(text.substr(i + 1, n));
        // A name the first regex did not declare is rendered as a plain
        // positional parameter (bindparam_string), "?" for SQLite.
        bound += declared.count(name) ? std::string(placeholder) : std::string("?");
        out.bind_names.push_back(std::move(name));
        i += n;
        continue;
      }
    }
    bound += text[i];
  }
  // BIND_PARAMS_ESC: \\(:[\w\$]*)(?![:\w\$]) -> the part after the backslash.
  for (size_t i = 0; i < bound.size(); ++i) {
    if (bound[i] == '\\' && i + 1 < bound.size() && bound[i + 1] == ':') {
      size_t n = RunLength(bound, i + 2, IsWordOrDollar);
      size_t after = i + 2 + n;
      if (!(after < bound.size() && bound[after] == ':')) continue;  // drop the backslash
    }
    out.sql += bound[i];
  }
  return out;
}

std::string OfflineStatement(std::string_view compiled) {
  std::string text;
  for (char c : compiled) {
    if (c == '\t') {
      text += "    ";
    } else {
      text += c;
    }
  }
  // Python's str.strip() on ASCII: space, \t\n\v\f\r and \x1c-\x1f.
  auto is_space = [](char c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
  };
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  return text.substr(begin, end - begin) + ";";
}

}  // namespace sqlmend::migrate
