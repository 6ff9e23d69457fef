import { chainRequirement, chainRequirementText } from "../evidence/chain-required.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import type { Repository } from "../model.js";

/**
 * A record the GitHub App would have written (it says so in `source.type`, or it is of a kind only
 * the App writes) must carry its chain link: the App's stores link every record into the hash
 * chain. Without one it was filed by hand or had its link removed, and `soc2 verify` cannot tell
 * whether it was inserted. Only presence is checked here; `soc2 verify` checks the link itself.
 */
export function checkEvidenceChain(repo: Repository): Diagnostic[] {
  return repo.evidence.flatMap((record) => {
    const why = chainRequirement(record);
    if (!why || record.chained !== false) return [];
    const at = why === "source" ? ["source", "type"] : ["kind"];
    return [
      diagnostic(
        record.file.path,
        record.file.parsed.locate(at),
        "error",
        "evidence-unchained",
        `this ${record.kind ?? "evidence"} record has no chain link, but ${chainRequirementText(record, why)}, and the App links every record it writes into the hash chain: it was filed by hand or its chain removed. Remove it (git log -p -- <file> shows who added it); evidence people file is an attestation, with source.type manual`,
      ),
    ];
  });
}
