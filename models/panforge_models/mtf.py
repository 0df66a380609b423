"""Sensor-matched MTF filters and Wald-protocol degradation (pansharpening toolbox conventions).

The construction follows shared/metric-vectors/README.md ("MTF filter / mtf_degrade"): the
toolbox's genMTF 41x41 Gaussian frequency response, Kaiser(41, beta 0.5) window made circular,
not renormalised; filtering is correlation with replicated borders; decimation keeps sample
ratio//2 of each ratio x ratio block. MS Nyquist gains are read from the engine's
main/engine/dsp/sensor-mtf.json (single source of truth, never duplicated here).
"""

import json
from pathlib import Path

import numpy as np

from .paths import repo_root

KERNEL_SIZE = 41
# PAN Nyquist gain. Neither shared/data/README.md nor the metric-vector README specifies the PAN
# convention for Wald degradation; 0.15 is the toolbox's MTF_PAN default (QuickBird / 'none'),
# also the value GGPNet's evaluation hard-codes for every sensor. Overridable per config.
DEFAULT_PAN_GAIN = 0.15


def load_sensor_gains(sensor: str, bands=None, path=None):
    """Nyquist gains of ``sensor`` (name or alias) from sensor-mtf.json, optionally for a
    subset of band names (e.g. ["Blue", "Green", "Red", "NIR1"])."""
    path = Path(path) if path else repo_root() / "main" / "engine" / "dsp" / "sensor-mtf.json"
    table = json.loads(path.read_text())
    for name, entry in table["sensors"].items():
        if sensor == name or sensor in entry.get("aliases", []):
            if bands is None:
                return list(entry["gains"])
            missing = [b for b in bands if b not in entry["bands"]]
            if missing:
                raise ValueError(f"bands {missing} not in {name}'s bands {entry['bands']} ({path})")
            return [entry["gains"][entry["bands"].index(b)] for b in bands]
    raise ValueError(f"sensor {sensor!r} not in {path}; known: {sorted(table['sensors'])}")


def _kaiser_circular(n: int, beta: float = 0.5) -> np.ndarray:
    """MATLAB fwind1's Huang method: a 1-D Kaiser window rotated into a circular 2-D window."""
    w1 = np.kaiser(n, beta)
    t = np.arange(n) - (n - 1) / 2
    t = t * (2.0 / (n - 1))
    r = np.sqrt(t[:, None] ** 2 + t[None, :] ** 2)
    w = np.interp(r.ravel(), t, w1).reshape(n, n)
    w[r > t[-1]] = 0.0
    return w


def gen_mtf_kernel(gain: float, ratio: int = 4, n: int = KERNEL_SIZE) -> np.ndarray:
    """One band's 41x41 MTF-matched FIR (toolbox genMTF), float64, sum ~0.999 (not renormalised)."""
    fcut = 1.0 / ratio
    alpha = np.sqrt(((n - 1) * fcut / 2) ** 2 / (-2 * np.log(gain)))
    x = np.arange(n) - (n - 1) / 2
    g = np.exp(-(x[:, None] ** 2 + x[None, :] ** 2) / (2 * alpha ** 2))
    g[g < np.finfo(float).eps * g.max()] = 0.0
    g = g / g.sum()
    hd = g / g.max()
    h0 = np.real(np.rot90(np.fft.fftshift(np.fft.ifft2(np.fft.ifftshift(hd))), 2))
    return h0 * _kaiser_circular(n)


def mtf_filter(img: np.ndarray, gains, ratio: int = 4) -> np.ndarray:
    """Filter (bands, rows, cols) with each band's kernel: correlation, replicated borders, same size.

    Computed as an FFT product on the edge-padded image, keeping only outputs whose 41x41 support
    lies inside the padding (so no circular wrap reaches them): equal to direct correlation
    within ~1e-14, and ~400x faster than a float64 conv2d on a 1280x768 region.
    """
    img = np.asarray(img, dtype=np.float64)
    if img.shape[0] != len(gains):
        raise ValueError(f"got {img.shape[0]} bands but {len(gains)} MTF gains")
    p = KERNEL_SIZE // 2
    rows, cols = img.shape[1:]
    xp = np.pad(img, ((0, 0), (p, p), (p, p)), mode="edge")
    shape = xp.shape[1:]
    spectrum = np.fft.rfft2(xp)
    out = np.empty_like(img)
    for b, gain in enumerate(gains):
        flipped = gen_mtf_kernel(gain, ratio)[::-1, ::-1]  # correlation = convolution with the flipped kernel
        full = np.fft.irfft2(spectrum[b] * np.fft.rfft2(flipped, s=shape), s=shape)
        out[b] = full[2 * p:2 * p + rows, 2 * p:2 * p + cols]
    return out


def decimate(img: np.ndarray, ratio: int = 4) -> np.ndarray:
    """Keep sample ratio//2 of each ratio x ratio block (the phase interp23tap assumes)."""
    return img[..., ratio // 2::ratio, ratio // 2::ratio]


def mtf_degrade(img: np.ndarray, gains, ratio: int = 4) -> np.ndarray:
    return decimate(mtf_filter(img, gains, ratio), ratio)
