#include "python/string_literal.h"

#include <cstdint>
#include <optional>

namespace sqlmend::python {
namespace {

using Error = tl::unexpected<StringLiteralError>;

Error Fail(size_t offset, std::string message) {
  return Error(StringLiteralError{offset, std::move(message)});
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct Prefix {
  bool raw = false;
  bool format = false;
  bool bytes = false;
  bool unicode = false;
};

// Decodes the body of a literal (between its quotes). `body_offset` is where
// the body starts in the token, for error offsets.
class BodyDecoder {
 public:
  BodyDecoder(std::string_view body, size_t body_offset, Prefix prefix)
      : body_(body), base_(body_offset), prefix_(prefix) {}

  tl::expected<std::string, StringLiteralError> Run() {
    while (i_ < body_.size()) {
      char c = body_[i_];
      if (c == '\r') {  // source newlines read as \n
        out_ += '\n';
        i_ += (i_ + 1 < body_.size() && body_[i_ + 1] == '\n') ? 2 : 1;
      } else if (prefix_.bytes && static_cast<unsigned char>(c) >= 0x80) {
        return Fail(base_ + i_, "bytes can only contain ASCII literal characters");
      } else if (c == '\\') {
        if (auto ok = Escape(); !ok) return tl::unexpected(ok.error());
      } else if (prefix_.format && (c == '{' || c == '}')) {
        if (i_ + 1 < body_.size() && body_[i_ + 1] == c) {
          out_ += c;
          i_ += 2;
        } else if (c == '{') {
          return Fail(base_ + i_, "f-string interpolates a value; only literal text can be read");
        } else {
          return Fail(base_ + i_, "f-string: single '}' is not allowed");
        }
      } else {
        out_ += c;
        ++i_;
      }
    }
    return std::move(out_);
  }

 private:
  // Reads the escape at i_ (a backslash) and appends its value.
  tl::expected<void, StringLiteralError> Escape() {
    const size_t start = i_;
    if (i_ + 1 >= body_.size()) {  // cannot happen in a delimited literal
      out_ += '\\';
      ++i_;
      return {};
    }
    char next = body_[i_ + 1];
    if (prefix_.raw) {
      // The backslash stays, and so does the character it protects (a quote
      // or another backslash); a protected \r\n still reads as \n.
      out_ += '\\';
      i_ += 1;
      if (next == '\\' || next == '\'' || next == '"') {
        out_ += next;
        i_ += 1;
      }
      return {};
    }
    i_ += 2;
    if (prefix_.bytes && (next == 'u' || next == 'U' || next == 'N')) {
      // Not escapes in bytes: kept as written, as any unknown escape.
      out_ += '\\';
      i_ -= 1;
      return {};
    }
    switch (next) {
      case '\n':
        return {};
      case '\r':
        if (i_ < body_.size() && body_[i_] == '\n') ++i_;
        return {};
      case '\\':
        out_ += '\\';
        return {};
      case '\'':
        out_ += '\'';
        return {};
      case '"':
        out_ += '"';
        return {};
      case 'a':
        out_ += '\a';
        return {};
      case 'b':
        out_ += '\b';
        return {};
      case 'f':
        out_ += '\f';
        return {};
      case 'n':
        out_ += '\n';
        return {};
      case 'r':
        out_ += '\r';
        return {};
      case 't':
        out_ += '\t';
        return {};
      case 'v':
        out_ += '\v';
        return {};
      case 'x':
        return Hex(start, 2, "\\xXX");
      case 'u':
        return Hex(start, 4, "\\uXXXX");
      case 'U':
        return Hex(start, 8, "\\UXXXXXXXX");
      case 'N':
        return Fail(base_ + start,
                    "\\N{...} escapes are not supported; write the character or a \\u escape");
      default:
        break;
    }
    if (next >= '0' && next <= '7') {
      uint32_t value = next - '0';
      for (int digits = 1; digits < 3 && i_ < body_.size() && body_[i_] >= '0' && body_[i_] <= '7';
           ++digits) {
        value = value * 8 + (body_[i_++] - '0');
      }
      // In bytes, \400 to \777 keep their low 8 bits (Python 3.11 warns).
      if (prefix_.bytes) {
        out_ += static_cast<char>(value & 0xFF);
      } else {
        AppendUtf8(value, out_);
      }
      return {};
    }
    // An unknown escape is kept as written (Python warns, then keeps it).
    out_ += '\\';
    i_ -= 1;
    return {};
  }

  // \x, \u, \U: exactly `digits` hex digits follow the two-character lead.
  tl::expected<void, StringLiteralError> Hex(size_t start, int digits, const char* form) {
    uint32_t value = 0;
    for (int k = 0; k < digits; ++k) {
      int digit = i_ < body_.size() ? HexValue(body_[i_]) : -1;
      if (digit < 0) return Fail(base_ + start, std::string("truncated ") + form + " escape");
      value = value * 16 + static_cast<uint32_t>(digit);
      ++i_;
    }
    if (prefix_.bytes) {  // only \xhh reaches here: one octet
      out_ += static_cast<char>(value);
      return {};
    }
    if (value > 0x10FFFF) return Fail(base_ + start, "illegal Unicode character in escape");
    if (value >= 0xD800 && value <= 0xDFFF) {
      return Fail(base_ + start, "lone surrogate escape cannot be read as UTF-8 text");
    }
    AppendUtf8(value, out_);
    return {};
  }

  std::string_view body_;
  size_t base_;
  Prefix prefix_;
  size_t i_ = 0;
  std::string out_;
};

}  // namespace

tl::expected<LiteralValue, StringLiteralError> DecodeLiteralToken(std::string_view token) {
  Prefix prefix;
  size_t i = 0;
  for (; i < token.size() && token[i] != '\'' && token[i] != '"'; ++i) {
    switch (token[i]) {
      case 'r':
      case 'R':
        prefix.raw = true;
        break;
      case 'f':
      case 'F':
        prefix.format = true;
        break;
      case 'b':
      case 'B':
        prefix.bytes = true;
        break;
      case 'u':
      case 'U':
        prefix.unicode = true;
        break;
      default:
        return Fail(i, "unknown string prefix");
    }
  }
  if (i == token.size()) return Fail(0, "not a string literal");
  if (i > 2 || (prefix.unicode && i > 1) || (prefix.bytes && prefix.format)) {
    return Fail(0, "invalid string prefix");
  }
  const char quote = token[i];
  size_t quote_length = 1;
  if (token.size() >= i + 6 && token[i + 1] == quote && token[i + 2] == quote) quote_length = 3;
  const size_t body_begin = i + quote_length;
  if (token.size() < body_begin + quote_length) return Fail(0, "unterminated string literal");
  std::string_view body = token.substr(body_begin, token.size() - body_begin - quote_length);
  auto value = BodyDecoder(body, body_begin, prefix).Run();
  if (!value) return tl::unexpected(value.error());
  return LiteralValue{std::move(*value), prefix.bytes};
}

tl::expected<std::string, StringLiteralError> DecodeStringToken(std::string_view token) {
  auto literal = DecodeLiteralToken(token);
  if (!literal) return tl::unexpected(literal.error());
  if (literal->bytes) return Fail(0, "bytes literal where text is expected");
  return std::move(literal->value);
}

bool IsStringLiteral(Node node) { return node.Is("string") || node.Is("concatenated_string"); }

namespace {

// DecodeLiteral(), refusing a bytes part when `text_only` (at that part).
base::Result<LiteralValue> DecodeParts(const PythonModule& module, Node node, bool text_only) {
  std::optional<LiteralValue> out;
  auto decode_one = [&](Node part) -> base::Status {
    auto value = DecodeLiteralToken(module.Text(part));
    if (value && value->bytes && text_only) value = Fail(0, "bytes literal where text is expected");
    if (!value) {
      const uint32_t at = part.StartByte() + static_cast<uint32_t>(value.error().offset);
      return base::Status::Refused(module.WhereByte(at), value.error().message);
    }
    if (!out) {
      out = std::move(*value);
    } else if (out->bytes != value->bytes) {
      return module.ErrorAt(part, base::Code::kRefused,
                            "SyntaxError: cannot mix bytes and nonbytes literals");
    } else {
      out->value += value->value;
    }
    return base::Status::Ok();
  };
  if (node.Is("string")) {
    SQLMEND_RETURN_IF_ERROR(decode_one(node));
    return std::move(*out);
  }
  if (node.Is("concatenated_string")) {
    for (uint32_t k = 0; k < node.NamedChildCount(); ++k) {
      Node part = node.NamedChild(k);
      if (part.Is("string")) SQLMEND_RETURN_IF_ERROR(decode_one(part));  // else a comment
    }
  }
  if (!out) return base::Fail(module.ErrorAt(node, base::Code::kRefused, "not a string literal"));
  return std::move(*out);
}

}  // namespace

base::Result<LiteralValue> DecodeLiteral(const PythonModule& module, Node node) {
  return DecodeParts(module, node, false);
}

base::Result<std::string> DecodeStringLiteral(const PythonModule& module, Node node) {
  auto literal = DecodeParts(module, node, true);
  if (!literal) return base::Fail(literal.error());
  return std::move(literal->value);
}

void AppendUtf8(uint32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

}  // namespace sqlmend::python
