#pragma once
// What the three scaler tests share: fitted on golden_transforms.json's scaler_input (81
// convolutional rows, a constant column, a column with a zero inter-quartile range), a scaler's
// two parameter vectors and its output must be scikit-learn's to 1e-12, on 81 rows and on 80.

#include <string>

#include <gtest/gtest.h>

#include "layerwatt/transform/stage.hpp"
#include "support/golden.hpp"

namespace layerwatt::testing {

inline void expect_close(const Eigen::MatrixXd& actual, const Eigen::MatrixXd& expected, const std::string& what) {
  ASSERT_EQ(actual.rows(), expected.rows()) << what;
  ASSERT_EQ(actual.cols(), expected.cols()) << what;
  for (Eigen::Index r = 0; r < actual.rows(); ++r)
    for (Eigen::Index c = 0; c < actual.cols(); ++c)
      EXPECT_NEAR(actual(r, c), expected(r, c), 1e-12 * std::max(1.0, std::abs(expected(r, c))))
          << what << " at " << r << ", " << c;
}

/// `Scaler` is a scaler spec; `golden_name` its entry ("standard_scaler"); `first`/`second` the
/// JSON names of its parameters.
template <typename Scaler>
void expect_scikit_learn_scaler(const std::string& golden_name, const std::string& first,
                                const std::string& second) {
  using stage = transform::bind<Scaler, transform::columns<15>>;
  const auto& g = golden("golden_transforms.json");
  const transform::table input = to_matrix(g["scaler_input"]);
  const auto& expected = g[golden_name];

  stage s;
  const transform::table out = s.fit_transform(input);
  expect_close(s.first(), to_vector(expected[first]), golden_name + " " + first);
  expect_close(s.second(), to_vector(expected[second]), golden_name + " " + second);
  expect_close(out.topRows(4), to_matrix(expected["transformed"]), golden_name + " output");

  stage even;
  static_cast<void>(even.fit_transform(input.topRows(80)));
  expect_close(even.first(), to_vector(g[golden_name + "_even"][first]), golden_name + " (80 rows) " + first);
  expect_close(even.second(), to_vector(g[golden_name + "_even"][second]), golden_name + " (80 rows) " + second);
}

/// Saved and loaded, a fitted scaler transforms bit-identically; a file of another scaler or
/// with a wrong count is refused, naming the JSON path.
template <typename Scaler>
void expect_persistence(const std::string& first) {
  using stage = transform::bind<Scaler, transform::columns<15>>;
  const transform::table input = to_matrix(golden("golden_transforms.json")["scaler_input"]);
  stage s;
  const transform::table out = s.fit_transform(input);
  nlohmann::ordered_json saved;
  s.save(saved);
  stage loaded;
  loaded.load(io::json_document("scaler.json", saved.dump()).root());
  EXPECT_EQ(loaded.transform(input), out);

  auto short_one = saved;
  short_one[first].erase(short_one[first].size() - 1);
  const std::string path = "/" + first;
  EXPECT_ERROR_MENTIONS(loaded.load(io::json_document("short.json", short_one.dump()).root()), "short.json",
                        path.c_str(), "an array of 15 numbers, got 14");
  auto other = saved;
  other["type"] = "some_other_scaler";
  EXPECT_ERROR_MENTIONS(loaded.load(io::json_document("other.json", other.dump()).root()), "other.json", "/type",
                        "some_other_scaler");
}

}  // namespace layerwatt::testing
