// The REFERENCES rewriter and the view/trigger table-name rewriter
// (schema/rewriter.h) on arbitrary SQL text and rename maps whose old names
// are taken from the text itself. Invariant: the result has as many
// significant tokens as the input, and every one that differs was a name
// the map renames and is now that map entry's new name, quoted; no more
// tokens differ than the rewriter reports editing; spaces and comments stay,
// plus the single spaces that keep a new name apart from a '"' beside it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "schema/rewriter.h"
#include "sql/tokenizer.h"

namespace {

using sqlmend::schema::RenameMap;
using sqlmend::schema::Rewritten;
namespace sql = sqlmend::sql;

void CheckRewrite(const std::string& text, const RenameMap& renames, const Rewritten& out,
                  const char* which) {
  std::string where = std::string(which) + " of: " + text + "\n  gave: " + out.sql;
  // Spaces and comments: the same, but for added single spaces.
  std::vector<std::string_view> kept_before, kept_after;
  for (const auto& token : sql::Tokenize(text)) {
    if (token.kind == sql::TokenKind::kSpace || token.kind == sql::TokenKind::kComment) {
      kept_before.push_back(token.text);
    }
  }
  for (const auto& token : sql::Tokenize(out.sql)) {
    if (token.kind == sql::TokenKind::kSpace || token.kind == sql::TokenKind::kComment) {
      kept_after.push_back(token.text);
    }
  }
  size_t matched = 0;
  for (std::string_view token : kept_after) {
    if (matched < kept_before.size() && token == kept_before[matched]) {
      ++matched;
    } else {
      FUZZ_CHECK(token == " ", "a space or comment changed by " + where);
    }
  }
  FUZZ_CHECK(matched == kept_before.size(), "a space or comment dropped by " + where);
  auto before = sql::SignificantTokens(text);
  auto after = sql::SignificantTokens(out.sql);
  FUZZ_CHECK(before.size() == after.size(), "token count changed by " + where);
  int changed = 0;
  for (size_t i = 0; i < before.size(); ++i) {
    if (before[i].text == after[i].text) continue;
    ++changed;
    FUZZ_CHECK(sql::IsNameToken(before[i]), "a token that is not a name changed in " + where);
    auto it = renames.find(sql::AsciiLower(sql::TokenName(before[i])));
    FUZZ_CHECK(it != renames.end(), "a name the map does not rename changed in " + where);
    FUZZ_CHECK(after[i].kind == sql::TokenKind::kQuotedName, "a new name is not quoted in " + where);
    FUZZ_CHECK(sql::TokenName(after[i]) == it->second, "the wrong new name in " + where);
  }
  FUZZ_CHECK(changed <= out.edits, "more tokens changed than reported by " + where);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // New names: plain, needing quotes, with a quote inside, a keyword, empty,
  // non-ASCII.
  static const char* const kNewNames[] = {"parent", "new table", "a\"b", "select", "", "tbl_ü", "[x]", "`y`"};
  sqlmend::fuzz::FuzzInput input(data, size);
  const size_t choices = input.TakeInteger(UINT32_MAX);
  std::string text(input.Rest());
  RenameMap renames;
  size_t bit = 0;
  for (const auto& token : sql::SignificantTokens(text)) {
    if (!sql::IsNameToken(token) || bit >= 30) continue;
    std::string old_name = sql::TokenName(token);
    if (old_name.find('\0') != std::string::npos) continue;
    if (choices >> bit & 1) {
      renames[sql::AsciiLower(old_name)] = kNewNames[(choices >> (bit + 1)) % 8];
    }
    bit += 2;
  }
  CheckRewrite(text, renames, sqlmend::schema::RewriteReferences(text, renames), "RewriteReferences");
  CheckRewrite(text, renames, sqlmend::schema::RewriteTableNames(text, renames), "RewriteTableNames");
  return 0;
}
