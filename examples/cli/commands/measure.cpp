// layerwatt measure NETWORK... --out CAMPAIGN_DIR — a measurement campaign: trtexec and the power
// logger per network, network latency and energy per inference, per-layer runtimes.

#include <atomic>
#include <chrono>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "layerwatt/campaign/run_campaign.hpp"
#include "layerwatt/campaign/trtexec_command.hpp"
#include "layerwatt/core/duration_text.hpp"
#include "layerwatt/join/timed_run.hpp"
#include "layerwatt/sense/tegrastats_sampler.hpp"
#include "progress.hpp"
#include "sensor_options.hpp"
#include "stop_signals.hpp"

namespace layerwatt::cli {
namespace {

constexpr std::string_view help = R"(Usage: layerwatt measure NETWORK... --out CAMPAIGN_DIR [--trtexec PATH] [--fp16] [--int8]
                         [--shapes SPEC] [--trtexec-flag FLAG]... [--duration DUR] [--warm-up DUR]
                         [--trim DUR] [--profile-duration DUR] [--idle DUR] [--idle-between] [--redo]
                         [--sysfs-root DIR] [--rail NAME|A+B+...] [--period-us N] [--nvpmodel PATH]
                         [--build-timeout DUR]
       layerwatt measure NETWORK... --out CAMPAIGN_DIR --nvml [--gpu N|UUID] ...
       layerwatt measure NETWORK... --out CAMPAIGN_DIR --tegrastats [--tegrastats-interval DUR]
                         [--rail NAME|A+B+...] ...

A measurement campaign on this board. NETWORK is an ONNX model (.onnx), a serialized TensorRT
engine (.plan, .engine, .trt; built with --profilingVerbosity=detailed), or a folder of them.
For each, trtexec runs twice: once to build (or load) the engine and export its layer info and
a per-layer profile (--exportLayerInfo, --exportProfile with --separateProfileRun), once timed
for --duration after --warm-up with the power logger running and --exportTimes. trtexec's
relative times are placed on the log's clock by the stamps of its own output lines; the run is
trimmed by --trim at each end; the power over that window gives the mean power and the energy
per inference, total and above idle (docs/campaign.md). Per network, CAMPAIGN_DIR/<network>/
holds layer_info.json, profile.json, times.json, power_log.log (+ .meta.json), trtexec's stamped
output (trtexec_build.log, trtexec_timed.log), engine.plan (from an ONNX model) and, written
last, network_measurement.json. `layerwatt dataset CAMPAIGN_DIR` reads the folder.

The idle power is measured first, once, into CAMPAIGN_DIR/idling_power.json: leave the board
alone then. A campaign is resumable: a network with network_measurement.json is skipped (unless
--redo), any other is measured again from scratch. A network that fails is reported and the
others go on. SIGINT or SIGTERM stops trtexec and the campaign; finished networks stay whole.
A line per network goes to stdout; a status line to stderr when it is a terminal.

The board should be set up first: its power mode (sudo nvpmodel -m N) and, for steady clocks,
sudo jetson_clocks; both are recorded in each network_measurement.json ("board").

Options:
  --out DIR              the campaign folder (created; finished networks in it are kept)
  --trtexec PATH         trtexec (default: from PATH, else /usr/src/tensorrt/bin/trtexec)
  --fp16, --int8         build the engine in FP16 / INT8 (passed to trtexec)
  --shapes SPEC          input shapes, e.g. input:1x3x224x224 (passed to trtexec as --shapes=SPEC)
  --trtexec-flag FLAG    any other trtexec flag, to both runs (repeatable), e.g. --useSpinWait
  --duration DUR         the timed run's length after its warm-up (default 30s)
  --warm-up DUR          the timed run's warm-up, not measured (default 5s)
  --trim DUR             cut from each end of the timed run (default 1s); at least the alignment's
                         uncertainty (a few ms, measured per run), under half --duration
  --profile-duration DUR the profile run's length (default 3s, trtexec's own default)
  --idle DUR             how long to measure the idle power (default 30s)
  --idle-between         measure the idle power again before each network (into its folder)
  --redo                 measure finished networks again (each keeps its measurement until the
                         new one is written, and gets it back if that fails or is stopped)
  --sysfs-root DIR       where sysfs is mounted (default /sys): the INA3221 rails and the clocks
  --rail NAME|A+B+...    the rail to log (default: the board input, VDD_IN or POM_5V_IN); A+B+C:
                         the sum of those rails (an AGX Orin's module power)
  --nvml                 log an NVIDIA GPU's power through NVML instead
  --gpu N|UUID           the GPU --nvml reads (default 0)
  --tegrastats           log the power tegrastats prints instead (no INA3221 files needed): each
                         line's instant value of --rail, stamped when it arrives
  --tegrastats-interval DUR  tegrastats' interval (default 100ms)
  --period-us N          the logger's period in µs (default 1000; INA3221 and NVML)
  --nvpmodel PATH        the program queried for the power mode with -q (default nvpmodel)
  --build-timeout DUR    the longest a build and profile run may take (default 1h); a timed run may
                         take its warm-up and duration plus 5 min
  --help                 this text

Exit status: 0 every network measured or finished before; 1 a network failed (the others were
measured; the message names the network and why), or the idle power could not be measured;
2 bad command line; 130 stopped by SIGINT/SIGTERM (finished networks stay whole; the one being
measured is left unfinished and measured again by the next run; with --redo, its earlier
measurement is put back).
)";

struct measure_options {
  std::vector<campaign::network_input> networks;
  campaign::campaign_settings settings;
  bool tegrastats = false;
  sense::tegrastats_options tegrastats_options;
};

std::string describe(const io::network_measurement& m) {
  return fmt::format("{:.3f} ms (median {:.3f}), {:.1f} qps, {:.2f} W; {:.4g} mJ per inference, {:.4g} above idle "
                     "({:.1f} s window, ±{:.2f} ms alignment)",
                     m.latency_mean_ms, m.latency_median_ms, m.throughput_qps, m.mean_power_mw / 1000,
                     m.energy_per_inference_total_mj, m.energy_per_inference_above_idle_mj,
                     std::chrono::duration<double>(m.window_end - m.window_start).count(),
                     static_cast<double>(m.alignment_uncertainty.count()) / 1000);
}

template <typename MakeSampler>
int run_campaign(const measure_options& o, MakeSampler&& make_sampler, const stop_signals& signals) {
  std::mutex print;
  status_line status;
  std::string current;
  std::vector<campaign::network_result> results;
  std::exception_ptr failure;
  std::atomic<bool> done{false};
  std::stop_source stop;
  const campaign::campaign_events events{
      .status = [&](std::string_view text) { const std::lock_guard lock(print); current = text; },
      .idle = [&](const io::idle_power& idle, const std::filesystem::path& file, bool now) {
        const std::lock_guard lock(print);
        status.clear();
        fmt::print("idle power {:.3f} W {} {}\n", idle.avg_idle_power_uw / 1e6, now ? "measured into" : "read from",
                   file.string());
        std::fflush(stdout);
      },
      .network_done = [&](std::size_t i, std::size_t n, const campaign::network_result& r) {
        const std::lock_guard lock(print);
        status.clear();
        current.clear();
        const std::string head = fmt::format("[{}/{}] {}: ", i + 1, n, r.network);
        switch (r.result) {
          case campaign::outcome::measured: fmt::print("{}{}\n", head, describe(*r.measurement)); break;
          case campaign::outcome::skipped: fmt::print("{}finished before, skipped: {}\n", head, describe(*r.measurement)); break;
          case campaign::outcome::failed: fmt::print("{}FAILED: {}\n", head, r.why); break;
          case campaign::outcome::interrupted:
            fmt::print("{}stopped, {}\n", head, r.why.empty() ? "left unfinished" : r.why);
            break;
        }
        std::fflush(stdout);
      },
      .warn = [&](std::string_view warning) {
        const std::lock_guard lock(print);
        status.clear();
        print_warning(warning);
      }};
  std::jthread worker([&] {
    try {
      results = campaign::run_campaign(o.networks, make_sampler, o.settings, stop.get_token(), events);
    } catch (...) {
      failure = std::current_exception();
    }
    done = true;
  });
  std::optional<int> interrupted;
  while (!done) {
    const auto signal = signals.wait(std::chrono::milliseconds{100});
    if (signal && signal->number != SIGCHLD && !interrupted) {
      interrupted = signal->number;
      stop.request_stop();
    }
    const std::lock_guard lock(print);
    if (!current.empty()) status.show("{}", current);
  }
  worker.join();
  status.clear();
  if (failure) std::rethrow_exception(failure);

  std::size_t measured = 0, skipped = 0, failed = 0;
  for (const auto& r : results) {
    measured += r.result == campaign::outcome::measured;
    skipped += r.result == campaign::outcome::skipped;
    failed += r.result == campaign::outcome::failed;
  }
  const std::size_t left = o.networks.size() - measured - skipped - failed;
  fmt::print("{} network(s): {} measured, {} finished before, {} failed{}; in {}\n", o.networks.size(), measured,
             skipped, failed, left ? fmt::format(", {} not measured (stopped)", left) : "", o.settings.root.string());
  for (const auto& r : results)
    if (r.result == campaign::outcome::failed) fmt::print(stderr, "layerwatt: error: {} failed: {}\n", r.network, r.why);
  if (interrupted) return exit_interrupted;
  return failed ? exit_failure : exit_ok;
}

int run(arguments& args) {
  const sensor_options sensor = parse_sensor_options(args, false);
  measure_options o;
  o.tegrastats = args.flag("--tegrastats");
  auto& t = o.settings.network.trtexec;
  std::optional<std::filesystem::path> trtexec;
  if (const auto p = args.value("--trtexec")) trtexec = *p;
  if (args.flag("--fp16")) t.flags.push_back("--fp16");
  if (args.flag("--int8")) t.flags.push_back("--int8");
  if (const auto shapes = args.value("--shapes")) t.flags.push_back("--shapes=" + *shapes);
  for (auto& flag : args.values("--trtexec-flag")) {
    if (!flag.starts_with("--")) throw usage_error(fmt::format("--trtexec-flag expects a trtexec flag (--name or --name=value), got \"{}\"", flag));
    t.flags.push_back(std::move(flag));
  }
  const auto positive = [&](std::string_view name) -> std::optional<microseconds> {
    const auto d = args.duration(name);
    if (d && d->count() <= 0) throw usage_error(fmt::format("{} expects a duration above 0", name));
    return d;
  };
  if (const auto d = positive("--duration")) t.duration = *d;
  if (const auto d = args.duration("--warm-up")) {
    if (d->count() < 0) throw usage_error("--warm-up expects a duration of at least 0");
    t.warm_up = *d;
  }
  if (const auto d = positive("--profile-duration")) t.profile_duration = *d;
  if (const auto d = args.duration("--trim")) {
    if (d->count() < 0) throw usage_error("--trim expects a duration of at least 0");
    o.settings.network.analysis.trim = *d;
  }
  check_options("--trim and --duration", [&] { join::check_trim_fits(o.settings.network.analysis.trim, t.duration); });
  if (const auto d = positive("--idle")) o.settings.idle_duration = *d;
  if (const auto d = positive("--build-timeout"))
    o.settings.network.build_timeout = std::chrono::duration_cast<std::chrono::seconds>(*d);
  if (const auto d = positive("--tegrastats-interval")) {
    if (!o.tegrastats) throw usage_error("--tegrastats-interval is tegrastats' interval; give --tegrastats too");
    o.tegrastats_options.interval = *d;
  }
  o.settings.idle_between = args.flag("--idle-between");
  o.settings.redo = args.flag("--redo");
  o.settings.network.sampling.period =
      std::chrono::microseconds{args.number<std::int64_t>("--period-us", 0, 60'000'000).value_or(1000)};
  if (const auto p = args.value("--nvpmodel")) o.settings.network.nvpmodel = *p;
  o.settings.network.sysfs_root = sensor.sysfs_root;
  o.settings.root = args.required("--out");
  std::vector<std::filesystem::path> inputs;
  while (const auto p = args.positional()) inputs.emplace_back(*p);
  args.finish();
  if (inputs.empty()) throw usage_error("give at least one NETWORK (an .onnx model, a serialized engine, or a folder of them)");
  check_output_directory("--out", o.settings.root, "a campaign directory");
  if (o.tegrastats && sensor.nvml) throw usage_error("--tegrastats and --nvml are two power sources; give one");
  if (o.tegrastats) {
    if (sensor.rails.size() == 1) o.tegrastats_options.rail = sensor.rails.front();
    o.settings.network.sampling.period = microseconds{0};  // each read waits for tegrastats' next line
  }
  o.networks = campaign::list_networks(inputs);
  t.program = campaign::find_trtexec(trtexec);

  // Blocked before any sampler opens or thread starts, so that every thread inherits the block.
  const stop_signals signals;
  if (o.tegrastats) return run_campaign(o, [&] { return sense::tegrastats_sampler::open(o.tegrastats_options); }, signals);
  return with_sampler_factory(sensor, [&](auto make_sampler) { return run_campaign(o, make_sampler, signals); });
}

}  // namespace

const command measure_command{"measure",
                              "a measurement campaign: trtexec and the power logger per network, energy per inference",
                              help, run};

}  // namespace layerwatt::cli
