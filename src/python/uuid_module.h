// The `uuid` module, as projects use it to key rows by UUID: a fixed UUID
// parsed from its text, and isinstance(x, uuid.UUID) in a TypeDecorator's
// process_bind_param().
//
//   uuid.UUID("7c3a5e1f-0b9d-4c2e-8a6f-1d2b3c4d5e6f")   # also 32 hex digits,
//   uuid.UUID(hex="{7C3A...}")                           # "urn:uuid:", braces
//
// A UUID is an immutable value (a UuidValue): .hex (32 lower-case digits),
// .urn, .version, str() (hyphenated), repr() (UUID('...')), == and hashing,
// ordering. A malformed string raises ValueError("badly formed hexadecimal
// UUID string") as CPython does.
//
// uuid4() gives 122 random bits (version 4, RFC 4122 variant) when the
// revision runs, as Python does. NOTE: uuid1() (it encodes the host and the
// clock), uuid3() and uuid5() (name-based) and the int=, bytes= and
// fields= forms are not modelled: each is a located Unsupported error.
#pragma once

#include <string>

#include "python/value.h"

namespace sqlmend::python {

class UuidValue : public HostObject {
 public:
  // `hex`: exactly 32 lower-case hex digits (the module validates).
  explicit UuidValue(std::string hex) : hex_(std::move(hex)) {}
  const std::string& hex() const { return hex_; }
  // "7c3a5e1f-0b9d-4c2e-8a6f-1d2b3c4d5e6f".
  std::string Hyphenated() const;

  std::string TypeName() const override { return "UUID"; }
  std::string Repr() const override { return "UUID('" + Hyphenated() + "')"; }
  std::string Str() const override { return Hyphenated(); }
  std::optional<std::string> ValueKey() const override { return hex_; }
  std::optional<base::Result<Value>> GetAttribute(CallContext& context,
                                                  std::string_view name) override;

 private:
  std::string hex_;
};

// The UuidValue `value` holds, or nullptr.
const UuidValue* AsUuid(const Value& value);

// The `uuid` module: UUID, uuid4, and uuid1/uuid3/uuid5 (Unsupported, see above).
Value MakeUuidModule();

}  // namespace sqlmend::python
