#pragma once
// What every feature transform is made of. A pipeline lists transform *specs* (`log1p`,
// `polynomial<3>`, `standard_scaler`, ...); each spec binds to the layout of its input — the
// named feature columns for the first step, anonymous columns after a step that makes new
// ones — and becomes a *stage*. Layouts are types, so widths are constants and a step that
// names a column its input does not have fails to compile.

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include <fmt/format.h>
#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "layerwatt/core/error.hpp"
#include "layerwatt/dataset/feature_columns.hpp"
#include "layerwatt/io/json_document.hpp"

namespace layerwatt::transform {

/// Rows × columns of features, one row contiguous (a row goes through a chain as a pointer).
using table = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// N columns without names: the output of a step that computes new columns.
template <std::size_t N>
struct columns {
  static constexpr std::size_t size = N;
};

/// A stage's input or output: `columns<N>` or a `features::feature_list<...>` (named columns).
template <typename L>
concept layout = requires {
  { L::size } -> std::convertible_to<std::size_t>;
};

template <typename L>
inline constexpr bool is_feature_list = false;
template <typename... C>
inline constexpr bool is_feature_list<features::feature_list<C...>> = true;

/// A stage: a transform bound to its input layout. It promises:
/// - `input`, `output`: layouts; `stateful`: whether fit learns parameters (scalers do);
/// - `type_name()`: the spec's name as written in saved pipelines ("polynomial<3>");
/// - `fit_transform(t)` learns what it needs from `t` (rows × input::size) and returns the
///   transformed rows; `transform(t)` applies a fitted stage, throwing layerwatt::error on a
///   wrong width or before fit;
/// - `transform_row(in, out)`: one row, input::size values to output::size values, no
///   allocation and no checks (the hot path of prediction; the stage must be fitted);
/// - `save(json)` writes {"type": type_name(), parameters...}; `load(node)` reads it back and
///   throws layerwatt::error naming the JSON path on a different type or bad parameters.
/// Stages are regular values; const member functions are safe to call from many threads.
template <typename S>
concept stage = layout<typename S::input> && layout<typename S::output> &&
    requires(S& s, const S& c, const table& t, const double* in, double* out, nlohmann::ordered_json& j,
             const io::json_node& node) {
  { S::stateful } -> std::convertible_to<bool>;
  { S::type_name() } -> std::convertible_to<std::string>;
  { s.fit_transform(t) } -> std::same_as<table>;
  { c.transform(t) } -> std::same_as<table>;
  c.transform_row(in, out);
  c.save(j);
  s.load(node);
};

/// A transform spec T applied to input layout Input.
template <typename T, typename Input>
using bind = typename T::template bind<Input>;

/// T is a transform spec that can take Input (a readable error names T and the input otherwise).
template <typename T, typename Input>
concept spec_for = layout<Input> && requires {
  typename T::template bind<Input>;
} && stage<bind<T, Input>>;

/// A stage that transforms each column on its own (the scalers): the pipeline then applies it
/// to the few columns a sparse linear model uses rather than to all of them.
template <typename S>
concept columnwise_stage = stage<S> && requires(const S& s, std::size_t column, double x) {
  { s.transform_value(column, x) } -> std::same_as<double>;
};

/// Throws unless `t` has `width` columns.
inline void check_width(const table& t, std::size_t width, std::string_view who) {
  if (static_cast<std::size_t>(t.cols()) != width)
    throw error(fmt::format("{}: expected rows of {} values, got {}", who, width, t.cols()));
}

/// Reads the "type" member of a saved step and throws unless it is `expected`.
inline void expect_type(const io::json_node& node, std::string_view expected) {
  const auto type = node.object_member("type");
  if (const auto found = type.as_string(); found != expected)
    type.fail(fmt::format("\"{}\" (the step this pipeline type has), got \"{}\"", expected, found));
}

/// Base of the stages that learn nothing: batch transform through transform_row, no parameters.
template <typename Derived, layout Input, layout Output>
class stateless_stage {
 public:
  using input = Input;
  using output = Output;
  static constexpr bool stateful = false;

  [[nodiscard]] table transform(const table& in) const {
    check_width(in, input::size, Derived::type_name());
    table out(in.rows(), static_cast<Eigen::Index>(output::size));
    for (Eigen::Index r = 0; r < in.rows(); ++r)
      static_cast<const Derived&>(*this).transform_row(in.row(r).data(), out.row(r).data());
    return out;
  }
  table fit_transform(const table& in) { return transform(in); }
  void save(nlohmann::ordered_json& out) const { out["type"] = Derived::type_name(); }
  void load(const io::json_node& node) { expect_type(node, Derived::type_name()); }
};

/// Whether any stage of a std::tuple of stages learns parameters.
template <typename Tuple>
inline constexpr bool any_stateful = false;
template <typename... Stages>
inline constexpr bool any_stateful<std::tuple<Stages...>> = (Stages::stateful || ...);

/// A composite stage (chain, union) saved: {"type": name} and, when some part learns
/// parameters, every part's own save in order under `key` ("steps", "parts").
template <typename Tuple>
void save_composite(nlohmann::ordered_json& out, const std::string& name, std::string_view key,
                    const Tuple& parts) {
  out["type"] = name;
  if constexpr (any_stateful<Tuple>) {
    auto& saved = out[std::string(key)] = nlohmann::ordered_json::array();
    std::apply(
        [&](const auto&... part) { (part.save(saved.emplace_back(nlohmann::ordered_json::object())), ...); },
        parts);
  }
}

/// What save_composite wrote, read back into `parts`.
template <typename Tuple>
void load_composite(const io::json_node& node, std::string_view name, std::string_view key, Tuple& parts) {
  expect_type(node, name);
  if constexpr (any_stateful<Tuple>) {
    const auto saved = node.object_member(key);
    constexpr std::size_t count = std::tuple_size_v<Tuple>;
    if (saved.array_size() != count) saved.fail(fmt::format("an array of {} {}", count, key));
    std::size_t i = 0;
    std::apply([&](auto&... part) { (part.load(saved.element(i++)), ...); }, parts);
  }
}

/// `a, b, c` from names: how composite specs spell their parts.
template <typename... T>
std::string join_type_names() {
  std::string out;
  ((out += (out.empty() ? "" : ", ") + std::string(T::type_name())), ...);
  return out;
}

}  // namespace layerwatt::transform
