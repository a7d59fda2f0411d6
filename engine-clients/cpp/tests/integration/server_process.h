#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vitrine::testing {

// The repository root, passed in by CMake, where bin/vitrine.js and demo/ live.
std::string RepoRoot();
// `node`'s absolute path from PATH, or empty when it is missing.
std::string FindOnPath(const std::string& program);
// Why the real server cannot run here, or std::nullopt when it can.
std::optional<std::string> WhyServerCannotRun();

struct CommandResult {
  int exit_code = 0;
  std::string output;  // stdout and stderr together
};

// Runs a command with extra environment variables in `cwd` until it exits; std::nullopt when
// it could not be started.
std::optional<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                        const std::map<std::string, std::string>& environment,
                                        const std::string& cwd);

// A real Vitrine server (`node bin/vitrine.js serve`) as a child process.
class ServerProcess {
 public:
  // `listen_address` of 127.0.0.1:0 picks a free port; a restart passes the previous one.
  ServerProcess(std::string database_path, std::string listen_address = "127.0.0.1:0");
  // Stops the server gracefully (SIGTERM), then forcibly if it lingers.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts the server and waits for its "listening" log line. On failure `error` says why,
  // with the server's output.
  bool Start(std::chrono::milliseconds timeout, std::string* error);
  // Ends the server abruptly, like a crash or a power cut.
  void Kill();
  // Ends the server gracefully and waits for it.
  void Terminate();

  const std::string& address() const { return address_; }
  const std::string& database_path() const { return database_path_; }
  std::string Output() const;

 private:
  void ReadOutput(int fd);
  void Reap(int signal_number);

  const std::string database_path_;
  const std::string listen_address_;
  pid_t pid_ = -1;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable listening_;
  std::string output_;
  std::string address_;
  bool output_closed_ = false;
};

// Creates an API key for the demo game with every scope, through the CLI.
std::optional<std::string> CreateApiKey(const std::string& database_path, std::string* error);

}  // namespace vitrine::testing
