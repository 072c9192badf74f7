// A main() for the fuzz targets without libFuzzer: runs
// LLVMFuzzerTestOneInput once on each file named, walking folders
// recursively; `--ext .sql` keeps only the files with that ending. The
// tests build every target this way with the project's own compiler and run
// it over fixtures/ (tests/CMakeLists.txt), so the targets keep compiling
// and their seeds keep passing without clang; a saved crash input replays
// the same way.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::string ext;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--ext" && i + 1 < argc) {
      ext = argv[++i];
    } else if (fs::is_directory(arg)) {
      for (const auto& entry : fs::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else {
      files.emplace_back(arg);
    }
  }
  size_t ran = 0;
  for (const fs::path& file : files) {
    if (!ext.empty() && file.extension() != ext) continue;
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", file.c_str());
      return 1;
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    ++ran;
  }
  std::printf("replayed %zu inputs\n", ran);
  return ran == 0 ? 1 : 0;
}
