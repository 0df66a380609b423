"""Shared fixtures for the model tests (run from the repository root by `npm test`:
``/usr/bin/python3 -m pytest -q models/tests`` with PYTHONPATH=models)."""

import subprocess
import sys
from pathlib import Path

import pytest
import torch

MODELS = Path(__file__).resolve().parents[1]
if str(MODELS) not in sys.path:  # also runnable without PYTHONPATH
    sys.path.insert(0, str(MODELS))

from panforge_models.paths import repo_root, shared_data_dir  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _two_threads():
    # the CI machine and the workstation have 2 cores; more threads only oversubscribe them
    torch.set_num_threads(2)


@pytest.fixture(scope="session")
def shared_data():
    folder = shared_data_dir()
    if not (folder / "wv2_washington_ms.tif").is_file():
        # A fresh clone has no ../shared: skip (one line each) instead of failing; CI has the scenes.
        pytest.skip(f"needs the sample scenes, not found in {folder} (set PANFORGE_SHARED_DATA)")
    return folder


def run_engine_ts(source: str, timeout: int = 120) -> str:
    """Run an ES-module snippet with tsx from the repository root (so it can import the engine) and return
    its stdout; fails the test with stderr when node exits non-zero."""
    proc = subprocess.run(["node", "--import", "tsx", "--input-type=module", "-e", source], cwd=repo_root(),
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        pytest.fail(f"node snippet failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout
