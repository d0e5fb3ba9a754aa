#pragma once
// Steps applied one after the other, each bound to the previous one's output layout:
// `chain<log1p, polynomial<3>>`. A pipeline's transforms are a chain too.

#include <array>
#include <cstddef>
#include <string>
#include <tuple>
#include <utility>

#include "layerwatt/transform/stage.hpp"

namespace layerwatt::transform {

namespace detail {

/// The stages of Specs bound in sequence from Input: `type` is a std::tuple of stages.
template <typename Input, typename... Specs>
struct bind_sequence {
  using type = std::tuple<>;
  using output = Input;
};

template <typename Input, typename Spec, typename... Rest>
struct bind_sequence<Input, Spec, Rest...> {
  static_assert(spec_for<Spec, Input>,
                "each step must be a transform spec (log1p, polynomial<D>, special_terms<...>, "
                "feature_union<...>, chain<...>, a scaler) that accepts the previous step's output");
  using first = bind<Spec, Input>;
  using rest = bind_sequence<typename first::output, Rest...>;
  using type = decltype(std::tuple_cat(std::declval<std::tuple<first>>(), std::declval<typename rest::type>()));
  using output = typename rest::output;
};

}  // namespace detail

template <typename... Steps>
struct chain {
  static_assert(sizeof...(Steps) > 0, "chain<> needs at least one step");

  static std::string type_name() { return "chain<" + join_type_names<Steps...>() + ">"; }

  template <layout Input>
  class bind {
    using sequence = detail::bind_sequence<Input, Steps...>;
    using stages = typename sequence::type;

   public:
    using input = Input;
    using output = typename sequence::output;
    static constexpr std::size_t size = sizeof...(Steps);
    static constexpr bool stateful = any_stateful<stages>;

    static std::string type_name() { return chain::type_name(); }

    /// The I-th stage.
    template <std::size_t I>
    [[nodiscard]] const auto& step() const noexcept {
      return std::get<I>(stages_);
    }
    template <std::size_t I>
    using step_type = std::tuple_element_t<I, stages>;

    table fit_transform(const table& in) {
      check_width(in, input::size, type_name());
      return fit_from<0>(in);
    }

    [[nodiscard]] table transform(const table& in) const {
      check_width(in, input::size, type_name());
      return transform_from<0>(in);
    }

    void transform_row(const double* in, double* out) const noexcept { transform_row_through<size>(in, out); }

    /// Applies the first Count steps to one row; `out` gets step_type<Count-1>::output::size values.
    template <std::size_t Count>
    void transform_row_through(const double* in, double* out) const noexcept {
      static_assert(Count >= 1 && Count <= size);
      row_from<0, Count>(in, out);
    }

    void save(nlohmann::ordered_json& out) const { save_composite(out, type_name(), "steps", stages_); }
    void load(const io::json_node& node) { load_composite(node, type_name(), "steps", stages_); }

   private:
    template <std::size_t I>
    table fit_from(const table& in) {
      if constexpr (I + 1 == size)
        return std::get<I>(stages_).fit_transform(in);
      else
        return fit_from<I + 1>(std::get<I>(stages_).fit_transform(in));
    }

    template <std::size_t I>
    table transform_from(const table& in) const {
      if constexpr (I + 1 == size)
        return std::get<I>(stages_).transform(in);
      else
        return transform_from<I + 1>(std::get<I>(stages_).transform(in));
    }

    template <std::size_t I, std::size_t Count>
    void row_from(const double* in, double* out) const noexcept {
      if constexpr (I + 1 == Count) {
        std::get<I>(stages_).transform_row(in, out);
      } else {
        std::array<double, step_type<I>::output::size> buffer;
        std::get<I>(stages_).transform_row(in, buffer.data());
        row_from<I + 1, Count>(buffer.data(), out);
      }
    }

    stages stages_;
  };
};

}  // namespace layerwatt::transform
