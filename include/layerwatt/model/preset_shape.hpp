#pragma once
// Choosing a preset's degree, scaler and coefficient sign at run time, from a configuration or a
// saved file: each combination is its own pipeline type, so this dispatches over the supported
// ones — degrees 1 to 4, scalers "standard", "minmax", "robust" (the reference's names), either
// sign — and hands the chosen type to a callable:
//
//   presets::with_shape<presets::conv_power_pipeline>({.degree = 2, .scaler = "robust"},
//                                                     [&]<typename P>(std::type_identity<P>) {
//     P model(options);
//     model.fit(x, y);
//     model::save_pipeline(model, path);
//   });
//
// Every supported combination is compiled where this is called with a fitting callable (about
// a second of compile time each; the solver itself is shared).

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/model/presets.hpp"
#include "layerwatt/transform/min_max_scaler.hpp"
#include "layerwatt/transform/robust_scaler.hpp"
#include "layerwatt/transform/standard_scaler.hpp"

namespace layerwatt::presets {

/// What a configuration may change in a preset; an unset field keeps the preset's own value.
struct preset_shape {
  std::optional<std::size_t> degree{};  ///< polynomial degree
  std::optional<std::string> scaler{};  ///< "standard", "minmax" or "robust"
  std::optional<bool> positive{};       ///< coefficients constrained to be >= 0
};

inline constexpr std::size_t max_preset_degree = 4;
inline constexpr std::array<std::string_view, 3> scaler_names = {"standard", "minmax", "robust"};

constexpr bool is_scaler_name(std::string_view name) noexcept {
  for (const auto known : scaler_names)
    if (known == name) return true;
  return false;
}

/// A preset class template (conv_power_pipeline, ...), passed around as a value.
template <template <std::size_t, typename, model::coefficient_sign> class Preset>
struct preset_template {};

namespace detail {
/// Any instance of Preset, to read its defaults from.
template <template <std::size_t, typename, model::coefficient_sign> class Preset>
using preset_probe = Preset<1, transform::standard_scaler, model::coefficient_sign::any>;
}  // namespace detail

/// Preset with its own default degree, scaler and sign (what Preset<> names where the template's
/// defaults are visible, which they are not through a template template parameter).
template <template <std::size_t, typename, model::coefficient_sign> class Preset>
using reference_shape_of = Preset<detail::preset_probe<Preset>::default_polynomial_degree,
                                  typename detail::preset_probe<Preset>::default_scaler_type,
                                  detail::preset_probe<Preset>::default_coefficient_sign>;

/// Calls visit(std::type_identity<Preset<degree, Scaler, Sign>>{}) and returns what it
/// returns; an unsupported degree or scaler name is a layerwatt::error.
template <template <std::size_t, typename, model::coefficient_sign> class Preset, typename Visit>
decltype(auto) with_shape(const preset_shape& shape, Visit&& visit) {
  using reference = reference_shape_of<Preset>;
  const std::size_t degree = shape.degree.value_or(reference::default_polynomial_degree);
  if (degree < 1 || degree > max_preset_degree)
    throw error(fmt::format("polynomial degree {}: presets support 1 to {}", degree, max_preset_degree));
  const bool positive = shape.positive.value_or(reference::default_coefficient_sign == model::coefficient_sign::positive);
  const auto with_sign = [&]<std::size_t Degree, typename Scaler>(std::type_identity<Scaler>) -> decltype(auto) {
    if (positive) return visit(std::type_identity<Preset<Degree, Scaler, model::coefficient_sign::positive>>{});
    return visit(std::type_identity<Preset<Degree, Scaler, model::coefficient_sign::any>>{});
  };
  const auto with_scaler = [&]<std::size_t Degree>(std::integral_constant<std::size_t, Degree>) -> decltype(auto) {
    if (!shape.scaler) return with_sign.template operator()<Degree>(std::type_identity<typename reference::default_scaler_type>{});
    if (*shape.scaler == "standard")
      return with_sign.template operator()<Degree>(std::type_identity<transform::standard_scaler>{});
    if (*shape.scaler == "minmax")
      return with_sign.template operator()<Degree>(std::type_identity<transform::min_max_scaler>{});
    if (*shape.scaler == "robust")
      return with_sign.template operator()<Degree>(std::type_identity<transform::robust_scaler>{});
    throw error(fmt::format("scaler \"{}\": expected \"standard\", \"minmax\" or \"robust\"", *shape.scaler));
  };
  switch (degree) {
    case 1:
      return with_scaler(std::integral_constant<std::size_t, 1>{});
    case 2:
      return with_scaler(std::integral_constant<std::size_t, 2>{});
    case 3:
      return with_scaler(std::integral_constant<std::size_t, 3>{});
    default:
      return with_scaler(std::integral_constant<std::size_t, 4>{});
  }
}

/// The shape whose type is saved under `name` ("conv_power", "conv_power<degree=2, ...>"), if
/// any supported shape of Preset is.
template <template <std::size_t, typename, model::coefficient_sign> class Preset>
std::optional<preset_shape> shape_named(std::string_view name) {
  for (std::size_t degree = 1; degree <= max_preset_degree; ++degree)
    for (const auto scaler : scaler_names)
      for (const bool positive : {true, false}) {
        const preset_shape shape{degree, std::string(scaler), positive};
        if (with_shape<Preset>(shape, []<typename P>(std::type_identity<P>) { return P::name(); }) == name)
          return shape;
      }
  return std::nullopt;
}

}  // namespace layerwatt::presets
