#include "earshot/dsp/linear_solve.hpp"

#include <cmath>

#include "earshot/core/error.hpp"

namespace earshot {

void cholesky_solve(Matrix S, Matrix& B, double ridge) {
    const std::size_t n = S.rows;
    if (ridge > 0) {
        double mean_diag = 0;
        for (std::size_t i = 0; i < n; ++i) mean_diag += S(i, i);
        mean_diag /= static_cast<double>(n);
        for (std::size_t i = 0; i < n; ++i) S(i, i) += ridge * mean_diag;
    }
    // In-place Cholesky: lower triangle of S becomes L with S = L L^T.
    for (std::size_t j = 0; j < n; ++j) {
        double d = S(j, j);
        for (std::size_t k = 0; k < j; ++k) d -= S(j, k) * S(j, k);
        if (!(d > 0)) throw ConfigError("filter design: matrix is not positive definite");
        const double l = std::sqrt(d);
        S(j, j) = l;
        for (std::size_t i = j + 1; i < n; ++i) {
            double s = S(i, j);
            for (std::size_t k = 0; k < j; ++k) s -= S(i, k) * S(j, k);
            S(i, j) = s / l;
        }
    }
    for (std::size_t c = 0; c < B.cols; ++c) {
        for (std::size_t i = 0; i < n; ++i) {  // forward: L y = b
            double s = B(i, c);
            for (std::size_t k = 0; k < i; ++k) s -= S(i, k) * B(k, c);
            B(i, c) = s / S(i, i);
        }
        for (std::size_t ii = n; ii-- > 0;) {  // backward: L^T x = y
            double s = B(ii, c);
            for (std::size_t k = ii + 1; k < n; ++k) s -= S(k, ii) * B(k, c);
            B(ii, c) = s / S(ii, ii);
        }
    }
}

Matrix min_norm_solve(const Matrix& A, const Matrix& B, double ridge) {
    const std::size_t k = A.rows, n = A.cols;
    Matrix G(k, k);  // A A^T
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = 0; j <= i; ++j) {
            double s = 0;
            for (std::size_t c = 0; c < n; ++c) s += A(i, c) * A(j, c);
            G(i, j) = G(j, i) = s;
        }
    Matrix Y = B;
    cholesky_solve(std::move(G), Y, ridge);
    Matrix X(n, B.cols);  // A^T Y
    for (std::size_t c = 0; c < n; ++c)
        for (std::size_t i = 0; i < k; ++i) {
            const double a = A(i, c);
            if (a == 0) continue;
            for (std::size_t m = 0; m < B.cols; ++m) X(c, m) += a * Y(i, m);
        }
    return X;
}

}  // namespace earshot
