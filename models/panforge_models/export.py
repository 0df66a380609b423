"""Export a trained network to ONNX with its manifest and parity fixture, and check ORT parity.

    /usr/bin/python3 -m panforge_models.export --config configs/premix-wv2.yaml --run cpu
    /usr/bin/python3 -m panforge_models.export --config configs/premix-4band.yaml --run loso --hold-out IKONOS \
        --no-seam-check        # -> models/runs/loso-onnx/ikonos/ (leave-one-sensor-out table, not shipped)

Writes models/onnx/<name>.onnx, <name>.manifest.json, <name>.parity.json and <name>.parity.bin.
Fails (exit 1, nothing left half-written) when onnxruntime-node (models/tools/ort-parity.mjs)
differs from PyTorch by more than 1e-4 max abs on the real-data fixture or on a second
dynamic-shape input (N=2, non-square). ``--untrained`` exports seeded random weights so the
engine can integrate before training finishes (the manifest's status says so).
"""

import argparse
import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch

from . import __version__
from .analysis import count_parameters, effective_receptive_field, macs_per_pan_pixel, seam_check
from .config import load_config
from . import normalization
from .data import MsWindow, read_scene, validation_sets
from .nets import CF2N, GGPNet, PreMix
from .nets.baseline_residual import DEVIATION as BASELINE_RESIDUAL_DEVIATION
from .nets.baseline_residual import unwrap
from .train import build_model, git_commit, mean_metrics, run_dir, sensor_slug, validate
from .paths import models_dir, repo_root

OPSET = 17
# overlap of a quick (measured-only) export: above every shipped model's measured receptive field / seam overlap
QUICK_OVERLAP_PX = 96
TOLERANCE = 1e-4
RATIO = 4
PARITY_SCRIPT = models_dir() / "tools" / "ort-parity.mjs"

TILE_MULTIPLE_PX = {GGPNet: 4, PreMix: 4, CF2N: 8}
# nets whose output depends on the tile through global pooling / row attention: overlap is
# measured (seam check); PreMix is purely local: overlap >= its receptive field.
GLOBAL_CONTEXT = {GGPNet: "29 channel-attention global average pools and row-wide attention (SSCAM)",
                  CF2N: "SDA's global means over the tile (3 FSCFM blocks)"}


def global_context(net):
    """What makes ``net``'s output depend on the tile, or None when it is local (CF2N with SDA window means)."""
    net = unwrap(net)
    if isinstance(net, CF2N) and net.sda_window is not None:
        return None
    return GLOBAL_CONTEXT.get(type(net))

COMMON_DEVIATIONS = [
    "MS upsampling is inside the graph: interp23tap (the toolbox 23-tap x4 interpolator, sample k at "
    "PAN position 4k+2) with edge-replicated instead of circular borders, identical in training and inference.",
    "Trained on the shared sensors (WorldView-2, IKONOS, the unnamed 4-band sensor as scenes; WorldView-3 as the "
    "published reduced-resolution patches; 4-band models also on the 8-band sensors' Blue, Green, Red, NIR1) with "
    "randomised Wald degradations (MS Nyquist gains around the sensor's from main/engine/dsp/sensor-mtf.json, PAN "
    "gain 0.08-0.22, per-band gain/offset, noise, 8/11/12/16-bit or float quantisation), not on the paper's datasets.",
    "Values: each scene standardised by its own statistics (valueScale sceneStandardize: per-band mean/std of the MS, "
    "mean/std of the PAN at MS pixel centres) instead of the paper's fixed scale; the engine inverts it on the output "
    "and clamps to the data range. Output is not clamped in the graph.",
    BASELINE_RESIDUAL_DEVIATION,
    "Loss: the paper's loss plus 0.5 x the mean spectral angle (radians) on the de-standardised DN scale.",
]
NET_DEVIATIONS = {
    GGPNet: [
        "Only modules that affect the output are built: GCM's unused upBlock/downBlock/re_d/c_sab and SSCAM's "
        "discarded second branch (msi_proj2, gamma) are omitted (parameters = the note's 'affect SR' count).",
        "Export fixes from the note: gradient maps as fixed shifted slices, LN2d as plain ops, ConvLSTM state "
        "from zeros_like, PAN-side attention key/value hoisted out of the loop (exact).",
        "The original feeds PanCollection's precomputed lms; here interp23tap runs in-graph (same interpolator).",
        "CPU schedule uses lr 5e-4 (paper 1e-4) and 32 px patches, batch 8, a few hundred steps.",
    ],
    PreMix: [
        "CLAHE guidance (stage B) replaced by an in-graph local equalisation: per channel "
        "0.5*(1+erf((clip(x,0,1)-mu)/(sqrt(2)*max(sd,0.01)))) with mu, sd over a 33x33 box window; "
        "sd floor 0.01 mirrors CLAHE clip limit 40 (slope <= 40). CLAHE is not exportable and depends on image size.",
        "LRMS upsampled with in-graph interp23tap instead of torch bicubic.",
        "Guide/feature subsampling by strided slicing, predictive filtering by K^2 shifted slices (exact for "
        "PAN sizes that are multiples of 4).",
        "Unused postconv not built. Trained on 32 px patches (paper: whole 256 px images).",
    ],
    CF2N: [
        "CF2N has no official model code: this is PanForge's documented reconstruction "
        "(shared/architectures/cf2n.md section 2, [R]): C=32, k=3, n=3 FSCFM, MDI on; loss L1 (the paper's "
        "loss is unknown).",
        "SDA's means are taken over a 65x65 PAN-pixel window around each pixel (the note's large-window option) "
        "instead of over the whole tile, so the net is local and tiles join exactly (trained that way).",
        "CPU schedule uses lr 1e-3 (repo 3e-4), batch 8, 32 px patches.",
    ],
}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_fixture(folder: Path, stem: str, ms: np.ndarray, pan: np.ndarray, fused: np.ndarray) -> Path:
    """<stem>.parity.bin (ms, pan, fused as float32 LE, concatenated) + <stem>.parity.json."""
    bin_name = f"{stem}.parity.bin"
    with open(folder / bin_name, "wb") as f:
        for a in (ms, pan, fused):
            f.write(np.ascontiguousarray(a, dtype="<f4").tobytes())
    meta = {"ms": {"shape": list(ms.shape)}, "pan": {"shape": list(pan.shape)},
            "fused": {"shape": list(fused.shape)}, "file": bin_name, "tolerance": TOLERANCE}
    path = folder / f"{stem}.parity.json"
    path.write_text(json.dumps(meta) + "\n")
    return path


def ort_parity(onnx_path: Path, fixture_json: Path) -> dict:
    """Run models/tools/ort-parity.mjs (onnxruntime-node from the repo's node_modules)."""
    proc = subprocess.run(["node", str(PARITY_SCRIPT), str(onnx_path), str(fixture_json)],
                          cwd=repo_root(), capture_output=True, text=True)
    if proc.returncode == 2 or not proc.stdout.strip():
        raise RuntimeError(f"ort-parity.mjs failed on {onnx_path.name}: {proc.stderr.strip() or proc.stdout}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def export_onnx(net, ms: torch.Tensor, pan: torch.Tensor, path: Path):
    torch.onnx.export(
        net, (ms, pan), str(path), opset_version=OPSET, input_names=["ms", "pan"], output_names=["fused"],
        dynamic_axes={"ms": {0: "N", 2: "h", 3: "w"}, "pan": {0: "N", 2: "H", 3: "W"},
                      "fused": {0: "N", 2: "H", 3: "W"}},
        do_constant_folding=True)
    onnx.checker.check_model(onnx.load(str(path)))


def load_network(cfg, run: str, untrained: bool, run_folder: Path = None, hold_out: str = None):
    torch.manual_seed(int(cfg["train"]["seed"]))
    net = build_model(cfg)
    summary = None
    if not untrained:
        rdir = Path(run_folder) if run_folder else run_dir(cfg, run, hold_out)
        ckpt = rdir / "final.pt"
        if not ckpt.is_file():
            raise FileNotFoundError(f"no checkpoint {ckpt}; train first (panforge_models.train --schedule {run}) "
                                    "or pass --untrained")
        net.load_state_dict(torch.load(ckpt, map_location="cpu"))
        summary = json.loads((rdir / "summary.json").read_text())
    return net.eval(), summary


def status_text(summary, metrics, baseline) -> str:
    if summary is None:
        return "untrained: the in-graph GLP base alone (detail gain 0), for engine integration; not a trained model"
    better = [k for k in ("SAM_deg", "ERGAS") if metrics[k] < baseline[k]]
    verdict = ("beats its GLP base on SAM and ERGAS" if len(better) == 2 else
               f"not better than its GLP base on {', '.join(k for k in ('SAM_deg', 'ERGAS') if k not in better)}")
    return (f"short {summary['schedule'].upper()} schedule ({summary['steps']} steps, {summary['wallTimeS']:.0f} s on "
            f"{summary['threads']} CPU thread(s)); Python-side validation SAM {metrics['SAM_deg']:.3f} deg, ERGAS "
            f"{metrics['ERGAS']:.3f} vs GLP base {baseline['SAM_deg']:.3f} / {baseline['ERGAS']:.3f}: {verdict}; "
            "leave-one-sensor-out and engine-side comparison with EXP, GSA and MTF-GLP in models/README.md; GPU schedule pending")


def normalized_pair(ms_np, pan_np):
    """A crop standardised by its own statistics, as the engine standardises a scene: torch (1,B,h,w), (1,1,H,W)."""
    st = normalization.scene_stats(ms_np, pan_np)
    return (torch.from_numpy(normalization.normalize_ms(ms_np, st)[None]),
            torch.from_numpy(normalization.normalize_pan(pan_np, st)[None]))


def export(cfg, run: str = "cpu", untrained: bool = False, out_dir: Path = None, seam: bool = True, log=print,
           run_folder: Path = None, rf_window_ms: int = 64, hold_out: str = None, quick: bool = False):
    """Export one trained run (models/runs/<name>/<run>/, or ``run_folder``) into ``out_dir``
    (default models/onnx); returns the manifest dict. Raises when parity fails.

    Validation uses the run's schedule's validation window when it has one (as train.py does);
    the receptive field is measured on an ``rf_window_ms``-square MS crop at that window."""
    torch.set_num_threads(int(cfg["train"].get("threads", 2)))
    if out_dir is None:
        out_dir = models_dir() / "runs" / "loso-onnx" / sensor_slug(hold_out) if hold_out else models_dir() / "onnx"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name, bands = cfg["name"], int(cfg["bands"])
    net, summary = load_network(cfg, run, untrained, run_folder, hold_out)
    kind = type(unwrap(net))

    # real-data parity crop (full resolution): ms (1,B,16,16), pan (1,1,64,64)
    par = cfg["parity"]
    sc = next(s for s in cfg["data"]["scenes"] if s.get("scene") == par["scene"] and not s.get("as8"))
    ms, pan = normalized_pair(*read_scene(par["scene"], sc["bands"], MsWindow(**par["msWindow"]),
                                          int(cfg.get("bitDepth", 11))))

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        onnx_tmp = tmp / f"{name}.onnx"
        export_onnx(net, ms, pan, onnx_tmp)
        with torch.no_grad():
            fused = net(ms, pan).numpy()
        fixture = write_fixture(tmp, name, ms.numpy(), pan.numpy(), fused)
        checks = [ort_parity(onnx_tmp, fixture)]
        # second input: N=2, non-square, another size (dynamic axes really dynamic)
        g = torch.Generator().manual_seed(0)
        if quick:  # a measured-only export (leave-one-sensor-out): one check on a small real crop is enough
            g = None
        ms2 = normalization.CENTRE + normalization.SPREAD * torch.randn(2, bands, 12, 20, generator=g or torch.Generator())
        pan2 = normalization.CENTRE + normalization.SPREAD * torch.randn(2, 1, 48, 80, generator=g or torch.Generator())
        if g is not None:
            with torch.no_grad():
                fused2 = net(ms2, pan2).numpy()
            dyn_dir = tmp / "dyn"
            dyn_dir.mkdir()
            checks.append(ort_parity(onnx_tmp, write_fixture(dyn_dir, name, ms2.numpy(), pan2.numpy(), fused2)))
        for c in checks:
            log(f"[{name}] ORT parity: max abs diff {c['maxAbsDiff']:.3g} (tolerance {TOLERANCE}) shape {c['outputShape']}")
        if not all(c["ok"] for c in checks):
            raise RuntimeError(f"{name}: onnxruntime differs from PyTorch beyond {TOLERANCE}: {checks}")

        params = count_parameters(net)
        macs = macs_per_pan_pixel(unwrap(net), bands)
        # receptive field on a real crop of the validation region (MS rf_window_ms square; 64 -> 256 PAN px)
        sched = cfg["train"]["schedules"].get(summary["schedule"], {}) if summary else {}
        val_cfg = {**cfg, "data": {**cfg["data"], "validation": sched.get("validation", cfg["data"]["validation"])}}
        val_win = MsWindow(**val_cfg["data"]["validation"])
        rf_ms, rf_pan = normalized_pair(*read_scene(par["scene"], sc["bands"],
                                                    MsWindow(val_win.colOff, val_win.rowOff, rf_window_ms, rf_window_ms)))
        # local nets: exact support (any change at all); global-context nets have unbounded support,
        # so report where the effect falls below 1e-4 of its peak and measure the overlap instead
        rf = (effective_receptive_field(net, rf_ms, rf_pan, rel_threshold=1e-4 if global_context(net) else 0.0)
              if not quick else {"radiusPx": QUICK_OVERLAP_PX, "note": "not measured (quick export): a generous fixed overlap"})
        log(f"[{name}] parameters {params}, MACs/PAN px {macs['total']}, effective RF {rf}")
        tile_mult = TILE_MULTIPLE_PX[kind]
        ceil_m = lambda x, m: int(-(-x // m) * m)
        rf_px = ceil_m(rf["radiusPx"], 4)
        seam_res = None
        if seam:
            s_ms, s_pan = normalized_pair(*read_scene(par["scene"], sc["bands"], val_win))  # 512x512 PAN, full resolution
            if global_context(net):
                # never below the (thresholded) receptive field: the local context must fit in the overlap too
                cands = sorted({rf_px, *[c for c in (16, 24, 32, 48, 64, 96, 128) if c > rf_px]})
            else:
                cands = [max(rf_px, 4)]
            seam_res = seam_check(net, s_ms, s_pan, core_px=256, candidates=cands)
            seam_res.update({"scene": par["scene"], "msWindow": val_win.as_dict(), "tileCorePx": 256,
                             "criterion": "max |tiled - untiled| < 0.5% of the untiled output's range"})
            log(f"[{name}] seam check: {json.dumps(seam_res['trials'])}")
            if not seam_res["passed"]:
                # a model whose tiles show must not ship: the engine always tiles whole scenes
                raise RuntimeError(f"{name}: tiled output still differs from untiled by "
                                   f"{seam_res['trials'][0]['maxRelToRange']:.2%} of the range at the largest overlap "
                                   f"{seam_res['overlapPx']} px (bar 0.5%); nothing written")
        overlap = max(seam_res["overlapPx"] if seam_res else ceil_m(max(rf["radiusPx"], 32), 4), rf_px)

        val_crop = cfg["train"]["schedules"].get("loso", {}).get("valCropMs", 64) if hold_out else None
        val_sets = validation_sets(val_cfg, hold_out=hold_out, crop_ms=val_crop)
        rows = validate(net, val_sets)
        metrics = mean_metrics(rows, "model")
        baseline = mean_metrics(rows, "baselineGLP")

        sha = sha256_file(onnx_tmp)
        commit, base = git_commit()
        training = {
            "config": f"configs/{name}.yaml", "seed": int(cfg["train"]["seed"]),
            "device": summary["device"] if summary else "cpu",
            "steps": summary["steps"] if summary else 0,
            "wallTimeS": summary["wallTimeS"] if summary else 0,
            "gitCommit": (("uncommitted" if "uncommitted" in summary["gitCommit"] else summary["gitCommit"])
                          if summary else commit),
            "holdOut": hold_out,
            "data": [{"scene": s.get("scene", s.get("patches")), "sensor": s["sensor"], "bands": s["bands"],
                      "protocol": ("published reduced-resolution patches (the last validationPatches held out)"
                                   if "patches" in s else
                                   "Wald, randomised degradations, ratio 4, regions disjoint from validation"),
                      "msWindows": [r["msWindow"] for r in (summary["trainingRegions"] if summary else [])
                                    if r.get("scene") == s.get("scene") and "msWindow" in r]}
                     for s in cfg["data"]["scenes"] if s["sensor"] != hold_out],
            "loss": summary["loss"] if summary else "",
        }
        if not summary:
            from .losses import describe_loss
            training["loss"] = describe_loss(cfg["loss"])
        manifest = {
            "format": "panforge-model-manifest/1", "name": name, "network": cfg["network"],
            "version": str(cfg.get("version", __version__)), "paper": cfg["paper"],
            "onnxFile": f"{name}.onnx", "sha256": sha, "opset": OPSET,
            "bands": bands, "bandOrder": list(cfg["bandOrder"]), "sensors": list(cfg["sensors"]), "ratio": RATIO,
            "inputs": {"ms": {"name": "ms", "layout": "NCHW", "dtype": "float32"},
                       "pan": {"name": "pan", "layout": "NCHW", "dtype": "float32"}},
            "output": {"name": "fused", "layout": "NCHW", "dtype": "float32"},
            "valueScale": normalization.describe(),
            "tileMultiplePx": tile_mult, "overlapPx": int(overlap),
            "receptiveFieldPx": int(rf["radiusPx"]), "parameters": params, "macsPerPanPixel": int(macs["total"]),
            "training": training,
            "validation": {"protocol": "reduced-resolution (Wald, MTF-matched, ratio 4)"
                                       + (f"; leave-one-sensor-out: {hold_out} never seen in training" if hold_out else ""),
                           "regions": [{"scene": r["scene"], "msWindow": r["msWindow"]} for r in rows
                                       if "colOff" in r["msWindow"]],
                           "metrics": metrics},
            "deviations": COMMON_DEVIATIONS + NET_DEVIATIONS[kind],
            "status": status_text(summary, metrics, baseline),
            "extra": {
                "inputContract": "ms [N,B,h,w] low-res MS, pan [N,1,4h,4w]; both scene-standardised (valueScale); "
                                 "fused [N,B,4h,4w] same scale, unclamped; MS upsampling in-graph; dynamic N, h, w",
                "tileOriginMultiplePx": tile_mult,
                "receptiveField": {**rf, "definition": "largest distance (PAN px) at which a single-pixel "
                                   "perturbation of PAN or of one MS pixel's footprint changes the output by more "
                                   "than relThreshold of the peak change (0 = exact support), exported weights, "
                                   "real data, float32"},
                "globalContext": global_context(net) or "none: the output is local (exact tiling with overlap >= RF)",
                "seamCheck": seam_res,
                "macs": macs,
                "parity": {"tolerance": TOLERANCE, "checks": checks, "fixture": f"{name}.parity.json"},
                "validation": {"pythonSide": True, "command": f"/usr/bin/python3 -m panforge_models.export --config configs/{name}.yaml --run {run}",
                               "engineTableCommand": f"node --import tsx scripts/model-quality.ts --models {name}",
                               "baselineGLP": baseline, "baselineEXP": mean_metrics(rows, "baselineEXP"),
                               "perRegion": rows,
                               "note": "Python metrics (toolbox SAM/ERGAS definitions) on the held-out windows, "
                                       "no border cut; the engine-side table (Q2n, SAM, ERGAS, SCC beside exp/gsa/mtf-glp) is in models/README.md"},
                "trainingRun": ({k: summary[k] for k in ("schedule", "batch", "patchPx", "lr", "milestones", "gamma",
                                                         "threads", "command")} if summary else None),
                "panMtfGain": float(cfg["data"].get("panGain", 0.15)),
                "gitBase": base,
                "exportedWith": {"torch": torch.__version__, "onnx": onnx.__version__},
            },
        }
        # all checks passed: move the files into place together
        for src, dst in ((onnx_tmp, out_dir / f"{name}.onnx"),
                         (tmp / f"{name}.parity.bin", out_dir / f"{name}.parity.bin"),
                         (fixture, out_dir / f"{name}.parity.json")):
            shutil.move(str(src), str(dst))
        (out_dir / f"{name}.manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    log(f"[{name}] wrote {out_dir / (name + '.onnx')} ({sha[:12]}), overlapPx {overlap}; {manifest['status']}")
    return manifest


def main(argv=None):
    ap = argparse.ArgumentParser(description="Export a PanForge network to ONNX (see module docstring).")
    ap.add_argument("--config", required=True)
    ap.add_argument("--run", default="cpu", help="training schedule whose checkpoint to export (cpu, gpu)")
    ap.add_argument("--untrained", action="store_true", help="export seeded random weights (integration only)")
    ap.add_argument("--no-seam-check", action="store_true", help="skip the tiled-vs-untiled measurement")
    ap.add_argument("--out", default=None, help="output folder (default models/onnx)")
    ap.add_argument("--run-folder", default=None, help="checkpoint folder (default models/runs/<name>/<run>)")
    ap.add_argument("--quick", action="store_true", help="measured-only export: one parity check, no receptive-field "
                    f"or seam measurement (overlap {QUICK_OVERLAP_PX} px); for leave-one-sensor-out models")
    ap.add_argument("--hold-out", default=None, help="export the leave-one-sensor-out run without this sensor "
                    "(default output models/runs/loso-onnx/<sensor>/)")
    args = ap.parse_args(argv)
    export(load_config(args.config), args.run, args.untrained, args.out, seam=not args.no_seam_check,
           run_folder=args.run_folder, hold_out=args.hold_out, quick=args.quick)


if __name__ == "__main__":
    main()
