// LassoCV fits of the conv-power and conv-runtime presets on 1 500 realistic layer rows (562
// transformed features, cv 10, n_alphas 500, max_iter 10000), and one-row prediction through a
// fitted preset, against scikit-learn 1.2.1 timed in the same run on the same rows
// (bench/support/sklearn_preset.py; skipped when `/usr/bin/python3 -c "import sklearn"` fails).
// After the table, one line per preset compares the two fits (parity). scikit-learn fits on one
// thread (LassoCV's n_jobs=None); layerwatt's fits are timed on 1 and on 2 threads (folds in
// parallel), and each ratio names its thread count.
// Targets (issue 5): fit >= 20x faster than scikit-learn at parity; prediction <= 1 µs.

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/model/presets.hpp"
#include "layerwatt/transform/feature_table.hpp"
#include "support/ratio_reporter.hpp"

namespace {

namespace presets = layerwatt::presets;
namespace transform = layerwatt::transform;

const std::filesystem::path data_file =
    std::filesystem::path(LAYERWATT_SOURCE_DIR) / "bench/data/convolutional_1500.csv";

struct rows {
  transform::table x;
  Eigen::VectorXd power_w, runtime_ms;
};

const rows& layer_rows() {
  static const rows r = [] {
    const auto csv = layerwatt::io::read_csv_table(data_file);
    // The training CSVs store microwatts; the reference fits watts.
    return rows{transform::feature_table<presets::conv_power::features>(csv),
                transform::target_column(csv, "power") / 1e6, transform::target_column(csv, "runtime")};
  }();
  return r;
}

// scikit-learn's results per preset, from one run of the script (nullptr: not available).
const nlohmann::json* sklearn(const std::string& preset) {
  static std::map<std::string, std::unique_ptr<nlohmann::json>> results;
  auto& slot = results[preset];
  if (!slot && std::system("/usr/bin/python3 -c 'import sklearn' 2>/dev/null") == 0) {
    const std::string command = fmt::format("/usr/bin/python3 {}/bench/support/sklearn_preset.py {} {}",
                                            LAYERWATT_SOURCE_DIR, data_file.string(), preset);
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
      std::array<char, 65536> buffer;
      while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
      if (::pclose(pipe) == 0) slot = std::make_unique<nlohmann::json>(nlohmann::json::parse(out));
    }
  }
  return slot.get();
}

std::map<std::string, Eigen::VectorXd> our_coef;
std::map<std::string, double> our_alpha;

template <typename Preset>
void fit(benchmark::State& state, const std::string& preset, const Eigen::VectorXd& y, unsigned threads) {
  const auto& data = layer_rows();
  typename Preset::options settings;
  settings.threads = threads;
  for (auto _ : state) {
    Preset model(settings);
    model.fit(data.x, y);
    our_coef[preset] = model.model().coef;
    our_alpha[preset] = model.model().alpha;
  }
}

void sklearn_fit(benchmark::State& state, const std::string& preset) {
  const nlohmann::json* result = sklearn(preset);
  if (!result) {
    state.SkipWithError("scikit-learn not available");
    return;
  }
  for (auto _ : state) state.SetIterationTime(result->at("fit_seconds")[0].get<double>());
}

void layerwatt_conv_power_fit_1_thread(benchmark::State& s) {
  fit<presets::conv_power>(s, "conv_power", layer_rows().power_w, 1);
}
void layerwatt_conv_power_fit_2_threads(benchmark::State& s) {
  fit<presets::conv_power>(s, "conv_power", layer_rows().power_w, 2);
}
void sklearn_conv_power_fit(benchmark::State& s) { sklearn_fit(s, "conv_power"); }
void layerwatt_conv_runtime_fit_1_thread(benchmark::State& s) {
  fit<presets::conv_runtime>(s, "conv_runtime", layer_rows().runtime_ms, 1);
}
void layerwatt_conv_runtime_fit_2_threads(benchmark::State& s) {
  fit<presets::conv_runtime>(s, "conv_runtime", layer_rows().runtime_ms, 2);
}
void sklearn_conv_runtime_fit(benchmark::State& s) { sklearn_fit(s, "conv_runtime"); }

void layerwatt_predict_one_row(benchmark::State& state) {
  const auto& data = layer_rows();
  static const presets::conv_power model = [&] {
    presets::conv_power m;
    m.fit(data.x, data.power_w);
    return m;
  }();
  Eigen::Index r = 0;
  for (auto _ : state) {
    const double y = model.predict(std::span<const double, presets::conv_power::input_width>(
        data.x.row(r).data(), presets::conv_power::input_width));
    benchmark::DoNotOptimize(y);
    if (++r == data.x.rows()) r = 0;
  }
}

void sklearn_predict_one_row(benchmark::State& state) {
  const nlohmann::json* result = sklearn("conv_power");
  if (!result) {
    state.SkipWithError("scikit-learn not available");
    return;
  }
  for (auto _ : state) state.SetIterationTime(result->at("predict_one_row_seconds").get<double>());
}

BENCHMARK(layerwatt_conv_power_fit_1_thread)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(layerwatt_conv_power_fit_2_threads)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(sklearn_conv_power_fit)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(1);
BENCHMARK(layerwatt_conv_runtime_fit_1_thread)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(layerwatt_conv_runtime_fit_2_threads)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(sklearn_conv_runtime_fit)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(1);
BENCHMARK(layerwatt_predict_one_row)->Unit(benchmark::kNanosecond);
BENCHMARK(sklearn_predict_one_row)->Unit(benchmark::kNanosecond)->UseManualTime()->Iterations(1);

// alpha and the largest coefficient difference (relative to the largest coefficient).
void report_parity() {
  for (const auto& [preset, coef] : our_coef) {
    const nlohmann::json* result = sklearn(preset);
    if (!result) continue;
    const auto& theirs = result->at("coef");
    double largest = 0, difference = 0;
    for (Eigen::Index j = 0; j < coef.size(); ++j) {
      const double t = theirs[static_cast<std::size_t>(j)].get<double>();
      largest = std::max(largest, std::abs(t));
      difference = std::max(difference, std::abs(coef[j] - t));
    }
    fmt::print(
        "parity {}: alpha {:.17g} (scikit-learn {:.17g}), max |coef difference| {:.3g} of max |coef| {:.3g}\n",
        preset, our_alpha.at(preset), result->at("alpha").get<double>(), difference, largest);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int status = layerwatt::bench::run_with_ratios(argc, argv,
                                                       {{"layerwatt_conv_power_fit_1_thread", "sklearn_conv_power_fit"},
                                                        {"layerwatt_conv_power_fit_2_threads", "sklearn_conv_power_fit"},
                                                        {"layerwatt_conv_runtime_fit_1_thread", "sklearn_conv_runtime_fit"},
                                                        {"layerwatt_conv_runtime_fit_2_threads", "sklearn_conv_runtime_fit"},
                                                        {"layerwatt_predict_one_row", "sklearn_predict_one_row"}});
  report_parity();
  return status;
}
