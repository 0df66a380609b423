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
