"""GGPNet (gradient-guided pansharpening), re-implemented from shared/architectures/ggpnet.md.

Liang et al., "Unlocking spatial textures: Gradient-guided pansharpening for enhancing
multispectral imagery", Neurocomputing (2025) 131607.

Faithful to the note's sections 1-3 and 10, with the export fixes of section 7:
- only modules that affect the output are built: the unused upBlock/downBlock/re_d/c_sab of
  the GCM and SSCAM's discarded second branch (msi_proj2, gamma) are left out, so the count
  is the note's "affect SR" column (816,472 for 4 bands, 823,392 for 8 bands at C=32);
- the gradient kernels are fixed shifted slices, the LSTM state is zeros_like, LN2d is plain
  ops, and the PAN-side key/value projections are hoisted out of the 6-iteration loop
  (Y is the same in every iteration, so this is exact);
- the MS is upsampled inside the module (``Interp23Upsample``), standing in for
  PanCollection's precomputed ``lms`` (also interp23tap).
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

from .common import Interp23Upsample, grad_magnitude


def conv3(cin: int, cout: int) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, 3, padding=1)


class ChannelAttention(nn.Module):
    """CA(C, r): global average pool -> 1x1 C->C//r -> ReLU -> 1x1 -> sigmoid -> scale."""

    def __init__(self, c: int, r: int):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.body = nn.Sequential(nn.Conv2d(c, c // r, 1), nn.ReLU(inplace=True),
                                  nn.Conv2d(c // r, c, 1), nn.Sigmoid())

    def forward(self, x):
        return x * self.body(self.pool(x))


class RCAB(nn.Module):
    def __init__(self, c: int, r: int):
        super().__init__()
        self.body = nn.Sequential(conv3(c, c), nn.LeakyReLU(0.2, inplace=True), conv3(c, c),
                                  ChannelAttention(c, r))

    def forward(self, x):
        return x + self.body(x)


class ResidualGroup(nn.Module):
    """RG(r, n): n RCABs then a 3x3 conv, with a skip over the whole group."""

    def __init__(self, c: int, r: int, n: int):
        super().__init__()
        self.body = nn.Sequential(*[RCAB(c, r) for _ in range(n)], conv3(c, c))

    def forward(self, x):
        return x + self.body(x)


class ResBlock(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self.body = nn.Sequential(conv3(c, c), nn.LeakyReLU(0.2, inplace=True), conv3(c, c))

    def forward(self, x):
        return x + self.body(x)


class LayerNorm2d(nn.Module):
    """Per-pixel layer norm over channels (biased variance, eps 1e-6), affine per channel."""

    def __init__(self, c: int, eps: float = 1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c))
        self.eps = eps

    def forward(self, x):
        mu = x.mean(1, keepdim=True)
        var = (x - mu).pow(2).mean(1, keepdim=True)
        y = (x - mu) / torch.sqrt(var + self.eps)
        return y * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class SSCAM(nn.Module):
    """Row-wise cross attention (first output only): out = M + beta * softmax(Q K^T / sqrt(C)) V.

    Each pixel attends over all columns of its own row. ``pan_kv`` precomputes K and V from
    the PAN feature Y once per forward, since Y does not change across iterations.
    """

    def __init__(self, c: int):
        super().__init__()
        self.scale = c ** -0.5
        self.norm_msi = LayerNorm2d(c)
        self.norm_pan = LayerNorm2d(c)
        self.msi_proj1 = nn.Conv2d(c, c, 1)
        self.pan_proj1 = nn.Conv2d(c, c, 1)
        self.pan_proj2 = nn.Conv2d(c, c, 1)
        self.beta = nn.Parameter(torch.zeros(1, c, 1, 1))

    def pan_kv(self, y):
        k = self.pan_proj1(self.norm_pan(y)).permute(0, 2, 1, 3)  # (B, H, C, W)
        v = self.pan_proj2(y).permute(0, 2, 3, 1)                  # (B, H, W, C)
        return k, v

    def forward(self, m, k, v):
        q = self.msi_proj1(self.norm_msi(m)).permute(0, 2, 3, 1)  # (B, H, W, C)
        attn = torch.softmax(torch.matmul(q, k) * self.scale, dim=-1)  # (B, H, W, W)
        out = torch.matmul(attn, v).permute(0, 3, 1, 2)
        return m + self.beta * out


class GradientFeatureBlock(nn.Module):
    """GFEB (the original's class GCM), used modules only. Returns (Gsr, grad)."""

    def __init__(self, m: int, c: int):
        super().__init__()
        self.c_pan = conv3(1, c)
        self.c_msi = conv3(m, c)
        self.rb_rgbd = ResBlock(c)
        self.rg_d = ResidualGroup(c, 16, 4)
        self.fuse_process = nn.Sequential(nn.Conv2d(2 * c, c, 1), ResidualGroup(c, 8, 4),
                                          ResidualGroup(c, 8, 4), ChannelAttention(c, 4))
        self.c_fuse = conv3(c, c)
        self.re_g = conv3(c, m)
        self.d1 = nn.Sequential(conv3(m, c), ResidualGroup(c, 8, 8))
        self.grad_conv = nn.Sequential(conv3(m, c), nn.LeakyReLU(0.2, inplace=True), conv3(c, c))
        self.grad_rg = nn.Sequential(ResidualGroup(c, 8, 4), ResidualGroup(c, 8, 4))

    def forward(self, lms, pan):
        p2 = self.rb_rgbd(self.c_pan(grad_magnitude(pan)))
        d1 = self.c_msi(grad_magnitude(lms))
        d2 = self.rg_d(d1)
        d3 = d1 + self.fuse_process(torch.cat([p2, d2], 1))
        grad = self.re_g(self.c_fuse(d3))
        gsr = self.grad_rg(self.grad_conv(grad) + self.d1(lms))
        return gsr, grad


class GGPNet(nn.Module):
    """GGPNet with in-graph MS upsampling.

    Parameters
    ----------
    bands : int
        MS band count m (4 or 8).
    channels : int
        Feature width C (kernel_channel; 32 is the training default of the original).
    iterations : int
        Recurrent fusion iterations T (6), weights shared.

    forward(ms, pan): ms (N, m, h, w) low-res MS and pan (N, 1, 4h, 4w), both DN / (2^bits - 1).
    Returns fused (N, m, 4h, 4w) in the same scale (unclamped), or (fused, grad) with
    ``return_grad=True`` (grad = the m-band gradient map supervised by the LoG loss term).
    """

    def __init__(self, bands: int = 8, channels: int = 32, iterations: int = 6):
        super().__init__()
        c, m = channels, bands
        self.bands, self.iterations = bands, iterations
        self.upsample = Interp23Upsample(bands)
        self.ggblock = GradientFeatureBlock(m, c)
        self.raise_pan_dim = nn.Sequential(conv3(1, c), nn.LeakyReLU(0.01))
        self.raise_ms_dim = nn.Sequential(conv3(m, c), nn.LeakyReLU(0.01))
        self.conv0 = nn.Sequential(conv3(2 * c, c), nn.ReLU())
        self.fuse = SSCAM(c)
        self.conv_i = nn.Sequential(conv3(2 * c, c), nn.Sigmoid())
        self.conv_f = nn.Sequential(conv3(2 * c, c), nn.Sigmoid())
        self.conv_g = nn.Sequential(conv3(2 * c, c), nn.Tanh())
        self.conv_o = nn.Sequential(conv3(2 * c, c), nn.Sigmoid())
        self.res_convs = nn.ModuleList(
            nn.Sequential(conv3(c, c), nn.ReLU(), conv3(c, c), nn.ReLU()) for _ in range(5))
        self.conv = nn.Sequential(conv3(c, m))

    def forward(self, ms, pan, return_grad: bool = False):
        lms = self.upsample(ms)
        gsr, grad = self.ggblock(lms, pan)
        y = self.raise_pan_dim(pan)
        k, v = self.fuse.pan_kv(y)
        x = lms
        h = c = None
        for _ in range(self.iterations):
            a = self.raise_ms_dim(x)
            a = self.conv0(torch.cat([a, gsr], 1))
            a = self.fuse(a, k, v)
            a = self.conv0(torch.cat([a, y], 1))
            if h is None:  # ConvLSTM state starts at zero (zeros_like keeps N, H, W dynamic)
                h = torch.zeros_like(a)
                c = torch.zeros_like(a)
            z = torch.cat([a, h], 1)
            i, f, g, o = self.conv_i(z), self.conv_f(z), self.conv_g(z), self.conv_o(z)
            c = f * c + i * g
            h = o * torch.tanh(c)
            r = h
            for block in self.res_convs:
                r = F.relu(block(r) + r)
            x = self.conv(r) + pan  # PAN broadcast over all bands, every iteration
        fused = x + lms
        return (fused, grad) if return_grad else fused
