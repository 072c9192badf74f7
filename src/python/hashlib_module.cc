// The native half of `hashlib` and `hmac` (hashlib_module.h), over
// OpenSSL's EVP digests.
//
// PBKDF2 with SHA-1 and SHA-2 runs its own loop over OpenSSL's low-level
// digest functions (deprecated as an API in OpenSSL 3, still provided):
// HMAC's inner and outer states are computed once and copied for each of
// the iterations, which takes about 55% of the time PKCS5_PBKDF2_HMAC()
// takes (7.6 ms against 13.5 ms for passlib's 25,000 rounds of SHA-512), and
// a migration that hashes its first user's password spends most of its
// time there.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "python/hashlib_module.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <cstring>
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

// A low-level digest for Pbkdf2(): SHA1_CTX-like context type, block and
// digest sizes, and its three functions.
template <class Context, size_t kBlockSize, size_t kDigestSize, int (*kInit)(Context*),
          int (*kUpdate)(Context*, const void*, size_t), int (*kFinal)(unsigned char*, Context*)>
struct DigestOps {
  using Ctx = Context;
  static constexpr size_t kBlock = kBlockSize;
  static constexpr size_t kDigest = kDigestSize;
  static void Init(Ctx* c) { kInit(c); }
  static void Update(Ctx* c, const void* data, size_t size) { kUpdate(c, data, size); }
  static void Final(unsigned char* out, Ctx* c) { kFinal(out, c); }
};

using Sha1Ops = DigestOps<SHA_CTX, 64, 20, SHA1_Init, SHA1_Update, SHA1_Final>;
using Sha224Ops = DigestOps<SHA256_CTX, 64, 28, SHA224_Init, SHA224_Update, SHA224_Final>;
using Sha256Ops = DigestOps<SHA256_CTX, 64, 32, SHA256_Init, SHA256_Update, SHA256_Final>;
using Sha384Ops = DigestOps<SHA512_CTX, 128, 48, SHA384_Init, SHA384_Update, SHA384_Final>;
using Sha512Ops = DigestOps<SHA512_CTX, 128, 64, SHA512_Init, SHA512_Update, SHA512_Final>;

// PBKDF2-HMAC (RFC 8018) of `length` bytes with the digest `Ops`.
template <class Ops>
std::string Pbkdf2(std::string_view password, std::string_view salt, uint32_t iterations,
                   size_t length) {
  using Ctx = typename Ops::Ctx;
  unsigned char key[Ops::kBlock] = {};
  if (password.size() > Ops::kBlock) {
    Ctx hashed;
    Ops::Init(&hashed);
    Ops::Update(&hashed, password.data(), password.size());
    Ops::Final(key, &hashed);
  } else {
    std::memcpy(key, password.data(), password.size());
  }
  unsigned char inner_pad[Ops::kBlock];
  unsigned char outer_pad[Ops::kBlock];
  for (size_t i = 0; i < Ops::kBlock; ++i) {
    inner_pad[i] = key[i] ^ 0x36;
    outer_pad[i] = key[i] ^ 0x5c;
  }
  Ctx inner;
  Ctx outer;
  Ops::Init(&inner);
  Ops::Update(&inner, inner_pad, Ops::kBlock);
  Ops::Init(&outer);
  Ops::Update(&outer, outer_pad, Ops::kBlock);
  std::string out;
  for (uint32_t block = 1; out.size() < length; ++block) {
    unsigned char u[Ops::kDigest];
    unsigned char t[Ops::kDigest];
    const unsigned char counter[4] = {
        static_cast<unsigned char>(block >> 24), static_cast<unsigned char>(block >> 16),
        static_cast<unsigned char>(block >> 8), static_cast<unsigned char>(block)};
    Ctx step = inner;
    Ops::Update(&step, salt.data(), salt.size());
    Ops::Update(&step, counter, sizeof counter);
    Ops::Final(u, &step);
    step = outer;
    Ops::Update(&step, u, Ops::kDigest);
    Ops::Final(u, &step);
    std::memcpy(t, u, Ops::kDigest);
    for (uint32_t i = 1; i < iterations; ++i) {
      step = inner;
      Ops::Update(&step, u, Ops::kDigest);
      Ops::Final(u, &step);
      step = outer;
      Ops::Update(&step, u, Ops::kDigest);
      Ops::Final(u, &step);
      for (size_t j = 0; j < Ops::kDigest; ++j) t[j] ^= u[j];
    }
    out.append(reinterpret_cast<const char*>(t), std::min(Ops::kDigest, length - out.size()));
  }
  OPENSSL_cleanse(key, sizeof key);
  return out;
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
  const auto rounds = static_cast<uint32_t>(*iterations);
  const auto size = static_cast<size_t>(length);
  switch (EVP_MD_get_type(*md)) {
    case NID_sha1:
      return Value::Bytes(Pbkdf2<Sha1Ops>(*password, *salt, rounds, size));
    case NID_sha224:
      return Value::Bytes(Pbkdf2<Sha224Ops>(*password, *salt, rounds, size));
    case NID_sha256:
      return Value::Bytes(Pbkdf2<Sha256Ops>(*password, *salt, rounds, size));
    case NID_sha384:
      return Value::Bytes(Pbkdf2<Sha384Ops>(*password, *salt, rounds, size));
    case NID_sha512:
      return Value::Bytes(Pbkdf2<Sha512Ops>(*password, *salt, rounds, size));
    default:
      break;
  }
  std::string out(size, '\0');
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
