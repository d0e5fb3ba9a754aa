// Compiles only with LAYERWATT_COLUMN_PRESENT: dense layers have no kernel, so a special term
// multiplying kernel_h by the input size must be rejected at compile time (see CMakeLists.txt).

#include "layerwatt/dataset/feature_columns.hpp"
#include "layerwatt/transform/special_terms.hpp"

namespace tf = layerwatt::transform;
namespace features = layerwatt::features;

#ifdef LAYERWATT_COLUMN_PRESENT
using term = tf::product<features::output_size, features::input_size>;
#else
using term = tf::product<features::kernel_h, features::input_size>;
#endif

int main() {
  const tf::bind<tf::special_terms<term>, features::dense> stage;
  const double row[3] = {1, 2, 3};
  double out[1];
  stage.transform_row(row, out);
  return out[0] == 6 ? 0 : 1;
}
