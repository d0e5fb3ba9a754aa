#pragma once
// What a layer model predicts.

#include <array>
#include <string_view>

namespace layerwatt {

/// A layer's mean power (W) or its runtime (ms).
enum class target { power, runtime };
inline constexpr std::array<target, 2> all_targets = {target::power, target::runtime};

/// "power", "runtime": the training CSV's column and the model file's stem.
constexpr std::string_view to_string(target t) noexcept { return t == target::power ? "power" : "runtime"; }

}  // namespace layerwatt
