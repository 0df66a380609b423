"""CI's stand-in for real training: the `smoke` schedule (2 steps on 32 px patches of the shared scenes) on
reduced-width nets, then export to a temp folder with the ONNX Runtime (Node) parity check and the manifest
the engine validates. Real training happens outside CI (configs' cpu/gpu schedules)."""

import json
import numpy as np
import onnx
import pytest

from panforge_models import export as export_mod
from panforge_models.config import load_config
from panforge_models.train import train

from conftest import run_engine_ts

# reduced widths keep the three runs to seconds; the full-width nets are covered by test_nets.py
SMALL = {"ggpnet-wv2": {"channels": 16, "iterations": 2},
         "premix-4band": {"embed_dim": 8},
         "cf2n-wv2": {"channels": 8, "blocks": 1}}

REQUIRED = ["name", "network", "paper", "version", "bands", "bandOrder", "sensors", "ratio", "inputs", "output",
            "valueScale", "tileMultiplePx", "overlapPx", "parameters", "macsPerPanPixel", "opset", "sha256",
            "training", "validation", "deviations", "status"]


@pytest.fixture(scope="module", params=sorted(SMALL))
def exported(request, tmp_path_factory, shared_data):
    name = request.param
    cfg = load_config(f"configs/{name}.yaml")
    cfg["net"] = {**cfg["net"], **SMALL[name]}
    tmp = tmp_path_factory.mktemp(name)
    summary = train(cfg, "smoke", out_dir=tmp / "run", log=lambda *_: None)
    manifest = export_mod.export(cfg, run="smoke", out_dir=tmp / "onnx", seam=False, log=lambda *_: None,
                                 run_folder=tmp / "run", rf_window_ms=16)
    return cfg, summary, manifest, tmp


def test_smoke_training_runs_and_logs(exported):
    cfg, summary, _, tmp = exported
    assert summary["steps"] == 2 and summary["schedule"] == "smoke"
    log = [json.loads(line) for line in (tmp / "run" / "log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in log] == [1, 2] and all(np.isfinite(r["loss"]) for r in log)
    assert np.isfinite(summary["validation"][0]["model"]["SAM_deg"])


def test_export_passes_ort_parity_on_real_and_dynamic_inputs(exported):
    _, _, manifest, tmp = exported
    folder = tmp / "onnx"
    checks = manifest["extra"]["parity"]["checks"]
    assert len(checks) == 2 and all(c["ok"] and c["maxAbsDiff"] <= 1e-4 for c in checks)
    assert checks[1]["outputShape"][0] == 2                     # dynamic batch
    model = onnx.load(str(folder / manifest["onnxFile"]))
    assert model.opset_import[0].version == 17
    dims = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in model.graph.input}
    assert dims["ms"] == ["N", manifest["bands"], "h", "w"] and dims["pan"][:2] == ["N", 1]


def test_manifest_is_complete_and_accepted_by_the_engine(exported):
    cfg, _, manifest, tmp = exported
    folder = tmp / "onnx"
    assert [k for k in REQUIRED if k not in manifest] == []
    assert manifest["bandOrder"] == cfg["bandOrder"] and manifest["ratio"] == 4 and manifest["opset"] == 17
    assert manifest["inputs"]["ms"]["name"] == "ms" and manifest["output"]["name"] == "fused"
    assert manifest["training"]["gitCommit"] and manifest["training"]["config"] == f"configs/{cfg['name']}.yaml"
    assert {"SAM_deg", "ERGAS"} <= set(manifest["validation"]["metrics"])
    assert manifest["overlapPx"] >= 0 and manifest["overlapPx"] % 4 == 0
    path = folder / f"{cfg['name']}.manifest.json"
    out = run_engine_ts(f"""
        import {{ loadManifest, readVerifiedModel }} from './main/engine/infer/manifest.ts';
        const m = loadManifest({json.dumps(str(path))});
        const bytes = readVerifiedModel(m);
        console.log(JSON.stringify({{ name: m.name, bands: m.bands, overlapPx: m.overlapPx, size: bytes.length }}));""")
    parsed = json.loads(out)
    assert parsed["name"] == cfg["name"] and parsed["bands"] == cfg["bands"]
    assert parsed["overlapPx"] == manifest["overlapPx"] and parsed["size"] > 0
