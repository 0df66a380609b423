"""Cost, receptive-field and tiling measurements of a network (used by export.py).

All functions take a network in eval mode with the ONNX signature net(ms, pan) -> fused.
"""

import numpy as np
import torch
import torch.nn as nn

from .nets import GGPNet, PreMix

RATIO = 4


def count_parameters(net: nn.Module) -> int:
    return int(sum(p.numel() for p in net.parameters()))


@torch.no_grad()
def macs_per_pan_pixel(net: nn.Module, bands: int, attention_width_px: int = 512) -> dict:
    """Multiply-adds per output PAN pixel of the learnable Conv2d / ConvTranspose2d layers, plus
    the matmuls of GGPNet's row attention (2 C W per pixel per iteration, at W =
    ``attention_width_px``) and PreMix's per-pixel filtering (2 B K^2 per unit). Fixed
    convolutions (upsampler, Haar, patches, blur) and element-wise ops are not counted."""
    total = {"conv": 0}

    def hook(mod, inp, out):
        if isinstance(mod, nn.ConvTranspose2d):
            k = mod.kernel_size[0] * mod.kernel_size[1]
            total["conv"] += inp[0].numel() * (mod.out_channels // mod.groups) * k
        else:
            k = mod.kernel_size[0] * mod.kernel_size[1]
            total["conv"] += out.numel() * (mod.in_channels // mod.groups) * k

    handles = [m.register_forward_hook(hook) for m in net.modules()
               if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    h = w = 16
    net(torch.rand(1, bands, h, w), torch.rand(1, 1, RATIO * h, RATIO * w))
    for hd in handles:
        hd.remove()
    px = (RATIO * h) * (RATIO * w)
    out = {"convPerPanPixel": int(round(total["conv"] / px)), "extraPerPanPixel": 0, "note": ""}
    if isinstance(net, GGPNet):
        c = net.raise_pan_dim[0].out_channels
        out["extraPerPanPixel"] = 2 * c * attention_width_px * net.iterations
        out["note"] = (f"includes row attention (QK^T and AV) at tile width {attention_width_px} px: "
                       f"{2 * c * net.iterations} x W per pixel")
    elif isinstance(net, PreMix):
        k = net.units[0].kf
        out["extraPerPanPixel"] = len(net.units) * 2 * bands * k * k
        out["note"] = "includes per-pixel predictive filtering (2 B K^2 per unit)"
    out["total"] = out["convPerPanPixel"] + out["extraPerPanPixel"]
    return out


@torch.no_grad()
def effective_receptive_field(net: nn.Module, ms: torch.Tensor, pan: torch.Tensor, rel_threshold: float = 1e-4):
    """Radius in PAN px beyond which a single-pixel perturbation (of PAN, or of one LR MS pixel
    whose 4x4 PAN footprint is the reference) changes the output by <= rel_threshold of the
    peak change. ms (1, B, h, w), pan (1, 1, 4h, 4w) real data; the perturbation sits at the centre."""
    base = net(ms, pan)
    h, w = ms.shape[-2:]
    ci, cj = h // 2, w // 2
    radii = {}
    pan2 = pan.clone()
    py, px = RATIO * ci + 1, RATIO * cj + 1
    pan2[..., py, px] += 0.1
    d = (net(ms, pan2) - base).abs().amax(1)[0].numpy()
    ys, xs = np.nonzero(d > rel_threshold * d.max())
    radii["pan"] = int(max(np.abs(ys - py).max(), np.abs(xs - px).max()))
    ms2 = ms.clone()
    ms2[..., ci, cj] += 0.1
    d = (net(ms2, pan) - base).abs().amax(1)[0].numpy()
    ys, xs = np.nonzero(d > rel_threshold * d.max())
    y0, x0 = RATIO * ci, RATIO * cj  # footprint rows/cols y0..y0+3
    dy = np.maximum(np.maximum(y0 - ys, ys - (y0 + RATIO - 1)), 0)
    dx = np.maximum(np.maximum(x0 - xs, xs - (x0 + RATIO - 1)), 0)
    radii["ms"] = int(max(dy.max(), dx.max()))
    limit = min(RATIO * ci, RATIO * (h - ci) - RATIO)
    return {"radiusPx": max(radii.values()), "panRadiusPx": radii["pan"], "msRadiusPx": radii["ms"],
            "relThreshold": rel_threshold, "measureWindowPanPx": [int(RATIO * h), int(RATIO * w)],
            "hitsWindowEdge": max(radii.values()) >= limit - 1}


@torch.no_grad()
def tiled_forward(net, ms, pan, core_px: int, overlap_px: int):
    """Run ``net`` tile by tile as the engine does: cores of core_px PAN px on a grid, each read
    with overlap_px of margin (clipped at the image edge), output cropped back to the core."""
    H, W = pan.shape[-2:]
    out = torch.zeros(ms.shape[0], ms.shape[1], H, W)
    for y0 in range(0, H, core_px):
        for x0 in range(0, W, core_px):
            y1, x1 = min(y0 + core_px, H), min(x0 + core_px, W)
            ry0, rx0 = max(0, y0 - overlap_px), max(0, x0 - overlap_px)
            ry1, rx1 = min(H, y1 + overlap_px), min(W, x1 + overlap_px)
            t = net(ms[..., ry0 // RATIO:ry1 // RATIO, rx0 // RATIO:rx1 // RATIO], pan[..., ry0:ry1, rx0:rx1])
            out[..., y0:y1, x0:x1] = t[..., y0 - ry0:y1 - ry0, x0 - rx0:x1 - rx0]
    return out


@torch.no_grad()
def seam_check(net, ms, pan, core_px: int, candidates, max_rel: float = 0.005):
    """Smallest overlap among ``candidates`` whose tiled output differs from the untiled one by
    < max_rel of the untiled output's data range (max - min), on real data.

    Tries the largest candidate first (if even that fails, no smaller one is tried), then
    bisects, assuming the difference shrinks as the overlap grows; ``trials`` lists every
    overlap tried, in the order tried."""
    cands = sorted(int(c) for c in candidates)
    full = net(ms, pan)
    rng = float(full.max() - full.min())
    trials = {}

    def passes(ov):
        diff = (tiled_forward(net, ms, pan, core_px, ov) - full).abs()
        rel = float(diff.max()) / rng
        trials[ov] = {"overlapPx": ov, "maxAbsDiff": float(diff.max()), "meanAbsDiff": float(diff.mean()),
                      "maxRelToRange": rel}
        return rel < max_rel

    if not passes(cands[-1]):
        return {"overlapPx": cands[-1], "passed": False, "dataRange": rng, "trials": list(trials.values())}
    lo, hi = 0, len(cands) - 1  # cands[hi] passes; find the first passing index in [lo, hi]
    while lo < hi:
        mid = (lo + hi) // 2
        if passes(cands[mid]):
            hi = mid
        else:
            lo = mid + 1
    return {"overlapPx": cands[hi], "passed": True, "dataRange": rng, "trials": list(trials.values())}
