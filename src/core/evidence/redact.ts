/** What a secret is replaced with. */
export const REDACTED = "[REDACTED]";

// Each pattern finds a whole secret (replaced entirely), or, with a `keep` group, a label to keep
// followed by the secret. Patterns are anchored on a token's own prefix or on a key name, so commit
// SHAs, digests and ordinary prose stay as they are.
interface Pattern {
  name: string;
  regex: RegExp;
  /** Keep the first capture group (a key name, "Bearer ", "user:") and redact the rest. */
  keep?: boolean;
  /** Keep the second capture group, a quote, around the redacted value. */
  quoted?: boolean;
}

const PATTERNS: readonly Pattern[] = [
  // Whole PEM private key blocks, or what is left of one when the end marker was cut off.
  {
    name: "private key",
    regex:
      /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[\s\S]*$)/g,
  },
  { name: "GitHub token", regex: /\bgh[pousr]_[A-Za-z0-9]{30,255}\b/g },
  { name: "GitHub fine-grained token", regex: /\bgithub_pat_[A-Za-z0-9_]{20,255}/g },
  // A 40-character secret right after its key id (same line, a label or separator between) is a
  // secret whatever characters it happens to hold. Runs before the key id itself is replaced.
  {
    name: "AWS secret next to its key id",
    regex:
      /(\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b[^\n]{0,80}?)(?<![A-Za-z0-9/+=_-])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=_-])/g,
    keep: true,
  },
  { name: "AWS access key", regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  { name: "Slack token", regex: /\bxox[abposr]-[A-Za-z0-9-]{10,250}/g },
  { name: "Slack webhook", regex: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]{1,250}/g },
  { name: "npm token", regex: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { name: "Google API key", regex: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: "Stripe key", regex: /\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,250}\b/g },
  { name: "JWT", regex: /\beyJ[A-Za-z0-9_-]{5,4096}\.eyJ[A-Za-z0-9_-]{5,8192}\.[A-Za-z0-9_-]{0,4096}/g },
  // Authorization header values: "Bearer <token>", "token <token>", "Basic <base64>". A token has
  // a digit somewhere, which keeps "token authentication" and similar prose intact.
  {
    name: "authorization",
    regex: /\b((?:[Bb]earer|[Tt]oken|[Bb]asic)\s+)(?=[A-Za-z0-9._~+/=-]{0,2048}\d)[A-Za-z0-9._~+/-]{16,2048}=*/g,
    keep: true,
  },
  // AWS secret access keys: 40 characters of base64's alphabet with upper case, lower case and a
  // digit, standing alone (a label like aws_secret_access_key= is caught below as well). A commit
  // SHA is hex in one case, and a run inside a longer token, a URL path or an ID is not alone.
  {
    name: "AWS secret access key",
    regex:
      /(?<![A-Za-z0-9/+=_-])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=_-])/g,
  },
  // Azure storage account keys: 64 random bytes, so 88 base64 characters ending in ==. A SHA-512
  // digest has the same shape, so one labelled as a digest (sha512-, sha512:) is kept.
  {
    name: "Azure storage account key",
    regex:
      /(?<![A-Za-z0-9/+=_-])(?<!sha-?\d{1,3}[-:]\s?)(?=[A-Za-z0-9/+]{0,85}[0-9])[A-Za-z0-9/+]{86}==(?![A-Za-z0-9/+=_-])/gi,
  },
  // Connection strings: AccountKey=…; SharedAccessKey=…; whatever the value's length.
  {
    name: "connection string key",
    regex: /(\b(?:Account|SharedAccess)Key=)(?![$<[])[^\s;"'&,]{1,512}/gi,
    keep: true,
  },
  // user:password@ in URLs.
  { name: "URL password", regex: /(\b[a-z][a-z0-9+.-]{0,30}:\/\/[^/\s:@]{1,256}:)[^@\s/]{1,256}(?=@)/gi, keep: true },
  // A password is a secret however short it is (password=hunter2, PASSWORD: x1).
  {
    name: "password (quoted)",
    regex:
      /(\b[A-Za-z0-9_.-]{0,40}(?:password|passwd|passphrase)["']?\s*[:=]\s*)(["'])(?![$<]|\[REDACTED\])[^"'\n]{1,512}\2/gi,
    keep: true,
    quoted: true,
  },
  {
    name: "password",
    regex:
      /(\b[A-Za-z0-9_.-]{0,40}(?:password|passwd|passphrase)\s*[:=][ \t]*)(?![$<"'[])[^\s"'&,;]{1,512}/gi,
    keep: true,
  },
  // key=value or key: value, where the key names a secret and the value is long enough to be one.
  // Values that are references ($VAR, ${{ secrets.X }}, <placeholder>) are not secrets.
  {
    name: "assignment (quoted)",
    regex:
      /(\b[A-Za-z0-9_.-]{0,40}(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)["']?\s*[:=]\s*)(["'])(?![$<]|\[REDACTED\])[^"'\n]{8,512}\2/gi,
    keep: true,
    quoted: true,
  },
  {
    name: "assignment",
    regex:
      /(\b[A-Za-z0-9_.-]{0,40}(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)\s*[:=]\s*)(?![$<"'[])[^\s"'&,;]{8,512}/gi,
    keep: true,
  },
];

/** Replaces token-like strings (API tokens, keys, passwords in assignments or URLs) with [REDACTED]. */
export function redact(text: string): string {
  let out = text;
  for (const { regex, keep, quoted } of PATTERNS) {
    out = out.replace(regex, (_match: string, label: unknown, quote: unknown) => {
      if (!keep || typeof label !== "string") return REDACTED;
      return quoted && typeof quote === "string"
        ? `${label}${quote}${REDACTED}${quote}`
        : `${label}${REDACTED}`;
    });
  }
  return out;
}

/** A copy of a JSON-like value with every string redacted; keys, numbers and booleans are kept. */
export function redactDeep<T>(value: T): T {
  return walk(value, new Set()) as T;
}

function walk(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value === "string") return redact(value);
  if (value === null || typeof value !== "object") return value;
  if (ancestors.has(value)) return "[Circular]";
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => walk(item, ancestors));
    if (value instanceof Date) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = walk(item, ancestors);
    return out;
  } finally {
    ancestors.delete(value);
  }
}
