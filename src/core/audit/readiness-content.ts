import { asObject as obj } from "../json-read.js";
import type { EvidenceRecord } from "../model.js";

/**
 * The content fields the readiness assessment reads of a record (assessReadiness, its exceptions
 * and freshness): when each record's activity happened (evidenceDay), and of change records with
 * an exception and of review events, what resolving the exception needs (assessExceptions). A
 * command that streams records keeps only these, not every record's whole content. Kinds that
 * are few (attestations, drift events) are kept whole. A test checks that the assessment of a
 * repository kept this way equals that of the whole records.
 */
export function readinessContent(record: EvidenceRecord): unknown {
  const c = obj(record.content);
  switch (record.kind) {
    case "change-record": {
      const change = obj(c.change);
      if (c.exception === undefined) return { change: { merged_at: change.merged_at } };
      return {
        change: {
          merged_at: change.merged_at,
          number: change.number,
          type: change.type,
          author: { id: obj(change.author).id },
        },
        repository: { full_name: obj(c.repository).full_name },
        exception: c.exception,
        verdict: { exception: obj(c.verdict).exception },
      };
    }
    case "review-event": {
      const review = obj(c.review);
      return {
        action: c.action,
        occurred_at: c.occurred_at,
        repository: { full_name: obj(c.repository).full_name },
        pull_request: { number: obj(c.pull_request).number },
        review: {
          submitted_at: review.submitted_at,
          state: review.state,
          dismissed: review.dismissed,
          reviewer: { id: obj(review.reviewer).id },
        },
      };
    }
    case "pull-request-event":
      return { occurred_at: c.occurred_at };
    case "settings-snapshot":
      return { captured_at: c.captured_at };
    default:
      return record.content;
  }
}
