/**
 * @module main/cli/evaluate-help
 * `panforge evaluate --help` (apart from the command, so help answers without loading the engine).
 */
export const EVALUATE_HELP = `  panforge evaluate --pan PAN --ms MS --methods all|a,b,c --protocol rr|fr|both --out DIR [options]
      Assess methods with the standard indices and write DIR/report.json, report.csv, report.html, the outputs
      (DIR/rr/, DIR/fr/) and per-pixel maps (DIR/maps/).
        rr: Wald's protocol: PAN and MS MTF-degraded by the ratio, the original MS is the reference:
            Q2n (Q4/Q8), Q, SAM, ERGAS, SCC, PSNR.
        fr: full resolution, no reference: D_λ, D_s, QNR, D_λ(K), HQNR.
        --methods all     every installed method that fits the scene; the others are listed as skipped
        --sensor S        MTF of sensor S (QuickBird, IKONOS, GeoEye-1, WorldView-2, WorldView-3, Pleiades, GF-2, generic);
                          default: the scene's SENSOR metadata, else generic
        --pan-gain G      PAN Nyquist gain for the rr degradation (default: the sensor's, from the toolbox's
                          MTF_PAN.m: QuickBird 0.15, IKONOS 0.17, GeoEye-1 0.16, WorldView-2 0.11,
                          WorldView-3 0.14; other sensors and generic 0.15)
        --compare A,B     map where methods A and B disagree (default: the first two methods)
        --tile N          tile core size in PAN pixels for sharpening (default 512)
        --device D        auto | cpu | cuda (default auto)
        --threads N       worker threads computing the indices (default: one per core); 1 computes them in the
                          main thread; the values are the same for any N
        --max-pixels N    refuse inputs declaring more PAN pixels than N (default 4e9)
        --overwrite       replace the files of an earlier report in DIR
        --quiet           no progress
        --json            print the report as JSON on stdout`;
