/**
 * A query parameter of the Link header's rel="next" (GitHub's cursor pagination: `after` on the
 * activity API, `cursor` on webhook deliveries), or undefined when there is no next page.
 */
export function nextPageParameter(link: unknown, parameter: string): string | undefined {
  if (typeof link !== "string") return undefined;
  for (const part of link.split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (m) return new URL(m[1]!).searchParams.get(parameter) ?? undefined;
  }
  return undefined;
}
