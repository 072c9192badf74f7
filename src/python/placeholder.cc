// Placeholders for modules sqlmend cannot load (placeholder.h).
#include "python/placeholder.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "python/interpreter.h"

namespace sqlmend::python {
namespace {

using base::Result;
using base::Status;

// What every placeholder reached from one module shares.
struct Origin {
  std::string module;
  std::string reason;
  std::shared_ptr<const PlaceholderPolicy> policy;
};

std::string WhereOf(CallContext& context) {
  if (auto* interpreter = dynamic_cast<Interpreter*>(&context)) return interpreter->CurrentWhere();
  return "<host>";
}

// `value`, or an item of a container given as it (two levels deep), that
// reaches the database (PlaceholderPolicy); null when none does.
const Value* Reaching(const PlaceholderPolicy& policy, const Value& value, int depth) {
  if (value.Is(Value::Kind::kHost) && value.AsHost().ReachesDatabase()) return &value;
  if (policy.reaches_database && policy.reaches_database(value)) return &value;
  if (depth >= 2) return nullptr;
  if (value.Is(Value::Kind::kList) || value.Is(Value::Kind::kTuple) ||
      value.Is(Value::Kind::kSet)) {
    for (const Value& item : value.Items()) {
      if (const Value* found = Reaching(policy, item, depth + 1)) return found;
    }
  } else if (value.Is(Value::Kind::kDict)) {
    for (const auto& entry : value.AsDict().entries) {
      if (const Value* found = Reaching(policy, entry.second, depth + 1)) return found;
    }
  }
  return nullptr;
}

class Placeholder : public HostObject {
 public:
  Placeholder(std::shared_ptr<const Origin> origin, std::string path, Value model = Value())
      : origin_(std::move(origin)), path_(std::move(path)), model_(std::move(model)) {}

  std::string TypeName() const override { return "placeholder"; }
  std::string Repr() const override { return "<placeholder " + path_ + ">"; }
  std::string Describe() const {
    return path_ + " (module '" + origin_->module + "' " + origin_->reason + ")";
  }

  std::optional<Result<Value>> GetAttribute(CallContext& context, std::string_view name) override {
    if (model_.Is(Value::Kind::kModule)) {
      const auto& modelled = model_.AsModule().attributes;
      if (auto it = modelled.find(name); it != modelled.end()) return Result<Value>(it->second);
    }
    if (name == "__name__") return Result<Value>(Value::Str(path_));
    // A submodule imported already (one sqlmend models in part under a
    // module that is not installed) is that module.
    if (auto* interpreter = dynamic_cast<Interpreter*>(&context)) {
      if (const Value* module = interpreter->RegisteredModule(path_ + "." + std::string(name))) {
        return Result<Value>(*module);
      }
    }
    return Result<Value>(Derived(path_ + "." + std::string(name)));
  }
  Status SetAttribute(CallContext&, std::string_view, Value) override { return Status::Ok(); }

  Result<Value> Call(CallContext& context, Args& args) override {
    if (origin_->policy && !origin_->policy->in_body.empty()) {
      const PlaceholderPolicy& policy = *origin_->policy;
      const Value* handed = nullptr;
      for (const Value& value : args.positional) {
        if (handed == nullptr) handed = Reaching(policy, value, 0);
      }
      for (const auto& keyword : args.keywords) {
        if (handed == nullptr) handed = Reaching(policy, keyword.second, 0);
      }
      if (handed != nullptr) {
        return base::Fail(context.Unsupported(
            "unsupported: calling " + Describe() + " inside " + policy.in_body + " with a " +
            handed->TypeName() + ": what the call would do to the database is unknown"));
      }
      spdlog::warn("{}: calling {} inside {} does nothing here", WhereOf(context), Describe(),
                   policy.in_body);
    }
    return Derived(path_ + "()");
  }
  Result<Value> Enter(CallContext& context) override {
    Args none;
    return Call(context, none);
  }
  Status Exit(CallContext&) override { return Status::Ok(); }
  Result<Value> GetItem(CallContext&, const Value&) override { return Derived(path_ + "[...]"); }

  Result<std::vector<Value>> Iterate(CallContext& context) override {
    spdlog::warn("{}: {} is iterated as empty", WhereOf(context), Describe());
    return std::vector<Value>{};
  }
  std::optional<Result<bool>> Bool(CallContext& context) override {
    spdlog::warn("{}: {} is taken as false", WhereOf(context), Describe());
    return Result<bool>(false);
  }
  std::optional<Result<Value>> Operator(CallContext&, std::string_view op, const Value&,
                                        bool) override {
    return Result<Value>(Derived("(" + path_ + " " + std::string(op) + " ...)"));
  }
  std::optional<Result<Value>> UnaryOperator(CallContext&, std::string_view op) override {
    return Result<Value>(Derived(std::string(op) + path_));
  }

  Value Derive(std::string path) const { return Derived(std::move(path)); }
  const std::string& path() const { return path_; }

  // Text of a placeholder inside a revision body would be written.
  std::optional<Status> TextStop(CallContext& context) const {
    if (!origin_->policy || origin_->policy->in_body.empty()) return std::nullopt;
    return context.Unsupported("unsupported: the text of " + Describe() + " inside " +
                               origin_->policy->in_body +
                               ": it would be written where its value is unknown");
  }

 private:
  Value Derived(std::string path) const {
    return Value::Host(std::make_shared<Placeholder>(origin_, std::move(path)));
  }

  std::shared_ptr<const Origin> origin_;
  std::string path_;
  // For a module sqlmend models in part: the module its model defines.
  Value model_;
};

const Placeholder* AsPlaceholder(const Value& value) {
  if (!value.Is(Value::Kind::kHost)) return nullptr;
  return dynamic_cast<const Placeholder*>(&value.AsHost());
}

}  // namespace

Value MakePlaceholderModule(const std::string& module, const std::string& reason,
                            std::shared_ptr<const PlaceholderPolicy> policy) {
  auto origin = std::make_shared<Origin>(Origin{module, reason, std::move(policy)});
  return Value::Host(std::make_shared<Placeholder>(std::move(origin), module));
}

Value MakePartialModule(const std::string& module, Value model,
                        std::shared_ptr<const PlaceholderPolicy> policy) {
  auto origin = std::make_shared<Origin>(Origin{module, kPartialReason, std::move(policy)});
  return Value::Host(std::make_shared<Placeholder>(std::move(origin), module, std::move(model)));
}

bool IsPlaceholder(const Value& value) { return AsPlaceholder(value) != nullptr; }

Value DerivePlaceholder(const Value& placeholder, std::string_view function, size_t arguments) {
  const Placeholder* from = AsPlaceholder(placeholder);
  return from->Derive(std::string(function) + "(" + from->path() +
                      (arguments > 1 ? ", ...)" : ")"));
}

std::string DescribePlaceholder(const Value& value) {
  const Placeholder* placeholder = AsPlaceholder(value);
  return placeholder != nullptr ? placeholder->Describe() : std::string();
}

std::optional<Status> PlaceholderStop(CallContext& context, const Value& value,
                                      std::string_view what) {
  const Placeholder* placeholder = AsPlaceholder(value);
  if (placeholder == nullptr) return std::nullopt;
  return context.Unsupported("unsupported: " + std::string(what) + " is " +
                             placeholder->Describe());
}

std::optional<Status> PlaceholderTextStop(CallContext& context, const Value& value) {
  const Placeholder* placeholder = AsPlaceholder(value);
  if (placeholder == nullptr) return std::nullopt;
  return placeholder->TextStop(context);
}

void WarnPlaceholderUse(const Value& value, std::string_view where, std::string_view what) {
  spdlog::warn("{}: {} {}", where, DescribePlaceholder(value), what);
}

}  // namespace sqlmend::python
