/**
 * @module main/cli/recommend-help
 * `panforge recommend`'s usage, apart from the command so `panforge --help` loads no engine code.
 */
export const RECOMMEND_HELP = `  panforge recommend --pan PAN --ms MS [--methods a,b,…] [--seed N] [--sensor S] [--device D] [--json]
      The self-check: degrade the scene (Wald), run every method (each network with and without --adapt, every
      baseline) on a seeded sample of its windows, and rank them by ERGAS (then SAM) against the original MS on
      held-back windows; QNR/HQNR at full resolution for the top three. Prints the recommended --method.
        --methods a,b     compare only these (default: every installed method that fits the scene)
        --seed N          which windows are drawn (default 1); the same seed gives the same ranking
        --sensor S        MTF of sensor S for the degradation (default: SENSOR metadata, else generic, with a warning)
        --json            one object: recommended {method, adapt, name}, ranking [{rank, name, method, adapt, sam,
                          ergas, q2n, fullResolution?}], skipped, windows, sensor`;
