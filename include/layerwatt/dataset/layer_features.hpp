#pragma once
// Each feature column's value for one layer of a TensorRT engine, and a whole feature row:
//
//   const auto x = features::features_of<features::convolutional>(layer);  // std::array<double, 13>
//
// The rules (docs/deviations.md says where they differ from the reference and why):
//   batch_size                  first dimension of the first input
//   input_size_0..2 (c, h, w)   dimensions 1..3 of the first input, which must be 4-d NCHW
//   output_size_0..2            the same for the first output
//   kernel_0..1                 "WindowSize" (pooling), else "Kernel"; a pooling layer with neither
//                               is global pooling: the input's height and width
//   padding_0..1                "PrePadding" + "PostPadding"
//   stride_0..1                 "Stride"
//   input_size, output_size     product of every dimension of the first input / output, batch included
//   groups                      "Groups", 1 when absent
//   dilation_0..1               "Dilation", 1 when absent
//   bytes_read, bytes_written   Σ elements × bits per element / 8 over every input / output
//                               (a tensor whose format names no data type is an error)
//   input_elements, output_elements, inputs   Σ elements over the inputs / outputs; the inputs' count
// A layer that lacks what a column needs is a layerwatt::error naming the layer, its type, the
// column and the missing key.

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/dataset/feature_columns.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/io/engine_info.hpp"

namespace layerwatt::features {

namespace detail {

[[noreturn]] inline void missing(const io::engine_layer& layer, std::string_view column, std::string_view what) {
  throw error(fmt::format("layer \"{}\" ({}): column \"{}\" needs {}", layer.name, layer.layer_type, column, what));
}

inline const io::tensor_info& first(const io::engine_layer& layer, const std::vector<io::tensor_info>& tensors,
                                    std::string_view side, std::string_view column) {
  if (tensors.empty()) missing(layer, column, fmt::format("an {}, and the layer has none", side));
  return tensors.front();
}

/// Dimension `axis` of the first input or output, which must be 4-d NCHW.
inline double nchw(const io::engine_layer& layer, bool input, std::size_t axis, std::string_view column) {
  const std::string_view side = input ? "input" : "output";
  const auto& tensor = first(layer, input ? layer.inputs : layer.outputs, side, column);
  if (tensor.dimensions.size() != 4)
    missing(layer, column,
            fmt::format("a 4-d NCHW {}, and its first {} has dimensions [{}]", side, side,
                        fmt::join(tensor.dimensions, ", ")));
  return static_cast<double>(tensor.dimensions[axis]);
}

/// Product of every dimension of the first input or output.
inline double volume(const io::engine_layer& layer, bool input, std::string_view column) {
  const std::string_view side = input ? "input" : "output";
  double product = 1;
  for (const auto d : first(layer, input ? layer.inputs : layer.outputs, side, column).dimensions)
    product *= static_cast<double>(d);
  return product;
}

/// Entry `axis` of a two-entry key such as "Stride"; `fallback` when the key is absent, if given.
inline double pair(const io::engine_layer& layer, const std::optional<std::vector<std::int64_t>>& values,
                   std::string_view key, std::size_t axis, std::string_view column,
                   std::optional<double> fallback = std::nullopt) {
  if (!values) {
    if (fallback) return *fallback;
    missing(layer, column, fmt::format("\"{}\", which the layer lacks", key));
  }
  if (values->size() != 2)
    missing(layer, column, fmt::format("\"{}\" with 2 entries (a 2-d layer), got [{}]", key, fmt::join(*values, ", ")));
  return static_cast<double>((*values)[axis]);
}

/// "WindowSize" (pooling), else "Kernel"; a pooling layer with neither pools globally.
inline double kernel(const io::engine_layer& layer, std::size_t axis, std::string_view column) {
  if (layer.window_size) return pair(layer, layer.window_size, "WindowSize", axis, column);
  if (layer.kernel) return pair(layer, layer.kernel, "Kernel", axis, column);
  if (layer.parameter_type == "Pooling" || classify_layer_type(layer.layer_type) == layer_kind::pooling)
    return nchw(layer, true, 2 + axis, column);
  missing(layer, column, "\"Kernel\" or \"WindowSize\", which the layer lacks");
}

/// Σ over `tensors` of their elements, or of their bytes at each tensor's precision.
inline double total(const io::engine_layer& layer, const std::vector<io::tensor_info>& tensors, bool bytes,
                    std::string_view column) {
  double sum = 0;
  for (const auto& t : tensors) {
    double n = 1;
    for (const auto d : t.dimensions) n *= static_cast<double>(d);
    if (bytes) {
      const int bits = io::bits_per_element(t.precision());
      if (bits == 0)
        missing(layer, column,
                fmt::format("the element type of tensor \"{}\", and its format \"{}\" names none", t.name, t.format));
      n *= bits / 8.0;
    }
    sum += n;
  }
  return sum;
}

inline double padding(const io::engine_layer& layer, std::size_t axis, std::string_view column) {
  return pair(layer, layer.pre_padding, "PrePadding", axis, column) +
         pair(layer, layer.post_padding, "PostPadding", axis, column);
}

}  // namespace detail

// One overload per column tag, found by argument-dependent lookup on the tag.
inline double column_value(batch_size, const io::engine_layer& l) {
  const auto& tensor = detail::first(l, l.inputs, "input", batch_size::name);
  if (tensor.dimensions.empty()) detail::missing(l, batch_size::name, "an input with dimensions");
  return static_cast<double>(tensor.dimensions.front());
}
inline double column_value(in_c, const io::engine_layer& l) { return detail::nchw(l, true, 1, in_c::name); }
inline double column_value(in_h, const io::engine_layer& l) { return detail::nchw(l, true, 2, in_h::name); }
inline double column_value(in_w, const io::engine_layer& l) { return detail::nchw(l, true, 3, in_w::name); }
inline double column_value(out_c, const io::engine_layer& l) { return detail::nchw(l, false, 1, out_c::name); }
inline double column_value(out_h, const io::engine_layer& l) { return detail::nchw(l, false, 2, out_h::name); }
inline double column_value(out_w, const io::engine_layer& l) { return detail::nchw(l, false, 3, out_w::name); }
inline double column_value(kernel_h, const io::engine_layer& l) { return detail::kernel(l, 0, kernel_h::name); }
inline double column_value(kernel_w, const io::engine_layer& l) { return detail::kernel(l, 1, kernel_w::name); }
inline double column_value(padding_h, const io::engine_layer& l) { return detail::padding(l, 0, padding_h::name); }
inline double column_value(padding_w, const io::engine_layer& l) { return detail::padding(l, 1, padding_w::name); }
inline double column_value(stride_h, const io::engine_layer& l) {
  return detail::pair(l, l.stride, "Stride", 0, stride_h::name);
}
inline double column_value(stride_w, const io::engine_layer& l) {
  return detail::pair(l, l.stride, "Stride", 1, stride_w::name);
}
inline double column_value(input_size, const io::engine_layer& l) { return detail::volume(l, true, input_size::name); }
inline double column_value(output_size, const io::engine_layer& l) {
  return detail::volume(l, false, output_size::name);
}
inline double column_value(groups, const io::engine_layer& l) { return static_cast<double>(l.groups.value_or(1)); }
inline double column_value(dilation_h, const io::engine_layer& l) {
  return detail::pair(l, l.dilation, "Dilation", 0, dilation_h::name, 1.0);
}
inline double column_value(dilation_w, const io::engine_layer& l) {
  return detail::pair(l, l.dilation, "Dilation", 1, dilation_w::name, 1.0);
}

inline double column_value(bytes_read, const io::engine_layer& l) { return detail::total(l, l.inputs, true, bytes_read::name); }
inline double column_value(bytes_written, const io::engine_layer& l) {
  return detail::total(l, l.outputs, true, bytes_written::name);
}
inline double column_value(input_elements, const io::engine_layer& l) {
  return detail::total(l, l.inputs, false, input_elements::name);
}
inline double column_value(output_elements, const io::engine_layer& l) {
  return detail::total(l, l.outputs, false, output_elements::name);
}
inline double column_value(input_count, const io::engine_layer& l) { return static_cast<double>(l.inputs.size()); }

/// A column tag whose value can be read off an engine layer.
template <typename C>
concept extractable = column<C> && requires(const io::engine_layer& layer) {
  { column_value(C{}, layer) } -> std::same_as<double>;
};

namespace detail {

template <extractable... Columns>
std::array<double, sizeof...(Columns)> row_of(feature_list<Columns...>*, const io::engine_layer& layer) {
  return {column_value(Columns{}, layer)...};
}

}  // namespace detail

/// The values of every column of `Features` (a feature_list) for `layer`, in the list's order.
template <typename Features>
std::array<double, Features::size> features_of(const io::engine_layer& layer) {
  return detail::row_of(static_cast<Features*>(nullptr), layer);
}

/// The numeric precision the layer computes in: its first input's "Format/Datatype".
inline io::precision precision_of(const io::engine_layer& layer) {
  return layer.inputs.empty() ? io::precision::unknown : layer.inputs.front().precision();
}

}  // namespace layerwatt::features
