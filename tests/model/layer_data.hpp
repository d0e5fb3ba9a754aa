#pragma once
// The realistic layer rows of tests/data/models/{convolutional,pooling,dense}.csv, as a preset
// fits them: the features by name, and the target — power converted from the training CSVs'
// microwatts to watts, as the reference system fits it, or runtime in milliseconds.

#include <string>

#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/transform/feature_table.hpp"
#include "support/golden.hpp"

namespace layerwatt::testing {

template <typename Features>
struct layer_data {
  transform::table x;
  Eigen::VectorXd y;
};

template <typename Features>
layer_data<Features> read_layers(const std::string& file, const std::string& target) {
  const auto csv = io::read_csv_table(model_data(file));
  Eigen::VectorXd y = transform::target_column(csv, target);
  if (target == "power") y /= 1e6;
  return {transform::feature_table<Features>(csv), std::move(y)};
}

}  // namespace layerwatt::testing
