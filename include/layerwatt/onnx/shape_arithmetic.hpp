#pragma once
// The integer arithmetic exporters write to compute shapes — Shape → Gather → Add → Div → Mul →
// Slice's ends, or Pad's pads built from a Concat, Reshape and Transpose of constants — folded
// into Constant nodes, as TensorRT folds its shape tensors at build time. ONNX 1.12's data
// propagation carries values through Shape, Gather, Concat, Slice, Squeeze and Unsqueeze, but not
// through Div, Reshape, Transpose or Cast, nor, below opset 14, Add, Sub and Mul: torch.chunk's
// Slice (ShuffleNetV2) and nn.ZeroPad2d's Pad keep unknown shapes without this.
//
// Only small integer tensors (int64, int32, bool; at most max_known_elements values) are
// evaluated; everything else is left to shape inference.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <ranges>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <onnx/onnx_pb.h>

#include "layerwatt/onnx/attributes.hpp"

namespace layerwatt::onnx {

/// A value known while reading: a shape, an index, an axis list.
struct known_tensor {
  std::vector<std::int64_t> dims;    ///< empty for a scalar
  std::vector<std::int64_t> values;  ///< row-major
  std::int32_t type = ::ONNX_NAMESPACE::TensorProto::INT64;  ///< INT64, INT32 or BOOL
};

/// The most values a folded tensor may hold.
inline constexpr std::size_t max_known_elements = 4096;

/// The static shapes shape inference found, by value name.
using shape_map = std::unordered_map<std::string, std::vector<std::int64_t>>;

namespace detail {

using ::ONNX_NAMESPACE::AttributeProto;
using ::ONNX_NAMESPACE::NodeProto;
using ::ONNX_NAMESPACE::TensorProto;

inline std::optional<std::size_t> element_count(const std::vector<std::int64_t>& dims) {
  std::size_t n = 1;
  for (const auto d : dims) {
    if (d < 0 || (d > 0 && n > max_known_elements / static_cast<std::size_t>(d))) return std::nullopt;
    n *= static_cast<std::size_t>(d);
  }
  return n;
}

inline bool is_integer_type(std::int32_t type) {
  return type == TensorProto::INT64 || type == TensorProto::INT32 || type == TensorProto::BOOL;
}

/// The values of an integer TensorProto held in the file (typed or raw little-endian).
inline std::optional<known_tensor> integer_values(const TensorProto& t) {
  if (!is_integer_type(t.data_type()) || t.data_location() == TensorProto::EXTERNAL) return std::nullopt;
  known_tensor out{{t.dims().begin(), t.dims().end()}, {}, t.data_type()};
  const auto n = element_count(out.dims);
  if (!n) return std::nullopt;
  const std::size_t width = t.data_type() == TensorProto::INT64 ? 8 : t.data_type() == TensorProto::INT32 ? 4 : 1;
  if (t.has_raw_data()) {
    if (t.raw_data().size() != *n * width) return std::nullopt;
    for (std::size_t i = 0; i < *n; ++i) {
      std::int64_t v = 0;
      if (width == 8) std::memcpy(&v, t.raw_data().data() + 8 * i, 8);
      else if (width == 4) {
        std::int32_t w = 0;
        std::memcpy(&w, t.raw_data().data() + 4 * i, 4);
        v = w;
      } else v = t.raw_data()[i] != 0;
      out.values.push_back(v);
    }
  } else if (t.data_type() == TensorProto::INT64) {
    out.values.assign(t.int64_data().begin(), t.int64_data().end());
  } else {
    out.values.assign(t.int32_data().begin(), t.int32_data().end());
  }
  if (out.values.size() != *n) return std::nullopt;
  return out;
}

/// A Constant node's integer value (its `value`, `value_int` or `value_ints`).
inline std::optional<known_tensor> constant_value(const NodeProto& node) {
  if (const auto* a = attribute(node, "value")) return integer_values(a->t());
  if (const auto* a = attribute(node, "value_int")) return known_tensor{{}, {a->i()}, TensorProto::INT64};
  if (const auto* a = attribute(node, "value_ints"))
    return known_tensor{{a->ints_size()}, {a->ints().begin(), a->ints().end()}, TensorProto::INT64};
  return std::nullopt;
}

/// `axis` in [−rank, rank) as an index; none outside.
inline std::optional<std::size_t> normalised_axis(std::int64_t axis, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) return std::nullopt;
  return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

inline std::vector<std::size_t> strides_of(const std::vector<std::int64_t>& dims) {
  std::vector<std::size_t> strides(dims.size(), 1);
  for (std::size_t i = dims.size(); i-- > 1;) strides[i - 1] = strides[i] * static_cast<std::size_t>(dims[i]);
  return strides;
}

/// numpy broadcasting of every input to one shape, `fn` applied per position.
inline std::optional<known_tensor> broadcast(const std::vector<const known_tensor*>& in, std::int32_t type,
                                             const std::function<std::int64_t(const std::vector<std::int64_t>&)>& fn) {
  std::size_t rank = 0;
  for (const auto* t : in) rank = std::max(rank, t->dims.size());
  std::vector<std::int64_t> dims(rank, 1);
  for (const auto* t : in)
    for (std::size_t i = 0; i < t->dims.size(); ++i) {
      auto& d = dims[rank - t->dims.size() + i];
      const auto e = t->dims[i];
      if (d != e && d != 1 && e != 1) return std::nullopt;
      if (e != 1) d = e;
    }
  const auto n = element_count(dims);
  if (!n) return std::nullopt;
  const auto out_strides = strides_of(dims);
  known_tensor out{dims, std::vector<std::int64_t>(*n), type};
  std::vector<std::int64_t> args(in.size());
  for (std::size_t flat = 0; flat < *n; ++flat) {
    for (std::size_t k = 0; k < in.size(); ++k) {
      const auto& t = *in[k];
      const auto t_strides = strides_of(t.dims);
      std::size_t at = 0;
      for (std::size_t i = 0; i < t.dims.size(); ++i) {
        const std::size_t axis = rank - t.dims.size() + i;
        const std::size_t index = flat / out_strides[axis] % static_cast<std::size_t>(dims[axis]);
        if (t.dims[i] != 1) at += index * t_strides[i];
      }
      args[k] = t.values[at];
    }
    out.values[flat] = fn(args);
  }
  return out;
}

/// Copies of `t` rearranged: output position → input position.
inline known_tensor gathered(const known_tensor& t, std::vector<std::int64_t> dims,
                             const std::function<std::size_t(const std::vector<std::size_t>&)>& source) {
  known_tensor out{std::move(dims), {}, t.type};
  const auto n = *element_count(out.dims);
  const auto strides = strides_of(out.dims);
  std::vector<std::size_t> index(out.dims.size());
  for (std::size_t flat = 0; flat < n; ++flat) {
    for (std::size_t i = 0; i < index.size(); ++i) index[i] = flat / strides[i] % static_cast<std::size_t>(out.dims[i]);
    out.values.push_back(t.values[source(index)]);
  }
  return out;
}

inline std::optional<known_tensor> slice(const known_tensor& data, const known_tensor& starts, const known_tensor& ends,
                                         const known_tensor* axes, const known_tensor* steps) {
  const std::size_t rank = data.dims.size();
  std::vector<std::int64_t> begin(rank, 0), step(rank, 1), dims = data.dims;
  if (starts.values.size() != ends.values.size()) return std::nullopt;
  for (std::size_t k = 0; k < starts.values.size(); ++k) {
    const auto axis = normalised_axis(axes ? axes->values.at(k) : static_cast<std::int64_t>(k), rank);
    const std::int64_t s = steps ? steps->values.at(k) : 1;
    if (!axis || s == 0) return std::nullopt;
    const std::int64_t size = data.dims[*axis];
    const auto clamp = [&](std::int64_t v, std::int64_t lo, std::int64_t hi) {
      if (v < 0) v += size;
      return std::clamp(v, lo, hi);
    };
    const std::int64_t b = s > 0 ? clamp(starts.values[k], 0, size) : clamp(starts.values[k], -1, size - 1);
    const std::int64_t e = s > 0 ? clamp(ends.values[k], 0, size) : clamp(ends.values[k], -1, size - 1);
    begin[*axis] = b;
    step[*axis] = s;
    dims[*axis] = s > 0 ? std::max<std::int64_t>(0, (e - b + s - 1) / s) : std::max<std::int64_t>(0, (b - e - s - 1) / -s);
  }
  if (!element_count(dims)) return std::nullopt;
  const auto in_strides = strides_of(data.dims);
  return gathered(data, dims, [&](const std::vector<std::size_t>& at) {
    std::size_t flat = 0;
    for (std::size_t i = 0; i < rank; ++i)
      flat += static_cast<std::size_t>(begin[i] + static_cast<std::int64_t>(at[i]) * step[i]) * in_strides[i];
    return flat;
  });
}

/// The axes of Squeeze and Unsqueeze: an attribute before opset 13, an input from it.
inline std::optional<std::vector<std::int64_t>> axes_of(const NodeProto& node, const known_tensor* input) {
  if (input) return input->values;
  return ints_attribute(node, "axes");
}

/// `node` evaluated on its inputs — one entry per input given, null where its value is unknown —
/// or none; `shape` is its first input's static shape, for Shape and Size.
inline std::optional<known_tensor> evaluate(const NodeProto& node, const std::vector<const known_tensor*>& in,
                                            const std::vector<std::int64_t>* shape) {
  const std::string& op = node.op_type();
  const auto all = [&](std::size_t count) {
    return in.size() >= count && std::all_of(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(count), [](auto* t) { return t; });
  };
  if (op == "Shape" || op == "Size") {
    if (!shape) return std::nullopt;
    if (op == "Size") {
      std::int64_t n = 1;
      for (const auto d : *shape) n *= d;
      return known_tensor{{}, {n}, TensorProto::INT64};
    }
    const auto rank = static_cast<std::int64_t>(shape->size());
    auto bound = [&](std::int64_t v) { return std::clamp(v < 0 ? v + rank : v, std::int64_t{0}, rank); };
    const auto b = bound(int_attribute(node, "start", 0)), e = bound(int_attribute(node, "end", rank));
    std::vector<std::int64_t> values(shape->begin() + b, shape->begin() + std::max(b, e));
    return known_tensor{{static_cast<std::int64_t>(values.size())}, values, TensorProto::INT64};
  }
  if (!all(in.size()) || in.empty()) return std::nullopt;  // every input given must be known
  const known_tensor& x = *in[0];
  if (op == "Identity") return x;
  if (op == "Cast") {
    const auto to = static_cast<std::int32_t>(int_attribute(node, "to", 0));
    if (!is_integer_type(to)) return std::nullopt;
    known_tensor out = x;
    out.type = to;
    if (to == TensorProto::BOOL)
      for (auto& v : out.values) v = v != 0;
    return out;
  }
  if (op == "Neg" || op == "Abs")
    return broadcast({&x}, x.type, [&](const auto& a) { return op == "Neg" ? -a[0] : std::abs(a[0]); });
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Min" || op == "Max" || op == "Equal" ||
      op == "Less" || op == "Greater" || op == "Mod") {
    if (!all(2)) return std::nullopt;
    const bool compare = op == "Equal" || op == "Less" || op == "Greater";
    if (((op == "Div" || op == "Mod") && std::find(in[1]->values.begin(), in[1]->values.end(), 0) != in[1]->values.end()))
      return std::nullopt;
    return broadcast({in[0], in[1]}, compare ? TensorProto::BOOL : x.type, [&](const auto& a) -> std::int64_t {
      if (op == "Add") return a[0] + a[1];
      if (op == "Sub") return a[0] - a[1];
      if (op == "Mul") return a[0] * a[1];
      if (op == "Div") return a[0] / a[1];
      if (op == "Mod") return a[0] % a[1];
      if (op == "Min") return std::min(a[0], a[1]);
      if (op == "Max") return std::max(a[0], a[1]);
      if (op == "Equal") return a[0] == a[1];
      if (op == "Less") return a[0] < a[1];
      return a[0] > a[1];
    });
  }
  if (op == "Where") {
    if (!all(3)) return std::nullopt;
    return broadcast({in[0], in[1], in[2]}, in[1]->type, [](const auto& a) { return a[0] ? a[1] : a[2]; });
  }
  if (op == "Gather") {
    if (!all(2)) return std::nullopt;
    const auto axis = normalised_axis(int_attribute(node, "axis", 0), x.dims.size());
    if (!axis) return std::nullopt;
    const known_tensor& indices = *in[1];
    std::vector<std::int64_t> dims(x.dims.begin(), x.dims.begin() + static_cast<std::ptrdiff_t>(*axis));
    dims.insert(dims.end(), indices.dims.begin(), indices.dims.end());
    dims.insert(dims.end(), x.dims.begin() + static_cast<std::ptrdiff_t>(*axis) + 1, x.dims.end());
    const std::int64_t size = x.dims[*axis];
    for (const auto i : indices.values)
      if (i < -size || i >= size) return std::nullopt;
    if (!element_count(dims)) return std::nullopt;
    const auto in_strides = strides_of(x.dims);
    const auto index_strides = strides_of(indices.dims);
    const std::size_t index_rank = indices.dims.size();
    return gathered(x, dims, [&](const std::vector<std::size_t>& at) {
      std::size_t flat = 0, index_flat = 0;
      for (std::size_t i = 0; i < *axis; ++i) flat += at[i] * in_strides[i];
      for (std::size_t i = 0; i < index_rank; ++i) index_flat += at[*axis + i] * index_strides[i];
      std::int64_t picked = indices.values[index_flat];
      if (picked < 0) picked += size;
      flat += static_cast<std::size_t>(picked) * in_strides[*axis];
      for (std::size_t i = *axis + 1; i < x.dims.size(); ++i) flat += at[i + index_rank - 1] * in_strides[i];
      return flat;
    });
  }
  if (op == "Unsqueeze" || op == "Squeeze") {
    const auto axes = axes_of(node, in.size() > 1 ? in[1] : nullptr);
    known_tensor out = x;
    if (op == "Unsqueeze") {
      if (!axes) return std::nullopt;
      const std::size_t rank = x.dims.size() + axes->size();
      std::vector<bool> inserted(rank, false);
      for (const auto a : *axes) {
        const auto axis = normalised_axis(a, rank);
        if (!axis || inserted[*axis]) return std::nullopt;
        inserted[*axis] = true;
      }
      out.dims.clear();
      for (std::size_t i = 0, from = 0; i < rank; ++i) out.dims.push_back(inserted[i] ? 1 : x.dims[from++]);
      return out;
    }
    std::vector<bool> removed(x.dims.size(), !axes);
    if (axes)
      for (const auto a : *axes) {
        const auto axis = normalised_axis(a, x.dims.size());
        if (!axis || x.dims[*axis] != 1) return std::nullopt;
        removed[*axis] = true;
      }
    out.dims.clear();
    for (std::size_t i = 0; i < x.dims.size(); ++i)
      if (!(removed[i] && x.dims[i] == 1)) out.dims.push_back(x.dims[i]);
    return out;
  }
  if (op == "Concat") {
    if (!all(in.size())) return std::nullopt;
    const auto axis = normalised_axis(int_attribute(node, "axis", 0), x.dims.size());
    if (!axis) return std::nullopt;
    std::vector<std::int64_t> dims = x.dims;
    dims[*axis] = 0;
    for (const auto* t : in) {
      if (t->dims.size() != x.dims.size()) return std::nullopt;
      for (std::size_t i = 0; i < dims.size(); ++i)
        if (i != *axis && t->dims[i] != x.dims[i]) return std::nullopt;
      dims[*axis] += t->dims[*axis];
    }
    const auto n = element_count(dims);
    if (!n) return std::nullopt;
    known_tensor out{dims, {}, x.type};
    std::size_t outer = 1;
    for (std::size_t i = 0; i < *axis; ++i) outer *= static_cast<std::size_t>(dims[i]);
    for (std::size_t o = 0; o < outer; ++o)
      for (const auto* t : in) {
        const std::size_t chunk = t->values.size() / std::max<std::size_t>(outer, 1);
        out.values.insert(out.values.end(), t->values.begin() + static_cast<std::ptrdiff_t>(o * chunk),
                          t->values.begin() + static_cast<std::ptrdiff_t>((o + 1) * chunk));
      }
    return out;
  }
  if (op == "Reshape") {
    if (!all(2)) return std::nullopt;
    std::vector<std::int64_t> dims = in[1]->values;
    const bool allow_zero = int_attribute(node, "allowzero", 0) != 0;
    std::int64_t known = 1;
    std::optional<std::size_t> inferred;
    for (std::size_t i = 0; i < dims.size(); ++i) {
      if (dims[i] == 0 && !allow_zero) {
        if (i >= x.dims.size()) return std::nullopt;
        dims[i] = x.dims[i];
      }
      if (dims[i] == -1) {
        if (inferred) return std::nullopt;
        inferred = i;
      } else if (dims[i] < 0) {
        return std::nullopt;
      } else {
        known *= dims[i];
      }
    }
    const auto total = static_cast<std::int64_t>(x.values.size());
    if (inferred) {
      if (known == 0 || total % known != 0) return std::nullopt;
      dims[*inferred] = total / known;
    } else if (known != total) {
      return std::nullopt;
    }
    return known_tensor{dims, x.values, x.type};
  }
  if (op == "Transpose") {
    std::vector<std::int64_t> perm = ints_attribute(node, "perm").value_or(std::vector<std::int64_t>{});
    if (perm.empty())
      for (std::size_t i = x.dims.size(); i-- > 0;) perm.push_back(static_cast<std::int64_t>(i));
    if (perm.size() != x.dims.size()) return std::nullopt;
    std::vector<std::int64_t> dims;
    for (const auto p : perm) {
      const auto axis = normalised_axis(p, x.dims.size());
      if (!axis) return std::nullopt;
      dims.push_back(x.dims[*axis]);
    }
    const auto in_strides = strides_of(x.dims);
    return gathered(x, dims, [&](const std::vector<std::size_t>& at) {
      std::size_t flat = 0;
      for (std::size_t i = 0; i < perm.size(); ++i) flat += at[i] * in_strides[static_cast<std::size_t>(perm[i])];
      return flat;
    });
  }
  if (op == "Slice") {
    if (in.size() >= 3) {
      if (!all(3)) return std::nullopt;
      return slice(x, *in[1], *in[2], in.size() > 3 ? in[3] : nullptr, in.size() > 4 ? in[4] : nullptr);
    }
    const auto starts = ints_attribute(node, "starts"), ends = ints_attribute(node, "ends");
    if (!starts || !ends) return std::nullopt;
    const auto as_tensor = [](const std::vector<std::int64_t>& v) {
      return known_tensor{{static_cast<std::int64_t>(v.size())}, v, TensorProto::INT64};
    };
    const auto axes = ints_attribute(node, "axes");
    const known_tensor axes_tensor = as_tensor(axes.value_or(std::vector<std::int64_t>{}));
    return slice(x, as_tensor(*starts), as_tensor(*ends), axes ? &axes_tensor : nullptr, nullptr);
  }
  if (op == "ConstantOfShape") {
    const auto* value = attribute(node, "value");
    if (!value) return std::nullopt;  // float zeros by default: not an integer tensor
    const auto fill = integer_values(value->t());
    if (!fill || fill->values.size() != 1 || !element_count(x.values)) return std::nullopt;
    return known_tensor{x.values, std::vector<std::int64_t>(*element_count(x.values), fill->values[0]), fill->type};
  }
  if (op == "Range") {
    if (!all(3)) return std::nullopt;
    const std::int64_t start = x.values.at(0), limit = in[1]->values.at(0), delta = in[2]->values.at(0);
    if (delta == 0) return std::nullopt;
    const std::int64_t n = std::max<std::int64_t>(0, (limit - start + delta + (delta > 0 ? -1 : 1)) / delta);
    if (static_cast<std::size_t>(n) > max_known_elements) return std::nullopt;
    known_tensor out{{n}, {}, x.type};
    for (std::int64_t i = 0; i < n; ++i) out.values.push_back(start + i * delta);
    return out;
  }
  return std::nullopt;
}

/// Turns `node` into a Constant node of `value` (its name and output kept).
inline void make_constant(NodeProto& node, const known_tensor& value) {
  NodeProto constant;
  constant.set_name(node.name());
  constant.set_op_type("Constant");
  constant.add_output(node.output(0));
  AttributeProto* a = constant.add_attribute();
  a->set_name("value");
  a->set_type(AttributeProto::TENSOR);
  TensorProto* t = a->mutable_t();
  t->set_data_type(value.type);
  for (const auto d : value.dims) t->add_dims(d);
  for (const auto v : value.values) {
    if (value.type == TensorProto::INT64) t->add_int64_data(v);
    else t->add_int32_data(static_cast<std::int32_t>(v));
  }
  node = std::move(constant);
}

}  // namespace detail

/// Folds every node of `graph` whose single output follows from known integer values — Constant
/// nodes, integer initializers and, through Shape and Size, the static shapes in `shapes` — into
/// a Constant node holding it, in graph order. Returns the names of the values it folded.
inline std::vector<std::string> fold_shape_arithmetic(::ONNX_NAMESPACE::GraphProto& graph, const shape_map& shapes) {
  std::unordered_map<std::string, known_tensor> known;
  for (const auto& t : graph.initializer())
    if (auto v = detail::integer_values(t)) known.emplace(t.name(), std::move(*v));
  std::vector<std::string> folded;
  std::vector<const known_tensor*> inputs;
  for (auto& node : *graph.mutable_node()) {
    if (node.output_size() != 1 || !node.domain().empty()) continue;
    if (node.op_type() == "Constant") {
      if (auto v = detail::constant_value(node)) known.insert_or_assign(node.output(0), std::move(*v));
      continue;
    }
    inputs.clear();
    int given = node.input_size();
    while (given > 0 && node.input(given - 1).empty()) --given;  // absent optional inputs
    for (const auto& name : node.input() | std::views::take(given)) {
      const auto it = known.find(name);
      inputs.push_back(it == known.end() ? nullptr : &it->second);
    }
    const auto shape = node.input_size() > 0 ? shapes.find(node.input(0)) : shapes.end();
    auto value = detail::evaluate(node, inputs, shape == shapes.end() ? nullptr : &shape->second);
    if (!value || value->values.size() > max_known_elements) continue;
    detail::make_constant(node, *value);
    folded.push_back(node.output(0));
    known.insert_or_assign(node.output(0), std::move(*value));
  }
  return folded;
}

}  // namespace layerwatt::onnx
