#pragma once
// The layer models network-level training fits (train/network_fit.hpp), one type per layer kind
// and target (runtime in ms, energy in mJ per inference):
//
//   [polynomial terms of degree 2 ∪ the kind's physical terms] → max_abs_scaler → coefficients ≥ 0
//
// Every feature of a layer is ≥ 0, so are the terms; the scaler divides without centring, and the
// coefficients and the per-layer intercept are ≥ 0: a layer's predicted cost is ≥ 0 for *any*
// layer, trained on or not — the guarantee a sum over layers fitted to network totals needs
// (positive coefficients on centred features would not give it). The physical terms are what a
// layer's cost follows: multiply-accumulates (grouped convolutions counted per group), weights,
// elements read and written. The estimator type records how the coefficients were found (a
// positive Lasso); network_fit sets them, the pipeline never fits its own.

#include <cstddef>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/dataset/feature_columns.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/model/lasso.hpp"
#include "layerwatt/model/pipeline.hpp"
#include "layerwatt/model/target.hpp"
#include "layerwatt/transform/feature_union.hpp"
#include "layerwatt/transform/max_abs_scaler.hpp"
#include "layerwatt/transform/polynomial.hpp"
#include "layerwatt/transform/special_terms.hpp"

namespace layerwatt::network_presets {

namespace col = features;

/// A convolution's columns: the reference's and the groups.
using conv_columns = col::feature_list<col::batch_size, col::in_c, col::in_h, col::in_w, col::out_c, col::out_h,
                                       col::out_w, col::kernel_h, col::kernel_w, col::padding_h, col::padding_w,
                                       col::stride_h, col::stride_w, col::groups>;

/// Multiply-accumulates of a convolution: batch · (in_c / groups) · out_c · kernel_h · kernel_w · out_h · out_w.
struct conv_macs {
  static std::string name() { return "conv_macs"; }
  template <typename Columns>
  static double evaluate(const double* row) noexcept {
    const auto at = [row]<typename C>(C) { return transform::column_value<C, Columns>(row); };
    return at(col::batch_size{}) * at(col::in_c{}) / at(col::groups{}) * at(col::out_c{}) * at(col::kernel_h{}) *
           at(col::kernel_w{}) * at(col::out_h{}) * at(col::out_w{});
  }
};

/// Weights of a convolution: (in_c / groups) · out_c · kernel_h · kernel_w.
struct conv_weights {
  static std::string name() { return "conv_weights"; }
  template <typename Columns>
  static double evaluate(const double* row) noexcept {
    const auto at = [row]<typename C>(C) { return transform::column_value<C, Columns>(row); };
    return at(col::in_c{}) / at(col::groups{}) * at(col::out_c{}) * at(col::kernel_h{}) * at(col::kernel_w{});
  }
};

/// ungrouped_conv_macs_of_kernel's class of every kernel but 1×1 and 3×3.
inline constexpr int other_kernels = 0;

/// Multiply-accumulates of a convolution of one group whose kernel is K×K, or of another kernel
/// than 1×1 and 3×3 (K = other_kernels). TensorRT serves each class with other kernels (Winograd
/// for 3×3, a GEMM for 1×1), at another cost per multiply-accumulate; the iCAS-Lab predictor's
/// features are these shares too.
template <int K>
struct ungrouped_conv_macs_of_kernel {
  static_assert(K == 1 || K == 3 || K == other_kernels, "the classes are 1×1, 3×3 and other_kernels");
  static std::string name() {
    return K == other_kernels ? "conv_macs_other_kernels" : fmt::format("conv_macs_{}x{}", K, K);
  }
  template <typename Columns>
  static double evaluate(const double* row) noexcept {
    const auto at = [row]<typename C>(C) { return transform::column_value<C, Columns>(row); };
    const double k = at(col::kernel_h{});
    const bool square = k == at(col::kernel_w{});
    const bool match = K == other_kernels ? !(square && (k == 1 || k == 3)) : square && k == K;
    return at(col::groups{}) == 1 && match ? conv_macs::evaluate<Columns>(row) : 0.0;
  }
};
/// Multiply-accumulates of a grouped (depthwise) convolution: CUDA cores, no GEMM.
struct grouped_conv_macs {
  static std::string name() { return "grouped_conv_macs"; }
  template <typename Columns>
  static double evaluate(const double* row) noexcept {
    return transform::column_value<col::groups, Columns>(row) > 1 ? conv_macs::evaluate<Columns>(row) : 0.0;
  }
};

/// Multiply-accumulates of a fully connected layer: input_size · output_size / batch (both sizes
/// count the batch).
struct dense_macs {
  static std::string name() { return "dense_macs"; }
  template <typename Columns>
  static double evaluate(const double* row) noexcept {
    const auto at = [row]<typename C>(C) { return transform::column_value<C, Columns>(row); };
    return at(col::input_size{}) * at(col::output_size{}) / at(col::batch_size{});
  }
};

using input_elements = transform::product<col::batch_size, col::in_c, col::in_h, col::in_w>;
using output_elements = transform::product<col::batch_size, col::out_c, col::out_h, col::out_w>;
using pooling_window_reads =
    transform::product<col::batch_size, col::out_c, col::out_h, col::out_w, col::kernel_h, col::kernel_w>;

/// The polynomial's degree; its terms come first in every preset, the physical terms after.
inline constexpr std::size_t degree = 2;

template <typename Columns, typename... Terms>
using network_pipeline =
    model::pipeline<Columns, transform::feature_union<transform::polynomial<degree>, transform::special_terms<Terms...>>,
                    transform::max_abs_scaler, model::lasso<model::coefficient_sign::positive>>;

template <typename Columns>
using network_pipeline_without_terms =
    model::pipeline<Columns, transform::polynomial<degree>, transform::max_abs_scaler,
                    model::lasso<model::coefficient_sign::positive>>;

#define LAYERWATT_NETWORK_PRESET(preset, base)  \
  struct preset : base {                        \
    using base::base;                           \
    static std::string name() { return #preset; } \
  }

using conv_base =
    network_pipeline<conv_columns, conv_macs, ungrouped_conv_macs_of_kernel<1>, ungrouped_conv_macs_of_kernel<3>,
                     ungrouped_conv_macs_of_kernel<other_kernels>, grouped_conv_macs, conv_weights, input_elements,
                     output_elements>;

/// The transformed columns of Kind's terms by kernel class (conv_base's four after conv_macs;
/// tests/train/network_fit_test.cpp pins their order):
/// a configuration network_fit keeps where grouped cross-validation finds it helps — with
/// thousands of networks, not with a campaign of twenty, whose few 5×5 layers it would price
/// on their own.
template <layer_kind Kind>
std::vector<std::size_t> kernel_class_columns() {
  if constexpr (Kind != layer_kind::convolutional) {
    return {};
  } else {
    constexpr std::size_t first = transform::polynomial_width(conv_columns::size, degree) + 1;
    static_assert(conv_base::width == first + 7, "conv_base's terms changed: update kernel_class_columns");
    return {first, first + 1, first + 2, first + 3};
  }
}
using pooling_base = network_pipeline<col::pooling, input_elements, output_elements, pooling_window_reads>;
using dense_base = network_pipeline<col::dense, dense_macs>;
using memory_base = network_pipeline_without_terms<col::memory_bound>;

LAYERWATT_NETWORK_PRESET(network_conv_runtime, conv_base);
LAYERWATT_NETWORK_PRESET(network_conv_energy, conv_base);
LAYERWATT_NETWORK_PRESET(network_pooling_runtime, pooling_base);
LAYERWATT_NETWORK_PRESET(network_pooling_energy, pooling_base);
LAYERWATT_NETWORK_PRESET(network_dense_runtime, dense_base);
LAYERWATT_NETWORK_PRESET(network_dense_energy, dense_base);
LAYERWATT_NETWORK_PRESET(network_memory_runtime, memory_base);
LAYERWATT_NETWORK_PRESET(network_memory_energy, memory_base);

#undef LAYERWATT_NETWORK_PRESET

/// Calls visit(std::type_identity<P>{}) with the preset modelling (Kind, t), t runtime or energy.
template <layer_kind Kind, typename Visit>
decltype(auto) visit_network_preset(target t, Visit&& visit) {
  const bool runtime = t == target::runtime;
  const auto pick = [&]<typename Runtime, typename Energy>() -> decltype(auto) {
    return runtime ? visit(std::type_identity<Runtime>{}) : visit(std::type_identity<Energy>{});
  };
  if constexpr (Kind == layer_kind::convolutional)
    return pick.template operator()<network_conv_runtime, network_conv_energy>();
  else if constexpr (Kind == layer_kind::pooling)
    return pick.template operator()<network_pooling_runtime, network_pooling_energy>();
  else if constexpr (Kind == layer_kind::dense)
    return pick.template operator()<network_dense_runtime, network_dense_energy>();
  else
    return pick.template operator()<network_memory_runtime, network_memory_energy>();
}

/// The feature columns network-level models of Kind read.
template <layer_kind Kind>
struct kind_columns;
template <>
struct kind_columns<layer_kind::convolutional> {
  using type = conv_columns;
};
template <>
struct kind_columns<layer_kind::pooling> {
  using type = col::pooling;
};
template <>
struct kind_columns<layer_kind::dense> {
  using type = col::dense;
};
template <>
struct kind_columns<layer_kind::memory_bound> {
  using type = col::memory_bound;
};
template <layer_kind Kind>
using columns_of = typename kind_columns<Kind>::type;

}  // namespace layerwatt::network_presets
