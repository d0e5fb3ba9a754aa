#pragma once
// Non-negative least squares from the normal equations: given G = AᵀA and c = Aᵀy of a problem
// min ‖Ax − y‖² subject to x ≥ 0, find x. Only G and c are needed, so A can be streamed once
// and never stored (deconvolved.hpp accumulates them over millions of readings).
//
// Lawson and Hanson's active-set method (Solving Least Squares Problems, 1974, ch. 23), started
// from a warm passive set: the unconstrained solution with its non-positive components dropped
// until what is left is positive. When few constraints bind — the common case here: layers draw
// more than idle — that is one or two solves of the full system instead of one per variable.
// The columns are scaled to unit norm first (G's diagonal), which the ill-conditioned systems of
// short adjacent layers need. Subsystems are solved by a pivoting LDLᵀ, which tolerates a
// singular G (columns that never differ): it then returns one of the equally good solutions.
//
// A variable whose column is zero (G_ii = 0) is not determined by the data; it is returned as 0
// and the caller must treat it as unknown. Cost: O(n³) per solve, a few solves for n variables.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <fmt/format.h>

#include "layerwatt/core/error.hpp"

namespace layerwatt::join {

struct nnls_result {
  Eigen::VectorXd x;           ///< the solution, x ≥ 0
  std::size_t solves = 0;      ///< linear systems solved
};

namespace detail {

/// Solves G_PP z_P = c_P for the passive set P; z is 0 elsewhere.
inline void solve_passive(const Eigen::MatrixXd& g, const Eigen::VectorXd& c, const std::vector<char>& passive,
                          std::vector<Eigen::Index>& index, Eigen::VectorXd& z) {
  index.clear();
  for (Eigen::Index i = 0; i < c.size(); ++i)
    if (passive[static_cast<std::size_t>(i)]) index.push_back(i);
  const auto p = static_cast<Eigen::Index>(index.size());
  z.setZero(c.size());
  if (p == 0) return;
  Eigen::MatrixXd sub(p, p);
  Eigen::VectorXd rhs(p);
  for (Eigen::Index j = 0; j < p; ++j) {
    rhs(j) = c(index[static_cast<std::size_t>(j)]);
    for (Eigen::Index i = 0; i < p; ++i) sub(i, j) = g(index[static_cast<std::size_t>(i)], index[static_cast<std::size_t>(j)]);
  }
  const Eigen::VectorXd solved = sub.ldlt().solve(rhs);
  for (Eigen::Index j = 0; j < p; ++j) z(index[static_cast<std::size_t>(j)]) = solved(j);
}

}  // namespace detail

/// Solves min ½xᵀGx − cᵀx subject to x ≥ 0 (the least-squares problem whose normal equations are
/// G x = c). G must be symmetric positive semi-definite and n × n with c of size n; throws
/// layerwatt::error otherwise or for values that are not finite.
inline nnls_result solve_nnls(const Eigen::MatrixXd& gram, const Eigen::VectorXd& rhs) {
  const Eigen::Index n = rhs.size();
  if (gram.rows() != n || gram.cols() != n)
    throw error(fmt::format("non-negative least squares: a {}×{} Gram matrix for {} right-hand sides", gram.rows(),
                            gram.cols(), n));
  if (!gram.allFinite() || !rhs.allFinite())
    throw error("non-negative least squares: the normal equations hold a value that is not finite");

  // Unit-norm columns: u = D x with D = sqrt(diag G), so G' = D⁻¹ G D⁻¹ has a unit diagonal.
  Eigen::VectorXd scale(n);
  for (Eigen::Index i = 0; i < n; ++i) scale(i) = gram(i, i) > 0 ? 1 / std::sqrt(gram(i, i)) : 0;
  const Eigen::MatrixXd g = scale.asDiagonal() * gram * scale.asDiagonal();
  const Eigen::VectorXd c = scale.cwiseProduct(rhs);
  // A gradient this small is zero: the rounding of G'u for |u| up to about |c|.
  const double largest = n > 0 ? c.cwiseAbs().maxCoeff() : 0.0;
  const double tolerance = 1e-11 * std::max(1.0, largest) * static_cast<double>(std::max<Eigen::Index>(n, 1));

  nnls_result result;
  std::vector<char> passive(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) passive[static_cast<std::size_t>(i)] = scale(i) > 0;
  std::vector<Eigen::Index> index;
  Eigen::VectorXd u = Eigen::VectorXd::Zero(n), z;
  const auto solve = [&] {
    detail::solve_passive(g, c, passive, index, z);
    ++result.solves;
  };

  // Warm start: drop the non-positive components of the unconstrained solution until the rest
  // are positive; that is a feasible point with every passive variable positive.
  for (bool dropped = true; dropped;) {
    solve();
    dropped = false;
    for (const Eigen::Index i : index)
      if (!(z(i) > 0)) passive[static_cast<std::size_t>(i)] = 0, dropped = true;
  }
  u = z;

  // Lawson–Hanson: free the variable whose gradient most wants to grow, then step back towards
  // feasibility while the solution of the enlarged set leaves it. The objective falls strictly,
  // so no passive set repeats; the bound on iterations only guards against rounding cycles.
  std::vector<char> refused(static_cast<std::size_t>(n), 0);  // freed, but its solve would not grow it
  for (std::size_t iteration = 0; iteration < 3 * static_cast<std::size_t>(n) + 10; ++iteration) {
    const Eigen::VectorXd gradient = c - g * u;
    Eigen::Index best = -1;
    for (Eigen::Index j = 0; j < n; ++j) {
      const auto k = static_cast<std::size_t>(j);
      if (!passive[k] && !refused[k] && scale(j) > 0 && gradient(j) > tolerance &&
          (best < 0 || gradient(j) > gradient(best)))
        best = j;
    }
    if (best < 0) break;
    passive[static_cast<std::size_t>(best)] = 1;
    solve();
    if (!(z(best) > 0)) {  // rounding: the gradient said grow, the solve says otherwise
      passive[static_cast<std::size_t>(best)] = 0;
      refused[static_cast<std::size_t>(best)] = 1;
      continue;
    }
    std::fill(refused.begin(), refused.end(), 0);
    for (;;) {
      Eigen::Index blocking = -1;
      double step = 1;
      for (const Eigen::Index i : index)
        if (!(z(i) > 0) && u(i) - z(i) > 0 && u(i) / (u(i) - z(i)) < step) {
          step = u(i) / (u(i) - z(i));
          blocking = i;
        }
      if (blocking < 0) {
        u = z;
        break;
      }
      u += step * (z - u);
      u(blocking) = 0;
      for (const Eigen::Index i : index)
        if (!(u(i) > 0)) passive[static_cast<std::size_t>(i)] = 0, u(i) = 0;
      solve();
    }
  }

  result.x = scale.cwiseProduct(u);
  return result;
}

}  // namespace layerwatt::join
