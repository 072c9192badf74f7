// Randomness as revisions use it: the `secrets` module (token_hex,
// token_urlsafe, token_bytes, randbelow, randbits up to 62 bits, choice,
// and hmac's compare_digest) and the random bytes behind
// uuid.uuid4(). Values come from the kernel's CSPRNG (getrandom(2)), as
// Python's os.urandom does, when the revision is evaluated; a run's --sql
// shows that run's values, as Alembic's does.
#pragma once

#include <cstddef>
#include <string>

#include "python/value.h"

namespace sqlmend::python {

// `count` random bytes.
std::string RandomBytes(size_t count);

// `count` random bytes as lower-case hex; with `uuid4`, 16 bytes with the
// version-4 and RFC 4122 variant bits set, as uuid.uuid4() makes them.
std::string RandomHex(size_t count, bool uuid4 = false);

Value MakeSecretsModule();

}  // namespace sqlmend::python
