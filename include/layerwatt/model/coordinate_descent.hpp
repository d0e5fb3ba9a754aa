#pragma once
// Cyclic coordinate descent for the Lasso in Gram form, making the iterates of
// scikit-learn's enet_coordinate_descent_gram (l1_ratio 1, beta 0) — the same sweeps in the
// same order, the same updates, the same stopping rule — and so, up to rounding, its
// coefficients. Its dense solver (used where n <= p, and for LassoCV's final fit) makes the
// same iterates too: only the arithmetic differs.
//
// The work is not the same. scikit-learn keeps Q·w, all p entries, and updates it for every
// non-zero coordinate it touches: p·|active| per sweep. Here a coordinate's correlation with
// the residual is computed when it is visited, from the non-zero coordinates only (a compact
// copy of Q on them), and a zero coordinate is not visited while a bound proves that a visit
// would leave it at zero:
//
// - Since its last exact computation at w', its correlation has moved by x_iᵀX(w − w'), at
//   most ‖x_i‖·‖X(w − w')‖ (Cauchy–Schwarz): the change of the fitted values, small even when
//   collinear coefficients swing. ‖X(w − w_ref)‖ from a reference point is kept exactly in
//   O(1) per update ("drift"), and the triangle inequality through w_ref bounds the change
//   since each coordinate's check: the coordinate stays zero while drift < its "expiry".
// - Every few sweeps the reference moves to w: expiries are re-based (less the drift), and
//   the coordinates whose expiry is near are recomputed exactly; they form the watch list,
//   checked one by one every sweep, while a single comparison covers all the others. A new
//   penalty on the path changes every slack by the same Δλ.
// - Margins cover rounding (of the correlations, of the running norm, and of Q's own, which
//   may leave it barely indefinite), so a decision within rounding of the threshold is left to
//   an exact visit.
//
// A sweep then costs about |active|² rather than p·|active|: on the reference's degree-3
// pipelines (p = 562, |active| ≈ 20) that is most of the difference.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <limits>
#include <vector>

#include <Eigen/Core>

namespace layerwatt::model {

/// The Lasso in scikit-learn's coordinate-descent scaling (its objective times n):
///   minimise ½·wᵀQw − qᵀw + ½·yᵀy + λ·‖w‖₁   (with w ≥ 0 when positive),
/// Q = XᵀX and q = Xᵀy of the centred design, yᵀy of the centred target, λ = α·n.
struct gram_problem {
  Eigen::MatrixXd gram;  ///< Q: p×p, symmetric
  Eigen::VectorXd xty;   ///< q
  double y_norm2 = 0;    ///< yᵀy
  std::size_t rows = 0;  ///< n, the rows of X behind Q (it bounds Q's rounding)
};

struct cd_settings {
  std::size_t max_iter = 1000;
  double tol = 1e-4;  ///< scikit-learn's tol: on the largest update relative to the largest |w|,
                      ///< and, times yᵀy, on the duality gap
  bool positive = false;
};

struct cd_result {
  double gap = 0;        ///< duality gap at the last check (scikit-learn's scaling: × n)
  double tolerance = 0;  ///< tol · yᵀy: the gap it had to get under
  std::size_t epochs = 0;
  [[nodiscard]] bool converged() const noexcept { return gap < tolerance; }
};

/// Solves one gram_problem for a sequence of penalties (warm starts along a path). The problem
/// must outlive the solver. Not thread-safe; use one solver per thread.
class coordinate_descent {
 public:
  explicit coordinate_descent(const gram_problem& problem)
      : problem_(&problem),
        row_max_(problem.gram.cwiseAbs().colwise().maxCoeff().transpose()),
        // 1/‖x_i‖, and 0 for a zero column (never visited) to keep the arithmetic finite
        inverse_norm_(problem.gram.diagonal().unaryExpr([](double q) { return q > 0 ? 1 / std::sqrt(q) : 0.0; })),
        // ‖Q − XᵀX‖₂ <= (n + p)·ε·trace bounds the indefiniteness rounding may have given Q.
        gram_error_(4 * epsilon * static_cast<double>(problem.rows + problem.gram.rows()) *
                    problem.gram.diagonal().cwiseAbs().sum()) {}

  /// Minimises for penalty `lambda` (= α·n) starting from `w`, which receives the solution.
  /// Consecutive calls continuing from the previous result (a path) reuse what was proven.
  cd_result solve(double lambda, Eigen::VectorXd& w, const cd_settings& settings) {
    const bool continues =
        w_ == &w && positive_ == settings.positive && last_w_.size() == w.size() && w == last_w_;
    const double slack_change = lambda - lambda_;
    lambda_ = lambda;
    positive_ = settings.positive;
    w_ = &w;
    if (continues) {
      move_reference(slack_change);
    } else {
      start_afresh();
    }

    const double tolerance = settings.tol * problem_->y_norm2;
    cd_result result{tolerance + 1.0, tolerance, settings.max_iter};
    for (std::size_t epoch = 0; epoch < settings.max_iter; ++epoch) {
      w_max_ = 0;
      dw_max_ = 0;
      const double before = drift_;
      const bool full = sweep();
      drift_per_sweep_ = std::max(drift_per_sweep_ * 0.9, drift_ - before);
      if (full || drift_ > refresh_sweeps * drift_per_sweep_) move_reference(0);
      if (w_max_ == 0.0 || dw_max_ / w_max_ < settings.tol || epoch + 1 == settings.max_iter) {
        result.gap = duality_gap();
        if (result.converged()) {
          result.epochs = epoch + 1;
          break;
        }
      }
    }
    last_w_ = w;
    return result;
  }

 private:
  static constexpr double epsilon = std::numeric_limits<double>::epsilon();
  static constexpr double margin_ratio = 1e-12;
  static constexpr double never = -std::numeric_limits<double>::infinity();
  static constexpr double watch_sweeps = 32;   // watch what may expire within this many sweeps
  static constexpr double refresh_sweeps = 8;  // move the reference after about this many

  // One cyclic pass over the non-zero coordinates and the watched zero ones whose bound has
  // run out. While the drift stays below every unwatched coordinate's expiry that is all; from
  // the first update that crosses one, every coordinate is considered for the rest of the
  // pass. Returns whether that happened.
  bool sweep() {
    const Eigen::Index p = problem_->xty.size();
    Eigen::Index resume = 0;
    if (drift_ < min_unwatched_) {
      if (order_stale_) {  // visits below may change active_ and watch_: order_ is this sweep's
        order_.clear();
        std::set_union(active_.begin(), active_.end(), watch_.begin(), watch_.end(), std::back_inserter(order_));
        order_stale_ = false;
      }
      resume = p;
      for (const Eigen::Index i : order_) {
        if ((*w_)[i] == 0.0 && drift_ < expiry_[i]) continue;
        visit(i);
        if (drift_ >= min_unwatched_) {
          resume = i + 1;
          break;
        }
      }
      if (resume == p) return false;
    }
    const auto& q_diag = problem_->gram.diagonal();
    for (Eigen::Index i = resume; i < p; ++i) {
      if (q_diag[i] == 0.0) continue;  // a zero column: scikit-learn skips it too
      if ((*w_)[i] == 0.0 && drift_ < expiry_[i]) continue;
      visit(i);
    }
    return true;
  }

  // scikit-learn's coordinate update: soft-threshold the correlation of coordinate i with the
  // residual of all the others.
  void visit(Eigen::Index i) {
    const int k = slot_[static_cast<std::size_t>(i)];
    const double rest = k >= 0 ? active_others(static_cast<std::size_t>(k)) : zero_others(i);
    const double tmp = problem_->xty[i] - rest;

    double& wi = (*w_)[i];
    const double old = wi, q_ii = problem_->gram(i, i);
    wi = positive_ && tmp < 0 ? 0.0 : std::copysign(1.0, tmp) * std::max(std::abs(tmp) - lambda_, 0.0) / q_ii;
    if (tmp == 0.0) wi = 0.0;  // scikit-learn's sign(0) is 0

    const double delta = wi - old;
    dw_max_ = std::max(dw_max_, std::abs(delta));
    w_max_ = std::max(w_max_, std::abs(wi));
    if (delta != 0.0) track_drift(i, old, rest + q_ii * old);

    if (wi != 0.0) {
      if (k >= 0)
        active_w_[static_cast<std::size_t>(k)] = wi;
      else
        insert_active(i, wi);
    } else {
      if (k >= 0) erase_active(static_cast<std::size_t>(k));
      set_expiry(i, tmp);
      classify(i);
    }
  }

  void insert_active(Eigen::Index i, double value) {
    const auto at = std::lower_bound(active_.begin(), active_.end(), i);
    const auto position = at - active_.begin();
    active_.insert(at, i);
    active_w_.insert(active_w_.begin() + position, value);
    for (auto k = static_cast<std::size_t>(position); k < active_.size(); ++k)
      slot_[static_cast<std::size_t>(active_[k])] = static_cast<int>(k);
    block_stale_ = order_stale_ = true;
  }

  void erase_active(std::size_t position) {
    slot_[static_cast<std::size_t>(active_[position])] = -1;
    active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(position));
    active_w_.erase(active_w_.begin() + static_cast<std::ptrdiff_t>(position));
    for (std::size_t k = position; k < active_.size(); ++k)
      slot_[static_cast<std::size_t>(active_[k])] = static_cast<int>(k);
    block_stale_ = order_stale_ = true;
  }

  // ‖X(w − w_ref)‖² grows by 2δ·x_iᵀX(w − w_ref) + δ²·Q_ii when w_i moves by δ from `old`;
  // `qw_i` is (Qw)_i before the move. drift_ bounds its square root, rounding included.
  void track_drift(Eigen::Index i, double old, double qw_i) {
    const double wi = (*w_)[i], delta = wi - old;
    const double q_ii = problem_->gram(i, i), qw_ref_i = reference_qw(i);
    const double step = 2 * delta * (qw_i - qw_ref_i) + delta * delta * q_ii;
    drift2_ += step;
    drift2_error_ += 8 * epsilon *
                     (std::abs(drift2_) + std::abs(step) +
                      2 * std::abs(delta) * (row_max_[i] * l1_ + std::abs(qw_i) + std::abs(qw_ref_i)));
    const double from = old - w_ref_[i], to = wi - w_ref_[i];
    shift2_ += to * to - from * from;
    l1_ += std::abs(wi) - std::abs(old);
    drift_ = std::sqrt(std::max(0.0, drift2_ + drift2_error_ + gram_error_ * std::max(0.0, shift2_)));
  }

  // Σ_k Q_ik·w_k over the non-zero coordinates, for a zero coordinate i.
  [[nodiscard]] double zero_others(Eigen::Index i) const noexcept {
    return gather_dot(problem_->gram.col(i).data(), active_, active_w_);
  }

  // Σ_{j≠i} Q_ij·w_j for the non-zero coordinate i at position k of active_, from a compact
  // copy of Q on the non-zero coordinates with a zero diagonal (the own term drops out exactly).
  [[nodiscard]] double active_others(std::size_t k) {
    const std::size_t m = active_.size();
    if (block_stale_) {
      block_.resize(m * m);
      for (std::size_t c = 0; c < m; ++c) {
        const double* q_col = problem_->gram.col(active_[c]).data();
        for (std::size_t r = 0; r < m; ++r) block_[c * m + r] = r == c ? 0.0 : q_col[active_[r]];
      }
      block_stale_ = false;
    }
    using vector_map = Eigen::Map<const Eigen::VectorXd>;
    const auto size = static_cast<Eigen::Index>(m);
    return vector_map(block_.data() + k * m, size).dot(vector_map(active_w_.data(), size));
  }

  static double gather_dot(const double* q_col, const std::vector<Eigen::Index>& index,
                           const std::vector<double>& value) noexcept {
    double s0 = 0, s1 = 0;
    std::size_t k = 0;
    const std::size_t m = index.size();
    for (; k + 2 <= m; k += 2) {
      s0 += q_col[index[k]] * value[k];
      s1 += q_col[index[k + 1]] * value[k + 1];
    }
    if (k < m) s0 += q_col[index[k]] * value[k];
    return s0 + s1;
  }

  // (Q·w_ref)_i, computed when first needed after the reference moved.
  double reference_qw(Eigen::Index i) {
    if (!qw_ref_known_[static_cast<std::size_t>(i)]) {
      qw_ref_[i] = gather_dot(problem_->gram.col(i).data(), ref_active_, ref_w_);
      qw_ref_known_[static_cast<std::size_t>(i)] = 1;
    }
    return qw_ref_[i];
  }

  // The drift up to which zero coordinate i provably stays zero, given its correlation `tmp`
  // now: that moves by at most ‖x_i‖·(drift now + drift later).
  void set_expiry(Eigen::Index i, double tmp) {
    const double slack = lambda_ - (positive_ ? tmp : std::abs(tmp));
    const double margin = margin_ratio * (std::abs(problem_->xty[i]) + row_max_[i] * l1_);
    expiry_[i] = slack > margin ? (slack - margin) * inverse_norm_[i] - drift_ : never;
  }

  // Zero coordinate i joins the watch list if its expiry is near, else bounds the full pass.
  void classify(Eigen::Index i) {
    if (expiry_[i] >= drift_ + watch_sweeps * drift_per_sweep_) {
      min_unwatched_ = std::min(min_unwatched_, expiry_[i]);
    } else if (const auto at = std::lower_bound(watch_.begin(), watch_.end(), i); at == watch_.end() || *at != i) {
      watch_.insert(at, i);
      order_stale_ = true;
    }
  }

  // Makes w the reference point (drift 0). Every zero coordinate's expiry is re-based — less
  // the old drift, plus a new penalty's change of slack over the column's norm — and those near
  // or past expiry are recomputed exactly.
  void move_reference(double slack_change) {
    // All entries at once (those of non-zero coordinates and zero columns mean nothing).
    expiry_.array() += slack_change * inverse_norm_.array() - drift_;
    set_reference();
    const auto& q_diag = problem_->gram.diagonal();
    const double near = watch_sweeps * drift_per_sweep_;
    double least = std::numeric_limits<double>::infinity();
    for (Eigen::Index i = 0; i < expiry_.size(); ++i) {
      if ((*w_)[i] != 0.0 || q_diag[i] == 0.0) continue;
      if (expiry_[i] < near) {
        set_expiry(i, problem_->xty[i] - reference_qw(i));
        if (expiry_[i] < near) {
          watch_.push_back(i);  // ascending
          continue;
        }
      }
      least = std::min(least, expiry_[i]);
    }
    min_unwatched_ = least;
  }

  // Every zero coordinate computed exactly (the first solve, or w not from the last one).
  void start_afresh() {
    const Eigen::Index p = problem_->xty.size();
    active_.clear();
    active_w_.clear();
    slot_.assign(static_cast<std::size_t>(p), -1);
    for (Eigen::Index i = 0; i < p; ++i)
      if ((*w_)[i] != 0.0) {
        slot_[static_cast<std::size_t>(i)] = static_cast<int>(active_.size());
        active_.push_back(i);
        active_w_.push_back((*w_)[i]);
      }
    block_stale_ = true;
    expiry_.resize(p);
    set_reference();
    const auto& q_diag = problem_->gram.diagonal();
    for (Eigen::Index i = 0; i < expiry_.size(); ++i)
      if ((*w_)[i] == 0.0 && q_diag[i] != 0.0) {
        set_expiry(i, problem_->xty[i] - reference_qw(i));
        classify(i);
      }
  }

  void set_reference() {
    const auto p = static_cast<std::size_t>(problem_->xty.size());
    ref_active_ = active_;
    ref_w_ = active_w_;
    w_ref_ = *w_;
    qw_ref_.resize(problem_->xty.size());
    qw_ref_known_.assign(p, 0);
    l1_ = 0;
    for (const double v : active_w_) l1_ += std::abs(v);
    drift_ = drift2_ = drift2_error_ = shift2_ = 0;
    watch_.clear();
    order_stale_ = true;
    min_unwatched_ = std::numeric_limits<double>::infinity();
  }

  // scikit-learn's duality gap in Gram form. It needs Q·w on the non-zero coordinates, and of
  // max_i |q_i − (Qw)_i| only whether it exceeds λ and then its value: zero coordinates whose
  // bound holds are below λ, so only the others are computed.
  [[nodiscard]] double duality_gap() {
    const auto& q = problem_->xty;
    double q_dot_w = 0, w_dot_qw = 0, l1 = 0, dual_norm = 0;
    auto consider = [&](double xta) { dual_norm = std::max(dual_norm, positive_ ? xta : std::abs(xta)); };
    for (std::size_t k = 0; k < active_.size(); ++k) {
      const Eigen::Index i = active_[k];
      const double qw = active_others(k) + problem_->gram(i, i) * active_w_[k];
      q_dot_w += active_w_[k] * q[i];
      w_dot_qw += active_w_[k] * qw;
      l1 += std::abs(active_w_[k]);
      consider(q[i] - qw);
    }
    auto check = [&](Eigen::Index i) {
      if ((*w_)[i] != 0.0 || problem_->gram(i, i) == 0.0 || drift_ < expiry_[i]) return;
      const double tmp = q[i] - zero_others(i);
      consider(tmp);
      set_expiry(i, tmp);
      classify(i);
    };
    if (drift_ < min_unwatched_) {
      checked_ = watch_;  // classify() may insert into watch_
      for (const Eigen::Index i : checked_) check(i);
    } else {
      for (Eigen::Index i = 0; i < q.size(); ++i) check(i);
    }
    const double y_norm2 = problem_->y_norm2;
    const double r_norm2 = y_norm2 + w_dot_qw - 2.0 * q_dot_w;
    double gap = r_norm2, c = 1.0;
    if (dual_norm > lambda_) {
      c = lambda_ / dual_norm;
      gap = 0.5 * (r_norm2 + r_norm2 * (c * c));
    }
    return gap + (lambda_ * l1 - c * y_norm2 + c * q_dot_w);
  }

  const gram_problem* problem_;
  Eigen::VectorXd row_max_;       // max_k |Q_ik|
  Eigen::VectorXd inverse_norm_;  // 1 / ‖x_i‖ = 1 / sqrt(Q_ii)
  double gram_error_;

  Eigen::VectorXd* w_ = nullptr;
  Eigen::VectorXd last_w_;            // what the last solve returned
  std::vector<Eigen::Index> active_;  // the non-zero coordinates, ascending
  std::vector<double> active_w_;      // their values
  std::vector<int> slot_;             // per coordinate: its place in active_, or -1
  std::vector<double> block_;         // Q on them, column-major, zero diagonal (when not stale)
  bool block_stale_ = true;
  std::vector<Eigen::Index> watch_;  // zero coordinates checked every sweep, ascending
  std::vector<Eigen::Index> order_;  // active_ ∪ watch_ (when not stale)
  bool order_stale_ = true;
  std::vector<Eigen::Index> checked_;  // duality_gap()'s copy of watch_
  Eigen::VectorXd expiry_;             // per zero coordinate: the drift it is safe below

  std::vector<Eigen::Index> ref_active_;  // the reference point's non-zero coordinates
  std::vector<double> ref_w_;             // and values
  Eigen::VectorXd w_ref_, qw_ref_;        // the reference point; Q·w_ref where known
  std::vector<char> qw_ref_known_;

  double lambda_ = 0, l1_ = 0, w_max_ = 0, dw_max_ = 0;
  double drift_ = 0;         // bound of ‖X(w − w_ref)‖
  double drift2_ = 0;        // ‖X(w − w_ref)‖² as tracked
  double drift2_error_ = 0;  // bound of its rounding
  double shift2_ = 0;        // ‖w − w_ref‖²
  double min_unwatched_ = 0, drift_per_sweep_ = 0;
  bool positive_ = false;
};

}  // namespace layerwatt::model
