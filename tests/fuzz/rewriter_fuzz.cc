// The REFERENCES rewriter and the view/trigger table-name rewriter
// (schema/rewriter.h) on arbitrary SQL text and rename maps whose old names
// are taken from the text itself. Invariant: the result tokenizes into as
// many tokens as the input, and every token that differs was a name the map
// renames and is now that map entry's new name, quoted; no more tokens
// differ than the rewriter reports editing.
#include <cstddef>
#include <cstdint>
#include <string>
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
  auto before = sql::Tokenize(text);
  auto after = sql::Tokenize(out.sql);
  std::string where = std::string(which) + " of: " + text + "\n  gave: " + out.sql;
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
