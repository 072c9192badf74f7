#include "python/secrets_module.h"

#include <sys/random.h>

#include <memory>

#include "python/args.h"
#include "python/builtins.h"

namespace sqlmend::python {

namespace {

using base::Result;
using Kind = Value::Kind;

constexpr char kHex[] = "0123456789abcdef";

// secrets' default token size (secrets.DEFAULT_ENTROPY).
constexpr int64_t kDefaultEntropy = 32;

Result<size_t> TokenSize(CallContext& c, const Args& a, const char* name) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, name, a, 0, 1, {"nbytes"}));
  const Value* given = a.positional.empty() ? KeywordArg(a, "nbytes") : &a.positional[0];
  if (given == nullptr || given->IsNone()) return static_cast<size_t>(kDefaultEntropy);
  if (!given->Is(Kind::kInt) || given->AsInt() < 0 || given->AsInt() > 1 << 20) {
    return base::Fail(c.Throw("ValueError", std::string(name) + "(): nbytes must be a small "
                                                               "non-negative int"));
  }
  return static_cast<size_t>(given->AsInt());
}

uint64_t RandomBelow(uint64_t bound) {
  // Rejection sampling keeps the result uniform.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  while (true) {
    std::string bytes = RandomBytes(8);
    uint64_t value = 0;
    for (unsigned char byte : bytes) value = value << 8 | byte;
    if (value < limit) return value % bound;
  }
}

}  // namespace

std::string RandomBytes(size_t count) {
  std::string out(count, '\0');
  size_t filled = 0;
  while (filled < count) {
    ssize_t got = ::getrandom(out.data() + filled, count - filled, 0);
    if (got > 0) filled += static_cast<size_t>(got);
  }
  return out;
}

std::string RandomHex(size_t count, bool uuid4) {
  std::string bytes = RandomBytes(count);
  if (uuid4 && count == 16) {
    bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);
    bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);
  }
  std::string out;
  for (unsigned char byte : bytes) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0xf];
  }
  return out;
}

Value MakeSecretsModule() {
  auto module = std::make_shared<ModuleObject>();
  module->name = "secrets";
  module->attributes["token_hex"] =
      Value::Builtin("token_hex", [](CallContext& c, Args& a) -> Result<Value> {
        auto size = TokenSize(c, a, "token_hex");
        if (!size) return base::Fail(size.error());
        return Value::Str(RandomHex(*size));
      });
  module->attributes["token_urlsafe"] =
      Value::Builtin("token_urlsafe", [](CallContext& c, Args& a) -> Result<Value> {
        auto size = TokenSize(c, a, "token_urlsafe");
        if (!size) return base::Fail(size.error());
        // base64.urlsafe_b64encode without the '=' padding.
        static constexpr char kAlphabet[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        std::string bytes = RandomBytes(*size);
        std::string out;
        uint32_t buffer = 0;
        int bits = 0;
        for (unsigned char byte : bytes) {
          buffer = buffer << 8 | byte;
          bits += 8;
          while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(buffer >> bits) & 0x3f];
          }
        }
        if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3f];
        return Value::Str(out);
      });
  module->attributes["token_bytes"] =
      Value::Builtin("token_bytes", [](CallContext& c, Args& a) -> Result<Value> {
        auto size = TokenSize(c, a, "token_bytes");
        if (!size) return base::Fail(size.error());
        return Value::Bytes(RandomBytes(*size));
      });
  module->attributes["randbits"] =
      Value::Builtin("randbits", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "randbits", a, 1, 1));
        if (!a.positional[0].Is(Kind::kInt) || a.positional[0].AsInt() < 0 ||
            a.positional[0].AsInt() > 62) {
          return base::Fail(c.Unsupported(
              "unsupported: secrets.randbits() of more than 62 bits (sqlmend's ints are 64-bit)"));
        }
        const int64_t bits = a.positional[0].AsInt();
        return Value::Int(bits == 0 ? 0 : static_cast<int64_t>(RandomBelow(uint64_t{1} << bits)));
      });
  module->attributes["randbelow"] =
      Value::Builtin("randbelow", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "randbelow", a, 1, 1));
        if (!a.positional[0].Is(Kind::kInt) || a.positional[0].AsInt() <= 0) {
          return base::Fail(c.Throw("ValueError", "Upper bound must be positive."));
        }
        return Value::Int(
            static_cast<int64_t>(RandomBelow(static_cast<uint64_t>(a.positional[0].AsInt()))));
      });
  module->attributes["choice"] =
      Value::Builtin("choice", [](CallContext& c, Args& a) -> Result<Value> {
        SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "choice", a, 1, 1));
        auto items = IterateValue(c, a.positional[0]);
        if (!items) return base::Fail(items.error());
        if (items->empty()) {
          return base::Fail(c.Throw("IndexError", "Cannot choose from an empty sequence"));
        }
        return (*items)[RandomBelow(items->size())];
      });
  return Value::Module(module);
}

}  // namespace sqlmend::python
