// Python 3's bytes type, beyond what Value holds (value.h keeps the octets):
// the bytes() constructor, the codecs behind str.encode() and
// bytes.decode(), and the methods only bytes has.
//
// A bytes value is a sequence of octets. Indexing it gives an int, slicing
// it gives bytes, iterating it gives ints (operators.h and the interpreter
// do these). The methods bytes shares with str (split, strip, startswith,
// replace, find, join, lower, ...) are in text_methods.h.
//
// Codecs: utf-8, ascii and latin-1 (under Python's aliases: "utf8", "UTF-8",
// "us-ascii", "latin1", "iso-8859-1", ...), with the error handlers strict,
// ignore, replace and backslashreplace (and xmlcharrefreplace for
// encoding). A character or octet the codec cannot take raises
// UnicodeEncodeError or UnicodeDecodeError with CPython's message. An
// encoding or handler outside this set is an error the script cannot catch
// (Unsupported), never LookupError: Python has many more codecs, and would
// have given a value.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "python/text_methods.h"
#include "python/value.h"

namespace sqlmend::python {

// str.encode(): the octets of UTF-8 `text` in `encoding`, or the Python
// exception raised through `context`.
base::Result<std::string> EncodeText(CallContext& context, std::string_view text,
                                     std::string_view encoding, std::string_view errors);
// bytes.decode(): `octets` read in `encoding`, as UTF-8 text.
base::Result<std::string> DecodeOctets(CallContext& context, std::string_view octets,
                                       std::string_view encoding, std::string_view errors);

// The arguments (encoding, errors) of encode(), decode() and str()/bytes()
// with an encoding, positional or keyword, after `skip` other positional
// arguments: "utf-8" and "strict" when not given. Raises TypeError for a
// value that is not a str.
struct CodecArgs {
  std::string encoding = "utf-8";
  std::string errors = "strict";
};
base::Result<CodecArgs> ReadCodecArgs(CallContext& context, std::string_view function,
                                      const Args& args, size_t skip);

// bytes(), bytes(count), bytes(iterable of ints), bytes(bytes),
// bytes(str, encoding[, errors]) and bytes(x) for an x whose class defines
// __bytes__.
base::Result<Value> MakeBytes(CallContext& context, Args& args);

// The methods only bytes has: decode, hex and translate; std::nullopt for
// any other name.
std::optional<MethodFunction> BytesOnlyMethod(std::string_view name);

// The attributes of the type itself that are not methods of a value:
// bytes.fromhex(text) and bytes.maketrans(from, to); std::nullopt for any
// other name.
std::optional<Value> BytesTypeAttribute(std::string_view name);

// The octets of a bytes argument (`value` itself); TypeError "a bytes-like
// object is required, not 'str'" for anything else.
base::Result<std::string> OctetsArg(CallContext& context, const Value& value);

// bytes.hex(sep, bytes_per_sep) and binascii.hexlify(data, sep,
// bytes_per_sep): `octets` as lower-case hex digits, `sep` (a str or bytes
// of length 1, read from `args` after `skip` positionals or by keyword)
// between groups of bytes_per_sep octets counted from the right (from the
// left when negative). ValueError for a separator of another length.
base::Result<std::string> HexWithSeparator(CallContext& context, std::string_view octets,
                                           const Args& args, size_t skip);

// The octet a value stands for where bytes take one (`97 in b"a"`,
// bytes([97])): an int in range(256). Raises TypeError for a non-int and
// ValueError ("byte must be in range(0, 256)") for an int outside.
base::Result<char> ByteOf(CallContext& context, const Value& value);

}  // namespace sqlmend::python
