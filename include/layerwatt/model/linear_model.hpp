#pragma once
// What a fitted linear estimator is — y ≈ X·coef + intercept, and the penalty it was fitted
// with — the concept estimators satisfy, and how the fit is saved in a pipeline file.

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include <Eigen/Core>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layerwatt/io/json_document.hpp"
#include "layerwatt/model/coordinate_descent.hpp"
#include "layerwatt/transform/parameters.hpp"
#include "layerwatt/transform/stage.hpp"

namespace layerwatt::model {

/// Whether coefficients are free or constrained to be >= 0 (scikit-learn's `positive`).
enum class coefficient_sign { any, positive };

/// The estimator name's suffix for `sign` ("lasso_cv<positive>").
inline std::string sign_suffix(coefficient_sign sign) {
  return sign == coefficient_sign::positive ? "<positive>" : "";
}

struct linear_fit {
  Eigen::VectorXd coef;  ///< one per transformed feature, in transformed-feature order
  double intercept = 0;
  double alpha = 0;  ///< the L1 penalty of the fit

  [[nodiscard]] bool fitted() const noexcept { return coef.size() > 0; }

  /// Writes "estimator", "alpha", "intercept" and "coef" into a pipeline file's object.
  void save(nlohmann::ordered_json& out, std::string_view estimator) const {
    out["estimator"] = estimator;
    out["alpha"] = alpha;
    out["intercept"] = intercept;
    out["coef"] = transform::parameters_to_json(coef);
  }

  /// Reads what save() wrote for `width` features; a different estimator or count is an error.
  static linear_fit load(const io::json_node& node, std::string_view estimator, std::size_t width) {
    const auto type = node.object_member("estimator");
    if (const auto found = type.as_string(); found != estimator)
      type.fail(fmt::format("\"{}\" (this pipeline type's estimator), got \"{}\"", estimator, found));
    linear_fit out;
    const auto alpha = node.object_member("alpha");
    out.alpha = alpha.as_double();
    if (out.alpha < 0) alpha.fail(fmt::format("a penalty of 0 or more, got {}", out.alpha));
    out.intercept = node.object_member("intercept").as_double();
    out.coef = transform::read_parameters(node, "coef", width);
    // A fit constrained to coefficients >= 0 (scikit-learn's positive=True) never gives another.
    if (estimator.ends_with(sign_suffix(coefficient_sign::positive)))
      for (Eigen::Index i = 0; i < out.coef.size(); ++i)
        if (out.coef[i] < 0)
          node.object_member("coef").element(static_cast<std::size_t>(i)).fail(
              fmt::format("a coefficient of 0 or more (the estimator is \"{}\"), got {}", estimator, out.coef[i]));
    return out;
  }
};

/// What lasso and lasso_cv share: their settings, the fitted model, the last fit's statistics,
/// and the accessors to them.
template <typename Options>
class linear_estimator_base {
 public:
  using options = Options;

  [[nodiscard]] Eigen::VectorXd predict(const Eigen::MatrixXd& x) const {
    return (x * model_.coef).array() + model_.intercept;
  }

  [[nodiscard]] const linear_fit& model() const noexcept { return model_; }
  void set_model(linear_fit fit) { model_ = std::move(fit); }
  [[nodiscard]] const Eigen::VectorXd& coef() const noexcept { return model_.coef; }
  [[nodiscard]] double intercept() const noexcept { return model_.intercept; }
  /// scikit-learn's dual_gap_ (the gap divided by n) and n_iter_ of the last (final) fit.
  [[nodiscard]] double dual_gap() const noexcept { return dual_gap_; }
  [[nodiscard]] std::size_t n_iter() const noexcept { return n_iter_; }
  [[nodiscard]] const options& settings() const noexcept { return options_; }

 protected:
  explicit linear_estimator_base(Options settings) : options_(std::move(settings)) {}

  void finish(linear_fit fit, const cd_result& result, std::size_t rows) {
    model_ = std::move(fit);
    dual_gap_ = result.gap / static_cast<double>(rows);
    n_iter_ = result.epochs;
  }

  Options options_;

 private:
  linear_fit model_;
  double dual_gap_ = 0;
  std::size_t n_iter_ = 0;
};

/// An estimator a pipeline can end with. It promises:
/// - `options`: its runtime settings (E is constructible from them), `type_name()`;
/// - `fit(x, y)`: x is rows × features (column-major), y one target per row; throws
///   layerwatt::error on bad shapes or non-finite values; may report tolerated oddities
///   (non-convergence) through the options' warning sink;
/// - `model()`: the fitted linear_fit (coef empty before fit); `set_model(fit)` installs one
///   read back from a file.
template <typename E>
concept linear_estimator = requires(E& e, const E& c, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                    linear_fit fit) {
  typename E::options;
  requires std::constructible_from<E, typename E::options>;
  { E::type_name() } -> std::convertible_to<std::string>;
  e.fit(x, y);
  { c.model() } -> std::same_as<const linear_fit&>;
  e.set_model(fit);
};

/// Throws unless x and y are a finite design of matching rows.
inline void check_design(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, std::string_view who) {
  if (x.rows() != y.size())
    throw error(fmt::format("{}: {} rows of features but {} targets", who, x.rows(), y.size()));
  if (x.rows() == 0 || x.cols() == 0) throw error(fmt::format("{}: no data to fit", who));
  if (!x.allFinite()) throw error(fmt::format("{}: the features contain a non-finite value", who));
  if (!y.allFinite()) throw error(fmt::format("{}: the targets contain a non-finite value", who));
}

}  // namespace layerwatt::model
