"""Train one network for one band count on Wald-protocol patches of the shared scenes.

    /usr/bin/python3 -m panforge_models.train --config configs/premix-wv2.yaml --schedule cpu [--hold-out IKONOS]

Seeded and reproducible for a given schedule, device and thread count. Writes to
models/runs/<name>/<schedule>/ (or models/runs/<name>/loso-<sensor>/<schedule>/ with --hold-out;
git-ignored): final.pt (state_dict), checkpoint.pt (every ``checkpointEvery`` steps: weights, optimiser,
scheduler, sampler state; ``--resume`` continues from it bit for bit), log.jsonl (one line per step /
validation), summary.json (wall time, steps, validation vs the EXP and GLP-base baselines).
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
from .losses import SpectralAngleLoss, build_loss, describe_loss, describe_sam_term
from .metrics import all_metrics
from .nets import GGPNet, build_network
from .nets.baseline_residual import BaselineResidual, unwrap
from .nets.common import Interp23Upsample
from .normalization import denormalize
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
    """The paper's network alone (the notes' parameter counts)."""
    return build_network(cfg["network"], int(cfg["bands"]), **cfg["net"])


def build_model(cfg) -> BaselineResidual:
    """What is trained and exported: the paper's network refining the in-graph GLP base."""
    return BaselineResidual(build_from_config(cfg), int(cfg["bands"]))


def sensor_slug(sensor: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in sensor).strip("-").lower()


def run_dir(cfg, schedule: str, hold_out: str = None) -> Path:
    base = models_dir() / "runs" / cfg["name"]
    return (base / f"loso-{sensor_slug(hold_out)}" / schedule) if hold_out else base / schedule


@torch.no_grad()
def validate(net, val_sets, device="cpu"):
    """Metrics of ``net``, of the interp23tap-upsampled MS (EXP) and of the in-graph GLP base on each
    validation item, all de-normalised to the [0, 1] DN scale of the reference."""
    was_training = net.training
    net.eval()
    rows = []
    for v in val_sets:
        ms = torch.from_numpy(v["ms"]).to(device)
        pan = torch.from_numpy(v["pan"]).to(device)
        st = v["stats"]
        fused = denormalize(net(ms, pan).cpu().numpy()[0], st)
        u, base = net.base(ms, pan) if isinstance(net, BaselineResidual) else (Interp23Upsample(ms.shape[1]).to(device)(ms),) * 2
        rows.append({"scene": v["scene"], "sensor": v.get("sensor"), "msWindow": v["msWindow"],
                     "model": all_metrics(v["ref"][0], fused),
                     "baselineEXP": all_metrics(v["ref"][0], denormalize(u.cpu().numpy()[0], st)),
                     "baselineGLP": all_metrics(v["ref"][0], denormalize(base.cpu().numpy()[0], st))})
    net.train(was_training)
    return rows


def mean_metrics(rows, key):
    names = rows[0][key].keys()
    return {n: float(np.mean([r[key][n] for r in rows])) for n in names}


def _save_checkpoint(path: Path, step, net, opt, lr_sched, data, history, elapsed):
    tmp = path.with_suffix(".tmp")
    torch.save({"step": step, "net": net.state_dict(), "opt": opt.state_dict(), "sched": lr_sched.state_dict(),
                "rng": data.rng.bit_generator.state, "history": history, "elapsedS": elapsed}, tmp)
    tmp.replace(path)  # a kill mid-write never leaves a torn checkpoint


def train(cfg, schedule_name: str, out_dir: Path = None, steps: int = None, log=print, max_minutes: float = None,
          hold_out: str = None, resume: bool = False):
    """Run one schedule; returns the summary dict (also written to summary.json).

    ``max_minutes`` ends the run after the step during which that much wall time has passed (a shared machine's
    budget); the summary then records the steps actually run, and ``--steps <that>`` reproduces the run exactly.
    ``hold_out`` trains without that sensor and validates on it alone. ``resume`` continues from checkpoint.pt."""
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
    for key in ("patchPx", "validation", "variants"):
        if key in sched:
            run_cfg["data"][key] = sched[key]

    commit, base = git_commit()  # at the start: the code that runs, whatever is edited while it trains
    out_dir = Path(out_dir) if out_dir else run_dir(cfg, schedule_name, hold_out)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = WaldPatches(run_cfg, seed=seed, hold_out=hold_out)
    val_crop = sched.get("valCropMs", 64) if hold_out else None
    val_sets = validation_sets(run_cfg, hold_out=hold_out, crop_ms=val_crop)
    net = build_model(cfg).to(device)
    loss_fn = build_loss(cfg["loss"]).to(device)
    # issue 11: a spectral-angle term (on the DN scale) beside the paper's loss, where the config asks for it
    sam_weight = float(cfg["loss"].get("samWeight", 0))
    sam_loss = SpectralAngleLoss().to(device)
    opt = torch.optim.Adam(net.param_groups(float(sched["lr"])))
    lr_sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=list(sched.get("milestones", [])),
                                                    gamma=float(sched.get("gamma", 1.0)))
    wants_grad = isinstance(unwrap(net), GGPNet)
    eval_every = int(sched.get("evalEvery", cfg["train"].get("evalEvery", 50)))
    ckpt_every = int(sched.get("checkpointEvery", cfg["train"].get("checkpointEvery", 50)))
    ckpt_path = out_dir / "checkpoint.pt"
    history, first, elapsed0 = [], 1, 0.0
    if resume and ckpt_path.is_file():
        ck = torch.load(ckpt_path, map_location=device)
        net.load_state_dict(ck["net"])
        opt.load_state_dict(ck["opt"])
        lr_sched.load_state_dict(ck["sched"])
        data.rng.bit_generator.state = ck["rng"]
        history, first, elapsed0 = ck["history"], int(ck["step"]) + 1, float(ck["elapsedS"])
        log(f"[{cfg['name']}/{schedule_name}] resuming after step {ck['step']} ({elapsed0:.0f} s so far)")
    t0 = time.time() - elapsed0
    step = first - 1
    tag = f"{cfg['name']}/{schedule_name}" + (f" without {hold_out}" if hold_out else "")
    with open(out_dir / "log.jsonl", "a" if first > 1 else "w") as logf:
        for step in range(first, steps + 1):
            ms, pan, ref, m_mean, m_std = (torch.from_numpy(a).to(device) for a in data.batch(int(sched["batch"]), True))
            out = net(ms, pan, return_grad=True) if wants_grad else net(ms, pan)
            loss = loss_fn(out, ref)
            if sam_weight:
                loss = loss + sam_weight * sam_loss(out[0] if wants_grad else out, ref, m_mean, m_std)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            lr_sched.step()
            rec = {"step": step, "loss": float(loss), "lr": opt.param_groups[0]["lr"], "elapsedS": time.time() - t0}
            out_of_time = max_minutes is not None and rec["elapsedS"] > 60 * max_minutes
            if step % eval_every == 0 or step == steps or out_of_time:
                rows = validate(net, val_sets, device)
                rec["val"] = mean_metrics(rows, "model")
                rec["valBaselineGLP"] = mean_metrics(rows, "baselineGLP")
                history.append({"step": step, **rec["val"]})
                log(f"[{tag}] step {step}/{steps} loss {rec['loss']:.5f} "
                    f"val SAM {rec['val']['SAM_deg']:.3f} ERGAS {rec['val']['ERGAS']:.3f} "
                    f"(GLP base SAM {rec['valBaselineGLP']['SAM_deg']:.3f} ERGAS {rec['valBaselineGLP']['ERGAS']:.3f}) "
                    f"gain {float(net.detail_gain.abs().mean()):.3f} {rec['elapsedS']:.0f}s")
            logf.write(json.dumps(rec) + "\n")
            logf.flush()
            if step % ckpt_every == 0:
                _save_checkpoint(ckpt_path, step, net, opt, lr_sched, data, history, time.time() - t0)
            if out_of_time:
                log(f"[{tag}] stopping after step {step} of {steps}: the {max_minutes} min budget is spent")
                break
    wall = time.time() - t0
    planned_steps, steps = steps, step
    _save_checkpoint(ckpt_path, step, net, opt, lr_sched, data, history, wall)
    torch.save(net.state_dict(), out_dir / "final.pt")
    rows = validate(net, val_sets, device)
    summary = {
        "name": cfg["name"], "config": cfg["_path"], "schedule": schedule_name, "seed": seed, "device": device,
        "holdOut": hold_out, "threads": torch.get_num_threads(), "steps": steps, "plannedSteps": planned_steps,
        "stoppedByTimeBudget": steps < planned_steps, "batch": int(sched["batch"]),
        "patchPx": int(run_cfg["data"]["patchPx"]), "lr": float(sched["lr"]),
        "milestones": list(sched.get("milestones", [])), "gamma": float(sched.get("gamma", 1.0)),
        "wallTimeS": round(wall, 1), "gitCommit": commit, "gitBase": base, "loss": describe_loss(cfg["loss"]) + describe_sam_term(cfg["loss"]),
        "trainingSensors": data.sensors, "trainingRegions": data.regions, "validation": rows, "valHistory": history,
        "command": f"/usr/bin/python3 -m panforge_models.train --config {cfg['_path']} --schedule {schedule_name}"
                   + (f" --hold-out {hold_out}" if hold_out else "")
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
    ap.add_argument("--hold-out", default=None, help="leave this sensor out of training and validate on it alone")
    ap.add_argument("--resume", action="store_true", help="continue from the run folder's checkpoint.pt")
    ap.add_argument("--out", default=None, help="output folder (default models/runs/<name>/[loso-<sensor>/]<schedule>)")
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    s = train(cfg, args.schedule, args.out, args.steps, max_minutes=args.max_minutes, hold_out=args.hold_out,
              resume=args.resume)
    print(json.dumps({k: s[k] for k in ("name", "schedule", "holdOut", "steps", "wallTimeS")}))


if __name__ == "__main__":
    main()
