"""Wald-protocol degradation used for training and validation: decimation phase, MTF gains shared with the
engine (main/engine/dsp/sensor-mtf.json), filter equal to the engine's, split disjoint from validation."""

import json
import tempfile
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from panforge_models.config import load_config
from panforge_models.data import MsWindow, WaldPatches, degrade_pair, read_scene, training_windows
from panforge_models.mtf import KERNEL_SIZE, decimate, gen_mtf_kernel, load_sensor_gains, mtf_filter
from panforge_models.paths import repo_root

from conftest import run_engine_ts

SENSOR_TABLE = repo_root() / "main" / "engine" / "dsp" / "sensor-mtf.json"


def test_decimation_keeps_sample_ratio_half_of_each_block():
    x = np.arange(16 * 12, dtype=float).reshape(1, 16, 12)
    d = decimate(x, 4)
    assert d.shape == (1, 4, 3)
    # 0-based rows/cols 2, 6, 10, ... (the phase interp23tap assumes)
    assert np.array_equal(d[0], x[0][2::4, 2::4])
    assert d[0, 1, 2] == x[0, 6, 10]


def test_gains_come_from_the_engines_sensor_table():
    table = json.loads(SENSOR_TABLE.read_text())["sensors"]
    wv2 = table["WorldView-2"]
    assert load_sensor_gains("WorldView-2") == wv2["gains"]
    assert load_sensor_gains("WV2", ["Blue", "Green", "Red", "NIR1"]) == [
        wv2["gains"][wv2["bands"].index(b)] for b in ("Blue", "Green", "Red", "NIR1")]
    assert load_sensor_gains("IKONOS", ["Blue", "Green", "Red", "NIR"]) == table["IKONOS"]["gains"]
    with pytest.raises(ValueError, match="not in WorldView-2"):
        load_sensor_gains("WorldView-2", ["NIR"])
    with pytest.raises(ValueError, match="sensor 'Landsat'"):
        load_sensor_gains("Landsat")


def test_config_scenes_use_their_sensor_gains():
    # each configured source's gains resolve (band names exist for its sensor; an unnamed sensor takes the generic gain)
    from panforge_models.data import GENERIC_MTF_GAIN, _nominal_gains
    for name in ("premix-wv2", "premix-4band"):
        for sc in load_config(f"configs/{name}.yaml")["data"]["scenes"]:
            gains = _nominal_gains(sc)
            assert len(gains) == (8 if sc.get("as8") else len(sc["bands"]))
            if sc.get("as8"):
                continue  # mixed like its bands (data.AS8_MIX)
            if sc.get("mtfSensor", sc["sensor"]) is None:
                assert gains == [GENERIC_MTF_GAIN] * len(sc["bands"])
            else:
                assert gains == load_sensor_gains(sc["sensor"], sc["bands"])


@pytest.mark.parametrize("gain", [0.35, 0.27, 0.15])
def test_kernel_response_at_ms_nyquist_is_near_the_gain(gain):
    k = gen_mtf_kernel(gain)
    spectrum = np.abs(np.fft.fft2(k, s=(400, 400)))
    assert spectrum[0, 0] == pytest.approx(1.0, abs=2e-3)      # DC: unit gain (the toolbox does not renormalise)
    # 0.125 cycles/px = Nyquist of the 4x coarser grid; the Kaiser window lowers the Gaussian's value slightly
    assert spectrum[0, 50] == pytest.approx(gain, abs=0.03)


def test_fft_filter_equals_direct_correlation_with_replicated_borders():
    rng = np.random.default_rng(0)
    img = rng.random((2, 45, 60))
    gains = [0.3, 0.15]
    k = torch.from_numpy(np.stack([gen_mtf_kernel(g) for g in gains])[:, None])
    p = KERNEL_SIZE // 2
    direct = F.conv2d(F.pad(torch.from_numpy(img)[None], (p, p, p, p), mode="replicate"), k, groups=2)[0].numpy()
    assert np.abs(mtf_filter(img, gains) - direct).max() < 1e-12


def test_degradation_matches_the_engines_mtf_degrade(shared_data):
    # the same real crop degraded by the training code and by the engine's mtfDegrade (TypeScript)
    ms, pan = read_scene("wv2_washington", ["Blue", "Green", "Red", "NIR1"], MsWindow(100, 60, 32, 24))
    gains = load_sensor_gains("WorldView-2", ["Blue", "Green", "Red", "NIR1"])
    ms_lr, pan_lr, ref = degrade_pair(ms, pan, gains, 0.15)
    assert ms_lr.shape == (4, 6, 8) and pan_lr.shape == (1, 24, 32) and ref.shape == (4, 24, 32)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "ms.f64"
        ms.astype("<f8").tofile(src)
        out = run_engine_ts(f"""
            import {{ readFileSync }} from 'node:fs';
            import {{ mtfDegrade }} from './main/engine/dsp/mtf-degrade.ts';
            const b = readFileSync({json.dumps(str(src))});
            const data = new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
            const r = mtfDegrade({{ bands: 4, width: 32, height: 24, data }}, {json.dumps(gains)}, 4);
            console.log(JSON.stringify(Array.from(r.data)));""")
    engine = np.array(json.loads(out)).reshape(4, 6, 8)
    assert np.abs(engine - ms_lr).max() < 1e-6  # float32 rounding of ms_lr is the only difference


def test_training_regions_never_touch_the_validation_window():
    val = MsWindow(192, 192, 128, 128)
    rects = training_windows(320, 320, val)
    covered = np.zeros((320, 320), int)
    for r in rects:
        covered[r.rowOff:r.rowOff + r.height, r.colOff:r.colOff + r.width] += 1
    assert covered.max() == 1                                   # disjoint
    assert covered[192:, 192:].sum() == 0                       # validation pixels excluded
    assert covered.sum() == 320 * 320 - 128 * 128               # everything else used


def test_patches_are_consistent_triples(shared_data):
    cfg = load_config("configs/premix-4band.yaml")
    cfg["data"]["patchPx"] = 32
    cfg["data"]["variants"] = 2
    ms, pan, ref = WaldPatches(cfg, seed=1).batch(3)
    assert ms.shape == (3, 4, 8, 8) and pan.shape == (3, 1, 32, 32) and ref.shape == (3, 4, 32, 32)
    assert ms.dtype == pan.dtype == ref.dtype == np.float32
    # scene-standardised values (centre 0.25, spread 0.1 per scene): a patch stays within a few spreads
    assert -1 < ref.min() and ref.max() < 2 and -1 < pan.min() and pan.max() < 2
    # the low-resolution MS is the blurred decimation of its own reference: far closer to it at the kept samples
    # than to another patch's reference
    own = np.abs(ms - ref[:, :, 2::4, 2::4]).mean()
    other = np.abs(ms - np.roll(ref, 1, axis=0)[:, :, 2::4, 2::4]).mean()
    assert own < 0.5 * other
    # same seed, same patches
    again = WaldPatches(cfg, seed=1).batch(3)  # the randomised degradations are seeded too
    assert all(np.array_equal(a, b) for a, b in zip((ms, pan, ref), again))


def test_shifted_decimation_moves_the_sampling_phase():
    from panforge_models.data import decimate_shifted
    x = np.random.default_rng(3).random((2, 16, 16))
    assert np.array_equal(decimate_shifted(x, [0, 0]), decimate(x))              # nominal phase: sample 2 of 4
    assert np.array_equal(decimate_shifted(x, [1, 1]), x[:, 1::4, 1::4])         # one PAN pixel towards the origin
    assert np.allclose(decimate_shifted(x, [0.5, 0]), 0.5 * (x[:, 1::4, 2::4] + x[:, 2::4, 2::4]))
