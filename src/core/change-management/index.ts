// The change-management evaluator's public surface, for the CLI, the Action and the App.
export type * from "./facts.js";
export { checkFacts, FACTS_SCHEMA_ID, type FactsCheck, type FactsProblem } from "./facts-schema.js";
export {
  readChangePolicy,
  needsControlOwners,
  type ChangePolicy,
  type Approvers,
  type PathRule,
  type OwnerRole,
} from "./policy.js";
export { controlOwnersOf } from "./control-owners.js";
export { evaluate, type EvaluationContext } from "./evaluate.js";
export {
  RULE_IDS,
  type RuleId,
  type RuleResult,
  type Verdict,
  type VerdictException,
} from "./verdict.js";
export { renderVerdictMarkdown, renderVerdictText } from "./render.js";
export { parseCodeOwners, ruleFor, type CodeOwners } from "./codeowners.js";
