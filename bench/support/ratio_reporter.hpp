#pragma once
// Benchmarks here compare layerwatt with a baseline measured in the same run. This reporter
// prints Google Benchmark's usual table, then one line per declared comparison:
//   ratio  <candidate> vs <baseline>: 23.4x faster
// so the figure quoted in an issue comes from one run on one machine.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

namespace layerwatt::bench {

class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  /// Declares that `candidate` is to be compared with `baseline` (names as given to BENCHMARK).
  void compare(std::string candidate, std::string baseline) {
    comparisons_.emplace_back(std::move(candidate), std::move(baseline));
  }

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs)
      if (run.run_type == Run::RT_Iteration) seconds_per_iteration_[run.run_name.function_name] =
          run.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    for (const auto& [candidate, baseline] : comparisons_) {
      const auto c = seconds_per_iteration_.find(candidate), b = seconds_per_iteration_.find(baseline);
      if (c == seconds_per_iteration_.end() || b == seconds_per_iteration_.end()) continue;
      fmt::print("ratio  {} vs {}: {:.1f}x faster\n", candidate, baseline, b->second / c->second);
    }
  }

 private:
  std::vector<std::pair<std::string, std::string>> comparisons_;
  std::map<std::string, double> seconds_per_iteration_;
};

/// main() for a benchmark program with comparisons.
inline int run_with_ratios(int argc, char** argv, std::initializer_list<std::pair<const char*, const char*>> pairs) {
  benchmark::Initialize(&argc, argv);
  ratio_reporter reporter;
  for (const auto& [candidate, baseline] : pairs) reporter.compare(candidate, baseline);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

}  // namespace layerwatt::bench
