/**
 * @module main/engine/write/creation-options
 * GDAL creation options for the outputs: PanForge's defaults, overridden key by key by the user's (`-co`).
 * BLOCKSIZE (the COG spelling) is accepted for a plain GeoTIFF too and becomes BLOCKXSIZE/BLOCKYSIZE.
 */
export type OutputFormat = 'GTiff' | 'COG';

function keyOf(option: string): string {
  return option.slice(0, Math.max(0, option.indexOf('='))).toUpperCase();
}

/** `defaults` with every key the user set replaced by the user's value (user options last, as GDAL reads them). */
export function mergeCreationOptions(defaults: readonly string[], user: readonly string[], format: OutputFormat): string[] {
  const expanded = user.flatMap((o) => {
    if (format === 'GTiff' && keyOf(o) === 'BLOCKSIZE') {
      const v = o.slice(o.indexOf('=') + 1);
      return [`BLOCKXSIZE=${v}`, `BLOCKYSIZE=${v}`];
    }
    return [o];
  });
  const userKeys = new Set(expanded.map(keyOf));
  // PREDICTOR=3 with COMPRESS=NONE is an error in GDAL: a user's NONE drops the default predictor.
  const dropPredictor = expanded.some((o) => keyOf(o) === 'COMPRESS' && /=none$/i.test(o));
  return [...defaults.filter((o) => !userKeys.has(keyOf(o)) && !(dropPredictor && keyOf(o) === 'PREDICTOR')), ...expanded];
}
