/**
 * @module main/engine/jobs/stages
 * Small async-iterable stages for the tile pipeline. `prefetch` lets the upstream stage run ahead by a bounded
 * number of items, so reading, fusing and writing overlap while at most `depth` extra tiles sit in memory.
 */

export async function* mapStage<I, O>(source: AsyncIterable<I>, fn: (item: I) => Promise<O> | O): AsyncGenerator<O> {
  for await (const item of source) yield await fn(item);
}

export async function* prefetch<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<T>>[] = [];
  const pull = () => {
    const next = iterator.next();
    // A prefetched item may fail after the consumer has already stopped; its error is reported by the first
    // await that reaches it, never as an unhandled rejection.
    next.catch(() => undefined);
    queue.push(next);
  };
  for (let i = 0; i < Math.max(1, depth); i++) pull();
  try {
    for (;;) {
      const result = await queue.shift()!;
      if (result.done) return;
      pull();
      yield result.value;
    }
  } finally {
    await iterator.return?.(undefined)?.catch(() => undefined);
  }
}
