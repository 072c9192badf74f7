// Hashing as revisions and the libraries they import use it: the standard
// modules `hashlib` (new() and the named constructors over OpenSSL's
// digests: md5, sha1, the sha2 and sha3 families, blake2b and blake2s with
// their default sizes; update/digest/hexdigest/copy, name, digest_size,
// block_size; pbkdf2_hmac and scrypt) and `hmac` (new, HMAC, digest,
// compare_digest). The objects are written in Python (source_modules.cc)
// over the native `_sqlmend_hashlib` module made here, so a data migration
// that stores a password hash or a content digest writes the bytes CPython
// would. Names OpenSSL lacks raise ValueError("unsupported hash type ..."),
// as CPython's hashlib does.
#pragma once

#include "python/value.h"

namespace sqlmend::python {

// `_sqlmend_hashlib`: digest(name, data), hmac(name, key, msg),
// pbkdf2_hmac(name, password, salt, iterations, dklen), scrypt(password,
// salt, n, r, p, maxmem, dklen), sizes(name) -> (digest_size, block_size),
// compare_digest(a, b), and `algorithms`, the names it knows.
Value MakeNativeHashlibModule();

}  // namespace sqlmend::python
