#include "python/format.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "python/decimal_module.h"
#include "python/string_literal.h"

namespace sqlmend::python {
namespace {

using base::Result;
using Kind = Value::Kind;

struct Spec {
  std::string fill = " ";
  char align = 0;  // < > ^ =, or 0 for the type's default
  char sign = '-';
  bool alternate = false;
  size_t width = 0;
  char grouping = 0;  // , or _
  int precision = -1;
  char type = 0;
};

bool IsAlign(char c) { return c == '<' || c == '>' || c == '^' || c == '='; }

size_t Utf8Length(std::string_view text, size_t at) {
  auto byte = static_cast<unsigned char>(text[at]);
  if (byte >= 0xF0) return 4;
  if (byte >= 0xE0) return 3;
  if (byte >= 0xC0) return 2;
  return 1;
}

Result<Spec> ParseSpec(CallContext& context, std::string_view text) {
  Spec spec;
  size_t i = 0;
  if (!text.empty()) {
    size_t first = Utf8Length(text, 0);
    if (first < text.size() && IsAlign(text[first])) {
      spec.fill = std::string(text.substr(0, first));
      spec.align = text[first];
      i = first + 1;
    } else if (IsAlign(text[0])) {
      spec.align = text[0];
      i = 1;
    }
  }
  if (i < text.size() && (text[i] == '+' || text[i] == '-' || text[i] == ' '))
    spec.sign = text[i++];
  if (i < text.size() && text[i] == '#') {
    spec.alternate = true;
    ++i;
  }
  if (i < text.size() && text[i] == '0') {
    if (spec.align == 0) {
      spec.fill = "0";
      spec.align = '=';
    }
    ++i;
  }
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    spec.width = spec.width * 10 + static_cast<size_t>(text[i++] - '0');
    if (spec.width > 10'000)
      return base::Fail(context.Unsupported("unsupported: format width beyond 10000"));
  }
  if (i < text.size() && (text[i] == ',' || text[i] == '_')) spec.grouping = text[i++];
  if (i < text.size() && text[i] == '.') {
    ++i;
    spec.precision = 0;
    bool any = false;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      spec.precision = spec.precision * 10 + (text[i++] - '0');
      any = true;
      if (spec.precision > 1000)
        return base::Fail(context.Unsupported("unsupported: format precision beyond 1000"));
    }
    if (!any) return base::Fail(context.Throw("ValueError", "Format specifier missing precision"));
  }
  if (i < text.size()) spec.type = text[i++];
  if (i < text.size()) return base::Fail(context.Throw("ValueError", "Invalid format specifier"));
  return spec;
}

std::string Pad(const Spec& spec, std::string sign, std::string body, char default_align) {
  char align = spec.align == 0 ? default_align : spec.align;
  size_t length = CodePointCount(sign) + CodePointCount(body);
  if (length >= spec.width) return sign + body;
  size_t missing = spec.width - length;
  auto fill = [&](size_t n) {
    std::string out;
    for (size_t k = 0; k < n; ++k) out += spec.fill;
    return out;
  };
  switch (align) {
    case '<':
      return sign + body + fill(missing);
    case '^':
      return fill(missing / 2) + sign + body + fill(missing - missing / 2);
    case '=':
      return sign + fill(missing) + body;
    default:
      return fill(missing) + sign + body;
  }
}

// Inserts `separator` every three digits of the integer part of `digits`.
std::string Group(const std::string& digits, char separator) {
  if (separator == 0) return digits;
  size_t end = digits.find_first_not_of("0123456789");
  if (end == std::string::npos) end = digits.size();
  std::string integer = digits.substr(0, end);
  std::string out;
  for (size_t k = 0; k < integer.size(); ++k) {
    if (k > 0 && (integer.size() - k) % 3 == 0) out += separator;
    out += integer[k];
  }
  return out + digits.substr(end);
}

std::string IntToBase(uint64_t magnitude, int base, bool upper) {
  if (magnitude == 0) return "0";
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  while (magnitude > 0) {
    out.insert(out.begin(), digits[magnitude % static_cast<uint64_t>(base)]);
    magnitude /= static_cast<uint64_t>(base);
  }
  return out;
}

std::string SignText(const Spec& spec, bool negative) {
  if (negative) return "-";
  if (spec.sign == '+') return "+";
  if (spec.sign == ' ') return " ";
  return "";
}

std::string FormatFloatBody(const Spec& spec, double magnitude) {
  if (std::isinf(magnitude))
    return std::isupper(static_cast<unsigned char>(spec.type)) ? "INF" : "inf";
  if (std::isnan(magnitude))
    return std::isupper(static_cast<unsigned char>(spec.type)) ? "NAN" : "nan";
  char type = spec.type;
  int precision = spec.precision;
  std::string suffix;
  if (type == '%') {
    magnitude *= 100;
    type = 'f';
    suffix = "%";
  }
  if (type == 0) {
    if (precision < 0) return FloatRepr(magnitude);
    // No type with a precision: like 'g', but a whole number keeps ".0".
    char buffer[1100];
    std::snprintf(buffer, sizeof buffer, "%.*g", precision == 0 ? 1 : precision, magnitude);
    std::string out = buffer;
    if (out.find_first_of(".en") == std::string::npos) out += ".0";
    return out;
  }
  if (precision < 0) precision = 6;
  char format[8] = {'%', '.', '*', type == 'F' ? 'f' : type, 0};
  if (spec.alternate) {
    format[1] = '#';
    format[2] = '.';
    format[3] = '*';
    format[4] = type == 'F' ? 'f' : type;
  }
  char buffer[1100];
  std::snprintf(buffer, sizeof buffer, format, precision, magnitude);
  return std::string(buffer) + suffix;
}

}  // namespace

size_t CodePointCount(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

Result<std::string> FormatValue(CallContext& context, const Value& value, std::string_view text) {
  if (text.empty()) return context.Text(value, false);
  auto parsed = ParseSpec(context, text);
  if (!parsed) return base::Fail(parsed.error());
  Spec spec = *parsed;
  auto invalid = [&](std::string_view type_name) {
    return base::Fail(
        context.Throw("ValueError", "Unknown format code '" + std::string(1, spec.type) +
                                        "' for object of type '" + std::string(type_name) + "'"));
  };
  if (value.Is(Kind::kStr)) {
    if (spec.type != 0 && spec.type != 's') return invalid("str");
    std::string body = value.AsStr();
    if (spec.precision >= 0) {
      size_t count = 0, cut = 0;
      while (cut < body.size() && count < static_cast<size_t>(spec.precision)) {
        cut += Utf8Length(body, cut);
        ++count;
      }
      body = body.substr(0, cut);
    }
    return Pad(spec, "", body, '<');
  }
  if (value.Is(Kind::kInt) || value.Is(Kind::kBool)) {
    int64_t v = value.AsInt();
    if (std::string_view("eEfFgG%").find(spec.type) != std::string_view::npos && spec.type != 0) {
      Spec float_spec = spec;
      return Pad(
          spec, SignText(spec, v < 0),
          Group(FormatFloatBody(float_spec, std::fabs(static_cast<double>(v))), spec.grouping),
          '>');
    }
    if (spec.precision >= 0) {
      return base::Fail(
          context.Throw("ValueError", "Precision not allowed in integer format specifier"));
    }
    if (value.Is(Kind::kBool) && spec.type == 0 && spec.sign == '-' && spec.grouping == 0 &&
        spec.align != '=') {
      return Pad(spec, "", ToStr(value), '<');
    }
    uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    std::string body, prefix;
    switch (spec.type) {
      case 0:
      case 'd':
      case 'n':
        body = Group(IntToBase(magnitude, 10, false), spec.grouping);
        break;
      case 'x':
      case 'X':
        body = IntToBase(magnitude, 16, spec.type == 'X');
        prefix = spec.type == 'X' ? "0X" : "0x";
        break;
      case 'o':
        body = IntToBase(magnitude, 8, false);
        prefix = "0o";
        break;
      case 'b':
        body = IntToBase(magnitude, 2, false);
        prefix = "0b";
        break;
      case 'c':
        if (v < 0 || v > 0x10FFFF)
          return base::Fail(context.Throw("OverflowError", "%c arg not in range(0x110000)"));
        {
          std::string character;
          AppendUtf8(static_cast<uint32_t>(v), character);
          return Pad(spec, "", character, '<');
        }
      default:
        return invalid(value.TypeName());
    }
    return Pad(spec, SignText(spec, v < 0) + (spec.alternate ? prefix : ""), body, '>');
  }
  if (value.Is(Kind::kFloat)) {
    double v = value.AsFloat();
    if (std::string_view("eEfFgG%").find(spec.type) == std::string_view::npos && spec.type != 0) {
      return invalid("float");
    }
    bool negative = std::signbit(v) && !std::isnan(v);
    return Pad(spec, SignText(spec, negative),
               Group(FormatFloatBody(spec, std::fabs(v)), spec.grouping), '>');
  }
  if (const DecimalValue* decimal = AsDecimal(value)) {
    // Decimal's own __format__: exact digits, rounded half-even.
    DecimalNumber number = decimal->number();
    const bool negative = number.negative;
    number.negative = false;
    std::string body;
    switch (spec.type) {
      case 0:
        if (spec.precision >= 0) {
          return base::Fail(context.Unsupported(
              "unsupported: a Decimal format with a precision and no type (only f, F and %)"));
        }
        body = number.Text();
        break;
      case '%':
        number.exponent += 2;
        [[fallthrough]];
      case 'f':
      case 'F': {
        int places = spec.precision;
        if (places < 0) {
          places = number.exponent < 0 ? static_cast<int>(-number.exponent) : 0;
        }
        body = number.FixedText(places) + (spec.type == '%' ? "%" : "");
        if (spec.type == 'F' && number.special != DecimalNumber::Special::kFinite) {
          for (char& ch : body) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        }
        break;
      }
      case 'e':
      case 'E':
      case 'g':
      case 'G':
      case 'n':
        return base::Fail(context.Unsupported("unsupported: the '" + std::string(1, spec.type) +
                                              "' format of a Decimal (only f, F and %)"));
      default:
        return invalid("decimal.Decimal");
    }
    return Pad(spec, SignText(spec, negative), Group(body, spec.grouping), '>');
  }
  return base::Fail(context.Throw(
      "TypeError", "unsupported format string passed to " + value.TypeName() + ".__format__"));
}

Result<std::string> PercentFormat(CallContext& context, std::string_view format,
                                  const Value& args) {
  std::vector<Value> positional;
  const Value* mapping = nullptr;
  if (args.Is(Kind::kTuple)) {
    positional = args.Items();
  } else if (args.Is(Kind::kDict)) {
    mapping = &args;
  } else {
    positional.push_back(args);
  }
  size_t next = 0;
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out += format[i];
      continue;
    }
    if (++i >= format.size()) return base::Fail(context.Throw("ValueError", "incomplete format"));
    const Value* argument = nullptr;
    Value keyed;
    if (format[i] == '(') {
      size_t close = format.find(')', i);
      if (close == std::string_view::npos || mapping == nullptr) {
        return base::Fail(context.Throw("TypeError", "format requires a mapping"));
      }
      Value key = Value::Str(std::string(format.substr(i + 1, close - i - 1)));
      Value* found = mapping->AsDict().Find(key);
      if (found == nullptr) return base::Fail(context.ThrowKeyError(key));
      keyed = *found;
      argument = &keyed;
      i = close + 1;
    }
    // Flags, width and precision become the equivalent format spec.
    std::string flags;
    while (i < format.size() &&
           std::string_view("-+ 0#").find(format[i]) != std::string_view::npos) {
      flags += format[i++];
    }
    std::string width, precision;
    while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i])))
      width += format[i++];
    if (i < format.size() && format[i] == '.') {
      precision = ".";
      ++i;
      while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i])))
        precision += format[i++];
      if (precision == ".") precision = ".0";
    }
    if (i >= format.size()) return base::Fail(context.Throw("ValueError", "incomplete format"));
    char type = format[i];
    if (type == '%') {
      out += '%';
      continue;
    }
    if (argument == nullptr) {
      if (mapping != nullptr) {
        return base::Fail(context.Throw("TypeError", "format requires a mapping"));
      }
      if (next >= positional.size()) {
        return base::Fail(context.Throw("TypeError", "not enough arguments for format string"));
      }
      argument = &positional[next++];
    }
    std::string spec;
    if (flags.find('-') != std::string::npos) {
      spec += '<';
    } else if (flags.find('0') != std::string::npos && type != 's' && type != 'r') {
      spec += "0";
    }
    std::string sign = flags.find('+') != std::string::npos   ? "+"
                       : flags.find(' ') != std::string::npos ? " "
                                                              : "";
    std::string alternate = flags.find('#') != std::string::npos ? "#" : "";
    Value converted = *argument;
    std::string type_text(1, type);
    switch (type) {
      case 's':
      case 'r':
      case 'a': {
        auto shown = context.Text(*argument, type != 's');
        if (!shown) return shown;
        converted = Value::Str(std::move(*shown));
      }
        type_text = "s";
        sign.clear();
        if (!spec.empty() && spec != "<") spec.clear();
        if (spec.empty() && !width.empty()) spec = ">";
        break;
      case 'd':
      case 'i':
      case 'u':
        if (argument->Is(Kind::kFloat))
          converted = Value::Int(static_cast<int64_t>(argument->AsFloat()));
        if (AsDecimal(*argument) != nullptr) {
          auto whole = context.CallSpecialMethod(*argument, "__int__", {});
          if (!whole) return base::Fail(whole.error());
          converted = **whole;
        }
        if (!converted.Is(Kind::kInt) && !converted.Is(Kind::kBool)) {
          return base::Fail(context.Throw(
              "TypeError", "%" + std::string(1, type) + " format: a real number is required, not " +
                               argument->TypeName()));
        }
        converted = Value::Int(converted.AsInt());
        type_text = "d";
        precision.clear();
        break;
      case 'c':
        if (argument->Is(Kind::kStr)) {
          // One character, placed as %s would.
          if (CodePointCount(argument->AsStr()) != 1) {
            return base::Fail(context.Throw("TypeError",
                                            "%c requires an int or a unicode "
                                            "character, not a string of length " +
                                                std::to_string(CodePointCount(argument->AsStr()))));
          }
          type_text = "s";
          sign.clear();
          if (!spec.empty() && spec != "<") spec.clear();
          if (spec.empty() && !width.empty()) spec = ">";
        }
        precision.clear();
        break;
      case 'x':
      case 'X':
      case 'o':
        precision.clear();
        break;
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
        if (AsDecimal(*argument) != nullptr) {
          // Python formats a Decimal here through float().
          auto real = context.CallSpecialMethod(*argument, "__float__", {});
          if (!real) return base::Fail(real.error());
          converted = **real;
        } else if (!argument->IsNumber()) {
          return base::Fail(
              context.Throw("TypeError", "must be real number, not " + argument->TypeName()));
        } else {
          converted = Value::Float(argument->AsFloat());
        }
        if (precision.empty()) precision = ".6";
        break;
      default:
        return base::Fail(context.Throw(
            "ValueError", "unsupported format character '" + std::string(1, type) + "'"));
    }
    if (spec == "0" && type_text == "s") spec.clear();
    std::string full = spec.size() == 1 && spec != "0" ? spec + sign + alternate + width
                                                       : sign + alternate + spec + width;
    auto text =
        FormatValue(context, converted, full + precision + (type_text == "s" ? "" : type_text));
    if (!text) return text;
    out += *text;
  }
  if (mapping == nullptr && next < positional.size()) {
    return base::Fail(
        context.Throw("TypeError", "not all arguments converted during string formatting"));
  }
  return out;
}

Result<std::string> StrFormat(CallContext& context, std::string_view format, const Args& args) {
  std::string out;
  size_t automatic = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c == '}') {
      if (i + 1 < format.size() && format[i + 1] == '}') {
        out += '}';
        ++i;
        continue;
      }
      return base::Fail(context.Throw("ValueError", "Single '}' encountered in format string"));
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < format.size() && format[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    // The field runs to the matching '}' (a spec may hold one nested {}).
    size_t depth = 1, end = i + 1;
    for (; end < format.size() && depth > 0; ++end) {
      if (format[end] == '{') ++depth;
      if (format[end] == '}') --depth;
    }
    if (depth != 0)
      return base::Fail(context.Throw("ValueError", "expected '}' before end of string"));
    std::string_view field = format.substr(i + 1, end - i - 2);
    i = end - 1;
    std::string_view spec;
    char conversion = 0;
    size_t colon = field.find(':');
    if (colon != std::string_view::npos) {
      spec = field.substr(colon + 1);
      field = field.substr(0, colon);
    }
    if (field.size() >= 2 && field[field.size() - 2] == '!') {
      conversion = field.back();
      field.remove_suffix(2);
    }
    if (spec.find('{') != std::string_view::npos) {
      return base::Fail(
          context.Unsupported("unsupported: nested replacement field in a format spec"));
    }
    size_t name_end = field.find_first_of(".[");
    std::string_view name = field.substr(0, name_end);
    Value value;
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) {
      size_t index =
          name.empty() ? automatic++ : static_cast<size_t>(std::stoul(std::string(name)));
      if (index >= args.positional.size()) {
        return base::Fail(
            context.Throw("IndexError", "Replacement index " + std::to_string(index) +
                                            " out of range for positional args tuple"));
      }
      value = args.positional[index];
    } else {
      bool found = false;
      for (const auto& [keyword, keyword_value] : args.keywords) {
        if (keyword == name) {
          value = keyword_value;
          found = true;
        }
      }
      if (!found) return base::Fail(context.ThrowKeyError(Value::Str(std::string(name))));
    }
    // `.attribute` and `[key]` lookups, left to right.
    std::string_view rest = name_end == std::string_view::npos ? "" : field.substr(name_end);
    while (!rest.empty()) {
      if (rest[0] == '.') {
        size_t next = rest.find_first_of(".[", 1);
        auto attribute = context.GetAttr(
            value, rest.substr(1, next == std::string_view::npos ? next : next - 1));
        if (!attribute) return base::Fail(attribute.error());
        value = std::move(*attribute);
        rest = next == std::string_view::npos ? "" : rest.substr(next);
        continue;
      }
      size_t close = rest.find(']');
      if (close == std::string_view::npos)
        return base::Fail(context.Throw("ValueError", "Missing ']' in format string"));
      std::string key(rest.substr(1, close - 1));
      rest = rest.substr(close + 1);
      bool numeric = !key.empty() && key.find_first_not_of("0123456789") == std::string::npos;
      if (value.IsSequence() && numeric) {
        size_t index = std::stoul(key);
        if (index >= value.Items().size())
          return base::Fail(context.Throw("IndexError", "list index out of range"));
        value = value.Items()[index];
      } else if (value.Is(Kind::kDict)) {
        Value lookup = numeric ? Value::Int(std::stoll(key)) : Value::Str(key);
        Value* found = value.AsDict().Find(lookup);
        if (found == nullptr) return base::Fail(context.ThrowKeyError(lookup));
        value = *found;
      } else {
        return base::Fail(
            context.Throw("TypeError", "'" + value.TypeName() + "' object is not subscriptable"));
      }
    }
    if (conversion == 'r' || conversion == 'a' || conversion == 's') {
      auto shown = context.Text(value, conversion != 's');
      if (!shown) return shown;
      value = Value::Str(std::move(*shown));
    }
    auto text = FormatValue(context, value, spec);
    if (!text) return text;
    out += *text;
  }
  return out;
}

}  // namespace sqlmend::python
