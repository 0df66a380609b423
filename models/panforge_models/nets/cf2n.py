"""CF2N (cross fusion with fine-grained detail reconstruction): the documented reconstruction.

Liu et al., "A novel cross fusion model with fine-grained detail reconstruction for remote
sensing image pan-sharpening", Geo-spatial Information Science (2024),
doi 10.1080/10095020.2024.2416899.

No official model code exists. This follows section 2 of shared/architectures/cf2n.md, the
**[R]econstruction** (default C=32, k=3, n=3 FSCFM, MDI on, LeakyReLU 0.2): head RBs, FD2R
on a fixed Haar DWT (strided depthwise convs) with AWF fusion per sub-band, MDI high-pass
guidance, and n FSCFM blocks of adaptive convolutions; out = lms + delta. lms is produced
in-graph by ``Interp23Upsample`` (interp23tap, as PanCollection's lms).
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

from .common import Interp23Upsample, avg_pool_same

SLOPE = 0.2


def lrelu(x):
    return F.leaky_relu(x, SLOPE)


def conv3(cin, cout):
    return nn.Conv2d(cin, cout, 3, padding=1)


def conv1(cin, cout):
    return nn.Conv2d(cin, cout, 1)


class ResUnit(nn.Module):
    """conv3 -> LReLU -> conv3, plus skip."""

    def __init__(self, c):
        super().__init__()
        self.conv1, self.conv2 = conv3(c, c), conv3(c, c)

    def forward(self, x):
        return x + self.conv2(lrelu(self.conv1(x)))


class HeadRB(nn.Module):
    def __init__(self, cin, c):
        super().__init__()
        self.conv = conv3(cin, c)
        self.res = ResUnit(c)

    def forward(self, x):
        return self.res(self.conv(x))


class AWF(nn.Module):
    """Adaptive weighted fusion: w a + (1 - w) b ("unique") + 1x1(h) ("complementary"),
    h = LReLU(1x1 [a; b]), w = sigmoid(l_a - l_b) (a 2-way softmax) from a 3x3 (or 1x1) conv."""

    def __init__(self, c, logit_kernel=3):
        super().__init__()
        self.mix = conv1(2 * c, c)
        self.logits = nn.Conv2d(c, 2 * c, logit_kernel, padding=logit_kernel // 2)
        self.comp = conv1(c, c)
        self.c = c

    def forward(self, a, b):
        h = lrelu(self.mix(torch.cat([a, b], 1)))
        lg = self.logits(h)
        w = torch.sigmoid(lg[:, :self.c] - lg[:, self.c:])
        return w * a + (1 - w) * b + self.comp(h)


class AWFVec(nn.Module):
    """AWF on (N, C, 1, 1) descriptors: logits from 1x1 (2C -> 2C), no complementary term."""

    def __init__(self, c):
        super().__init__()
        self.logits = conv1(2 * c, 2 * c)
        self.c = c

    def forward(self, a, b):
        lg = self.logits(torch.cat([a, b], 1))
        w = torch.sigmoid(lg[:, :self.c] - lg[:, self.c:])
        return w * a + (1 - w) * b


class Haar(nn.Module):
    """One-level orthonormal Haar DWT as four fixed stride-2 depthwise convs; the inverse is the
    sum of the matching transposed convs (exact, since the bank is orthonormal)."""

    def __init__(self, c):
        super().__init__()
        bank = 0.5 * torch.tensor([[[1.0, 1.0], [1.0, 1.0]],      # LL
                                   [[-1.0, 1.0], [-1.0, 1.0]],    # HL (horizontal difference)
                                   [[-1.0, -1.0], [1.0, 1.0]],    # LH (vertical difference)
                                   [[1.0, -1.0], [-1.0, 1.0]]])   # HH
        self.c = c
        self.register_buffer("bank", bank.view(4, 1, 1, 2, 2).repeat(1, c, 1, 1, 1), persistent=False)

    def forward(self, x):
        return [F.conv2d(x, self.bank[i], stride=2, groups=self.c) for i in range(4)]

    def inverse(self, bands):
        out = None
        for i, xb in enumerate(bands):
            y = F.conv_transpose2d(xb, self.bank[i], stride=2, groups=self.c)
            out = y if out is None else out + y
        return out


class AdaConv(nn.Module):
    """k x k conv whose taps are modulated per pixel: y = 1x1(C k^2 -> C_out)(patches(x * ks) * ksp).

    Patches come from a fixed one-hot depthwise conv (channel c*k^2 + tap); ``ksp`` has k^2
    channels (shared over channels) or C*k^2 channels (per channel), ``ks`` is (N, C, 1, 1).
    """

    def __init__(self, c, cout, k=3):
        super().__init__()
        self.c, self.k = c, k
        onehot = torch.eye(k * k).view(k * k, 1, k, k).repeat(c, 1, 1, 1)
        self.register_buffer("onehot", onehot, persistent=False)
        self.proj = conv1(c * k * k, cout)

    def forward(self, x, ksp, ks):
        p = F.conv2d(x * ks, self.onehot, padding=self.k // 2, groups=self.c)
        if ksp.shape[1] == self.k * self.k:
            ksp = ksp.repeat(1, self.c, 1, 1)
        return self.proj(p * ksp)


def split_hf_lf(x, k=3):
    lf = avg_pool_same(x, k)
    return torch.cat([x - lf, lf], 1)


class FDA(nn.Module):
    def __init__(self, c, k):
        super().__init__()
        self.res = ResUnit(c)
        self.conv = conv3(2 * c, k * k)

    def forward(self, x):
        return torch.sigmoid(self.conv(split_hf_lf(self.res(x))))


def box_mean(x, window: int):
    """Stride-1 window x window mean, padding excluded, as two 1-D AveragePools (the count of a
    rectangle of valid pixels factorises, so this equals the 2-D box mean at O(window) per pixel)."""
    x = F.avg_pool2d(x, (1, window), stride=1, padding=(0, window // 2), count_include_pad=False)
    return F.avg_pool2d(x, (window, 1), stride=1, padding=(window // 2, 0), count_include_pad=False)


class SDA(nn.Module):
    """Spectral descriptor: means of |HF| and LF of a conv of S, fused by AWFVec.

    ``window=None``: global means over the input (the note's reconstruction), so the output depends
    on the tile. ``window=w`` (odd): means over a w x w neighbourhood of each pixel, the note's
    "large-window average" option, which makes CF2N local and tiling exact. A 65 px window is about
    the 64 px training patch the global mean covered in training; the parameters are the same."""

    def __init__(self, c, window=None):
        super().__init__()
        if window is not None and (window < 3 or window % 2 == 0):
            raise ValueError(f"SDA window must be odd and >= 3, got {window}")
        self.window = window
        self.conv = conv3(c, c)
        self.awf = AWFVec(c)
        self.out = conv1(c, c)

    def forward(self, s):
        t = self.conv(s)
        lf = avg_pool_same(t, 3)
        if self.window is None:
            vh = torch.abs(t - lf).mean(dim=(2, 3), keepdim=True)
            vl = lf.mean(dim=(2, 3), keepdim=True)
        else:
            vh = box_mean(torch.abs(t - lf), self.window)
            vl = box_mean(lf, self.window)
        return torch.sigmoid(self.out(self.awf(vh, vl)))


class FSM(nn.Module):
    def __init__(self, c, k):
        super().__init__()
        self.conv_a, self.conv_b = conv3(c, c), conv3(c, c)
        self.gate = conv1(4 * c, 2 * c)
        self.awf = AWF(c, logit_kernel=1)
        self.out = conv1(c, c * k * k)
        self.c = c

    def forward(self, m):
        a = lrelu(self.conv_a(m))
        b = lrelu(self.conv_b(a))
        g = torch.sigmoid(self.gate(split_hf_lf(torch.cat([a, b], 1))))
        f = self.awf(g[:, :self.c] * a, g[:, self.c:] * b)
        return torch.sigmoid(self.out(f))


class FSCFM(nn.Module):
    def __init__(self, c, k, cout, last, sda_window=None):
        super().__init__()
        self.last = last
        self.fda, self.sda, self.fsm = FDA(c, k), SDA(c, sda_window), FSM(c, k)
        self.ada1 = AdaConv(c, c, k)
        self.ada2 = AdaConv(c, cout, k)

    def forward(self, x, s):
        ks = self.sda(s)
        mid = x + lrelu(self.ada1(x, self.fda(x), ks))
        y = self.ada2(mid, self.fsm(mid), ks)
        return y if self.last else mid + lrelu(y)


class FD2R(nn.Module):
    """Fine-grained detail reconstruction in the Haar domain -> detail map D (B bands) -> X1 (C)."""

    def __init__(self, bands, c):
        super().__init__()
        self.haar = Haar(c)
        self.awf_bands = nn.ModuleList(AWF(c) for _ in range(4))
        self.dir_res = ResUnit(c)
        self.awf_hh = AWF(c)
        self.awf_ll = AWF(c)
        self.to_bands = conv1(c, 3 * c)
        self.to_detail = conv3(c, bands)
        self.encode = conv3(bands, c)
        self.c = c

    def forward(self, fp, fm):
        fb = [awf(p, m) for awf, p, m in zip(self.awf_bands, self.haar(fp), self.haar(fm))]
        f_ll, f_hl, f_lh, f_hh = fb
        z_dir = self.dir_res(f_hl + f_lh)
        z_hf = self.awf_hh(z_dir, f_hh)
        d = self.to_bands(z_hf)
        c = self.c
        ll = self.awf_ll(f_ll, z_hf)
        dfeat = self.haar.inverse([ll, f_hl + d[:, :c], f_lh + d[:, c:2 * c], f_hh + d[:, 2 * c:]])
        return lrelu(self.encode(self.to_detail(dfeat)))


class CF2N(nn.Module):
    """CF2N reconstruction with in-graph MS upsampling.

    forward(ms, pan): ms (N, B, h, w), pan (N, 1, 4h, 4w), DN / (2^bits - 1); PAN sizes must
    be even (Haar), and the tile multiple is 8. Returns fused (N, B, 4h, 4w), unclamped.
    ``sda_window``: None = SDA's global means (tile-dependent), odd w = w x w window means (local).
    """

    def __init__(self, bands: int = 8, channels: int = 32, kernel_size: int = 3, blocks: int = 3,
                 mdi: bool = True, sda_window: int = None):
        super().__init__()
        c, k = channels, kernel_size
        self.sda_window = sda_window
        self.upsample = Interp23Upsample(bands)
        self.head_pan = HeadRB(1, c)
        self.head_ms = HeadRB(bands, c)
        self.fd2r = FD2R(bands, c)
        self.mdi = mdi
        if mdi:
            self.mdi_pan = HeadRB(1, c)
            self.mdi_ms = HeadRB(bands, c)
            self.mdi_awf = AWF(c)
        self.blocks = nn.ModuleList(
            FSCFM(c, k, bands if i == blocks - 1 else c, last=i == blocks - 1, sda_window=sda_window)
            for i in range(blocks))

    def forward(self, ms, pan):
        lms = self.upsample(ms)
        fp, fm = self.head_pan(pan), self.head_ms(lms)
        x = self.fd2r(fp, fm)
        g = None
        if self.mdi:
            g = self.mdi_awf(self.mdi_pan(pan - avg_pool_same(pan, 5)),
                             self.mdi_ms(lms - avg_pool_same(lms, 5)))
        for block in self.blocks:
            if g is not None:
                x = x + g
            x = block(x, fm)
        return lms + x
