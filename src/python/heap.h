// Heap: the interpreter owns the objects a run creates.
//
// Values hold their objects by shared_ptr, and Python programs build
// reference cycles (a function stored in the scope it closes over, a class
// whose enum members are its instances, a module importing one that imports
// it back), which reference counting alone never frees. An Interpreter owns
// a Heap: while it lives, every list, tuple, set, dict, scope, function,
// bound method, module, class, instance and host object made on its thread
// is recorded here (weakly, so recording keeps nothing alive). When the
// interpreter goes, Collect() finds the recorded objects that nothing
// outside the recorded set refers to and that no such object reaches (the
// trial deletion CPython's cycle collector does: an object's references
// from recorded objects are subtracted from its reference count; what keeps
// a count above zero is referred to from outside and stays, with all it
// reaches), and clears them, which frees the cycles among them. Objects
// still held outside (a Value a caller kept, a process-wide exception
// class) are left as they are.
//
// A host object takes part through HostObject::Traverse() and Clear()
// (python/value.h); one that does not override them is opaque: its
// references count as coming from outside. So are a builtin's captures;
// once the garbage holding such a builtin is cleared they are released, so
// a heap that goes collects again until a round clears nothing. A builtin
// that captures an object reaching back to the builtin holds it weakly.
//
// Heaps nest per thread: objects are recorded with the newest heap alive on
// the thread; none is recorded where no heap is alive. What a heap leaves
// when it goes (held outside) passes to the heap below it, so an owner that
// outlives its interpreter (a Project holding env.py's state) declares a
// heap before it, and the cycles freed only when that state goes are
// collected then.
#pragma once

#include <cstddef>
#include <memory>
#include <unordered_map>
#include <vector>

namespace sqlmend::python {

class Heap {
 public:
  enum class Kind {
    kList,  // also tuple and set (ListObject)
    kDict,
    kScope,
    kFunction,
    kBoundMethod,
    kModule,
    kClass,
    kInstance,
    kHost,
  };

  Heap();
  ~Heap();  // Collect(), then the thread's previous heap records again
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  // Records `object` (of `kind`) with the thread's current heap, if any.
  // Recording the same object again is harmless.
  static void Record(Kind kind, const std::shared_ptr<void>& object);

  // Clears the recorded objects nothing outside reaches (see above); the
  // others stay recorded. Returns how many were cleared.
  size_t Collect();

 private:
  struct Entry {
    std::weak_ptr<void> object;
    const void* address;
    Kind kind;
  };
  void Add(Kind kind, const std::shared_ptr<void>& object);
  void Prune();

  std::vector<Entry> entries_;
  // Where each recorded object of a kind that is wrapped in a Value more
  // than once (a class, a module, an instance, a function, a host object)
  // sits in entries_, so that it is recorded once.
  std::unordered_map<const void*, size_t> index_;
  size_t prune_at_ = 4096;
};

}  // namespace sqlmend::python
