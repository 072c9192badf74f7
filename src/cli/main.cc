// sqlmend's entry point: builds the command line and hands over to the
// subcommand files. Kept thin: parsing is CLI11's, work is commands'.
#include "cli/app.h"

int main(int argc, char** argv) { return sqlmend::cli::Run(argc, argv); }
