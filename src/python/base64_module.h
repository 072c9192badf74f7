// The `base64` and `binascii` modules as Python 3.11 has them: revisions
// make salts, keys and tokens with base64.urlsafe_b64encode(os.urandom(n))
// and read stored blobs back with b64decode.
//
// base64: b64encode(s, altchars=None), b64decode(s, altchars=None,
// validate=False), standard_b64encode/decode, urlsafe_b64encode/decode,
// b32encode/b32decode(s, casefold=False, map01=None), b32hexencode/decode,
// b16encode/b16decode(s, casefold=False), b85encode(b, pad=False)/b85decode,
// a85encode(b, *, foldspaces, wrapcol, pad, adobe)/a85decode(b, *,
// foldspaces, adobe, ignorechars), encodebytes/decodebytes (lines of 76
// characters). Encoders take bytes and
// give bytes; decoders take bytes or an ASCII str and give bytes.
//
// binascii: hexlify/b2a_hex(data, sep, bytes_per_sep), unhexlify/a2b_hex,
// b2a_base64(data, *, newline=True), a2b_base64(data, *, strict_mode=False),
// crc32(data, crc=0), and the exception classes Error (a ValueError) and
// Incomplete.
//
// Errors are Python's, word for word: TypeError for a str given to an
// encoder ("a bytes-like object is required, not 'str'"), ValueError for a
// non-ASCII str given to a decoder, binascii.Error ("Incorrect padding",
// "Non-base32 digit found", "Odd-length string", ...) for bad input, which
// `except binascii.Error` and `except ValueError` both catch. sqlmend has no
// bytearray or memoryview: bytes is the one bytes-like type.
#pragma once

#include "python/value.h"

namespace sqlmend::python {

// A fresh module object each; both share one binascii.Error class.
Value MakeBinasciiModule();
Value MakeBase64Module();

}  // namespace sqlmend::python
