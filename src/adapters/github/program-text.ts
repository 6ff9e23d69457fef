import { formatDiagnostic } from "../../core/diagnostics.js";
import { loadSourceFile, type LoadedFile } from "../../core/source-file.js";

/** soc2.yml is missing or invalid where the policy must come from: the check cannot run. */
export class PolicyError extends Error {
  override name = "PolicyError";
}

/**
 * soc2.yml's text read from GitHub, checked like a file of the checkout (size, YAML, schema).
 * Throws a PolicyError naming `label` and the first problems (file, line, column) when invalid.
 */
export function programFromText(path: string, text: string, label: string): LoadedFile {
  const bytes = new TextEncoder().encode(text);
  const loaded = loadSourceFile({ path, size: bytes.length, bytes }, "program");
  const errors = loaded.diagnostics.filter((d) => d.severity === "error");
  if (!loaded.file || errors.length > 0)
    throw new PolicyError(
      `the policy ${label} is not valid: ${errors.slice(0, 3).map(formatDiagnostic).join("; ")}`,
    );
  return loaded.file;
}
