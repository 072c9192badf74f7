// sqlalchemy_utils (sqlalchemy_utils.h): SQLAlchemy-Utils' column types,
// written in Python over sqlmend's TypeDecorator.
#include "sqlalchemy/sqlalchemy_utils.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "python/parser.h"
#include "sqlalchemy/public_names.h"

namespace sqlmend::sqlalchemy {
namespace {

using python::ModuleObject;
using python::Value;

constexpr char kSource[] = R"PY(import datetime
import json
import uuid

from sqlalchemy import types
from sqlalchemy import Column


class ImproperlyConfigured(Exception):
    pass


class ScalarListException(Exception):
    pass


class ScalarCoercible:
    def _coerce(self, value):
        raise NotImplementedError

    def coercion_listener(self, target, value, oldvalue, initiator):
        return self._coerce(value)


class UUIDType(ScalarCoercible, types.TypeDecorator):
    impl = types.BINARY(16)
    python_type = uuid.UUID
    cache_ok = True

    def __init__(self, binary=True, native=True):
        self.binary = binary
        self.native = native

    def __repr__(self):
        return 'UUIDType(binary=%r, native=%r)' % (self.binary, self.native)

    def load_dialect_impl(self, dialect):
        if self.binary:
            return types.BINARY(16)
        return types.CHAR(32)

    @staticmethod
    def _coerce(value):
        if value and not isinstance(value, uuid.UUID):
            try:
                value = uuid.UUID(value)
            except (TypeError, ValueError):
                value = uuid.UUID(bytes=value)
        return value

    def process_bind_param(self, value, dialect):
        if value is None:
            return value
        if not isinstance(value, uuid.UUID):
            value = self._coerce(value)
        return value.bytes if self.binary else value.hex

    def process_result_value(self, value, dialect):
        if value is None:
            return value
        if self.binary:
            return uuid.UUID(bytes=value)
        return uuid.UUID(value)


class Choice:
    def __init__(self, code, value):
        self.code = code
        self.value = value

    def __eq__(self, other):
        if isinstance(other, Choice):
            return self.code == other.code
        return other == self.code

    def __hash__(self):
        return hash(self.code)

    def __ne__(self, other):
        return not (self == other)

    def __str__(self):
        return str(self.value)

    def __repr__(self):
        return 'Choice(code={code}, value={value})'.format(code=self.code, value=self.value)


class ChoiceType(ScalarCoercible, types.TypeDecorator):
    impl = types.Unicode(255)
    cache_ok = True

    def __init__(self, choices, impl=None):
        self.choices = tuple(choices) if isinstance(choices, list) else choices
        self._is_enum = isinstance(choices, type) or hasattr(choices, '__members__')
        if impl is not None:
            self.impl = impl

    def load_dialect_impl(self, dialect):
        return self.impl

    def _coerce(self, value):
        if value is None:
            return value
        if self._is_enum:
            return self.choices(value)
        if isinstance(value, Choice):
            return value
        return Choice(value, dict(self.choices)[value])

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if self._is_enum:
            return self.choices(value).value
        if isinstance(value, Choice):
            return value.code
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if self._is_enum:
            return self.choices(value)
        return Choice(value, dict(self.choices)[value])


class EmailType(types.TypeDecorator):
    impl = types.Unicode
    cache_ok = True

    def __init__(self, length=255, *args, **kwargs):
        super().__init__(*args, length=length, **kwargs)

    def process_bind_param(self, value, dialect):
        if value is not None:
            return value.lower()
        return value


class URLType(types.TypeDecorator):
    impl = types.UnicodeText
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return str(value) if value is not None else None


class JSONType(types.TypeDecorator):
    impl = types.UnicodeText
    cache_ok = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def process_bind_param(self, value, dialect):
        if value is not None:
            value = json.dumps(value)
        return value

    def process_result_value(self, value, dialect):
        if value is not None:
            value = json.loads(value)
        return value


class _Text(ScalarCoercible, types.TypeDecorator):
    cache_ok = True

    def __init__(self, *args, **kwargs):
        self._options = (args, kwargs)

    def process_bind_param(self, value, dialect):
        return str(value) if value is not None else None


class TimezoneType(_Text):
    impl = types.Unicode(50)


class CountryType(_Text):
    impl = types.Unicode(2)


class CurrencyType(_Text):
    impl = types.Unicode(3)


class LocaleType(_Text):
    impl = types.Unicode(10)


class _SizedText(_Text):
    def __init__(self, max_length=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.impl = types.Unicode(max_length or self.impl.length)

    def load_dialect_impl(self, dialect):
        return self.impl


class IPAddressType(_SizedText):
    impl = types.Unicode(50)


class ColorType(_SizedText):
    impl = types.Unicode(20)

    def process_bind_param(self, value, dialect):
        if value is None or isinstance(value, str):
            return value
        return str(getattr(value, 'hex', value))


class PhoneNumberType(_SizedText):
    impl = types.Unicode(20)

    def __init__(self, region='US', max_length=20, *args, **kwargs):
        super().__init__(max_length, *args, **kwargs)
        self.region = region

    def process_bind_param(self, value, dialect):
        if value is None or isinstance(value, str):
            return value
        return getattr(value, 'e164', value)


class ScalarListType(types.TypeDecorator):
    impl = types.UnicodeText()
    cache_ok = True

    def __init__(self, coerce_func=str, separator=','):
        self.separator = str(separator)
        self.coerce_func = coerce_func

    def process_bind_param(self, value, dialect):
        if value is not None:
            if any(self.separator in str(item) for item in value):
                raise ScalarListException(
                    "List values can't contain string '%s' (its being used as "
                    "separator. If you wish for scalar lists to contain these "
                    "strings, use a different separator string.)" % self.separator)
            return self.separator.join(map(str, value))
        return None

    def process_result_value(self, value, dialect):
        if value is not None:
            if value == '':
                return []
            return list(map(self.coerce_func, value.split(self.separator)))
        return None


class ArrowType(types.TypeDecorator):
    impl = types.DateTime
    cache_ok = True


class EnrichedDateTimeType(types.TypeDecorator):
    impl = types.DateTime
    cache_ok = True

    def __init__(self, datetime_processor=None, *args, **kwargs):
        super().__init__(*args, **kwargs)


class EnrichedDateType(types.TypeDecorator):
    impl = types.Date
    cache_ok = True

    def __init__(self, date_processor=None, *args, **kwargs):
        super().__init__(*args, **kwargs)


class _RefusedValues:
    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        raise NotImplementedError(
            'sqlmend does not model writing a %s value (%s)' % (type(self).__name__, self._needs))


class PasswordType(_RefusedValues, ScalarCoercible, types.TypeDecorator):
    impl = types.LargeBinary
    cache_ok = True
    _needs = 'hashing it needs passlib'

    def __init__(self, max_length=None, **kwargs):
        self._options = kwargs
        self.length = max_length

    def load_dialect_impl(self, dialect):
        return types.LargeBinary(self.length)


class StringEncryptedType(_RefusedValues, ScalarCoercible, types.TypeDecorator):
    impl = types.String
    cache_ok = True
    _needs = 'encrypting it needs cryptography'

    def __init__(self, type_in=None, key=None, engine=None, padding=None, **kwargs):
        super().__init__(**kwargs)
        self.underlying_type = type_in
        self.key = key


class EncryptedType(StringEncryptedType):
    impl = types.LargeBinary


class TSVectorType(types.TypeDecorator):
    impl = types.UnicodeText
    cache_ok = True

    def __init__(self, *args, **kwargs):
        self.columns = args
        self.options = kwargs

    def load_dialect_impl(self, dialect):
        from sqlalchemy.dialects import postgresql
        return postgresql.TSVECTOR()


def generic_repr(*fields):
    if len(fields) == 1 and isinstance(fields[0], type):
        return fields[0]

    def decorator(cls):
        return cls
    return decorator


def force_auto_coercion(mapper=None):
    pass


def force_instant_defaults(mapper=None):
    pass


class Timestamp:
    created = Column(types.DateTime, default=datetime.datetime.utcnow, nullable=False)
    updated = Column(types.DateTime, default=datetime.datetime.utcnow, nullable=False)
)PY";

// The public names of sqlalchemy_utils and sqlalchemy_utils.types
// (SQLAlchemy-Utils 0.38): those the source does not define stop the run
// where they are used.
struct UtilsName {
  const char* name;
  bool in_types;  // also a name of sqlalchemy_utils.types
};
constexpr UtilsName kUtilsNames[] = {
    {"ArrowType", true},
    {"Asterisk", false},
    {"Choice", true},
    {"ChoiceType", true},
    {"ColorType", true},
    {"CompositeType", true},
    {"Country", false},
    {"CountryType", true},
    {"Currency", false},
    {"CurrencyType", true},
    {"DateRangeType", true},
    {"DateTimeRangeType", true},
    {"EmailType", true},
    {"EncryptedType", true},
    {"EnrichedDateTimeType", true},
    {"EnrichedDateType", true},
    {"IPAddressType", true},
    {"ImproperlyConfigured", false},
    {"InstrumentedList", true},
    {"Int8RangeType", true},
    {"IntRangeType", true},
    {"JSONType", true},
    {"LocaleType", true},
    {"Ltree", false},
    {"LtreeType", true},
    {"NumericRangeType", true},
    {"Password", true},
    {"PasswordType", true},
    {"PhoneNumber", true},
    {"PhoneNumberParseException", true},
    {"PhoneNumberType", true},
    {"ProxyDict", false},
    {"QueryChain", false},
    {"ScalarListException", true},
    {"ScalarListType", true},
    {"StringEncryptedType", true},
    {"TSVectorType", true},
    {"Timestamp", false},
    {"TimezoneType", true},
    {"TranslationHybrid", false},
    {"URLType", true},
    {"UUIDType", true},
    {"WeekDay", false},
    {"WeekDays", false},
    {"WeekDaysType", true},
    {"aggregated", false},
    {"assert_max_length", false},
    {"assert_max_value", false},
    {"assert_min_value", false},
    {"assert_non_nullable", false},
    {"assert_nullable", false},
    {"auto_delete_orphans", false},
    {"cast_if", false},
    {"coercion_listener", false},
    {"create_database", false},
    {"create_materialized_view", false},
    {"create_mock_engine", false},
    {"create_view", false},
    {"database_exists", false},
    {"dependent_objects", false},
    {"drop_database", false},
    {"escape_like", false},
    {"force_auto_coercion", false},
    {"force_instant_defaults", false},
    {"generic_relationship", false},
    {"generic_repr", false},
    {"get_bind", false},
    {"get_class_by_table", false},
    {"get_column_key", false},
    {"get_columns", false},
    {"get_declarative_base", false},
    {"get_fk_constraint_for_columns", false},
    {"get_hybrid_properties", false},
    {"get_mapper", false},
    {"get_primary_keys", false},
    {"get_referencing_foreign_keys", false},
    {"get_tables", false},
    {"get_type", false},
    {"group_foreign_keys", false},
    {"has_changes", false},
    {"has_index", false},
    {"has_unique_index", false},
    {"identity", false},
    {"is_loaded", false},
    {"json_sql", false},
    {"jsonb_sql", false},
    {"merge_references", false},
    {"naturally_equivalent", false},
    {"observes", false},
    {"refresh_materialized_view", false},
    {"register_composites", true},
    {"remove_composite_listeners", true},
    {"render_expression", false},
    {"render_statement", false},
    {"row_to_json", false},
    {"table_name", false},
};

struct Submodule {
  const char* name;  // under sqlalchemy_utils
  std::vector<const char*> names;
};

// Where each name lives in the package (autogenerate writes
// sqlalchemy_utils.types.uuid.UUIDType).
const std::vector<Submodule>& Submodules() {
  static const auto* const submodules = new std::vector<Submodule>{
      {"types.uuid", {"UUIDType"}},
      {"types.choice", {"Choice", "ChoiceType"}},
      {"types.email", {"EmailType"}},
      {"types.url", {"URLType"}},
      {"types.json", {"JSONType"}},
      {"types.timezone", {"TimezoneType"}},
      {"types.country", {"CountryType"}},
      {"types.currency", {"CurrencyType"}},
      {"types.locale", {"LocaleType"}},
      {"types.ip_address", {"IPAddressType"}},
      {"types.color", {"ColorType"}},
      {"types.phone_number", {"PhoneNumberType"}},
      {"types.scalar_list", {"ScalarListException", "ScalarListType"}},
      {"types.arrow", {"ArrowType"}},
      {"types.enriched_datetime", {"EnrichedDateTimeType", "EnrichedDateType"}},
      {"types.enriched_datetime.enriched_datetime_type", {"EnrichedDateTimeType"}},
      {"types.enriched_datetime.enriched_date_type", {"EnrichedDateType"}},
      {"types.password", {"PasswordType"}},
      {"types.encrypted", {}},
      {"types.encrypted.encrypted_type", {"StringEncryptedType", "EncryptedType"}},
      {"types.ts_vector", {"TSVectorType"}},
      {"types.scalar_coercible", {"ScalarCoercible"}},
      {"exceptions", {"ImproperlyConfigured"}},
      {"models", {"Timestamp", "generic_repr"}},
      {"listeners", {"force_auto_coercion", "force_instant_defaults"}},
  };
  return *submodules;
}

// Runs the source once per interpreter and fills the registered modules.
base::Status Complete(python::Interpreter& interpreter) {
  auto parsed = python::EmbeddedModule(kSource, "<sqlalchemy_utils>");
  if (!parsed) return parsed.error();
  auto ran = interpreter.RunModule(**parsed, "_sqlmend_sqlalchemy_utils");
  if (!ran) return ran.error();
  const auto& defined = ran->AsModule().attributes;
  auto module = [&interpreter](const std::string& dotted) -> ModuleObject& {
    return interpreter.RegisteredModule(dotted)->AsModule();
  };
  auto fill = [&defined](ModuleObject& target, const std::string& dotted, const char* name) {
    auto it = defined.find(name);
    target.attributes[name] =
        it != defined.end() ? it->second : MakeUnmodelledName(dotted + "." + name);
  };
  for (const UtilsName& row : kUtilsNames) {
    fill(module("sqlalchemy_utils"), "sqlalchemy_utils", row.name);
    if (row.in_types) fill(module("sqlalchemy_utils.types"), "sqlalchemy_utils.types", row.name);
  }
  for (const Submodule& submodule : Submodules()) {
    const std::string dotted = std::string("sqlalchemy_utils.") + submodule.name;
    for (const char* name : submodule.names) fill(module(dotted), dotted, name);
  }
  return base::Status::Ok();
}

}  // namespace

void AddSqlalchemyUtils(python::Interpreter& interpreter) {
  std::vector<std::string> names = {"sqlalchemy_utils", "sqlalchemy_utils.types"};
  for (const Submodule& submodule : Submodules()) {
    names.push_back(std::string("sqlalchemy_utils.") + submodule.name);
  }
  auto done = std::make_shared<bool>(false);
  for (const std::string& dotted : names) {
    auto object = std::make_shared<ModuleObject>();
    object->name = dotted;
    Value value = Value::Module(object);
    interpreter.AddModule(dotted, value);
    if (size_t dot = dotted.rfind('.'); dot != std::string::npos) {
      interpreter.RegisteredModule(dotted.substr(0, dot))
          ->AsModule()
          .attributes[dotted.substr(dot + 1)] = value;
    }
    // Whichever module a script reaches first runs the source for all.
    interpreter.CompleteOnFirstUse(value,
                                   [done](python::Interpreter& on, ModuleObject&) -> base::Status {
                                     if (*done) return base::Status::Ok();
                                     *done = true;
                                     return Complete(on);
                                   });
  }
}

}  // namespace sqlmend::sqlalchemy
