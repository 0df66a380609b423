"""The networks refine a classical result instead of the upsampled MS (issue: generalisation).

Each paper's network ends with a global residual, fused = upsampled MS + body(ms, pan). Trained on
few sensors, that body has to learn detail injection from scratch and does not carry to new sensors.
Here the residual base is an in-graph MTF-GLP (additive, PAN matched per band):

    base[b] = u[b] + (pan - LP(pan)),  LP = interp23tap(decimate(MTF-filter(pan)))

which, on scene-standardised inputs (normalization.py), equals the toolbox's MTF-GLP with the
histogram-matching gain std(MS_b) / std(PAN) once de-normalised. The MTF filter is the toolbox's
41x41 genMTF kernel at the generic Nyquist gain 0.3 (sensor-independent on purpose: the graph must
not need the sensor). The network's own detail, body = net(ms, pan) - u, is added through a per-band
gain initialised to zero, so an untrained model *is* the GLP baseline and training can only start
from there (ReZero-style; the gain gets a larger learning rate, ``GAIN_LR_FACTOR``).

The body keeps each paper's architecture unchanged; this wrapper is listed in the manifests' deviations.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

from ..mtf import KERNEL_SIZE, gen_mtf_kernel
from .common import Interp23Upsample

BASE_MTF_GAIN = 0.3
GAIN_LR_FACTOR = 10.0
RATIO = 4


class PanLowPass(nn.Module):
    """LP(pan): MTF filter (replicated borders), decimation at phase ratio//2, interp23tap back up."""

    def __init__(self):
        super().__init__()
        k = torch.tensor(gen_mtf_kernel(BASE_MTF_GAIN, RATIO), dtype=torch.float32)
        self.register_buffer("kernel", k.view(1, 1, KERNEL_SIZE, KERNEL_SIZE), persistent=False)
        self.up = Interp23Upsample(1)

    def forward(self, pan):
        p = KERNEL_SIZE // 2
        low = F.conv2d(F.pad(pan, (p, p, p, p), mode="replicate"), self.kernel)
        return self.up(low[:, :, RATIO // 2::RATIO, RATIO // 2::RATIO])


class BaselineResidual(nn.Module):
    """fused = GLP base + gain[b] * (net(ms, pan) - u[b]); same signature as the wrapped net."""

    def __init__(self, net: nn.Module, bands: int):
        super().__init__()
        self.net = net
        self.bands = bands
        self.upsample = Interp23Upsample(bands)
        self.pan_lp = PanLowPass()
        self.detail_gain = nn.Parameter(torch.zeros(1, bands, 1, 1))

    def base(self, ms, pan):
        u = self.upsample(ms)
        return u, u + (pan - self.pan_lp(pan))

    def forward(self, ms, pan, return_grad: bool = False):
        u, base = self.base(ms, pan)
        if return_grad:
            out, grad = self.net(ms, pan, return_grad=True)
            return base + self.detail_gain * (out - u), grad
        return base + self.detail_gain * (self.net(ms, pan) - u)

    def param_groups(self, lr: float):
        """Adam groups: the body at ``lr``, the zero-initialised detail gain at GAIN_LR_FACTOR x lr."""
        body = [p for n, p in self.named_parameters() if n != "detail_gain"]
        return [{"params": body, "lr": lr}, {"params": [self.detail_gain], "lr": lr * GAIN_LR_FACTOR}]


def unwrap(net: nn.Module) -> nn.Module:
    """The paper's network inside a BaselineResidual (or the net itself)."""
    return net.net if isinstance(net, BaselineResidual) else net


DEVIATION = ("Residual base: the network refines an in-graph MTF-GLP (upsampled MS + PAN minus its MTF low-pass at the "
             "generic Nyquist gain 0.3, on scene-standardised values) instead of the upsampled MS; the paper's body adds "
             "its detail through a per-band gain initialised to zero, so the untrained model equals that baseline "
             "(models/panforge_models/nets/baseline_residual.py)")
