#include "layerwatt/join/timeline.hpp"

#include <gtest/gtest.h>

#include "layerwatt/join/back_to_back.hpp"
#include "layerwatt/join/end_stamp.hpp"

namespace join = layerwatt::join;

namespace timeline_test {

struct no_name {
  void lay_out(std::span<const join::timed_latency>, std::span<join::layer_window>) const {}
};
struct mutating {
  static constexpr std::string_view name = "mutating";
  void lay_out(std::span<const join::timed_latency>, std::span<join::layer_window>) {}  // not const
};
struct wrong_arguments {
  static constexpr std::string_view name = "wrong";
  void lay_out(std::span<join::layer_window>) const {}
};

TEST(Timeline, ConceptAcceptsThePoliciesAndRejectsLookAlikes) {
  static_assert(join::timeline_policy<join::end_stamp>);
  static_assert(join::timeline_policy<join::back_to_back>);
  static_assert(!join::timeline_policy<no_name>);
  static_assert(!join::timeline_policy<mutating>);
  static_assert(!join::timeline_policy<wrong_arguments>);
  static_assert(!join::timeline_policy<int>);
  EXPECT_EQ(join::end_stamp::name, "end-stamp");
  EXPECT_EQ(join::back_to_back::name, "back-to-back");
}

}  // namespace timeline_test
