// `layerwatt map` on one model at the reference's scale, end to end: parse the power log and the
// latency file, join (end-stamp + window-mean, the defaults), write the mapping CSV.
//   one model: 60 layers × 30 000 cycles (1.8 M stamped latency entries, ~150 MB of JSON),
//   a power log at a 1.4 ms period; and the same with 10× the cycles, to show linear growth.
// Target (issue 4): under 1 s for 30 000 cycles. The ratio lines compare the two sizes: 10x
// means linear. The CSV is written beside the inputs and, apart, to /dev/shm, which shows our
// cost without the disk's (a 300 000-cycle CSV is 2.7 GB; the user_s and sys_s counters split
// CPU time between layerwatt and the kernel). The parts (parse latencies, parse power log, join, write) are timed on their own
// for the 30 000-cycle model. The data is written once to the temporary directory (~4 GB).
// The time-integrity and overlap checks that map makes (issue 15: backward steps in both series,
// the log's pace and gaps, the overlap of windows and log, the tegrastats sniff) are timed on
// their own on the same 30 000-cycle model and shown as a share of the whole map: what map costs
// with the checks against without them, in one run.

#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/dataset/map_model.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/layerwise_mapping.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/raw_data_dir.hpp"
#include "layerwatt/io/tegrastats.hpp"
#include "layerwatt/join/end_stamp.hpp"
#include "layerwatt/join/join.hpp"
#include "layerwatt/join/overlap.hpp"
#include "layerwatt/join/time_integrity.hpp"
#include "layerwatt/join/window_mean.hpp"
#include "support/ratio_reporter.hpp"

namespace {

namespace fs = std::filesystem;
namespace io = layerwatt::io;
namespace join = layerwatt::join;
using layerwatt::microseconds;
using layerwatt::time_stamp;

constexpr std::size_t layer_count = 60;

/// A raw model folder with `cycles` cycles, written once per size.
io::raw_model_files make_model(std::size_t cycles) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("layerwatt-bench-join-{}", cycles);
  const auto files = io::raw_model_files::in(dir, "model");
  if (fs::exists(dir / "complete")) return files;
  fs::remove_all(dir);
  std::mt19937_64 rng(cycles);
  std::uniform_real_distribution<float> short_layer(0.004f, 0.09f), long_layer(0.05f, 0.25f);
  io::layer_latencies latencies;
  std::string engine = R"({"Layers": [)";
  for (std::size_t l = 0; l < layer_count; ++l) {
    const bool conv = l % 3 != 2;
    auto& layer = latencies.layers.emplace_back();
    layer.name = conv ? fmt::format("[CONVOLUTION]-[aten_ops.convolution.default]-[/features/{0}/convolution] + "
                                    "[RELU]-[aten_ops.relu.default]-[/features/{0}/relu]",
                                    l)
                      : fmt::format("Reformatting CopyNode for Input Tensor 0 to [CONVOLUTION]-[/features/{}]", l);
    layer.latency_ms.reserve(cycles);
    layer.end_stamps.reserve(cycles);
    engine += fmt::format(R"({}{{"Name": "{}", "LayerType": "{}"}})", l ? ", " : "", layer.name,
                          conv ? "CaskConvolution" : "Reformat");
  }
  engine += "]}";
  time_stamp t = layerwatt::parse_time_stamp("20241121-05:22:50.156286");
  const time_stamp start = t;
  for (std::size_t c = 0; c < cycles; ++c) {
    for (auto& layer : latencies.layers) {
      const double ms = static_cast<double>(layer.name[1] == 'C' ? long_layer(rng) : short_layer(rng));
      t += join::duration_from_ms(ms) + microseconds{2};
      layer.latency_ms.push_back(ms);
      layer.end_stamps.push_back(t);
    }
    t += microseconds{900 + rng() % 400};
  }
  io::write_layer_latencies(files.layer_latency, latencies);
  std::vector<std::pair<time_stamp, std::vector<double>>> samples;
  for (time_stamp s = start - microseconds{50'000}; s < t + microseconds{50'000};
       s += microseconds{1'300 + static_cast<std::int64_t>(rng() % 200)})
    samples.push_back({s, {5000.0, 1096.0 + static_cast<double>(rng() % 977) * 0.5}});
  io::write_power_log(files.power_log, {}, samples);
  io::write_file_atomically(files.engine_info, engine);
  io::write_file_atomically(files.benchmark_summary, "{}");
  io::write_file_atomically(dir / "complete", "");
  return files;
}

/// What `layerwatt map` does for one model, but the engine-info copy; the CSV goes to `out_dir`.
std::size_t map_one(const io::raw_model_files& files, const fs::path& out_dir) {
  io::layerwise_mapping_writer out(out_dir / "power_runtime_mapping_layerwise.csv");
  const auto summary = layerwatt::dataset::map_model(files, 4'000'000.0, {}, [&](const io::layerwise_row& row) {
    out.write(row);
  });
  out.commit();
  return summary.rows;
}

/// User and system CPU seconds of this process so far: the kernel's share is the writing.
std::pair<double, double> cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return {seconds(u.ru_utime), seconds(u.ru_stime)};
}

/// Writes the CSV beside the inputs (disk) or, with `in_memory`, to /dev/shm: a 300 000-cycle
/// mapping is 2.7 GB, and on disk the kernel's write-back throttling then dominates.
void end_to_end(benchmark::State& state, bool in_memory) {
  const auto cycles = static_cast<std::size_t>(state.range(0));
  const auto files = make_model(cycles);
  const fs::path out_dir = in_memory ? fs::path("/dev/shm/layerwatt-bench-join") : files.directory;
  fs::create_directories(out_dir);
  const auto [user0, sys0] = cpu_seconds();
  for (auto _ : state) benchmark::DoNotOptimize(map_one(files, out_dir));
  const auto [user1, sys1] = cpu_seconds();
  if (in_memory) fs::remove_all(out_dir);
  const auto n = static_cast<double>(state.iterations());
  state.counters["user_s"] = (user1 - user0) / n;
  state.counters["sys_s"] = (sys1 - sys0) / n;
  state.counters["latency_MB"] = static_cast<double>(fs::file_size(files.layer_latency)) / 1e6;
  state.counters["rows"] = static_cast<double>(cycles * layer_count);
}

void part_parse_latencies(benchmark::State& state) {
  const auto files = make_model(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(io::read_layer_latencies(files.layer_latency));
}

void part_parse_power_log(benchmark::State& state) {
  const auto files = make_model(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(io::load_power_samples(files.power_log));
}

void part_join(benchmark::State& state) {
  const auto files = make_model(static_cast<std::size_t>(state.range(0)));
  const auto latencies = io::read_layer_latencies(files.layer_latency);
  const auto samples = io::load_power_samples(files.power_log);
  for (auto _ : state)
    benchmark::DoNotOptimize(join::join(latencies, {samples, std::nullopt}, join::end_stamp{}, join::window_mean{}));
}

/// Exactly the checks map_model and join() make on a model, apart from the join itself.
void part_time_checks(benchmark::State& state) {
  const auto files = make_model(static_cast<std::size_t>(state.range(0)));
  const auto latencies = io::read_layer_latencies(files.layer_latency);
  const auto samples = io::load_power_samples(files.power_log);
  const auto joined = join::join(latencies, {samples, std::nullopt}, join::end_stamp{}, join::window_mean{});
  std::vector<join::time_gap> gaps;
  for (auto _ : state) {
    io::line_reader first(files.power_log);  // map_model's tegrastats sniff
    benchmark::DoNotOptimize(io::is_tegrastats_line(*first.next()));
    benchmark::DoNotOptimize(io::median_sample_interval(samples));
    benchmark::DoNotOptimize(
        join::find_backward_steps(samples.size(), [&](std::size_t i) { return samples[i].t; }));
    benchmark::DoNotOptimize(join::find_backward_steps(joined.entries.size(), [&](std::size_t i) {
      const auto e = joined.entries[i];
      return latencies.layers[e.layer].end_stamps[e.cycle];
    }));
    gaps.clear();
    join::find_gaps(samples, 0, samples.size(), join::default_max_gap, gaps);
    benchmark::DoNotOptimize(join::overlap_of(joined, samples));
  }
}

void part_write(benchmark::State& state) {
  const auto files = make_model(static_cast<std::size_t>(state.range(0)));
  const auto latencies = io::read_layer_latencies(files.layer_latency);
  const auto samples = io::load_power_samples(files.power_log);
  const auto joined = join::join(latencies, {samples, std::nullopt}, join::end_stamp{}, join::window_mean{});
  for (auto _ : state) {
    io::layerwise_mapping_writer out(files.directory / "written.csv");
    join::for_each_row(joined, latencies, [&](const join::join_row& r) {
      out.write({r.cycle, r.layer_name, "CaskConvolution", r.power_uw,
                 r.power_uw ? std::optional(*r.power_uw - 4e6) : std::nullopt, r.latency_ms});
    });
    out.commit();
  }
}

// Benchmark names carry the size: the ratio lines below name them.
BENCHMARK_CAPTURE(end_to_end, disk, false)->Name("end_to_end_30k")->Arg(30'000)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK_CAPTURE(end_to_end, disk, false)->Name("end_to_end_300k")->Arg(300'000)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK_CAPTURE(end_to_end, tmpfs, true)->Name("to_tmpfs_30k")->Arg(30'000)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK_CAPTURE(end_to_end, tmpfs, true)->Name("to_tmpfs_300k")->Arg(300'000)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(part_parse_latencies)->Arg(30'000)->Arg(300'000)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(part_parse_power_log)->Arg(30'000)->Arg(300'000)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(part_join)->Arg(30'000)->Arg(300'000)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(part_write)->Arg(30'000)->Arg(300'000)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(part_time_checks)->Name("time_checks_30k")->Arg(30'000)->Unit(benchmark::kMillisecond)->Iterations(20);

}  // namespace

int main(int argc, char** argv) {
  return layerwatt::bench::run_with_ratios(argc, argv,
                                           {{"end_to_end_30k", "end_to_end_300k"}, {"to_tmpfs_30k", "to_tmpfs_300k"}},
                                           {{"time_checks_30k", "end_to_end_30k"}, {"time_checks_30k", "to_tmpfs_30k"}});
}
