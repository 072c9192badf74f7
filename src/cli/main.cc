// sqlmend's entry point: builds the command line and hands over to the
// subcommand files. Kept thin: parsing is CLI11's, work is commands'.
#include "base/heap.h"
#include "cli/app.h"
#include "commands/command_line.h"

int main(int argc, char** argv) {
  if (!sqlmend::commands::NamesRepairCommand(argc, argv)) sqlmend::base::PrepareHeap();
  return sqlmend::cli::Run(argc, argv);
}
