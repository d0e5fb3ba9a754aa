#pragma once
// A model as a type: pipeline<Features, Transform..., Estimator> reads rows laid out as
// Features (a features::feature_list), applies the transforms in order (scikit-learn's
// Pipeline), and fits or predicts with the estimator. The shape of the model — columns,
// transforms, width, estimator — is in the type; runtime settings are the estimator's options.
//
// Prediction of one row runs the transforms on the stack and, when the last transform is
// per-column (a scaler), applies it only to the columns the sparse linear model uses.

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/json_document.hpp"
#include "layerwatt/model/linear_model.hpp"
#include "layerwatt/transform/chain.hpp"
#include "layerwatt/transform/stage.hpp"

namespace layerwatt::model {

namespace detail {

template <typename Tuple, typename Indices>
struct chain_of_first;
template <typename Tuple, std::size_t... I>
struct chain_of_first<Tuple, std::index_sequence<I...>> {
  using type = transform::chain<std::tuple_element_t<I, Tuple>...>;
};

}  // namespace detail

template <typename Features, typename... Parts>
class pipeline {
  static_assert(transform::is_feature_list<Features>,
                "pipeline<Features, ...>: Features must be a features::feature_list<...> of column tags");
  static_assert(sizeof...(Parts) >= 2,
                "pipeline<Features, Transform..., Estimator> needs at least one transform and an estimator");

  using parts = std::tuple<Parts...>;
  using transforms_spec =
      typename detail::chain_of_first<parts, std::make_index_sequence<sizeof...(Parts) - 1>>::type;

 public:
  using features = Features;
  using estimator_type = std::tuple_element_t<sizeof...(Parts) - 1, parts>;
  static_assert(linear_estimator<estimator_type>,
                "the last part of a pipeline must be an estimator such as model::lasso_cv<>");
  using transforms_type = transform::bind<transforms_spec, Features>;
  using options = typename estimator_type::options;

  static constexpr std::size_t input_width = Features::size;
  /// Columns after the transforms: the number of coefficients.
  static constexpr std::size_t width = transforms_type::output::size;
  using row = std::array<double, input_width>;

  explicit pipeline(options settings = {}) : estimator_(std::move(settings)) {}

  /// The structure as text: "pipeline<[batch_size, input_size, output_size], polynomial<3>, ...>".
  static std::string type_name() {
    std::string columns;
    for (const auto name : Features::names) columns += (columns.empty() ? "" : ", ") + std::string(name);
    return fmt::format("pipeline<[{}], {}>", columns, transform::join_type_names<Parts...>());
  }

  /// Fits the transforms and the estimator on `x` (rows × input_width) and `y`.
  void fit(const transform::table& x, const Eigen::VectorXd& y) {
    const transform::table t = fit_transforms(x);
    estimator_.fit(Eigen::MatrixXd(t), y);
    index_model();
  }

  /// Fits the transforms alone on `x` and returns `x` transformed (rows × width), for a fit the
  /// estimator does not make itself: network-level training (train/network_fit.hpp) fits every
  /// kind's coefficients jointly, then hands them over with set_model(). Records the training range.
  transform::table fit_transforms(const transform::table& x) {
    transform::check_width(x, input_width, "pipeline");
    transform::table t = transforms_.fit_transform(x);
    for (Eigen::Index r = 0; r < t.rows(); ++r)
      for (Eigen::Index c = 0; c < t.cols(); ++c)
        if (!std::isfinite(t(r, c)))
          throw error(
              fmt::format("pipeline: training row {}: transformed feature {} is not finite (log1p "
                          "needs values > -1; products of large columns can overflow)",
                          r + 1, c));
    training_range_.emplace();
    for (std::size_t c = 0; c < input_width; ++c) {
      training_range_->min[c] = x.col(static_cast<Eigen::Index>(c)).minCoeff();
      training_range_->max[c] = x.col(static_cast<Eigen::Index>(c)).maxCoeff();
    }
    return t;
  }

  /// The transformed row of a fitted pipeline (width values), as predict() sees it.
  [[nodiscard]] std::array<double, width> transform_row(std::span<const double, input_width> in) const noexcept {
    std::array<double, width> out;
    transforms_.transform_row(in.data(), out.data());
    return out;
  }

  /// The linear model (width coefficients in transformed-feature order, intercept, alpha) after
  /// fit_transforms(). An error if the width differs.
  void set_model(linear_fit fit) {
    if (fit.coef.size() != static_cast<Eigen::Index>(width))
      throw error(fmt::format("pipeline: {} coefficients for a width of {}", fit.coef.size(), width));
    estimator_.set_model(std::move(fit));
    index_model();
  }

  /// Each input feature's least and greatest value over the training rows; none for a pipeline
  /// loaded from a file written before layerwatt recorded it.
  struct feature_range {
    row min{}, max{};
  };
  [[nodiscard]] const std::optional<feature_range>& training_range() const noexcept { return training_range_; }

  /// The prediction for one row laid out as Features. Precondition: fitted().
  [[nodiscard]] double predict(std::span<const double, input_width> in) const noexcept {
    constexpr std::size_t steps = transforms_type::size;
    using last = typename transforms_type::template step_type<steps - 1>;
    double sum = 0;
    if constexpr (transform::columnwise_stage<last>) {
      std::array<double, last::input::size> before_last;
      if constexpr (steps > 1)
        transforms_.template transform_row_through<steps - 1>(in.data(), before_last.data());
      else
        std::copy(in.begin(), in.end(), before_last.begin());
      const auto& scaler = transforms_.template step<steps - 1>();
      for (std::size_t k = 0; k < active_.size(); ++k)
        sum += scaler.transform_value(active_[k], before_last[active_[k]]) * active_coef_[k];
    } else {
      std::array<double, width> transformed;
      transforms_.transform_row(in.data(), transformed.data());
      for (std::size_t k = 0; k < active_.size(); ++k) sum += transformed[active_[k]] * active_coef_[k];
    }
    return sum + estimator_.model().intercept;
  }

  /// Predictions for rows × input_width.
  [[nodiscard]] Eigen::VectorXd predict(const transform::table& x) const {
    transform::check_width(x, input_width, "pipeline");
    require_fitted();
    Eigen::VectorXd out(x.rows());
    for (Eigen::Index r = 0; r < x.rows(); ++r)
      out[r] = predict(std::span<const double, input_width>(x.row(r).data(), input_width));
    return out;
  }

  [[nodiscard]] bool fitted() const noexcept { return estimator_.model().fitted(); }
  [[nodiscard]] const estimator_type& estimator() const noexcept { return estimator_; }
  [[nodiscard]] const transforms_type& transforms() const noexcept { return transforms_; }
  /// Coefficients (in transformed-feature order), intercept, alpha.
  [[nodiscard]] const linear_fit& model() const noexcept { return estimator_.model(); }

  /// The fitted state as the members of a pipeline file: "width", "transform", "estimator",
  /// "alpha", "intercept", "coef" (pipeline_file.hpp writes the whole file).
  void save(nlohmann::ordered_json& out) const {
    require_fitted();
    out["width"] = width;
    if (training_range_) out["training_range"] = {{"min", training_range_->min}, {"max", training_range_->max}};
    transforms_.save(out["transform"]);
    estimator_.model().save(out, estimator_type::type_name());
  }

  /// Reads what save() wrote; anything that does not fit this type is an error naming its path.
  void load(const io::json_node& node) {
    const auto saved_width = node.object_member("width");
    if (saved_width.as_integer<std::size_t>() != width)
      saved_width.fail(fmt::format("{} (this pipeline type's transformed width)", width));
    training_range_.reset();
    if (const auto range = node.find("training_range")) {
      feature_range r;
      const auto read = [&](const char* key, row& into) {
        const auto values = range->object_member(key);
        if (values.array_size() != input_width)
          values.fail(fmt::format("{} numbers (one per input feature), got {}", input_width, values.array_size()));
        for (std::size_t c = 0; c < input_width; ++c) into[c] = values.element(c).as_double();
      };
      read("min", r.min);
      read("max", r.max);
      training_range_ = r;
    }
    transforms_.load(node.object_member("transform"));
    estimator_.set_model(linear_fit::load(node, estimator_type::type_name(), width));
    index_model();
  }

 private:
  void require_fitted() const {
    if (!fitted()) throw error("pipeline: not fitted (fit or load it first)");
  }

  // The non-zero coefficients, for prediction.
  void index_model() {
    active_.clear();
    active_coef_.clear();
    const Eigen::VectorXd& coef = estimator_.model().coef;
    for (Eigen::Index j = 0; j < coef.size(); ++j)
      if (coef[j] != 0.0) {
        active_.push_back(static_cast<std::uint32_t>(j));
        active_coef_.push_back(coef[j]);
      }
  }

  transforms_type transforms_;
  estimator_type estimator_;
  std::optional<feature_range> training_range_;
  std::vector<std::uint32_t> active_;
  std::vector<double> active_coef_;
};

}  // namespace layerwatt::model
