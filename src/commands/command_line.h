// What a command line names, before it is parsed (cli/app.h parses it).
#pragma once

namespace sqlmend::commands {

// Whether argv names a repair command (check-fk, fix-fk, doctor, dump): the
// first word that is not an option or a global option's value decides.
// main() sets up the heap for the migrate commands only (base/heap.h): the
// repair commands hold SQLite's caches and large buffers, whose freed memory
// that set-up keeps resident (fix-fk on 10,000 tables peaked at 100 MB with
// it).
bool NamesRepairCommand(int argc, char** argv);

}  // namespace sqlmend::commands
