// Test-only: moving exact bytes between the tests and the Python oracles
// they run (SQLAlchemy, Alembic). Text goes into a script as an escaped
// literal and comes back hex-encoded, so no quoting, encoding or newline can
// blur a byte-for-byte comparison.
#pragma once

#include <cstdio>
#include <string>

namespace sqlmend::testutil {

// Lower-case hex of every byte ("ab" -> "6162").
inline std::string Hex(const std::string& bytes) {
  std::string out;
  char buffer[3];
  for (unsigned char c : bytes) {
    std::snprintf(buffer, sizeof buffer, "%02x", c);
    out += buffer;
  }
  return out;
}

// The bytes of a hex string (what Python's bytes.hex() printed).
inline std::string Unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

// A Python str literal spelling every byte of `text` as \xNN: safe for any
// content (valid for ASCII; the oracles pass UTF-8 through bytes.fromhex
// where it matters).
inline std::string PythonString(const std::string& text) {
  std::string out = "'";
  char hex[5];
  for (unsigned char c : text) {
    std::snprintf(hex, sizeof hex, "\\x%02x", c);
    out += hex;
  }
  return out + "'";
}

}  // namespace sqlmend::testutil
