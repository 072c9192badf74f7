#include "python/bytes_type.h"

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "python/builtins.h"
#include "python/operators.h"
#include "python/string_literal.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;

enum class Codec { kUtf8, kAscii, kLatin1 };

// Python's codec lookup: the name lower-cased with '-' and ' ' read as '_'
// (encodings.normalize_encoding), then the aliases of encodings/aliases.py.
std::optional<Codec> FindCodec(std::string_view name) {
  std::string key;
  for (char c : name) {
    key += c == '-' || c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  static constexpr std::pair<std::string_view, Codec> kNames[] = {
      {"utf_8", Codec::kUtf8},           {"utf8", Codec::kUtf8},
      {"u8", Codec::kUtf8},              {"utf", Codec::kUtf8},
      {"cp65001", Codec::kUtf8},         {"ascii", Codec::kAscii},
      {"us_ascii", Codec::kAscii},       {"us", Codec::kAscii},
      {"646", Codec::kAscii},            {"ansi_x3.4_1968", Codec::kAscii},
      {"latin_1", Codec::kLatin1},       {"latin1", Codec::kLatin1},
      {"latin", Codec::kLatin1},         {"l1", Codec::kLatin1},
      {"iso_8859_1", Codec::kLatin1},    {"iso8859_1", Codec::kLatin1},
      {"8859", Codec::kLatin1},          {"cp819", Codec::kLatin1},
      {"iso_ir_100", Codec::kLatin1},    {"csisolatin1", Codec::kLatin1},
      {"iso_8859_1_1987", Codec::kLatin1},
  };
  for (const auto& [alias, codec] : kNames) {
    if (alias == key) return codec;
  }
  return std::nullopt;
}

// The name a codec gives itself in error messages.
const char* CodecName(Codec codec) {
  switch (codec) {
    case Codec::kUtf8:
      return "utf-8";
    case Codec::kAscii:
      return "ascii";
    case Codec::kLatin1:
      return "latin-1";
  }
  return "?";
}

// NOTE: an encoding outside the three is refused (Unsupported) rather than
// raising LookupError: Python has dozens of codecs (utf-16, cp1252, ...), and
// a script naming one expects its value, not an exception.
Result<Codec> LookupCodec(CallContext& context, std::string_view encoding) {
  auto codec = FindCodec(encoding);
  if (!codec) {
    return base::Fail(context.Unsupported("unsupported: the encoding '" + std::string(encoding) +
                                          "' (sqlmend has utf-8, ascii and latin-1)"));
  }
  return *codec;
}

enum class Handler { kStrict, kIgnore, kReplace, kBackslashReplace, kXmlCharRefReplace };

Result<Handler> LookupHandler(CallContext& context, std::string_view errors, bool encoding) {
  if (errors == "strict") return Handler::kStrict;
  if (errors == "ignore") return Handler::kIgnore;
  if (errors == "replace") return Handler::kReplace;
  if (errors == "backslashreplace") return Handler::kBackslashReplace;
  if (errors == "xmlcharrefreplace" && encoding) return Handler::kXmlCharRefReplace;
  return base::Fail(context.Unsupported("unsupported: the '" + std::string(errors) +
                                        "' error handler of " +
                                        (encoding ? "str.encode()" : "bytes.decode()")));
}

// One code point read from valid UTF-8 at `at` (advanced past it).
uint32_t NextCodePoint(std::string_view text, size_t& at) {
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(text[i])); };
  uint32_t first = byte(at);
  size_t length = first < 0x80 ? 1 : first < 0xE0 ? 2 : first < 0xF0 ? 3 : 4;
  uint32_t code_point = length == 1 ? first : first & (0xFF >> (length + 1));
  for (size_t k = 1; k < length && at + k < text.size(); ++k) {
    code_point = (code_point << 6) | (byte(at + k) & 0x3F);
  }
  at += length;
  return code_point;
}

// How CPython's UTF-8 decoder reads the octets at `at`: a valid sequence of
// `length` octets, or (valid == false) an invalid one whose maximal subpart
// is `length` octets long, with the reason it gives.
struct Utf8Step {
  bool valid = true;
  size_t length = 1;
  const char* reason = "";
};

Utf8Step ReadUtf8(std::string_view octets, size_t at) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(octets[i]); };
  unsigned char first = byte(at);
  if (first < 0x80) return {true, 1, ""};
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second octet
  if (first >= 0xC2 && first <= 0xDF) {
    length = 2;
  } else if (first >= 0xE0 && first <= 0xEF) {
    length = 3;
    if (first == 0xE0) low = 0xA0;   // no overlong forms
    if (first == 0xED) high = 0x9F;  // no surrogates
  } else if (first >= 0xF0 && first <= 0xF4) {
    length = 4;
    if (first == 0xF0) low = 0x90;
    if (first == 0xF4) high = 0x8F;  // nothing past U+10FFFF
  } else {
    return {false, 1, "invalid start byte"};
  }
  for (size_t k = 1; k < length; ++k) {
    if (at + k >= octets.size()) return {false, k, "unexpected end of data"};
    unsigned char next = byte(at + k);
    bool in_range = k == 1 ? next >= low && next <= high : next >= 0x80 && next <= 0xBF;
    if (!in_range) return {false, k, "invalid continuation byte"};
  }
  return {true, length, ""};
}

std::string Hex2(unsigned value) {
  char text[8];
  std::snprintf(text, sizeof text, "%02x", value);
  return text;
}

// The escape backslashreplace writes for a code point, and codec errors
// show: \xhh, \uhhhh or \Uhhhhhhhh.
std::string BackslashEscape(uint32_t code_point) {
  char text[16];
  if (code_point < 0x100) {
    std::snprintf(text, sizeof text, "\\x%02x", code_point);
  } else if (code_point < 0x10000) {
    std::snprintf(text, sizeof text, "\\u%04x", code_point);
  } else {
    std::snprintf(text, sizeof text, "\\U%08x", code_point);
  }
  return text;
}

// "position 3" or "position 3-5" (inclusive), as codec errors say.
std::string Positions(size_t start, size_t end) {
  if (end - start == 1) return "position " + std::to_string(start);
  return "position " + std::to_string(start) + "-" + std::to_string(end - 1);
}

Result<std::string> StrParameter(CallContext& context, const Value& value, std::string_view function,
                            std::string_view parameter) {
  if (!value.Is(Kind::kStr)) {
    return base::Fail(context.Throw("TypeError", std::string(function) + "() argument '" +
                                                     std::string(parameter) + "' must be str, not " +
                                                     value.TypeName()));
  }
  return value.AsStr();
}

}  // namespace

Result<std::string> OctetsArg(CallContext& context, const Value& value) {
  if (!value.Is(Kind::kBytes)) {
    return base::Fail(context.Throw(
        "TypeError", "a bytes-like object is required, not '" + value.TypeName() + "'"));
  }
  return value.AsBytes();
}

Result<std::string> HexWithSeparator(CallContext& context, std::string_view octets,
                                     const Args& args, size_t skip) {
  const Value* sep = args.positional.size() > skip ? &args.positional[skip] : KeywordArg(args, "sep");
  const Value* group =
      args.positional.size() > skip + 1 ? &args.positional[skip + 1] : KeywordArg(args, "bytes_per_sep");
  std::string_view separator;
  if (sep != nullptr) {
    if (!sep->IsText() || sep->AsStr().size() != 1) {
      return base::Fail(context.Throw("ValueError", "sep must be length 1."));
    }
    separator = sep->AsStr();
  }
  int64_t bytes_per_sep = group != nullptr && group->Is(Kind::kInt) ? group->AsInt() : 1;
  if (bytes_per_sep == 0) separator = {};
  const size_t size = octets.size();
  const auto step = static_cast<size_t>(bytes_per_sep < 0 ? -bytes_per_sep : bytes_per_sep);
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    // A positive count groups from the right, a negative one from the left.
    bool boundary = bytes_per_sep > 0 ? (size - i) % step == 0 : i % step == 0;
    if (i > 0 && !separator.empty() && boundary) out += separator;
    out += Hex2(static_cast<unsigned char>(octets[i]));
  }
  return out;
}

Result<std::string> EncodeText(CallContext& context, std::string_view text,
                               std::string_view encoding, std::string_view errors) {
  auto codec = LookupCodec(context, encoding);
  if (!codec) return base::Fail(codec.error());
  // Python's str holds no invalid UTF-8 here (a literal with a lone
  // surrogate is refused), so UTF-8 encoding is the text itself.
  if (*codec == Codec::kUtf8) return std::string(text);
  auto handler = LookupHandler(context, errors, true);
  if (!handler) return base::Fail(handler.error());
  const uint32_t limit = *codec == Codec::kAscii ? 0x80 : 0x100;
  std::vector<uint32_t> code_points;
  for (size_t at = 0; at < text.size();) code_points.push_back(NextCodePoint(text, at));
  std::string out;
  for (size_t i = 0; i < code_points.size(); ++i) {
    uint32_t code_point = code_points[i];
    if (code_point < limit) {
      out += static_cast<char>(code_point);
      continue;
    }
    switch (*handler) {
      case Handler::kStrict: {
        // The error covers the run of characters the codec cannot take.
        size_t end = i + 1;
        while (end < code_points.size() && code_points[end] >= limit) ++end;
        std::string what =
            end - i == 1 ? "character '" + BackslashEscape(code_point) + "'" : "characters";
        return base::Fail(context.Throw(
            "UnicodeEncodeError", "'" + std::string(CodecName(*codec)) + "' codec can't encode " +
                                      what + " in " + Positions(i, end) +
                                      ": ordinal not in range(" + std::to_string(limit) + ")"));
      }
      case Handler::kIgnore:
        break;
      case Handler::kReplace:
        out += '?';
        break;
      case Handler::kBackslashReplace:
        out += BackslashEscape(code_point);
        break;
      case Handler::kXmlCharRefReplace:
        out += "&#" + std::to_string(code_point) + ";";
        break;
    }
  }
  return out;
}

Result<std::string> DecodeOctets(CallContext& context, std::string_view octets,
                                 std::string_view encoding, std::string_view errors) {
  auto codec = LookupCodec(context, encoding);
  if (!codec) return base::Fail(codec.error());
  auto handler = LookupHandler(context, errors, false);
  if (!handler) return base::Fail(handler.error());
  std::string out;
  for (size_t at = 0; at < octets.size();) {
    auto first = static_cast<unsigned char>(octets[at]);
    Utf8Step step;
    if (*codec == Codec::kLatin1) {
      AppendUtf8(first, out);
      ++at;
      continue;
    }
    if (*codec == Codec::kAscii) {
      if (first >= 0x80) step = {false, 1, "ordinal not in range(128)"};
    } else {
      step = ReadUtf8(octets, at);
    }
    if (step.valid) {
      out.append(octets.substr(at, step.length));
      at += step.length;
      continue;
    }
    switch (*handler) {
      case Handler::kStrict:
        return base::Fail(context.Throw(
            "UnicodeDecodeError",
            "'" + std::string(CodecName(*codec)) + "' codec can't decode " +
                (step.length == 1 ? "byte 0x" + Hex2(first) : std::string("bytes")) + " in " +
                Positions(at, at + step.length) + ": " + step.reason));
      case Handler::kIgnore:
        break;
      case Handler::kReplace:
        AppendUtf8(0xFFFD, out);
        break;
      case Handler::kBackslashReplace:
      case Handler::kXmlCharRefReplace:
        for (size_t k = 0; k < step.length; ++k) {
          out += "\\x" + Hex2(static_cast<unsigned char>(octets[at + k]));
        }
        break;
    }
    at += step.length;
  }
  return out;
}

Result<CodecArgs> ReadCodecArgs(CallContext& context, std::string_view function, const Args& args,
                                size_t skip) {
  CodecArgs out;
  const Value* encoding = args.positional.size() > skip ? &args.positional[skip]
                                                        : KeywordArg(args, "encoding");
  const Value* errors = args.positional.size() > skip + 1 ? &args.positional[skip + 1]
                                                          : KeywordArg(args, "errors");
  if (encoding != nullptr) {
    auto text = StrParameter(context, *encoding, function, "encoding");
    if (!text) return base::Fail(text.error());
    out.encoding = std::move(*text);
  }
  if (errors != nullptr) {
    auto text = StrParameter(context, *errors, function, "errors");
    if (!text) return base::Fail(text.error());
    out.errors = std::move(*text);
  }
  return out;
}

Result<char> ByteOf(CallContext& context, const Value& value) {
  if (!value.Is(Kind::kInt) && !value.Is(Kind::kBool)) {
    return base::Fail(context.Throw(
        "TypeError", "'" + value.TypeName() + "' object cannot be interpreted as an integer"));
  }
  if (value.AsInt() < 0 || value.AsInt() > 255) {
    return base::Fail(context.Throw("ValueError", "byte must be in range(0, 256)"));
  }
  return static_cast<char>(value.AsInt());
}

Result<Value> MakeBytes(CallContext& context, Args& args) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(context, "bytes", args, 0, 3, {"source", "encoding", "errors"}));
  const Value* source = args.positional.empty() ? KeywordArg(args, "source") : &args.positional[0];
  const bool has_codec = args.positional.size() > 1 || KeywordArg(args, "encoding") != nullptr ||
                         KeywordArg(args, "errors") != nullptr;
  if (source == nullptr) {
    if (has_codec) {
      return base::Fail(context.Throw("TypeError", "encoding or errors without sequence argument"));
    }
    return Value::Bytes("");
  }
  if (source->Is(Kind::kStr)) {
    if (!has_codec) {
      return base::Fail(context.Throw("TypeError", "string argument without an encoding"));
    }
    auto codec = ReadCodecArgs(context, "bytes", args, 1);
    if (!codec) return base::Fail(codec.error());
    auto octets = EncodeText(context, source->AsStr(), codec->encoding, codec->errors);
    if (!octets) return base::Fail(octets.error());
    return Value::Bytes(std::move(*octets));
  }
  if (has_codec) {
    return base::Fail(context.Throw("TypeError", "encoding without a string argument"));
  }
  if (source->Is(Kind::kBytes)) return *source;
  auto special = context.CallSpecialMethod(*source, "__bytes__", {});
  if (!special) return base::Fail(special.error());
  if (*special) {
    if (!(*special)->Is(Kind::kBytes)) {
      return base::Fail(context.Throw("TypeError", "__bytes__ returned non-bytes (type " +
                                                       (*special)->TypeName() + ")"));
    }
    return std::move(**special);
  }
  if (source->Is(Kind::kInt) || source->Is(Kind::kBool)) {
    if (source->AsInt() < 0) return base::Fail(context.Throw("ValueError", "negative count"));
    if (source->AsInt() > static_cast<int64_t>(kMaxStrBytes)) {
      return base::Fail(context.Unsupported("unsupported: a bytes of more than " +
                                            std::to_string(kMaxStrBytes) + " octets"));
    }
    return Value::Bytes(std::string(static_cast<size_t>(source->AsInt()), '\0'));
  }
  if (source->IsNone() || source->IsNumber()) {
    return base::Fail(context.Throw(
        "TypeError", "cannot convert '" + source->TypeName() + "' object to bytes"));
  }
  auto items = IterateValue(context, *source);
  if (!items) return base::Fail(items.error());
  std::string out;
  for (const Value& item : *items) {
    // bytes([300]) words the range error for the whole sequence.
    if (item.Is(Kind::kInt) && (item.AsInt() < 0 || item.AsInt() > 255)) {
      return base::Fail(context.Throw("ValueError", "bytes must be in range(0, 256)"));
    }
    auto octet = ByteOf(context, item);
    if (!octet) return base::Fail(octet.error());
    out += *octet;
  }
  return Value::Bytes(std::move(out));
}

std::optional<MethodFunction> BytesOnlyMethod(std::string_view name) {
  if (name == "decode") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "decode", a, 0, 2, {"encoding", "errors"}));
      auto codec = ReadCodecArgs(c, "decode", a, 0);
      if (!codec) return base::Fail(codec.error());
      auto text = DecodeOctets(c, self.AsBytes(), codec->encoding, codec->errors);
      if (!text) return base::Fail(text.error());
      return Value::Str(std::move(*text));
    };
  }
  if (name == "hex") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "hex", a, 0, 2, {"sep", "bytes_per_sep"}));
      auto text = HexWithSeparator(c, self.AsBytes(), a, 0);
      if (!text) return base::Fail(text.error());
      return Value::Str(std::move(*text));
    };
  }
  if (name == "translate") {
    return [](CallContext& c, const Value& self, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "translate", a, 1, 2, {"delete"}));
      const Value& table = a.positional[0];
      std::string deleted;
      if (const Value* d = a.positional.size() > 1 ? &a.positional[1] : KeywordArg(a, "delete")) {
        auto octets = OctetsArg(c, *d);
        if (!octets) return base::Fail(octets.error());
        deleted = std::move(*octets);
      }
      if (!table.IsNone()) {
        auto octets = OctetsArg(c, table);
        if (!octets) return base::Fail(octets.error());
        if (octets->size() != 256) {
          return base::Fail(c.Throw("ValueError", "translation table must be 256 characters long"));
        }
      }
      std::string out;
      for (char octet : self.AsBytes()) {
        if (deleted.find(octet) != std::string::npos) continue;
        out += table.IsNone() ? octet : table.AsBytes()[static_cast<unsigned char>(octet)];
      }
      return Value::Bytes(std::move(out));
    };
  }
  return std::nullopt;
}

std::optional<Value> BytesTypeAttribute(std::string_view name) {
  if (name == "maketrans") {
    return Value::Builtin("bytes.maketrans", [](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "maketrans", a, 2, 2));
      auto from = OctetsArg(c, a.positional[0]);
      if (!from) return base::Fail(from.error());
      auto to = OctetsArg(c, a.positional[1]);
      if (!to) return base::Fail(to.error());
      if (from->size() != to->size()) {
        return base::Fail(c.Throw("ValueError", "maketrans arguments must have same length"));
      }
      std::string table(256, '\0');
      for (size_t i = 0; i < 256; ++i) table[i] = static_cast<char>(i);
      for (size_t i = 0; i < from->size(); ++i) {
        table[static_cast<unsigned char>((*from)[i])] = (*to)[i];
      }
      return Value::Bytes(std::move(table));
    });
  }
  if (name == "fromhex") {
    return Value::Builtin("bytes.fromhex", [](CallContext& c, Args& a) -> Result<Value> {
      SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "fromhex", a, 1, 1));
      auto text = StrParameter(c, a.positional[0], "fromhex", "string");
      if (!text) return base::Fail(text.error());
      auto digit = [](char ch) {
        if (ch >= '0' && ch <= '9') return ch - '0';
        if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
        if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
        return -1;
      };
      std::string out;
      // Pairs of hex digits; ASCII whitespace may come between the pairs.
      for (size_t i = 0; i < text->size();) {
        char ch = (*text)[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f') {
          ++i;
          continue;
        }
        int high = digit(ch);
        int low = i + 1 < text->size() ? digit((*text)[i + 1]) : -1;
        if (high < 0 || low < 0) {
          size_t at = high < 0 ? i : i + 1;
          return base::Fail(c.Throw("ValueError",
                                    "non-hexadecimal number found in fromhex() arg at position " +
                                        std::to_string(at)));
        }
        out += static_cast<char>(high * 16 + low);
        i += 2;
      }
      return Value::Bytes(std::move(out));
    });
  }
  return std::nullopt;
}

}  // namespace sqlmend::python
