#include "autogen/python_models.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "autogen/model_loader_py.h"
#include "schema/reflect.h"

namespace sqlmend::autogen {
namespace {

using base::Fail;
using base::Result;
using base::Status;
using nlohmann::json;

// The child's exit status when exec itself failed (as a shell's).
constexpr int kExecFailed = 127;

struct ProcessOutput {
  int status = 0;  // as waitpid() gives it
  std::string out;
  std::string err;
};

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// Runs `argv` with `input` on its stdin, collecting stdout and stderr
// (both read as they come, so neither pipe can fill and stall the child).
Result<ProcessOutput> RunProcess(const std::vector<std::string>& argv, const std::string& input) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) return Fail(Status::Environment(argv[0], std::strerror(errno)));
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]);
    return Fail(Status::Environment(argv[0], std::strerror(errno)));
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]), close(out[0]), close(out[1]);
    return Fail(Status::Environment(argv[0], std::strerror(errno)));
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    execvp(args[0], args.data());
    const char* reason = std::strerror(errno);
    (void)!write(2, reason, std::strlen(reason));
    _exit(kExecFailed);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (pid < 0) {
    close(in[1]), close(out[0]), close(err[0]);
    return Fail(Status::Environment(argv[0], std::strerror(errno)));
  }
  // The request is small; a child that exits early closes its end, which
  // SIGPIPE must not turn into our death.
  struct sigaction ignore = {};
  struct sigaction previous = {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &previous);
  size_t written = 0;
  while (written < input.size()) {
    ssize_t n = write(in[1], input.data() + written, input.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  sigaction(SIGPIPE, &previous, nullptr);
  CloseFd(in[1]);
  ProcessOutput result;
  int fds[2] = {out[0], err[0]};
  std::string* sinks[2] = {&result.out, &result.err};
  while (fds[0] >= 0 || fds[1] >= 0) {
    pollfd polled[2];
    nfds_t count = 0;
    int which[2];
    for (int i = 0; i < 2; ++i) {
      if (fds[i] < 0) continue;
      polled[count] = {fds[i], POLLIN, 0};
      which[count++] = i;
    }
    if (poll(polled, count, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (nfds_t k = 0; k < count; ++k) {
      if (!(polled[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buffer[65536];
      ssize_t n = read(polled[k].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        CloseFd(fds[which[k]]);
        continue;
      }
      sinks[which[k]]->append(buffer, static_cast<size_t>(n));
    }
  }
  CloseFd(fds[0]);
  CloseFd(fds[1]);
  while (waitpid(pid, &result.status, 0) < 0 && errno == EINTR) {
  }
  return result;
}

std::string LastLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  size_t newline = text.rfind('\n');
  return newline == std::string::npos ? text : text.substr(newline + 1);
}

std::string Str(const json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

bool Bool(const json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_boolean() && found->get<bool>();
}

std::optional<std::string> OptionalStr(const json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

std::vector<std::string> Strings(const json& object, const char* key) {
  std::vector<std::string> out;
  auto found = object.find(key);
  if (found == object.end() || !found->is_array()) return out;
  for (const auto& item : *found) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

ops::ConstraintName NameOf(const json& object) {
  ops::ConstraintName name;
  auto found = object.find("name");
  if (found == object.end() || !found->is_object()) return name;
  name.value = OptionalStr(*found, "value");
  name.conv = Bool(*found, "conv");
  return name;
}

std::optional<bool> Deferrable(const json& object) {
  auto found = object.find("deferrable");
  if (found == object.end() || !found->is_boolean()) return std::nullopt;
  return found->get<bool>();
}

// A type as SQLAlchemy compiles it for SQLite ("VARCHAR(100) COLLATE
// \"nocase\""): the collation apart, as a model's type carries it.
ops::Type TypeOf(std::string compiled) {
  std::optional<std::string> collation;
  const size_t at = compiled.rfind(" COLLATE ");
  if (at != std::string::npos) {
    std::string name = compiled.substr(at + 9);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    collation = name;
    compiled.resize(at);
  }
  ops::Type type = schema::ReflectedType(compiled);
  type.collation = std::move(collation);
  return type;
}

ops::Column ColumnOf(const json& c) {
  ops::Column column;
  column.name = Str(c, "name");
  column.type = TypeOf(Str(c, "type"));
  column.nullable = Bool(c, "nullable");
  column.primary_key = Bool(c, "primary_key");
  auto autoincrement = c.find("autoincrement");
  if (autoincrement != c.end() && autoincrement->is_boolean()) {
    column.autoincrement =
        autoincrement->get<bool>() ? ops::Autoincrement::kTrue : ops::Autoincrement::kFalse;
  }
  column.unique = Bool(c, "unique");
  column.index = Bool(c, "index");
  column.comment = OptionalStr(c, "comment");
  auto server_default = c.find("server_default");
  if (server_default != c.end() && server_default->is_object()) {
    const std::string kind = Str(*server_default, "kind");
    const std::string text = Str(*server_default, "text");
    if (kind == "string") {
      column.server_default = ops::ServerDefault::String(text);
    } else if (kind == "text") {
      column.server_default = ops::ServerDefault::SqlText(text);
    } else if (kind == "now") {
      column.server_default = ops::ServerDefault::Now();
    } else {
      column.server_default = ops::ServerDefault::Expression(text);
    }
  }
  return column;
}

ModelTable TableOf(const json& t) {
  ModelTable out;
  ops::Table& table = out.table;
  table.name = Str(t, "name");
  table.sqlite_autoincrement = Bool(t, "sqlite_autoincrement");
  std::vector<std::string> flagged;
  for (const auto& c : t.value("columns", json::array())) {
    table.columns.push_back(ColumnOf(c));
    if (table.columns.back().primary_key) flagged.push_back(table.columns.back().name);
    out.types.push_back({Str(c, "repr"), Strings(c, "imports")});
  }
  if (auto pk = t.find("primary_key"); pk != t.end() && pk->is_object()) {
    ops::PrimaryKeyConstraint primary_key;
    primary_key.columns = Strings(*pk, "columns");
    primary_key.name = NameOf(*pk);
    // Kept as a constraint only where the columns' flags cannot say it.
    if (!primary_key.columns.empty() &&
        (primary_key.name.value || primary_key.columns != flagged)) {
      table.primary_key = std::move(primary_key);
    }
  }
  for (const auto& k : t.value("constraints", json::array())) {
    const std::string kind = Str(k, "kind");
    if (kind == "foreign_key") {
      ops::ForeignKeyConstraint fk;
      fk.columns = Strings(k, "columns");
      fk.target_table = Str(k, "target_table");
      fk.target_columns = Strings(k, "target_columns");
      fk.name = NameOf(k);
      fk.options.ondelete = OptionalStr(k, "ondelete");
      fk.options.onupdate = OptionalStr(k, "onupdate");
      fk.options.deferrable = Deferrable(k);
      fk.options.initially = OptionalStr(k, "initially");
      fk.options.match = OptionalStr(k, "match");
      table.constraints.push_back(ops::Constraint::Of(std::move(fk)));
    } else if (kind == "unique") {
      ops::UniqueConstraint unique;
      unique.columns = Strings(k, "columns");
      unique.name = NameOf(k);
      unique.deferrable = Deferrable(k);
      unique.initially = OptionalStr(k, "initially");
      table.constraints.push_back(ops::Constraint::Of(std::move(unique)));
    } else if (kind == "check") {
      ops::CheckConstraint check;
      check.sqltext = Str(k, "sqltext");
      check.name = NameOf(k);
      table.constraints.push_back(ops::Constraint::Of(std::move(check)));
    }
  }
  for (const auto& i : t.value("indexes", json::array())) {
    ops::Index index;
    index.name = NameOf(i);
    index.table = table.name;
    index.unique = Bool(i, "unique");
    index.sqlite_where = OptionalStr(i, "sqlite_where");
    for (const auto& e : i.value("elements", json::array())) {
      index.elements.push_back({Str(e, "text"), Bool(e, "expression")});
    }
    table.indexes.push_back(std::move(index));
  }
  return out;
}

Result<PythonModels> Parse(const std::string& text, const std::string& python) {
  PythonModels out;
  const json document = json::parse(text);
  if (!document.is_object()) throw json::type_error::create(302, "not an object", nullptr);
  if (auto error = OptionalStr(document, "error")) {
    return Fail(Status::Refused(python, python + ": " + *error));
  }
  out.python = Str(document, "python");
  out.sqlalchemy = Str(document, "sqlalchemy");
  out.hooks = Strings(document, "hooks");
  out.url = OptionalStr(document, "url");
  out.model.metadata.naming_convention.clear();
  // value() returns a copy: keep it alive while items() walks it.
  const json convention = document.value("naming_convention", json::object());
  for (const auto& [key, value] : convention.items()) {
    if (value.is_string()) out.model.metadata.naming_convention[key] = value.get<std::string>();
  }
  for (const auto& t : document.value("tables", json::array()))
    out.model.tables.push_back(TableOf(t));
  const json options = document.value("options", json::object());
  for (const auto& [key, value] : options.items()) {
    if (key == "version_table") {
      if (value.is_string() && value.get<std::string>() != "callable") {
        out.version_table = value.get<std::string>();
      }
    } else {
      out.flags[key] = value.is_boolean() ? value.get<bool>() : true;
    }
  }
  using Key = std::tuple<std::string, std::string, std::string, bool>;
  std::map<Key, bool> decisions;
  for (const auto& d : document.value("decisions", json::array())) {
    if (!d.is_array() || d.size() != 5) continue;
    decisions[Key{d[0].get<std::string>(), d[1].get<std::string>(), d[2].get<std::string>(),
                  d[3].get<bool>()}] = d[4].get<bool>();
  }
  if (!decisions.empty()) {
    out.filter.include = [decisions](const std::string& kind, const std::string& name,
                                     const std::string& table, bool reflected) -> Result<bool> {
      auto found = decisions.find(Key{kind, name, table, reflected});
      return found == decisions.end() ? true : found->second;
    };
  }
  return out;
}

}  // namespace

Result<std::vector<ReflectedName>> ReflectedNames(sqlite::Db& db,
                                                  const std::string& version_table) {
  auto names = schema::ObjectNames(db, false);
  if (!names) return Fail(names.error());
  std::vector<ReflectedName> out;
  for (const std::string& name : *names) {
    if (name == version_table) continue;
    out.push_back({"table", name, ""});
    auto table = schema::ReflectTable(db, name);
    if (!table) return Fail(table.error());
    for (const auto& c : table->columns) out.push_back({"column", c.name, name});
    for (const auto& i : table->indexes) out.push_back({"index", i.name.value.value_or(""), name});
    for (const auto& k : table->constraints) {
      if (k.kind == ops::Constraint::Kind::kUnique) {
        out.push_back({"unique_constraint", k.unique.name.value.value_or(""), name});
      } else if (k.kind == ops::Constraint::Kind::kForeignKey) {
        out.push_back({"foreign_key_constraint", k.foreign_key.name.value.value_or(""), name});
      }
    }
  }
  return out;
}

std::string VirtualenvPython(const std::string& venv) {
  if (venv.empty()) return "";
  for (const char* name : {"bin/python", "bin/python3"}) {
    std::error_code error;
    const auto path = std::filesystem::path(venv) / name;
    if (std::filesystem::exists(path, error)) return path.string();
  }
  return "";
}

Result<PythonModels> LoadPythonModels(const PythonModelsRequest& request) {
  json r;
  r["env"] = request.env_path;
  r["config_file_name"] = request.config_file.empty() ? json() : json(request.config_file);
  r["section"] = request.section;
  json options = json::object();
  for (const auto& [key, value] : request.options) options[key] = value;
  r["options"] = options;
  r["x"] = request.x_args;
  r["sys_path"] = request.sys_path;
  r["autogenerate"] = request.autogenerate;
  json reflected = json::array();
  for (const auto& n : request.reflected) reflected.push_back({n.kind, n.name, n.table});
  r["reflected"] = reflected;
  std::string input;
  try {
    input = r.dump();
  } catch (const json::exception& e) {  // a name that is not UTF-8
    return Fail(Status::Refused(request.python, e.what()));
  }
  // -I: the project's paths come only from the request (sys_path), as
  // sqlmend found them; no current folder, user site or PYTHON* variables.
  // -B: no __pycache__ left in the project's folders.
  auto run = RunProcess({request.python, "-I", "-B", "-c", kModelLoaderPy}, input);
  if (!run) return Fail(run.error());
  const bool exited = WIFEXITED(run->status);
  if (!exited || WEXITSTATUS(run->status) != 0 || run->out.empty()) {
    std::string why = LastLine(run->err);
    if (why.empty()) {
      why =
          exited ? "exit status " + std::to_string(WEXITSTATUS(run->status)) : "killed by a signal";
    }
    if (exited && WEXITSTATUS(run->status) == kExecFailed) {
      return Fail(Status::Environment(request.python, "cannot run: " + why));
    }
    return Fail(
        Status::Refused(request.python, request.python + ": the model loader failed: " + why));
  }
  try {
    return Parse(run->out, request.python);
  } catch (const json::exception& e) {
    return Fail(Status::Refused(
        request.python, std::string("the model loader's output is not its JSON: ") + e.what()));
  }
}

}  // namespace sqlmend::autogen
