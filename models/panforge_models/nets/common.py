"""Fixed (non-learnable) building blocks shared by the three networks.

Everything here is export-friendly: fixed kernels are non-persistent buffers, there is no
data-dependent shape arithmetic, and no op outside plain ONNX opset 17.
"""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# Right half of the pansharpening toolbox's 23-tap interpolation kernel (interp23tap.m),
# centre tap first.
_CDF23_HALF = 2.0 * np.array([0.5, 0.305334091185, 0, -0.072698593239, 0, 0.021809577942, 0,
                              -0.005192756653, 0, 0.000807762146, 0, -0.000060081482])


def interp23_kernel_x4() -> np.ndarray:
    """Composite 1-D kernel of the toolbox's two x2 interp23tap steps (67 taps, float64).

    interp23tap puts LR sample k at 0-based position 2k+1 of the first x2 grid and then
    at 2m of the second, i.e. at 4k+2 of the final grid, filtering with h (23 taps) after
    each insertion. Both steps together equal one zero-insertion by 4 (sample at 4k+2)
    followed by g[d] = sum_j h[j] h[d - 2j], |d| <= 33.
    """
    h = np.concatenate([_CDF23_HALF[:0:-1], _CDF23_HALF])  # 23 taps, index i <-> offset i-11
    g = np.zeros(67)
    for j in range(-11, 12):
        for t in range(-11, 12):  # d - 2j = t
            g[2 * j + t + 33] += h[j + 11] * h[t + 11]
    return g


class Interp23Upsample(nn.Module):
    """x4 upsampling of the low-resolution MS inside the graph (toolbox interp23tap).

    Input ``ms`` (N, B, h, w) -> (N, B, 4h, 4w), same value scale. LR sample k lands at
    PAN position 4k+2, which is the phase of the toolbox's decimation (sample ratio//2 of
    each 4x4 block) used to build the training data.

    Deviation from interp23tap: borders are edge-replicated instead of circular, so that
    tiles do not wrap around. Interior samples (>= 9 LR pixels from the edge) are identical.
    Implemented as edge padding + separable depthwise ConvTranspose (stride 4) + static
    crop, which exports to Pad/ConvTranspose/Slice.
    """

    PAD_LR = 9  # LR pixels of context the 67-tap kernel needs on each side
    RATIO = 4

    def __init__(self, bands: int):
        super().__init__()
        g = torch.tensor(interp23_kernel_x4(), dtype=torch.float32)
        self.bands = bands
        self.register_buffer("k_w", g.view(1, 1, 1, 67).repeat(bands, 1, 1, 1), persistent=False)
        self.register_buffer("k_h", g.view(1, 1, 67, 1).repeat(bands, 1, 1, 1), persistent=False)

    def forward(self, ms: torch.Tensor) -> torch.Tensor:
        p = self.PAD_LR
        x = F.pad(ms, (p, p, p, p), mode="replicate")
        # ConvTranspose (stride 4) puts tap d of LR sample k at output index 4k + 33 + d; the
        # toolbox places sample k at 4k + 2, so the wanted sample n (unpadded) is output index
        # n + 31 + 4p. Output length is 4(L + 2p - 1) + 67 = 4L + 8p + 63: crop 31 + 4p at the
        # start and 32 + 4p at the end (static slices, so h and w stay dynamic in ONNX).
        head, tail = 31 + 4 * p, 32 + 4 * p
        x = F.conv_transpose2d(x, self.k_w, stride=(1, 4), groups=self.bands)
        x = x[..., head:x.shape[-1] - tail]
        x = F.conv_transpose2d(x, self.k_h, stride=(4, 1), groups=self.bands)
        x = x[..., head:x.shape[-2] - tail, :]
        return x


def grad_magnitude(x: torch.Tensor) -> torch.Tensor:
    """GGPNet's fixed gradient map: per channel sqrt(v^2 + h^2 + 1e-6), central differences,
    zero padding 1 (shifted slices, no learnable kernel)."""
    xp = F.pad(x, (1, 1, 1, 1))
    v = xp[:, :, 2:, 1:-1] - xp[:, :, :-2, 1:-1]
    h = xp[:, :, 1:-1, 2:] - xp[:, :, 1:-1, :-2]
    return torch.sqrt(v * v + h * h + 1e-6)


def avg_pool_same(x: torch.Tensor, k: int) -> torch.Tensor:
    """Stride-1 k x k box mean, padding excluded from the count (AveragePool, exportable)."""
    return F.avg_pool2d(x, k, stride=1, padding=k // 2, count_include_pad=False)
