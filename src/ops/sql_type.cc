#include "ops/sql_type.h"

#include <algorithm>
#include <utility>

#include "base/gcc_workarounds.h"

namespace sqlmend::ops {

Type Type::Of(Kind kind) {
  Type type;
  type.kind = kind;
  return type;
}

Type Type::String(std::optional<int> length) {
  Type type = Of(Kind::kString);
  type.length = length;
  return type;
}

Type Type::Text(std::optional<int> length) {
  Type type = Of(Kind::kText);
  type.length = length;
  return type;
}

Type Type::Boolean(bool create_constraint, std::optional<std::string> name) {
  Type type = Of(Kind::kBoolean);
  type.create_constraint = create_constraint;
  type.name = std::move(name);
  return type;
}

Type Type::Enum(std::vector<std::string> values, std::optional<std::string> name,
                bool create_constraint, bool native_enum) {
  Type type = Of(Kind::kEnum);
  type.enum_values = std::move(values);
  type.name = std::move(name);
  type.create_constraint = create_constraint;
  type.native_enum = native_enum;
  return type;
}

Type Type::Float(std::optional<int> precision) {
  Type type = Of(Kind::kFloat);
  type.precision = precision;
  return type;
}

Type Type::Numeric(std::optional<int> precision, std::optional<int> scale) {
  Type type = Of(Kind::kNumeric);
  type.precision = precision;
  type.scale = scale;
  return type;
}

Type Type::Raw(std::string sql) {
  Type type = Of(Kind::kRaw);
  type.raw = std::move(sql);
  return type;
}

Type Type::Unrenderable(std::string name) {
  Type type = Raw(std::move(name));
  type.unrenderable = true;
  return type;
}

bool Type::HasIntegerAffinity() const {
  switch (kind) {
    case Kind::kInteger:
    case Kind::kBigInteger:
    case Kind::kSmallInteger:
      return true;
    case Kind::kRaw:
      return raw == "INTEGER" || raw == "BIGINT" || raw == "SMALLINT";
    default:
      return false;
  }
}

bool Type::CreatesCheck() const {
  return create_constraint && (kind == Kind::kBoolean || kind == Kind::kEnum);
}

namespace {
SQLMEND_GCC12_STRING_PLUS_BEGIN
std::string WithLength(const char* word, std::optional<int> length) {
  std::string out = word;
  if (length) out += "(" + std::to_string(*length) + ")";
  return out;
}
SQLMEND_GCC12_STRING_PLUS_END
}  // namespace

namespace {

std::string CompileWithoutCollation(const Type& type) {
  using Kind = Type::Kind;
  switch (type.kind) {
    case Kind::kInteger:
      return "INTEGER";
    case Kind::kBigInteger:
      return "BIGINT";
    case Kind::kSmallInteger:
      return "SMALLINT";
    case Kind::kString:
      return WithLength("VARCHAR", type.length);
    case Kind::kText:
      return WithLength("TEXT", type.length);
    case Kind::kBoolean:
      return "BOOLEAN";
    case Kind::kEnum: {
      // Non-native Enum is a String whose length is the longest value, in
      // Python characters (code points), not UTF-8 bytes.
      size_t longest = 0;
      for (const std::string& value : type.enum_values) {
        const size_t code_points =
            static_cast<size_t>(std::count_if(value.begin(), value.end(), [](char c) {
              return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
            }));
        longest = std::max(longest, code_points);
      }
      return "VARCHAR(" + std::to_string(longest) + ")";
    }
    case Kind::kDateTime:
      return "DATETIME";
    case Kind::kDate:
      return "DATE";
    case Kind::kTime:
      return "TIME";
    case Kind::kFloat:
      // The generic compiler's visit_FLOAT drops the precision.
      return "FLOAT";
    case Kind::kNumeric:
      if (!type.precision) return "NUMERIC";
      if (!type.scale) return "NUMERIC(" + std::to_string(*type.precision) + ")";
      return "NUMERIC(" + std::to_string(*type.precision) + ", " + std::to_string(*type.scale) +
             ")";
    case Kind::kLargeBinary:
      return "BLOB";
    case Kind::kJson:
      return "JSON";
    case Kind::kRaw:
      return type.raw;
  }
  return "";
}

}  // namespace

std::string CompileSqliteType(const Type& type) {
  // The generic compiler's _render_string_type: the collation quoted as
  // written, after the length.
  if (type.collation) return CompileWithoutCollation(type) + " COLLATE \"" + *type.collation + "\"";
  return CompileWithoutCollation(type);
}

}  // namespace sqlmend::ops
