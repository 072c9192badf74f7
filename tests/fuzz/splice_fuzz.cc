// The splice editor (sql/splice.h) on arbitrary text and edits, against a
// direct reading of its contract: edits sorted by offset (an insertion before
// a replacement at the same offset, ties in the given order), an edit that
// starts inside a kept one or reaches past the end dropped and reported.
// Then SplitStatements() on the same text: the statements appear in it in
// order, and what lies between them is whitespace and comments only.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "sql/splice.h"
#include "sql/tokenizer.h"

namespace {

using sqlmend::sql::Edit;

std::string Expected(const std::string& text, std::vector<Edit> edits, bool* dropped) {
  std::vector<size_t> order(edits.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto key = [&](size_t i) {
    return std::pair<size_t, int>(edits[i].offset, edits[i].length == 0 ? 0 : 1);
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  std::string out;
  size_t kept_end = 0;
  *dropped = false;
  for (size_t i : order) {
    const Edit& edit = edits[i];
    if (edit.offset > text.size() || edit.length > text.size() - edit.offset ||
        edit.offset < kept_end) {
      *dropped = true;
      continue;
    }
    out += text.substr(kept_end, edit.offset - kept_end);
    out += edit.replacement;
    kept_end = edit.offset + edit.length;
  }
  out += text.substr(kept_end);
  return out;
}

bool OnlySpaceAndComments(std::string_view text) {
  for (const auto& token : sqlmend::sql::Tokenize(text)) {
    if (token.kind != sqlmend::sql::TokenKind::kSpace &&
        token.kind != sqlmend::sql::TokenKind::kComment) {
      return false;
    }
  }
  return true;
}

void CheckSplit(const std::string& script) {
  std::vector<std::string> statements = sqlmend::sql::SplitStatements(script);
  size_t at = 0;
  for (const std::string& statement : statements) {
    FUZZ_CHECK(!statement.empty(), "an empty statement");
    size_t found = script.find(statement, at);
    FUZZ_CHECK(found != std::string::npos, "a statement that is not in the script: " + statement);
    FUZZ_CHECK(OnlySpaceAndComments(std::string_view(script).substr(at, found - at)),
               "text dropped between statements: " + script.substr(at, found - at));
    at = found + statement.size();
  }
  FUZZ_CHECK(OnlySpaceAndComments(std::string_view(script).substr(at)),
             "text dropped after the last statement: " + script.substr(at));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The edits come from the input's last bytes, the text is the rest.
  static const char* const kReplacements[] = {"", "x", "\"new name\"", "'", "\"", "--", "/*", ";", " ", "END;"};
  sqlmend::fuzz::FuzzInput input(data, size);
  std::vector<Edit> edits(input.TakeInteger(8));
  for (Edit& edit : edits) {
    // Offsets as large as a seed, so some reach past the end.
    edit.offset = input.TakeInteger(4096);
    edit.length = input.TakeInteger(64);
    edit.replacement = kReplacements[input.TakeInteger(9)];
  }
  std::string text(input.Rest());
  bool expected_dropped = false;
  std::string expected = Expected(text, edits, &expected_dropped);
  bool overlapped = false;
  std::string out = sqlmend::sql::ApplyEdits(text, edits, &overlapped);
  FUZZ_CHECK(out == expected, "ApplyEdits() differs from its contract");
  FUZZ_CHECK(overlapped == expected_dropped, "ApplyEdits() misreports dropped edits");
  FUZZ_CHECK(sqlmend::sql::ApplyEdits(text, {}) == text, "no edits changed the text");
  CheckSplit(text);
  return 0;
}
