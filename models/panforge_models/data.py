"""Reduced-resolution (Wald) training and validation data from the shared real scenes.

Each scene is split into disjoint regions *before* degradation (each region is MTF-filtered on
its own, with replicated borders), so no validation pixel reaches a training sample, not even
through the 41-tap filters. For a region: ref = original MS (bands, H, W); ms = mtf_degrade(ref)
(bands, H/4, W/4); pan = mtf_degrade(PAN) (1, H, W). Values are DN clipped to [0, 2^bits - 1]
and divided by 2^bits - 1 (the manifest's valueScale).

Augmentation (flips and rot90) is applied to the full-resolution region *before* decimation,
so every variant keeps the toolbox's sampling phase (sample ratio//2 of each 4x4 block) that
the in-graph interp23tap upsampler assumes; flipping decimated data would shift it by a pixel.
The MTF filters are isotropic and borders are replicated, so filtering commutes with the flips.

Run ``python -m panforge_models.data --config configs/<name>.yaml`` to print the split and
the patch statistics.
"""

import argparse
from dataclasses import dataclass

import numpy as np
from osgeo import gdal

from .config import load_config
from .mtf import DEFAULT_PAN_GAIN, decimate, load_sensor_gains, mtf_filter
from .paths import shared_data_dir

RATIO = 4

SCENES = {
    "wv2_washington": {"sensor": "WorldView-2", "ms": "wv2_washington_ms.tif", "pan": "wv2_washington_pan.tif"},
    "ikonos_italy": {"sensor": "IKONOS", "ms": "ikonos_italy_ms.tif", "pan": "ikonos_italy_pan.tif"},
}


@dataclass(frozen=True)
class MsWindow:
    """A window on the MS grid (rasterio/GDAL fields); the PAN window is 4x it."""
    colOff: int
    rowOff: int
    width: int
    height: int

    def as_dict(self):
        return {"colOff": self.colOff, "rowOff": self.rowOff, "width": self.width, "height": self.height}


def read_scene(scene: str, bands, window: MsWindow = None, bit_depth: int = 11):
    """Read MS (bands, h, w) and PAN (1, 4h, 4w) of a shared scene, scaled to [0, 1].

    ``bands`` are band names matched against the files' band descriptions. ``window`` is on the
    MS grid (None = whole scene).
    """
    info = SCENES[scene]
    root = shared_data_dir()
    ms_ds = gdal.Open(str(root / info["ms"]))
    pan_ds = gdal.Open(str(root / info["pan"]))
    if ms_ds is None or pan_ds is None:
        raise FileNotFoundError(f"cannot open {info['ms']} / {info['pan']} under {root}; "
                                "set PANFORGE_SHARED_DATA to the shared data folder")
    names = [ms_ds.GetRasterBand(i + 1).GetDescription() for i in range(ms_ds.RasterCount)]
    missing = [b for b in bands if b not in names]
    if missing:
        raise ValueError(f"bands {missing} not in {info['ms']} (has {names})")
    w = window or MsWindow(0, 0, ms_ds.RasterXSize, ms_ds.RasterYSize)
    ms = np.stack([ms_ds.GetRasterBand(names.index(b) + 1).ReadAsArray(w.colOff, w.rowOff, w.width, w.height)
                   for b in bands]).astype(np.float64)
    pan = pan_ds.GetRasterBand(1).ReadAsArray(RATIO * w.colOff, RATIO * w.rowOff,
                                              RATIO * w.width, RATIO * w.height)[None].astype(np.float64)
    peak = float(2 ** bit_depth - 1)
    return np.clip(ms, 0, peak) / peak, np.clip(pan, 0, peak) / peak


def degrade_pair(ms, pan, ms_gains, pan_gain):
    """Wald's protocol for one region: (ms_lr, pan_lr, ref), float32."""
    ms_lr = decimate(mtf_filter(ms, ms_gains, RATIO), RATIO)
    pan_lr = decimate(mtf_filter(pan, [pan_gain], RATIO), RATIO)
    return ms_lr.astype(np.float32), pan_lr.astype(np.float32), ms.astype(np.float32)


def dihedral(x, t: int):
    """One of the 8 flips/rotations of a (C, H, W) array."""
    x = np.rot90(x, t % 4, axes=(1, 2))
    return np.ascontiguousarray(x[:, :, ::-1] if t >= 4 else x)


def training_windows(scene_w: int, scene_h: int, val: MsWindow):
    """Cover the scene minus the validation window with up to 4 disjoint rectangles."""
    rects = [MsWindow(0, 0, scene_w, val.rowOff),                                    # above
             MsWindow(0, val.rowOff + val.height, scene_w, scene_h - val.rowOff - val.height),  # below
             MsWindow(0, val.rowOff, val.colOff, val.height),                        # left
             MsWindow(val.colOff + val.width, val.rowOff, scene_w - val.colOff - val.width, val.height)]
    return [r for r in rects if r.width >= 16 and r.height >= 16]


def _scene_size(scene):
    ds = gdal.Open(str(shared_data_dir() / SCENES[scene]["ms"]))
    return ds.RasterXSize, ds.RasterYSize


def _gains(cfg_scene, data_cfg):
    sensor = SCENES[cfg_scene["scene"]]["sensor"]
    return load_sensor_gains(sensor, cfg_scene["bands"]), float(data_cfg.get("panGain", DEFAULT_PAN_GAIN))


class WaldPatches:
    """Random training patches: ms (B, p/4, p/4), pan (1, p, p), ref (B, p, p), float32 in [0, 1].

    Parameters
    ----------
    cfg : dict
        The run configuration (``data`` section: scenes, validation window, patchPx, panGain).
    seed : int
        Seed of the patch sampler (numpy Generator).
    """

    def __init__(self, cfg, seed: int):
        data = cfg["data"]
        self.patch = int(data["patchPx"])
        if self.patch % (2 * RATIO):
            raise ValueError(f"patchPx {self.patch} must be a multiple of {2 * RATIO}")
        val = MsWindow(**data["validation"])
        self.items, self.regions = [], []
        for sc in data["scenes"]:
            gains, pan_gain = _gains(sc, data)
            for win in training_windows(*_scene_size(sc["scene"]), val):
                ms, pan = read_scene(sc["scene"], sc["bands"], win)
                self.regions.append({"scene": sc["scene"], "msWindow": win.as_dict()})
                ms_f = mtf_filter(ms, gains, RATIO)
                pan_f = mtf_filter(pan, [pan_gain], RATIO)
                for t in range(8):
                    ms_lr = decimate(dihedral(ms_f, t), RATIO).astype(np.float32)
                    pan_lr = decimate(dihedral(pan_f, t), RATIO).astype(np.float32)
                    ref = dihedral(ms, t).astype(np.float32)
                    if min(ref.shape[1:]) >= self.patch:
                        self.items.append((ms_lr, pan_lr, ref))
        # sample variants in proportion to their number of patch positions
        lp = self.patch // RATIO
        counts = np.array([(m.shape[1] - lp + 1) * (m.shape[2] - lp + 1) for m, _, _ in self.items], float)
        self.weights = counts / counts.sum()
        self.rng = np.random.default_rng(seed)

    def batch(self, n: int):
        """n random patches -> (ms, pan, ref) float32 arrays with a leading batch axis."""
        lp, p = self.patch // RATIO, self.patch
        out = ([], [], [])
        for idx in self.rng.choice(len(self.items), size=n, p=self.weights):
            ms_lr, pan_lr, ref = self.items[idx]
            i = int(self.rng.integers(0, ms_lr.shape[1] - lp + 1))
            j = int(self.rng.integers(0, ms_lr.shape[2] - lp + 1))
            out[0].append(ms_lr[:, i:i + lp, j:j + lp])
            out[1].append(pan_lr[:, RATIO * i:RATIO * i + p, RATIO * j:RATIO * j + p])
            out[2].append(ref[:, RATIO * i:RATIO * i + p, RATIO * j:RATIO * j + p])
        return tuple(np.stack(o) for o in out)


def validation_sets(cfg):
    """Reduced-resolution validation region of every configured scene:
    list of dicts {scene, msWindow, ms (1,B,h/4,w/4), pan (1,1,h,w), ref (1,B,h,w)}."""
    data = cfg["data"]
    val = MsWindow(**data["validation"])
    out = []
    for sc in data["scenes"]:
        gains, pan_gain = _gains(sc, data)
        ms, pan = read_scene(sc["scene"], sc["bands"], val)
        ms_lr, pan_lr, ref = degrade_pair(ms, pan, gains, pan_gain)
        out.append({"scene": sc["scene"], "msWindow": val.as_dict(),
                    "ms": ms_lr[None], "pan": pan_lr[None], "ref": ref[None]})
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", required=True)
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    ds = WaldPatches(cfg, seed=int(cfg["train"]["seed"]))
    print(f"{cfg['name']}: {len(ds.items)} training variants (8 dihedral per region) from {ds.regions}")
    ms, pan, ref = ds.batch(4)
    print(f"patch shapes ms {ms.shape} pan {pan.shape} ref {ref.shape}; ref mean {ref.mean():.4f}")
    for v in validation_sets(cfg):
        print(f"validation {v['scene']} {v['msWindow']}: ms {v['ms'].shape} pan {v['pan'].shape} ref {v['ref'].shape}")


if __name__ == "__main__":
    main()
