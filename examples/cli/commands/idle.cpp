// layerwatt idle — the board's idle power, written as idling_power.json.

#include <atomic>
#include <chrono>
#include <exception>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/sense/clock.hpp"
#include "layerwatt/sense/idle.hpp"
#include "layerwatt/sense/ina3221.hpp"
#include "progress.hpp"
#include "stop_signals.hpp"

namespace layerwatt::cli {
namespace {

constexpr std::string_view help = R"(Usage: layerwatt idle [--sysfs-root DIR] [--rail NAME] [--period-us N] --seconds S --out FILE

Measure the board's idle power: sample one INA3221 rail for S seconds and write FILE (the
reference's idling_power.json): "timestamp" (local time, YYYYmmdd-HHMMSS), "avg_idle_power"
(the mean of mV x mA, in µW, as the reference computes it), and the extra keys "samples",
"failed_reads", "std_idle_power" (population standard deviation, µW) and "rails" (the rail's
name, sysfs paths, mean and standard deviation). Run it with the board as it will be during
the benchmarks (same power mode and clocks) but with nothing else running.

Unlike the reference, which reads in a busy loop and so keeps a CPU core loaded while measuring
"idle", samples are taken on a period and the thread sleeps in between.

Options:
  --sysfs-root DIR   where sysfs is mounted (default /sys; tests use a fake tree)
  --rail NAME        the rail to measure (default: the board input, VDD_IN or POM_5V_IN)
  --period-us N      time between samples in µs (default 1000; 0: as fast as possible)
  --seconds S        how long to measure (required; a number > 0)
  --out FILE         the file to write (required), atomically
  --help             this text

Exit status: 0 success; 1 no INA3221 rail found, no sample could be read, or FILE could not be
written; 2 bad command line; 130 stopped by SIGINT/SIGTERM (nothing is written: the
measurement is incomplete).
)";

int run(arguments& args) {
  const std::filesystem::path root = args.value("--sysfs-root").value_or("/sys");
  std::vector<std::string> rails;
  if (auto rail = args.value("--rail")) rails.push_back(std::move(*rail));
  const std::chrono::microseconds period{args.number<std::int64_t>("--period-us", 0, 60'000'000).value_or(1000)};
  const auto seconds = args.number<double>("--seconds", 1e-6, 1e9);
  const std::filesystem::path out = args.required("--out");
  args.finish();
  if (!seconds) throw usage_error("--seconds is required");
  const auto duration = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(*seconds));

  auto sampler = sense::ina3221_sampler::open(root, rails);
  const std::string rail = sampler.rails().front().name;
  const stop_signals signals;  // before the worker starts, so it inherits the block
  std::optional<io::idle_power> result;
  std::exception_ptr failure;
  std::atomic<bool> done{false};
  std::jthread worker([&](std::stop_token stop) {
    try {
      sense::wall_clock clock;
      result = sense::measure_idle(sampler, clock, duration, period, stop);
    } catch (...) {
      failure = std::current_exception();
    }
    done = true;
  });

  status_line progress;
  const auto start = std::chrono::steady_clock::now();
  std::optional<int> interrupted;
  while (!done) {
    const auto signal = signals.wait(std::chrono::milliseconds{100});
    if (signal && signal->number != SIGCHLD) {
      interrupted = signal->number;
      worker.request_stop();
      break;
    }
    progress.show("measuring idle power of {}: {:.0f} of {:.0f} s", rail,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), *seconds);
  }
  worker.join();
  progress.clear();
  if (interrupted) {
    fmt::print(stderr, "layerwatt idle: stopped by signal {} before {} s; nothing written\n", *interrupted, *seconds);
    return exit_interrupted;
  }
  if (failure) std::rethrow_exception(failure);

  io::write_idle_power(out, *result);
  fmt::print("idle power of {} over {} s: {:.1f} µW ({:.3f} W), standard deviation {:.1f} µW\n", rail, *seconds,
             result->avg_idle_power_uw, result->avg_idle_power_uw / 1e6, result->extra["std_idle_power"].get<double>());
  fmt::print("{} samples, {} failed reads; written to {}\n", result->extra["samples"].get<std::uint64_t>(),
             result->extra["failed_reads"].get<std::uint64_t>(), out.string());
  return exit_ok;
}

}  // namespace

const command idle_command{"idle", "measure the board's idle power and write idling_power.json", help, run};

}  // namespace layerwatt::cli
