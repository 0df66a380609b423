"""Training losses, one per paper.

- GGPNet: -(0.8 SSIM(gt, SR) + 0.2 SSIM(LoG(gt), grad)); PReNet's SSIM (Gaussian 11x11,
  sigma 1.5, depthwise, zero padding 5, C1 = 0.01^2, C2 = 0.03^2, mean over everything);
  LoG = Gaussian 5x5 (sigma 1) then the 4-neighbour Laplacian, reflect-101 borders.
- PreMix, CF2N: mean L1.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


def _gauss1d(size: int, sigma: float) -> torch.Tensor:
    x = torch.arange(size, dtype=torch.float32) - (size - 1) / 2
    g = torch.exp(-x ** 2 / (2 * sigma ** 2))
    return g / g.sum()


class SSIM(nn.Module):
    def __init__(self, window: int = 11, sigma: float = 1.5):
        super().__init__()
        g = _gauss1d(window, sigma)
        self.register_buffer("w", (g[:, None] * g[None, :])[None, None], persistent=False)
        self.pad = window // 2

    def forward(self, a, b):
        c = a.shape[1]
        w = self.w.expand(c, 1, *self.w.shape[-2:])
        conv = lambda x: F.conv2d(x, w, padding=self.pad, groups=c)
        mu_a, mu_b = conv(a), conv(b)
        saa = conv(a * a) - mu_a ** 2
        sbb = conv(b * b) - mu_b ** 2
        sab = conv(a * b) - mu_a * mu_b
        c1, c2 = 0.01 ** 2, 0.03 ** 2
        s = ((2 * mu_a * mu_b + c1) * (2 * sab + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (saa + sbb + c2))
        return s.mean()


class LoG(nn.Module):
    """OpenCV GaussianBlur(5x5, sigma 1) then Laplacian(ksize 1), both BORDER_REFLECT_101."""

    def __init__(self):
        super().__init__()
        g = _gauss1d(5, 1.0)
        self.register_buffer("g", (g[:, None] * g[None, :])[None, None], persistent=False)
        lap = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
        self.register_buffer("lap", lap[None, None], persistent=False)

    def forward(self, x):
        c = x.shape[1]
        x = F.conv2d(F.pad(x, (2, 2, 2, 2), mode="reflect"), self.g.expand(c, 1, 5, 5), groups=c)
        return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="reflect"), self.lap.expand(c, 1, 3, 3), groups=c)


class GGPNetLoss(nn.Module):
    def __init__(self, ssim_weight: float = 0.8, grad_weight: float = 0.2):
        super().__init__()
        self.ssim, self.log = SSIM(), LoG()
        self.ws, self.wg = ssim_weight, grad_weight

    def forward(self, outputs, gt):
        sr, grad = outputs
        with torch.no_grad():
            target_grad = self.log(gt)
        return -(self.ws * self.ssim(gt, sr) + self.wg * self.ssim(target_grad, grad))


class L1Loss(nn.Module):
    def forward(self, outputs, gt):
        return F.l1_loss(outputs, gt)


class SpectralAngleLoss(nn.Module):
    """Mean spectral angle (radians) between fused and reference on the DN scale: both are de-standardised with
    each patch's scene statistics first (an angle on standardised values would not be the SAM users measure).
    sqrt(2 (1 - cos)) is the chord of the angle: equal to it to second order, with a finite gradient at 0."""

    def forward(self, fused_n, ref_n, ms_mean, ms_std):
        from .normalization import CENTRE, SPREAD
        m, s = ms_mean[:, :, None, None], ms_std[:, :, None, None]
        x = m + (fused_n - CENTRE) * s / SPREAD
        y = m + (ref_n - CENTRE) * s / SPREAD
        cos = (x * y).sum(1) / (x.norm(dim=1) * y.norm(dim=1) + 1e-12)
        return torch.sqrt(torch.clamp(2 * (1 - cos), min=0) + 1e-12).mean()


def build_loss(cfg_loss: dict) -> nn.Module:
    kind = cfg_loss["kind"]
    if kind == "ggpnet":
        return GGPNetLoss(cfg_loss.get("ssimWeight", 0.8), cfg_loss.get("gradWeight", 0.2))
    if kind == "l1":
        return L1Loss()
    raise ValueError(f"unknown loss kind {kind!r}; expected 'ggpnet' or 'l1'")


def describe_loss(cfg_loss: dict) -> str:
    if cfg_loss["kind"] == "ggpnet":
        return (f"-({cfg_loss.get('ssimWeight', 0.8)}*SSIM(gt,SR) + {cfg_loss.get('gradWeight', 0.2)}"
                "*SSIM(LoG(gt),grad)), PReNet SSIM (11x11, sigma 1.5)")
    return "mean L1(fused, gt)"


def describe_sam_term(cfg_loss: dict) -> str:
    w = float(cfg_loss.get("samWeight", 0))
    return f" + {w} * mean spectral angle (rad, DN scale)" if w else ""
