// Splice editor: replaces byte spans of a text, leaving every other byte as
// it was. The repair rewrites SQL through this alone.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sqlmend::sql {

struct Edit {
  size_t offset;            // start of the replaced span in the original
  size_t length;            // bytes replaced
  std::string replacement;  // new bytes
};

// `text` with every edit applied. Edits may come in any order but must not
// overlap (an overlapping pair is a programming error: the later one is
// dropped and the result reports it via *overlapped when given).
std::string ApplyEdits(std::string_view text, std::vector<Edit> edits,
                       bool* overlapped = nullptr);

// Splits a script into complete statements (each with its trailing ';'),
// honouring CREATE TRIGGER ... BEGIN ... END bodies, strings, quoted names
// and comments, as sqlite3_complete() does. Whitespace-only pieces are
// dropped.
std::vector<std::string> SplitStatements(std::string_view script);

}  // namespace sqlmend::sql
