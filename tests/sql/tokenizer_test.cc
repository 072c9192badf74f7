// Tokenizer cases are checked against compact dumps, RE2 parse_test style:
// "W:create S:' ' Q:\"x\"" is a word, a space and a quoted name. The keyword
// list is checked against the linked SQLite itself.
#include "sql/tokenizer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sqlmend::sql {
namespace {

using namespace std::string_literals;

char KindLetter(TokenKind kind) {
  switch (kind) {
    case TokenKind::kSpace:
      return 'S';
    case TokenKind::kComment:
      return 'C';
    case TokenKind::kWord:
      return 'W';
    case TokenKind::kQuotedName:
      return 'Q';
    case TokenKind::kString:
      return 'L';
    case TokenKind::kNumber:
      return 'N';
    case TokenKind::kBlob:
      return 'B';
    case TokenKind::kVariable:
      return 'V';
    case TokenKind::kPunct:
      return 'P';
    case TokenKind::kIllegal:
      return 'X';
  }
  return '?';
}

// Bytes shown as is, except that a text holding a space or a control byte is
// put between single quotes with C escapes, so the dump stays on one line
// and token boundaries stay visible.
std::string Printable(std::string_view text) {
  bool plain = true;
  for (char c : text) {
    if (static_cast<uint8_t>(c) <= 0x20 || c == 0x7f) plain = false;
  }
  if (plain) return std::string(text);
  std::string out = "'";
  for (char c : text) {
    const auto byte = static_cast<uint8_t>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Test-only dumper: "K:text" per token, separated by single spaces.
std::string Dump(std::string_view sql) {
  std::string out;
  for (const Token& token : Tokenize(sql)) {
    if (!out.empty()) out += ' ';
    out += KindLetter(token.kind);
    out += ':';
    out += Printable(token.text);
  }
  return out;
}

struct DumpCase {
  std::string input;
  std::string expected;
};

const std::vector<DumpCase>& DumpCases() {
  static const auto* cases = new std::vector<DumpCase>{
      {"", ""},
      {"create table t(x)", "W:create S:' ' W:table S:' ' W:t P:( W:x P:)"},
      // Whitespace; a vertical tab continues a space run but cannot start one.
      {" \t\r\n\f", "S:' \\t\\r\\n\\x0c'"},
      {"a \vb", "W:a S:' \\x0b' W:b"},
      {"\va", "X:'\\x0b' W:a"},
      // Comments.
      {"-- note\nx", "C:'-- note' S:'\\n' W:x"},
      {"--", "C:--"},
      {"x--;", "W:x C:--;"},
      {"/* a */x", "C:'/* a */' W:x"},
      {"/* open", "C:'/* open'"},
      {"/**/", "C:/**/"},
      {"/*/", "C:/*/"},
      {"/**", "C:/**"},
      {"/*", "P:/ P:*"},  // SQLite wants a third byte before a comment
      {"a/b", "W:a P:/ W:b"},
      // Bare words: '$' and digits continue a word, UTF-8 bytes are letters.
      {"_a1$b", "W:_a1$b"},
      {"a$", "W:a$"},
      {"Z9", "W:Z9"},
      {"naïve", "W:naïve"},
      {"名前 x", "W:名前 S:' ' W:x"},
      {"a\xc2\xa0"
       "b",
       "W:a\xc2\xa0"
       "b"},                                              // U+00A0 is a letter to SQLite, not space
      {"\xef\xbb\xbfselect", "S:\xef\xbb\xbf W:select"},  // a BOM is whitespace
      {"a\xef\xbb\xbf", "W:a\xef\xbb\xbf"},               // ...but not inside a word
      {"\xef"
       "a",
       "W:\xef"
       "a"},
      // Quoted names and their escapes.
      {"\"a b\"", "Q:'\"a b\"'"},
      {"\"a\"\"b\"", "Q:\"a\"\"b\""},
      {"\"\"", "Q:\"\""},
      {"[a b]", "Q:'[a b]'"},
      {"[a\"b]", "Q:[a\"b]"},
      {"[a]]", "Q:[a] X:]"},  // no escapes inside brackets
      {"`a``b`", "Q:`a``b`"},
      {"\"naïve\"(\"名前\")", "Q:\"naïve\" P:( Q:\"名前\" P:)"},
      // Strings.
      {"'it''s'", "L:'it''s'"},
      {"''", "L:''"},
      {"'a''' 'b'", "L:'a''' S:' ' L:'b'"},
      {"'a;b';", "L:'a;b' P:;"},
      // Unterminated quotes take the rest of the text.
      {"'open", "X:'open"},
      {"'a'' b", "X:''a'' b'"},
      {"\"open", "X:\"open"},
      {"[open x", "X:'[open x'"},
      {"`open", "X:`open"},
      // Numbers.
      {"12", "N:12"},
      {"1.5e3", "N:1.5e3"},
      {"1e+5 1E-5", "N:1e+5 S:' ' N:1E-5"},
      {".5", "N:.5"},
      {"5.", "N:5."},
      {"1..2", "N:1. N:.2"},
      {"1.2.3", "N:1.2 N:.3"},
      {"t.5", "W:t N:.5"},
      {"0x1F", "N:0x1F"},
      {"0x1fg", "N:0x1f W:g"},  // SQLite ends hex at the first non-hex byte
      {"0x", "X:0x"},
      {"0xg", "X:0xg"},
      {"12ab", "X:12ab"},
      {"1_000", "X:1_000"},  // no digit separators in 3.40
      {"1e", "X:1e"},
      {"1e+", "X:1e P:+"},
      {"1-2", "N:1 P:- N:2"},
      // Blobs.
      {"x'0A'", "B:x'0A'"},
      {"X'0a'", "B:X'0a'"},
      {"x''", "B:x''"},
      {"x'0'", "X:x'0'"},
      {"x'0g' 1", "X:x'0g' S:' ' N:1"},
      {"x'00", "X:x'00"},
      {"xx'00'", "W:xx L:'00'"},
      {"x", "W:x"},
      // Variables.
      {"?", "V:?"},
      {"?12a", "V:?12 W:a"},
      {":a", "V::a"},
      {":1", "V::1"},
      {"@a_b", "V:@a_b"},
      {"#a", "V:#a"},
      {"$a", "V:$a"},
      {"$a::b", "V:$a::b"},
      {"$a:b", "V:$a V::b"},  // a single ':' ends the name
      {"$a(b)", "V:$a(b)"},
      {"$a(b c)", "X:$a(b S:' ' W:c P:)"},
      {"$a(", "X:$a("},
      {"$(x)", "X:$ P:( W:x P:)"},
      {":", "X::"},
      {"@ ", "X:@ S:' '"},
      // Operators and punctuation.
      {"||<=>===!=<><<>>", "P:|| P:<= P:>= P:== P:!= P:<> P:<< P:>>"},
      {"a->b->>c", "W:a P:-> W:b P:->> W:c"},
      {"=<>|&~%+-*/,;().", "P:= P:<> P:| P:& P:~ P:% P:+ P:- P:* P:/ P:, P:; P:( P:) P:."},
      {"< >", "P:< S:' ' P:>"},
      {"!", "X:!"},
      // Bytes that start no token.
      {"\\^{}]", "X:\\ X:^ X:{ X:} X:]"},
      {"\x01\x7f", "X:'\\x01' X:'\\x7f'"},
      // A NUL ends the text for SQLite: it and what follows are one token.
      {"a\0b c"s, "W:a X:'\\x00b c'"},
      {"'a\0b'"s, "X:'a X:'\\x00b''"},
      // A whole statement.
      {"CREATE TABLE \"order\"(id INTEGER PRIMARY KEY, p REFERENCES [parent](id));",
       "W:CREATE S:' ' W:TABLE S:' ' Q:\"order\" P:( W:id S:' ' W:INTEGER S:' ' W:PRIMARY S:' ' "
       "W:KEY P:, S:' ' W:p S:' ' W:REFERENCES S:' ' Q:[parent] P:( W:id P:) P:) P:;"},
  };
  return *cases;
}

TEST(TokenizerTest, DumpsMatch) {
  for (const DumpCase& c : DumpCases()) {
    EXPECT_EQ(Dump(c.input), c.expected) << "input: " << Printable(c.input);
  }
}

// Checks that the tokens of `sql` cover it byte for byte, in order, with no
// empty token, and views into `sql` itself.
void ExpectCovers(std::string_view sql) {
  const std::vector<Token> tokens = Tokenize(sql);
  std::string joined;
  size_t offset = 0;
  for (const Token& token : tokens) {
    ASSERT_FALSE(token.text.empty()) << "input: " << Printable(sql);
    ASSERT_EQ(token.offset, offset) << "input: " << Printable(sql);
    ASSERT_EQ(token.text.data(), sql.data() + offset) << "input: " << Printable(sql);
    offset += token.text.size();
    joined += token.text;
  }
  ASSERT_EQ(joined, sql) << "input: " << Printable(sql);
}

// Each token read on its own is that same single token: the scanner never
// stops early and never needs what comes after a token to classify it.
void ExpectTokensStandAlone(std::string_view sql) {
  for (const Token& token : Tokenize(sql)) {
    const std::vector<Token> alone = Tokenize(token.text);
    ASSERT_EQ(alone.size(), 1u) << "input: " << Printable(sql)
                                << " token: " << Printable(token.text);
    ASSERT_EQ(alone[0].kind, token.kind)
        << "input: " << Printable(sql) << " token: " << Printable(token.text);
  }
}

TEST(TokenizerTest, JoinGivesBackTheInput) {
  std::vector<std::string> inputs;
  for (const DumpCase& c : DumpCases()) inputs.push_back(c.input);
  inputs.insert(
      inputs.end(),
      {
          "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES "
          "\"_alembic_tmp_parent\" (id) ON DELETE CASCADE)",
          "CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (new.x, 'a;b'); END",
          "CREATE VIEW v AS SELECT a.x -> '$.y' AS y FROM a -- trailing\n",
          "select x'00ff', 0x10, 1.5e-3, ?1, :n, @m, $t, \"q\"\"q\", [b r], `b``t` /* c */",
          "  \n\t",
      });
  for (const std::string& input : inputs) {
    ExpectCovers(input);
    ExpectTokensStandAlone(input);
  }
}

// Deterministic fuzz: 20000 inputs of up to 40 bytes drawn from the bytes
// that matter to the scanner, so every rule meets every neighbour.
const std::vector<std::string>& FuzzedInputs() {
  static const auto* inputs = [] {
    const std::string alphabet =
        "abexXE019_$ \t\n\r\v'\"`[]();,.-/*+=<>!|?:@#&~%\\^{}\x01\x7f\x80\xc3\xa9\xef\xbb\xbf"s +
        '\0';
    uint64_t state = 0x2545f4914f6cdd1dULL;
    auto next = [&state]() {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<uint32_t>(state >> 33);
    };
    auto* out = new std::vector<std::string>;
    for (int n = 0; n < 20000; n++) {
      std::string input;
      const size_t length = next() % 41;
      for (size_t i = 0; i < length; i++) input += alphabet[next() % alphabet.size()];
      out->push_back(std::move(input));
    }
    return out;
  }();
  return *inputs;
}

TEST(TokenizerTest, FuzzedInputsJoinBack) {
  for (const std::string& input : FuzzedInputs()) {
    ExpectCovers(input);
    ExpectTokensStandAlone(input);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// SQLite names the token it stopped at in its errors: 'unrecognized token:
// "X"' for an illegal one, 'near "X": syntax error' otherwise. Both must be
// one of our tokens, and an illegal first token must be the one reported, so
// the real tokenizer checks our boundaries on every fuzzed input.
TEST(TokenizerTest, FuzzedInputsAgreeWithSqliteErrors) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  size_t illegal_first = 0;
  size_t near_checked = 0;
  std::vector<std::string> inputs = FuzzedInputs();
  for (const DumpCase& c : DumpCases()) inputs.push_back(c.input);
  for (const std::string& fuzzed : inputs) {
    if (fuzzed.find('\0') != std::string::npos) continue;  // SQLite would stop there
    for (const std::string& input : {fuzzed, "SELECT " + fuzzed}) {
      const std::vector<Token> tokens = SignificantTokens(input);
      sqlite3_stmt* stmt = nullptr;
      const int rc = sqlite3_prepare_v2(db, input.c_str(), -1, &stmt, nullptr);
      sqlite3_finalize(stmt);
      const std::string message = rc == SQLITE_OK ? "" : sqlite3_errmsg(db);
      if (!tokens.empty() && tokens[0].kind == TokenKind::kIllegal) {
        illegal_first++;
        EXPECT_EQ(message, "unrecognized token: \"" + std::string(tokens[0].text) + "\"")
            << "input: " << Printable(input);
        continue;
      }
      std::string reported;
      TokenKind expected_kind = TokenKind::kIllegal;
      const std::string_view unrecognized = "unrecognized token: \"";
      const std::string_view near = "near \"";
      const std::string_view syntax = "\": syntax error";
      if (message.starts_with(unrecognized)) {
        reported = message.substr(unrecognized.size(), message.size() - unrecognized.size() - 1);
      } else if (message.starts_with(near) && message.ends_with(syntax)) {
        reported = message.substr(near.size(), message.size() - near.size() - syntax.size());
        expected_kind = TokenKind::kPunct;  // any legal kind; see below
      } else {
        continue;
      }
      near_checked++;
      bool found = false;
      for (const Token& token : tokens) {
        const bool kind_matches = expected_kind == TokenKind::kIllegal
                                      ? token.kind == TokenKind::kIllegal
                                      : token.kind != TokenKind::kIllegal;
        if (token.text == reported && kind_matches) found = true;
      }
      EXPECT_TRUE(found) << "input: " << Printable(input) << " sqlite: " << message;
    }
    if (::testing::Test::HasFailure()) break;
  }
  sqlite3_close(db);
  EXPECT_GT(illegal_first, 1000u);
  EXPECT_GT(near_checked, 1000u);
}

TEST(TokenizerTest, SignificantTokensSkipSpaceAndComments) {
  std::string dump;
  for (const Token& token : SignificantTokens("a /* c */ b -- d\n ;")) {
    dump += std::string(token.text) + "@" + std::to_string(token.offset) + " ";
  }
  EXPECT_EQ(dump, "a@0 b@10 ;@18 ");
}

struct NameCase {
  std::string input;  // one token
  bool is_name;
  std::string name;
};

TEST(TokenizerTest, TokenNameUnquotes) {
  const std::vector<NameCase> cases = {
      {"plain", true, "plain"},  {"MiXeD", true, "MiXeD"},     {"名前", true, "名前"},
      {"\"a b\"", true, "a b"},  {"\"a\"\"b\"", true, "a\"b"}, {"\"\"\"\"", true, "\""},
      {"\"\"", true, ""},        {"\"naïve\"", true, "naïve"}, {"[x]", true, "x"},
      {"[a\"b]", true, "a\"b"},  {"[a'b]", true, "a'b"},       {"`a``b`", true, "a`b"},
      {"`a\"b`", true, "a\"b"},  {"'parent'", true, "parent"}, {"'it''s'", true, "it's"},
      {"'a\"b'", true, "a\"b"},  {"12", false, "12"},          {"?1", false, "?1"},
      {"x'00'", false, "x'00'"},
  };
  for (const NameCase& c : cases) {
    const std::vector<Token> tokens = Tokenize(c.input);
    ASSERT_EQ(tokens.size(), 1u) << "input: " << c.input;
    EXPECT_EQ(IsNameToken(tokens[0]), c.is_name) << "input: " << c.input;
    EXPECT_EQ(TokenName(tokens[0]), c.name) << "input: " << c.input;
  }
}

TEST(TokenizerTest, QuotedNamesRoundTrip) {
  for (std::string name : {"a", "a b", "a\"b", "\"", "", "名前", "a'b", "[x]", "a``b"}) {
    const std::string quoted = QuoteIdentifier(name);
    const std::vector<Token> tokens = Tokenize(quoted);
    ASSERT_EQ(tokens.size(), 1u) << "name: " << name;
    EXPECT_EQ(tokens[0].kind, TokenKind::kQuotedName) << "name: " << name;
    EXPECT_EQ(TokenName(tokens[0]), name) << "name: " << name;

    const std::string string = QuoteString(name);
    const std::vector<Token> string_tokens = Tokenize(string);
    ASSERT_EQ(string_tokens.size(), 1u) << "name: " << name;
    EXPECT_EQ(string_tokens[0].kind, TokenKind::kString) << "name: " << name;
    EXPECT_EQ(TokenName(string_tokens[0]), name) << "name: " << name;
  }
}

TEST(TokenizerTest, Quoting) {
  struct Case {
    std::string name;
    std::string quoted;
    std::string if_needed;
  };
  const std::vector<Case> cases = {
      {"abc", "\"abc\"", "abc"},
      {"_a1", "\"_a1\"", "_a1"},
      {"Parent_2", "\"Parent_2\"", "Parent_2"},
      {"1a", "\"1a\"", "\"1a\""},
      {"", "\"\"", "\"\""},
      {"a b", "\"a b\"", "\"a b\""},
      {"a\"b", "\"a\"\"b\"", "\"a\"\"b\""},
      {"a$", "\"a$\"", "\"a$\""},
      {"名前", "\"名前\"", "\"名前\""},
      {"select", "\"select\"", "\"select\""},
      {"Order", "\"Order\"", "\"Order\""},
      {"rowid", "\"rowid\"", "rowid"},  // not a keyword
      {"strict", "\"strict\"", "strict"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(QuoteIdentifier(c.name), c.quoted) << "name: " << c.name;
    EXPECT_EQ(QuoteIdentifierIfNeeded(c.name), c.if_needed) << "name: " << c.name;
  }
  EXPECT_EQ(QuoteString("it's"), "'it''s'");
  EXPECT_EQ(QuoteString(""), "''");
}

TEST(TokenizerTest, KeywordsMatchLinkedSqlite) {
  std::set<std::string> sqlite_keywords;
  for (int i = 0; i < sqlite3_keyword_count(); i++) {
    const char* name = nullptr;
    int length = 0;
    ASSERT_EQ(sqlite3_keyword_name(i, &name, &length), SQLITE_OK);
    sqlite_keywords.insert(std::string(name, length));
  }
  EXPECT_EQ(sqlite_keywords.size(), 147u) << "the linked SQLite is not 3.40's keyword set";
  for (const std::string& keyword : sqlite_keywords) {
    EXPECT_TRUE(IsKeyword(keyword)) << keyword;
    EXPECT_TRUE(IsKeyword(AsciiLower(keyword))) << keyword;
  }
  for (std::string word : {"", "rowid", "strict", "true", "false", "oid", "selects", "x",
                           "CURRENT_TIMESTAMPS", "sel"}) {
    EXPECT_FALSE(IsKeyword(word)) << word;
    EXPECT_EQ(sqlite3_keyword_check(word.data(), static_cast<int>(word.size())), 0) << word;
  }
  EXPECT_TRUE(IsKeyword("SeLeCt"));
  EXPECT_FALSE(IsKeyword("selec\xc5\xa3"));
}

TEST(TokenizerTest, AsciiFoldingLeavesUtf8Alone) {
  EXPECT_EQ(AsciiLower("ABC_xyz-É"), "abc_xyz-É");
  EXPECT_TRUE(AsciiIEquals("Parent", "pARENT"));
  EXPECT_TRUE(AsciiIEquals("", ""));
  EXPECT_FALSE(AsciiIEquals("É", "é"));  // SQLite folds ASCII only
  EXPECT_FALSE(AsciiIEquals("a", "ab"));
  EXPECT_FALSE(AsciiIEquals("[", "{"));  // '[' is not 'Z'+1 folded
  EXPECT_FALSE(AsciiIEquals("@", "`"));
}

}  // namespace
}  // namespace sqlmend::sql
