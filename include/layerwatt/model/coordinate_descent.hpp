#pragma once
// Cyclic coordinate descent for the Lasso in Gram form, making the iterates of
// scikit-learn's enet_coordinate_descent_gram (l1_ratio 1, beta 0) — the same sweeps in the
// same order, the same updates, the same stopping rule — and so, up to rounding, its
// coefficients. Its dense solver (used where n <= p, and for LassoCV's final fit) makes the
// same iterates too: only the arithmetic differs.
//
// The work is not the same. scikit-learn keeps Q·w, all p entries, and updates it for every
// non-zero coordinate it touches: p·|active| per sweep. Here a coordinate's correlation with
// the residual is computed when it is visited, from the non-zero coordinates only, and a zero
// coordinate is not visited while a bound proves that a visit would leave it at zero:
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
// The columns of Q that matter — those of the non-zero coordinates, now or at the reference
// point — are copied into "slots" of a panel stored by row, so every correlation is a short
// contiguous dot product over the slots and the working set fits in cache. A sweep then costs
// about |active|² rather than p·|active|: on the reference's degree-3 pipelines (p = 562,
// |active| ≈ 20) that is most of the difference.

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
        diagonal_(problem.gram.diagonal()),
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
      const double before = drift();
      const bool full = sweep();
      const double after = drift();
      drift_per_sweep_ = std::max(drift_per_sweep_ * 0.9, after - before);
      if (full || after > refresh_sweeps * drift_per_sweep_) move_reference(0);
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
  static constexpr double watch_sweeps = 32;    // watch what may expire within this many sweeps
  static constexpr double refresh_sweeps = 16;  // move the reference after about this many
  static constexpr int no_slot = -1;
  static constexpr double not_zero = std::numeric_limits<double>::infinity();  // the expiry of a non-zero
                                                                               // coordinate or zero column

  // One cyclic pass over the non-zero coordinates and the watched zero ones whose bound has
  // run out. While the drift stays below every unwatched coordinate's expiry that is all; from
  // the first update that crosses one, every coordinate is considered for the rest of the
  // pass. Returns whether that happened.
  bool sweep() {
    const Eigen::Index p = problem_->xty.size();
    Eigen::Index resume = 0;
    if (drift_below(min_unwatched_)) {
      if (order_stale_) {  // visits below may change active_ and watch_: order_ is this sweep's
        order_.clear();
        std::set_union(active_.begin(), active_.end(), watch_.begin(), watch_.end(), std::back_inserter(order_));
        order_stale_ = false;
      }
      resume = p;
      for (const Eigen::Index i : order_) {
        if ((*w_)[i] == 0.0 && drift_below(expiry_[i])) continue;
        visit(i);
        if (!drift_below(min_unwatched_)) {
          resume = i + 1;
          break;
        }
      }
      if (resume == p) return false;
    }
    const auto& q_diag = diagonal_;
    for (Eigen::Index i = resume; i < p; ++i) {
      if (q_diag[i] == 0.0) continue;  // a zero column: scikit-learn skips it too
      if ((*w_)[i] == 0.0 && drift_below(expiry_[i])) continue;
      visit(i);
    }
    return true;
  }

  // scikit-learn's coordinate update: soft-threshold the correlation of coordinate i with the
  // residual of all the others.
  void visit(Eigen::Index i) {
    const double rest = others(i);
    const double tmp = problem_->xty[i] - rest;

    double& wi = (*w_)[i];
    const double old = wi, q_ii = diagonal_[i];
    wi = positive_ && tmp < 0 ? 0.0 : std::copysign(1.0, tmp) * std::max(std::abs(tmp) - lambda_, 0.0) / q_ii;
    if (tmp == 0.0) wi = 0.0;  // scikit-learn's sign(0) is 0

    const double delta = wi - old;
    dw_max_ = std::max(dw_max_, std::abs(delta));
    w_max_ = std::max(w_max_, std::abs(wi));
    if (delta != 0.0) track_drift(i, old, rest + q_ii * old);

    if (wi != 0.0) {
      int s = slot_of_[static_cast<std::size_t>(i)];
      if (old == 0.0) {
        active_.insert(std::lower_bound(active_.begin(), active_.end(), i), i);
        expiry_[i] = not_zero;
        order_stale_ = true;
        if (s == no_slot) s = new_slot(i);
      }
      slot_w_[static_cast<std::size_t>(s)] = wi;
    } else {
      if (old != 0.0) {
        active_.erase(std::lower_bound(active_.begin(), active_.end(), i));
        slot_w_[static_cast<std::size_t>(slot_of_[static_cast<std::size_t>(i)])] = 0;
        order_stale_ = true;
      }
      set_expiry(i, tmp);
      classify(i);
    }
  }

  // ‖X(w − w_ref)‖² grows by 2δ·x_iᵀX(w − w_ref) + δ²·Q_ii when w_i moves by δ from `old`;
  // `qw_i` is (Qw)_i before the move. drift2_bound_ bounds it, rounding included.
  void track_drift(Eigen::Index i, double old, double qw_i) {
    const double wi = (*w_)[i], delta = wi - old;
    const double q_ii = diagonal_[i], qw_ref_i = reference_qw(i), w_ref_i = reference_w(i);
    const double step = 2 * delta * (qw_i - qw_ref_i) + delta * delta * q_ii;
    drift2_ += step;
    drift2_error_ += 8 * epsilon *
                     (std::abs(drift2_) + std::abs(step) +
                      2 * std::abs(delta) * (row_max_[i] * l1_ + std::abs(qw_i) + std::abs(qw_ref_i)));
    const double from = old - w_ref_i, to = wi - w_ref_i;
    shift2_ += to * to - from * from;
    l1_ += std::abs(wi) - std::abs(old);
    drift2_bound_ = std::max(0.0, drift2_ + drift2_error_ + gram_error_ * std::max(0.0, shift2_));
  }

  // The drift, a bound of ‖X(w − w_ref)‖; and whether it is below x, without the square root
  // (this test runs after every update).
  [[nodiscard]] double drift() const noexcept { return std::sqrt(drift2_bound_); }
  [[nodiscard]] bool drift_below(double x) const noexcept { return x > 0 && drift2_bound_ < x * x; }

  // Σ_{k≠i} Q_ik·w_k: only non-zero coordinates have weight, and they all have slots.
  [[nodiscard]] double others(Eigen::Index i) const noexcept { return panel_dot(i, slot_w_); }

  // (Q·w_ref)_i, computed when first needed after the reference moved.
  double reference_qw(Eigen::Index i) {
    auto& generation = qw_ref_generation_[static_cast<std::size_t>(i)];
    if (generation != generation_) {
      qw_ref_[i] = panel_dot(i, slot_w_ref_) + diagonal_[i] * reference_w(i);
      generation = generation_;
    }
    return qw_ref_[i];
  }

  [[nodiscard]] double reference_w(Eigen::Index i) const noexcept {
    const int s = slot_of_[static_cast<std::size_t>(i)];
    return s == no_slot ? 0.0 : slot_w_ref_[static_cast<std::size_t>(s)];
  }

  // Σ_s panel(i, s)·weights[s]: row i of Q on the slots, the own entry zero.
  [[nodiscard]] double panel_dot(Eigen::Index i, const std::vector<double>& weights) const noexcept {
    using vector_map = Eigen::Map<const Eigen::VectorXd>;
    const auto used = static_cast<Eigen::Index>(slot_coordinate_.size());
    return vector_map(panel_.data() + static_cast<std::size_t>(i) * capacity_, used)
        .dot(vector_map(weights.data(), used));
  }

  // A slot for coordinate i, which has none: column i of Q copied into the panel.
  int new_slot(Eigen::Index i) {
    int& s = slot_of_[static_cast<std::size_t>(i)];
    if (!free_slots_.empty()) {
      s = free_slots_.back();
      free_slots_.pop_back();
    } else {
      if (slot_coordinate_.size() == capacity_) grow_panel();
      s = static_cast<int>(slot_coordinate_.size());
      slot_coordinate_.push_back(no_slot);
      slot_w_.push_back(0);
      slot_w_ref_.push_back(0);
    }
    const auto u = static_cast<std::size_t>(s);
    slot_coordinate_[u] = i;
    slot_w_[u] = slot_w_ref_[u] = 0;
    const double* q_col = problem_->gram.col(i).data();
    for (std::size_t r = 0; r < static_cast<std::size_t>(problem_->gram.rows()); ++r)
      panel_[r * capacity_ + u] = q_col[r];
    panel_[static_cast<std::size_t>(i) * capacity_ + u] = 0;  // the own term is left out
    return s;
  }

  void grow_panel() {
    const std::size_t p = static_cast<std::size_t>(problem_->gram.rows());
    const std::size_t capacity = std::max<std::size_t>(16, 2 * capacity_);
    std::vector<double> wider(p * capacity, 0.0);
    for (std::size_t r = 0; r < p; ++r)
      std::copy_n(panel_.begin() + static_cast<std::ptrdiff_t>(r * capacity_), capacity_,
                  wider.begin() + static_cast<std::ptrdiff_t>(r * capacity));
    panel_.swap(wider);
    capacity_ = capacity;
  }

  // The drift up to which zero coordinate i provably stays zero, given its correlation `tmp`
  // now: that moves by at most ‖x_i‖·(drift now + drift later).
  void set_expiry(Eigen::Index i, double tmp) {
    const double slack = lambda_ - (positive_ ? tmp : std::abs(tmp));
    const double margin = margin_ratio * (std::abs(problem_->xty[i]) + row_max_[i] * l1_);
    expiry_[i] = slack > margin ? (slack - margin) * inverse_norm_[i] - drift() : never;
  }

  // Zero coordinate i joins the watch list if its expiry is near, else bounds the full pass.
  void classify(Eigen::Index i) {
    if (expiry_[i] >= drift() + watch_sweeps * drift_per_sweep_) {
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
    // All at once: non-zero coordinates and zero columns have an infinite expiry, which stays.
    expiry_.array() += slack_change * inverse_norm_.array() - drift();
    set_reference();
    const double near = watch_sweeps * drift_per_sweep_;
    for (Eigen::Index i = 0; i < expiry_.size(); ++i)
      if (expiry_[i] < near) {
        set_expiry(i, problem_->xty[i] - reference_qw(i));
        if (expiry_[i] < near) watch_.push_back(i);  // ascending
      }
    min_unwatched_ = (expiry_.array() < near).select(not_zero, expiry_).minCoeff();
  }

  // Every zero coordinate computed exactly (the first solve, or w not from the last one).
  void start_afresh() {
    const Eigen::Index p = problem_->xty.size();
    slot_of_.assign(static_cast<std::size_t>(p), no_slot);
    slot_coordinate_.clear();
    slot_w_.clear();
    slot_w_ref_.clear();
    free_slots_.clear();
    active_.clear();
    expiry_.setConstant(p, not_zero);
    for (Eigen::Index i = 0; i < p; ++i)
      if ((*w_)[i] != 0.0) {
        active_.push_back(i);
        slot_w_[static_cast<std::size_t>(new_slot(i))] = (*w_)[i];
      }
    qw_ref_.resize(p);
    qw_ref_generation_.assign(static_cast<std::size_t>(p), generation_);
    set_reference();
    const auto& q_diag = diagonal_;
    for (Eigen::Index i = 0; i < p; ++i)
      if ((*w_)[i] == 0.0 && q_diag[i] != 0.0) {
        set_expiry(i, problem_->xty[i] - reference_qw(i));
        classify(i);
      }
  }

  // w becomes the reference point; slots of coordinates zero now and then are freed.
  void set_reference() {
    for (std::size_t s = 0; s < slot_coordinate_.size(); ++s) {
      const Eigen::Index i = slot_coordinate_[s];
      if (i != no_slot && (*w_)[i] == 0.0) {
        slot_of_[static_cast<std::size_t>(i)] = no_slot;
        slot_coordinate_[s] = no_slot;
        free_slots_.push_back(static_cast<int>(s));
      }
    }
    slot_w_ref_ = slot_w_;
    ++generation_;
    l1_ = 0;
    for (const Eigen::Index i : active_) l1_ += std::abs((*w_)[i]);
    drift2_bound_ = drift2_ = drift2_error_ = shift2_ = 0;
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
    for (const Eigen::Index i : active_) {
      const double wi = (*w_)[i], qw = others(i) + diagonal_[i] * wi;
      q_dot_w += wi * q[i];
      w_dot_qw += wi * qw;
      l1 += std::abs(wi);
      consider(q[i] - qw);
    }
    auto check = [&](Eigen::Index i) {
      if ((*w_)[i] != 0.0 || diagonal_[i] == 0.0 || drift_below(expiry_[i])) return;
      const double tmp = q[i] - others(i);
      consider(tmp);
      set_expiry(i, tmp);
      classify(i);
    };
    if (drift_below(min_unwatched_)) {
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
  Eigen::VectorXd diagonal_;      // Q_ii, contiguous
  Eigen::VectorXd row_max_;       // max_k |Q_ik|
  Eigen::VectorXd inverse_norm_;  // 1 / ‖x_i‖ = 1 / sqrt(Q_ii)
  double gram_error_;

  Eigen::VectorXd* w_ = nullptr;
  Eigen::VectorXd last_w_;            // what the last solve returned
  std::vector<Eigen::Index> active_;  // the non-zero coordinates, ascending

  std::vector<double> panel_;                  // p × capacity_, by row: Q on the slots' columns
  std::size_t capacity_ = 0;                   // slots the panel has room for
  std::vector<Eigen::Index> slot_coordinate_;  // per slot: its coordinate, or no_slot if free
  std::vector<int> slot_of_;                   // per coordinate: its slot, or no_slot
  std::vector<int> free_slots_;
  std::vector<double> slot_w_, slot_w_ref_;  // per slot: w and w_ref of its coordinate

  Eigen::VectorXd qw_ref_;  // Q·w_ref, where computed since the reference moved
  std::vector<unsigned> qw_ref_generation_;
  unsigned generation_ = 0;

  Eigen::VectorXd expiry_;           // per zero coordinate: the drift it is safe below
  std::vector<Eigen::Index> watch_;  // zero coordinates whose expiry is near, ascending
  std::vector<Eigen::Index> order_;  // active_ ∪ watch_ (when not stale)
  bool order_stale_ = true;
  std::vector<Eigen::Index> checked_;  // duality_gap()'s copy of watch_

  double lambda_ = 0, l1_ = 0, w_max_ = 0, dw_max_ = 0;
  double drift2_bound_ = 0;  // bound of ‖X(w − w_ref)‖² (its root, "the drift", is taken when needed)
  double drift2_ = 0;        // ‖X(w − w_ref)‖² as tracked
  double drift2_error_ = 0;  // bound of its rounding
  double shift2_ = 0;        // ‖w − w_ref‖²
  double min_unwatched_ = 0, drift_per_sweep_ = 0;
  bool positive_ = false;
};

}  // namespace layerwatt::model
