"""Scene standardisation (issue 11): the training code and the engine apply the same transform, a file's
container does not change what a network sees, the untrained model is its GLP base, and leave-one-sensor-out
really leaves the sensor out."""

import json

import numpy as np
import torch

from panforge_models import normalization as N
from panforge_models.config import load_config
from panforge_models.data import WaldPatches, validation_sets
from panforge_models.train import build_model

from conftest import run_engine_ts


def _scene(seed=0, bands=4, h=12, w=10):
    rng = np.random.default_rng(seed)
    ms = rng.uniform(100, 1500, (bands, h, w)) * rng.uniform(0.5, 2, (bands, 1, 1))
    pan = rng.uniform(50, 2000, (1, 4 * h, 4 * w))
    return ms, pan


def test_round_trip_and_statistics():
    ms, pan = _scene()
    st = N.scene_stats(ms, pan)
    ms_n = N.normalize_ms(ms, st)
    assert np.allclose(ms_n.reshape(4, -1).mean(1), N.CENTRE, atol=1e-6)
    assert np.allclose(ms_n.reshape(4, -1).std(1), N.SPREAD, atol=1e-6)
    assert np.allclose(N.denormalize(ms_n, st), ms, rtol=1e-6)
    pts = N.normalize_pan(pan, st)[..., 2::4, 2::4]  # the PAN statistics are those of the MS pixel centres
    assert abs(pts.mean() - N.CENTRE) < 1e-6 and abs(pts.std() - N.SPREAD) < 1e-6


def test_a_constant_band_gets_unit_deviation():
    ms, pan = _scene()
    ms[2] = 700.0
    st = N.scene_stats(ms, pan)
    assert st["msStd"][2] == 1.0 and np.all(N.normalize_ms(ms, st)[2] == np.float32(N.CENTRE))


def test_the_container_does_not_change_what_the_network_sees():
    ms, pan = _scene(1)
    ms, pan = np.round(ms), np.round(pan)  # 11-bit-like integers
    ref = N.normalize_ms(ms, N.scene_stats(ms, pan)), N.normalize_pan(pan, N.scene_stats(ms, pan))
    for scale in (16.0, 1 / 4000.0, 0.5):
        st = N.scene_stats(ms * scale, pan * scale)
        assert np.abs(N.normalize_ms(ms * scale, st) - ref[0]).max() < 1e-5
        assert np.abs(N.normalize_pan(pan * scale, st) - ref[1]).max() < 1e-5


def test_the_engine_computes_the_same_statistics_and_values():
    ms, pan = _scene(2, bands=3, h=8, w=6)
    st = N.scene_stats(ms, pan)
    out = json.loads(run_engine_ts(f"""
        import {{ sceneNormalization, standardizeMs, standardizePan, destandardize }} from './main/engine/methods/scene-normalization.ts';
        const ms = Float32Array.from({json.dumps(ms.astype(np.float32).ravel().tolist())});
        const pan = Float32Array.from({json.dumps(pan.astype(np.float32).ravel().tolist())});
        const w = 6, h = 8;
        const panPoints = new Float32Array(w * h);
        for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) panPoints[r * w + c] = pan[(4 * r + 2) * 4 * w + 4 * c + 2];
        const norm = sceneNormalization({{ ms: {{ bands: 3, width: w, height: h, data: ms }}, panPoints: {{ bands: 1, width: w, height: h, data: panPoints }} }}, {{ centre: {N.CENTRE}, spread: {N.SPREAD} }});
        const msN = new Float32Array(ms.length); standardizeMs(norm, {{ bands: 3, width: w, height: h, data: ms }}, msN, 0);
        const panN = new Float32Array(pan.length); standardizePan(norm, {{ bands: 1, width: 4 * w, height: 4 * h, data: pan }}, panN, 0);
        const back = destandardize(norm, msN, 0, 3, w * h, 1e9);
        console.log(JSON.stringify({{ norm, msN: Array.from(msN), panN: Array.from(panN), back: Array.from(back) }}));"""))
    f32 = lambda a: np.asarray(a, np.float64)
    ms32, pan32 = ms.astype(np.float32), pan.astype(np.float32)
    st32 = N.scene_stats(ms32, pan32)
    norm = out["norm"]
    assert np.allclose(norm["msMean"], st32["msMean"], rtol=1e-12) and np.allclose(norm["msStd"], st32["msStd"], rtol=1e-12)
    assert np.isclose(norm["panMean"], st32["panMean"], rtol=1e-12) and np.isclose(norm["panStd"], st32["panStd"], rtol=1e-12)
    assert np.abs(f32(out["msN"]) - N.normalize_ms(ms32, st32).ravel()).max() < 1e-6
    assert np.abs(f32(out["panN"]) - N.normalize_pan(pan32, st32).ravel()).max() < 1e-6
    assert np.allclose(f32(out["back"]), ms32.ravel(), rtol=1e-5)
    assert np.allclose(st["msMean"], st32["msMean"], rtol=1e-6)


@torch.no_grad()
def test_the_untrained_model_is_its_glp_base():
    cfg = load_config("configs/premix-4band.yaml")
    net = build_model(cfg).eval()
    ms = N.CENTRE + N.SPREAD * torch.randn(1, 4, 8, 8)
    pan = N.CENTRE + N.SPREAD * torch.randn(1, 1, 32, 32)
    _, base = net.base(ms, pan)
    assert torch.equal(net(ms, pan), base)
    # and the base is the upsampled MS plus the PAN's detail above its MTF low-pass
    u, _ = net.base(ms, pan)
    detail = base - u
    assert torch.allclose(detail[:, 0], detail[:, 3], atol=1e-6) and detail.abs().max() > 0.01


def test_leave_one_sensor_out_leaves_it_out(shared_data):
    cfg = load_config("configs/premix-4band.yaml")
    cfg["data"]["variants"] = 1
    data = WaldPatches(cfg, seed=1, hold_out="IKONOS")
    assert "IKONOS" not in data.sensors and len(data.sensors) == 3
    assert all(r["sensor"] != "IKONOS" for r in data.regions)
    val = validation_sets(cfg, hold_out="IKONOS", crop_ms=32)
    assert [v["sensor"] for v in val] == ["IKONOS"] and val[0]["ref"].shape == (1, 4, 32, 32)  # Wald: the MS crop is the reference
