import { isBot } from "../identity.js";
import type { ApprovalFilter } from "./approval-filter.js";

/**
 * Bots never count as approvers: an approval is a person's judgement (scorecard once counted
 * github-actions[bot]). A bot's pull request still needs a person's review like any other.
 */
export const botApprovals: ApprovalFilter = {
  rule: "bot-approvals",
  disabled: () => undefined,
  reject: ({ reviewer }) =>
    isBot(reviewer) ? `${reviewer.login} is a bot, and bots never count as approvers` : undefined,
  clean: ({ approvals }) =>
    approvals.length === 0 ? "no approvals yet" : "no approval comes from a bot",
  advice: () => "A person must approve.",
};
