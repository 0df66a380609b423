/**
 * @module main/engine/io/gdal
 * The engine's one handle on gdal-async, configured once: no .aux.xml side files next to the user's inputs
 * (GDAL's PAM would persist statistics there), a bounded block cache, and GDAL errors surface as exceptions,
 * not stderr noise (nor gdal-async's event-loop warnings).
 */
import gdal from 'gdal-async';

gdal.config.set('GDAL_PAM_ENABLED', 'NO');
// GDAL's block cache defaults to 5 % of RAM; a fixed budget keeps memory flat whatever the scene size. 64 MB holds
// a row of 512 px tiles of a 12000 px wide scene (input blocks and dirty output blocks); with 128 MB a 4096² run
// never filled the cache and 12000² peaked 27 % higher, with 64 MB 5 % (bench inference, BENCHMARKS.md).
gdal.config.set('GDAL_CACHEMAX', process.env.PANFORGE_GDAL_CACHE_MB ?? '64');
gdal.config.set('CPL_LOG', '/dev/null');
// gdal-async points GRIB at its bundled GDAL's resource files; with the system GDAL (ours), GDAL's own are right.
if (!gdal.bundled) gdal.config.set('GRIB_RESOURCE_DIR', null);
gdal.quiet();
// gdal-async warns on stderr when a synchronous call blocks the event loop during an asynchronous one: a hint for
// its developers, noise for users (and it broke --json/--quiet's clean stderr). PANFORGE_DEBUG keeps it.
if (!process.env.PANFORGE_DEBUG) (gdal as unknown as { eventLoopWarning: boolean }).eventLoopWarning = false;

export { gdal };
export type { Dataset, RasterBand, SpatialReference } from 'gdal-async';
