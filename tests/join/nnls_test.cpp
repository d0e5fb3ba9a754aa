#include "layerwatt/join/nnls.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <Eigen/QR>

#include "support/temp_dir.hpp"

namespace join = layerwatt::join;

namespace nnls_test {

struct problem {
  Eigen::MatrixXd a;
  Eigen::VectorXd y;
  [[nodiscard]] Eigen::MatrixXd gram() const { return a.transpose() * a; }
  [[nodiscard]] Eigen::VectorXd rhs() const { return a.transpose() * y; }
  [[nodiscard]] double objective(const Eigen::VectorXd& x) const { return (a * x - y).squaredNorm(); }
};

problem random_problem(unsigned seed, Eigen::Index rows, Eigen::Index columns) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  problem p{Eigen::MatrixXd(rows, columns), Eigen::VectorXd(rows)};
  for (Eigen::Index i = 0; i < rows; ++i) {
    p.y(i) = normal(rng);
    for (Eigen::Index j = 0; j < columns; ++j) p.a(i, j) = normal(rng) * static_cast<double>(1 + j);  // columns of unlike size
  }
  return p;
}

/// The NNLS solution by trying every set of free variables: the feasible least-squares solution
/// on a set, with the others at 0, whose objective is least.
Eigen::VectorXd brute_force(const problem& p) {
  const Eigen::Index n = p.a.cols();
  Eigen::VectorXd best = Eigen::VectorXd::Zero(n);
  double least = p.objective(best);
  for (unsigned mask = 1; mask < (1u << n); ++mask) {
    std::vector<Eigen::Index> free;
    for (Eigen::Index j = 0; j < n; ++j)
      if (mask & (1u << j)) free.push_back(j);
    Eigen::MatrixXd sub(p.a.rows(), static_cast<Eigen::Index>(free.size()));
    for (std::size_t k = 0; k < free.size(); ++k) sub.col(static_cast<Eigen::Index>(k)) = p.a.col(free[k]);
    const Eigen::VectorXd z = sub.colPivHouseholderQr().solve(p.y);
    if ((z.array() < 0).any()) continue;
    Eigen::VectorXd x = Eigen::VectorXd::Zero(n);
    for (std::size_t k = 0; k < free.size(); ++k) x(free[k]) = z(static_cast<Eigen::Index>(k));
    if (const double f = p.objective(x); f < least) least = f, best = x;
  }
  return best;
}

TEST(Nnls, AnInteriorOptimumIsTheLeastSquaresSolution) {
  problem p = random_problem(1, 30, 5);
  const Eigen::VectorXd truth = (Eigen::VectorXd(5) << 1, 2, 0.5, 3, 0.25).finished();
  p.y = p.a * truth;  // exact: the residual is zero at a positive point
  const auto r = join::solve_nnls(p.gram(), p.rhs());
  EXPECT_LT((r.x - truth).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_EQ(r.solves, 1u);  // the warm start is already the answer
}

TEST(Nnls, EqualsTryingEveryActiveSet) {
  for (unsigned seed = 0; seed < 40; ++seed) {
    const problem p = random_problem(seed, 12, 6);  // noise: about half the constraints bind
    const Eigen::VectorXd expected = brute_force(p);
    const auto r = join::solve_nnls(p.gram(), p.rhs());
    EXPECT_TRUE((r.x.array() >= 0).all()) << seed;
    EXPECT_LT((r.x - expected).cwiseAbs().maxCoeff(), 1e-9) << "seed " << seed << ": " << r.x.transpose() << " vs "
                                                            << expected.transpose();
  }
}

TEST(Nnls, ColumnsOfAllZerosAreLeftAtZero) {
  problem p = random_problem(3, 20, 4);
  p.a.col(2).setZero();
  const auto r = join::solve_nnls(p.gram(), p.rhs());
  EXPECT_EQ(r.x(2), 0.0);
  EXPECT_NEAR(p.objective(r.x), p.objective(brute_force(p)), 1e-9);
}

TEST(Nnls, IdenticalColumnsStillGiveALeastObjective) {
  problem p = random_problem(4, 25, 4);
  p.a.col(3) = p.a.col(1);  // the data cannot tell x1 from x3: only their sum is determined
  p.y = p.a * (Eigen::VectorXd(4) << 1, 2, 3, 2).finished();
  const auto r = join::solve_nnls(p.gram(), p.rhs());
  EXPECT_TRUE(r.x.allFinite());
  EXPECT_TRUE((r.x.array() >= 0).all());
  EXPECT_NEAR(r.x(1) + r.x(3), 4.0, 1e-9);
  EXPECT_NEAR(p.objective(r.x), 0.0, 1e-12);
}

TEST(Nnls, EverythingNegativeGivesZero) {
  const Eigen::MatrixXd g = Eigen::MatrixXd::Identity(3, 3);
  const Eigen::VectorXd c = -Eigen::VectorXd::Ones(3);
  EXPECT_EQ(join::solve_nnls(g, c).x, Eigen::VectorXd::Zero(3));
  EXPECT_EQ(join::solve_nnls(Eigen::MatrixXd(0, 0), Eigen::VectorXd(0)).x.size(), 0);
}

TEST(Nnls, BadInputIsAnError) {
  EXPECT_ERROR_MENTIONS(join::solve_nnls(Eigen::MatrixXd::Identity(3, 3), Eigen::VectorXd::Ones(2)), "3×3", "2");
  Eigen::MatrixXd g = Eigen::MatrixXd::Identity(2, 2);
  g(0, 1) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_ERROR_MENTIONS(join::solve_nnls(g, Eigen::VectorXd::Ones(2)), "not finite");
}

}  // namespace nnls_test
