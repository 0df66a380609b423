/**
 * @module main/engine/metrics/qnr
 * QNR = (1 − D_λ)^α · (1 − D_s)^β and HQNR = (1 − D_λ,K)^α · (1 − D_s)^β (`HQNR.m`); α = β = 1 by default.
 */

export interface QnrWeights {
  readonly alpha?: number;
  readonly beta?: number;
}

export function qnr(dLambdaValue: number, dSValue: number, weights: QnrWeights = {}): number {
  return (1 - dLambdaValue) ** (weights.alpha ?? 1) * (1 - dSValue) ** (weights.beta ?? 1);
}

/** Same formula with Khan's D_λ,K in place of D_λ. */
export function hqnr(dLambdaKValue: number, dSValue: number, weights: QnrWeights = {}): number {
  return qnr(dLambdaKValue, dSValue, weights);
}
