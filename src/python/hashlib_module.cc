// The native half of `hashlib` and `hmac` (hashlib_module.h), over
// OpenSSL's EVP digests.
#include "python/hashlib_module.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "python/builtins.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;

// hashlib's names and OpenSSL's for them.
struct Algorithm {
  std::string_view python;
  const char* openssl;
};

constexpr Algorithm kAlgorithms[] = {
    {"md5", "MD5"},
    {"sha1", "SHA1"},
    {"sha224", "SHA224"},
    {"sha256", "SHA256"},
    {"sha384", "SHA384"},
    {"sha512", "SHA512"},
    {"sha512_224", "SHA512-224"},
    {"sha512_256", "SHA512-256"},
    {"sha3_224", "SHA3-224"},
    {"sha3_256", "SHA3-256"},
    {"sha3_384", "SHA3-384"},
    {"sha3_512", "SHA3-512"},
    {"blake2b", "BLAKE2B-512"},
    {"blake2s", "BLAKE2S-256"},
};

// The digest `name` names (any case, '-' for '_', as hashlib.new() takes
// them), or a ValueError as CPython raises it.
Result<const EVP_MD*> Digest(CallContext& c, const Value& name) {
  if (!name.Is(Kind::kStr)) {
    return base::Fail(c.Throw("TypeError", "hash name must be a str, not " + name.TypeName()));
  }
  std::string key = name.AsStr();
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char ch) {
    return ch == '-' ? '_' : static_cast<char>(std::tolower(ch));
  });
  for (const Algorithm& algorithm : kAlgorithms) {
    if (algorithm.python != key) continue;
    if (const EVP_MD* md = EVP_get_digestbyname(algorithm.openssl)) return md;
  }
  return base::Fail(c.Throw("ValueError", "unsupported hash type " + name.AsStr()));
}

// A bytes-like argument (bytes; a str is refused as hashlib refuses it).
Result<std::string_view> Data(CallContext& c, const Value& value, std::string_view what) {
  if (value.Is(Kind::kBytes)) return std::string_view(value.AsBytes());
  if (value.Is(Kind::kStr)) {
    return base::Fail(c.Throw("TypeError", "Strings must be encoded before hashing"));
  }
  return base::Fail(c.Throw(
      "TypeError",
      std::string(what) + ": a bytes-like object is required, not '" + value.TypeName() + "'"));
}

const unsigned char* Bytes(std::string_view data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

Result<int64_t> PositiveInt(CallContext& c, const Value& value, std::string_view what,
                            int64_t limit) {
  if (!value.Is(Kind::kInt)) {
    return base::Fail(
        c.Throw("TypeError", std::string(what) + " must be an int, not " + value.TypeName()));
  }
  if (value.AsInt() < 1) {
    return base::Fail(c.Throw("ValueError", std::string(what) + " must be greater than 0."));
  }
  if (value.AsInt() > limit) {
    return base::Fail(c.Throw("OverflowError", std::string(what) + " is too large."));
  }
  return value.AsInt();
}

Result<Value> DigestOf(CallContext& c, Args& a) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "digest", a, 2, 2));
  auto md = Digest(c, a.positional[0]);
  if (!md) return base::Fail(md.error());
  auto data = Data(c, a.positional[1], "data");
  if (!data) return base::Fail(data.error());
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data->data(), data->size(), out, &size, *md, nullptr) != 1) {
    return base::Fail(c.Throw("ValueError", "the digest could not be computed"));
  }
  return Value::Bytes(std::string(reinterpret_cast<const char*>(out), size));
}

Result<Value> HmacOf(CallContext& c, Args& a) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "hmac", a, 3, 3));
  auto md = Digest(c, a.positional[0]);
  if (!md) return base::Fail(md.error());
  auto key = Data(c, a.positional[1], "key");
  if (!key) return base::Fail(key.error());
  auto message = Data(c, a.positional[2], "msg");
  if (!message) return base::Fail(message.error());
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(*md, key->data(), static_cast<int>(key->size()), Bytes(*message), message->size(), out,
           &size) == nullptr) {
    return base::Fail(c.Throw("ValueError", "the HMAC could not be computed"));
  }
  return Value::Bytes(std::string(reinterpret_cast<const char*>(out), size));
}

Result<Value> Pbkdf2Hmac(CallContext& c, Args& a) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "pbkdf2_hmac", a, 5, 5));
  auto md = Digest(c, a.positional[0]);
  if (!md) return base::Fail(md.error());
  auto password = Data(c, a.positional[1], "password");
  if (!password) return base::Fail(password.error());
  auto salt = Data(c, a.positional[2], "salt");
  if (!salt) return base::Fail(salt.error());
  auto iterations = PositiveInt(c, a.positional[3], "iteration value", INT32_MAX);
  if (!iterations) return base::Fail(iterations.error());
  int64_t length = EVP_MD_get_size(*md);
  if (!a.positional[4].IsNone()) {
    auto given = PositiveInt(c, a.positional[4], "key length", INT32_MAX);
    if (!given) return base::Fail(given.error());
    length = *given;
  }
  if (length > (1 << 20)) return base::Fail(c.Throw("OverflowError", "key length is too large."));
  std::string out(static_cast<size_t>(length), '\0');
  if (PKCS5_PBKDF2_HMAC(password->data(), static_cast<int>(password->size()), Bytes(*salt),
                        static_cast<int>(salt->size()), static_cast<int>(*iterations), *md,
                        static_cast<int>(length),
                        reinterpret_cast<unsigned char*>(out.data())) != 1) {
    return base::Fail(c.Throw("ValueError", "pbkdf2_hmac could not be computed"));
  }
  return Value::Bytes(std::move(out));
}

Result<Value> Scrypt(CallContext& c, Args& a) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "scrypt", a, 7, 7));
  auto password = Data(c, a.positional[0], "password");
  if (!password) return base::Fail(password.error());
  auto salt = Data(c, a.positional[1], "salt");
  if (!salt) return base::Fail(salt.error());
  uint64_t numbers[5] = {};
  const char* names[5] = {"n", "r", "p", "maxmem", "dklen"};
  for (size_t i = 0; i < 5; ++i) {
    const Value& given = a.positional[2 + i];
    if (!given.Is(Kind::kInt) || given.AsInt() < 0) {
      return base::Fail(c.Throw("ValueError", std::string(names[i]) + " must be a positive int"));
    }
    numbers[i] = static_cast<uint64_t>(given.AsInt());
  }
  const uint64_t n = numbers[0];
  if (n < 2 || (n & (n - 1)) != 0) {
    return base::Fail(c.Throw("ValueError", "n must be a power of 2."));
  }
  if (numbers[4] == 0 || numbers[4] > (1 << 20)) {
    return base::Fail(c.Throw("ValueError", "dklen must be greater than 0 and at most 1 MiB."));
  }
  std::string out(numbers[4], '\0');
  if (EVP_PBE_scrypt(password->data(), password->size(), Bytes(*salt), salt->size(), n, numbers[1],
                     numbers[2], numbers[3] == 0 ? 0 : numbers[3],
                     reinterpret_cast<unsigned char*>(out.data()), out.size()) != 1) {
    return base::Fail(c.Throw("ValueError", "Invalid parameter combination for n, r, p, maxmem."));
  }
  return Value::Bytes(std::move(out));
}

Result<Value> Sizes(CallContext& c, Args& a) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "sizes", a, 1, 1));
  auto md = Digest(c, a.positional[0]);
  if (!md) return base::Fail(md.error());
  return Value::Tuple({Value::Int(EVP_MD_get_size(*md)), Value::Int(EVP_MD_get_block_size(*md))});
}

// hmac.compare_digest(): both str (ASCII only) or both bytes; the time
// taken does not depend on where they differ.
Result<Value> CompareDigest(CallContext& c, Args& a) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "compare_digest", a, 2, 2));
  const Value& left = a.positional[0];
  const Value& right = a.positional[1];
  const bool strings = left.Is(Kind::kStr) && right.Is(Kind::kStr);
  if (!strings) {
    for (const Value* operand : {&left, &right}) {
      if (!operand->Is(Kind::kBytes)) {
        return base::Fail(c.Throw(
            "TypeError", "a bytes-like object is required, not '" + operand->TypeName() + "'"));
      }
    }
  }
  const std::string& x = strings ? left.AsStr() : left.AsBytes();
  const std::string& y = strings ? right.AsStr() : right.AsBytes();
  if (strings) {
    for (const std::string* text : {&x, &y}) {
      if (std::any_of(text->begin(), text->end(), [](char ch) { return (ch & 0x80) != 0; })) {
        return base::Fail(
            c.Throw("TypeError", "comparing strings with non-ASCII characters is not supported"));
      }
    }
  }
  unsigned char differ = x.size() == y.size() ? 0 : 1;
  const std::string& shorter = x.size() <= y.size() ? x : y;
  for (size_t i = 0; i < shorter.size(); ++i) {
    differ |= static_cast<unsigned char>(x[i] ^ y[i]);
  }
  return Value::Bool(differ == 0);
}

}  // namespace

Value MakeNativeHashlibModule() {
  auto module = std::make_shared<ModuleObject>();
  module->name = "_sqlmend_hashlib";
  module->attributes["digest"] = Value::Builtin("digest", DigestOf);
  module->attributes["hmac"] = Value::Builtin("hmac", HmacOf);
  module->attributes["pbkdf2_hmac"] = Value::Builtin("pbkdf2_hmac", Pbkdf2Hmac);
  module->attributes["scrypt"] = Value::Builtin("scrypt", Scrypt);
  module->attributes["sizes"] = Value::Builtin("sizes", Sizes);
  module->attributes["compare_digest"] = Value::Builtin("compare_digest", CompareDigest);
  std::vector<Value> names;
  for (const Algorithm& algorithm : kAlgorithms) {
    if (EVP_get_digestbyname(algorithm.openssl) != nullptr) {
      names.push_back(Value::Str(std::string(algorithm.python)));
    }
  }
  module->attributes["algorithms"] = Value::Tuple(std::move(names));
  return Value::Module(module);
}

}  // namespace sqlmend::python
