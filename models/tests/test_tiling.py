"""The tiled-vs-untiled measurement export.py uses to set overlapPx (analysis.seam_check / tiled_forward)."""

import torch
import torch.nn as nn

from panforge_models.analysis import effective_receptive_field, seam_check, tiled_forward
from panforge_models.nets.common import avg_pool_same


class LocalNet(nn.Module):
    """Output depends on PAN within 2 px (a 5x5 box) and on the co-located MS pixel: receptive field 2 px."""

    def forward(self, ms, pan):
        return avg_pool_same(pan, 5) * torch.repeat_interleave(torch.repeat_interleave(ms, 4, 2), 4, 3)


class GlobalNet(nn.Module):
    """Output depends on the whole tile through a global mean (like channel attention / SDA)."""

    def forward(self, ms, pan):
        return (pan - pan.mean(dim=(2, 3), keepdim=True)).expand(-1, ms.shape[1], -1, -1)


def inputs():
    g = torch.Generator().manual_seed(0)
    return torch.rand(1, 3, 16, 16, generator=g), torch.rand(1, 1, 64, 64, generator=g)


def test_local_net_tiles_exactly_once_overlap_covers_its_receptive_field():
    ms, pan = inputs()
    net = LocalNet()
    full = net(ms, pan)
    assert not torch.allclose(tiled_forward(net, ms, pan, core_px=16, overlap_px=0), full)
    assert torch.equal(tiled_forward(net, ms, pan, core_px=16, overlap_px=4), full)
    rf = effective_receptive_field(net, ms, pan, rel_threshold=0.0)
    assert rf["panRadiusPx"] == 2 and rf["msRadiusPx"] == 0


def test_seam_check_picks_the_smallest_passing_overlap():
    ms, pan = inputs()
    res = seam_check(LocalNet(), ms, pan, core_px=16, candidates=[8, 0, 4, 12])
    assert res["passed"] and res["overlapPx"] == 4
    # largest first, then bisection: 12 passes, 4 passes, 0 fails
    assert [t["overlapPx"] for t in res["trials"]] == [12, 4, 0]
    rel = {t["overlapPx"]: t["maxRelToRange"] for t in res["trials"]}
    assert rel[0] >= 0.005 > rel[4]


def test_seam_check_reports_failure_when_no_candidate_is_enough():
    ms, pan = inputs()
    res = seam_check(GlobalNet(), ms, pan, core_px=16, candidates=[0, 4])
    assert not res["passed"] and res["overlapPx"] == 4
    assert [t["overlapPx"] for t in res["trials"]] == [4]     # the largest failed: nothing smaller is tried
    # an overlap as large as the image makes every tile the whole image
    assert seam_check(GlobalNet(), ms, pan, core_px=16, candidates=[64])["passed"]


def test_cf2n_box_mean_is_the_2d_window_mean_with_padding_excluded():
    from panforge_models.nets.cf2n import box_mean
    x = torch.rand(1, 2, 20, 23, generator=torch.Generator().manual_seed(1))
    assert torch.allclose(box_mean(x, 9), avg_pool_same(x, 9), atol=1e-6)


def test_cf2n_with_sda_window_is_local_and_tiles_exactly():
    """Global SDA means make CF2N tile-dependent; window means make it local, so an overlap covering the
    receptive field reproduces the untiled output (up to float rounding)."""
    from panforge_models.nets import CF2N
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(2)
    ms, pan = torch.rand(1, 4, 48, 48, generator=g), torch.rand(1, 1, 192, 192, generator=g)
    global_net, local_net = CF2N(4, channels=8, blocks=2).eval(), CF2N(4, channels=8, blocks=2, sda_window=9).eval()
    local_net.load_state_dict(global_net.state_dict())      # same parameters: the window is not a weight
    with torch.no_grad():
        rf = effective_receptive_field(local_net, ms, pan, rel_threshold=0.0)
        assert not rf["hitsWindowEdge"]
        overlap = -(-rf["radiusPx"] // 8) * 8
        full = local_net(ms, pan)
        local_diff = float((tiled_forward(local_net, ms, pan, core_px=64, overlap_px=overlap) - full).abs().max())
        assert local_diff < 1e-4, local_diff
        g_full = global_net(ms, pan)
        global_diff = float((tiled_forward(global_net, ms, pan, core_px=64, overlap_px=overlap) - g_full).abs().max())
        assert global_diff > 10 * local_diff, (global_diff, local_diff)
