// A worker thread of `checkInThreads`: sets up the validation from the repository's other files,
// then reads and checks the batches of evidence records it is sent, and sends back what each
// record's checks found and the summary the validation keeps of it.
import { parentPort, workerData } from "node:worker_threads";
import { toPortable } from "../core/evidence-retention.js";
import { LIMITS } from "../core/limits.js";
import { startValidation } from "../core/validate.js";
import type { Batch, CheckedBatch, ThreadSetup } from "./check-in-threads.js";
import { readSourceSync } from "./read-repository.js";

const setup = workerData as ThreadSetup;
const validation = startValidation(setup.files, {
  now: setup.now,
  retain: "summary",
  ...(setup.evidenceFolderExists === undefined
    ? {}
    : { evidenceFolderExists: setup.evidenceFolderExists }),
});

parentPort!.on("message", (batch: Batch) => {
  const checked = batch.paths.map((path) => {
    const found = validation.checkEvidence(
      readSourceSync(setup.dir, path, LIMITS.maxEvidenceFileBytes),
    );
    return found.record ? { ...found, record: toPortable(found.record) } : found;
  });
  parentPort!.postMessage({ batch: batch.index, checked } satisfies CheckedBatch);
});
