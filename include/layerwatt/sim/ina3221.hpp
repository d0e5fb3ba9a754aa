#pragma once
// The INA3221 as a Jetson's Linux driver exposes it. The chip converts bus and shunt voltage of
// each enabled channel in turn, `samples` times, and only then publishes the averages: a reading
// is the mean over the last refresh interval (channels × (bus + shunt conversion) × samples), and
// a logger faster than that reads the same value again until the next refresh. The registers
// hold 8 mV (bus) and 40 µV (shunt) steps; the driver reports whole mV and mA.
//
// Model: the value published at refresh instant T is the mean true power over [T − W, T]
// divided by the bus voltage, plus conversion noise reduced by the averaging, rounded to the
// shunt register's step and then to the driver's integer mA. (The real chip samples a channel
// during 1/channels of the window only; the mean over the whole window is what the docs assume.)

#include <cmath>
#include <cstdint>

#include "layerwatt/sim/device_profile.hpp"

namespace layerwatt::sim {

/// One reading as the driver reports it (in1_input, curr1_input).
struct ina3221_reading {
  double bus_mv = 0;
  double current_ma = 0;
  bool operator==(const ina3221_reading&) const = default;
};

class ina3221 {
 public:
  explicit ina3221(const sensor_profile& profile) : p_(profile) {}

  [[nodiscard]] std::int64_t refresh_interval_us() const noexcept { return p_.refresh_interval_us(); }

  /// The published reading for a window whose mean power is `mean_power_uw`; `noise` is a
  /// standard normal draw (0 for none).
  [[nodiscard]] ina3221_reading read(double mean_power_uw, double noise) const {
    const double bus_mv = quantise(p_.bus_voltage_mv, p_.bus_lsb_mv);
    const double current_ma =
        mean_power_uw / p_.bus_voltage_mv + noise * p_.current_noise_ma / std::sqrt(static_cast<double>(p_.samples));
    // Shunt register: a signed count of shunt_lsb_uv steps; the driver converts to whole mA.
    const double shunt_uv = quantise(current_ma * p_.shunt_mohm, p_.shunt_lsb_uv);
    return {std::round(bus_mv), std::round(shunt_uv / p_.shunt_mohm)};
  }

 private:
  static double quantise(double value, double step) { return step > 0 ? std::round(value / step) * step : value; }

  sensor_profile p_;
};

}  // namespace layerwatt::sim
