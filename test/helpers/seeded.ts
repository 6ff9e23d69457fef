// Deterministic "random" inputs (a small linear congruential generator), so a failure can be
// replayed: the same seed gives the same sequence on every run.

/** A generator of whole numbers: `next(n)` is the next one from 0 to n − 1. */
export function seededIntegers(seed: number): (n: number) => number {
  let state = seed;
  return (n) => (state = (state * 1103515245 + 12345) % 2 ** 31) % n;
}

/** A deterministic shuffle. */
export function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  const next = seededIntegers(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = next(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `count` texts of up to `maxLength − 1` pieces of `alphabet`, each piece drawn from the seed. */
export function* generatedTexts(
  alphabet: readonly string[],
  options: { count: number; maxLength: number; seed: number },
): Generator<string> {
  const next = seededIntegers(options.seed);
  for (let n = 0; n < options.count; n++) {
    let text = "";
    const length = next(options.maxLength);
    for (let i = 0; i < length; i++) text += alphabet[next(alphabet.length)];
    yield text;
  }
}
