// The `layerwatt` executable: measure, map, train and predict per-layer power and runtime.

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <span>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "commands.hpp"
#include "interrupt.hpp"
#include "layerwatt/core/error.hpp"

namespace layerwatt::cli {
namespace {

constexpr std::array commands = {&inspect_command, &map_command, &convert_command, &dataset_command, &zoo_command, &simulate_command, &sensors_command, &log_command, &idle_command, &measure_command, &train_command, &predict_command};

void print_overview() {
  fmt::print(
      "layerwatt — per-layer power and runtime of CNNs on NVIDIA edge devices (NeuralPower method)\n\n"
      "Usage: layerwatt COMMAND [OPTIONS...]\n"
      "       layerwatt COMMAND --help\n"
      "       layerwatt --version\n\n"
      "Commands:\n");
  for (const command* c : commands) fmt::print("  {:<10} {}\n", c->name, c->summary);
  fmt::print(
      "\nExit status: 0 success; 1 bad input or failed operation (the message names the file and\n"
      "line or JSON path); 2 bad command line; 130 stopped by SIGINT/SIGTERM: files finished before\n"
      "stay whole, the one being written is removed and its previous version kept, a directory being\n"
      "filled stays marked incomplete until the command is run again (`log` and `idle` finish their\n"
      "files first).\n");
}

int dispatch(std::span<char* const> args) {
  if (args.empty() || std::string_view(args[0]) == "--help" || std::string_view(args[0]) == "-h") {
    print_overview();
    return args.empty() ? exit_usage : exit_ok;
  }
  if (std::string_view(args[0]) == "--version") {
    fmt::print("layerwatt {}\n", LAYERWATT_VERSION);
    return exit_ok;
  }
  const std::string_view name = args[0];
  for (const command* c : commands) {
    if (c->name != name) continue;
    arguments parsed(args.subspan(1));
    if (parsed.flag("--help") || parsed.flag("-h")) {
      fmt::print("{}", c->help);
      return exit_ok;
    }
    try {
      return c->run(parsed);
    } catch (const usage_error& e) {
      fmt::print(stderr, "layerwatt {}: {}\nTry 'layerwatt {} --help'.\n", name, e.what(), name);
      return exit_usage;
    }
  }
  fmt::print(stderr, "layerwatt: unknown command \"{}\"; try 'layerwatt --help'.\n", name);
  return exit_usage;
}

}  // namespace
}  // namespace layerwatt::cli

namespace {

/// A table or JSON that never reached standard output (a full disk) is a failed run: stdio only
/// reports it when flushed, after the command has returned.
bool stdout_failed() {
  errno = 0;
  return std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
}

/// `why`: the reason, where one is known (empty when an earlier write had failed).
void print_stdout_failure(std::string_view why) {
  fmt::print(stderr, "layerwatt: error: cannot write to standard output{}{}\n", why.empty() ? "" : ": ", why);
}

}  // namespace

int main(int argc, char** argv) {
  layerwatt::cli::remove_outputs_on_interrupt();
  try {
    const int status = layerwatt::cli::dispatch(std::span<char* const>(argv + 1, static_cast<std::size_t>(argc - 1)));
    if (!stdout_failed()) return status;
    print_stdout_failure(errno ? std::strerror(errno) : "");  // errno: set only when the flush itself failed
  } catch (const layerwatt::error& e) {
    fmt::print(stderr, "layerwatt: error: {}\n", e.what());
  } catch (const std::system_error& e) {
    // fmt::print throws this when stdout refuses a large write: said as that, with its reason
    if (stdout_failed()) print_stdout_failure(e.code().message());
    else fmt::print(stderr, "layerwatt: internal error: {}\n", e.what());
  } catch (const std::exception& e) {
    fmt::print(stderr, "layerwatt: internal error: {}\n", e.what());
  }
  return layerwatt::cli::exit_failure;
}
