#pragma once
// The reference system's six models as types (its config/*_features.py), and layerwatt's two for
// memory-bound layers: per layer kind and target, [polynomial terms of degree 3 (2 for
// memory-bound layers; after log1p for convolutional power) ∪ special terms] → scaler → LassoCV. Runtime settings (folds, n_alphas, max_iter, tol, threads) are the
// options a preset is constructed with; their defaults are the reference's.
//
// Each preset is a class template over its degree, scaler and coefficient sign with the
// reference's values as defaults (conv_power = conv_power_pipeline<>), so a configuration may
// choose others (conv_power_pipeline<2, transform::robust_scaler>, or at run time through
// preset_shape.hpp) without a new preset. A preset saves under its name, "conv_power", or with
// a non-default shape "conv_power<degree=2, scaler=robust_scaler>" (", positive=false" when the
// sign is not the reference's).

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include "layerwatt/dataset/feature_columns.hpp"
#include "layerwatt/model/lasso_cv.hpp"
#include "layerwatt/model/pipeline.hpp"
#include "layerwatt/transform/chain.hpp"
#include "layerwatt/transform/feature_union.hpp"
#include "layerwatt/transform/log1p.hpp"
#include "layerwatt/transform/polynomial.hpp"
#include "layerwatt/transform/robust_scaler.hpp"
#include "layerwatt/transform/special_terms.hpp"
#include "layerwatt/transform/standard_scaler.hpp"

namespace layerwatt::presets {

/// Convolution: in_c·in_h·in_w·kernel_h·kernel_w·out_w, and that times the batch.
using conv_ops_per_input = transform::product<features::in_c, features::in_h, features::in_w, features::kernel_h,
                                              features::kernel_w, features::out_w>;
using conv_ops_per_batch = transform::product<features::in_c, features::in_h, features::in_w, features::kernel_h,
                                              features::kernel_w, features::out_w, features::batch_size>;
/// Pooling: input size, output size, and "no-ops" batch·in_c·in_h·in_w·kernel_h·kernel_w.
using pooling_input_size =
    transform::product<features::batch_size, features::in_c, features::in_h, features::in_w>;
using pooling_output_size =
    transform::product<features::batch_size, features::out_c, features::out_h, features::out_w>;
using pooling_no_ops = transform::product<features::batch_size, features::in_c, features::in_h, features::in_w,
                                          features::kernel_h, features::kernel_w>;

namespace detail {

template <bool Log, std::size_t Degree>
using regular_terms = std::conditional_t<Log, transform::chain<transform::log1p, transform::polynomial<Degree>>,
                                         transform::polynomial<Degree>>;

template <typename Regular, typename... Terms>
struct union_of {
  using type = transform::feature_union<Regular, transform::special_terms<Terms...>>;
};
template <typename Regular>
struct union_of<Regular> {
  using type = Regular;
};

/// The reference's pipeline shape.
template <typename Features, bool Log, std::size_t Degree, typename Scaler, model::coefficient_sign Sign,
          typename... Terms>
using reference_pipeline = model::pipeline<Features, typename union_of<regular_terms<Log, Degree>, Terms...>::type,
                                           Scaler, model::lasso_cv<Sign>>;

template <std::size_t Degree, typename Scaler, model::coefficient_sign Sign, std::size_t DefaultDegree,
          typename DefaultScaler, model::coefficient_sign DefaultSign>
std::string preset_name(std::string_view preset) {
  if (Degree == DefaultDegree && std::is_same_v<Scaler, DefaultScaler> && Sign == DefaultSign)
    return std::string(preset);
  const std::string sign =
      Sign == DefaultSign ? "" : fmt::format(", positive={}", Sign == model::coefficient_sign::positive);
  return fmt::format("{}<degree={}, scaler={}{}>", preset, Degree, Scaler::type_name(), sign);
}

}  // namespace detail

// preset: its name; default_degree, default_scaler: the reference's; then reference_pipeline's
// arguments: the feature list, whether log1p comes first, the reference's coefficient sign, the
// special terms.
#define LAYERWATT_PRESET(preset, default_degree, default_scaler, columns, with_log, default_sign, ...)               \
  template <std::size_t Degree = default_degree, typename Scaler = default_scaler,                                \
            model::coefficient_sign Sign = model::coefficient_sign::default_sign>                                 \
  struct preset##_pipeline                                                                                        \
      : detail::reference_pipeline<columns, with_log, Degree, Scaler, Sign __VA_OPT__(, ) __VA_ARGS__> {          \
    using base_type = detail::reference_pipeline<columns, with_log, Degree, Scaler, Sign __VA_OPT__(, ) __VA_ARGS__>; \
    using base_type::base_type;                                                                                   \
    static constexpr std::size_t default_polynomial_degree = default_degree;                                      \
    using default_scaler_type = default_scaler;                                                                   \
    static constexpr model::coefficient_sign default_coefficient_sign = model::coefficient_sign::default_sign;    \
    static std::string name() {                                                                                   \
      return detail::preset_name<Degree, Scaler, Sign, default_degree, default_scaler, default_coefficient_sign>(  \
          #preset);                                                                                               \
    }                                                                                                             \
  };                                                                                                              \
  using preset = preset##_pipeline<>

LAYERWATT_PRESET(conv_power, 3, transform::standard_scaler, features::convolutional, true, positive,
                 conv_ops_per_input, conv_ops_per_batch);
LAYERWATT_PRESET(conv_runtime, 3, transform::standard_scaler, features::convolutional, false, positive,
                 conv_ops_per_input, conv_ops_per_batch);
LAYERWATT_PRESET(pooling_power, 3, transform::robust_scaler, features::pooling, false, positive, pooling_input_size,
                 pooling_output_size, pooling_no_ops);
LAYERWATT_PRESET(pooling_runtime, 3, transform::standard_scaler, features::pooling, false, any, pooling_input_size,
                 pooling_output_size, pooling_no_ops);
LAYERWATT_PRESET(dense_power, 3, transform::standard_scaler, features::dense, false, positive);
LAYERWATT_PRESET(dense_runtime, 3, transform::standard_scaler, features::dense, false, positive);
// layerwatt's own (the reference models no memory-bound layer): a memory-bound layer's runtime
// and power follow the bytes it moves, so degree 2 — a cubic in bytes extrapolates wildly.
LAYERWATT_PRESET(memory_power, 2, transform::standard_scaler, features::memory_bound, false, positive);
LAYERWATT_PRESET(memory_runtime, 2, transform::standard_scaler, features::memory_bound, false, positive);

#undef LAYERWATT_PRESET

}  // namespace layerwatt::presets
