#include "python/parse_ahead.h"

#include <filesystem>
#include <thread>

#include "base/files.h"
#include "base/strings.h"
#include "python/module_search.h"

namespace sqlmend::python {

namespace {

// How many files one loader parses ahead at most: a bound on a wrong guess.
constexpr size_t kMaxFilesAhead = 2000;

class ImportReader {
 public:
  ImportReader(const PythonModule& module, const std::vector<std::string>& search_path)
      : module_(module), search_path_(search_path) {}

  std::vector<std::string> Read() {
    Statements(module_.Root());
    return std::move(files_);
  }

 private:
  // Module-level statements: into compound statements and class bodies,
  // never into a function body (it runs only when called). Imports nested
  // deeper than kMaxDepth are not guessed.
  void Statements(Node node, int depth = 0) {
    constexpr int kMaxDepth = 64;
    if (depth > kMaxDepth) return;
    for (Node child : node.NamedChildren()) {
      std::string_view type = child.Type();
      if (type == "import_statement") {
        Import(child);
      } else if (type == "import_from_statement") {
        ImportFrom(child);
      } else if (type == "function_definition" || type == "expression_statement" ||
                 type.ends_with("assignment")) {
        continue;
      } else if (type == "if_statement" && IsTypeChecking(child.Field("condition"))) {
        continue;  // imports for type checkers only
      } else if (type == "decorated_definition") {
        Node definition = child.Field("definition");
        if (definition.Is("class_definition")) Statements(definition.Field("body"), depth + 1);
      } else if (type == "block" || type == "class_definition" || type.ends_with("_statement") ||
                 type.ends_with("_clause")) {
        Statements(type == "class_definition" ? child.Field("body") : child, depth + 1);
      }
    }
  }

  bool IsTypeChecking(Node condition) const {
    std::string_view text = module_.Text(condition);
    return text == "TYPE_CHECKING" || text.ends_with(".TYPE_CHECKING");
  }

  // import a.b.c [as x], ...
  void Import(Node statement) {
    for (Node name : statement.NamedChildren()) {
      if (name.Is("aliased_import")) name = name.Field("name");
      if (name.Is("dotted_name")) Resolve(search_path_, base::Split(module_.Text(name), '.'), {});
    }
  }

  // from [.]a.b import c, d | *
  void ImportFrom(Node statement) {
    Node from = statement.Field("module_name");
    std::vector<std::string> names;
    for (Node child : statement.NamedChildren()) {
      if (child.StartByte() == from.StartByte()) continue;
      if (child.Is("aliased_import")) child = child.Field("name");
      if (child.Is("dotted_name")) names.emplace_back(module_.Text(child));
    }
    if (from.Is("dotted_name")) {
      Resolve(search_path_, base::Split(module_.Text(from), '.'), names);
      return;
    }
    if (!from.Is("relative_import")) return;
    // Dots: the module's own package folder, then one up per further dot.
    std::string_view text = module_.Text(from);
    size_t dots = text.find_first_not_of('.');
    if (dots == std::string_view::npos) dots = text.size();
    std::filesystem::path folder = std::filesystem::path(module_.path()).parent_path();
    for (size_t i = 1; i < dots; ++i) folder = folder.parent_path();
    std::vector<std::string> folders = {folder.string()};
    std::string_view rest = text.substr(dots);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    if (rest.empty()) {
      for (const auto& name : names) Resolve(folders, {name}, {});
    } else {
      Resolve(folders, base::Split(rest, '.'), names);
    }
  }

  // The files importing `parts` from `folders` loads, then each of `names`
  // that is a submodule of it.
  void Resolve(std::vector<std::string> folders, const std::vector<std::string>& parts,
               const std::vector<std::string>& names) {
    for (const std::string& part : parts) {
      auto found = SearchModule(folders, part);
      if (!found || found->is_extension) return;
      if (!found->file.empty()) files_.push_back(found->file);
      if (!found->is_package) return;
      folders = std::move(found->paths);
    }
    for (const std::string& name : names) {
      if (name.find('.') != std::string::npos) continue;
      auto found = SearchModule(folders, name);
      if (found && !found->is_extension && !found->file.empty()) files_.push_back(found->file);
    }
  }

  const PythonModule& module_;
  const std::vector<std::string>& search_path_;
  std::vector<std::string> files_;
};

}  // namespace

std::vector<std::string> ImportedFiles(const PythonModule& module,
                                       const std::vector<std::string>& search_path) {
  return ImportReader(module, search_path).Read();
}

ParseAhead::ParseAhead(bool enabled) : enabled_(enabled && base::SecondCpuAvailable()) {}

void ParseAhead::Start() {
  const std::thread::id creator = std::this_thread::get_id();
  bool ran_here = false;
  worker_ = std::make_unique<base::WorkerThread>([this, creator, &ran_here] {
    // No thread could be started, so the work runs here, where it would
    // wait forever: nothing is parsed ahead then.
    if (std::this_thread::get_id() == creator) {
      ran_here = true;
      return;
    }
    Work();
  });
  if (ran_here) {
    worker_.reset();
    enabled_ = false;
  }
}

ParseAhead::~ParseAhead() {
  if (!worker_) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  changed_.notify_all();
  worker_->Join();
}

void ParseAhead::QueueImportsOf(const PythonModule* module, std::vector<std::string> search_path) {
  if (!enabled_) return;
  if (!worker_) Start();  // on first use: a command that imports nothing starts no thread
  if (!worker_) return;
  auto id = base::IdentityOf(module->path());
  std::lock_guard lock(mu_);
  if (id) seen_.insert({id->device, id->inode});
  jobs_.push_front(Job{module, {}, {}, std::move(search_path)});
  changed_.notify_all();
}

void ParseAhead::MarkSeen(const std::string& path) {
  auto id = base::IdentityOf(path);
  if (!id) return;
  std::lock_guard lock(mu_);
  seen_.insert({id->device, id->inode});
}

void ParseAhead::QueueFiles(const std::vector<std::string>& files,
                            const std::vector<std::string>& search_path) {
  auto at = jobs_.begin();
  while (at != jobs_.end() && at->scan) ++at;  // after the scans still to do
  for (const std::string& file : files) {
    if (seen_.size() >= kMaxFilesAhead) return;
    auto id = base::IdentityOf(file);
    if (!id || !seen_.insert({id->device, id->inode}).second) continue;
    const Identity identity{id->device, id->inode};
    entries_[identity] = Entry{};
    at = jobs_.insert(at, Job{nullptr, identity, file, search_path}) + 1;
  }
}

std::optional<PythonModule> ParseAhead::Take(const std::string& path) {
  if (!worker_) return std::nullopt;
  auto id = base::IdentityOf(path);
  if (!id) return std::nullopt;
  std::unique_lock lock(mu_);
  auto it = entries_.find({id->device, id->inode});
  if (it == entries_.end()) return std::nullopt;
  changed_.wait(lock, [&] { return it->second.state != State::kParsing; });
  std::optional<PythonModule> module = std::move(it->second.module);
  entries_.erase(it);  // a queued job finds no entry and is skipped
  if (module) module->set_path(path);
  return module;
}

void ParseAhead::WaitUntilIdle() {
  if (!worker_) return;
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return jobs_.empty() && !busy_; });
}

void ParseAhead::Work() {
  std::unique_lock lock(mu_);
  while (true) {
    busy_ = false;
    changed_.notify_all();
    changed_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
    if (stop_) return;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    busy_ = true;
    if (job.scan) {
      lock.unlock();
      std::vector<std::string> files = ImportedFiles(*job.scan, job.search_path);
      lock.lock();
      QueueFiles(files, job.search_path);
      continue;
    }
    auto it = entries_.find(job.parse);
    if (it == entries_.end()) continue;  // taken by the caller, who parses it
    it->second.state = State::kParsing;
    lock.unlock();
    std::optional<PythonModule> module;
    if (auto parsed = PythonModule::ParseFile(job.path)) module = std::move(*parsed);
    std::vector<std::string> files;
    if (module) files = ImportedFiles(*module, job.search_path);
    lock.lock();
    it->second.state = module ? State::kDone : State::kFailed;
    it->second.module = std::move(module);
    QueueFiles(files, job.search_path);
    changed_.notify_all();
  }
}

}  // namespace sqlmend::python
