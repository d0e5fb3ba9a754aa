#pragma once
// torchvision's channel rounding (torchvision/models/_utils.py, _make_divisible), which MobileNetV3
// and EfficientNet use to scale their widths.

#include <cstdint>

namespace layerwatt::zoo {

/// The multiple of `divisor` nearest `value` (at least `divisor`), one step up where that would
/// fall more than 10% below `value`.
constexpr std::int64_t make_divisible(double value, std::int64_t divisor = 8) {
  std::int64_t rounded = static_cast<std::int64_t>(value + static_cast<double>(divisor) / 2) / divisor * divisor;
  if (rounded < divisor) rounded = divisor;
  if (static_cast<double>(rounded) < 0.9 * value) rounded += divisor;
  return rounded;
}

}  // namespace layerwatt::zoo
