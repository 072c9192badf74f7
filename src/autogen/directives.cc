#include "autogen/directives.h"

#include <map>
#include <memory>
#include <utility>

namespace sqlmend::autogen {
namespace {

using base::Fail;
using base::Result;
using base::Status;
using python::Args;
using python::CallContext;
using python::Value;
using VKind = Value::Kind;

// UpgradeOps / DowngradeOps: is_empty(); the operations themselves are not
// modelled.
class OpsValue : public python::HostObject {
 public:
  OpsValue(std::string type_name, bool empty) : type_name_(std::move(type_name)), empty_(empty) {}
  std::string TypeName() const override { return type_name_; }
  std::optional<Result<Value>> GetAttribute(CallContext& context, std::string_view name) override {
    if (name == "is_empty") {
      const bool empty = empty_;
      return Value::Builtin("is_empty", [empty](CallContext&, Args&) -> Result<Value> {
        return Value::Bool(empty);
      });
    }
    return Fail(context.Unsupported("unsupported: " + type_name_ + "." + std::string(name) +
                                    " in process_revision_directives (sqlmend models "
                                    "is_empty() only)"));
  }

 private:
  std::string type_name_;
  bool empty_;
};

// MigrationScript: its settable attributes as values.
class ScriptValue : public python::HostObject {
 public:
  std::string TypeName() const override { return "MigrationScript"; }
  std::optional<Result<Value>> GetAttribute(CallContext&, std::string_view name) override {
    auto found = attributes.find(name);
    if (found == attributes.end()) return std::nullopt;
    return found->second;
  }
  Status SetAttribute(CallContext& context, std::string_view name, Value value) override {
    if (name == "upgrade_ops" || name == "downgrade_ops") {
      return context.Unsupported("unsupported: replacing MigrationScript." + std::string(name) +
                                 " in process_revision_directives");
    }
    attributes[std::string(name)] = std::move(value);
    return Status::Ok();
  }
  std::map<std::string, Value, std::less<>> attributes;
};

Value StrOrNone(const std::optional<std::string>& text) {
  return text ? Value::Str(*text) : Value::None();
}

Value Strings(const std::vector<std::string>& items) {
  if (items.empty()) return Value::None();
  if (items.size() == 1) return Value::Str(items.front());
  std::vector<Value> values;
  for (const auto& item : items) values.push_back(Value::Str(item));
  return Value::Tuple(std::move(values));
}

// A str, a list/tuple of str or None, as a list of str; nullopt otherwise.
std::optional<std::vector<std::string>> StringsOf(const Value& value) {
  if (value.IsNone()) return std::vector<std::string>{};
  if (value.Is(VKind::kStr)) return std::vector<std::string>{value.AsStr()};
  if (!value.IsSequence()) return std::nullopt;
  std::vector<std::string> out;
  for (const Value& item : value.Items()) {
    if (!item.Is(VKind::kStr)) return std::nullopt;
    out.push_back(item.AsStr());
  }
  return out;
}

}  // namespace

Result<std::optional<script::NewRevisionArgs>> ProcessRevisionDirectives(
    const Value& hook, const PythonCall& call, script::NewRevisionArgs directives, bool empty,
    const std::vector<std::string>& revision_heads) {
  auto script = std::make_shared<ScriptValue>();
  script->attributes["rev_id"] = StrOrNone(directives.rev_id);
  script->attributes["message"] = Value::Str(directives.message);
  script->attributes["head"] =
      Value::Str(directives.heads.empty() ? "head" : directives.heads.front());
  script->attributes["splice"] = Value::Bool(false);
  script->attributes["branch_label"] = Strings(directives.branch_labels);
  script->attributes["version_path"] = StrOrNone(directives.version_path);
  script->attributes["depends_on"] = Strings(directives.depends_on);
  script->attributes["imports"] = Value::Set({});
  script->attributes["upgrade_ops"] = Value::Host(std::make_shared<OpsValue>("UpgradeOps", empty));
  script->attributes["downgrade_ops"] =
      Value::Host(std::make_shared<OpsValue>("DowngradeOps", empty));
  Value list = Value::List({Value::Host(script)});
  std::vector<Value> heads;
  for (const auto& h : revision_heads) heads.push_back(Value::Str(h));
  auto called = call(hook, Args{{Value::None(), Value::Tuple(std::move(heads)), list}, {}});
  if (!called) return Fail(called.error());

  script::NewRevisionArgs out = std::move(directives);
  const auto& items = list.Items();
  if (items.empty()) return std::optional<script::NewRevisionArgs>();
  if (items.size() != 1 || !items.front().Is(VKind::kHost) ||
      dynamic_cast<ScriptValue*>(&items.front().AsHost()) != script.get()) {
    return Fail(Status::Refused("", "unsupported: process_revision_directives left directives "
                                    "other than the MigrationScript it was given"));
  }
  using Kept = std::optional<script::NewRevisionArgs>;
  auto text = [&](const char* name) -> Result<std::optional<std::string>> {
    const Value& value = script->attributes[name];
    if (value.IsNone()) return std::optional<std::string>();
    if (!value.Is(VKind::kStr)) {
      return Fail(Status::Refused("", std::string("process_revision_directives set ") + name +
                                          " to a " + value.TypeName() + ", not a str"));
    }
    return std::optional<std::string>(value.AsStr());
  };
  auto rev_id = text("rev_id");
  if (!rev_id) return Fail(rev_id.error());
  out.rev_id = *rev_id;
  auto message = text("message");
  if (!message) return Fail(message.error());
  out.message = message->value_or("");
  auto head = text("head");
  if (!head) return Fail(head.error());
  out.heads = *head ? std::vector<std::string>{**head} : std::vector<std::string>{};
  auto version_path = text("version_path");
  if (!version_path) return Fail(version_path.error());
  out.version_path = *version_path;
  for (auto [name, target] : {std::pair{"branch_label", &out.branch_labels},
                              std::pair{"depends_on", &out.depends_on}}) {
    auto strings = StringsOf(script->attributes[name]);
    if (!strings) {
      return Fail(Status::Refused("", std::string("process_revision_directives set ") + name +
                                          " to something other than str, a list of str or None"));
    }
    *target = std::move(*strings);
  }
  return Kept(std::move(out));
}

}  // namespace sqlmend::autogen
