#include "python/heap.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "python/value.h"

namespace sqlmend::python {
namespace {

// The heaps alive on this thread, the newest last.
thread_local std::vector<Heap*> heaps;

bool Deduplicated(Heap::Kind kind) {
  return kind == Heap::Kind::kFunction || kind == Heap::Kind::kModule ||
         kind == Heap::Kind::kClass || kind == Heap::Kind::kInstance || kind == Heap::Kind::kHost;
}

using Visit = HostObject::Visitor;

void VisitNames(const std::map<std::string, Value, std::less<>>& names, const Visit& visit) {
  for (const auto& [name, value] : names) VisitValue(value, visit);
}

// Calls `visit` with each object `object` (of `kind`) holds a strong
// reference to.
void Traverse(Heap::Kind kind, const void* object, const Visit& visit) {
  switch (kind) {
    case Heap::Kind::kList:
      for (const Value& item : static_cast<const ListObject*>(object)->items)
        VisitValue(item, visit);
      break;
    case Heap::Kind::kDict:
      for (const auto& [key, value] : static_cast<const DictObject*>(object)->entries) {
        VisitValue(key, visit);
        VisitValue(value, visit);
      }
      break;
    case Heap::Kind::kScope: {
      const auto* scope = static_cast<const Scope*>(object);
      VisitNames(scope->names, visit);
      if (scope->enclosing) visit(scope->enclosing.get());
      break;
    }
    case Heap::Kind::kFunction: {
      const auto* function = static_cast<const FunctionObject*>(object);
      for (const Parameter& parameter : function->parameters) {
        if (parameter.default_value) VisitValue(*parameter.default_value, visit);
      }
      if (function->closure) visit(function->closure.get());
      if (function->globals) visit(function->globals.get());
      VisitNames(function->attributes, visit);
      break;
    }
    case Heap::Kind::kBoundMethod: {
      const auto* method = static_cast<const BoundMethodObject*>(object);
      VisitValue(method->self, visit);
      VisitValue(method->function, visit);
      break;
    }
    case Heap::Kind::kModule:
      VisitNames(static_cast<const ModuleObject*>(object)->attributes, visit);
      break;
    case Heap::Kind::kClass: {
      const auto* class_object = static_cast<const ClassObject*>(object);
      VisitNames(class_object->attributes, visit);
      for (const auto& base : class_object->bases) visit(base.get());
      if (class_object->metaclass) visit(class_object->metaclass.get());
      break;
    }
    case Heap::Kind::kInstance: {
      const auto* instance = static_cast<const InstanceObject*>(object);
      if (instance->class_object) visit(instance->class_object.get());
      VisitNames(instance->attributes, visit);
      VisitValue(instance->builtin_value, visit);
      break;
    }
    case Heap::Kind::kHost:
      static_cast<const HostObject*>(object)->Traverse(visit);
      break;
  }
}

// Drops every reference `object` holds, so that a cycle through it ends.
// What it held is moved into `dropped`, to be released once every cleared
// object is done with.
void Clear(Heap::Kind kind, void* object, std::vector<Value>& dropped) {
  auto take_names = [&dropped](std::map<std::string, Value, std::less<>>& names) {
    for (auto& [name, value] : names) dropped.push_back(std::move(value));
    names.clear();
  };
  switch (kind) {
    case Heap::Kind::kList: {
      auto* list = static_cast<ListObject*>(object);
      for (Value& item : list->items) dropped.push_back(std::move(item));
      list->items.clear();
      list->set_index.clear();
      break;
    }
    case Heap::Kind::kDict: {
      auto* dict = static_cast<DictObject*>(object);
      for (auto& [key, value] : dict->entries) {
        dropped.push_back(std::move(key));
        dropped.push_back(std::move(value));
      }
      dict->Clear();
      break;
    }
    case Heap::Kind::kScope: {
      auto* scope = static_cast<Scope*>(object);
      take_names(scope->names);
      scope->enclosing.reset();
      break;
    }
    case Heap::Kind::kFunction: {
      auto* function = static_cast<FunctionObject*>(object);
      for (Parameter& parameter : function->parameters) {
        if (parameter.default_value) dropped.push_back(std::move(*parameter.default_value));
        parameter.default_value.reset();
      }
      function->closure.reset();
      function->globals.reset();
      take_names(function->attributes);
      break;
    }
    case Heap::Kind::kBoundMethod: {
      auto* method = static_cast<BoundMethodObject*>(object);
      dropped.push_back(std::move(method->self));
      dropped.push_back(std::move(method->function));
      method->self = Value();
      method->function = Value();
      break;
    }
    case Heap::Kind::kModule:
      take_names(static_cast<ModuleObject*>(object)->attributes);
      break;
    case Heap::Kind::kClass: {
      auto* class_object = static_cast<ClassObject*>(object);
      take_names(class_object->attributes);
      class_object->bases.clear();
      class_object->metaclass.reset();
      break;
    }
    case Heap::Kind::kInstance: {
      auto* instance = static_cast<InstanceObject*>(object);
      take_names(instance->attributes);
      dropped.push_back(std::move(instance->builtin_value));
      instance->builtin_value = Value();
      instance->class_object.reset();
      break;
    }
    case Heap::Kind::kHost:
      static_cast<HostObject*>(object)->Clear();
      break;
  }
}

}  // namespace

Heap::Heap() { heaps.push_back(this); }

Heap::~Heap() {
  // Clearing garbage releases what its builtins captured, which the counts
  // could not see; what that leaves unreferenced goes in the next round.
  while (Collect() > 0) {
  }
  auto self = std::find(heaps.begin(), heaps.end(), this);
  // What is still held outside passes to the heap below, to be collected
  // when that one goes (a Project's heap outlives its interpreter's).
  if (self != heaps.begin()) {
    Heap* below = *(self - 1);
    for (Entry& entry : entries_) {
      if (auto object = entry.object.lock()) below->Add(entry.kind, object);
    }
  }
  heaps.erase(self);
}

void Heap::Record(Kind kind, const std::shared_ptr<void>& object) {
  if (!heaps.empty() && object != nullptr) heaps.back()->Add(kind, object);
}

void Heap::Add(Kind kind, const std::shared_ptr<void>& object) {
  if (Deduplicated(kind)) {
    auto [it, added] = index_.try_emplace(object.get(), entries_.size());
    if (!added) {
      Entry& entry = entries_[it->second];
      // The same object, or a new one where a freed one was.
      if (!entry.object.expired() && entry.kind == kind) return;
      entry = Entry{object, object.get(), kind};
      return;
    }
  }
  entries_.push_back(Entry{object, object.get(), kind});
  if (entries_.size() >= prune_at_) Prune();
}

void Heap::Prune() {
  // Forgets the objects that are gone, so that their memory (allocated
  // with the control block a weak reference keeps) is returned.
  std::erase_if(entries_, [](const Entry& entry) { return entry.object.expired(); });
  index_.clear();
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (Deduplicated(entries_[i].kind)) index_[entries_[i].address] = i;
  }
  prune_at_ = std::max<size_t>(4096, entries_.size() * 2);
}

size_t Heap::Collect() {
  struct Node {
    std::shared_ptr<void> hold;
    Kind kind;
    long references;  // from outside the recorded objects, after trial deletion
    bool reachable = false;
  };
  std::unordered_map<const void*, Node> nodes;
  for (const Entry& entry : entries_) {
    std::shared_ptr<void> hold = entry.object.lock();
    if (hold == nullptr || nodes.contains(hold.get())) continue;
    const void* address = hold.get();
    Node node{std::move(hold), entry.kind, 0};
    node.references = node.hold.use_count() - 1;  // less this hold
    nodes.emplace(address, std::move(node));
  }
  entries_.clear();
  index_.clear();
  // Trial deletion: subtract the references recorded objects hold.
  for (auto& [address, node] : nodes) {
    Traverse(node.kind, address, [&nodes](const void* referent) {
      auto it = nodes.find(referent);
      if (it != nodes.end()) --it->second.references;
    });
  }
  // What something outside refers to is alive, with all it reaches.
  std::vector<const void*> pending;
  for (auto& [address, node] : nodes) {
    if (node.references > 0) {
      node.reachable = true;
      pending.push_back(address);
    }
  }
  while (!pending.empty()) {
    const void* address = pending.back();
    pending.pop_back();
    Traverse(nodes.at(address).kind, address, [&nodes, &pending](const void* referent) {
      auto it = nodes.find(referent);
      if (it != nodes.end() && !it->second.reachable) {
        it->second.reachable = true;
        pending.push_back(referent);
      }
    });
  }
  // The rest is garbage held only by garbage: cleared while every piece
  // is still held, then released together. What stays is recorded again.
  std::vector<Value> dropped;
  size_t cleared = 0;
  for (auto& [address, node] : nodes) {
    if (node.reachable) {
      entries_.push_back(Entry{node.hold, address, node.kind});
      continue;
    }
    Clear(node.kind, node.hold.get(), dropped);
    ++cleared;
  }
  dropped.clear();
  nodes.clear();
  Prune();
  return cleared;
}

}  // namespace sqlmend::python
