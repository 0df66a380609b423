"""PreMix (predictive filtering with element-wise feature mixing), from shared/architectures/premix.md.

Cui et al., "Pansharpening via predictive filtering with element-wise feature mixing",
ISPRS J. Photogramm. Remote Sens. 219 (2025) 22-37, doi 10.1016/j.isprsjprs.2024.10.029.

The network the original train.py builds (``PreMixHuge``): 9 units (3 guidance stages x
3 scales) and a global residual, README configuration D=32, k=3, K=3, L=1, EWFM on with the
tanh+relu soft mask. The unused ``postconv`` is not built (count = the note's "used" column).

Deviations (also recorded in the manifests):
- CLAHE guidance (stage B) is replaced by an in-graph local equalisation, ``LocalEqualize``:
  a Gaussian-CDF mapping of each pixel against the mean and standard deviation of its
  33 x 33 neighbourhood, with the standard deviation floored at 0.01 (CLAHE's clip limit
  40 bounds the slope of its mapping to 40, and a normal CDF's slope 1/(sigma sqrt(2 pi)) <= 40
  gives sigma >= 0.01). CLAHE itself cannot live in an ONNX graph and is image-size dependent.
- The LRMS is upsampled in-graph with interp23tap (``Interp23Upsample``) instead of torch
  bicubic, the same in training and inference.
- Guide and feature subsampling use strided slicing (exact for sizes that are multiples of 4,
  the tile multiple), and predictive filtering uses K^2 shifted slices instead of unfold.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .common import Interp23Upsample, avg_pool_same


class RB(nn.Module):
    """conv(no bias) -> ReLU -> conv(no bias), plus identity (or 1x1) skip; no activation after."""

    def __init__(self, cin: int, cout: int, k: int):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, k, padding=k // 2, bias=False)
        self.conv2 = nn.Conv2d(cout, cout, k, padding=k // 2, bias=False)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x):
        s = x if self.skip is None else self.skip(x)
        return self.conv2(F.relu(self.conv1(x))) + s


class Encoder(nn.Module):
    def __init__(self, cin: int, d: int, k: int):
        super().__init__()
        self.conv = nn.Conv2d(cin, d, k, padding=k // 2)
        self.rb = RB(d, d, k)

    def forward(self, x):
        return self.rb(F.relu(self.conv(x)))


class EWFM(nn.Module):
    """Element-wise feature mixing with the tanh+relu soft mask M = tanh(clip(f, 0, 6))."""

    def __init__(self, d: int, k: int):
        super().__init__()
        self.rb = RB(d, d, k)

    def forward(self, a, b):
        mask = torch.tanh(torch.clamp(self.rb(a + b), 0.0, 6.0))
        return (1 - mask) * a + mask * b, (1 - mask) * b + mask * a


class EMix(nn.Module):
    def __init__(self, cm: int, cp: int, d: int, k: int):
        super().__init__()
        self.enc_ms = Encoder(cm, d, k)
        self.enc_pan = Encoder(cp, d, k)
        self.ewfm = EWFM(d, k)

    def forward(self, xm, xp):
        return self.ewfm(self.enc_ms(xm), self.enc_pan(xp))


def predictive_filter(weights: torch.Tensor, target: torch.Tensor, bands: int, k: int) -> torch.Tensor:
    """Per-pixel K x K filtering with raw predicted weights (no softmax), reflect borders.

    weights (N, bands*K^2, H, W), channel c*K^2 + i*K + j = weight of band c at offset
    (i-P, j-P); target (N, bands or 1, H, W) (a 1-band PAN broadcasts over bands).
    Written as K^2 shifted slices, which export to Slice/Mul/Add.
    """
    p = k // 2
    h, w = target.shape[-2], target.shape[-1]
    t = F.pad(target, (p, p, p, p), mode="reflect")
    kk = k * k
    out = None
    for i in range(k):
        for j in range(k):
            term = weights[:, i * k + j::kk] * t[:, :, i:i + h, j:j + w]
            out = term if out is None else out + term
    return out


class LocalEqualize(nn.Module):
    """Exportable stand-in for CLAHE: per channel, 0.5 (1 + erf((x - mu) / (sqrt 2 * max(sd, sd_min))))
    with mu, sd over a ``window`` x ``window`` neighbourhood (box, padding excluded), x clipped to [0, 1]."""

    def __init__(self, window: int = 33, sd_min: float = 0.01):
        super().__init__()
        self.window, self.sd_min = window, sd_min

    def forward(self, x):
        x = torch.clamp(x, 0.0, 1.0)
        # separable box means (1 x w then w x 1): cheaper than a w x w pool, same value
        mu = avg_pool_rows_cols(x, self.window)
        var = torch.clamp(avg_pool_rows_cols(x * x, self.window) - mu * mu, min=0.0)
        sd = torch.clamp(torch.sqrt(var + 1e-12), min=self.sd_min)
        return 0.5 * (1.0 + torch.erf((x - mu) / (sd * math.sqrt(2.0))))


def avg_pool_rows_cols(x, w: int):
    x = F.avg_pool2d(x, (1, w), stride=1, padding=(0, w // 2), count_include_pad=False)
    return F.avg_pool2d(x, (w, 1), stride=1, padding=(w // 2, 0), count_include_pad=False)


class GaussianHighPass(nn.Module):
    """hp(x) = x - Gauss3x3(sigma 1.5)(x), reflect border; the kernel is a fixed buffer."""

    def __init__(self, channels: int):
        super().__init__()
        g = torch.exp(-torch.tensor([-1.0, 0.0, 1.0]) ** 2 / (2 * 1.5 ** 2))
        g = g / g.sum()  # [0.3078, 0.3844, 0.3078]
        # a static (channels, 1, 3, 3) kernel: one built from x.shape at run time does not export
        k = (g[:, None] * g[None, :]).view(1, 1, 3, 3).repeat(channels, 1, 1, 1)
        self.register_buffer("k", k, persistent=False)
        self.channels = channels

    def forward(self, x):
        blur = F.conv2d(F.pad(x, (1, 1, 1, 1), mode="reflect"), self.k, groups=self.channels)
        return x - blur


class PreMixUnit(nn.Module):
    """One unit at feature scale 2^n; filtering always at full resolution."""

    def __init__(self, bands: int, n: int, d: int, k: int, kf: int, layers: int):
        super().__init__()
        self.bands, self.n, self.kf = bands, n, kf
        self.first = EMix(bands, 1, d, k)
        self.extra = nn.ModuleList(EMix(d, d, d, k) for _ in range(layers - 1))
        up = lambda: nn.ConvTranspose2d(d, d, 3, stride=2, padding=1, output_padding=1)
        self.up_ms = nn.Sequential(*[up() for _ in range(n)])
        self.up_pan = nn.Sequential(*[up() for _ in range(n)])
        self.head_ms = nn.Conv2d(d, bands * kf * kf, kf, padding=kf // 2)
        self.head_pan = nn.Conv2d(d, bands * kf * kf, kf, padding=kf // 2)

    def forward(self, guide_ms, guide_pan, target, pan, carried):
        s = 2 ** self.n
        gm, gp = (guide_ms, guide_pan) if s == 1 else (guide_ms[:, :, ::s, ::s], guide_pan[:, :, ::s, ::s])
        a, b = self.first(gm, gp)
        if carried is not None:
            fm, fp = carried
            if s > 1:
                fm, fp = fm[:, :, ::s, ::s], fp[:, :, ::s, ::s]
            a, b = a + fm, b + fp
        for block in self.extra:
            a, b = block(a, b)
        a, b = self.up_ms(a), self.up_pan(b)
        out = (predictive_filter(self.head_ms(a), target, self.bands, self.kf)
               + predictive_filter(self.head_pan(b), pan, self.bands, self.kf))
        return out, (a, b)


class PreMix(nn.Module):
    """PreMixHuge cascade with in-graph MS upsampling and in-graph guidance.

    forward(ms, pan): ms (N, B, h, w), pan (N, 1, 4h, 4w), DN / (2^bits - 1); h, w are
    whole numbers, so PAN sizes are multiples of 4 (needed by the /4 feature scale).
    Returns fused (N, B, 4h, 4w), same scale, unclamped.
    """

    def __init__(self, bands: int = 8, embed_dim: int = 32, kernel_size: int = 3,
                 pf_kernel: int = 3, num_layers: int = 1, eq_window: int = 33, eq_sd_min: float = 0.01):
        super().__init__()
        self.bands = bands
        self.upsample = Interp23Upsample(bands)
        self.highpass_ms = GaussianHighPass(bands)
        self.highpass_pan = GaussianHighPass(1)
        self.equalize = LocalEqualize(eq_window, eq_sd_min)
        # stage A (high-pass guides), B (equalised guides), C (raw guides); scales n = 2, 1, 0
        self.units = nn.ModuleList(
            PreMixUnit(bands, n, embed_dim, kernel_size, pf_kernel, num_layers)
            for _stage in range(3) for n in (2, 1, 0))

    def forward(self, ms, pan):
        u = self.upsample(ms)
        guides = [(self.highpass_ms(u), self.highpass_pan(pan)),
                  (self.equalize(u), self.equalize(pan)),
                  (u, pan)]
        t, carried = u, None
        for idx, unit in enumerate(self.units):
            gm, gp = guides[idx // 3]
            t, carried = unit(gm, gp, t, pan, carried)
        return t + u
