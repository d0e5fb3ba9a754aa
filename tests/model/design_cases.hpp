#pragma once
// The random designs of tests/data/models/designs.json (made by tests/golden/make_golden.py):
// each names its data, options and scikit-learn's results in golden_lasso.json. Run one with
// the estimator's sign fixed as the design asks (positive or not is part of the type).

#include <string>

#include <nlohmann/json.hpp>

#include "layerwatt/model/linear_model.hpp"
#include "support/golden.hpp"

namespace layerwatt::testing {

inline const std::vector<std::string> design_names = {
    "basic",     "positive",     "constant_columns",      "more_features_than_rows",
    "collinear", "no_intercept", "positive_no_intercept", "constant_target"};

struct design_case {
  std::string name;
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  bool fit_intercept;
  const nlohmann::json& spec;    ///< designs.json's entry
  const nlohmann::json& golden;  ///< golden_lasso.json's entry
};

/// Calls check.template operator()<Sign>(design_case) with the design's sign.
template <typename Check>
void with_design(const std::string& name, Check check) {
  const auto& spec = golden("designs.json")[name];
  const design_case c{name,
                      to_matrix(spec["X"]),
                      to_vector(spec["y"]),
                      spec.value("fit_intercept", true),
                      spec,
                      golden("golden_lasso.json")[name]};
  if (spec.value("positive", false))
    check.template operator()<model::coefficient_sign::positive>(c);
  else
    check.template operator()<model::coefficient_sign::any>(c);
}

}  // namespace layerwatt::testing
