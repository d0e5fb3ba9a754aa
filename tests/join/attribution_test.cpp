#include "layerwatt/join/attribution.hpp"

#include <gtest/gtest.h>

#include "layerwatt/join/deconvolved.hpp"
#include "layerwatt/join/interpolated.hpp"
#include "layerwatt/join/window_mean.hpp"

namespace join = layerwatt::join;

namespace attribution_test {

struct one_window_at_a_time {  // the wrong shape: attribution sees all windows at once
  static constexpr std::string_view name = "wrong";
  double attribute(const join::power_signal&, const join::layer_window&) { return 0; }
};
struct unnamed {
  void attribute(const join::power_signal&, std::span<const join::layer_window>, std::span<double>) {}
};
struct minimal_layer_aware {  // the least a policy that pools a layer's cycles needs
  static constexpr std::string_view name = "minimal";
  void attribute(const join::power_signal&, std::span<const join::layer_window>, std::span<const join::entry_index>,
                 std::span<double> power) {
    for (double& p : power) p = join::no_power;
  }
};
struct minimal {  // the least a third policy needs
  static constexpr std::string_view name = "minimal";
  void attribute(const join::power_signal&, std::span<const join::layer_window>, std::span<double> power) {
    for (double& p : power) p = join::no_power;
  }
};

TEST(Attribution, ConceptAcceptsThePoliciesAndRejectsLookAlikes) {
  static_assert(join::attribution_policy<join::window_mean>);
  static_assert(join::attribution_policy<join::interpolated>);
  static_assert(join::attribution_policy<join::deconvolved>);
  static_assert(join::attribution_policy<minimal>);
  static_assert(join::attribution_policy<minimal_layer_aware>);
  static_assert(join::layer_aware_attribution<join::deconvolved>);
  static_assert(!join::layer_aware_attribution<join::window_mean>);
  static_assert(!join::attribution_policy<one_window_at_a_time>);
  static_assert(!join::attribution_policy<unnamed>);
  static_assert(!join::attribution_policy<double>);
  EXPECT_EQ(join::window_mean::name, "window-mean");
  EXPECT_EQ(join::interpolated::name, "interpolated");
  EXPECT_EQ(join::deconvolved::name, "deconvolved");
}

}  // namespace attribution_test
