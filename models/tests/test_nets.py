"""Parameter counts against shared/architectures/*.md, shapes, dynamic sizes, and that every parameter matters."""

import pytest
import torch

from panforge_models.config import load_config
from panforge_models.nets import CF2N, GGPNet, PreMix
from panforge_models.train import build_from_config

# The notes' counts for the default configurations (C = 32 / D = 32):
# ggpnet.md section 4, column "that actually affect SR" (GGPNet builds only the modules that affect the output:
# GCM's upBlock/downBlock/re_d/c_sab and SSCAM's discarded msi_proj2/gamma branch are left out);
# premix.md section 4, column "used by forward" (the unused postconv is not built);
# cf2n.md section 2 table, "total (default: n=3, MDI)".
NOTE_COUNTS = {
    ("GGPNet", 4): 816_472, ("GGPNet", 8): 823_392,
    ("PreMix", 4): 864_936, ("PreMix", 8): 1_062_576,
    ("CF2N", 4): 538_787, ("CF2N", 8): 544_555,
}
CONFIGS = ["ggpnet-wv2", "ggpnet-4band", "premix-wv2", "premix-4band", "cf2n-wv2", "cf2n-4band"]


def count(net):
    return sum(p.numel() for p in net.parameters())


@pytest.mark.parametrize("name", CONFIGS)
def test_default_config_matches_the_note_parameter_count(name):
    cfg = load_config(f"configs/{name}.yaml")
    net = build_from_config(cfg)
    expected = NOTE_COUNTS[(cfg["network"], int(cfg["bands"]))]
    # the issue allows 2 %; the re-implementations match the notes exactly, so hold them to that
    assert count(net) == expected, f"{name}: {count(net)} parameters, note says {expected}"


@pytest.mark.parametrize("name", CONFIGS)
@torch.no_grad()
def test_shapes_and_dynamic_batch_and_size(name):
    cfg = load_config(f"configs/{name}.yaml")
    torch.manual_seed(0)
    net = build_from_config(cfg).eval()
    b = int(cfg["bands"])
    # two different non-square sizes and batch sizes through the same module (PAN sides multiples of 8 for CF2N)
    for n, h, w in ((1, 4, 6), (2, 6, 4)):
        ms, pan = torch.rand(n, b, h, w), torch.rand(n, 1, 4 * h, 4 * w)
        out = net(ms, pan)
        assert out.shape == (n, b, 4 * h, 4 * w)
        assert torch.isfinite(out).all()
    # the batch items are independent: item 1 of a batch equals running it alone
    ms, pan = torch.rand(2, b, 4, 4), torch.rand(2, 1, 16, 16)
    assert torch.allclose(net(ms, pan)[1:], net(ms[1:], pan[1:]), atol=1e-5)


@pytest.mark.parametrize("kind,kwargs", [(GGPNet, {"channels": 16, "iterations": 2}), (PreMix, {"embed_dim": 8}),
                                         (CF2N, {"channels": 8})])
def test_every_parameter_affects_the_output(kind, kwargs):
    # what the parameter count claims ("only modules that affect the output"): every parameter is on the path to
    # the output, so backward reaches it (a module built but never called keeps grad None). Zero gradients are
    # allowed: a 1- or 2-channel attention bottleneck can be dead under ReLU for one random input.
    torch.manual_seed(0)
    net = kind(bands=4, **kwargs)
    ms, pan = torch.rand(1, 4, 4, 4), torch.rand(1, 1, 16, 16)
    out = net(ms, pan)
    (out * torch.rand_like(out)).sum().backward()
    unused = [n for n, p in net.named_parameters() if p.grad is None]
    assert unused == []


def test_ggpnet_training_mode_returns_the_gradient_map():
    torch.manual_seed(0)
    net = GGPNet(bands=4, channels=16, iterations=2)
    sr, grad = net(torch.rand(1, 4, 4, 4), torch.rand(1, 1, 16, 16), return_grad=True)
    assert sr.shape == grad.shape == (1, 4, 16, 16)

