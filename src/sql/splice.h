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
// "Later" is in text order: edits are sorted by offset (an insertion, length
// 0, before a replacement at the same offset; otherwise the given order), and
// an edit starting inside the span of one already kept is dropped. An edit
// reaching past the end of `text` is dropped and reported the same way.
std::string ApplyEdits(std::string_view text, std::vector<Edit> edits,
                       bool* overlapped = nullptr);

// Splits a script into complete statements (each with its trailing ';'),
// honouring CREATE TRIGGER ... BEGIN ... END bodies, strings, quoted names
// and comments, as sqlite3_complete() does. Whitespace-only pieces are
// dropped; comments count as whitespace there, as they do for SQLite (its
// tokenizer calls both TK_SPACE). Each statement keeps the whitespace and
// comments before it, so the statements joined give back the script minus
// the dropped pieces. Text after the last complete statement (no final ';',
// an unfinished trigger body) is returned as the last element.
std::vector<std::string> SplitStatements(std::string_view script);

}  // namespace sqlmend::sql
