#include "server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <sstream>

extern char** environ;

namespace vitrine::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kListeningMarker[] = "\"msg\":\"listening\"";
constexpr char kAddressField[] = "\"address\":\"";

// Everything the child needs, prepared before fork: after fork in a threaded process only
// async-signal-safe calls are allowed, so no allocation happens there.
struct PreparedExec {
  std::string program;
  std::vector<std::string> argument_strings;
  std::vector<std::string> environment_strings;
  std::vector<char*> argv;
  std::vector<char*> envp;

  PreparedExec(const std::vector<std::string>& arguments,
               const std::map<std::string, std::string>& extra_environment) {
    program = FindOnPath(arguments.front());
    argument_strings = arguments;
    for (char** variable = environ; *variable != nullptr; ++variable) {
      const std::string entry = *variable;
      const std::string name = entry.substr(0, entry.find('='));
      if (extra_environment.count(name) == 0) environment_strings.push_back(entry);
    }
    for (const auto& [name, value] : extra_environment) {
      environment_strings.push_back(name + "=" + value);
    }
    for (auto& argument : argument_strings) argv.push_back(argument.data());
    argv.push_back(nullptr);
    for (auto& variable : environment_strings) envp.push_back(variable.data());
    envp.push_back(nullptr);
  }
};

// Forks a child running `exec` in `cwd` with stdout and stderr into a pipe; returns the pid
// and the pipe's read end.
pid_t Spawn(PreparedExec& exec, const std::string& cwd, int* output_fd) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    // Dies with the test process, so a crashed test leaves no server behind.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    if (chdir(cwd.c_str()) != 0) _exit(126);
    execve(exec.program.c_str(), exec.argv.data(), exec.envp.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  if (pid < 0) {
    close(pipe_fds[0]);
    return -1;
  }
  *output_fd = pipe_fds[0];
  return pid;
}

}  // namespace

std::string RepoRoot() { return VITRINE_REPO_ROOT; }

std::string FindOnPath(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const char* path = std::getenv("PATH");
  std::stringstream directories(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string directory;
  while (std::getline(directories, directory, ':')) {
    const fs::path candidate = fs::path(directory.empty() ? "." : directory) / program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

std::optional<std::string> WhyServerCannotRun() {
  if (FindOnPath("node").empty()) return "node is not on PATH";
  const fs::path entry_point = fs::path(RepoRoot()) / "bin" / "vitrine.js";
  if (!fs::exists(entry_point)) return entry_point.string() + " does not exist yet";
  return std::nullopt;
}

std::optional<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                        const std::map<std::string, std::string>& environment,
                                        const std::string& cwd) {
  PreparedExec exec(argv, environment);
  if (exec.program.empty()) return std::nullopt;
  int output_fd = -1;
  const pid_t pid = Spawn(exec, cwd, &output_fd);
  if (pid < 0) return std::nullopt;
  CommandResult result;
  char buffer[4096];
  ssize_t count;
  while ((count = read(output_fd, buffer, sizeof buffer)) > 0) result.output.append(buffer, count);
  close(output_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

ServerProcess::ServerProcess(std::string database_path, std::string listen_address)
    : database_path_(std::move(database_path)), listen_address_(std::move(listen_address)) {}

ServerProcess::~ServerProcess() { Terminate(); }

bool ServerProcess::Start(std::chrono::milliseconds timeout, std::string* error) {
  PreparedExec exec(
      {"node", "bin/vitrine.js", "serve"},
      {{"VITRINE_LISTEN_ADDRESS", listen_address_}, {"VITRINE_DATABASE_PATH", database_path_}});
  int output_fd = -1;
  pid_ = Spawn(exec, RepoRoot(), &output_fd);
  if (pid_ < 0) {
    *error = "could not start node: " + std::string(std::strerror(errno));
    return false;
  }
  reader_ = std::thread([this, output_fd] { ReadOutput(output_fd); });

  std::unique_lock<std::mutex> lock(mutex_);
  listening_.wait_for(lock, timeout, [this] { return !address_.empty() || output_closed_; });
  if (!address_.empty()) return true;
  *error = (output_closed_ ? "the server exited before listening; output:\n"
                           : "the server did not log \"listening\" in time; output:\n") +
           output_;
  return false;
}

void ServerProcess::ReadOutput(int fd) {
  // Reading until the end also keeps the pipe from filling up and blocking the server.
  std::string line;
  char buffer[4096];
  ssize_t count;
  while ((count = read(fd, buffer, sizeof buffer)) > 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    output_.append(buffer, count);
    for (ssize_t i = 0; i < count; ++i) {
      if (buffer[i] != '\n') {
        line.push_back(buffer[i]);
        continue;
      }
      const auto address_start = line.find(kAddressField);
      if (address_.empty() && line.find(kListeningMarker) != std::string::npos &&
          address_start != std::string::npos) {
        const auto value_start = address_start + std::strlen(kAddressField);
        address_ = line.substr(value_start, line.find('"', value_start) - value_start);
        listening_.notify_all();
      }
      line.clear();
    }
  }
  close(fd);
  std::lock_guard<std::mutex> lock(mutex_);
  output_closed_ = true;
  listening_.notify_all();
}

void ServerProcess::Kill() { Reap(SIGKILL); }

void ServerProcess::Terminate() { Reap(SIGTERM); }

void ServerProcess::Reap(int signal_number) {
  if (pid_ <= 0) return;
  kill(pid_, signal_number);
  // A graceful stop gets ten seconds before it is forced.
  int status = 0;
  for (int waited_ms = 0; waitpid(pid_, &status, WNOHANG) == 0; waited_ms += 50) {
    if (waited_ms >= 10000) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    usleep(50 * 1000);
  }
  pid_ = -1;
  if (reader_.joinable()) reader_.join();
}

std::string ServerProcess::Output() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return output_;
}

std::optional<std::string> CreateApiKey(const std::string& database_path, std::string* error) {
  const auto result = RunCommand({"node", "bin/vitrine.js", "keys", "create", "--game", "demo",
                                  "--scopes", "client,designer,admin"},
                                 {{"VITRINE_DATABASE_PATH", database_path}}, RepoRoot());
  if (!result || result->exit_code != 0) {
    *error =
        "`vitrine keys create` failed" +
        (result ? " with exit code " + std::to_string(result->exit_code) + ":\n" + result->output
                : std::string(": node could not be started"));
    return std::nullopt;
  }
  // The key is alone on the last non-empty line.
  std::stringstream lines(result->output);
  std::string line;
  std::string last_line;
  while (std::getline(lines, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) last_line = line;
  }
  last_line.erase(last_line.find_last_not_of(" \t\r") + 1);
  if (last_line.empty()) {
    *error = "`vitrine keys create` printed no key";
    return std::nullopt;
  }
  return last_line;
}

}  // namespace vitrine::testing
