/**
 * A list read a slice at a time: an array, or rows that wait in a file until a page needs them
 * (the population of a decade, every record of a kind). `slice` takes what Array's does.
 */
export interface Rows<T> {
  readonly length: number;
  slice(start?: number, end?: number): T[];
}

/**
 * `items` with `f` applied to each, walked again each time it is iterated: what a plan that a
 * writer walks twice needs, without a mapped copy of every entry.
 */
export function mapIterable<T, U>(items: Iterable<T>, f: (item: T) => U): Iterable<U> {
  return {
    *[Symbol.iterator]() {
      for (const item of items) yield f(item);
    },
  };
}
