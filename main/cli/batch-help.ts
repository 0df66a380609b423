/**
 * @module main/cli/batch-help
 * `panforge batch --help` (apart from the command, so help answers without loading the engine).
 */
export const BATCH_HELP = `  panforge batch (--input DIR | --list FILE.csv|FILE.json) --methods a,b --out-dir DIR [options]
      Sharpen many scenes, each with every method, into DIR; outputs already there are complete and skipped, so
      rerunning the same command resumes after a crash or Ctrl-C. A failing scene is reported and the run goes on.
        --input DIR       scenes: each subfolder with one PAN/MS pair (named like the app's folders: pan/ms,
                          P1BS/M1BS, …), and file pairs in DIR whose names differ only by that token
                          (x_pan.tif + x_ms.tif → scene "x")
        --list FILE       CSV with a header naming pan, ms (and scene), or JSON [{"pan", "ms", "scene"?}];
                          relative paths are relative to FILE; any GDAL path (/vsizip/, /vsicurl/, /vsis3/…)
        --pattern P       output file name: {scene} {method} {pan} {ms} (default {scene}_{method}.tif)
        --shard i/n       this machine's share: scenes sorted by name, every n-th from the i-th (1 ≤ i ≤ n);
                          n machines with i = 1…n cover every scene exactly once, with no coordination
        --tile, --device, --cog, --of, -co, --float32, --compress, --overwrite: as for sharpen
        --quiet           errors only;  --json  the report as JSON on stdout
      Writes DIR/batch-report[-shard-i-of-n].json and .csv (one row per scene and method: done, complete,
      failed, cancelled; seconds; error). Exit 0 when nothing failed, 7 when some failed, 130 on Ctrl-C.`;
