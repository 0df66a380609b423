#!/usr/bin/env python3
"""PyTorch side of `npm run bench -- inference`: times one network on the same weights the ONNX file holds.

Weights are loaded as panforge_models.export.load_network does (seeded build, then the run's final.pt unless
--untrained), so ONNX Runtime and PyTorch compute the same function; the caller checks that on the dumped
input/output. Only the nets and the config are imported (no GDAL), so it also runs on the GPU machine, where
--state names a carried final.pt. Prints one JSON line: {"msPerCall": median ms, "runs": [...], "threads", "torch", "device"}.

    /usr/bin/python3 bench/torch-infer.py --config models/configs/premix-4band.yaml --untrained \
        --pan 512 --batch 1 --threads 2 --reps 5 --device cpu --dump /tmp/io.bin
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))
from panforge_models.config import load_config  # noqa: E402
from panforge_models.nets import build_network  # noqa: E402
from panforge_models.paths import models_dir  # noqa: E402


def load_network(cfg, run: str, untrained: bool, state: str | None):
    """The export's weights: seeded initialisation (panforge_models.export.load_network), then the checkpoint."""
    torch.manual_seed(int(cfg["train"]["seed"]))
    net = build_network(cfg["network"], int(cfg["bands"]), **cfg["net"])
    if not untrained:
        ckpt = Path(state) if state else models_dir() / "runs" / cfg["name"] / run / "final.pt"
        net.load_state_dict(torch.load(ckpt, map_location="cpu"))
    return net.eval()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--untrained", action="store_true")
    ap.add_argument("--run", default="cpu")
    ap.add_argument("--state", default=None, help="checkpoint to load instead of models/runs/<name>/<run>/final.pt")
    ap.add_argument("--pan", type=int, default=512, help="PAN tile side (MS side = pan / 4)")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--dump", default=None, help="write ms, pan, fused (float32 LE, NCHW) of the first run here")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    cfg = load_config(args.config)
    net = load_network(cfg, args.run, args.untrained, args.state)
    device = torch.device(args.device)
    net = net.to(device).eval()
    bands = int(cfg["bands"])
    rng = np.random.default_rng(2026)
    ms = rng.uniform(0.05, 0.6, size=(args.batch, bands, args.pan // 4, args.pan // 4)).astype(np.float32)
    pan = rng.uniform(0.05, 0.6, size=(args.batch, 1, args.pan, args.pan)).astype(np.float32)
    ms_t = torch.from_numpy(ms).to(device)
    pan_t = torch.from_numpy(pan).to(device)

    def once() -> tuple[float, torch.Tensor]:
        if device.type == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        out = net(ms_t, pan_t)
        if device.type == "cuda":
            torch.cuda.synchronize()
        return (time.perf_counter() - t0) * 1000.0, out

    with torch.inference_mode():
        _, first = once()  # warm-up (allocator, cuDNN algorithm choice)
        runs = [once()[0] for _ in range(args.reps)]
    if args.dump:
        with open(args.dump, "wb") as f:
            for a in (ms, pan, first.float().cpu().numpy()):
                f.write(np.ascontiguousarray(a, dtype="<f4").tobytes())
    print(json.dumps({"msPerCall": statistics.median(runs), "runs": runs, "threads": torch.get_num_threads(),
                      "torch": torch.__version__, "device": str(device),
                      "gpu": torch.cuda.get_device_name(0) if device.type == "cuda" else None}))


if __name__ == "__main__":
    main()
