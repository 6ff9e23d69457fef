import type { Evaluation } from "../evaluation.js";
import { listOf } from "../identity.js";
import { TICKET_SCAN_CHARS, type TicketPlace } from "../policy.js";
import type { RuleResult } from "../verdict.js";

const PLACE: Record<TicketPlace, string> = {
  title: "the title",
  body: "the description",
  branch: "the branch name",
};

/**
 * Links the change to the ticket that requested it (the auditor's "who asked for this, and
 * when"). The pattern and the places searched come from ticket: in soc2.yml.
 */
export function ticketReference({ facts, policy }: Evaluation): RuleResult {
  const { required, pattern, in: places } = policy.ticket;
  if (!required) {
    return {
      rule: "ticket-reference",
      result: "skipped",
      reason: "the policy does not require a ticket reference (ticket.required is false)",
    };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    return {
      rule: "ticket-reference",
      result: "fail",
      reason: `ticket.pattern in soc2.yml is not a valid regular expression (${error instanceof Error ? error.message : String(error)}): fix it on the base branch`,
    };
  }
  const text: Record<TicketPlace, string> = {
    title: facts.title,
    body: facts.body ?? "",
    branch: facts.head.ref,
  };
  for (const place of places) {
    const match = regex.exec(text[place].slice(0, TICKET_SCAN_CHARS));
    if (match) {
      return {
        rule: "ticket-reference",
        result: "pass",
        reason: `found ${match[0]} in ${PLACE[place]}`,
        details: { ticket: match[0], in: place },
      };
    }
  }
  return {
    rule: "ticket-reference",
    result: "fail",
    reason: `no ticket reference matching ${pattern} in ${listOf(
      places.map((p) => PLACE[p]),
      "or",
    )}: add the ticket to the title`,
  };
}
