#pragma once
// Feature columns are named by types, so that a transform naming a column a layer kind does not
// have (say `product<in_c, kernel_h>` on dense layers) fails to compile instead of reading garbage.
// Each tag carries its column name in the training CSVs; the lists give the reference's order.

#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>

#include "layerwatt/dataset/layer_kind.hpp"

namespace layerwatt::features {

/// A feature column tag: any type with `static constexpr std::string_view name`.
template <typename T>
concept column = requires {
  { T::name } -> std::convertible_to<std::string_view>;
};

#define LAYERWATT_FEATURE_COLUMN(tag, csv_name) \
  struct tag {                                  \
    static constexpr std::string_view name = csv_name; \
  }

LAYERWATT_FEATURE_COLUMN(batch_size, "batch_size");
LAYERWATT_FEATURE_COLUMN(in_c, "input_size_0");
LAYERWATT_FEATURE_COLUMN(in_h, "input_size_1");
LAYERWATT_FEATURE_COLUMN(in_w, "input_size_2");
LAYERWATT_FEATURE_COLUMN(out_c, "output_size_0");
LAYERWATT_FEATURE_COLUMN(out_h, "output_size_1");
LAYERWATT_FEATURE_COLUMN(out_w, "output_size_2");
LAYERWATT_FEATURE_COLUMN(kernel_h, "kernel_0");
LAYERWATT_FEATURE_COLUMN(kernel_w, "kernel_1");
LAYERWATT_FEATURE_COLUMN(padding_h, "padding_0");  ///< pre + post padding
LAYERWATT_FEATURE_COLUMN(padding_w, "padding_1");
LAYERWATT_FEATURE_COLUMN(stride_h, "stride_0");
LAYERWATT_FEATURE_COLUMN(stride_w, "stride_1");
LAYERWATT_FEATURE_COLUMN(input_size, "input_size");    ///< dense: product of all input dimensions
LAYERWATT_FEATURE_COLUMN(output_size, "output_size");  ///< dense: product of all output dimensions
// Beyond the reference: what grouped/depthwise and dilated convolutions need.
LAYERWATT_FEATURE_COLUMN(groups, "groups");
LAYERWATT_FEATURE_COLUMN(dilation_h, "dilation_0");
LAYERWATT_FEATURE_COLUMN(dilation_w, "dilation_1");
// Memory-bound layers: what they move. Every input and output tensor counts, each at its own
// precision (elements × bits per element / 8).
LAYERWATT_FEATURE_COLUMN(bytes_read, "bytes_read");
LAYERWATT_FEATURE_COLUMN(bytes_written, "bytes_written");
LAYERWATT_FEATURE_COLUMN(input_elements, "input_elements");    ///< summed over the inputs
LAYERWATT_FEATURE_COLUMN(output_elements, "output_elements");  ///< summed over the outputs
LAYERWATT_FEATURE_COLUMN(input_count, "inputs");               ///< tensors read

#undef LAYERWATT_FEATURE_COLUMN

/// An ordered set of feature columns: the input row layout of a pipeline.
template <column... Columns>
struct feature_list {
  static constexpr std::size_t size = sizeof...(Columns);
  static constexpr std::array<std::string_view, size> names = {Columns::name...};

  template <typename C>
  static constexpr bool contains = (std::is_same_v<C, Columns> || ...);

  /// Position of C in the row; only valid when contains<C>.
  template <typename C>
    requires contains<C>
  static constexpr std::size_t index_of = [] {
    constexpr std::array<bool, size> match = {std::is_same_v<C, Columns>...};
    std::size_t i = 0;
    while (!match[i]) ++i;
    return i;
  }();
};

/// The reference's feature columns per layer kind (config/*_features.py), in its order.
using convolutional = feature_list<batch_size, in_c, in_h, in_w, out_c, out_h, out_w, kernel_h, kernel_w,
                                   padding_h, padding_w, stride_h, stride_w>;
using pooling = feature_list<batch_size, in_c, in_h, in_w, out_c, out_h, out_w, kernel_h, kernel_w, stride_h,
                             stride_w>;
using dense = feature_list<batch_size, input_size, output_size>;
/// layerwatt's fourth kind (the reference models none of these layers).
using memory_bound = feature_list<batch_size, bytes_read, bytes_written, input_elements, output_elements, input_count>;

/// Columns written after the reference's in the training CSVs (documented deviations).
inline constexpr std::array<std::string_view, 3> convolutional_extra_columns = {"groups", "dilation_0",
                                                                                "dilation_1"};
inline constexpr std::string_view precision_column = "precision";
inline constexpr std::array<std::string_view, 3> target_columns = {"power", "runtime", "layer_name"};

}  // namespace layerwatt::features
