"""Train one network for one band count on Wald-protocol patches of the shared scenes.

    /usr/bin/python3 -m panforge_models.train --config configs/premix-wv2.yaml --schedule cpu

Seeded and reproducible for a given schedule, device and thread count. Writes to
models/runs/<name>/<schedule>/ (git-ignored): final.pt (state_dict), log.jsonl (one line per
step / validation), summary.json (wall time, steps, validation vs the interp23tap baseline).
"""

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

import numpy as np
import torch

from .config import load_config
from .data import WaldPatches, validation_sets
from .losses import build_loss, describe_loss
from .metrics import all_metrics
from .nets import GGPNet, build_network
from .nets.common import Interp23Upsample
from .paths import models_dir, repo_root


def git_commit():
    """(commit, base): commit is `git rev-parse HEAD`, or 'uncommitted' when models/ has
    uncommitted changes (the code that ran is then not in any commit); base is HEAD either way."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo_root(), capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "models", ":!models/onnx"], cwd=repo_root(),
                               capture_output=True, text=True, check=True).stdout.strip()
        return ("uncommitted" if dirty else head), head
    except (OSError, subprocess.CalledProcessError):
        return "uncommitted", None


def build_from_config(cfg) -> torch.nn.Module:
    return build_network(cfg["network"], int(cfg["bands"]), **cfg["net"])


def run_dir(cfg, schedule: str) -> Path:
    return models_dir() / "runs" / cfg["name"] / schedule


@torch.no_grad()
def validate(net, val_sets, device="cpu"):
    """Metrics of ``net`` and of the interp23tap-upsampled MS (EXP) on each validation region."""
    net.eval()
    rows = []
    for v in val_sets:
        ms = torch.from_numpy(v["ms"]).to(device)
        pan = torch.from_numpy(v["pan"]).to(device)
        fused = net(ms, pan).cpu().numpy()[0]
        exp = Interp23Upsample(ms.shape[1]).to(device)(ms).cpu().numpy()[0]
        rows.append({"scene": v["scene"], "msWindow": v["msWindow"],
                     "model": all_metrics(v["ref"][0], fused), "baselineEXP": all_metrics(v["ref"][0], exp)})
    net.train()
    return rows


def mean_metrics(rows, key):
    names = rows[0][key].keys()
    return {n: float(np.mean([r[key][n] for r in rows])) for n in names}


def train(cfg, schedule_name: str, out_dir: Path = None, steps: int = None, log=print, max_minutes: float = None):
    """Run one schedule; returns the summary dict (also written to summary.json).

    ``max_minutes`` ends the run after the step during which that much wall time has passed (a shared machine's
    budget); the summary then records the steps actually run, and ``--steps <that>`` reproduces the run exactly."""
    sched = dict(cfg["train"]["schedules"][schedule_name])
    steps = int(steps if steps is not None else sched["steps"])
    seed = int(cfg["train"]["seed"])
    device = sched.get("device", "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"schedule {schedule_name!r} wants CUDA, which this machine lacks")
    # PANFORGE_TRAIN_THREADS overrides the config: on a busy machine two 1-thread runs side by side beat one 2-thread
    # run, whose OpenMP barriers stall whenever a thread is descheduled.
    torch.set_num_threads(int(os.environ.get("PANFORGE_TRAIN_THREADS", cfg["train"].get("threads", 2))))
    torch.manual_seed(seed)
    np.random.seed(seed)
    run_cfg = json.loads(json.dumps({k: v for k, v in cfg.items() if not k.startswith("_")}))
    if "patchPx" in sched:
        run_cfg["data"]["patchPx"] = sched["patchPx"]
    if "validation" in sched:
        run_cfg["data"]["validation"] = sched["validation"]

    out_dir = Path(out_dir) if out_dir else run_dir(cfg, schedule_name)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = WaldPatches(run_cfg, seed=seed)
    val_sets = validation_sets(run_cfg)
    net = build_from_config(cfg).to(device)
    loss_fn = build_loss(cfg["loss"]).to(device)
    opt = torch.optim.Adam(net.parameters(), lr=float(sched["lr"]))
    lr_sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=list(sched.get("milestones", [])),
                                                    gamma=float(sched.get("gamma", 1.0)))
    wants_grad = isinstance(net, GGPNet)
    eval_every = int(sched.get("evalEvery", cfg["train"].get("evalEvery", 50)))
    history = []
    t0 = time.time()
    with open(out_dir / "log.jsonl", "w") as logf:
        for step in range(1, steps + 1):
            ms, pan, ref = (torch.from_numpy(a).to(device) for a in data.batch(int(sched["batch"])))
            out = net(ms, pan, return_grad=True) if wants_grad else net(ms, pan)
            loss = loss_fn(out, ref)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            lr_sched.step()
            rec = {"step": step, "loss": float(loss), "lr": opt.param_groups[0]["lr"], "elapsedS": time.time() - t0}
            out_of_time = max_minutes is not None and rec["elapsedS"] > 60 * max_minutes
            if step % eval_every == 0 or step == steps or out_of_time:
                rows = validate(net, val_sets, device)
                rec["val"] = mean_metrics(rows, "model")
                rec["valBaselineEXP"] = mean_metrics(rows, "baselineEXP")
                history.append({"step": step, **rec["val"]})
                log(f"[{cfg['name']}/{schedule_name}] step {step}/{steps} loss {rec['loss']:.5f} "
                    f"val SAM {rec['val']['SAM_deg']:.3f} ERGAS {rec['val']['ERGAS']:.3f} "
                    f"(EXP SAM {rec['valBaselineEXP']['SAM_deg']:.3f} ERGAS {rec['valBaselineEXP']['ERGAS']:.3f}) "
                    f"{rec['elapsedS']:.0f}s")
            logf.write(json.dumps(rec) + "\n")
            logf.flush()
            if out_of_time:
                log(f"[{cfg['name']}/{schedule_name}] stopping after step {step} of {steps}: the {max_minutes} min budget is spent")
                break
    wall = time.time() - t0
    planned_steps, steps = steps, step
    torch.save(net.state_dict(), out_dir / "final.pt")
    rows = validate(net, val_sets, device)
    summary = {
        "name": cfg["name"], "config": cfg["_path"], "schedule": schedule_name, "seed": seed, "device": device,
        "threads": torch.get_num_threads(), "steps": steps, "plannedSteps": planned_steps,
        "stoppedByTimeBudget": steps < planned_steps, "batch": int(sched["batch"]),
        "patchPx": int(run_cfg["data"]["patchPx"]), "lr": float(sched["lr"]),
        "milestones": list(sched.get("milestones", [])), "gamma": float(sched.get("gamma", 1.0)),
        "wallTimeS": round(wall, 1), "gitCommit": git_commit()[0], "gitBase": git_commit()[1], "loss": describe_loss(cfg["loss"]),
        "trainingRegions": data.regions, "validation": rows, "valHistory": history,
        "command": f"/usr/bin/python3 -m panforge_models.train --config {cfg['_path']} --schedule {schedule_name}"
                   + (f" --steps {steps}" if steps < planned_steps else ""),
    }
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=1))
    return summary


def main(argv=None):
    ap = argparse.ArgumentParser(description="Train a PanForge network (see module docstring).")
    ap.add_argument("--config", required=True)
    ap.add_argument("--schedule", default="cpu", help="a key of train.schedules: cpu, gpu or smoke")
    ap.add_argument("--steps", type=int, default=None, help="override the schedule's step count")
    ap.add_argument("--max-minutes", type=float, default=None,
                    help="stop after the step that passes this wall time (the summary records the steps run)")
    ap.add_argument("--out", default=None, help="output folder (default models/runs/<name>/<schedule>)")
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    s = train(cfg, args.schedule, args.out, args.steps, max_minutes=args.max_minutes)
    print(json.dumps({k: s[k] for k in ("name", "schedule", "steps", "wallTimeS")}))


if __name__ == "__main__":
    main()
