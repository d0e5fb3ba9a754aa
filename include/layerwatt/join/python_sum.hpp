#pragma once
// Sums floats exactly as Python ≥ 3.12's built-in sum() does (Neumaier's compensated
// summation, compensation added once at the end), so that a mean computed here is bit-for-bit the
// reference's `sum(values) / len(values)`.

#include <cmath>

namespace layerwatt::join {

class python_sum {
 public:
  void add(double x) noexcept {
    const double t = sum_ + x;
    compensation_ += std::fabs(sum_) >= std::fabs(x) ? (sum_ - t) + x : (x - t) + sum_;
    sum_ = t;
  }

  /// The sum; like CPython, the compensation is dropped when it is not finite.
  [[nodiscard]] double value() const noexcept {
    return compensation_ != 0.0 && std::isfinite(compensation_) ? sum_ + compensation_ : sum_;
  }

 private:
  double sum_ = 0, compensation_ = 0;
};

}  // namespace layerwatt::join
