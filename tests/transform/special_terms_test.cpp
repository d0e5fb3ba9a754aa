#include "layerwatt/transform/special_terms.hpp"

#include <gtest/gtest.h>

#include "layerwatt/model/presets.hpp"
#include "support/golden.hpp"

namespace special_terms_test {

namespace tf = layerwatt::transform;
namespace features = layerwatt::features;
namespace presets = layerwatt::presets;
using layerwatt::testing::golden;
using layerwatt::testing::to_matrix;

TEST(SpecialTerms, AreTheReferencesOperationCounts) {
  const auto& g = golden("golden_transforms.json");
  const tf::bind<tf::special_terms<presets::conv_ops_per_input, presets::conv_ops_per_batch>,
                 features::convolutional>
      terms;
  EXPECT_EQ(terms.transform(to_matrix(g["rows"])), to_matrix(g["ops_terms"]));
}

TEST(SpecialTerms, MultiplyLeftToRight) {
  // 1e308·10·0.1 overflows left to right; 1e308·(10·0.1) would not.
  const tf::bind<tf::special_terms<tf::product<features::batch_size, features::input_size, features::output_size>>,
                 features::dense>
      term;
  const double row[3] = {1e308, 10, 0.1};
  double out[1];
  term.transform_row(row, out);
  EXPECT_TRUE(std::isinf(out[0]));
}

// A term of one's own: anything with name() and evaluate<Features>(row), reading columns by tag.
struct weights_per_group {
  static std::string name() { return "weights_per_group"; }
  template <typename Features>
  static double evaluate(const double* row) {
    return tf::column_value<features::in_c, Features>(row) * tf::column_value<features::out_c, Features>(row) /
           tf::column_value<features::groups, Features>(row);
  }
};

TEST(SpecialTerms, TakeTermsOfOnesOwn) {
  using grouped = features::feature_list<features::in_c, features::out_c, features::groups>;
  const tf::bind<tf::special_terms<weights_per_group, tf::product<features::groups>>, grouped> terms;
  const double row[3] = {32, 64, 32};
  double out[2];
  terms.transform_row(row, out);
  EXPECT_EQ(out[0], 64);
  EXPECT_EQ(out[1], 32);
  EXPECT_EQ(decltype(terms)::type_name(), "special_terms<weights_per_group, product<groups>>");
}

TEST(SpecialTerms, NameTheirColumns) {
  EXPECT_EQ(presets::conv_ops_per_input::name(),
            "product<input_size_0, input_size_1, input_size_2, kernel_0, kernel_1, output_size_2>");
}

}  // namespace special_terms_test
