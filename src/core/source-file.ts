import { diagnostic, FILE_START, type Diagnostic } from "./diagnostics.js";
import { splitFrontMatter } from "./front-matter.js";
import { LIMITS } from "./limits.js";
import { validateAgainstSchema, type FileFormat } from "./schemas.js";
import { decodeUtf8 } from "./utf8.js";
import { parseYaml, type ParsedYaml } from "./yaml-source.js";

/** A file handed to the core by an adapter. `bytes` is absent when the adapter did not read it (too large). */
export interface SourceFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  size: number;
  bytes?: Uint8Array;
  /** Set when the path is not a regular file (e.g. "a symbolic link"): it was not read. */
  notRegular?: string;
  /** Set when the file could not be read (e.g. "permission denied"): why. */
  unreadable?: string;
}

/** A file parsed as one of the formats, with a way back to its positions. */
export interface LoadedFile {
  path: string;
  format: FileFormat;
  parsed: ParsedYaml;
  /** True when the file matches its schema. */
  schemaValid: boolean;
  /** A policy's Markdown after its front matter. */
  body?: string;
  /** A policy's line that closes its front matter. */
  frontMatterEnd?: number;
}

export interface LoadResult {
  file?: LoadedFile;
  diagnostics: Diagnostic[];
}

/** Reads one file safely: size limit, UTF-8, YAML (or front matter), then its JSON Schema. Never throws on bad data. */
export function loadSourceFile(source: SourceFile, format: FileFormat): LoadResult {
  const limit = format === "evidence" ? LIMITS.maxEvidenceFileBytes : LIMITS.maxProgramFileBytes;
  if (source.notRegular) {
    return {
      diagnostics: [
        diagnostic(
          source.path,
          FILE_START,
          "error",
          "file-type",
          `${source.path} is ${source.notRegular}: compliance files must be regular files, so it was not read; replace it with the file itself`,
        ),
      ],
    };
  }
  if (source.unreadable) {
    return {
      diagnostics: [
        diagnostic(
          source.path,
          FILE_START,
          "error",
          "file-unreadable",
          `${source.path} could not be read (${source.unreadable}): make it readable by whoever runs soc2 (e.g. chmod a+r), or remove it`,
        ),
      ],
    };
  }
  if (source.size > limit || source.bytes === undefined) {
    return {
      diagnostics: [
        diagnostic(
          source.path,
          FILE_START,
          "error",
          "file-too-large",
          `file is ${formatBytes(source.size)}, over the ${formatBytes(limit)} limit for ${format} files: split it or remove bulk data`,
        ),
      ],
    };
  }
  const decoded = decodeUtf8(source.bytes);
  if (!decoded.ok) {
    return {
      diagnostics: [
        diagnostic(
          source.path,
          decoded.at,
          "error",
          "encoding",
          `byte 0x${decoded.byte.toString(16).padStart(2, "0")} is not valid UTF-8: save the file as UTF-8`,
        ),
      ],
    };
  }
  // Checked over the whole file, before a policy is split: a NUL in a policy's Markdown body is
  // as binary as one in its front matter.
  const nul = decoded.text.replace(/^\uFEFF/, "").indexOf("\0");
  if (nul >= 0) {
    const before = decoded.text
      .replace(/^\uFEFF/, "")
      .slice(0, nul)
      .split("\n");
    return {
      diagnostics: [
        diagnostic(
          source.path,
          { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 },
          "error",
          "encoding",
          `the file contains a NUL byte: it looks binary, not ${format === "policy" ? "Markdown" : "YAML"}; remove the byte, or the file if it is not a ${format === "policy" ? "policy" : "YAML file"}`,
        ),
      ],
    };
  }
  let text = decoded.text;
  let lineOffset = 0;
  let body: string | undefined;
  let frontMatterEnd: number | undefined;
  if (format === "policy") {
    const split = splitFrontMatter(text);
    if (!split.ok) {
      return {
        diagnostics: [
          diagnostic(source.path, split.at, "error", "policy-front-matter", split.problem),
        ],
      };
    }
    text = split.yaml;
    lineOffset = split.yamlLineOffset;
    body = split.body;
    frontMatterEnd = split.closingLine;
  } else if (text.startsWith("\uFEFF")) {
    text = text.slice(1);
  }
  const parsed = parseYaml(source.path, text, { lineOffset });
  const diagnostics = [...parsed.diagnostics];
  if (parsed.value === undefined) return { diagnostics };
  const schemaDiagnostics = validateAgainstSchema(source.path, format, parsed);
  diagnostics.push(...schemaDiagnostics);
  return {
    file: {
      path: source.path,
      format,
      parsed,
      schemaValid: schemaDiagnostics.length === 0,
      ...(body === undefined ? {} : { body, frontMatterEnd }),
    },
    diagnostics,
  };
}

/** A size for a diagnostic: whole MiB when it is one, else exact bytes. */
export function formatBytes(n: number): string {
  const mib = n / (1024 * 1024);
  // Exact bytes when rounding would make a file just over the limit look equal to it.
  if (mib >= 1 && Number.isInteger(mib)) return `${mib} MiB`;
  return `${n.toLocaleString("en-US")} bytes`;
}
