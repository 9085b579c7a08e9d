import type { RowSolveProblem } from './cg.solver';

/**
 * Hu-Koren-Volinsky objective Σ_ui c_ui (p_ui - x_uᵀy_i)² + λ(Σ|x_u|² + Σ|y_i|²), divided by the total
 * confidence Σ_ui c_ui (as benfred/implicit reports it) so values are comparable across data sizes.
 *
 * Uses Σ_i (x_uᵀy_i)² = x_uᵀ(YᵀY)x_u so the unobserved cells cost O(f²) per user, not O(items · f).
 * `problem` must describe the user side and `gram` be YᵀY + λI for its current item factors.
 */
export function implicitLoss(
  problem: RowSolveProblem,
  gram: Float64Array,
  numUsers: number,
  numItems: number,
  lambda: number,
): number {
  const { factors: f, indptr, indices, weights, fixed: Y, target: X } = problem;
  const G = gram;
  let loss = 0;
  let totalWeight = 0;
  for (let u = 0; u < numUsers; u++) {
    const xo = u * f;
    // xᵀ(YᵀY + λI)x covers every cell as if unobserved, plus λ|x|².
    for (let a = 0; a < f; a++) {
      let s = 0;
      for (let b = 0; b < f; b++) s += G[a * f + b] * X[xo + b];
      loss += X[xo + a] * s;
    }
    for (let q = indptr[u]; q < indptr[u + 1]; q++) {
      const yo = indices[q] * f;
      let s = 0;
      for (let a = 0; a < f; a++) s += X[xo + a] * Y[yo + a];
      const c = 1 + weights[q];
      loss += c * (1 - s) * (1 - s) - s * s;
      totalWeight += weights[q];
    }
  }
  let itemNorms = 0;
  for (let i = 0; i < numItems * f; i++) itemNorms += Y[i] * Y[i];
  loss += lambda * itemNorms;
  return loss / (numUsers * numItems + totalWeight);
}
