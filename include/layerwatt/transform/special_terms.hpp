#pragma once
// Special terms: columns computed from named feature columns, such as the reference's
// "operations per input" = in_c·in_h·in_w·kernel_h·kernel_w·out_w. A term names its columns by
// tag, so one naming a column the pipeline's features do not have is a compile error.

#include <array>
#include <concepts>
#include <string>

#include "layerwatt/transform/stage.hpp"

namespace layerwatt::transform {

/// The value of column Column in a row laid out as Features.
template <features::column Column, typename Features>
constexpr double column_value(const double* row) noexcept {
  static_assert(is_feature_list<Features>,
                "special terms read named columns: put them first in a chain or directly in a "
                "union over the raw features");
  if constexpr (is_feature_list<Features>) {
    static_assert(Features::template contains<Column>,
                  "a special term names a column the pipeline's features do not have");
    if constexpr (Features::template contains<Column>) return row[Features::template index_of<Column>];
  }
  return 0;  // only where an assertion above has failed: that stays the one error
}

/// A special term promises `name()` (its name in saved pipelines) and
/// `evaluate<Features>(row)`: one finite value from a row laid out as Features, reading columns
/// through column_value (so a missing column does not compile). It must be a pure function.
template <typename T, typename Features>
concept term_for = requires(const double* row) {
  { T::name() } -> std::convertible_to<std::string>;
  { T::template evaluate<Features>(row) } -> std::same_as<double>;
};

/// The product of the named columns, multiplied left to right (as numpy's multiply.reduce).
template <features::column... Columns>
struct product {
  static_assert(sizeof...(Columns) > 0, "product<> needs at least one column");

  static std::string name() {
    std::string out = "product<";
    ((out += std::string(Columns::name) + ", "), ...);
    out.resize(out.size() - 2);
    return out + ">";
  }

  template <typename Features>
  static double evaluate(const double* row) noexcept {
    return (1.0 * ... * column_value<Columns, Features>(row));  // 1·a is exactly a
  }
};

/// One output column per term, in the order listed.
template <typename... Terms>
struct special_terms {
  static_assert(sizeof...(Terms) > 0, "special_terms<> needs at least one term");

  static std::string type_name() {
    std::string out = "special_terms<";
    ((out += Terms::name() + ", "), ...);
    out.resize(out.size() - 2);
    return out + ">";
  }

  template <layout Input>
  struct bind : stateless_stage<bind<Input>, Input, columns<sizeof...(Terms)>> {
    static_assert((term_for<Terms, Input> && ...),
                  "each special term needs name() and evaluate<Features>(const double*) -> double");

    static std::string type_name() { return special_terms::type_name(); }

    void transform_row(const double* in, double* out) const noexcept {
      std::size_t i = 0;
      ((out[i++] = Terms::template evaluate<Input>(in)), ...);
    }
  };
};

}  // namespace layerwatt::transform
