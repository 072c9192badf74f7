// The Python front end and interpreter (python/parser.h, interpreter.h) on
// arbitrary source text: parse, run the module, then call upgrade() and
// downgrade() when it defines them, with the standard modules a revision
// imports and a module loader whose search path is empty (an import of
// anything else binds a placeholder; files are never written by the
// interpreter). The interpreter's own caps bound what a script can do:
// kMaxCallDepth, kMaxSyntaxDepth and kMaxEvaluationDepth (the stack),
// kMaxIterations and kMaxSteps (the time), kMaxStrBytes and
// kMaxContainerItems (python/operators.h: each value) and the memory cap
// (Interpreter::set_memory_cap: all values; 1 GiB here, under the 2 GiB
// -rss_limit_mb). tools/fuzz.sh runs this target with -timeout and
// -rss_limit_mb above what those caps allow, so a hang or an out-of-memory
// is a cap that does not hold.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/leak_check.h"
#include "python/enum_module.h"
#include "python/interpreter.h"
#include "python/module_loader.h"
#include "python/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto module = sqlmend::python::PythonModule::Parse(std::string(text), "versions/fuzz.py");
  if (!module) return 0;
  // Scripts build reference cycles the interpreter frees only at exit
  // (base/leak_check.h); every other allocation stays checked.
  sqlmend::base::IntentionalLeakScope interpreter_cycles;
  sqlmend::python::ModuleLoader loader({});
  sqlmend::python::Interpreter interpreter([](const sqlmend::python::LogRecord&) {});
  interpreter.set_memory_cap(size_t{1} << 30);
  loader.Install(interpreter);
  interpreter.AddModule("enum", sqlmend::python::MakeEnumModule());
  if (!interpreter.Run(*module).ok()) return 0;
  for (const char* name : {"upgrade", "downgrade"}) {
    if (const sqlmend::python::Value* function = interpreter.Global(name)) {
      (void)interpreter.Call(*function, {});
    }
  }
  return 0;
}
