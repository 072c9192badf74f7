#include "python/base64_module.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "python/builtins.h"
#include "python/bytes_type.h"
#include "python/format.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kBase32HexAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
constexpr std::string_view kBase85Alphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
// Ascii85's digits: '!' (33) to 'u' (117).
constexpr std::string_view kAscii85Alphabet =
    "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstu";
// base64.encodebytes() writes lines of 76 characters: 57 input octets each.
constexpr size_t kOctetsPerLine = 57;

std::shared_ptr<ClassObject> NewClass(std::string name, const std::string& base) {
  auto class_object = std::make_shared<ClassObject>();
  class_object->name = name;
  class_object->bases.push_back(ExceptionClass(base));
  class_object->attributes["__name__"] = Value::Str(std::move(name));
  class_object->attributes["__module__"] = Value::Str("binascii");
  return class_object;
}

// binascii.Error, a subclass of ValueError; one class for the process, as
// the module is one object in Python.
const std::shared_ptr<ClassObject>& ErrorClass() {
  static const auto* error = new std::shared_ptr<ClassObject>(NewClass("Error", "ValueError"));
  return *error;
}

const std::shared_ptr<ClassObject>& IncompleteClass() {
  static const auto* incomplete =
      new std::shared_ptr<ClassObject>(NewClass("Incomplete", "Exception"));
  return *incomplete;
}

base::Status ThrowError(CallContext& context, std::string message) {
  return context.ThrowValue(MakeException(ErrorClass(), std::move(message)));
}

// A Python def's binding of `args` to `names` (positional or keyword, the
// first `required` of them required), with a def's TypeErrors. The result
// holds one pointer per name, nullptr where the call gave none.
Result<std::vector<const Value*>> Bind(CallContext& context, std::string_view function,
                                       const Args& args,
                                       std::initializer_list<std::string_view> names,
                                       size_t required) {
  const std::string prefix = std::string(function) + "() ";
  std::vector<std::string_view> list(names);
  if (args.positional.size() > list.size()) {
    std::string takes = required == list.size() ? std::to_string(required)
                                                 : "from " + std::to_string(required) + " to " +
                                                       std::to_string(list.size());
    return base::Fail(context.Throw(
        "TypeError", prefix + "takes " + takes + " positional argument" +
                         (list.size() == 1 ? "" : "s") + " but " +
                         std::to_string(args.positional.size()) +
                         (args.positional.size() == 1 ? " was" : " were") + " given"));
  }
  std::vector<const Value*> bound(list.size(), nullptr);
  for (size_t i = 0; i < args.positional.size(); ++i) bound[i] = &args.positional[i];
  for (const auto& [name, value] : args.keywords) {
    size_t i = 0;
    while (i < list.size() && list[i] != name) ++i;
    if (i == list.size()) {
      return base::Fail(context.Throw(
          "TypeError", prefix + "got an unexpected keyword argument '" + name + "'"));
    }
    if (bound[i] != nullptr) {
      return base::Fail(
          context.Throw("TypeError", prefix + "got multiple values for argument '" + name + "'"));
    }
    bound[i] = &value;
  }
  for (size_t i = 0; i < required; ++i) {
    if (bound[i] == nullptr) {
      return base::Fail(context.Throw("TypeError", prefix +
                                                       "missing 1 required positional argument: '" +
                                                       std::string(list[i]) + "'"));
    }
  }
  return bound;
}

bool Given(const Value* value) { return value != nullptr && !value->IsNone(); }

Result<bool> Flag(CallContext& context, const Value* value) {
  if (value == nullptr) return false;
  return context.Truth(*value);
}

// base64's _bytes_from_decode_data(): what the decoders accept.
Result<std::string> DecodeData(CallContext& context, const Value& value) {
  if (value.Is(Kind::kBytes)) return value.AsBytes();
  if (value.Is(Kind::kStr)) {
    for (unsigned char c : value.AsStr()) {
      if (c >= 0x80) {
        return base::Fail(
            context.Throw("ValueError", "string argument should contain only ASCII characters"));
      }
    }
    return value.AsStr();
  }
  return base::Fail(context.Throw("TypeError",
                                  "argument should be a bytes-like object or ASCII string, not '" +
                                      value.TypeName() + "'"));
}

// binascii's converter for the a2b_* functions: bytes or an ASCII str.
Result<std::string> AsciiData(CallContext& context, const Value& value) {
  if (!value.Is(Kind::kBytes) && !value.Is(Kind::kStr)) {
    return base::Fail(context.Throw("TypeError", "argument should be bytes, buffer or ASCII string, "
                                                 "not '" +
                                                     value.TypeName() + "'"));
  }
  return DecodeData(context, value);
}

// memoryview(value).tobytes(), which base32 and base85 encoding start with.
Result<std::string> ViewBytes(CallContext& context, const Value& value) {
  if (value.Is(Kind::kBytes)) return value.AsBytes();
  return base::Fail(context.Throw(
      "TypeError", "memoryview: a bytes-like object is required, not '" + value.TypeName() + "'"));
}

std::string EncodeBase64(std::string_view octets, bool newline) {
  std::string out;
  out.reserve((octets.size() + 2) / 3 * 4 + 1);
  size_t i = 0;
  for (; i + 3 <= octets.size(); i += 3) {
    uint32_t group = static_cast<uint8_t>(octets[i]) << 16 |
                     static_cast<uint8_t>(octets[i + 1]) << 8 | static_cast<uint8_t>(octets[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kBase64Alphabet[(group >> shift) & 0x3f];
  }
  if (size_t rest = octets.size() - i; rest > 0) {
    uint32_t group = static_cast<uint8_t>(octets[i]) << 16;
    if (rest == 2) group |= static_cast<uint8_t>(octets[i + 1]) << 8;
    out += kBase64Alphabet[group >> 18];
    out += kBase64Alphabet[(group >> 12) & 0x3f];
    out += rest == 2 ? kBase64Alphabet[(group >> 6) & 0x3f] : '=';
    out += '=';
  }
  if (newline) out += '\n';
  return out;
}

// binascii.a2b_base64(). Without `strict`, characters outside the alphabet
// are skipped and decoding ends at the first complete pad ("==" after two
// characters of a quad, "=" after three); with it, they are errors.
Result<std::string> DecodeBase64(CallContext& context, std::string_view text, bool strict) {
  static const std::array<int8_t, 256> kValue = [] {
    std::array<int8_t, 256> table{};
    table.fill(-1);
    for (size_t i = 0; i < kBase64Alphabet.size(); ++i) {
      table[static_cast<uint8_t>(kBase64Alphabet[i])] = static_cast<int8_t>(i);
    }
    return table;
  }();
  if (strict && !text.empty() && text[0] == '=') {
    return base::Fail(ThrowError(context, "Leading padding not allowed"));
  }
  std::string out;
  int quad_position = 0;
  uint32_t left = 0;
  int pads = 0;
  bool padding_started = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<uint8_t>(text[i]);
    if (c == '=') {
      padding_started = true;
      if (quad_position >= 2 && quad_position + ++pads >= 4) {
        if (strict && i + 1 < text.size()) {
          return base::Fail(ThrowError(context, "Excess data after padding"));
        }
        return out;
      }
      continue;
    }
    const int value = kValue[c];
    if (value < 0) {
      if (strict) return base::Fail(ThrowError(context, "Only base64 data is allowed"));
      continue;
    }
    if (strict && padding_started) {
      return base::Fail(ThrowError(context, "Discontinuous padding not allowed"));
    }
    pads = 0;
    switch (quad_position) {
      case 0:
        left = static_cast<uint32_t>(value);
        break;
      case 1:
        out += static_cast<char>(left << 2 | static_cast<uint32_t>(value) >> 4);
        left = static_cast<uint32_t>(value) & 0x0f;
        break;
      case 2:
        out += static_cast<char>(left << 4 | static_cast<uint32_t>(value) >> 2);
        left = static_cast<uint32_t>(value) & 0x03;
        break;
      default:
        out += static_cast<char>(left << 6 | static_cast<uint32_t>(value));
        left = 0;
        break;
    }
    quad_position = (quad_position + 1) % 4;
  }
  if (quad_position == 1) {
    return base::Fail(ThrowError(
        context, "Invalid base64-encoded string: number of data characters (" +
                     std::to_string(out.size() / 3 * 4 + 1) +
                     ") cannot be 1 more than a multiple of 4"));
  }
  if (quad_position != 0) return base::Fail(ThrowError(context, "Incorrect padding"));
  return out;
}

// bytes.translate(bytes.maketrans(from, to)) for two-octet `from`/`to`.
std::string Translate(std::string text, std::string_view from, std::string_view to) {
  for (char& c : text) {
    if (c == from[0]) {
      c = to[0];
    } else if (c == from[1]) {
      c = to[1];
    }
  }
  return text;
}

// `assert len(chars) == size, repr(chars)` for altchars= and map01=.
base::Status CheckLength(CallContext& context, const Value& chars, size_t size) {
  size_t length = 0;
  if (chars.IsText()) {
    length = chars.Is(Kind::kBytes) ? chars.AsBytes().size() : CodePointCount(chars.AsStr());
  } else if (chars.IsSequence()) {
    length = chars.Items().size();
  } else {
    return context.Throw("TypeError", "object of type '" + chars.TypeName() + "' has no len()");
  }
  if (length != size) return context.Throw("AssertionError", Repr(chars));
  return base::Status::Ok();
}

std::string EncodeBase32(std::string_view octets, std::string_view alphabet) {
  std::string out;
  for (size_t i = 0; i < octets.size(); i += 5) {
    uint64_t group = 0;
    for (size_t k = 0; k < 5; ++k) {
      group = group << 8 | (i + k < octets.size() ? static_cast<uint8_t>(octets[i + k]) : 0);
    }
    for (int shift = 35; shift >= 0; shift -= 5) out += alphabet[(group >> shift) & 0x1f];
  }
  // 1, 2, 3 or 4 octets in the last group leave 6, 4, 3 or 1 pad characters.
  static constexpr size_t kPads[] = {0, 6, 4, 3, 1};
  size_t pads = kPads[octets.size() % 5];
  out.replace(out.size() - pads, pads, pads, '=');
  return out;
}

// base64._b32decode().
Result<std::string> DecodeBase32(CallContext& context, std::string text,
                                 std::string_view alphabet, bool casefold,
                                 const Value* map01) {
  if (text.size() % 8 != 0) return base::Fail(ThrowError(context, "Incorrect padding"));
  if (Given(map01)) {
    auto letter = DecodeData(context, *map01);
    if (!letter) return base::Fail(letter.error());
    SQLMEND_RETURN_IF_ERROR(CheckLength(context, Value::Bytes(*letter), 1));
    text = Translate(std::move(text), "01", "O" + *letter);
  }
  if (casefold) {
    for (char& c : text) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
  }
  const size_t length = text.size();
  while (!text.empty() && text.back() == '=') text.pop_back();
  const size_t pads = length - text.size();
  std::string out;
  uint64_t group = 0;
  for (size_t i = 0; i < text.size(); i += 8) {
    group = 0;
    for (size_t k = i; k < i + 8 && k < text.size(); ++k) {
      size_t value = alphabet.find(text[k]);
      if (value == std::string_view::npos) {
        return base::Fail(ThrowError(context, "Non-base32 digit found"));
      }
      group = group << 5 | value;
    }
    for (int shift = 32; shift >= 0; shift -= 8) out += static_cast<char>((group >> shift) & 0xff);
  }
  if (pads != 0 && pads != 1 && pads != 3 && pads != 4 && pads != 6) {
    return base::Fail(ThrowError(context, "Incorrect padding"));
  }
  if (pads != 0 && !out.empty()) {
    group <<= 5 * pads;
    const size_t kept = (43 - 5 * pads) / 8;
    out.resize(out.size() - 5);
    for (size_t k = 0; k < kept; ++k) out += static_cast<char>((group >> (32 - 8 * k)) & 0xff);
  }
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> HexToOctets(CallContext& context, std::string_view text) {
  if (text.size() % 2 != 0) return base::Fail(ThrowError(context, "Odd-length string"));
  std::string out;
  for (size_t i = 0; i < text.size(); i += 2) {
    int high = HexDigit(text[i]);
    int low = HexDigit(text[i + 1]);
    if (high < 0 || low < 0) return base::Fail(ThrowError(context, "Non-hexadecimal digit found"));
    out += static_cast<char>(high << 4 | low);
  }
  return out;
}

uint32_t Crc32(std::string_view octets, uint32_t crc) {
  static const std::array<uint32_t, 256> kTable = [] {
    std::array<uint32_t, 256> table{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
      table[n] = c;
    }
    return table;
  }();
  crc = ~crc;
  for (unsigned char octet : octets) crc = kTable[(crc ^ octet) & 0xff] ^ (crc >> 8);
  return ~crc;
}

// base64._85encode(): big-endian 32-bit words as five digits of
// `alphabet` (85 characters); with `fold_nulls` a zero word is "z" and with
// `fold_spaces` four spaces are "y" (Ascii85's short forms). Without `pad`,
// the digits of the zero octets that fill the last word are dropped.
std::string EncodeBase85(std::string_view octets, bool pad, std::string_view alphabet,
                         bool fold_nulls, bool fold_spaces) {
  const size_t padding = (4 - octets.size() % 4) % 4;
  std::string out;
  std::string chunk;
  for (size_t i = 0; i < octets.size(); i += 4) {
    uint32_t word = 0;
    for (size_t k = 0; k < 4; ++k) {
      word = word << 8 | (i + k < octets.size() ? static_cast<uint8_t>(octets[i + k]) : 0);
    }
    if (fold_nulls && word == 0) {
      chunk = "z";
    } else if (fold_spaces && word == 0x20202020) {
      chunk = "y";
    } else {
      chunk.assign(5, ' ');
      for (int k = 4; k >= 0; --k) {
        chunk[static_cast<size_t>(k)] = alphabet[word % 85];
        word /= 85;
      }
    }
    out += chunk;
  }
  if (padding != 0 && !pad) {
    // The last word, a "z" written out, less the padding's digits.
    if (chunk == "z") out.replace(out.size() - 1, 1, std::string(5, alphabet[0]));
    out.resize(out.size() - padding);
  }
  return out;
}

// base64.a85decode() after the Adobe frame is taken off.
Result<std::string> DecodeAscii85(CallContext& context, std::string_view text, bool fold_spaces,
                                  std::string_view ignored) {
  std::string out;
  std::string group;
  const std::string padded = std::string(text) + "uuuu";
  for (char c : padded) {
    if (c >= '!' && c <= 'u') {
      group += c;
      if (group.size() < 5) continue;
      uint64_t value = 0;
      for (char digit : group) value = value * 85 + static_cast<uint64_t>(digit - '!');
      if (value > UINT32_MAX) return base::Fail(context.Throw("ValueError", "Ascii85 overflow"));
      for (int shift = 24; shift >= 0; shift -= 8) {
        out += static_cast<char>((value >> shift) & 0xff);
      }
      group.clear();
    } else if (c == 'z' || (fold_spaces && c == 'y')) {
      if (!group.empty()) {
        return base::Fail(context.Throw("ValueError",
                                        std::string(1, c) + " inside Ascii85 5-tuple"));
      }
      out.append(4, c == 'z' ? '\0' : ' ');
    } else if (ignored.find(c) == std::string_view::npos) {
      return base::Fail(context.Throw("ValueError", std::string("Non-Ascii85 digit found: ") + c));
    }
  }
  out.resize(out.size() - (4 - group.size()));
  return out;
}

Result<std::string> DecodeBase85(CallContext& context, std::string text) {
  const size_t padding = (5 - text.size() % 5) % 5;
  text.append(padding, '~');
  std::string out;
  for (size_t i = 0; i < text.size(); i += 5) {
    uint64_t value = 0;
    for (size_t k = i; k < i + 5; ++k) {
      size_t digit = kBase85Alphabet.find(text[k]);
      if (digit == std::string_view::npos) {
        return base::Fail(context.Throw("ValueError",
                                        "bad base85 character at position " + std::to_string(k)));
      }
      value = value * 85 + digit;
    }
    if (value > UINT32_MAX) {
      return base::Fail(context.Throw(
          "ValueError", "base85 overflow in hunk starting at byte " + std::to_string(i)));
    }
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xff);
  }
  out.resize(out.size() - padding);
  return out;
}

using Function = Result<Value> (*)(CallContext&, Args&);

void Add(ModuleObject& module, const std::string& name, Function function) {
  module.attributes[name] = Value::Builtin(module.name + "." + name, function);
}

// b64encode(s, altchars=None) and the functions built on it.
Result<Value> B64Encode(CallContext& c, const Value& data, const Value* altchars) {
  auto octets = OctetsArg(c, data);
  if (!octets) return base::Fail(octets.error());
  std::string out = EncodeBase64(*octets, false);
  if (Given(altchars)) {
    SQLMEND_RETURN_IF_ERROR(CheckLength(c, *altchars, 2));
    auto to = OctetsArg(c, *altchars);
    if (!to) return base::Fail(to.error());
    out = Translate(std::move(out), "+/", *to);
  }
  return Value::Bytes(std::move(out));
}

Result<Value> B64Decode(CallContext& c, const Value& data, const Value* altchars, bool validate) {
  auto text = DecodeData(c, data);
  if (!text) return base::Fail(text.error());
  if (Given(altchars)) {
    auto from = DecodeData(c, *altchars);
    if (!from) return base::Fail(from.error());
    SQLMEND_RETURN_IF_ERROR(CheckLength(c, Value::Bytes(*from), 2));
    *text = Translate(std::move(*text), *from, "+/");
  }
  auto out = DecodeBase64(c, *text, validate);
  if (!out) return base::Fail(out.error());
  return Value::Bytes(std::move(*out));
}

// encodebytes()/decodebytes()' _input_type_check().
Result<std::string> InputBytes(CallContext& c, const Value& data) {
  if (data.Is(Kind::kBytes)) return data.AsBytes();
  return base::Fail(
      c.Throw("TypeError", "expected bytes-like object, not " + data.TypeName()));
}

Result<Value> Base32Decode(CallContext& c, Args& a, const char* name,
                           std::string_view alphabet, bool with_map01) {
  auto bound = with_map01 ? Bind(c, name, a, {"s", "casefold", "map01"}, 1)
                          : Bind(c, name, a, {"s", "casefold"}, 1);
  if (!bound) return base::Fail(bound.error());
  auto text = DecodeData(c, *(*bound)[0]);
  if (!text) return base::Fail(text.error());
  auto casefold = Flag(c, (*bound)[1]);
  if (!casefold) return base::Fail(casefold.error());
  auto out = DecodeBase32(c, std::move(*text), alphabet, *casefold,
                          with_map01 ? (*bound)[2] : nullptr);
  if (!out) return base::Fail(out.error());
  return Value::Bytes(std::move(*out));
}

Result<Value> Base32Encode(CallContext& c, Args& a, const char* name,
                           std::string_view alphabet) {
  auto bound = Bind(c, name, a, {"s"}, 1);
  if (!bound) return base::Fail(bound.error());
  auto octets = ViewBytes(c, *(*bound)[0]);
  if (!octets) return base::Fail(octets.error());
  return Value::Bytes(EncodeBase32(*octets, alphabet));
}

Result<Value> Hexlify(CallContext& c, Args& a, const char* name) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, name, a, 1, 3, {"sep", "bytes_per_sep"}));
  auto octets = OctetsArg(c, a.positional[0]);
  if (!octets) return base::Fail(octets.error());
  auto text = HexWithSeparator(c, *octets, a, 1);
  if (!text) return base::Fail(text.error());
  return Value::Bytes(std::move(*text));
}

Result<Value> Unhexlify(CallContext& c, Args& a, const char* name) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, name, a, 1, 1));
  auto text = AsciiData(c, a.positional[0]);
  if (!text) return base::Fail(text.error());
  auto out = HexToOctets(c, *text);
  if (!out) return base::Fail(out.error());
  return Value::Bytes(std::move(*out));
}

}  // namespace

Value MakeBinasciiModule() {
  auto module = std::make_shared<ModuleObject>();
  module->name = "binascii";
  ModuleObject& m = *module;
  m.attributes["Error"] = Value::Class(ErrorClass());
  m.attributes["Incomplete"] = Value::Class(IncompleteClass());
  Add(m, "hexlify", [](CallContext& c, Args& a) { return Hexlify(c, a, "hexlify"); });
  Add(m, "b2a_hex", [](CallContext& c, Args& a) { return Hexlify(c, a, "b2a_hex"); });
  Add(m, "unhexlify", [](CallContext& c, Args& a) { return Unhexlify(c, a, "unhexlify"); });
  Add(m, "a2b_hex", [](CallContext& c, Args& a) { return Unhexlify(c, a, "a2b_hex"); });
  Add(m, "b2a_base64", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "b2a_base64", a, 1, 1, {"newline"}));
    auto octets = OctetsArg(c, a.positional[0]);
    if (!octets) return base::Fail(octets.error());
    const Value* newline = KeywordArg(a, "newline");
    auto with_newline = newline == nullptr ? Result<bool>(true) : c.Truth(*newline);
    if (!with_newline) return base::Fail(with_newline.error());
    return Value::Bytes(EncodeBase64(*octets, *with_newline));
  });
  Add(m, "a2b_base64", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "a2b_base64", a, 1, 1, {"strict_mode"}));
    auto text = AsciiData(c, a.positional[0]);
    if (!text) return base::Fail(text.error());
    auto strict = Flag(c, KeywordArg(a, "strict_mode"));
    if (!strict) return base::Fail(strict.error());
    auto out = DecodeBase64(c, *text, *strict);
    if (!out) return base::Fail(out.error());
    return Value::Bytes(std::move(*out));
  });
  Add(m, "crc32", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "crc32", a, 1, 2));
    auto octets = OctetsArg(c, a.positional[0]);
    if (!octets) return base::Fail(octets.error());
    uint32_t start = 0;
    if (a.positional.size() > 1) {
      const Value& crc = a.positional[1];
      if (!crc.Is(Kind::kInt) && !crc.Is(Kind::kBool)) {
        return base::Fail(c.Throw("TypeError", "'" + crc.TypeName() +
                                                   "' object cannot be interpreted as an integer"));
      }
      start = static_cast<uint32_t>(crc.AsInt());  // Python masks it to 32 bits too
    }
    return Value::Int(Crc32(*octets, start));
  });
  return Value::Module(module);
}

Value MakeBase64Module() {
  auto module = std::make_shared<ModuleObject>();
  module->name = "base64";
  ModuleObject& m = *module;
  m.attributes["binascii"] = MakeBinasciiModule();
  m.attributes["MAXLINESIZE"] = Value::Int(76);
  m.attributes["MAXBINSIZE"] = Value::Int(static_cast<int64_t>(kOctetsPerLine));
  Add(m, "b64encode", [](CallContext& c, Args& a) -> Result<Value> {
    auto bound = Bind(c, "b64encode", a, {"s", "altchars"}, 1);
    if (!bound) return base::Fail(bound.error());
    return B64Encode(c, *(*bound)[0], (*bound)[1]);
  });
  Add(m, "b64decode", [](CallContext& c, Args& a) -> Result<Value> {
    auto bound = Bind(c, "b64decode", a, {"s", "altchars", "validate"}, 1);
    if (!bound) return base::Fail(bound.error());
    auto validate = Flag(c, (*bound)[2]);
    if (!validate) return base::Fail(validate.error());
    return B64Decode(c, *(*bound)[0], (*bound)[1], *validate);
  });
  Add(m, "standard_b64encode", [](CallContext& c, Args& a) -> Result<Value> {
    auto bound = Bind(c, "standard_b64encode", a, {"s"}, 1);
    if (!bound) return base::Fail(bound.error());
    return B64Encode(c, *(*bound)[0], nullptr);
  });
  Add(m, "standard_b64decode", [](CallContext& c, Args& a) -> Result<Value> {
    auto bound = Bind(c, "standard_b64decode", a, {"s"}, 1);
    if (!bound) return base::Fail(bound.error());
    return B64Decode(c, *(*bound)[0], nullptr, false);
  });
  Add(m, "urlsafe_b64encode", [](CallContext& c, Args& a) -> Result<Value> {
    auto bound = Bind(c, "urlsafe_b64encode", a, {"s"}, 1);
    if (!bound) return base::Fail(bound.error());
    Value alt = Value::Bytes("-_");
    return B64Encode(c, *(*bound)[0], &alt);
  });
  Add(m, "urlsafe_b64decode", [](CallContext& c, Args& a) -> Result<Value> {
    auto bound = Bind(c, "urlsafe_b64decode", a, {"s"}, 1);
    if (!bound) return base::Fail(bound.error());
    auto text = DecodeData(c, *(*bound)[0]);
    if (!text) return base::Fail(text.error());
    return B64Decode(c, Value::Bytes(Translate(std::move(*text), "-_", "+/")), nullptr, false);
  });
  Add(m, "b32encode", [](CallContext& c, Args& a) {
    return Base32Encode(c, a, "b32encode", kBase32Alphabet);
  });
  Add(m, "b32hexencode", [](CallContext& c, Args& a) {
    return Base32Encode(c, a, "b32hexencode", kBase32HexAlphabet);
  });
  Add(m, "b32decode", [](CallContext& c, Args& a) {
    return Base32Decode(c, a, "b32decode", kBase32Alphabet, true);
  });
  Add(m, "b32hexdecode", [](CallContext& c, Args& a) {
    return Base32Decode(c, a, "b32hexdecode", kBase32HexAlphabet, false);
  });
  Add(m, "b16encode", [](CallContext& c, Args& a) -> Result<Value> {
    auto bound = Bind(c, "b16encode", a, {"s"}, 1);
    if (!bound) return base::Fail(bound.error());
    auto octets = OctetsArg(c, *(*bound)[0]);
    if (!octets) return base::Fail(octets.error());
    std::string out;
    for (unsigned char octet : *octets) {
      out += "0123456789ABCDEF"[octet >> 4];
      out += "0123456789ABCDEF"[octet & 0xf];
    }
    return Value::Bytes(std::move(out));
  });
  Add(m, "b16decode", [](CallContext& c, Args& a) -> Result<Value> {
    auto bound = Bind(c, "b16decode", a, {"s", "casefold"}, 1);
    if (!bound) return base::Fail(bound.error());
    auto text = DecodeData(c, *(*bound)[0]);
    if (!text) return base::Fail(text.error());
    auto casefold = Flag(c, (*bound)[1]);
    if (!casefold) return base::Fail(casefold.error());
    for (char& ch : *text) {
      if (*casefold && ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
      if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F'))) {
        return base::Fail(ThrowError(c, "Non-base16 digit found"));
      }
    }
    auto out = HexToOctets(c, *text);
    if (!out) return base::Fail(out.error());
    return Value::Bytes(std::move(*out));
  });
  Add(m, "b85encode", [](CallContext& c, Args& a) -> Result<Value> {
    auto bound = Bind(c, "b85encode", a, {"b", "pad"}, 1);
    if (!bound) return base::Fail(bound.error());
    auto octets = ViewBytes(c, *(*bound)[0]);
    if (!octets) return base::Fail(octets.error());
    auto pad = Flag(c, (*bound)[1]);
    if (!pad) return base::Fail(pad.error());
    return Value::Bytes(EncodeBase85(*octets, *pad, kBase85Alphabet, false, false));
  });
  Add(m, "b85decode", [](CallContext& c, Args& a) -> Result<Value> {
    auto bound = Bind(c, "b85decode", a, {"b"}, 1);
    if (!bound) return base::Fail(bound.error());
    auto text = DecodeData(c, *(*bound)[0]);
    if (!text) return base::Fail(text.error());
    auto out = DecodeBase85(c, std::move(*text));
    if (!out) return base::Fail(out.error());
    return Value::Bytes(std::move(*out));
  });
  Add(m, "a85encode", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(
        CheckArgs(c, "a85encode", a, 1, 1, {"foldspaces", "wrapcol", "pad", "adobe"}));
    auto octets = ViewBytes(c, a.positional[0]);
    if (!octets) return base::Fail(octets.error());
    bool flags[3] = {false, false, false};
    const char* names[3] = {"foldspaces", "pad", "adobe"};
    for (size_t i = 0; i < 3; ++i) {
      auto flag = Flag(c, KeywordArg(a, names[i]));
      if (!flag) return base::Fail(flag.error());
      flags[i] = *flag;
    }
    const auto [fold_spaces, pad, adobe] = flags;
    int64_t wrap = 0;
    if (const Value* given = KeywordArg(a, "wrapcol")) {
      if (!given->Is(Kind::kInt) && !given->Is(Kind::kBool)) {
        return base::Fail(c.Unsupported("unsupported: a85encode(wrapcol=) of a " +
                                        given->TypeName()));
      }
      wrap = given->AsInt();
    }
    std::string out = EncodeBase85(*octets, pad, kAscii85Alphabet, true, fold_spaces);
    if (adobe) out.insert(0, "<~");
    if (wrap != 0) {
      const auto width = static_cast<size_t>(std::max<int64_t>(adobe ? 2 : 1, wrap));
      std::vector<std::string> lines;
      for (size_t i = 0; i < out.size(); i += width) lines.push_back(out.substr(i, width));
      if (adobe && lines.back().size() + 2 > width) lines.emplace_back();
      out.clear();
      for (size_t i = 0; i < lines.size(); ++i) out += (i == 0 ? "" : "\n") + lines[i];
    }
    if (adobe) out += "~>";
    return Value::Bytes(std::move(out));
  });
  Add(m, "a85decode", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(
        CheckArgs(c, "a85decode", a, 1, 1, {"foldspaces", "adobe", "ignorechars"}));
    auto text = DecodeData(c, a.positional[0]);
    if (!text) return base::Fail(text.error());
    auto fold_spaces = Flag(c, KeywordArg(a, "foldspaces"));
    if (!fold_spaces) return base::Fail(fold_spaces.error());
    auto adobe = Flag(c, KeywordArg(a, "adobe"));
    if (!adobe) return base::Fail(adobe.error());
    std::string ignored = " \t\n\r\v";
    if (const Value* given = KeywordArg(a, "ignorechars")) {
      auto octets = OctetsArg(c, *given);
      if (!octets) return base::Fail(octets.error());
      ignored = *octets;
    }
    std::string_view body = *text;
    if (*adobe) {
      if (!body.ends_with("~>")) {
        return base::Fail(c.Throw("ValueError",
                                  "Ascii85 encoded byte sequences must end with b'~>'"));
      }
      body.remove_suffix(2);
      if (body.starts_with("<~")) body.remove_prefix(2);
    }
    auto out = DecodeAscii85(c, body, *fold_spaces, ignored);
    if (!out) return base::Fail(out.error());
    return Value::Bytes(std::move(*out));
  });
  Add(m, "encodebytes", [](CallContext& c, Args& a) -> Result<Value> {
    auto bound = Bind(c, "encodebytes", a, {"s"}, 1);
    if (!bound) return base::Fail(bound.error());
    auto octets = InputBytes(c, *(*bound)[0]);
    if (!octets) return base::Fail(octets.error());
    std::string out;
    for (size_t i = 0; i < octets->size(); i += kOctetsPerLine) {
      out += EncodeBase64(std::string_view(*octets).substr(i, kOctetsPerLine), true);
    }
    return Value::Bytes(std::move(out));
  });
  Add(m, "decodebytes", [](CallContext& c, Args& a) -> Result<Value> {
    auto bound = Bind(c, "decodebytes", a, {"s"}, 1);
    if (!bound) return base::Fail(bound.error());
    auto text = InputBytes(c, *(*bound)[0]);
    if (!text) return base::Fail(text.error());
    auto out = DecodeBase64(c, *text, false);
    if (!out) return base::Fail(out.error());
    return Value::Bytes(std::move(*out));
  });
  return Value::Module(module);
}

}  // namespace sqlmend::python
