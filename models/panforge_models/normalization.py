"""Scene standardisation: the value scale the networks see, whatever the file's container.

A network must see the same numbers whether a scene is 8-bit, 11-bit stored in 16, 16-bit or float
reflectance, so the input is not DN / (2^bits - 1) but each band standardised by the scene's own
statistics:

    ms_n[b] = CENTRE + SPREAD * (ms[b] - mean_ms[b]) / std_ms[b]
    pan_n   = CENTRE + SPREAD * (pan   - mean_pan)   / std_pan
    fused[b] = mean_ms[b] + (fused_n[b] - CENTRE) * std_ms[b] / SPREAD        (the inverse, on the output)

Statistics (float64, population standard deviation) are taken once per scene from the low-resolution
MS (every pixel) and from the PAN *at the MS pixel centres* (PAN sample ``ratio // 2`` of each ratio x
ratio block, the toolbox's decimation phase), so they are what the engine's bounded scene sample
(nearest-neighbour on the MS grid) measures; every tile then uses the same parameters (seam-free).
A band with zero deviation gets std 1 (its values are all equal, so any scale maps them to CENTRE).

CENTRE/SPREAD keep the numbers where the networks' fixed constants expect [0, 1] data (PreMix's
equalisation floors a local deviation at 0.01). The engine's TypeScript twin is
main/engine/methods/scene-normalization.ts; tests check both give the same numbers.
"""

import numpy as np

MODE = "sceneStandardize"
CENTRE = 0.25
SPREAD = 0.1


def scene_stats(ms: np.ndarray, pan: np.ndarray, ratio: int = 4) -> dict:
    """Statistics of one scene: ms (B, h, w) low-resolution MS, pan (1, ratio*h, ratio*w)."""
    ms = np.asarray(ms, dtype=np.float64)
    pan_pts = np.asarray(pan, dtype=np.float64)[..., ratio // 2::ratio, ratio // 2::ratio]
    flat = ms.reshape(ms.shape[0], -1)
    return {"msMean": flat.mean(axis=1), "msStd": _safe_std(flat.std(axis=1)),
            "panMean": float(pan_pts.mean()), "panStd": float(_safe_std(np.array([pan_pts.std()]))[0])}


def _safe_std(std: np.ndarray) -> np.ndarray:
    return np.where(std > 0, std, 1.0)


def normalize_ms(ms, stats):
    """(…, B, h, w) DN -> network scale (float32)."""
    m = stats["msMean"].reshape(-1, 1, 1)
    s = stats["msStd"].reshape(-1, 1, 1)
    return (CENTRE + SPREAD * (np.asarray(ms, np.float64) - m) / s).astype(np.float32)


def normalize_pan(pan, stats):
    return (CENTRE + SPREAD * (np.asarray(pan, np.float64) - stats["panMean"]) / stats["panStd"]).astype(np.float32)


def denormalize(fused_n, stats):
    """Network output (…, B, H, W) -> DN (float64), the inverse of normalize_ms."""
    m = stats["msMean"].reshape(-1, 1, 1)
    s = stats["msStd"].reshape(-1, 1, 1)
    return m + (np.asarray(fused_n, np.float64) - CENTRE) * s / SPREAD


def stats_json(stats) -> dict:
    return {"msMean": [float(x) for x in stats["msMean"]], "msStd": [float(x) for x in stats["msStd"]],
            "panMean": stats["panMean"], "panStd": stats["panStd"]}


def describe() -> dict:
    """The manifest's ``valueScale`` block."""
    return {"mode": MODE, "centre": CENTRE, "spread": SPREAD,
            "statistics": "per scene: mean and population std of each low-resolution MS band (all valid pixels) and "
                          "of the PAN at the MS pixel centres (sample ratio//2 of each ratio x ratio block); std 0 -> 1",
            "forward": "x_n = centre + spread * (x - mean) / std (MS per band, PAN with its own)",
            "inverse": "fused = msMean[b] + (fused_n[b] - centre) * msStd[b] / spread, then clamped to the data range"}
