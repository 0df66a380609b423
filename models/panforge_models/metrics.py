"""Python-side reduced-resolution metrics (toolbox definitions, see shared/metric-vectors/README.md).

For tracking training only; the quality table in models/README.md is meant to come from the
engine's TypeScript indices. Arrays are (bands, rows, cols), any common scale.
"""

import numpy as np


def sam_deg(ref: np.ndarray, fused: np.ndarray) -> float:
    """Mean spectral angle in degrees; pixels where |r|^2 |f|^2 == 0 are dropped (SAM.m)."""
    r = ref.reshape(ref.shape[0], -1).astype(np.float64)
    f = fused.reshape(fused.shape[0], -1).astype(np.float64)
    num = (r * f).sum(0)
    den = (r * r).sum(0) * (f * f).sum(0)
    keep = den != 0
    cos = np.clip(num[keep] / np.sqrt(den[keep]), -1, 1)
    return float(np.degrees(np.arccos(cos).mean()))


def ergas(ref: np.ndarray, fused: np.ndarray, ratio: int = 4) -> float:
    """100/ratio * sqrt(mean_b(mse_b / mean(ref_b)^2)) (ERGAS.m)."""
    r = ref.astype(np.float64)
    f = fused.astype(np.float64)
    mse = ((r - f) ** 2).reshape(r.shape[0], -1).mean(1)
    mu = r.reshape(r.shape[0], -1).mean(1)
    return float(100.0 / ratio * np.sqrt(np.mean(mse / mu ** 2)))


def psnr(ref: np.ndarray, fused: np.ndarray, peak: float = 1.0) -> float:
    mse = float(((ref.astype(np.float64) - fused) ** 2).mean())
    return float(10 * np.log10(peak ** 2 / mse))


def all_metrics(ref, fused):
    return {"SAM_deg": sam_deg(ref, fused), "ERGAS": ergas(ref, fused), "PSNR_dB": psnr(ref, fused)}
