#include "layerwatt/sense/sampler.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace sense = layerwatt::sense;
namespace io = layerwatt::io;

namespace sampler_test {

struct minimal_sampler {
  std::vector<io::rail_source> rails_{{"X", "", ""}};
  std::span<const io::rail_source> rails() const { return rails_; }
  std::string_view source() const { return "test"; }
  sense::sensor_timing timing() const { return {}; }
  bool read(std::span<sense::rail_reading> out) noexcept {
    out[0] = {1, 2};
    return true;
  }
};
struct read_may_throw : minimal_sampler {
  bool read(std::span<sense::rail_reading>) { return true; }
};
struct no_timing {
  std::span<const io::rail_source> rails() const { return {}; }
  std::string_view source() const { return "test"; }
  bool read(std::span<sense::rail_reading>) noexcept { return true; }
};
struct not_movable : minimal_sampler {
  not_movable() = default;
  not_movable(not_movable&&) = delete;
};

struct run_aware : minimal_sampler {
  void begin_run() noexcept {}
  void end_run(io::power_log_meta&) {}
};
struct begin_may_throw : minimal_sampler {
  void begin_run() {}
  void end_run(io::power_log_meta&) {}
};
struct no_end : minimal_sampler {
  void begin_run() noexcept {}
};

TEST(Sampler, ARunAwareSamplerHasBothEndsOfARun) {
  static_assert(sense::run_aware_sampler<run_aware>);
  static_assert(!sense::run_aware_sampler<minimal_sampler>);
  static_assert(!sense::run_aware_sampler<begin_may_throw>, "begin_run must be noexcept");
  static_assert(!sense::run_aware_sampler<no_end>);
  SUCCEED();
}

TEST(Sampler, ConceptStatesTheRequirements) {
  static_assert(sense::sampler<minimal_sampler>);
  static_assert(!sense::sampler<read_may_throw>, "read must be noexcept");
  static_assert(!sense::sampler<no_timing>);
  static_assert(!sense::sampler<not_movable>);
  minimal_sampler s;
  sense::rail_reading r[1];
  EXPECT_TRUE(s.read(r));
  EXPECT_EQ(r[0].power_uw(), 2.0);
}

TEST(Sampler, PowerOnlyReadingsKeepMicrowatts) {
  constexpr auto r = sense::rail_reading::from_power_mw(12.5);
  static_assert(r.voltage_mv == 1000.0 && r.current_ma == 12.5);
  EXPECT_EQ(r.power_uw(), 12'500.0);  // 12.5 mW
}

}  // namespace sampler_test
