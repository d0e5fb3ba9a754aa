#pragma once
// Choosing a preset's degree and scaler at run time, from a configuration: each (degree,
// scaler) pair is its own pipeline type, so this dispatches over the supported ones —
// degrees 1 to 4, scalers "standard", "minmax", "robust" (the reference's names) — and hands
// the chosen type to a callable:
//
//   presets::with_shape<presets::conv_power_pipeline>({2, "robust"}, [&]<typename P>(std::type_identity<P>) {
//     P model(options);
//     model.fit(x, y);
//     model::save_pipeline(model, path);
//   });

#include <cstddef>
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

/// What a configuration may change in a preset.
struct preset_shape {
  std::size_t degree = 3;
  std::string scaler = "standard";  ///< "standard", "minmax" or "robust"
};

inline constexpr std::size_t max_preset_degree = 4;

/// Calls visit(std::type_identity<Preset<degree, Scaler>>{}) and returns what it returns; an
/// unsupported degree or scaler name is a layerwatt::error.
template <template <std::size_t, typename> class Preset, typename Visit>
decltype(auto) with_shape(const preset_shape& shape, Visit&& visit) {
  if (shape.degree < 1 || shape.degree > max_preset_degree)
    throw error(fmt::format("polynomial degree {}: presets support 1 to {}", shape.degree, max_preset_degree));
  auto with_scaler = [&]<std::size_t Degree>(std::integral_constant<std::size_t, Degree>) -> decltype(auto) {
    if (shape.scaler == "standard") return visit(std::type_identity<Preset<Degree, transform::standard_scaler>>{});
    if (shape.scaler == "minmax") return visit(std::type_identity<Preset<Degree, transform::min_max_scaler>>{});
    if (shape.scaler == "robust") return visit(std::type_identity<Preset<Degree, transform::robust_scaler>>{});
    throw error(fmt::format("scaler \"{}\": expected \"standard\", \"minmax\" or \"robust\"", shape.scaler));
  };
  switch (shape.degree) {
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

}  // namespace layerwatt::presets
