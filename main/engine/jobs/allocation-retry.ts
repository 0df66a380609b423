/**
 * @module main/engine/jobs/allocation-retry
 * Runs a pass over the scene again with tiles half the size when it fails to allocate memory, down to
 * MIN_TILE_PX, then reports a ModelError('out-of-memory'). Any other failure ends the run at once.
 */
import { ModelError } from '../errors.ts';
import { isAllocationFailure, MIN_TILE_PX } from './memory-budget.ts';

export interface AllocationRetryOptions {
  /** The core size of the first pass (PAN px). */
  readonly tileSizePx: number;
  /** Core sizes stay multiples of this (PAN px). */
  readonly multiplePx: number;
  /** Names what failed in the error message (the model, else the method id). */
  readonly what: string;
  readonly log: (message: string) => void;
}

export async function retryWithSmallerTiles<T>(options: AllocationRetryOptions, pass: (tileSizePx: number) => Promise<T>): Promise<T> {
  for (let tileSizePx = options.tileSizePx; ;) {
    try {
      return await pass(tileSizePx);
    } catch (err) {
      if (!isAllocationFailure(err)) throw err;
      const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
      if (tileSizePx <= MIN_TILE_PX) {
        throw new ModelError(
          'out-of-memory',
          `${options.what} could not allocate memory even for ${tileSizePx} px tiles (${reason}); free memory or lower --batch`,
          {
            tileSizePx,
          },
        );
      }
      const smaller = Math.max(MIN_TILE_PX, Math.floor(tileSizePx / 2 / options.multiplePx) * options.multiplePx);
      options.log(`allocation failed with ${tileSizePx} px tiles (${reason}); starting again with ${smaller} px tiles`);
      tileSizePx = smaller;
    }
  }
}
