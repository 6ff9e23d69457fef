import { TICKET_SCAN_CHARS, type ChangePolicy } from "../../change-management/policy.js";

/**
 * Every ticket reference the policy's pattern finds in the places it names (title, body, branch),
 * in order of appearance, each once. An invalid pattern finds none: the verdict's
 * ticket-reference rule already reports it.
 */
export function findTickets(
  ticket: ChangePolicy["ticket"],
  text: { title: string; body: string | null; branch: string },
): string[] {
  let regex: RegExp;
  try {
    regex = new RegExp(ticket.pattern, "g");
  } catch {
    return [];
  }
  const found = new Set<string>();
  const places = { title: text.title, body: text.body ?? "", branch: text.branch };
  for (const place of ticket.in) {
    for (const match of places[place].slice(0, TICKET_SCAN_CHARS).matchAll(regex)) {
      if (match[0] !== "") found.add(match[0]);
    }
  }
  return [...found];
}
