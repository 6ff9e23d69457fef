/** `fn` over the items, at most `limit` at a time, results in the items' order. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R> | R,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < items.length; n = next++) out[n] = await fn(items[n]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * `fn` over the items with up to `ahead` calls in flight, yielded in the items' order as the
 * consumer asks: the disk stays busy while the consumer holds only the window, never all results.
 */
export async function* inOrder<T, R>(
  items: readonly T[],
  ahead: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const pending: Array<Promise<R>> = [];
  let next = 0;
  while (next < items.length && pending.length < ahead) pending.push(fn(items[next++]!));
  while (pending.length > 0) {
    const result = await pending.shift()!;
    if (next < items.length) pending.push(fn(items[next++]!));
    yield result;
  }
}
