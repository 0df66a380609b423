"""Repository and shared-data locations (no I/O beyond path resolution)."""

import os
from pathlib import Path


def repo_root() -> Path:
    """The repository root (this file is models/panforge_models/paths.py)."""
    return Path(__file__).resolve().parents[2]


def models_dir() -> Path:
    return repo_root() / "models"


def shared_data_dir() -> Path:
    """Shared scenes: $PANFORGE_SHARED_DATA, else ../shared/data relative to the repo root.
    The scenes are read in place and never copied into the repository."""
    env = os.environ.get("PANFORGE_SHARED_DATA")
    return Path(env) if env else (repo_root().parent / "shared" / "data").resolve()
