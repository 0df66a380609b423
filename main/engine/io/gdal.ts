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
gdal.quiet();
// gdal-async warns on stderr ("synchronous call … while an asynchronous operation is running") whenever a sync
// getter waits for a read in flight on the same dataset. The engine runs in its own process (the app's and the
// host's event loops are elsewhere), and such a wait lasts one block read: the warning only filled the host log.
gdal.eventLoopWarning = false;

export { gdal };
export type { Dataset, RasterBand, SpatialReference } from 'gdal-async';
