"""Run configurations (YAML) for one network and band count."""

from pathlib import Path

import yaml

from .paths import models_dir

REQUIRED = ("name", "network", "bands", "bandOrder", "sensors", "net", "data", "loss", "train")


def resolve_config_path(path) -> Path:
    """Accept a path as given, relative to the cwd, to models/, or to the repo root."""
    p = Path(path)
    for cand in (p, models_dir() / p, models_dir().parent / p):
        if cand.is_file():
            return cand.resolve()
    raise FileNotFoundError(f"config {path!r} not found (tried cwd, models/, repo root)")


def load_config(path) -> dict:
    p = resolve_config_path(path)
    cfg = yaml.safe_load(p.read_text())
    missing = [k for k in REQUIRED if k not in cfg]
    if missing:
        raise ValueError(f"config {p} lacks keys {missing}")
    cfg["_path"] = str(p.relative_to(models_dir())) if p.is_relative_to(models_dir()) else str(p)
    return cfg
