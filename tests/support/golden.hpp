#pragma once
// Golden data made by tests/golden/make_golden.py from scikit-learn 1.2.1 (tests/data/models/),
// and the parity check the models promise: |actual − expected| <= max(1e-6·|expected|, 1e-9).

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "layerwatt/io/json_document.hpp"

namespace layerwatt::testing {

/// tests/data/models/<name>
inline std::filesystem::path model_data(std::string_view name) {
  return std::filesystem::path(LAYERWATT_TEST_DATA) / "models" / name;
}

/// A golden JSON file of tests/data/models, parsed once.
inline const nlohmann::json& golden(const std::string& name) {
  static std::map<std::string, nlohmann::json> cache;
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, io::load_json_file(model_data(name))).first;
  return it->second;
}

inline Eigen::VectorXd to_vector(const nlohmann::json& values) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) out[static_cast<Eigen::Index>(i)] = values[i].get<double>();
  return out;
}

inline Eigen::MatrixXd to_matrix(const nlohmann::json& rows) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.at(0).size()));
  for (Eigen::Index r = 0; r < out.rows(); ++r)
    out.row(r) = to_vector(rows[static_cast<std::size_t>(r)]).transpose();
  return out;
}

inline bool within_parity(double actual, double expected) {
  return std::abs(actual - expected) <= std::max(1e-6 * std::abs(expected), 1e-9);
}

/// Every element within parity; the message names the first that is not.
inline ::testing::AssertionResult parity(const Eigen::MatrixXd& actual, const Eigen::MatrixXd& expected) {
  if (actual.rows() != expected.rows() || actual.cols() != expected.cols())
    return ::testing::AssertionFailure() << "shape " << actual.rows() << "x" << actual.cols() << ", expected "
                                         << expected.rows() << "x" << expected.cols();
  for (Eigen::Index r = 0; r < actual.rows(); ++r)
    for (Eigen::Index c = 0; c < actual.cols(); ++c)
      if (!within_parity(actual(r, c), expected(r, c)))
        return ::testing::AssertionFailure()
               << fmt::format("at ({}, {}): {:.17g}, expected {:.17g}", r, c, actual(r, c), expected(r, c));
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult parity(double actual, double expected) {
  return parity(Eigen::MatrixXd::Constant(1, 1, actual), Eigen::MatrixXd::Constant(1, 1, expected));
}

}  // namespace layerwatt::testing
