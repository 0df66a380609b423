"""Reduced-resolution (Wald) training and validation data from the shared real scenes.

Each scene is split into disjoint regions *before* degradation (each region is MTF-filtered on
its own, with replicated borders), so no validation pixel reaches a training sample, not even
through the 41-tap filters. For a region: ref = original MS (bands, H, W); ms = mtf_degrade(ref)
(bands, H/4, W/4); pan = mtf_degrade(PAN) (1, H, W). Files are read as DN / (2^bits - 1); what the
networks see is each degraded scene standardised by its own statistics (normalization.py), so the
container's bit depth never reaches them. Training degradations are randomised (WaldPatches).

Sensors: WorldView-2, IKONOS, the unnamed 4-band sensor (vhr4) as scenes, and WorldView-3 as the
published reduced-resolution patches; 4-band models take Blue, Green, Red, NIR(1) of the 8-band ones.
``hold_out`` leaves one sensor out of training for leave-one-sensor-out validation.

Augmentation (flips and rot90) is applied to the full-resolution region *before* decimation,
so every variant keeps the toolbox's sampling phase (sample ratio//2 of each 4x4 block) that
the in-graph interp23tap upsampler assumes; flipping decimated data would shift it by a pixel.
The MTF filters are isotropic and borders are replicated, so filtering commutes with the flips.

Run ``python -m panforge_models.data --config configs/<name>.yaml`` to print the split and
the patch statistics.
"""

import argparse
import json
from dataclasses import dataclass

import numpy as np
from osgeo import gdal

from .config import load_config
from .mtf import DEFAULT_PAN_GAIN, decimate, load_sensor_gains, mtf_filter
from .normalization import normalize_ms, normalize_pan, scene_stats
from .paths import shared_data_dir

RATIO = 4

SCENES = {
    "wv2_washington": {"sensor": "WorldView-2", "ms": "wv2_washington_ms.tif", "pan": "wv2_washington_pan.tif"},
    "ikonos_italy": {"sensor": "IKONOS", "ms": "ikonos_italy_ms.tif", "pan": "ikonos_italy_pan.tif"},
    # the unnamed 4-band sensor (shared/data/README.md): no MTF table entry, so the generic gain
    "vhr4": {"sensor": "VHR-4band", "ms": "vhr4_ms.tif", "pan": "vhr4_pan.tif"},
}
# published WorldView-3 patches, already at reduced resolution (not degraded again)
PATCH_SETS = {
    "wv3_patches_rr": {"sensor": "WorldView-3", "file": "wv3_patches_rr.npz", "count": 100, "bitDepth": 11,
                       "bands": ["Coastal", "Blue", "Green", "Yellow", "Red", "RedEdge", "NIR1", "NIR2"]},
}
GENERIC_MTF_GAIN = 0.3  # the toolbox's gain for an unknown sensor


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


# A 4-band scene (Blue, Green, Red, NIR) seen as an 8-band one for the 8-band models (``as8: true``): the shared data
# hold a single real 8-band scene (WorldView-2; the WorldView-3 set is one unique patch), too little to learn what
# carries across sensors. Missing bands are the neighbouring bands or their means (rows: Coastal, Blue, Green,
# Yellow, Red, RedEdge, NIR1, NIR2 from Blue, Green, Red, NIR). A spectral approximation, used only for training.
AS8_MIX = np.array([[1, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0.5, 0.5, 0], [0, 0, 1, 0], [0, 0, 0.5, 0.5],
                    [0, 0, 0, 1], [0, 0, 0, 1]], dtype=np.float64)


def _as8(x):
    return np.einsum("ob,bhw->ohw", AS8_MIX, x)


def _nominal_gains(entry):
    """MS Nyquist gains of a source's bands: its sensor's from sensor-mtf.json, generic 0.3 when unknown
    (an ``as8`` source: its four bands' gains mixed like its bands)."""
    sensor = entry.get("mtfSensor", entry["sensor"])
    gains = [GENERIC_MTF_GAIN] * len(entry["bands"]) if sensor is None else load_sensor_gains(sensor, entry["bands"])
    return list(AS8_MIX @ np.array(gains)) if entry.get("as8") else gains


def read_entry(entry, window):
    """A configured scene source's MS and PAN over ``window`` ([0, 1] scale), 8 bands for an ``as8`` source."""
    ms, pan = read_scene(entry["scene"], entry["bands"], window)
    return (_as8(ms) if entry.get("as8") else ms), pan


def _gains(cfg_scene, data_cfg):
    return _nominal_gains(cfg_scene), float(data_cfg.get("panGain", DEFAULT_PAN_GAIN))


def unique_patches(patches: str):
    """Indices of the distinct patches of a set, in order (the shared WorldView-3 file holds 100 copies of one
    patch: every copy beyond the first would only weight it, and a 'held-out' copy would leak into validation)."""
    z = np.load(shared_data_dir() / PATCH_SETS[patches]["file"])
    seen, keep = set(), []
    for i in range(z["pan"].shape[0]):
        key = z["pan"][i].tobytes() + z["ms"][i].tobytes() + z["gt"][i].tobytes()
        if key not in seen:
            seen.add(key)
            keep.append(i)
    return keep


def read_patches(entry, indices=None):
    """The published reduced-resolution patches (``entry['patches']`` .npz: pan, ms, gt in DN), as
    [0, 1]-scaled arrays (N, B, 16, 16), (N, 1, 64, 64), (N, B, 64, 64) for ``entry['bands']``; ``indices``
    default to the distinct patches."""
    info = PATCH_SETS[entry["patches"]]
    z = np.load(shared_data_dir() / info["file"])
    idx = [info["bands"].index(b) for b in entry["bands"]]
    sel = np.asarray(unique_patches(entry["patches"]) if indices is None else indices)
    peak = float(2 ** info["bitDepth"] - 1)
    ms = np.transpose(z["ms"][sel], (0, 3, 1, 2))[:, idx].astype(np.float64) / peak
    gt = np.transpose(z["gt"][sel], (0, 3, 1, 2))[:, idx].astype(np.float64) / peak
    pan = z["pan"][sel][:, None].astype(np.float64) / peak
    return ms, pan, gt


def patch_split(entry, data_cfg):
    """(training indices, validation indices) of a patch set's distinct patches: the last ``validationPatches``
    are held out, but at least one is kept for training."""
    u = unique_patches(entry["patches"])
    k = min(int(data_cfg.get("validationPatches", 10)), len(u) - 1)
    return u[:len(u) - k], u[len(u) - k:]


def _region_windows(entry, data_cfg):
    val = MsWindow(**entry.get("validation", data_cfg["validation"]))
    return training_windows(*_scene_size(entry["scene"]), val)


def decimate_shifted(img, shift):
    """Decimation by RATIO at the nominal phase (sample ratio//2) moved ``shift`` = (rows, cols) PAN pixels towards
    the origin; 0.5 takes the mean of the two neighbouring phases (linear interpolation)."""
    def axis(x, off, ax):
        lo, hi = RATIO // 2 - int(np.ceil(off)), RATIO // 2 - int(np.floor(off))
        take = lambda ph: np.take(x, np.arange(ph, x.shape[ax], RATIO), axis=ax)
        return take(hi) if lo == hi else 0.5 * (take(lo) + take(hi))
    return axis(axis(img, shift[0], 1), shift[1], 2)


def _degrade_variant(ms, pan, entry, deg, rng):
    """One randomised Wald degradation of a full-resolution region (see WaldPatches): (ms_lr, pan_lr, ref)."""
    t = int(rng.integers(8))
    nominal = np.array(_nominal_gains(entry))
    lo, hi = deg.get("msGainRange", [0.15, 0.45])
    gains = np.clip(nominal + rng.normal(0.0, float(deg.get("msGainJitter", 0.06)), nominal.size), lo, hi)
    pan_gain = float(rng.uniform(*deg.get("panGainRange", [0.08, 0.22])))
    ms_t, pan_t = dihedral(ms, t), dihedral(pan, t)
    # MS/PAN misregistration: per axis the MS is sampled 0, 0.5 or 1 PAN pixel off the nominal phase (delivered
    # scenes are not co-registered to the pixel; the published WorldView-3 patch is decimated half a pixel off ours)
    shift = [float(rng.choice([0.0, 0.5, 1.0], p=[0.5, 0.3, 0.2])) for _ in range(2)]
    ms_lr = decimate_shifted(mtf_filter(ms_t, list(gains), RATIO), shift)
    pan_lr = decimate(mtf_filter(pan_t, [pan_gain], RATIO), RATIO)
    # per-band radiometric gain and offset of the sensor (applied to the reference too: it is the same band)
    g_lo, g_hi = deg.get("bandGain", [0.7, 1.4])
    band_gain = rng.uniform(g_lo, g_hi, (ms.shape[0], 1, 1))
    band_off = rng.uniform(-0.02, 0.02, (ms.shape[0], 1, 1))
    ref = ms_t * band_gain + band_off
    ms_lr = ms_lr * band_gain + band_off
    pan_lr = pan_lr * rng.uniform(g_lo, g_hi) + rng.uniform(-0.02, 0.02)
    noise = float(rng.uniform(0.0, float(deg.get("noise", 0.004))))
    ms_lr = ms_lr + rng.normal(0.0, noise, ms_lr.shape)
    pan_lr = pan_lr + rng.normal(0.0, noise, pan_lr.shape)
    bits = int(rng.choice(deg.get("bits", [8, 11, 12, 16, 0])))
    if bits:  # quantise the inputs to the container's levels (0 = float data: no quantisation)
        top = max(ms_lr.max(), pan_lr.max())
        step = top / (2 ** bits - 1)
        ms_lr, pan_lr = np.round(ms_lr / step) * step, np.round(pan_lr / step) * step
    return ms_lr, pan_lr, ref, {"dihedral": t, "msShiftPx": shift, "msGains": [round(float(g), 3) for g in gains],
                                "panGain": round(pan_gain, 3), "bits": bits}


def pooled_stats(ms, pan):
    """Statistics of a stack of patches (N, B, h, w) / (N, 1, 4h, 4w) taken as one scene: the patches of a
    published set come from one sensor's scenes, and the engine sees them as one mosaic (write_patch_mosaic)."""
    n, b, h, w = ms.shape
    return scene_stats(ms.transpose(1, 0, 2, 3).reshape(b, n * h, w), pan.transpose(1, 0, 2, 3).reshape(1, n * 4 * h, 4 * w), RATIO)


def normalized_triple(ms_lr, pan_lr, ref, stats=None):
    """Standardise one scene's degraded pair by its own statistics (normalization.py), or by ``stats`` when
    given; the reference goes through the MS's transform, so the loss is measured in the network's own scale."""
    stats = stats if stats is not None else scene_stats(ms_lr, pan_lr, RATIO)
    return (normalize_ms(ms_lr, stats), normalize_pan(pan_lr, stats), normalize_ms(ref, stats), stats)


def training_entries(data_cfg, hold_out=None):
    return [e for e in data_cfg["scenes"] if e["sensor"] != hold_out]


class WaldPatches:
    """Random training patches on the networks' scale (scene-standardised): ms (B, p/4, p/4), pan (1, p, p),
    ref (B, p, p), float32.

    Each scene's training regions are degraded ``variants`` times with randomised Wald protocols (per-band MTF
    Nyquist gains around the sensor's, PAN gain, per-band gain/offset, noise, the quantisation of an 8/11/12/16-bit
    or float container, one of the 8 flips/rotations before decimation); each variant is standardised by its own
    statistics, as the engine standardises a scene. Patch sets (already reduced-resolution) are standardised by the
    statistics of all their patches together (one sensor's scenes; the engine sees them as one mosaic). A batch draws its sensors uniformly (sensor-balanced), then a variant in proportion to its patch
    positions, then a position.

    Parameters
    ----------
    cfg : dict
        The run configuration (``data``: scenes, validation window, patchPx, degradation, variants).
    seed : int
        Seed of the degradations and the patch sampler (numpy Generator).
    hold_out : str, optional
        A sensor left out of training entirely (leave-one-sensor-out validation).
    """

    def __init__(self, cfg, seed: int, hold_out: str = None):
        data = cfg["data"]
        self.patch = int(data["patchPx"])
        if self.patch % (2 * RATIO):
            raise ValueError(f"patchPx {self.patch} must be a multiple of {2 * RATIO}")
        self.rng = np.random.default_rng(seed)
        deg = data.get("degradation", {})
        n_var = int(data.get("variants", 6))
        self.by_sensor, self.regions = {}, []
        for entry in training_entries(data, hold_out):
            items = self.by_sensor.setdefault(entry["sensor"], [])
            if "patches" in entry:
                train_idx, _ = patch_split(entry, data)
                ms, pan, gt = read_patches(entry, train_idx)
                st = pooled_stats(ms, pan)
                for i in range(ms.shape[0]):
                    items.append(normalized_triple(ms[i], pan[i], gt[i], st))
                self.regions.append({"sensor": entry["sensor"], "patches": entry["patches"], "indices": train_idx})
                continue
            for win in _region_windows(entry, data):
                ms, pan = read_entry(entry, win)
                variants = []
                for _ in range(n_var):
                    ms_lr, pan_lr, ref, how = _degrade_variant(ms, pan, entry, deg, self.rng)
                    if min(ref.shape[1:]) >= self.patch:
                        items.append(normalized_triple(ms_lr, pan_lr, ref))
                        variants.append(how)
                self.regions.append({"sensor": entry["sensor"], "scene": entry["scene"], "msWindow": win.as_dict(),
                                     "variants": variants})
        if not self.by_sensor:
            raise ValueError(f"no training data left after holding out {hold_out!r}")
        self.sensors = sorted(self.by_sensor)
        lp = self.patch // RATIO
        self.weights = {}
        for s, items in self.by_sensor.items():
            counts = np.array([(it[0].shape[1] - lp + 1) * (it[0].shape[2] - lp + 1) for it in items], float)
            self.weights[s] = counts / counts.sum()

    @property
    def items(self):
        return [it[:3] for s in self.sensors for it in self.by_sensor[s]]

    def batch(self, n: int, with_stats: bool = False):
        """n random patches -> (ms, pan, ref) float32 arrays with a leading batch axis; ``with_stats`` adds the
        patches' scene statistics msMean, msStd (n, B) float32 (to de-standardise, e.g. for a spectral-angle loss)."""
        lp, p = self.patch // RATIO, self.patch
        out = ([], [], [], [], [])
        for _ in range(n):
            sensor = self.sensors[int(self.rng.integers(len(self.sensors)))]
            items = self.by_sensor[sensor]
            ms_lr, pan_lr, ref, st = items[int(self.rng.choice(len(items), p=self.weights[sensor]))]
            out[3].append(st["msMean"].astype(np.float32))
            out[4].append(st["msStd"].astype(np.float32))
            i = int(self.rng.integers(0, ms_lr.shape[1] - lp + 1))
            j = int(self.rng.integers(0, ms_lr.shape[2] - lp + 1))
            out[0].append(ms_lr[:, i:i + lp, j:j + lp])
            out[1].append(pan_lr[:, RATIO * i:RATIO * i + p, RATIO * j:RATIO * j + p])
            out[2].append(ref[:, RATIO * i:RATIO * i + p, RATIO * j:RATIO * j + p])
        return tuple(np.stack(o) for o in (out if with_stats else out[:3]))


def _val_item(name, sensor, where, ms_lr, pan_lr, ref, stats=None):
    ms_n, pan_n, _, stats = normalized_triple(ms_lr, pan_lr, ref, stats)
    return {"scene": name, "sensor": sensor, "msWindow": where, "ms": ms_n[None], "pan": pan_n[None],
            "ref": ref.astype(np.float32)[None], "stats": stats}


def validation_sets(cfg, hold_out: str = None, crop_ms: int = None):
    """Reduced-resolution validation data, nominal Wald degradation (the sensor's MS gains, panGain):
    without ``hold_out``, each training scene's held-out window and the held-out patches; with it, only that
    sensor's data, whole (``crop_ms``: a centred square of that many MS pixels instead, for quick checks
    during training). Each item: scene, sensor, msWindow (or patch index), ms/pan standardised by the item's own
    statistics (1, B, h, w)/(1, 1, 4h, 4w), ref (1, B, 4h, 4w) on the [0, 1] DN scale, stats."""
    data = cfg["data"]
    # validation is on real data only: a 4-band scene seen as 8-band (as8) is a training approximation
    entries = [e for e in data["scenes"] if (hold_out is None or e["sensor"] == hold_out) and not e.get("as8")]
    if not entries:
        raise ValueError(f"no data of sensor {hold_out!r} in {cfg.get('_path', 'the config')}")
    out = []
    for e in entries:
        if "patches" in e:
            _, val_idx = patch_split(e, data)
            idx = unique_patches(e["patches"]) if hold_out else val_idx
            if crop_ms:
                idx = idx[:max(1, crop_ms // 4)]
            if not idx:
                continue
            ms, pan, gt = read_patches(e, idx)
            st = pooled_stats(ms, pan)
            out += [_val_item(e["patches"], e["sensor"], {"patch": i}, ms[k], pan[k], gt[k], st) for k, i in enumerate(idx)]
            continue
        gains, pan_gain = _gains(e, data)
        if hold_out:
            w, h = _scene_size(e["scene"])
            c = min(crop_ms or w, w, h)
            win = MsWindow((w - c) // 2, (h - c) // 2, c, c) if crop_ms else MsWindow(0, 0, w, h)
        else:
            win = MsWindow(**e.get("validation", data["validation"]))
        ms, pan = read_entry(e, win)
        ms_lr, pan_lr, ref = degrade_pair(ms, pan, gains, pan_gain)
        out.append(_val_item(e["scene"], e["sensor"], win.as_dict(), ms_lr, pan_lr, ref))
    return out


def write_patch_mosaic(patches: str, bands, out_dir, per_row: int = 4):
    """The distinct reduced-resolution patches tiled into one scene for the engine's leave-one-sensor-out table,
    repeated to fill a ``per_row`` x ``per_row`` grid (a 64 px patch is smaller than the networks' tile overlap):
    ``out_dir``/ms.tif (MS, already degraded), pan.tif, ref.tif (the reference MS at PAN scale), Float32 DN on a
    synthetic UTM grid (PAN 1 m, MS 4 m). Patch borders are discontinuities every method sees alike."""
    from pathlib import Path
    from osgeo import osr
    info = PATCH_SETS[patches]
    ms, pan, gt = read_patches({"patches": patches, "bands": list(bands)})
    peak = float(2 ** info["bitDepth"] - 1)
    unique = ms.shape[0]
    n = per_row * per_row
    reps = -(-n // unique)
    ms, pan, gt = (np.concatenate([a] * reps)[:n] for a in (ms, pan, gt))
    def tile(a):
        k, c, h, w = a[:n].shape
        return (a[:n].reshape(n // per_row, per_row, c, h, w).transpose(2, 0, 3, 1, 4)
                .reshape(c, n // per_row * h, per_row * w) * peak)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32618)
    for name, arr, px, names in (("ms", tile(ms), 4.0, bands), ("pan", tile(pan), 1.0, ["Pan"]), ("ref", tile(gt), 1.0, bands)):
        ds = gdal.GetDriverByName("GTiff").Create(str(out / f"{name}.tif"), arr.shape[2], arr.shape[1], arr.shape[0],
                                                  gdal.GDT_Float32)
        ds.SetGeoTransform([500000, px, 0, 4000000, 0, -px])
        ds.SetProjection(srs.ExportToWkt())
        ds.SetMetadata({"BIT_DEPTH": str(info["bitDepth"]), "SENSOR": info["sensor"]} if len(bands) == len(info["bands"])
                       else {"BIT_DEPTH": str(info["bitDepth"])})
        for b in range(arr.shape[0]):
            band = ds.GetRasterBand(b + 1)
            band.WriteArray(arr[b].astype(np.float32))
            band.SetDescription(names[b])
        ds = None
    return {"distinctPatches": int(unique), "tiles": int(n), "panSize": [int(tile(pan).shape[2]), int(tile(pan).shape[1])]}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", help="print a configuration's training split and patch statistics")
    ap.add_argument("--mosaic", help="write this patch set as one reduced-resolution scene (with --bands, --out)")
    ap.add_argument("--bands", help="comma-separated band names for --mosaic")
    ap.add_argument("--out", help="output folder for --mosaic")
    args = ap.parse_args(argv)
    if args.mosaic:
        print(json.dumps(write_patch_mosaic(args.mosaic, args.bands.split(","), args.out)))
        return
    cfg = load_config(args.config)
    ds = WaldPatches(cfg, seed=int(cfg["train"]["seed"]))
    print(f"{cfg['name']}: {len(ds.items)} training items from sensors {ds.sensors}")
    ms, pan, ref = ds.batch(4)
    print(f"patch shapes ms {ms.shape} pan {pan.shape} ref {ref.shape}; ref mean {ref.mean():.4f}")
    for v in validation_sets(cfg)[:8]:
        print(f"validation {v['scene']} {v['msWindow']}: ms {v['ms'].shape} pan {v['pan'].shape} ref {v['ref'].shape}")


if __name__ == "__main__":
    main()
