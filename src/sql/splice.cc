#include "sql/splice.h"

#include <algorithm>
#include <cstdint>

#include "sql/tokenizer.h"

namespace sqlmend::sql {

std::string ApplyEdits(std::string_view text, std::vector<Edit> edits, bool* overlapped) {
  if (overlapped != nullptr) *overlapped = false;
  // Text order; an insertion sorts before a replacement at the same offset so
  // that it lands in front of the replaced span instead of inside it. Ties
  // keep the caller's order.
  std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
    if (a.offset != b.offset) return a.offset < b.offset;
    return a.length == 0 && b.length != 0;
  });
  std::string out;
  out.reserve(text.size());
  size_t copied_to = 0;  // bytes of `text` already in `out` or replaced
  for (const Edit& edit : edits) {
    const bool in_range = edit.offset <= text.size() && edit.length <= text.size() - edit.offset;
    if (!in_range || edit.offset < copied_to) {
      if (overlapped != nullptr) *overlapped = true;
      continue;
    }
    out.append(text.substr(copied_to, edit.offset - copied_to));
    out.append(edit.replacement);
    copied_to = edit.offset + edit.length;
  }
  out.append(text.substr(copied_to));
  return out;
}

namespace {

// sqlite3_complete() (SQLite's complete.c) decides whether a script ends in
// a complete statement with an 8-state machine over 8 token classes. Its one
// subtlety is the trigger: once CREATE [TEMP] TRIGGER is seen, a ';' ends the
// statement only when it follows END, which itself follows a ';'
// ("...; END;"). The tables below are that machine, reached through our own
// tokenizer rather than complete.c's character scanner; the two agree on
// every token that can change the state (words, ';', comments, quotes).
enum CompleteToken : uint8_t {
  kTokSemi,
  kTokSpace,  // whitespace and comments
  kTokOther,
  kTokExplain,
  kTokCreate,
  kTokTemp,  // TEMP or TEMPORARY
  kTokTrigger,
  kTokEnd,
};

enum CompleteState : uint8_t {
  kStateInvalid,  // nothing but whitespace seen yet
  kStateStart,    // just after a complete statement
  kStateNormal,   // inside an ordinary statement
  kStateExplain,  // after a leading EXPLAIN
  kStateCreate,   // after CREATE (and maybe TEMP)
  kStateTrigger,  // inside CREATE TRIGGER
  kStateSemi,     // inside a trigger, just after a ';'
  kStateEnd,      // inside a trigger, after "; END"
};

// kTransition[state][token]; columns in CompleteToken order.
constexpr CompleteState kTransition[8][8] = {
    // Semi         Space          Other          Explain        Create
    // Temp         Trigger        End
    {kStateStart, kStateInvalid, kStateNormal, kStateExplain, kStateCreate, kStateNormal,
     kStateNormal, kStateNormal},  // Invalid
    {kStateStart, kStateStart, kStateNormal, kStateExplain, kStateCreate, kStateNormal,
     kStateNormal, kStateNormal},  // Start
    {kStateStart, kStateNormal, kStateNormal, kStateNormal, kStateNormal, kStateNormal,
     kStateNormal, kStateNormal},  // Normal
    {kStateStart, kStateExplain, kStateExplain, kStateNormal, kStateCreate, kStateNormal,
     kStateNormal, kStateNormal},  // Explain
    {kStateStart, kStateCreate, kStateNormal, kStateNormal, kStateNormal, kStateCreate,
     kStateTrigger, kStateNormal},  // Create
    {kStateSemi, kStateTrigger, kStateTrigger, kStateTrigger, kStateTrigger, kStateTrigger,
     kStateTrigger, kStateTrigger},  // Trigger
    {kStateSemi, kStateSemi, kStateTrigger, kStateTrigger, kStateTrigger, kStateTrigger,
     kStateTrigger, kStateEnd},  // Semi
    {kStateStart, kStateEnd, kStateTrigger, kStateTrigger, kStateTrigger, kStateTrigger,
     kStateTrigger, kStateTrigger},  // End
};

CompleteToken Classify(const Token& token) {
  switch (token.kind) {
    case TokenKind::kSpace:
    case TokenKind::kComment:
      return kTokSpace;
    case TokenKind::kPunct:
      return token.text == ";" ? kTokSemi : kTokOther;
    case TokenKind::kWord:
      if (AsciiIEquals(token.text, "create")) return kTokCreate;
      if (AsciiIEquals(token.text, "trigger")) return kTokTrigger;
      if (AsciiIEquals(token.text, "temp") || AsciiIEquals(token.text, "temporary")) {
        return kTokTemp;
      }
      if (AsciiIEquals(token.text, "end")) return kTokEnd;
      if (AsciiIEquals(token.text, "explain")) return kTokExplain;
      return kTokOther;
    default:
      return kTokOther;
  }
}

}  // namespace

std::vector<std::string> SplitStatements(std::string_view script) {
  std::vector<std::string> statements;
  size_t piece_start = 0;
  bool piece_has_content = false;  // anything but whitespace and comments
  CompleteState state = kStateInvalid;
  for (const Token& token : Tokenize(script)) {
    const CompleteToken class_of_token = Classify(token);
    state = kTransition[state][class_of_token];
    if (class_of_token != kTokSpace) piece_has_content = true;
    if (class_of_token == kTokSemi && state == kStateStart) {
      const size_t end = token.offset + token.text.size();
      statements.emplace_back(script.substr(piece_start, end - piece_start));
      piece_start = end;
      piece_has_content = false;
    }
  }
  // Text after the last complete statement: an unfinished statement is kept
  // (dropping it would hide it from the caller); whitespace is not.
  if (piece_has_content) statements.emplace_back(script.substr(piece_start));
  return statements;
}

}  // namespace sqlmend::sql
