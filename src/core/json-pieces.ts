/**
 * The text of JSON.stringify(value, null, 2) + "\n", made in pieces: the list under `listKey` (a
 * key of `value` itself, whose own value only marks its place) is taken from `items` one at a time,
 * so that a list of hundreds of thousands of entries is never one string, nor one array, in memory.
 */
export function* jsonWithListInPieces(
  value: Record<string, unknown>,
  listKey: string,
  items: Iterable<unknown>,
): Generator<string> {
  // A string no JSON value of ours holds, escaped by JSON.stringify: where the list goes.
  const marker = "\u0000list\u0000";
  const [before, after] = JSON.stringify({ ...value, [listKey]: marker }, null, 2).split(
    JSON.stringify(marker),
  );
  yield before!;
  let first = true;
  for (const item of items) {
    // An item at depth 2: JSON.stringify indents it by four more spaces than on its own.
    yield (first ? "[\n    " : ",\n    ") + JSON.stringify(item, null, 2).replace(/\n/g, "\n    ");
    first = false;
  }
  yield (first ? "[]" : "\n  ]") + after! + "\n";
}
