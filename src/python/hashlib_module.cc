// The native half of `hashlib` and `hmac` (hashlib_module.h), over
// OpenSSL's digests.
//
// libcrypto is loaded (dlopen) when a script first hashes, not linked:
// linking it cost every command 3.5 ms of start-up (`sqlmend --version`
// went from 5.2 to 8.7 ms, the dynamic loader relocating it), for the few
// migrations that hash. It stays the system's shared library, as SQLite
// does, so that the distribution's security updates reach it. Without it, a
// hashing call stops the run with its location.
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

#include <dlfcn.h>
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

// A low-level digest's functions, for Pbkdf2().
template <class Context>
struct DigestFunctions {
  int (*init)(Context*) = nullptr;
  int (*update)(Context*, const void*, size_t) = nullptr;
  int (*final)(unsigned char*, Context*) = nullptr;
};

// The libcrypto functions sqlmend calls, looked up in libcrypto.so.3.
struct Crypto {
  decltype(&::EVP_get_digestbyname) get_digestbyname = nullptr;
  decltype(&::EVP_Digest) digest = nullptr;
  decltype(&::HMAC) hmac = nullptr;
  decltype(&::PKCS5_PBKDF2_HMAC) pbkdf2_hmac = nullptr;
  decltype(&::EVP_PBE_scrypt) scrypt = nullptr;
  decltype(&::EVP_MD_get_size) md_size = nullptr;
  decltype(&::EVP_MD_get_block_size) md_block_size = nullptr;
  decltype(&::EVP_MD_get_type) md_type = nullptr;
  decltype(&::OPENSSL_cleanse) cleanse = nullptr;
  DigestFunctions<SHA_CTX> sha1;
  DigestFunctions<SHA256_CTX> sha224;
  DigestFunctions<SHA256_CTX> sha256;
  DigestFunctions<SHA512_CTX> sha384;
  DigestFunctions<SHA512_CTX> sha512;
};

// OpenSSL 3's libcrypto, loaded once; null (and `error` set) when it cannot
// be.
const Crypto* LoadCrypto(std::string& error) {
  static const std::string* failure = nullptr;
  static const Crypto* loaded = [&]() -> const Crypto* {
    void* library = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      const char* why = dlerror();
      failure = new std::string(why != nullptr ? why : "libcrypto.so.3 not found");
      return nullptr;
    }
    auto* crypto = new Crypto;
    bool complete = true;
    auto find = [&](auto& slot, const char* name) {
      slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(dlsym(library, name));
      if (slot == nullptr && complete) {
        complete = false;
        failure = new std::string(std::string("libcrypto.so.3 has no ") + name);
      }
    };
    find(crypto->get_digestbyname, "EVP_get_digestbyname");
    find(crypto->digest, "EVP_Digest");
    find(crypto->hmac, "HMAC");
    find(crypto->pbkdf2_hmac, "PKCS5_PBKDF2_HMAC");
    find(crypto->scrypt, "EVP_PBE_scrypt");
    find(crypto->md_size, "EVP_MD_get_size");
    find(crypto->md_block_size, "EVP_MD_get_block_size");
    find(crypto->md_type, "EVP_MD_get_type");
    find(crypto->cleanse, "OPENSSL_cleanse");
    auto digest = [&](auto& functions, const char* prefix) {
      const std::string name(prefix);
      find(functions.init, (name + "_Init").c_str());
      find(functions.update, (name + "_Update").c_str());
      find(functions.final, (name + "_Final").c_str());
    };
    digest(crypto->sha1, "SHA1");
    digest(crypto->sha224, "SHA224");
    digest(crypto->sha256, "SHA256");
    digest(crypto->sha384, "SHA384");
    digest(crypto->sha512, "SHA512");
    if (!complete) {
      delete crypto;
      return nullptr;
    }
    return crypto;
  }();
  if (loaded == nullptr) error = *failure;
  return loaded;
}

// The loaded libcrypto, or the located error that stops the run.
Result<const Crypto*> Library(CallContext& c) {
  std::string error;
  if (const Crypto* crypto = LoadCrypto(error)) return crypto;
  return base::Fail(
      c.Unsupported("unsupported: hashing needs OpenSSL 3's libcrypto, which could "
                    "not be loaded: " +
                    error));
}

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
Result<const EVP_MD*> Digest(CallContext& c, const Crypto& crypto, const Value& name) {
  if (!name.Is(Kind::kStr)) {
    return base::Fail(c.Throw("TypeError", "hash name must be a str, not " + name.TypeName()));
  }
  std::string key = name.AsStr();
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char ch) {
    return ch == '-' ? '_' : static_cast<char>(std::tolower(ch));
  });
  for (const Algorithm& algorithm : kAlgorithms) {
    if (algorithm.python != key) continue;
    if (const EVP_MD* md = crypto.get_digestbyname(algorithm.openssl)) return md;
  }
  return base::Fail(c.Throw("ValueError", "unsupported hash type " + name.AsStr()));
}

// The loaded libcrypto and the digest `name` names.
struct DigestArg {
  const Crypto* crypto;
  const EVP_MD* md;
};

Result<DigestArg> LoadDigest(CallContext& c, const Value& name) {
  auto crypto = Library(c);
  if (!crypto) return base::Fail(crypto.error());
  auto md = Digest(c, **crypto, name);
  if (!md) return base::Fail(md.error());
  return DigestArg{*crypto, *md};
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
  auto digest = LoadDigest(c, a.positional[0]);
  if (!digest) return base::Fail(digest.error());
  auto data = Data(c, a.positional[1], "data");
  if (!data) return base::Fail(data.error());
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (digest->crypto->digest(data->data(), data->size(), out, &size, digest->md, nullptr) != 1) {
    return base::Fail(c.Throw("ValueError", "the digest could not be computed"));
  }
  return Value::Bytes(std::string(reinterpret_cast<const char*>(out), size));
}

Result<Value> HmacOf(CallContext& c, Args& a) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "hmac", a, 3, 3));
  auto digest = LoadDigest(c, a.positional[0]);
  if (!digest) return base::Fail(digest.error());
  auto key = Data(c, a.positional[1], "key");
  if (!key) return base::Fail(key.error());
  auto message = Data(c, a.positional[2], "msg");
  if (!message) return base::Fail(message.error());
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (digest->crypto->hmac(digest->md, key->data(), static_cast<int>(key->size()), Bytes(*message),
                           message->size(), out, &size) == nullptr) {
    return base::Fail(c.Throw("ValueError", "the HMAC could not be computed"));
  }
  return Value::Bytes(std::string(reinterpret_cast<const char*>(out), size));
}

// PBKDF2-HMAC (RFC 8018) of `length` bytes with the low-level digest
// `ops` (block and digest sizes kBlock and kDigest).
template <size_t kBlock, size_t kDigest, class Ctx>
std::string Pbkdf2(const Crypto& crypto, const DigestFunctions<Ctx>& ops, std::string_view password,
                   std::string_view salt, uint32_t iterations, size_t length) {
  unsigned char key[kBlock] = {};
  if (password.size() > kBlock) {
    Ctx hashed;
    ops.init(&hashed);
    ops.update(&hashed, password.data(), password.size());
    ops.final(key, &hashed);
  } else {
    std::memcpy(key, password.data(), password.size());
  }
  unsigned char inner_pad[kBlock];
  unsigned char outer_pad[kBlock];
  for (size_t i = 0; i < kBlock; ++i) {
    inner_pad[i] = key[i] ^ 0x36;
    outer_pad[i] = key[i] ^ 0x5c;
  }
  Ctx inner;
  Ctx outer;
  ops.init(&inner);
  ops.update(&inner, inner_pad, kBlock);
  ops.init(&outer);
  ops.update(&outer, outer_pad, kBlock);
  std::string out;
  for (uint32_t block = 1; out.size() < length; ++block) {
    unsigned char u[kDigest];
    unsigned char t[kDigest];
    const unsigned char counter[4] = {
        static_cast<unsigned char>(block >> 24), static_cast<unsigned char>(block >> 16),
        static_cast<unsigned char>(block >> 8), static_cast<unsigned char>(block)};
    Ctx step = inner;
    ops.update(&step, salt.data(), salt.size());
    ops.update(&step, counter, sizeof counter);
    ops.final(u, &step);
    step = outer;
    ops.update(&step, u, kDigest);
    ops.final(u, &step);
    std::memcpy(t, u, kDigest);
    for (uint32_t i = 1; i < iterations; ++i) {
      step = inner;
      ops.update(&step, u, kDigest);
      ops.final(u, &step);
      step = outer;
      ops.update(&step, u, kDigest);
      ops.final(u, &step);
      for (size_t j = 0; j < kDigest; ++j) t[j] ^= u[j];
    }
    out.append(reinterpret_cast<const char*>(t), std::min(kDigest, length - out.size()));
  }
  crypto.cleanse(key, sizeof key);
  return out;
}

Result<Value> Pbkdf2Hmac(CallContext& c, Args& a) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "pbkdf2_hmac", a, 5, 5));
  auto digest = LoadDigest(c, a.positional[0]);
  if (!digest) return base::Fail(digest.error());
  const Crypto& lib = *digest->crypto;
  const EVP_MD* md = digest->md;
  auto password = Data(c, a.positional[1], "password");
  if (!password) return base::Fail(password.error());
  auto salt = Data(c, a.positional[2], "salt");
  if (!salt) return base::Fail(salt.error());
  auto iterations = PositiveInt(c, a.positional[3], "iteration value", INT32_MAX);
  if (!iterations) return base::Fail(iterations.error());
  int64_t length = lib.md_size(md);
  if (!a.positional[4].IsNone()) {
    auto given = PositiveInt(c, a.positional[4], "key length", INT32_MAX);
    if (!given) return base::Fail(given.error());
    length = *given;
  }
  if (length > (1 << 20)) return base::Fail(c.Throw("OverflowError", "key length is too large."));
  const auto rounds = static_cast<uint32_t>(*iterations);
  const auto size = static_cast<size_t>(length);
  switch (lib.md_type(md)) {
    case NID_sha1:
      return Value::Bytes(Pbkdf2<64, 20>(lib, lib.sha1, *password, *salt, rounds, size));
    case NID_sha224:
      return Value::Bytes(Pbkdf2<64, 28>(lib, lib.sha224, *password, *salt, rounds, size));
    case NID_sha256:
      return Value::Bytes(Pbkdf2<64, 32>(lib, lib.sha256, *password, *salt, rounds, size));
    case NID_sha384:
      return Value::Bytes(Pbkdf2<128, 48>(lib, lib.sha384, *password, *salt, rounds, size));
    case NID_sha512:
      return Value::Bytes(Pbkdf2<128, 64>(lib, lib.sha512, *password, *salt, rounds, size));
    default:
      break;
  }
  std::string out(size, '\0');
  if (lib.pbkdf2_hmac(password->data(), static_cast<int>(password->size()), Bytes(*salt),
                      static_cast<int>(salt->size()), static_cast<int>(*iterations), md,
                      static_cast<int>(length),
                      reinterpret_cast<unsigned char*>(out.data())) != 1) {
    return base::Fail(c.Throw("ValueError", "pbkdf2_hmac could not be computed"));
  }
  return Value::Bytes(std::move(out));
}

Result<Value> Scrypt(CallContext& c, Args& a) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "scrypt", a, 7, 7));
  auto crypto = Library(c);
  if (!crypto) return base::Fail(crypto.error());
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
  if ((*crypto)->scrypt(password->data(), password->size(), Bytes(*salt), salt->size(), n,
                        numbers[1], numbers[2], numbers[3],
                        reinterpret_cast<unsigned char*>(out.data()), out.size()) != 1) {
    return base::Fail(c.Throw("ValueError", "Invalid parameter combination for n, r, p, maxmem."));
  }
  return Value::Bytes(std::move(out));
}

Result<Value> Sizes(CallContext& c, Args& a) {
  SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "sizes", a, 1, 1));
  auto digest = LoadDigest(c, a.positional[0]);
  if (!digest) return base::Fail(digest.error());
  return Value::Tuple({Value::Int(digest->crypto->md_size(digest->md)),
                       Value::Int(digest->crypto->md_block_size(digest->md))});
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
  // The names OpenSSL 3's default provider has, all of kAlgorithms
  // (checking would load libcrypto at start-up).
  std::vector<Value> names;
  for (const Algorithm& algorithm : kAlgorithms) {
    names.push_back(Value::Str(std::string(algorithm.python)));
  }
  module->attributes["algorithms"] = Value::Tuple(std::move(names));
  return Value::Module(module);
}

}  // namespace sqlmend::python
