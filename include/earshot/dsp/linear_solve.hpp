#pragma once
// Small dense linear algebra for filter design at prepare() time (not real-time): symmetric positive
// definite solves by Cholesky, used for least-squares and minimum-norm solutions.
#include <cstddef>
#include <vector>

namespace earshot {

/// Row-major dense matrix.
struct Matrix {
    std::size_t rows = 0, cols = 0;
    std::vector<double> data;
    Matrix() = default;
    Matrix(std::size_t r, std::size_t c) : rows(r), cols(c), data(r * c, 0.0) {}
    double& operator()(std::size_t r, std::size_t c) noexcept { return data[r * cols + c]; }
    double operator()(std::size_t r, std::size_t c) const noexcept { return data[r * cols + c]; }
};

/// Solves S X = B in place (B becomes X) for symmetric positive definite S (n x n), B (n x m).
/// A relative ridge (ridge * mean diagonal) is added to S's diagonal first. Throws ConfigError if S
/// is not positive definite even then.
void cholesky_solve(Matrix S, Matrix& B, double ridge = 0.0);

/// Minimum-norm solution X (n x m) of the under-determined A X = B (A: k x n with k <= n, full row
/// rank): X = A^T (A A^T)^-1 B. This is what a least-squares solver returns for such systems.
Matrix min_norm_solve(const Matrix& A, const Matrix& B, double ridge = 1e-12);

}  // namespace earshot
