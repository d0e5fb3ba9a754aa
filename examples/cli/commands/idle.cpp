// layerwatt idle — the board's idle power, written as idling_power.json.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <filesystem>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "commands.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/tegrastats.hpp"
#include "layerwatt/sense/clock.hpp"
#include "layerwatt/sense/idle.hpp"
#include "progress.hpp"
#include "sensor_options.hpp"
#include "stop_signals.hpp"

namespace layerwatt::cli {
namespace {

constexpr std::string_view help = R"(Usage: layerwatt idle [--sysfs-root DIR] [--rail NAME|A+B+...] [--period-us N] --seconds S --out FILE
       layerwatt idle --nvml [--gpu N|UUID] [--period-us N] --seconds S --out FILE
       layerwatt idle --tegrastats LOG --value instant|average [--rail NAME|A+B+...]
                      [--start STAMP --interval DUR] --out FILE

Measure the board's idle power: sample one INA3221 rail (or, with --nvml, an NVIDIA GPU's power
through NVML) for S seconds and write FILE (the reference's idling_power.json): "timestamp"
(local time, YYYYmmdd-HHMMSS), "avg_idle_power" (the mean of mV x mA, in µW, as the reference
computes it), and the extra keys "samples", "failed_reads", "std_idle_power" (population
standard deviation, µW) and "rails" (the rail's name, sysfs paths, mean and standard
deviation; with --nvml the rail is GPU<index> and has no paths). Run it with the board as it
will be during the benchmarks (same power mode and clocks) but with nothing else running.

Unlike the reference, which reads in a busy loop and so keeps a CPU core loaded while measuring
"idle", samples are taken on a period and the thread sleeps in between.

Options:
  --sysfs-root DIR   where sysfs is mounted (default /sys; tests use a fake tree)
  --rail NAME        the rail to measure (default: the board input, VDD_IN or POM_5V_IN);
                     A+B+C: the sum of those rails, read together (a board without an input
                     rail: --rail VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0 on an AGX Orin); the file
                     then names the rail A+B+C, which `map --rail A+B+C` matches
  --nvml             measure an NVIDIA GPU through NVML instead (libnvidia-ml.so.1, from the
                     driver; the environment variable LAYERWATT_NVML_LIBRARY overrides the path)
  --gpu N|UUID       the GPU --nvml reads, by NVML's index or its UUID (default 0)
  --tegrastats LOG   read the idle power from a tegrastats log instead of a sensor
  --value WHAT       with --tegrastats: instant or average (required)
  --start STAMP      with --tegrastats, for lines without stamps: when the first was printed
                     (YYYYmmdd-HH:MM:SS, a fraction .ffffff optional)
  --interval DUR     with --tegrastats, for lines without stamps: the time between lines, e.g.
                     1s (tegrastats' default); required with --start
  --period-us N      time between samples in µs (default 1000; 0: as fast as possible)
  --seconds S        how long to measure (required; a number > 0)
  --out FILE         the file to write (required), atomically
  --help             this text

Exit status: 0 success; 1 no INA3221 rail found, a tegrastats log unreadable (the message names
the line) or without the rail, NVML or the GPU not usable (the message names
the library, the call and NVML's error), no sample could be read, a mean power no board idles at
(below 0 or above 1000 W: a sensor read wrong; nothing is written), or FILE could not be written;
2 bad command line; 130 stopped by SIGINT/SIGTERM (nothing is written: the measurement is
incomplete).
)";

void print_idle(const io::idle_power& idle, std::string_view rail, std::string_view over,
                const std::filesystem::path& out) {
  fmt::print("idle power of {} over {}: {:.1f} µW ({:.3f} W), standard deviation {:.1f} µW\n", rail, over,
             idle.avg_idle_power_uw, idle.avg_idle_power_uw / 1e6, idle.extra["std_idle_power"].get<double>());
  fmt::print("{} samples, {} failed reads; written to {}\n", idle.extra["samples"].get<std::uint64_t>(),
             idle.extra["failed_reads"].get<std::uint64_t>(), out.string());
}

template <sense::sampler Sampler>
int measure(Sampler sampler, std::chrono::microseconds period, double seconds, const std::filesystem::path& out,
            const stop_signals& signals) {
  const auto duration = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds));
  const std::string rail = sampler.rails().front().name;
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
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), seconds);
  }
  worker.join();
  progress.clear();
  if (interrupted) {
    fmt::print(stderr, "layerwatt idle: stopped by signal {} before {} s; nothing written\n", *interrupted, seconds);
    return exit_interrupted;
  }
  if (failure) std::rethrow_exception(failure);

  io::write_idle_power(out, *result);
  print_idle(*result, rail, fmt::format("{} s", seconds), out);
  return exit_ok;
}

/// idle --tegrastats: the mean of a tegrastats log's chosen figure.
int from_tegrastats(const std::filesystem::path& log, arguments& args) {
  for (const auto* sensor_only : {"--seconds", "--period-us"})
    if (args.value(sensor_only))
      throw usage_error(fmt::format("{} with --tegrastats: it paces a sensor read now; the log's lines are the "
                                    "measurement",
                                    sensor_only));
  const auto value = args.value("--value");
  auto rail = args.value("--rail");
  io::tegrastats_clock clock;
  if (const auto start = args.value("--start")) {
    // A start to the second is what one reads off a clock: its fraction may be left out.
    clock.start = try_parse_time_stamp(*start);
    if (!clock.start) clock.start = try_parse_time_stamp(*start + ".0");
    if (!clock.start)
      throw usage_error(fmt::format("--start expects a time stamp {} (the fraction optional), got \"{}\"",
                                    time_stamp_format, *start));
  }
  clock.interval = args.duration("--interval");
  const std::filesystem::path out = args.required("--out");
  args.finish();
  if (!value || (*value != "instant" && *value != "average"))
    throw usage_error("--tegrastats needs --value instant or --value average (the figure before or after the /)");
  if (clock.interval && clock.interval->count() <= 0) throw usage_error("--interval expects a duration above 0");
  if (!rail) {
    const auto names = io::tegrastats_rail_names(log);
    for (const auto input : sense::board_input_rails)
      if (std::find(names.begin(), names.end(), input) != names.end()) rail = std::string(input);
    if (!rail)
      throw error(log.string(), 1,
                  fmt::format("no board-input rail ({} or {}); choose one with --rail from: {}",
                              sense::board_input_rails[0], sense::board_input_rails[1], fmt::join(names, ", ")));
  }
  const auto read = io::read_tegrastats(log, *rail, *value == "instant" ? io::tegrastats_value::instant
                                                                         : io::tegrastats_value::average, clock);
  auto idle = sense::idle_from_samples(read.samples, read.rail, "tegrastats");
  idle.extra["tegrastats_value"] = *value;
  io::write_idle_power(out, idle);
  print_idle(idle, read.rail, fmt::format("{} tegrastats lines", read.samples.size()), out);
  return exit_ok;
}

int run(arguments& args) {
  if (const auto log = args.value("--tegrastats")) return from_tegrastats(*log, args);
  const sensor_options sensor = parse_sensor_options(args, false);
  const std::chrono::microseconds period{args.number<std::int64_t>("--period-us", 0, 60'000'000).value_or(1000)};
  const auto seconds = args.number<double>("--seconds", 1e-6, 1e9);
  const std::filesystem::path out = args.required("--out");
  args.finish();
  if (!seconds) throw usage_error("--seconds is required");
  // Blocked before the sampler opens (a driver's library may start threads of its own) and the
  // worker starts, so that every thread inherits the block.
  const stop_signals signals;
  return with_sampler(sensor, [&](auto sampler) { return measure(std::move(sampler), period, *seconds, out, signals); });
}

}  // namespace

const command idle_command{"idle", "measure the board's (or, with --nvml, a GPU's) idle power and write idling_power.json",
                           help, run};

}  // namespace layerwatt::cli
