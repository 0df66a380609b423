/**
 * @module main/engine/jobs/stages
 * Small async-iterable stages for the tile pipeline. Each one holds a bounded number of items, so a fast producer
 * waits for a slow consumer (back-pressure) and memory does not grow with the scene. `prefetch` lets the upstream
 * stage run ahead by `depth` items; `parallelMap` runs up to `concurrency` calls at once and still yields in input
 * order; `batchItems` groups items for one inference call; `flatten` undoes it.
 */

export async function* mapStage<I, O>(source: AsyncIterable<I>, fn: (item: I) => Promise<O> | O): AsyncGenerator<O> {
  for await (const item of source) yield await fn(item);
}

const END: unique symbol = Symbol('end');

export async function* prefetch<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  yield* inOrderAhead(iterator, depth, () => iterator.next().then<T | typeof END>((r) => (r.done ? END : r.value)));
}

/**
 * `fn` over the items, up to `concurrency` calls running at once, results in input order. At most `concurrency`
 * items are pulled and not yet handed on, whatever the speeds of source and consumer.
 */
export async function* parallelMap<I, O>(source: AsyncIterable<I> | Iterable<I>, fn: (item: I) => Promise<O>, concurrency: number): AsyncGenerator<O> {
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : toAsync(source)[Symbol.asyncIterator]();
  // Async generators serve next() calls one at a time, so slots fill in order even when pulled together.
  yield* inOrderAhead(iterator, concurrency, () => iterator.next().then<O | typeof END>((r) => (r.done ? END : fn(r.value))));
}

/**
 * What prefetch and parallelMap share: `ahead` slots (at least one) pulled from `iterator` before the consumer asks,
 * yielded in the order pulled, one more pulled per value handed on, until a slot holds END. The iterator is closed
 * however the consumer stops.
 */
async function* inOrderAhead<O>(iterator: AsyncIterator<unknown>, ahead: number, pullSlot: () => Promise<O | typeof END>): AsyncGenerator<O> {
  const window: Promise<O | typeof END>[] = [];
  const pull = () => {
    const slot = pullSlot();
    // A slot may fail after the consumer has already stopped; its error is reported by the first await that
    // reaches it, never as an unhandled rejection.
    slot.catch(() => undefined);
    window.push(slot);
  };
  for (let i = 0; i < Math.max(1, ahead); i++) pull();
  try {
    for (;;) {
      const value = await window.shift()!;
      if (value === END) return;
      pull();
      yield value;
    }
  } finally {
    await iterator.return?.(undefined)?.catch(() => undefined);
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/** Groups consecutive items into arrays of `size` (the last one may be shorter). */
export async function* batchItems<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export async function* flatten<T>(source: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const items of source) yield* items;
}
