#include "layerwatt/train/network_fit.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "layerwatt/predict/model_set.hpp"
#include "layerwatt/predict/network_prediction.hpp"
#include "layerwatt/zoo/synthetic.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace train = layerwatt::train;
using lw::testing::temp_dir;

namespace network_fit_test {

/// A planted cost model in the span of the network-level models: each convolution costs
/// 0.01 ms plus 2 ns per multiply-accumulate, each fully connected layer 0.005 ms plus 1 ns per
/// multiply-accumulate, and every inference 0.3 ms more; energy is 5 mJ per ms throughout.
/// With `winograd`, a 3×3 convolution's multiply-accumulate costs a quarter of the others'.
double planted_runtime_ms(const lw::io::engine_info& engine, bool winograd = false) {
  double t = 0.3;
  for (const auto& c : lw::dataset::classify_layers(engine)) {
    const auto& l = c.features_layer();
    if (c.kind == lw::dataset::layer_class::convolutional) {
      const auto row = lw::features::features_of<lw::network_presets::conv_columns>(l);
      const double per_mac = winograd && l.kernel && (*l.kernel)[0] == 3 ? 0.5e-9 : 2e-9;
      t += 0.01 + per_mac * lw::network_presets::conv_macs::evaluate<lw::network_presets::conv_columns>(row.data());
    } else if (c.kind == lw::dataset::layer_class::dense) {
      const auto row = lw::features::features_of<lw::features::dense>(l);
      t += 0.005 + 1e-9 * lw::network_presets::dense_macs::evaluate<lw::features::dense>(row.data());
    }
  }
  return t;
}

/// Depth sweeps of plain convolution stacks (a family: same filters, kernel and input, 1 to 5
/// layers), like a NAS data set's.
struct synthetic_set {
  std::vector<lw::io::engine_info> engines;
  std::vector<train::measured_network> networks;

  explicit synthetic_set(bool winograd = false) {
    for (const std::int64_t filters : {16, 48, 96})
      for (const std::int64_t kernel : {1, 3, 5})
        for (const std::int64_t width : {16, 40})
          for (std::int64_t depth = 1; depth <= 5; ++depth) {
            lw::zoo::synthetic_network n{fmt::format("convnet_L{}_F{}_K{}x{}_W{}", depth, filters, kernel, kernel, width),
                                         width, {}, 10};
            for (std::int64_t l = 0; l < depth; ++l) n.convs.push_back({l == 0 ? 3 : filters, filters, kernel, kernel / 2, 1});
            engines.push_back(lw::zoo::build_synthetic(n));
          }
    for (std::size_t i = 0; i < engines.size(); ++i) {
      const double t = planted_runtime_ms(engines[i], winograd);
      std::string family = fmt::format("{}", i / 5);  // the five depths of one configuration
      networks.push_back({fmt::format("net{}", i), family, &engines[i], t, 5 * t});
    }
  }
};

/// A network of a configuration no training network has (3×3 convolutions of 64 filters on 32
/// pixels), and its prediction by `fit`'s models as `predict` reads them back.
std::pair<lw::io::engine_info, lw::predict::network_prediction> predict_unseen(const train::network_fit& fit) {
  temp_dir dir;
  train::save_network_models(fit, dir / "models");
  const auto models = lw::predict::load_model_set(dir / "models");
  lw::zoo::synthetic_network unseen{"unseen", 32, {{3, 64, 3, 1, 1}, {64, 64, 3, 1, 1}, {64, 64, 3, 1, 1}}, 10};
  auto engine = lw::zoo::build_synthetic(unseen);
  auto p = lw::predict::predict_network(models, engine);
  return {std::move(engine), std::move(p)};
}

train::network_fit_options quick() {
  train::network_fit_options o;
  o.folds = 5;
  o.n_alphas = 30;
  o.eps = 1e-5;
  o.warn = [](std::string_view) {};
  return o;
}

// The planted model is recovered from the totals it generated: every network's total, a network
// of a configuration never seen, and the per-inference constant.
TEST(NetworkFit, APlantedLayerCostModelIsRecoveredFromTheTotalsItGenerated) {
  const synthetic_set set;
  const auto fit = train::fit_network_models(set.networks, {}, quick());
  ASSERT_EQ(fit.targets.size(), 2u);
  for (const auto& t : fit.targets) {
    SCOPED_TRACE(std::string(to_string(t.what)));
    EXPECT_EQ(t.networks, set.networks.size());
    if (t.what == lw::target::runtime) {
      EXPECT_NEAR(t.constant, 0.3, 0.03);
    } else {
      // Energy follows time throughout, which the static power times the predicted runtime and
      // the energy's own terms can each say (the split is not identifiable); the per-inference
      // overhead is the energy constant plus the static power's share of the runtime's.
      EXPECT_NEAR(t.constant + t.static_power * fit.targets[0].constant, 5 * 0.3, 5 * 0.03);
    }
    for (std::size_t i = 0; i < set.networks.size(); ++i) {
      const double measured = t.what == lw::target::runtime ? set.networks[i].latency_ms : *set.networks[i].energy_mj;
      EXPECT_NEAR(t.fitted[i] / measured, 1.0, 0.01) << set.networks[i].name;
    }
  }
  const auto [engine, p] = predict_unseen(fit);
  EXPECT_NEAR(p.totals.runtime_s * 1e3 / planted_runtime_ms(engine), 1.0, 0.02);
  EXPECT_NEAR(p.totals.energy_j.value() * 1e3 / (5 * planted_runtime_ms(engine)), 1.0, 0.02);
}

// A layer's energy is its energy model's plus the static power times its runtime, and the
// per-inference constant's likewise: 2 W more add 2 mJ per ms of predicted runtime, no more.
TEST(NetworkFit, TheStaticPowerAddsItsShareToEveryLayersEnergyAndTheConstants) {
  const synthetic_set set;
  const auto fit = train::fit_network_models(set.networks, {}, quick());
  temp_dir dir;
  train::save_network_models(fit, dir / "models");
  const auto before = lw::predict::predict_network(lw::predict::load_model_set(dir / "models"), set.engines[7]);
  auto constants = *train::read_network_constants(dir / "models");
  constants.static_power_w += 2;
  train::write_network_constants(dir / "models", constants);
  const auto after = lw::predict::predict_network(lw::predict::load_model_set(dir / "models"), set.engines[7]);
  ASSERT_EQ(after.layers.size(), before.layers.size());
  for (std::size_t i = 0; i < after.layers.size(); ++i) {
    const auto &a = after.layers[i], &b = before.layers[i];
    EXPECT_NEAR(*a.energy_mj - *b.energy_mj, 2 * *a.runtime_ms, 1e-12);
    EXPECT_NEAR(*a.power_w, *a.energy_mj / *a.runtime_ms, 1e-12);
  }
  EXPECT_NEAR(after.totals.energy_j.value() - before.totals.energy_j.value(), 2 * after.totals.runtime_s, 1e-12);
}

// network.json keeps the highest power per inference measured (5 W: every planted network's
// energy is 5 mJ per ms), and predict flags a layer whose power is more than twice it: none at
// 5 W, every one where the record says a tenth of the power the layers are predicted at.
TEST(NetworkFit, ALayerPowerFarAboveAnyMeasuredIsFlagged) {
  const synthetic_set set;
  const auto fit = train::fit_network_models(set.networks, {}, quick());
  ASSERT_EQ(fit.targets.size(), 2u);
  EXPECT_NEAR(fit.targets[1].max_power_w, 5, 1e-12);
  temp_dir dir;
  train::save_network_models(fit, dir / "models");
  auto constants = *train::read_network_constants(dir / "models");
  EXPECT_NEAR(constants.max_measured_power_w.value(), 5, 1e-12);
  const auto flagged = [&] {
    return lw::predict::predict_network(lw::predict::load_model_set(dir / "models"), set.engines[7])
        .power_above_measured_count();
  };
  EXPECT_EQ(flagged(), 0u);
  const auto p = lw::predict::predict_network(lw::predict::load_model_set(dir / "models"), set.engines[7]);
  double lowest = std::numeric_limits<double>::infinity();
  for (const auto& l : p.layers) lowest = std::min(lowest, l.power_w.value());
  constants.max_measured_power_w = lowest / 2 / lw::predict::plausible_power_factor;
  train::write_network_constants(dir / "models", constants);
  EXPECT_EQ(flagged(), p.layers.size());
  constants.max_measured_power_w.reset();  // a directory that does not record it flags nothing
  train::write_network_constants(dir / "models", constants);
  EXPECT_EQ(flagged(), 0u);
}

// Layers measured alone, runtime and energy, join both fits: each one's static-power term is its
// own fitted runtime, and the networks still come out as planted.
TEST(NetworkFit, LayersMeasuredForRuntimeAndEnergyJoinBothFits) {
  const synthetic_set set;
  std::vector<train::measured_layer> layers;
  for (std::size_t n = 0; n < set.networks.size(); n += 5) {
    for (const auto& c : lw::dataset::classify_layers(set.engines[n])) {
      if (c.kind != lw::dataset::layer_class::convolutional) continue;
      const auto row = lw::features::features_of<lw::network_presets::conv_columns>(c.features_layer());
      train::measured_layer l;
      l.kind = lw::layer_kind::convolutional;
      l.features.assign(row.begin(), row.end());
      l.network = set.networks[n].name;
      l.group = set.networks[n].group;
      l.runtime_ms = 0.01 + 2e-9 * lw::network_presets::conv_macs::evaluate<lw::network_presets::conv_columns>(row.data());
      l.energy_mj = 5 * *l.runtime_ms;
      layers.push_back(std::move(l));
    }
  }
  const auto fit = train::fit_network_models(set.networks, layers, quick());
  for (const auto& t : fit.targets) {
    SCOPED_TRACE(std::string(to_string(t.what)));
    EXPECT_EQ(t.layers, layers.size());
    for (std::size_t i = 0; i < set.networks.size(); ++i) {
      const double measured = t.what == lw::target::runtime ? set.networks[i].latency_ms : *set.networks[i].energy_mj;
      EXPECT_NEAR(t.fitted[i] / measured, 1.0, 0.01) << set.networks[i].name;
    }
  }
}

// A layer measured without a group of its own is in its network's: no fold fits a network's
// layers and scores the network.
TEST(NetworkFit, ALayerWithoutAGroupIsInItsNetworks) {
  const synthetic_set set;
  std::vector<train::measured_layer> layers(2);
  layers[0].network = set.networks[7].name;
  layers[1].network = "not measured whole";
  for (auto& l : layers) l.runtime_ms = 0.1;
  const auto rows = train::detail::measured_rows(set.networks, layers, lw::target::runtime);
  std::vector<std::string> layer_groups;
  for (const auto& r : rows)
    if (!r.is_network()) layer_groups.push_back(r.group);
  std::sort(layer_groups.begin(), layer_groups.end());
  EXPECT_EQ(layer_groups, (std::vector<std::string>{set.networks[7].group, "not measured whole"}));
}

// The energy's folds take their static-power term from runtime models fitted without their
// groups: the runtime rows' blocks leave out exactly the groups each energy fold does (families
// measured for runtime only, and measured layers, fall in one block with their group whole).
TEST(NetworkFit, TheRuntimeFoldsLeaveOutWhatEachEnergyFoldDoes) {
  synthetic_set set;
  for (std::size_t i = 0; i < set.networks.size(); ++i)
    if ((i / 5) % 4 == 1) set.networks[i].energy_mj.reset();  // every fourth family: runtime only
  std::vector<train::measured_layer> layers(set.networks.size() / 3);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    layers[i].network = set.networks[3 * i].name;
    layers[i].runtime_ms = 0.1;
  }
  const auto energy = train::detail::measured_rows(set.networks, {}, lw::target::energy);
  const auto runtime = train::detail::measured_rows(set.networks, layers, lw::target::runtime);
  const auto folds = lw::model::grouped_fold_bounds(train::detail::group_sizes(energy), 5);
  const auto matching = train::detail::matching_bounds(energy, folds, runtime);
  ASSERT_EQ(matching.size(), folds.size());
  EXPECT_EQ(matching.front(), 0u);
  EXPECT_EQ(matching.back(), runtime.size());
  const auto fold_of = [](const auto& rows, const auto& bounds, const std::string& group) {
    std::optional<std::size_t> fold;
    for (std::size_t f = 0; f + 1 < bounds.size(); ++f)
      for (std::size_t r = bounds[f]; r < bounds[f + 1]; ++r)
        if (rows[r].group == group) {
          EXPECT_TRUE(!fold || *fold == f) << group << " split";
          fold = f;
        }
    return fold;
  };
  std::size_t runtime_only = 0;
  for (const auto& r : runtime) {
    const auto in_energy = fold_of(energy, folds, r.group);
    const auto in_runtime = fold_of(runtime, matching, r.group);
    ASSERT_TRUE(in_runtime);
    if (in_energy) EXPECT_EQ(*in_runtime, *in_energy) << r.group;
    else ++runtime_only;
  }
  EXPECT_GT(runtime_only, 0u);
}

// The energy's cross-validation rebuilt from its parts: each fold's static-power column is the
// runtime design refitted without the fold's networks, at the runtime's alpha, in ms, divided
// and scaled as the energy's column; scored with it, the energy's CV RMSPE is the fit's.
TEST(NetworkFit, EachEnergyFoldTakesThePredictedRuntimeOfRuntimeModelsFittedWithoutIt) {
  synthetic_set set;
  for (std::size_t i = 0; i < set.networks.size(); ++i)  // energy not quite proportional to time
    *set.networks[i].energy_mj *= 1 + 0.2 * std::sin(static_cast<double>(i));
  const auto options = quick();
  const auto fit = train::fit_network_models(set.networks, {}, options);
  ASSERT_EQ(fit.targets.size(), 2u);
  train::network_fit counted;
  std::vector<std::vector<train::detail::layer_row>> network_layers;
  for (const auto& n : set.networks) network_layers.push_back(train::detail::modelled_layers(n, options.rule, counted));
  struct prepared {
    std::vector<train::detail::measured_row> rows;
    Eigen::MatrixXd x;
    Eigen::VectorXd y, divisor, scale;
    std::vector<std::size_t> folds;
  };
  const auto prepare = [&](const train::network_target_fit& fitted) {
    prepared p{train::detail::measured_rows(set.networks, {}, fitted.what), {}, {}, {}, {}, {}};
    train::network_target_fit scratch;
    scratch.what = fitted.what;
    const auto design = train::detail::design_of(
        p.rows, network_layers, {}, [&](const auto& r) { return fit.targets[0].fitted[r.network]; }, scratch, options);
    p.divisor = train::detail::divisors_of(p.rows, set.networks, {});
    p.x = design.x.array().colwise() / p.divisor.array();
    p.y = Eigen::VectorXd(p.x.rows());
    for (Eigen::Index r = 0; r < p.x.rows(); ++r) p.y[r] = p.rows[static_cast<std::size_t>(r)].y / p.divisor[r];
    p.scale = train::detail::to_unit_rms(p.x);
    if (!fitted.kernel_class_terms)
      for (const auto c : design.kernel_class_columns) p.x.col(c).setZero();
    p.folds = lw::model::grouped_fold_bounds(train::detail::group_sizes(p.rows), fitted.folds);
    return p;
  };
  const auto runtime = prepare(fit.targets[0]), energy = prepare(fit.targets[1]);
  ASSERT_EQ(runtime.rows.size(), energy.rows.size());
  const Eigen::MatrixXd by_fold = lw::model::fold_predictions<lw::model::coefficient_sign::positive>(
      runtime.x, runtime.y, runtime.folds,
      {.alpha = fit.targets[0].alpha, .fit_intercept = false, .max_iter = options.max_iter, .tol = options.tol});
  lw::model::fold_column column{1, Eigen::MatrixXd(by_fold.rows(), by_fold.cols())};
  for (Eigen::Index i = 0; i < by_fold.rows(); ++i) {
    ASSERT_EQ(runtime.rows[static_cast<std::size_t>(i)].network, energy.rows[static_cast<std::size_t>(i)].network);
    column.values.row(i) = by_fold.row(i) * (runtime.divisor[i] / energy.divisor[i] / energy.scale[1]);
  }
  using lasso_cv = lw::model::lasso_cv<lw::model::coefficient_sign::positive>;
  const auto cv_rmspe = [&](std::optional<lw::model::fold_column> c) {
    lasso_cv m({.folds = fit.targets[1].folds, .n_alphas = options.n_alphas, .eps = options.eps,
                .max_iter = options.max_iter, .tol = options.tol, .fit_intercept = false, .warn = {}});
    m.fit(energy.x, energy.y, energy.folds, {}, std::move(c));
    return 100 * std::sqrt(m.cv_mse());
  };
  EXPECT_NEAR(cv_rmspe(column), fit.targets[1].cv_rmspe, 1e-9 * fit.targets[1].cv_rmspe);
  EXPECT_GT(std::fabs(cv_rmspe(std::nullopt) / fit.targets[1].cv_rmspe - 1), 1e-6);
}

// The terms by kernel class sit where kernel_class_columns says: after the polynomial's columns
// and conv_macs, in this order (the design's indices rely on it).
TEST(NetworkFit, TheTermsByKernelClassAreWhereTheFitLooksForThem) {
  const std::string name = lw::network_presets::network_conv_runtime::type_name();
  EXPECT_NE(name.find("special_terms<conv_macs, conv_macs_1x1, conv_macs_3x3, conv_macs_other_kernels, "
                      "grouped_conv_macs, conv_weights, "),
            std::string::npos)
      << name;
  const auto columns = lw::network_presets::kernel_class_columns<lw::layer_kind::convolutional>();
  ASSERT_EQ(columns.size(), 4u);
  EXPECT_EQ(columns[0], lw::transform::polynomial_width(lw::network_presets::conv_columns::size,
                                                        lw::network_presets::degree) + 1);
  EXPECT_TRUE(lw::network_presets::kernel_class_columns<lw::layer_kind::dense>().empty());
}

// `predict` on a training network's engine gives the fit's own prediction for it: one model,
// whichever path asks. Every layer's cost is ≥ 0 by construction, none clamped.
TEST(NetworkFit, PredictOnATrainingEngineIsTheFitsOwnPrediction) {
  const synthetic_set set;
  auto networks = set.networks;
  for (std::size_t i = 0; i < networks.size(); ++i) networks[i].latency_ms *= 1 + 0.05 * std::sin(7.0 * static_cast<double>(i));
  const auto fit = train::fit_network_models(networks, {}, quick());
  temp_dir dir;
  train::save_network_models(fit, dir / "models");
  const auto models = lw::predict::load_model_set(dir / "models");
  ASSERT_TRUE(models.network);
  EXPECT_EQ(models.network->runtime_ms, fit.targets[0].constant);
  for (std::size_t i = 0; i < networks.size(); i += 7) {
    const auto p = lw::predict::predict_network(models, set.engines[i]);
    EXPECT_NEAR(p.totals.runtime_s * 1e3, fit.targets[0].fitted[i], 1e-9 * fit.targets[0].fitted[i]);
    EXPECT_NEAR(p.totals.energy_j.value() * 1e3, fit.targets[1].fitted[i], 1e-9 * fit.targets[1].fitted[i]);
    EXPECT_EQ(p.clamped_count(), 0u);
    for (const auto& l : p.layers) {
      EXPECT_GE(*l.runtime_ms, 0);
      EXPECT_GE(*l.energy_mj, 0);
      EXPECT_DOUBLE_EQ(*l.power_w, *l.runtime_ms > 0 ? *l.energy_mj / *l.runtime_ms : 0.0);
    }
  }
}

// Every synthetic network ends in a 10-output classifier: nothing learnt can say how a layer's
// cost grows with its outputs beyond the work done, so no polynomial term of them carries weight
// into a 1000-output one; the multiply-accumulates alone scale with them, linearly.
TEST(NetworkFit, AFeatureConstantOverTheTrainingLayersEntersOnlyThroughThePhysicalTerms) {
  const synthetic_set set;
  const auto fit = train::fit_network_models(set.networks, {}, quick());
  EXPECT_GT(fit.targets[0].dropped_terms[static_cast<std::size_t>(lw::layer_kind::dense)], 0u);
  temp_dir dir;
  train::save_network_models(fit, dir / "models");
  const auto models = lw::predict::load_model_set(dir / "models");
  lw::io::engine_layer fc;
  fc.name = "fc";
  fc.layer_type = "CaskGemmConvolution";
  fc.parameter_type = "Convolution";
  fc.inputs = {{"x", {1, 4096, 1, 1}, "Row major linear FP32 format"}};
  const auto& dense = models.of(lw::layer_kind::dense);
  const auto runtime_with = [&](std::int64_t outputs, std::vector<std::string_view>* outside = nullptr) {
    fc.outputs = {{"y", {1, outputs, 1, 1}, "Row major linear FP32 format"}};
    return dense.runtime->predict(fc, outside);
  };
  const double ten = runtime_with(10), hundred = runtime_with(100);
  std::vector<std::string_view> outside;
  const double thousand = runtime_with(1000, &outside);
  EXPECT_GE(hundred, ten);
  EXPECT_NEAR(thousand - ten, (hundred - ten) * 11, 1e-9 * thousand);  // linear: no square of outputs
  EXPECT_NE(std::find(outside.begin(), outside.end(), "output_size"), outside.end());  // and it says so
}

// Every network has one classifier: a per-classifier cost could not be told from the network
// constant, and would be paid 64 times by a network of 64 squeeze-excitation FCs. The
// convolutions' count varies with depth, so theirs stays.
TEST(NetworkFit, AKindAsManyTimesInEveryNetworkLeavesItsInterceptToTheConstant) {
  const synthetic_set set;
  const auto fit = train::fit_network_models(set.networks, {}, quick());
  for (const auto& t : fit.targets) {
    EXPECT_TRUE(t.dropped_intercept[static_cast<std::size_t>(lw::layer_kind::dense)]);
    EXPECT_FALSE(t.dropped_intercept[static_cast<std::size_t>(lw::layer_kind::convolutional)]);
    const auto dense = nlohmann::json::parse(*t.model_file_text[static_cast<std::size_t>(lw::layer_kind::dense)]);
    EXPECT_EQ(dense["intercept"].get<double>(), 0.0);
  }
  // A measured classifier alone tells the two apart: its intercept is fitted again.
  train::measured_layer classifier;
  classifier.kind = lw::layer_kind::dense;
  classifier.features = {1, 4096, 10};
  classifier.network = "net0";
  classifier.group = set.networks[0].group;
  classifier.runtime_ms = 0.005 + 1e-9 * 4096 * 10;  // the planted cost
  const std::vector<train::measured_layer> layers{classifier};
  EXPECT_FALSE(train::fit_network_models(set.networks, layers, quick())
                   .targets[0]
                   .dropped_intercept[static_cast<std::size_t>(lw::layer_kind::dense)]);
}

// A 3×3 convolution's multiply-accumulate costing a quarter of the others' (Winograd) is what the
// terms by kernel class can say and total multiply-accumulates cannot: cross-validation keeps
// them, and the unseen network of 3×3 layers comes out right.
TEST(NetworkFit, CrossValidationKeepsTheTermsByKernelClassWhereTheCostDependsOnTheKernel) {
  const synthetic_set set(true);
  const auto fit = train::fit_network_models(set.networks, {}, quick());
  EXPECT_TRUE(fit.targets[0].kernel_class_terms);
  const auto [engine, p] = predict_unseen(fit);
  EXPECT_NEAR(p.totals.runtime_s * 1e3 / planted_runtime_ms(engine, true), 1.0, 0.02);
}

// Totals the layers do not explain (a scrambled order) fit poorly, and the fit says so; the
// planted model's exact totals do not warn.
TEST(NetworkFit, AFitThatCrossValidatesPoorlyIsWarnedAbout) {
  const synthetic_set set;
  const auto warnings_of = [](const std::vector<train::measured_network>& networks) {
    auto options = quick();
    std::vector<std::string> warnings;
    options.warn = [&](std::string_view w) { warnings.emplace_back(w); };
    (void)train::fit_network_models(networks, {}, options);
    return warnings;
  };
  const auto cross_validated = [](const std::vector<std::string>& warnings) {
    return std::count_if(warnings.begin(), warnings.end(),
                         [](const auto& w) { return w.find("cross-validated RMSPE") != std::string::npos; });
  };
  EXPECT_EQ(cross_validated(warnings_of(set.networks)), 0);
  auto scrambled = set.networks;
  const auto n = static_cast<double>(scrambled.size());
  for (std::size_t i = 0; i < scrambled.size(); ++i) {  // 1 to 100, in an order no feature follows
    scrambled[i].latency_ms = std::pow(100.0, static_cast<double>((i * 37 + 11) % scrambled.size()) / n);
    scrambled[i].energy_mj = std::pow(100.0, static_cast<double>((i * 53 + 7) % scrambled.size()) / n);
  }
  const auto warnings = warnings_of(scrambled);
  EXPECT_EQ(cross_validated(warnings), 2) << fmt::format("{}", fmt::join(warnings, "\n"));
}

// A static power no device draws (energies or latencies in another unit) is not written: the
// directory could not be read back. An earlier fit's directory stays as it was.
TEST(NetworkFit, AStaticPowerNoDeviceDrawsIsNotWritten) {
  const synthetic_set set;
  auto fit = train::fit_network_models(set.networks, {}, quick());
  temp_dir dir;
  train::save_network_models(fit, dir / "models");
  const auto before = lw::testing::read_text(dir / "models" / "network.json");
  ASSERT_EQ(fit.targets[1].what, lw::target::energy);
  for (const double watts : {1000.5, std::nan("")}) {
    fit.targets[1].static_power = watts;
    EXPECT_ERROR_MENTIONS(train::check_storable(fit), "static power", "energies in mJ");
    EXPECT_ERROR_MENTIONS(train::save_network_models(fit, dir / "models"), "static power", "energies in mJ");
    EXPECT_ERROR_MENTIONS(train::save_network_models(fit, dir / "new"), "static power");
    EXPECT_FALSE(std::filesystem::exists(dir / "new"));
    EXPECT_EQ(lw::testing::read_text(dir / "models" / "network.json"), before);
  }
  fit.targets[1].static_power = train::max_static_power_w;
  EXPECT_NO_THROW(train::check_storable(fit));
  fit.targets[0].constant = std::nan("");
  EXPECT_ERROR_MENTIONS(train::check_storable(fit), "runtime fit", "per-inference constant of nan ms");
  EXPECT_ERROR_MENTIONS(train::save_network_models(fit, dir / "models"), "per-inference constant");
  EXPECT_EQ(lw::testing::read_text(dir / "models" / "network.json"), before);
}

TEST(NetworkFit, WhatCannotBeFittedIsAnError) {
  EXPECT_ERROR_MENTIONS(train::fit_network_models({}, {}, quick()), "at least one measured network");
  const synthetic_set set;
  auto networks = set.networks;
  networks[3].latency_ms = 0;
  EXPECT_ERROR_MENTIONS(train::fit_network_models(networks, {}, quick()), "net3", "latency 0 ms");
  networks = set.networks;
  networks[4].energy_mj = 1200 * networks[4].latency_ms;  // µJ, say: no board draws 1.2 kW
  EXPECT_ERROR_MENTIONS(train::fit_network_models(networks, {}, quick()), "net4", "1200 W per inference",
                        "(not µJ)");
  networks = {set.networks[0], set.networks[1]};
  networks[1].group = networks[0].group;
  EXPECT_ERROR_MENTIONS(train::fit_network_models(networks, {}, quick()), "1 group(s)", "at least 2");
  // A layer's static-power term is its fitted runtime: its energy alone cannot join the fit.
  train::measured_layer energy_only;
  energy_only.kind = lw::layer_kind::convolutional;
  const auto classified = lw::dataset::classify_layers(set.engines[0]);
  const auto conv = std::find_if(classified.begin(), classified.end(),
                                 [](const auto& c) { return c.kind == lw::dataset::layer_class::convolutional; });
  ASSERT_NE(conv, classified.end());
  const auto row = lw::features::features_of<lw::network_presets::conv_columns>(conv->features_layer());
  energy_only.features.assign(row.begin(), row.end());
  energy_only.network = "net0";
  energy_only.energy_mj = 0.1;
  const std::vector<train::measured_layer> layers{energy_only};
  EXPECT_ERROR_MENTIONS(train::fit_network_models(set.networks, layers, quick()), "net0", "not its runtime");
}

}  // namespace network_fit_test
