#pragma once
// All monomials of the input columns up to Degree, in scikit-learn's PolynomialFeatures order:
// the bias 1, the columns, then for each degree the combinations with replacement in
// lexicographic order — (0,0), (0,1), ..., (n-1,n-1), (0,0,0), ... Each term of degree d is a
// term of degree d-1 times one column, computed in the same order scikit-learn multiplies, so
// the values are bit-identical to its output.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "layerwatt/transform/stage.hpp"

namespace layerwatt::transform {

/// Number of monomials of degree <= degree in n variables, bias included: C(n + degree, degree).
constexpr std::size_t polynomial_width(std::size_t n, std::size_t degree) {
  std::size_t width = 1;
  for (std::size_t k = 1; k <= degree; ++k) width = width * (n + k) / k;  // exact at every step
  return width;
}

template <std::size_t Degree>
struct polynomial {
  static_assert(Degree >= 1, "polynomial<Degree> needs Degree >= 1");

  static std::string type_name() { return fmt::format("polynomial<{}>", Degree); }

  template <layout Input>
  struct bind : stateless_stage<bind<Input>, Input, columns<polynomial_width(Input::size, Degree)>> {
    static constexpr std::size_t n = Input::size;
    static constexpr std::size_t width = polynomial_width(n, Degree);

    static std::string type_name() { return polynomial::type_name(); }

    void transform_row(const double* in, double* out) const noexcept {
      out[0] = 1.0;
      for (std::size_t i = 0; i < n; ++i) out[1 + i] = in[i];
      for (const block& b : blocks)
        for (std::uint32_t t = 0; t < b.length; ++t) out[b.target + t] = out[b.source + t] * in[b.column];
    }

   private:
    // Terms of degree d whose first column is c: the terms of degree d-1 whose first column is
    // >= c (a contiguous run), each times column c.
    struct block {
      std::uint32_t target, source, length, column;
    };
    static constexpr std::size_t block_count = (Degree - 1) * n;
    static constexpr std::array<block, block_count> blocks = [] {
      std::array<block, block_count> out{};
      std::array<std::size_t, n + 1> first{};  // where the previous degree's run for column c starts
      for (std::size_t c = 0; c <= n; ++c) first[c] = 1 + c;
      std::size_t next = 1 + n, k = 0;
      for (std::size_t d = 2; d <= Degree; ++d) {
        std::array<std::size_t, n + 1> starts{};
        const std::size_t end = first[n];
        for (std::size_t c = 0; c < n; ++c) {
          starts[c] = next;
          const std::size_t length = end - first[c];
          out[k++] = {static_cast<std::uint32_t>(next), static_cast<std::uint32_t>(first[c]),
                      static_cast<std::uint32_t>(length), static_cast<std::uint32_t>(c)};
          next += length;
        }
        starts[n] = next;
        first = starts;
      }
      return out;
    }();
    static_assert(Degree == 1 || blocks[block_count - 1].target + blocks[block_count - 1].length == width);
  };
};

}  // namespace layerwatt::transform
