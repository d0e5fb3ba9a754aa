#pragma once
// Runs a program (the `layerwatt` CLI, in the CLI tests) as a separate process, as a user runs
// it: stdout and stderr go to files, and its exit status comes back as a shell reports it.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

extern char** environ;

namespace layerwatt::testing {

/// Starts `args` (a program and its arguments; the program is searched in PATH) with this
/// process's environment, stdout to `out` and stderr to `err`.
inline pid_t start_process(std::vector<std::string> args, const std::filesystem::path& out,
                           const std::filesystem::path& err) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&files, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, argv[0], &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  EXPECT_EQ(rc, 0) << "cannot start " << args.front();
  return pid;
}

/// Waits for `pid` and returns its exit status, 128 + N for a death by signal N.
inline int finish_process(pid_t pid) {
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

}  // namespace layerwatt::testing
