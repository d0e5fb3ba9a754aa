// `layerwatt train --fit network`: fit, write the model directory, evaluate every network.

#include "network_training.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <string_view>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/predict/model_set.hpp"
#include "layerwatt/predict/network_prediction.hpp"
#include "layerwatt/report/network_report.hpp"
#include "layerwatt/train/network_fit.hpp"
#include "progress.hpp"
#include "stop_signals.hpp"
#include "table.hpp"

namespace layerwatt::cli {
namespace {

/// Every network's measured and predicted totals by the fitted models, read back as `predict`
/// reads them from a scratch directory (removed after), so that nothing in MODELS_DIR changes
/// before every step that can fail has run.
std::vector<report::network_target_summary> evaluate(const train::network_fit& fit,
                                                     const train::network_training_data& data,
                                                     const network_training_request& request) {
  const auto scratch = std::filesystem::temp_directory_path() / fmt::format("layerwatt-models-{}", ::getpid());
  struct remove_after {
    std::filesystem::path path;
    ~remove_after() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  } cleanup{scratch};
  train::save_network_models(fit, scratch, to_string(request.energy));
  const auto models = predict::load_model_set(scratch);
  std::vector<predict::network_totals> predicted_totals;
  for (std::size_t i = 0; i < data.engines.size(); ++i) {
    try {  // a held-out network's layers are read here first
      predicted_totals.push_back(predict::predict_network(models, data.engines[i]).totals);
    } catch (const error& e) {
      throw error(fmt::format("{}: {}", data.totals[i].engine_info.string(), e.what()));
    }
  }
  std::vector<report::network_target_summary> out;
  for (const auto& f : fit.targets) {
    report::network_target_summary s{f.what, f.networks, f.layers, f.folds, f.nonzero, f.width,
                                     f.alpha, f.constant, f.cv_rmspe, f.static_power,
                                     f.kernel_class_choice(), {}};
    for (std::size_t i = 0; i < data.totals.size(); ++i) {
      const auto& t = data.totals[i];
      const auto measured = f.what == target::runtime ? std::optional(t.latency_ms)
                            : request.energy == train::energy_measure::total ? t.energy_total_mj
                                                                             : t.energy_above_idle_mj;
      if (!measured) continue;
      const auto& p = predicted_totals[i];
      const double predicted = f.what == target::runtime ? p.runtime_s * 1e3 : p.energy_j.value() * 1e3;
      const bool held_out =
          std::find(request.test_models.begin(), request.test_models.end(), t.network) != request.test_models.end();
      s.outcomes.push_back({t.network, *measured, predicted, held_out});
    }
    out.push_back(std::move(s));
  }
  return out;
}

nlohmann::ordered_json metrics_json(const std::vector<report::network_target_summary>& summaries,
                                    const network_training_request& request) {
  nlohmann::ordered_json j;
  j["form"] = "network";
  j["test_models"] = request.test_models;
  const bool energy_fitted =
      std::any_of(summaries.begin(), summaries.end(), [](const auto& s) { return s.what == target::energy; });
  j["energy"] = energy_fitted ? nlohmann::ordered_json(to_string(request.energy)) : nlohmann::ordered_json(nullptr);
  auto& targets = j["targets"] = nlohmann::ordered_json::object();
  for (const auto& s : summaries) {
    auto& t = targets[std::string(to_string(s.what))];
    t["unit"] = s.what == target::runtime ? "ms" : "mJ";  // the constant's and every network's measured and predicted
    t["networks"] = s.networks;
    t["layers"] = s.layers;
    t["folds"] = s.folds;
    t["alpha"] = s.alpha;
    t["coefficients"] = s.width;
    t["nonzero_coefficients"] = s.nonzero;
    t["constant"] = s.constant;
    if (s.what == target::energy) t["static_power_w"] = s.static_power;
    t["kernel_class_terms"] = s.kernel_class_terms ? nlohmann::ordered_json(*s.kernel_class_terms) : nullptr;
    t["cv_rmspe"] = s.cv_rmspe;
    const auto mape = [&](bool held_out) {
      const double v = report::mape(s.outcomes, held_out);
      return std::isnan(v) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v);
    };
    t["train_mape"] = mape(false);
    t["test_mape"] = mape(true);
    auto& networks = t["per_network"] = nlohmann::ordered_json::array();
    for (const auto& o : s.outcomes)
      networks.push_back({{"network", o.network}, {"measured", o.measured}, {"predicted", o.predicted},
                          {"held_out", o.held_out}});
  }
  return j;
}

void print_summary(const std::vector<report::network_target_summary>& summaries) {
  using align = text_table::align;
  text_table table({"target", "networks", "layers", "folds", "alpha", "non-zero", "constant", "static power",
                    "by kernel", "CV RMSPE %", "train MAPE %", "held-out MAPE %"},
                   {align::left, align::right, align::right, align::right, align::right, align::right, align::right,
                    align::right, align::right, align::right, align::right, align::right});
  const auto percent = [](double v) { return std::isnan(v) ? std::string("-") : fmt::format("{:.2f}", v); };
  for (const auto& s : summaries)
    table.add({std::string(to_string(s.what)), std::to_string(s.networks), std::to_string(s.layers),
               std::to_string(s.folds), fmt::format("{:.3g}", s.alpha), fmt::format("{}/{}", s.nonzero, s.width),
               fmt::format("{:.4g} {}", s.constant, s.what == target::runtime ? "ms" : "mJ"),
               report::static_power_text(s.what, s.static_power),
               report::kernel_class_terms_text(s.kernel_class_terms), percent(s.cv_rmspe),
               percent(report::mape(s.outcomes, false)), percent(report::mape(s.outcomes, true))});
  table.print();
}

}  // namespace

int run_network_training(const network_training_request& request) {
  const auto data = train::read_network_training_dir(request.training_dir);
  std::vector<std::string> missing;
  for (const auto& name : request.test_models)
    if (std::none_of(data.totals.begin(), data.totals.end(), [&](const auto& t) { return t.network == name; })) {
      missing.push_back(name);
      print_warning(fmt::format("test model \"{}\" is not in {}", name, train::network_totals_file(request.training_dir).string()));
    }
  if (!data.unlisted.empty())
    print_warning(fmt::format("{} folder(s) with layer rows are not in {}, so not in the fit: {}", data.unlisted.size(),
                              train::network_totals_file(request.training_dir).string(), fmt::join(data.unlisted, ", ")));
  const auto networks = train::measured_networks(data, request.energy, request.test_models);
  const auto layers = train::measured_layers(data, request.test_models);
  if (networks.empty())
    throw usage_error(fmt::format("--test-models holds out every network of {}: none is left to train on",
                                  train::network_totals_file(request.training_dir).string()));
  const bool energy_measured = std::any_of(networks.begin(), networks.end(), [](const auto& n) { return n.energy_mj; });
  fmt::print("{}: {} networks ({} held out), {} measured layers; energy: {}\n", request.training_dir.string(),
             data.totals.size(), data.totals.size() - networks.size(), layers.size(),
             energy_measured ? to_string(request.energy) : "none measured");
  const auto started = std::chrono::steady_clock::now();
  status_line status;
  status.show("fitting network-level runtime and energy models");
  train::network_fit_options options;
  if (request.folds) options.folds = *request.folds;
  if (request.energy == train::energy_measure::total) options.min_plausible_power_w = 0.5;
  options.warn = [&](std::string_view message) { status.warn(message); };
  const auto fit = train::fit_network_models(networks, layers, options);
  status.clear();
  const bool energy_fitted =
      std::any_of(fit.targets.begin(), fit.targets.end(), [](const auto& f) { return f.what == target::energy; });
  if (!energy_fitted)
    print_warning(fmt::format("no training network has a value in column \"energy_{}_mj\" of {}: energy is not "
                              "fitted, and predict gives runtimes only",
                              to_string(request.energy), train::network_totals_file(request.training_dir).string()));

  try {
    train::check_storable(fit);  // before evaluate() saves it into a scratch directory
  } catch (const error& e) {
    throw error(fmt::format("{}: {}", train::network_totals_file(request.training_dir).string(), e.what()));
  }
  const auto summaries = evaluate(fit, data, request);
  const auto metrics = metrics_json(summaries, request).dump(4) + "\n";
  const auto report = report::network_report_html(summaries, request.training_dir.string());
  const stop_signals signals;  // the files below are written whole, even if a signal comes now
  train::save_network_models(fit, request.out, to_string(request.energy));
  io::write_file_atomically(request.out / "metrics.json", metrics);
  io::write_file_atomically(request.out / "report.html", report);
  print_summary(summaries);
  fmt::print("\nnetwork-level models in {} ({:.1f} s); metrics.json, report.html\n", request.out.string(),
             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (const auto signal = signals.wait(std::chrono::milliseconds{0}); signal && signal->number != SIGCHLD) {
    fmt::print(stderr, "layerwatt train: signal {} came while writing; every file is complete\n", signal->number);
    return exit_interrupted;
  }
  if (request.strict && (!missing.empty() || !energy_fitted)) {
    std::string failed;
    if (!missing.empty()) failed = fmt::format("{} test model(s) missing", missing.size());
    if (!energy_fitted) failed += fmt::format("{}energy not fitted", failed.empty() ? "" : ", ");
    fmt::print(stderr, "layerwatt train: {} (--strict)\n", failed);
    return exit_failure;
  }
  return exit_ok;
}

}  // namespace layerwatt::cli
