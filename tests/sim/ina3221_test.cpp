#include "layerwatt/sim/ina3221.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "layerwatt/sim/random.hpp"

namespace layerwatt::sim {
namespace ina3221_test {

TEST(Ina3221, RefreshIntervalIsChannelsTimesConversionsTimesSamples) {
  sensor_profile p;
  EXPECT_EQ(ina3221(p).refresh_interval_us(), 3 * 2200);
  p.channels = 1;
  p.samples = 16;
  p.bus_conversion_us = 140;
  p.shunt_conversion_us = 204;
  EXPECT_EQ(ina3221(p).refresh_interval_us(), 16 * 344);
}

TEST(Ina3221, ReadingsAreQuantisedLikeTheDriver) {
  const ina3221 chip{sensor_profile{}};
  for (double power_uw = 4e6; power_uw < 2e7; power_uw += 123'457) {
    const auto r = chip.read(power_uw, 0);
    EXPECT_EQ(r.bus_mv, 5000);
    // 40 µV steps over 5 mΩ: whole multiples of 8 mA, the nearest to the true current.
    EXPECT_EQ(std::fmod(r.current_ma, 8), 0) << power_uw;
    EXPECT_LE(std::abs(r.current_ma - power_uw / 5000), 4) << power_uw;
  }
  sensor_profile fine;
  fine.shunt_lsb_uv = 1;
  fine.shunt_mohm = 2;
  const auto r = ina3221(fine).read(5'000'900, 0);  // 1000.18 mA → 2000 µV → 1000 mA
  EXPECT_EQ(r.current_ma, std::round(r.current_ma));  // the driver reports whole mA
  EXPECT_EQ(r.current_ma, 1000);
}

TEST(Ina3221, AveragingReducesTheNoise) {
  const auto spread = [](std::int64_t samples) {
    sensor_profile p;
    p.samples = samples;
    p.shunt_lsb_uv = 0;  // no register steps, and noise far above the driver's 1 mA rounding
    p.current_noise_ma = 40;
    const ina3221 chip(p);
    random_stream r(3);
    double sum = 0, sum2 = 0;
    constexpr int n = 20'000;
    for (int i = 0; i < n; ++i) {
      const double x = chip.read(5e6, r.normal()).current_ma;
      sum += x;
      sum2 += x * x;
    }
    return std::sqrt(sum2 / n - (sum / n) * (sum / n));
  };
  EXPECT_NEAR(spread(1), 40, 1);
  EXPECT_NEAR(spread(16), 10, 0.25);
}

}  // namespace ina3221_test
}  // namespace layerwatt::sim
