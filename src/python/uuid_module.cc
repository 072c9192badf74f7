#include "python/uuid_module.h"

#include <cctype>
#include <memory>

#include "base/gcc_workarounds.h"
#include "python/args.h"
#include "python/builtins.h"
#include "python/secrets_module.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;

// CPython's UUID(hex): drop "urn:", "uuid:", braces and hyphens, then
// expect 32 hex digits.
std::optional<std::string> NormalizeHex(std::string text) {
  for (std::string_view prefix : {"urn:", "uuid:"}) {
    if (text.starts_with(prefix)) text.erase(0, prefix.size());
  }
  while (!text.empty() && text.front() == '{') text.erase(0, 1);
  while (!text.empty() && text.back() == '}') text.pop_back();
  std::string hex;
  for (char c : text) {
    if (c == '-') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (hex.size() != 32) return std::nullopt;
  return hex;
}

class UuidClass : public HostObject {
 public:
  std::string TypeName() const override { return "type"; }
  std::string Repr() const override { return "<class 'uuid.UUID'>"; }
  bool IsInstance(const Value& value) const override { return AsUuid(value) != nullptr; }
  Result<Value> Call(CallContext& context, Args& args) override {
    auto bound = BindArgs(context,
                          Signature{"uuid.UUID",
                                    {"hex", "bytes", "bytes_le", "fields", "int", "version"},
                                    0,
                                    false,
                                    {"is_safe"},
                                    {}},
                          args);
    if (!bound) return base::Fail(bound.error());
    // UUID(bytes=b): the 16 bytes, big-endian, as a binary UUID column holds.
    if (const Value* bytes = bound->GetNotNone("bytes")) {
      if (!bytes->Is(Kind::kBytes) || bytes->AsBytes().size() != 16) {
        return base::Fail(context.Throw("ValueError", "bytes is not a 16-char string"));
      }
      static constexpr char kDigits[] = "0123456789abcdef";
      std::string hex;
      for (unsigned char byte : bytes->AsBytes()) {
        hex += kDigits[byte >> 4];
        hex += kDigits[byte & 0xf];
      }
      return Value::Host(std::make_shared<UuidValue>(std::move(hex)));
    }
    for (const char* other : {"bytes_le", "fields", "int", "version"}) {
      if (bound->GetNotNone(other) != nullptr) {
        return base::Fail(
            context.Unsupported(std::string("unsupported: uuid.UUID(") + other +
                                "=...) (sqlmend reads UUIDs from their text and bytes)"));
      }
    }
    const Value* hex = bound->GetNotNone("hex");
    if (hex == nullptr) {
      return base::Fail(context.Throw(
          "TypeError", "one of the hex, bytes, bytes_le, fields, or int arguments must be given"));
    }
    SQLMEND_GCC12_STRING_PLUS_BEGIN
    if (!hex->Is(Kind::kStr)) {
      return base::Fail(context.Throw(
          "AttributeError", "'" + hex->TypeName() + "' object has no attribute 'replace'"));
    }
    SQLMEND_GCC12_STRING_PLUS_END
    auto normalized = NormalizeHex(hex->AsStr());
    if (!normalized) {
      return base::Fail(context.Throw("ValueError", "badly formed hexadecimal UUID string"));
    }
    return Value::Host(std::make_shared<UuidValue>(std::move(*normalized)));
  }
};

Value Refused(const std::string& name, const std::string& why) {
  return Value::Builtin(name, [name, why](CallContext& c, Args&) -> Result<Value> {
    return base::Fail(c.Unsupported("unsupported: uuid." + name + "() " + why));
  });
}

}  // namespace

std::string UuidValue::Hyphenated() const {
  return hex_.substr(0, 8) + "-" + hex_.substr(8, 4) + "-" + hex_.substr(12, 4) + "-" +
         hex_.substr(16, 4) + "-" + hex_.substr(20);
}

std::optional<Result<Value>> UuidValue::GetAttribute(CallContext&, std::string_view name) {
  if (name == "hex") return Value::Str(hex_);
  if (name == "bytes") {
    std::string bytes;
    for (size_t i = 0; i + 1 < hex_.size(); i += 2) {
      bytes += static_cast<char>(std::stoi(hex_.substr(i, 2), nullptr, 16));
    }
    return Value::Bytes(std::move(bytes));
  }
  if (name == "urn") return Value::Str("urn:uuid:" + Hyphenated());
  if (name == "version") {
    // Only RFC 4122 variants carry a version (CPython returns None else).
    int variant_bits = std::stoi(hex_.substr(16, 1), nullptr, 16);
    if ((variant_bits & 0xc) != 0x8) return Value::None();
    return Value::Int(std::stoi(hex_.substr(12, 1), nullptr, 16));
  }
  return std::nullopt;
}

const UuidValue* AsUuid(const Value& value) {
  if (!value.Is(Kind::kHost)) return nullptr;
  return dynamic_cast<const UuidValue*>(&value.AsHost());
}

Value MakeUuidModule() {
  auto module = std::make_shared<ModuleObject>();
  module->name = "uuid";
  module->attributes["UUID"] = Value::Host(std::make_shared<UuidClass>());
  // uuid4(): 122 random bits, version 4, RFC 4122 variant, as Python's.
  module->attributes["uuid4"] = Value::Builtin("uuid4", [](CallContext& c, Args& a) -> Result<Value> {
    SQLMEND_RETURN_IF_ERROR(CheckArgs(c, "uuid4", a, 0, 0));
    return Value::Host(std::make_shared<UuidValue>(RandomHex(16, true)));
  });
  module->attributes["uuid1"] = Refused(
      "uuid1", "is not modelled (it encodes the host and the clock); use uuid4()");
  const std::string named = "is not modelled; write the UUID in the migration";
  module->attributes["uuid3"] = Refused("uuid3", named);
  module->attributes["uuid5"] = Refused("uuid5", named);
  return Value::Module(module);
}

}  // namespace sqlmend::python
