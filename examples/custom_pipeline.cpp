// A pipeline type of one's own, from layerwatt's parts: convolution runtime from a feature list
// that includes `groups`, degree-2 terms, and a FLOPs term that counts grouped (and depthwise)
// convolutions correctly — which the reference's presets cannot express.
//
//   custom_pipeline TRAINING_CSV MODEL_JSON
//
// fits it on a convolutional training CSV (columns by name, runtime in ms), prints the fit,
// saves it, loads it back and predicts a depthwise convolution.

#include <cstdio>
#include <exception>
#include <string>

#include <fmt/format.h>

#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/model/lasso_cv.hpp"
#include "layerwatt/model/metrics.hpp"
#include "layerwatt/model/pipeline.hpp"
#include "layerwatt/model/pipeline_file.hpp"
#include "layerwatt/transform/feature_table.hpp"
#include "layerwatt/transform/feature_union.hpp"
#include "layerwatt/transform/polynomial.hpp"
#include "layerwatt/transform/special_terms.hpp"
#include "layerwatt/transform/standard_scaler.hpp"

namespace lw = layerwatt;
namespace tf = layerwatt::transform;
namespace col = layerwatt::features;

// The input row: which CSV columns, in which order.
using conv_columns = col::feature_list<col::batch_size, col::in_c, col::in_h, col::in_w, col::out_c, col::out_h,
                                       col::out_w, col::kernel_h, col::kernel_w, col::groups>;

// A special term is a type with a name and a value computed from named columns; naming a
// column conv_columns lacks would not compile.
struct grouped_flops {
  static std::string name() { return "grouped_flops"; }
  template <typename Columns>
  static double evaluate(const double* row) {
    const auto at = [row]<typename C>(C) { return tf::column_value<C, Columns>(row); };
    return 2 * at(col::batch_size{}) * at(col::in_c{}) / at(col::groups{}) * at(col::out_c{}) *
           at(col::kernel_h{}) * at(col::kernel_w{}) * at(col::out_h{}) * at(col::out_w{});
  }
};

// The pipeline: [degree-2 terms ∪ FLOPs] → standard scaler → LassoCV (coefficients of any sign).
struct grouped_conv_runtime
    : lw::model::pipeline<conv_columns, tf::feature_union<tf::polynomial<2>, tf::special_terms<grouped_flops>>,
                          tf::standard_scaler, lw::model::lasso_cv<>> {
  using pipeline::pipeline;
  static std::string name() { return "grouped_conv_runtime"; }  // what its files are saved under
};

static_assert(grouped_conv_runtime::width == 66 + 1);  // C(10 + 2, 2) monomials and one term

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fputs("usage: custom_pipeline TRAINING_CSV MODEL_JSON\n", stderr);
    return 2;
  }
  try {
    const auto csv = lw::io::read_csv_table(argv[1]);
    const tf::table x = tf::feature_table<conv_columns>(csv);
    const Eigen::VectorXd runtime_ms = tf::target_column(csv, "runtime");

    grouped_conv_runtime model({.folds = 10, .n_alphas = 100});
    model.fit(x, runtime_ms);
    const Eigen::VectorXd predicted = model.predict(x);
    const auto m = lw::model::evaluate({runtime_ms.data(), static_cast<std::size_t>(runtime_ms.size())},
                                       {predicted.data(), static_cast<std::size_t>(predicted.size())});
    fmt::print("{}: {} rows, {} features, alpha {:.4g}, {} non-zero coefficients\n", grouped_conv_runtime::name(),
               x.rows(), grouped_conv_runtime::width, model.model().alpha,
               (model.model().coef.array() != 0).count());
    fmt::print("training RMSPE {:.2f} %, R² {:.4f}\n", m.rmspe, m.r2);

    lw::model::save_pipeline(model, argv[2]);
    const auto loaded = lw::model::load_pipeline<grouped_conv_runtime>(argv[2]);
    // batch 1; 144 channels of 56×56 in and out; a 3×3 kernel; 144 groups (depthwise)
    const grouped_conv_runtime::row depthwise = {1, 144, 56, 56, 144, 56, 56, 3, 3, 144};
    fmt::print("saved to {}; reloaded, it predicts {:.4g} ms for a 3x3 depthwise convolution of 144x56x56\n",
               argv[2], loaded.predict(depthwise));
  } catch (const std::exception& e) {
    fmt::print(stderr, "custom_pipeline: {}\n", e.what());
    return 1;
  }
}
