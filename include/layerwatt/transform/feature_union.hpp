#pragma once
// Parts applied to the same input, outputs side by side in the order listed (scikit-learn's
// FeatureUnion): `feature_union<chain<log1p, polynomial<3>>, special_terms<...>>`.

#include <array>
#include <cstddef>
#include <string>
#include <tuple>

#include "layerwatt/transform/stage.hpp"

namespace layerwatt::transform {

template <typename... Parts>
struct feature_union {
  static_assert(sizeof...(Parts) > 0, "feature_union<> needs at least one part");

  static std::string type_name() { return "union<" + join_type_names<Parts...>() + ">"; }

  template <layout Input>
  class bind {
    static_assert((spec_for<Parts, Input> && ...),
                  "each part of a feature_union must be a transform spec that accepts the union's input");
    using parts = std::tuple<transform::bind<Parts, Input>...>;
    static constexpr std::size_t count = sizeof...(Parts);
    static constexpr std::array<std::size_t, count + 1> offsets = [] {
      std::array<std::size_t, count + 1> out{};
      const std::array<std::size_t, count> widths = {transform::bind<Parts, Input>::output::size...};
      for (std::size_t i = 0; i < count; ++i) out[i + 1] = out[i] + widths[i];
      return out;
    }();

   public:
    using input = Input;
    using output = columns<offsets[count]>;
    static constexpr bool stateful = any_stateful<parts>;

    static std::string type_name() { return feature_union::type_name(); }

    table fit_transform(const table& in) {
      check_width(in, input::size, type_name());
      return gather(
          parts_, [&](auto& part) { return part.fit_transform(in); }, in.rows());
    }

    [[nodiscard]] table transform(const table& in) const {
      check_width(in, input::size, type_name());
      return gather(
          parts_, [&](const auto& part) { return part.transform(in); }, in.rows());
    }

    void transform_row(const double* in, double* out) const noexcept {
      std::size_t i = 0;
      std::apply([&](const auto&... part) { (part.transform_row(in, out + offsets[i++]), ...); }, parts_);
    }

    void save(nlohmann::ordered_json& out) const { save_composite(out, type_name(), "parts", parts_); }
    void load(const io::json_node& node) { load_composite(node, type_name(), "parts", parts_); }

   private:
    // Each part's output into its columns; `each` is fit_transform or transform.
    template <typename Tuple, typename Each>
    static table gather(Tuple& all, Each&& each, Eigen::Index rows) {
      table out(rows, static_cast<Eigen::Index>(output::size));
      std::size_t i = 0;
      std::apply(
          [&](auto&... part) {
            ((out.middleCols(static_cast<Eigen::Index>(offsets[i]),
                             static_cast<Eigen::Index>(offsets[i + 1] - offsets[i])) = each(part),
              ++i),
             ...);
          },
          all);
      return out;
    }

    parts parts_;
  };
};

}  // namespace layerwatt::transform
