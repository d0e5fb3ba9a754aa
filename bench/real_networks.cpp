// Network-level training proved on real measurements: the iCAS-Lab Jetson Nano data set (the
// shared folder's realdata/icas_jetson_nano_nas/, other people's data read in place; its
// PROVENANCE.md says what, where from and the traps). Trained on the synthetic networks only —
// plain convolution stacks, each built through the zoo's network builder from its derived layers
// — the 9 real networks (VGG16/19, ShuffleNetV2, UNet, ResNet50, MobileNetV2, Xception,
// EfficientNet-B4, EfficientNetV2-M, built by the zoo at FP32, batch 1, 224×224) are predicted.
// Writes docs/real-data-results.md with every table (docs/real-data.md explains them).
//
//   scripts/bench.sh real_networks                       # writes docs/real-data-results.md
//   scripts/bench.sh real_networks --out /tmp/r.md --shared /path/to/shared --folds 5 --alphas 50
//
// Energy is judged as mean GPU-rail power × latency on both sets (the raw per-inference label of
// the real networks is inflated by a varying number of tegrastats samples: PROVENANCE.md); the
// raw label's MAPE is printed only beside the paper's. The same samples, taken outside the
// inference loop, may lower six real networks' mean power: the power table measures by how much.
// Reading the gzip-compressed layer list runs `gzip -dc` (every Debian system has it); nothing
// else is needed beyond the library.
// Not a Google Benchmark program: one run, a report. Without the data it says so and exits 0.

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <map>
#include <numeric>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/dataset/classify.hpp"
#include "layerwatt/dataset/layer_features.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/csv.hpp"
#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/io/line_reader.hpp"
#include "layerwatt/io/number_text.hpp"
#include "layerwatt/io/tegrastats.hpp"
#include "layerwatt/predict/model_set.hpp"
#include "layerwatt/predict/network_prediction.hpp"
#include "layerwatt/report/network_report.hpp"
#include "layerwatt/sim/layer_cost.hpp"
#include "layerwatt/train/network_fit.hpp"
#include "layerwatt/train/network_presets.hpp"
#include "layerwatt/zoo/registry.hpp"
#include "layerwatt/zoo/synthetic.hpp"
#include "support/report_arguments.hpp"

namespace {

namespace lw = layerwatt;
namespace fs = std::filesystem;

struct options {
  fs::path shared = LAYERWATT_SHARED_DIR;
  fs::path out = fs::path(LAYERWATT_SOURCE_DIR) / "docs" / "real-data-results.md";
  std::size_t folds = 5, alphas = 50;
};

options parse(int argc, char** argv) {
  options o;
  lw::bench::read_report_arguments(argc, argv, "--shared DIR, --out FILE, --folds N, --alphas N",
                                   [&](std::string_view name, const std::string& value) {
                                     if (name == "--shared") o.shared = value;
                                     else if (name == "--out") o.out = value;
                                     else if (name == "--folds") o.folds = std::stoul(value);
                                     else if (name == "--alphas") o.alphas = std::stoul(value);
                                     else return false;
                                     return true;
                                   });
  return o;
}

/// A measured network of the data set: its layers (as the engine TensorRT builds) and its totals.
struct measured {
  std::string name, family, group;  ///< group: the name without its depth (a depth sweep)
  lw::io::engine_info engine;
  double latency_ms = 0, energy_mj = 0;  ///< energy: mean GPU-rail power × latency
  double raw_energy_mj = 0;              ///< the data set's GPU_energy_per_inference
  double macs = 0;                       ///< the data set's Total MACs
  double gpu_busy_percent = 0;           ///< tegrastats' GPU load (GR3D), mean over the run; NaN where not given
  /// The tegrastats lines (1 Hz) the run's means are over: Total_POM_5V_GPU ÷ its mean; NaN where not given.
  double log_samples = 0;
  std::int64_t input_px = 0;             ///< the input is 3 × input_px × input_px
};

/// The synthetic networks' layers, from layers.csv.gz (derive_layers.py's output).
std::map<std::string, lw::zoo::synthetic_network> read_layers(const fs::path& file) {
  const std::string command = fmt::format("gzip -dc '{}'", file.string());
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw lw::error(fmt::format("{}: cannot run gzip", file.string()));
  std::string text;
  char buffer[1 << 16];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, n);
  if (::pclose(pipe) != 0) throw lw::error(fmt::format("{}: gzip -dc failed", file.string()));
  const fs::path plain = fs::temp_directory_path() / fmt::format("layerwatt-layers-{}.csv", ::getpid());
  lw::io::write_file_atomically(plain, text);
  const auto table = lw::io::read_csv_table(plain);
  fs::remove(plain);
  const auto model = table.texts("model"), op = table.texts("op");
  const auto cin = table.numbers("cin"), cout = table.numbers("cout"), k = table.numbers("k"), pad = table.numbers("pad"),
             groups = table.numbers("groups"), h_in = table.numbers("h_in");
  std::map<std::string, lw::zoo::synthetic_network> out;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    auto& n = out[model[r]];
    if (n.name.empty()) n = {model[r], static_cast<std::int64_t>(h_in[r]), {}, 10};
    const auto i = [](double v) { return static_cast<std::int64_t>(v); };
    if (op[r] == "dense") n.classes = i(cout[r]);
    else n.convs.push_back({i(cin[r]), i(cout[r]), i(k[r]), i(pad[r]), i(groups[r])});
  }
  return out;
}

/// "convnet_L5_F128_K3x3_W40" → "convnet_F128_K3x3_W40": the networks of one depth sweep.
std::string depth_sweep(const std::string& name) { return std::regex_replace(name, std::regex("_L[0-9]+_"), "_"); }

std::vector<measured> read_synthetic(const fs::path& data, const std::map<std::string, lw::zoo::synthetic_network>& layers,
                                     std::size_t& unmeasured) {
  std::vector<measured> out;
  for (const auto& family : fs::directory_iterator(data)) {
    if (!family.is_directory() || family.path().filename() == "real_data") continue;
    for (const auto& file : fs::directory_iterator(family.path())) {
      if (file.path().extension() != ".csv") continue;
      const auto table = lw::io::read_csv_table(file.path());
      const auto names = table.texts("Model Name"), latency = table.texts("average_latency(ms)"),
                 power = table.texts("Avrg_POM_5V_GPU"), raw = table.texts("GPU_energy_per_inference"),
                 macs = table.texts("Total MACs"), busy = table.texts("Avrg_GPU"),
                 total = table.texts("Total_POM_5V_GPU");
      for (std::size_t r = 0; r < names.size(); ++r) {
        const auto t = lw::io::parse_double(latency[r]), p = lw::io::parse_double(power[r]);
        const auto l = layers.find(names[r]);
        if (!t || !p || *t <= 0 || *p <= 0 || l == layers.end()) {
          ++unmeasured;
          continue;
        }
        out.push_back({names[r], family.path().filename().string(), depth_sweep(names[r]),
                       lw::zoo::build_synthetic(l->second), *t, *p * *t / 1000,
                       lw::io::parse_double(raw[r]).value_or(std::nan("")), lw::io::parse_double(macs[r]).value_or(0),
                       lw::io::parse_double(busy[r]).value_or(std::nan("")),
                       lw::io::parse_double(total[r]).value_or(std::nan("")) / *p, l->second.input_size});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const measured& a, const measured& b) { return a.name < b.name; });
  return out;
}

/// The data set's real networks and the zoo's names for them.
constexpr std::pair<std::string_view, std::string_view> real_names[] = {
    {"VGG16", "vgg16"},         {"VGG19", "vgg19"},       {"Shufflenet_v2", "shufflenet_v2_x1_0"},
    {"UNet", "unet"},           {"ResNet50", "resnet50"}, {"MobileNetV2", "mobilenet_v2"},
    {"Xception", "xception"},   {"EfficientNet_v1", "efficientnet_b4"}, {"EfficientNet_v2", "efficientnet_v2_m"}};

std::vector<measured> read_real(const fs::path& file, std::vector<std::string>& missing) {
  const auto table = lw::io::read_csv_table(file);
  const auto names = table.texts("Model Name");
  const auto latency = table.numbers("average_latency(ms)"), gpu = table.numbers("Avrg_POM_5V_GPU"),
             in = table.numbers("Avrg_POM_5V_IN"), raw = table.numbers("GPU_energy_per_inference"),
             macs = table.numbers("Total MACs"), size = table.numbers("Input Size"), busy = table.numbers("Avrg_GPU"),
             total = table.numbers("Total_POM_5V_GPU");
  std::vector<measured> out;
  for (std::size_t r = 0; r < names.size(); ++r) {
    const auto zoo_name = std::find_if(std::begin(real_names), std::end(real_names),
                                       [&](const auto& p) { return p.first == names[r]; });
    if (zoo_name == std::end(real_names)) throw lw::error(fmt::format("{}: unexpected network {}", file.string(), names[r]));
    const auto model = std::find_if(lw::zoo::models.begin(), lw::zoo::models.end(),
                                    [&](const auto& m) { return m.name == zoo_name->second; });
    if (model == lw::zoo::models.end()) {
      missing.push_back(std::string(zoo_name->second));
      continue;
    }
    // In the EfficientNet rows the columns from Avrg_PLL to Avrg_AO hold other columns' values: the
    // GPU rail's mean sits under Avrg_POM_5V_IN, the input rail's under Avrg_GPU_TEMP. The ones
    // before Avrg_PLL, the GPU load among them, and the totals after Avrg_AO hold values like
    // every other row's (Total_POM_5V_GPU ÷ the GPU rail's mean is 59 samples, as for most).
    const double gpu_mw = names[r].starts_with("EfficientNet") ? in[r] : gpu[r];
    const auto side = static_cast<std::int64_t>(size[r]);
    lw::zoo::build_options build{.batch = 1, .input = lw::zoo::input_shape{3, side, side}, .precision = lw::io::precision::fp32};
    out.push_back({names[r], "real", names[r], lw::zoo::build(*model, build), latency[r], gpu_mw * latency[r] / 1000,
                   raw[r], macs[r], busy[r], total[r] / gpu_mw, side});
  }
  return out;
}

/// Some of the networks read, by pointer: the engines are large, and a subset shares them.
using measured_set = std::vector<const measured*>;

template <typename Keep>
measured_set select(const std::vector<measured>& set, Keep keep) {
  measured_set out;
  for (const auto& m : set)
    if (keep(m)) out.push_back(&m);
  return out;
}

std::vector<lw::train::measured_network> networks_of(const measured_set& set) {
  std::vector<lw::train::measured_network> out;
  for (const auto* m : set) out.push_back({m->name, m->group, &m->engine, m->latency_ms, m->energy_mj});
  return out;
}

struct predicted {
  double latency_ms, energy_mj;
};

predicted predict(const lw::predict::model_set& models, const measured& m) {
  const auto p = lw::predict::predict_network(models, m.engine);
  return {p.totals.runtime_s * 1e3, p.totals.energy_j.value() * 1e3};
}

double error_percent(double predicted, double measured) { return 100 * (predicted - measured) / measured; }

struct error_summary {
  double mape = 0, median = 0, worst = 0;
};

error_summary summarise(std::vector<double> errors) {
  error_summary s;
  if (errors.empty()) return s;
  for (auto& e : errors) e = std::fabs(e);
  s.mape = std::accumulate(errors.begin(), errors.end(), 0.0) / static_cast<double>(errors.size());
  std::sort(errors.begin(), errors.end());
  s.median = errors[errors.size() / 2];
  s.worst = errors.back();
  return s;
}

/// A hold-out's table: `set` predicted by models trained without it (the row `label`), then by
/// models trained on all synthetic networks (in-sample).
std::string holdout_table(std::string_view label, const lw::predict::model_set& without,
                          const lw::predict::model_set& all, const measured_set& set) {
  std::string md = "| training set | latency MAPE | median | energy MAPE | median |\n|---|---|---|---|---|\n";
  for (const auto& [name, models] : {std::pair{label, &without}, std::pair{std::string_view("all synthetic networks"), &all}}) {
    std::vector<double> latency, energy;
    for (const auto* m : set) {
      const auto p = predict(*models, *m);
      latency.push_back(error_percent(p.latency_ms, m->latency_ms));
      energy.push_back(error_percent(p.energy_mj, m->energy_mj));
    }
    const auto l = summarise(latency), e = summarise(energy);
    md += fmt::format("| {} | {:.1f} % | {:.1f} % | {:.1f} % | {:.1f} % |\n", name, l.mape, l.median, e.mape, e.median);
  }
  return md;
}

/// The baseline a user would fit first: total = a + b · MACs, by least squares in relative error.
struct macs_baseline {
  double a = 0, b = 0;
  static macs_baseline fit(const measured_set& set, bool energy) {
    double s11 = 0, s12 = 0, s22 = 0, s1y = 0, s2y = 0;
    for (const auto* m : set) {
      const double y = energy ? m->energy_mj : m->latency_ms, w = 1 / (y * y);
      s11 += w, s12 += w * m->macs, s22 += w * m->macs * m->macs, s1y += w * y, s2y += w * m->macs * y;
    }
    const double det = s11 * s22 - s12 * s12;
    return {(s22 * s1y - s12 * s2y) / det, (s11 * s2y - s12 * s1y) / det};
  }
  [[nodiscard]] double operator()(double macs) const { return a + b * macs; }
};

struct trained {
  lw::predict::model_set models;
  double seconds = 0;
  lw::train::network_fit fit;
};

trained train_on(const measured_set& set, const options& o, const fs::path& dir) {
  lw::train::network_fit_options fit_options;
  fit_options.folds = o.folds;
  fit_options.n_alphas = o.alphas;
  fit_options.warn = [](std::string_view w) { fmt::print(stderr, "  (fit: {})\n", w); };
  const auto started = std::chrono::steady_clock::now();
  auto fit = lw::train::fit_network_models(networks_of(set), {}, fit_options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fs::remove_all(dir);
  lw::train::save_network_models(fit, dir);
  return {lw::predict::load_model_set(dir), seconds, std::move(fit)};
}

/// Per-layer costs measured by the depth sweeps: the slope of latency and energy over depth for
/// each (filters, kernel, input, DWS) group with at least 4 depths, against the model's cost of
/// one such layer (the network with one more layer, minus the network).
std::string layer_check(const std::vector<measured>& set, const lw::predict::model_set& models) {
  std::map<std::string, std::vector<const measured*>> sweeps;
  for (const auto& m : set) sweeps[m.group].push_back(&m);
  std::vector<double> latency_errors, energy_errors;
  for (const auto& [group, members] : sweeps) {
    if (members.size() < 4 || group.find("_K") != group.rfind("_K")) continue;  // uniform kernels only
    const auto slope = [&](auto value) {
      double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
      for (const auto* m : members) {
        const double x = static_cast<double>(m->engine.layers.size()), y = value(*m);
        n += 1, sx += x, sy += y, sxx += x * x, sxy += x * y;
      }
      return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    };
    // Layers per added block: 1 convolution (a depthwise and a pointwise in a DWS block).
    const auto* a = members.front();
    const auto* b = *std::max_element(members.begin(), members.end(), [](auto* x, auto* y) {
      return x->engine.layers.size() < y->engine.layers.size();
    });
    const double layers_per_block =
        static_cast<double>(b->engine.layers.size() - a->engine.layers.size()) /
        std::max(1.0, static_cast<double>(lw::dataset::modelled_layer_names(b->engine).size() -
                                          lw::dataset::modelled_layer_names(a->engine).size()) /
                          (group.ends_with("_DWS") ? 2.0 : 1.0));
    const double measured_latency = slope([](const measured& m) { return m.latency_ms; }) * layers_per_block;
    const double measured_energy = slope([](const measured& m) { return m.energy_mj; }) * layers_per_block;
    // The model's cost of one block: the deepest network minus the next deepest, per block.
    std::vector<const measured*> sorted = members;
    std::sort(sorted.begin(), sorted.end(), [](auto* x, auto* y) { return x->engine.layers.size() < y->engine.layers.size(); });
    const auto& deep = *sorted.back();
    const auto& shallower = *sorted[sorted.size() - 2];
    const double blocks = static_cast<double>(lw::dataset::modelled_layer_names(deep.engine).size() -
                                              lw::dataset::modelled_layer_names(shallower.engine).size()) /
                          (group.ends_with("_DWS") ? 2.0 : 1.0);
    if (blocks <= 0 || measured_latency <= 0 || measured_energy <= 0) continue;
    const auto pd = predict(models, deep), ps = predict(models, shallower);
    latency_errors.push_back(error_percent((pd.latency_ms - ps.latency_ms) / blocks, measured_latency));
    energy_errors.push_back(error_percent((pd.energy_mj - ps.energy_mj) / blocks, measured_energy));
  }
  const auto l = summarise(latency_errors), e = summarise(energy_errors);
  return fmt::format(
      "| per-layer cost (slope over depth) | sweeps | MAPE | median | worst |\n|---|---|---|---|---|\n"
      "| latency | {} | {:.1f} % | {:.1f} % | {:.1f} % |\n| energy | {} | {:.1f} % | {:.1f} % | {:.1f} % |\n",
      latency_errors.size(), l.mape, l.median, l.worst, energy_errors.size(), e.mape, e.median, e.worst);
}

/// The real networks' table, the summaries and the baseline's, for models trained on `train`.
std::string real_table(const std::vector<measured>& real, const lw::predict::model_set& models,
                       const measured_set& train) {
  const auto lat_base = macs_baseline::fit(train, false), energy_base = macs_baseline::fit(train, true);
  std::string md =
      "| network | latency measured | predicted | error | energy measured | predicted | error | MACs baseline: "
      "latency error | energy error |\n|---|---|---|---|---|---|---|---|---|\n";
  std::vector<double> le, ee, bl, be, raw;
  for (const auto& m : real) {
    const auto p = predict(models, m);
    le.push_back(error_percent(p.latency_ms, m.latency_ms));
    ee.push_back(error_percent(p.energy_mj, m.energy_mj));
    bl.push_back(error_percent(lat_base(m.macs), m.latency_ms));
    be.push_back(error_percent(energy_base(m.macs), m.energy_mj));
    raw.push_back(error_percent(p.energy_mj, m.raw_energy_mj));
    md += fmt::format("| {} | {:.2f} ms | {:.2f} ms | {:+.1f} % | {:.1f} mJ | {:.1f} mJ | {:+.1f} % | {:+.1f} % | {:+.1f} % |\n",
                      m.name, m.latency_ms, p.latency_ms, le.back(), m.energy_mj, p.energy_mj, ee.back(), bl.back(),
                      be.back());
  }
  const auto l = summarise(le), e = summarise(ee), b1 = summarise(bl), b2 = summarise(be), r = summarise(raw);
  md += fmt::format(
      "\n| over the {} real networks | MAPE | median | worst |\n|---|---|---|---|\n"
      "| layerwatt, latency | {:.1f} % | {:.1f} % | {:.1f} % |\n| layerwatt, energy (power × latency) | {:.1f} % | {:.1f} % | "
      "{:.1f} % |\n| baseline (a + b · total MACs), latency | {:.1f} % | {:.1f} % | {:.1f} % |\n| baseline, energy | {:.1f} % "
      "| {:.1f} % | {:.1f} % |\n| layerwatt against the raw energy label | {:.1f} % | {:.1f} % | {:.1f} % |\n",
      real.size(), l.mape, l.median, l.worst, e.mape, e.median, e.worst, b1.mape, b1.median, b1.worst, b2.mape, b2.median,
      b2.worst, r.mape, r.median, r.worst);
  return md;
}

constexpr double nano_peak_bandwidth_gb_s = 25.6;  // NVIDIA's Jetson Nano data sheet (LPDDR4, 64 bit)

/// Where the real networks leave what the synthetic networks teach: layers of no modelled kind
/// (priced 0, listed), and the predicted latency in layers with a feature outside the training
/// range — the fully connected layers among them apart (every synthetic one has 10 outputs),
/// beside the time their FP32 weights take to read at the board's peak memory bandwidth; and the
/// layers predicted at more than twice the highest power measured (predict flags them).
std::string coverage_table(const std::vector<measured>& real, const lw::predict::model_set& models) {
  std::string md = fmt::format(
      "| network | layers modelled | not modelled (TensorRT layer types) | predicted latency in layers outside the "
      "training range | of it, fully connected layers | the fully connected layers' FP32 weights, read at {} GB/s | "
      "layers whose power is above {} × the highest measured |\n|---|---|---|---|---|---|---|\n",
      nano_peak_bandwidth_gb_s, lw::predict::plausible_power_factor);
  for (const auto& m : real) {
    const auto p = lw::predict::predict_network(models, m.engine);
    double total = 0, outside = 0, dense = 0;
    for (const auto& l : p.layers) {
      const double ms = l.runtime_ms.value_or(0);
      total += ms;
      if (l.extrapolated.empty()) continue;
      outside += ms;
      if (l.kind == lw::layer_kind::dense) dense += ms;
    }
    double dense_weights = 0;  // at batch 1 a fully connected layer's multiply-accumulates are its weights
    for (const auto& c : lw::dataset::classify_layers(m.engine))
      if (c.modelled() == lw::layer_kind::dense) {
        using columns = lw::network_presets::columns_of<lw::layer_kind::dense>;
        const auto row = lw::features::features_of<columns>(c.features_layer());
        dense_weights += lw::network_presets::dense_macs::evaluate<columns>(row.data());
      }
    std::vector<std::string> types;
    for (const auto& [type, count] : p.not_modelled) types.push_back(fmt::format("{} {}", count, type));
    md += fmt::format("| {} | {} | {}{} | {:.1f} of {:.1f} ms | {:.1f} ms | {:.0f} MB: {:.1f} ms | {} |\n", m.name,
                      p.layers.size(), p.not_modelled_count(),
                      types.empty() ? std::string() : fmt::format(" ({})", fmt::join(types, ", ")), outside, total,
                      dense, dense_weights * 4 / 1e6, dense_weights * 4 / (nano_peak_bandwidth_gb_s * 1e6),
                      p.power_above_measured_count());
  }
  return md + "\n";
}

/// `value` of each network of `set` where known (not NaN), sorted.
std::vector<double> sorted_values(const std::vector<measured>& set, double (*value)(const measured&)) {
  std::vector<double> v;
  for (const auto& m : set)
    if (!std::isnan(value(m))) v.push_back(value(m));
  std::sort(v.begin(), v.end());
  return v;
}

/// A GPU-rail reading (W, tegrastats' instant figure) of the sample logs on a line where the GPU
/// was idle (GR3D 0 %): what the rail draws outside an inference loop, as this board read it.
struct idle_reading {
  double watts = 0;
  bool last_line = false;  ///< its log's last line: read as the loop ended
};

std::vector<idle_reading> idle_readings(const fs::path& folder) {
  std::vector<idle_reading> out;
  if (!fs::is_directory(folder)) return out;
  const std::regex gr3d("GR3D_FREQ ([0-9]+)%");
  for (const auto& file : fs::directory_iterator(folder)) {
    const auto log = lw::io::read_tegrastats(file.path(), "POM_5V_GPU", lw::io::tegrastats_value::instant,
                                             {lw::time_stamp{}, std::chrono::seconds(1)});
    lw::io::line_reader in(file.path());
    for (std::size_t k = 0; k < log.samples.size(); ++k) {
      const auto line = in.next();
      std::match_results<std::string_view::const_iterator> load;
      if (!line || !std::regex_search(line->begin(), line->end(), load, gr3d))
        throw lw::error(fmt::format("{}:{}: expected GR3D_FREQ N%", file.path().string(), in.line_number()));
      if (load[1] == "0") out.push_back({log.samples[k].power_uw / 1e6, k + 1 == log.samples.size()});
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.watts < b.watts; });
  return out;
}

/// The samples of an inference loop of 60 s at 1 Hz: the median of the synthetic networks'
/// sample counts (`counts`, sorted; not empty).
double loop_samples_of(const std::vector<double>& counts) { return counts[counts.size() / 2]; }

/// The samples of `m`'s log taken in its loop: all, or `loop_samples` where it has more.
double samples_in_loop(const measured& m, double loop_samples) { return std::min(m.log_samples, loop_samples); }

/// Mean GPU-rail power (W) of a run's inference loop when the samples of its log beyond
/// `loop_samples` were taken outside the loop at `idle_w`: (P̄ · S − e · idle) ÷ (S − e), e = S − loop.
double loop_power_w(const measured& m, double loop_samples, double idle_w) {
  const double in_loop = samples_in_loop(m, loop_samples);
  return (m.energy_mj / m.latency_ms * m.log_samples - (m.log_samples - in_loop) * idle_w) / in_loop;
}

/// The mean GPU-rail power (energy ÷ latency) of each real network, measured and predicted, beside
/// how many tegrastats samples its means are over and the GPU load over them: where the energy
/// misses and the latency does not. Every synthetic run logged at most about as many samples as
/// its 60-s loop lasted; six real runs logged 11–29 more than most, which lower their mean power
/// and GPU load alike if the GPU idled in them. If they drew less than the loop, the loop's own
/// power lies between the mean as read (those samples drawing as much) and the mean with them at 0 W.
/// `counts`: the synthetic networks' sample counts, sorted.
std::string power_table(const std::vector<measured>& real, const lw::predict::model_set& models,
                        const std::vector<measured>& synthetic, const std::vector<double>& counts) {
  const auto power = [](const measured& m) { return m.energy_mj / m.latency_ms; };
  const auto busy = [](const measured& m) { return m.gpu_busy_percent; };
  const double loop_samples = loop_samples_of(counts);
  std::string md = fmt::format(
      "| network | tegrastats samples | GPU busy over them (GR3D load, mean) | GPU busy over {0:.0f} of them, the rest "
      "idle | mean GPU-rail power as read | over {0:.0f} samples, the rest at 0 W | predicted | measured (as read … "
      "the rest at 0 W) ÷ predicted |\n|---|---|---|---|---|---|---|---|\n",
      loop_samples);
  for (const auto& m : real) {
    const auto p = predict(models, m);
    const double predicted_w = p.energy_mj / p.latency_ms, upper_w = loop_power_w(m, loop_samples, 0);
    md += fmt::format("| {} | {:.0f} | {:.0f} % | {:.0f} % | {:.2f} W | {:.2f} W | {:.2f} W | {:.2f} … {:.2f} |\n", m.name,
                      m.log_samples, busy(m), busy(m) * m.log_samples / samples_in_loop(m, loop_samples), power(m),
                      upper_w, predicted_w, power(m) / predicted_w, upper_w / predicted_w);
  }
  const auto watts = sorted_values(synthetic, power), load = sorted_values(synthetic, busy);
  if (load.empty()) throw lw::error("no synthetic network has a GPU load (Avrg_GPU)");
  return md + fmt::format("| the synthetic networks' median | {:.0f} (least {:.0f}, most {:.0f}) | {:.0f} % (least {:.0f} %, "
                          "most {:.0f} %) | | {:.2f} W | | | |\n",
                          loop_samples, counts.front(), counts.back(), load[load.size() / 2], load.front(), load.back(),
                          watts[watts.size() / 2]);
}

/// The real networks' energy judged by their loop's power (× latency), the samples beyond
/// `loop_samples` taken at each of `idle_watts`, against the prediction: how much of the judged
/// energy's error the logs' extra samples can account for.
std::string loop_energy_table(const std::vector<measured>& real, const lw::predict::model_set& models,
                              double loop_samples, const std::vector<double>& idle_watts) {
  std::string md = "| the samples beyond the loop at | energy MAPE | median | worst | power MAPE |\n|---|---|---|---|---|\n";
  for (const double idle_w : idle_watts) {
    std::vector<double> energy, power;
    for (const auto& m : real) {
      const auto p = predict(models, m);
      const double loop_w = loop_power_w(m, loop_samples, idle_w);
      energy.push_back(error_percent(p.energy_mj, loop_w * m.latency_ms));
      power.push_back(error_percent(p.energy_mj / p.latency_ms, loop_w));
    }
    const auto e = summarise(energy), w = summarise(power);
    md += fmt::format("| {:.2f} W | {:.1f} % | {:.1f} % | {:.1f} % | {:.1f} % |\n", idle_w, e.mape, e.median, e.worst, w.mape);
  }
  return md;
}

std::size_t peak_rss_mb() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<std::size_t>(u.ru_maxrss / 1024);
}

}  // namespace

int main(int argc, char** argv) try {
  const options o = parse(argc, argv);
  const fs::path root = o.shared / "realdata" / "icas_jetson_nano_nas";
  if (!fs::exists(root / "layers.csv.gz") || !fs::exists(root / "data" / "real_data" / "real_models.csv")) {
    fmt::print("real_networks: skipped: the iCAS-Lab data set is not under {} (pass --shared DIR)\n", root.string());
    return 0;
  }
  const auto started = std::chrono::steady_clock::now();
  std::size_t unmeasured = 0;
  const auto synthetic = read_synthetic(root / "data", read_layers(root / "layers.csv.gz"), unmeasured);
  std::vector<std::string> missing;
  const auto real = read_real(root / "data" / "real_data" / "real_models.csv", missing);
  const double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print(stderr, "{} synthetic networks ({} without a measurement or layers), {} real; read in {:.1f} s\n",
             synthetic.size(), unmeasured, real.size(), read_s);
  const fs::path scratch = fs::temp_directory_path() / fmt::format("layerwatt-real-networks-{}", ::getpid());

  std::size_t layers = 0;
  for (const auto& m : synthetic) layers += m.engine.layers.size();
  const auto every = select(synthetic, [](const measured&) { return true; });
  const auto all = train_on(every, o, scratch / "all");
  const auto is_dws = [](const measured& m) { return m.family.starts_with("dws"); };
  const auto without_dws = select(synthetic, [&](const measured& m) { return !is_dws(m); });
  const auto no_dws = train_on(without_dws, o, scratch / "no_dws");
  // The real networks' inputs are larger than every synthetic one: the nearest test of that
  // extrapolation the synthetic set allows.
  constexpr std::int64_t small_px = 60, large_px = 80;
  const auto small_inputs = select(synthetic, [](const measured& m) { return m.input_px <= small_px; });
  const auto large_inputs = select(synthetic, [](const measured& m) { return m.input_px >= large_px; });
  const auto small = train_on(small_inputs, o, scratch / "small_inputs");

  std::string md =
      "# Network-level training on real Jetson Nano measurements: the figures\n\n"
      "Generated by `bench/real_networks.cpp` (`scripts/bench.sh real_networks`); do not edit by hand.\n\n"
      "## Data\n\n"
      "The iCAS-Lab NAS performance data set (github.com/iCAS-Lab/NAS-Performance-Modeling, commit 50e6709; "
      "Juneja, Grenier, Amin, Zand, \"Accelerating Hardware-Aware NAS with ML-Based Edge GPU Performance "
      "Modeling\", IEEE COINS 2025): whole-network latency and GPU-rail power of synthetic CNNs and 9 real ones on "
      "a Jetson Nano (TensorRT from ONNX, FP32, batch 1; latency timed in Python with the copies; power from "
      "tegrastats at 1 Hz). It carries no licence: layerwatt reads it from the shared folder "
      "(`realdata/icas_jetson_nano_nas/`, with its PROVENANCE.md) and never includes its files. Every measured "
      "figure below is the data set's; every predicted one layerwatt's.\n\n"
      "The synthetic networks are stride-1 convolution stacks (dense, or depthwise + pointwise), each built by the "
      "zoo's network builder from its derived layers (`zoo/synthetic.hpp`); the real networks are the zoo's, at "
      "FP32, batch 1, 224×224. Energy is judged as mean GPU-rail power × latency on both sets: the real networks' "
      "per-inference label is inflated by a varying number of tegrastats samples (PROVENANCE.md), and the same "
      "samples may lower six real networks' mean power (the power table below measures by how much); in the two "
      "EfficientNet rows the columns from Avrg_PLL to Avrg_AO hold other columns' values (the GPU rail's mean sits "
      "under Avrg_POM_5V_IN); those before Avrg_PLL, the GPU load among them, and the totals after Avrg_AO hold "
      "values like every other row's.\n\n";
  md += fmt::format("{} synthetic networks with a measurement and derived layers ({} layers in their engines; {} rows "
                    "without one left out); {} real networks{}.\n\n",
                    synthetic.size(), layers, unmeasured, real.size(),
                    missing.empty() ? std::string() : fmt::format(" (not in the zoo, left out: {})", fmt::join(missing, ", ")));
  {
    std::vector<std::string> pairs;
    for (const auto& [data_set, zoo] : real_names) pairs.push_back(fmt::format("{} = `{}`", data_set, zoo));
    md += fmt::format("The data set's names of the real networks and the zoo's: {}.\n\n", fmt::join(pairs, ", "));
  }
  md += "## The 9 real networks, trained on synthetic networks only\n\n";
  md += real_table(real, all.models, every);
  {
    const auto counts = sorted_values(synthetic, [](const measured& m) { return m.log_samples; });
    if (counts.empty()) throw lw::error("no synthetic network has a sample count (Total_POM_5V_GPU ÷ Avrg_POM_5V_GPU)");
    const double loop_samples = loop_samples_of(counts);
    md += fmt::format(
        "\nWhere the energy misses and the latency does not: the power. Energy ÷ latency, the mean GPU-rail power, "
        "measured and predicted, beside the tegrastats samples the data set's means are over (Total_POM_5V_GPU ÷ "
        "its mean, at 1 Hz) and its GPU load over them. Every run looped inferences for 60 s; a log of more samples "
        "than the synthetic networks' median ({0:.0f}) holds samples outside the loop. Over {0:.0f} of its samples, "
        "the others taken as idle (0 % load), the GPU load is the fourth column; if the others drew less than the "
        "loop, the loop's own power lies between the mean as read (the others drawing as much as the loop) and the "
        "mean with the others at 0 W:\n\n",
        loop_samples);
    md += power_table(real, all.models, synthetic, counts);
    const auto idle = idle_readings(root / "tegrastats_sample");
    std::vector<std::string> readings;
    std::vector<double> idle_watts{0.0};
    for (const auto& r : idle) {
      readings.push_back(fmt::format("{:.2f}{}", r.watts, r.last_line ? "" : " (not a last line)"));
      idle_watts.push_back(r.watts);
    }
    const bool all_last = std::all_of(idle.begin(), idle.end(), [](const auto& r) { return r.last_line; });
    md += fmt::format(
        "\nThe data set's sample logs (tegrastats_sample/, one depth sweep) read the GPU rail on their lines where "
        "the GPU is idle (GR3D 0 %) at {} W{}. The energy judged by the loop's power × latency, the samples beyond "
        "{:.0f} taken at 0 W and at each of those readings (the judged energy above takes them as drawing as much as "
        "the loop):\n\n",
        readings.empty() ? std::string("(no sample logs)") : fmt::format("{}", fmt::join(readings, ", ")),
        !idle.empty() && all_last ? ", each on its log's last line, read as its loop ended" : "", loop_samples);
    md += loop_energy_table(real, all.models, loop_samples, idle_watts);
  }
  md += "\nThe paper's own predictor (gradient boosting on network-level features): MAPE 15.50 % (latency) and "
        "15.28 % (energy, on the raw label) on the same 9 networks.\n\n";
  md += "Where the real networks leave what the synthetic networks teach (layers of no modelled kind are in no "
        "sum; the layers' predicted latency without the per-inference constant):\n\n";
  md += coverage_table(real, all.models);
  md += "## Family hold-out: depthwise-separable networks\n\n";
  {
    const auto dws = select(synthetic, is_dws);
    md += fmt::format("The {} depthwise-separable synthetic networks predicted by models trained without any of them, "
                      "then with them (in-sample):\n\n",
                      dws.size());
    md += holdout_table("without depthwise-separable families", no_dws.models, all.models, dws);
    md += "\nThe real networks by models trained without depthwise-separable families:\n\n";
    md += real_table(real, no_dws.models, without_dws);
  }
  {
    const auto by_input = [](const measured& a, const measured& b) { return a.input_px < b.input_px; };
    const auto [smallest, largest] = std::minmax_element(synthetic.begin(), synthetic.end(), by_input);
    const auto [smallest_real, largest_real] = std::minmax_element(real.begin(), real.end(), by_input);
    const auto range = [](std::int64_t low, std::int64_t high) {
      return low == high ? fmt::format("{} px", low) : fmt::format("{}–{} px", low, high);
    };
    md += fmt::format(
        "\n## Input-size hold-out\n\nThe real networks' inputs ({}) are larger than any synthetic network's "
        "({}). The {} synthetic networks with inputs of {} px or more, predicted by models trained on the {} "
        "with inputs of {} px or less, then by models trained on all (in-sample):\n\n",
        range(smallest_real->input_px, largest_real->input_px), range(smallest->input_px, largest->input_px),
        large_inputs.size(),
        large_px, small_inputs.size(), small_px);
  }
  md += holdout_table(fmt::format("inputs ≤ {} px", small_px), small.models, all.models, large_inputs);
  md += "\n## Per-layer costs\n\nThe depth sweeps measure single layers: within a sweep latency and energy are linear in "
        "depth, so the slope is the cost of one more block. Predicted: the model's cost of the deepest network minus "
        "the next deepest, per block.\n\n";
  md += layer_check(synthetic, all.models);
  md += "\n## The fit\n\n| target | networks | folds | alpha | non-zero coefficients | constant | static power | "
        "terms by kernel class | CV RMSPE | CV RMSPE, the terms by kernel class the other way |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& t : all.fit.targets)
    md += fmt::format("| {} | {} | {} | {:.3g} | {} / {} | {:.3g} {} | {} | {} | {:.1f} % | {} |\n", to_string(t.what),
                      t.networks, t.folds, t.alpha, t.nonzero, t.width, t.constant,
                      t.what == lw::target::runtime ? "ms" : "mJ",
                      lw::report::static_power_text(t.what, t.static_power),
                      lw::report::kernel_class_terms_text(t.kernel_class_choice()),
                      t.cv_rmspe,
                      t.other_cv_rmspe ? fmt::format("{:.1f} %", *t.other_cv_rmspe) : std::string("-"));
  md += fmt::format("\nFitting both targets on all {} synthetic networks took {:.1f} s (this machine: {} hardware "
                    "threads, the folds in parallel); peak memory of the whole run {} MB.\n",
                    synthetic.size(), all.seconds, std::thread::hardware_concurrency(), peak_rss_mb());
  fs::remove_all(scratch);
  lw::io::write_file_atomically(o.out, md);
  std::fputs(md.c_str(), stdout);
  fmt::print("\nwrote {}\n", o.out.string());
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "real_networks: {}\n", e.what());
  return 1;
}
