#pragma once
// The one bound on power that every reader of measurements shares: a board layerwatt measures,
// Jetson or desktop GPU, draws far less than a kilowatt, so a power above it (a reading, a
// layer's, a network's energy ÷ latency) is in another unit or garbage — an error, not a value.

namespace layerwatt {

/// Watts; above it a measured power is in another unit.
inline constexpr double max_board_power_w = 1'000;
/// The same in µW, the unit of the reference's files.
inline constexpr double max_board_power_uw = max_board_power_w * 1e6;

}  // namespace layerwatt
