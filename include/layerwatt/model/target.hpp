#pragma once
// What a layer model predicts.

#include <array>
#include <string_view>

namespace layerwatt {

/// A layer's mean power (W), its runtime (ms), or its energy per inference (mJ). Per-layer
/// training (the reference's) fits power and runtime; network-level training fits runtime and
/// energy, the two a whole network's measured totals are sums of.
enum class target { power, runtime, energy };
inline constexpr std::array<target, 2> all_targets = {target::power, target::runtime};  ///< of per-layer training
inline constexpr std::array<target, 2> network_targets = {target::runtime, target::energy};

/// "power", "runtime", "energy": the training CSV's column and the model file's stem.
constexpr std::string_view to_string(target t) noexcept {
  constexpr std::array<std::string_view, 3> names = {"power", "runtime", "energy"};
  return names[static_cast<std::size_t>(t)];
}

}  // namespace layerwatt
