import {
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** GitHub refuses a query that could return more nodes than this, before running it. */
export const NODE_LIMIT = 500_000;

/**
 * The most nodes a query can return, counted as GitHub documents it: each connection's
 * `first`/`last` times the product of the connections it is nested in, summed.
 */
export function nodeCount(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const count = (
    set: SelectionSetNode | undefined,
    multiplier: number,
    seen: Set<string>,
  ): number => {
    let total = 0;
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += count(selection.selectionSet, multiplier, seen);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        if (seen.has(name)) continue;
        total += count(fragments.get(name)?.selectionSet, multiplier, new Set([...seen, name]));
      } else {
        const page = selection.arguments
          ?.filter((a) => a.name.value === "first" || a.name.value === "last")
          .map((a) => Number(valueFromASTUntyped(a.value, variables)))
          .find((n) => Number.isFinite(n));
        const inner = page === undefined ? multiplier : multiplier * page;
        if (page !== undefined) total += inner;
        total += count(selection.selectionSet, inner, seen);
      }
    }
    return total;
  };
  return count(operation.selectionSet, 1, new Set());
}
