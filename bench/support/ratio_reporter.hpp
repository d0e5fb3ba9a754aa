#pragma once
// Benchmarks here compare layerwatt with a baseline measured in the same run. This reporter
// prints Google Benchmark's usual table, then one line per declared comparison:
//   ratio  <candidate> vs <baseline>: 23.4x faster
//   share  <part> of <whole>: 1.3 %
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

  /// Declares that `part` is to be shown as a share of `whole`'s time (a step of a larger run).
  void share(std::string part, std::string whole) { shares_.emplace_back(std::move(part), std::move(whole)); }

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
    for (const auto& [part, whole] : shares_) {
      const auto p = seconds_per_iteration_.find(part), w = seconds_per_iteration_.find(whole);
      if (p == seconds_per_iteration_.end() || w == seconds_per_iteration_.end()) continue;
      fmt::print("share  {} of {}: {:.2f} %\n", part, whole, 100 * p->second / w->second);
    }
  }

 private:
  std::vector<std::pair<std::string, std::string>> comparisons_, shares_;
  std::map<std::string, double> seconds_per_iteration_;
};

/// main() for a benchmark program with comparisons (candidate, baseline) and shares (part, whole).
inline int run_with_ratios(int argc, char** argv, std::initializer_list<std::pair<const char*, const char*>> pairs,
                           std::initializer_list<std::pair<const char*, const char*>> shares = {}) {
  benchmark::Initialize(&argc, argv);
  ratio_reporter reporter;
  for (const auto& [candidate, baseline] : pairs) reporter.compare(candidate, baseline);
  for (const auto& [part, whole] : shares) reporter.share(part, whole);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

}  // namespace layerwatt::bench
