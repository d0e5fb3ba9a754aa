#pragma once
// Runs a program as a user does — a separate process, stdout and stderr to files — and reads
// its exit status the way a shell reports it.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern char** environ;

namespace layerwatt::testing {

/// Starts `args[0]` (searched in PATH) with `args`; -1 if it cannot be started.
inline pid_t spawn_process(std::vector<std::string> args, const std::filesystem::path& stdout_file,
                           const std::filesystem::path& stderr_file) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&files, STDERR_FILENO, stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, argv[0], &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  return rc == 0 ? pid : -1;
}

/// Waits for `pid`: its exit code, or 128 + N for a death by signal N; -1 if waiting fails.
inline int wait_exit_status(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

struct process_result {
  int status;
  std::string out, err;
};

/// Runs `args` to the end with stdout and stderr captured in `scratch` (a writable directory).
inline process_result run_process(std::vector<std::string> args, const std::filesystem::path& scratch) {
  const auto out = scratch / "stdout.txt", err = scratch / "stderr.txt";
  const pid_t pid = spawn_process(std::move(args), out, err);
  const int status = pid < 0 ? -1 : wait_exit_status(pid);
  const auto slurp = [](const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  return {status, slurp(out), slurp(err)};
}

}  // namespace layerwatt::testing
