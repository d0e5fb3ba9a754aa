#pragma once
// The reference's training run (run.py): for each layer kind, split the training directory's
// models into train and test by name, fit the kind's power and runtime presets (with the
// configuration's overrides) on the training rows, and evaluate them on the held-out models.
//
//   const auto outcome = model::train_presets(dataset::scan_training_dir("training_data"), config,
//                                             [](const model::fit_started& s) { ... });
//   model::save_models(outcome, "models");
//
// Nothing is written while fitting: the fitted models are kept as their file text, so an
// interrupted or failed run leaves a previous model directory as it was.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/warning.hpp"
#include "layerwatt/dataset/training_dir.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/model/lasso_cv.hpp"
#include "layerwatt/model/metrics.hpp"
#include "layerwatt/model/pipeline_file.hpp"
#include "layerwatt/model/preset_catalog.hpp"
#include "layerwatt/model/test_split.hpp"
#include "layerwatt/model/training_config.hpp"
#include "layerwatt/model/training_rows.hpp"

namespace layerwatt::model {

/// Measured and predicted values of one held-out model's layers, in its CSV's order.
struct model_predictions {
  std::string model;
  std::vector<std::string> layer_names;
  std::vector<double> measured, predicted;
};

struct fit_result {
  layer_kind kind{};
  target what{};
  std::string pipeline;  ///< the name its file is saved under
  std::vector<std::string> train_models, test_models;
  std::size_t train_rows = 0, test_rows = 0;
  std::size_t folds = 0;  ///< of the cross-validation: the configuration's, or the rows when fewer
  double alpha = 0;
  std::size_t width = 0, nonzero = 0;  ///< coefficients, and those not zero
  std::vector<std::string> training_precisions;  ///< the training rows' precisions, sorted, each once
  double train_rmspe = 0;
  std::optional<regression_metrics> test;  ///< none when no held-out model has rows of this kind
  std::vector<model_predictions> per_test_model;
  std::string file_text;  ///< the fitted pipeline's JSON file
};

/// A model not fitted for want of data.
struct skipped_fit {
  layer_kind kind;
  target what;
  std::string reason;
};

struct training_outcome {
  std::vector<fit_result> fits;       ///< in (kind, target) order
  std::vector<skipped_fit> skipped;   ///< (kind, target) pairs without enough data
  std::vector<std::string> missing_test_models;  ///< named as test models, absent from the data
};

/// Told before each fit starts: which one, and how many in all (at most eight).
struct fit_started {
  layer_kind kind;
  target what;
  std::size_t index, total;
  std::size_t train_rows;
};

/// The fewest rows a fit takes: two folds of one row each.
inline constexpr std::size_t min_training_rows = 2;

namespace detail {

inline std::vector<std::string> names_of(const std::vector<model_rows>& models) {
  std::vector<std::string> out;
  for (const auto& m : models) out.push_back(m.model);
  return out;
}

/// Below this, every power of a layer kind was not written in µW: a GPU running some layer
/// draws more than a milliwatt above idle, where a power in W read as µW is millionths of one.
/// (One layer's power above idle may be near 0, or below it: the largest is what tells.)
inline constexpr double min_plausible_largest_power_w = 1e-3;

/// Warns where no measured power of `rows` reaches min_plausible_largest_power_w.
inline void warn_if_power_in_watts(layer_kind kind, const training_rows& rows, const warning_sink& warn) {
  double largest = 0;
  bool measured = false;
  for (const double p : rows.power_w)
    if (!std::isnan(p)) largest = std::max(largest, std::abs(p)), measured = true;
  if (measured && largest < min_plausible_largest_power_w)
    warn(fmt::format("{} layers: the largest measured power is {:.3g} µW, where a GPU running a layer draws more "
                     "than {:g} µW: is column \"{}\" in µW (not W)?",
                     to_string(kind), largest * microwatts_per_watt, min_plausible_largest_power_w * microwatts_per_watt,
                     dataset::power_column));
}

template <layer_kind Kind>
fit_result fit_preset(target what, const target_rows& train, const target_rows& test, const training_config& config,
                      const warning_sink& warn) {
  const std::string_view name = presets::preset_name(Kind, what);
  const auto found = config.presets.find(name);
  const preset_overrides overrides = found == config.presets.end() ? preset_overrides{} : found->second;
  lasso_cv_options options;
  // Fewer rows than folds: as many folds as rows (leave-one-out), said in a warning and the metrics.
  options.folds = std::min(config.folds, train.rows());
  if (options.folds < config.folds)
    warn(fmt::format("{}: {} training rows, fewer than the {} folds asked for: fitted with leave-one-out "
                     "cross-validation ({} folds); with so few rows, expect a coarse model",
                     name, train.rows(), config.folds, options.folds));
  if (overrides.n_alphas) options.n_alphas = *overrides.n_alphas;
  if (overrides.max_iter) options.max_iter = *overrides.max_iter;
  options.warn = [&warn, name](std::string_view message) { warn(fmt::format("{}: {}", name, message)); };
  const auto& y_train = train.y;
  const auto& y_test = test.y;

  return presets::visit_preset<Kind>(
      what, [&]<template <std::size_t, typename, coefficient_sign> class Preset>(presets::preset_template<Preset>) {
        return presets::with_shape<Preset>(overrides.shape, [&]<typename P>(std::type_identity<P>) {
          P pipeline(options);
          pipeline.fit(train.x, y_train);
          fit_result r;
          r.kind = Kind;
          r.what = what;
          r.pipeline = pipeline_name<P>();
          r.train_models = names_of(train.models);
          r.test_models = names_of(test.models);
          r.train_rows = train.rows();
          r.test_rows = test.rows();
          r.folds = options.folds;
          r.alpha = pipeline.model().alpha;
          r.width = P::width;
          r.nonzero = static_cast<std::size_t>((pipeline.model().coef.array() != 0).count());
          const Eigen::VectorXd fitted = pipeline.predict(train.x);
          r.train_rmspe = rmspe({y_train.data(), train.rows()}, {fitted.data(), train.rows()});
          if (test.rows() > 0) {
            const Eigen::VectorXd predicted = pipeline.predict(test.x);
            r.test = evaluate({y_test.data(), test.rows()}, {predicted.data(), test.rows()});
            for (const auto& m : test.models) {
              auto& p = r.per_test_model.emplace_back();
              p.model = m.model;
              p.layer_names.assign(test.layer_names.begin() + static_cast<std::ptrdiff_t>(m.first),
                                   test.layer_names.begin() + static_cast<std::ptrdiff_t>(m.first + m.count));
              p.measured.assign(y_test.data() + m.first, y_test.data() + m.first + m.count);
              p.predicted.assign(predicted.data() + m.first, predicted.data() + m.first + m.count);
            }
          }
          auto file = pipeline_to_json(pipeline);
          r.training_precisions = add_training_precisions(file, train.precisions);
          r.file_text = file.dump(4) + "\n";
          return r;
        });
      });
}

// Every shape of a kind's presets is a type of its own (presets::with_shape): fitting one kind
// compiles 48 pipelines. A build that compiles them once, in instantiations of its own
// (examples/support/preset_instances_*.cpp in this project's), defines
// LAYERWATT_PRECOMPILED_PRESETS so that other translation units do not compile them again.
#ifdef LAYERWATT_PRECOMPILED_PRESETS
#define LAYERWATT_EXTERN_FIT_PRESET(kind)                                                                     \
  extern template fit_result fit_preset<layer_kind::kind>(target, const target_rows&, const target_rows&, \
                                                          const training_config&, const warning_sink&)
LAYERWATT_EXTERN_FIT_PRESET(convolutional);
LAYERWATT_EXTERN_FIT_PRESET(pooling);
LAYERWATT_EXTERN_FIT_PRESET(dense);
LAYERWATT_EXTERN_FIT_PRESET(memory_bound);
#undef LAYERWATT_EXTERN_FIT_PRESET
#endif

}  // namespace detail

/// Fits every preset the data allows, each on the rows that measured its target (a runtime-only
/// row, from a profile without power, joins the runtime fit only). A (kind, target) with fewer
/// than two training rows is skipped with its reason; one with fewer rows than the folds is
/// fitted with as many folds as rows, and `warn` says so. Bad input (a malformed CSV, a
/// non-finite transformed feature) is a layerwatt::error naming the file. `on_fit` is called
/// before each fit.
template <typename OnFit>
training_outcome train_presets(const dataset::training_dir& data, const training_config& config, OnFit&& on_fit,
                               const warning_sink& warn = print_warning) {
  training_outcome out;
  auto split = split_test_models(data, config.test_models);
  const auto& train_models = split.train;
  const auto& test_models = split.test;
  out.missing_test_models = std::move(split.missing);

  struct fit_data {
    layer_kind kind;
    target what;
    target_rows train, test;
  };
  std::vector<fit_data> ready;
  for (const auto kind : all_layer_kinds) {
    const auto [train, test] = dataset::with_layout(kind, [&]<layer_kind Kind>(dataset::training_layout<Kind>) {
      return std::pair{read_training_rows<Kind>(train_models), read_training_rows<Kind>(test_models)};
    });
    detail::warn_if_power_in_watts(kind, train, warn);
    for (const auto what : all_targets) {
      fit_data d{kind, what, measured_rows(train, what), measured_rows(test, what)};
      if (d.train.rows() == 0) {
        std::string reason = train.rows() > 0 ? fmt::format("{} training rows, none with a measured {}", train.rows(),
                                                            to_string(what))
                             : d.test.rows() > 0 ? fmt::format("no training rows ({} rows, all in test models)", d.test.rows())
                                                 : "no rows in any model";
        out.skipped.push_back({kind, what, std::move(reason)});
      } else if (d.train.rows() < min_training_rows) {
        out.skipped.push_back({kind, what,
                               fmt::format("1 training row with a measured {}: cross-validation needs at least {}",
                                           to_string(what), min_training_rows)});
      } else {
        ready.push_back(std::move(d));
      }
    }
  }

  for (const auto& d : ready) {
    on_fit(fit_started{d.kind, d.what, out.fits.size(), ready.size(), d.train.rows()});
    dataset::with_layout(d.kind, [&]<layer_kind Kind>(dataset::training_layout<Kind>) {
      out.fits.push_back(detail::fit_preset<Kind>(d.what, d.train, d.test, config, warn));
    });
  }
  return out;
}

/// Writes each fit to MODELS_DIR/<kind>/<target>.json (atomically, file by file) and removes
/// the model files of skipped kinds, so the directory never mixes this run with an older one.
inline void save_models(const training_outcome& outcome, const std::filesystem::path& models_dir) {
  for (const auto& fit : outcome.fits)  // the atomic write creates the kind's folder
    io::write_file_atomically(presets::model_file(models_dir, fit.kind, fit.what), fit.file_text);
  for (const auto& skipped : outcome.skipped) {
    std::error_code ec;
    std::filesystem::remove(presets::model_file(models_dir, skipped.kind, skipped.what), ec);
  }
}

}  // namespace layerwatt::model
