#include "cli/help.h"

#include <CLI/CLI.hpp>

namespace sqlmend::cli {

void SetFooter(CLI::App* app, const std::string& text, const std::vector<Example>& examples) {
  // The layout ManPage() reads back: the paragraph, a blank line,
  // "Examples:", then each command indented by two spaces and what it does
  // by six.
  std::string footer;
  if (!text.empty()) footer += text + "\n\n";
  footer += "Examples:\n";
  for (const Example& example : examples) {
    footer += "  " + example.command + "\n";
    footer += "      " + example.what + "\n";
  }
  app->footer(footer);
}

}  // namespace sqlmend::cli
