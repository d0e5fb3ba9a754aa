#pragma once
// log(1 + x) of every column, as the reference applies before its polynomial terms for
// convolutional power (numpy's log1p; features of 0, e.g. padding, stay 0 rather than -inf).
// Column names pass through, so special terms may still follow.

#include <cmath>
#include <string>

#include "layerwatt/transform/stage.hpp"

namespace layerwatt::transform {

struct log1p {
  static std::string type_name() { return "log1p"; }

  template <layout Input>
  struct bind : stateless_stage<bind<Input>, Input, Input> {
    static std::string type_name() { return log1p::type_name(); }
    void transform_row(const double* in, double* out) const noexcept {
      for (std::size_t i = 0; i < Input::size; ++i) out[i] = std::log1p(in[i]);
    }
  };
};

}  // namespace layerwatt::transform
