#include "config/python_text.h"

#include <cstdio>

namespace sqlmend::config {

bool IsPythonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' ||
         (c >= '\x1c' && c <= '\x1f');
}

std::string_view PythonRightStrip(std::string_view text) {
  while (!text.empty() && IsPythonSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string_view PythonStrip(std::string_view text) {
  while (!text.empty() && IsPythonSpace(text.front())) text.remove_prefix(1);
  return PythonRightStrip(text);
}

std::string AsciiLower(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lowered;
}

std::string PythonRepr(std::string_view text) {
  const bool has_single = text.find('\'') != std::string_view::npos;
  const bool has_double = text.find('"') != std::string_view::npos;
  const char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, quote);
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\' || c == quote) {
      out += '\\';
      out += c;
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  out += quote;
  return out;
}

std::optional<bool> SqlalchemyAsBool(std::string_view text) {
  const std::string lowered = AsciiLower(PythonStrip(text));
  for (std::string_view yes : {"true", "yes", "on", "y", "t", "1"}) {
    if (lowered == yes) return true;
  }
  for (std::string_view no : {"false", "no", "off", "n", "f", "0"}) {
    if (lowered == no) return false;
  }
  return std::nullopt;
}

}  // namespace sqlmend::config
