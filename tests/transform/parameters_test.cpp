#include "layerwatt/transform/parameters.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace parameters_test {

namespace tf = layerwatt::transform;
using layerwatt::io::json_document;

TEST(Parameters, RoundTripEveryDoubleExactly) {
  Eigen::VectorXd values(6);
  values << 0.1, 1.0 / 3, -2.5e-300, 6.02214076e23, std::nextafter(1.0, 2.0),
      std::numeric_limits<double>::denorm_min();
  nlohmann::ordered_json out;
  out["x"] = tf::parameters_to_json(values);
  const json_document document("x.json", out.dump());
  const Eigen::VectorXd back = tf::read_parameters(document.root(), "x", 6);
  for (Eigen::Index i = 0; i < 6; ++i) EXPECT_EQ(back[i], values[i]) << i;
}

TEST(Parameters, NameTheJsonPathOfWhatIsWrong) {
  const json_document document("p.json", R"({"mean": [1, 2, "3"], "scale": [1, 2]})");
  EXPECT_ERROR_MENTIONS(tf::read_parameters(document.root(), "scale", 3), "p.json", "/scale",
                        "an array of 3 numbers, got 2");
  EXPECT_ERROR_MENTIONS(tf::read_parameters(document.root(), "mean", 3), "p.json", "/mean/2", "a number");
  EXPECT_ERROR_MENTIONS(tf::read_parameters(document.root(), "center", 3), "p.json", "\"center\"");
}

}  // namespace parameters_test
