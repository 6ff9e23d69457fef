import { describe, expect, it } from "vitest";
import { REDACTED, redact, redactDeep } from "../../../src/core/evidence/redact.js";

// Built at run time so that no scanner mistakes this file for a leak.
const repeat = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
const GH = (prefix: string) => `${prefix}_${repeat("aB3dE5", 36)}`;
const PEM = [
  "-----BEGIN RSA PRIVATE KEY-----",
  repeat("MIIEpAIBAAKCAQEA", 64),
  repeat("q83xZ", 64),
  "-----END RSA PRIVATE KEY-----",
].join("\n");
// Shapes of real secrets, built from repeated units so that no scanner mistakes them for leaks.
const AWS_SECRET = repeat("wJalrXUtnFEMI/K7MDENG+bPxRfiCY", 40);
const AZURE_KEY = `${repeat("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw", 86)}==`;
// Digests and base64 of harmless data that evidence holds and that must stay as they are.
const SHA512_B64 = "z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==";
const SHA256_B64 = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
const TEXT_B64 = "VGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZy4=";
const JWT = `eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjM0NSIsImV4cCI6MTcwMDAwMDAwMH0.${repeat("sIgN4tUr3_-", 86)}`;

describe("redact", () => {
  it.each([
    ["a classic GitHub token", `token is ${GH("ghp")} here`, `token is ${REDACTED} here`],
    ["an OAuth token", GH("gho"), REDACTED],
    ["a user-to-server token", GH("ghu"), REDACTED],
    ["an installation token", `x ${GH("ghs")}.`, `x ${REDACTED}.`],
    ["a refresh token", GH("ghr"), REDACTED],
    ["a fine-grained token", `github_pat_11ABCDEFG0${repeat("xY9_", 70)}`, REDACTED],
    ["an AWS access key", "key AKIAIOSFODNN7EXAMPLE used", `key ${REDACTED} used`],
    ["a temporary AWS key", "ASIAY34FZKBOKMUTVV7A", REDACTED],
    ["a Slack bot token", `xoxb-${repeat("1234567890-", 40)}`, REDACTED],
    ["a Slack user token", "xoxp-1111111111-2222222222-abcdefABCDEF", REDACTED],
    ["a Slack webhook", "https://hooks.slack.com/services/T000/B000/XXXXXXXX", REDACTED],
    ["an npm token", `npm_${repeat("a1B2c3", 36)}`, REDACTED],
    ["a JWT", `Authorization uses ${JWT}`, `Authorization uses ${REDACTED}`],
    ["a private key block", `before\n${PEM}\nafter`, `before\n${REDACTED}\nafter`],
    [
      "a private key cut off before its end",
      `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA`,
      REDACTED,
    ],
    ["a Bearer token", "curl -H 'Authorization: Bearer abc123def456ghi789jkl'", `curl -H 'Authorization: Bearer ${REDACTED}'`],
    ["an Authorization token header", `Authorization: token 0123456789abcdef0123`, `Authorization: token ${REDACTED}`],
    ["password=", "DB_PASSWORD=hunter2hunter2 npm start", `DB_PASSWORD=${REDACTED} npm start`],
    ["secret:", "client_secret: 9f8e7d6c5b4a3f2e1d0c", `client_secret: ${REDACTED}`],
    ["token= in a URL query", "https://x.test/cb?token=abcdefgh12345678&next=1", `https://x.test/cb?token=${REDACTED}&next=1`],
    ["a quoted password", `password = "correct horse battery staple"`, `password = "${REDACTED}"`],
    ["a JSON secret", `{"api_key": "0123456789abcdef"}`, `{"api_key": "${REDACTED}"}`],
    ["a password in a URL", "postgres://app:s3cr3t-pass@db.internal:5432/app", `postgres://app:${REDACTED}@db.internal:5432/app`],
    ["a short password=", "password=hunter2", `password=${REDACTED}`],
    ["a two-character PASSWORD:", "PASSWORD: x1", `PASSWORD: ${REDACTED}`],
    ["a short password in a sentence", "login with db_password=abc then", `login with db_password=${REDACTED} then`],
    ["a short quoted password", `{"password": "pw1"}`, `{"password": "${REDACTED}"}`],
    ["a one-character passwd", "passwd=x", `passwd=${REDACTED}`],
    ["a bare AWS secret access key", `secret ${AWS_SECRET} leaked`, `secret ${REDACTED} leaked`],
    [
      "an AWS secret next to its key id",
      `AKIAIOSFODNN7EXAMPLE ${AWS_SECRET}`,
      `${REDACTED} ${REDACTED}`,
    ],
    [
      "an AWS secret of letters only, next to its key id in a CSV line",
      `AKIAIOSFODNN7EXAMPLE,${repeat("abcdefghijklmnopqrstuvwxyz", 40)}`,
      `${REDACTED},${REDACTED}`,
    ],
    ["a labelled AWS secret", `aws_secret_access_key = ${AWS_SECRET}`, `aws_secret_access_key = ${REDACTED}`],
    ["a bare Azure storage account key", `key: ${AZURE_KEY}`, `key: ${REDACTED}`],
    [
      "an Azure connection string",
      `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${AZURE_KEY};EndpointSuffix=core.windows.net`,
      `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${REDACTED};EndpointSuffix=core.windows.net`,
    ],
    [
      "a short AccountKey in a connection string",
      "AccountName=dev;AccountKey=abc123;",
      `AccountName=dev;AccountKey=${REDACTED};`,
    ],
    [
      "a Service Bus SharedAccessKey",
      `Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=R;SharedAccessKey=${AWS_SECRET}=`,
      `Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=R;SharedAccessKey=${REDACTED}`,
    ],
  ])("redacts %s", (_what, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    ["a commit SHA", "merged 1a954628a960aaef81d7b2d4521929579f3541e6 into main"],
    ["a digest", "sha256:f0ed4ad323ece81ed2a3c5e3105ca43b6dda3ca8db676e62d496813a373df219"],
    ["prose about tokens", "Rotate the token before it expires; the password policy requires 12 characters."],
    ["token authentication", "Switch to token authentication for the internationalization service"],
    ["a short token assignment", "token=short"],
    ["a password label with nothing after it on the line", "Password:\n  rotated yearly"],
    ["a git commit SHA (40 hex characters)", "commit 1A954628A960AAEF81D7B2D4521929579F3541E6 and 1a954628a960aaef81d7b2d4521929579f3541e6"],
    ["a sha256 digest", "digest: sha256:f0ed4ad323ece81ed2a3c5e3105ca43b6dda3ca8db676e62d496813a373df219"],
    ["a SHA-512 integrity digest in base64", `"integrity": "sha512-${SHA512_B64}"`],
    ["a SHA-512 digest labelled sha512:", `sha512:${SHA512_B64}`],
    ["a SHA-256 digest in base64", `sha256-${SHA256_B64}`],
    ["a SHA-1 digest in base64", "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk="],
    ["base64 of ordinary text", `content: ${TEXT_B64}`],
    ["a 40-character run inside a longer token", `x${AWS_SECRET}y`],
    ["40 letters alone, with no key id before them", repeat("abcdefghijklmnopqrstuvwxyz", 40)],
    ["a 40-character path segment", `https://example.test/${AWS_SECRET}/file`],
    ["a GitHub node ID", "PR_kwDOAbCdEf5aBcDeFgHiJkLmNoPqRsTuVwXyZ12345"],
    ["a reference to a secret", "token: ${{ secrets.NPM_TOKEN }} and password=$DB_PASSWORD"],
    ["a placeholder", "api_key=<your-key-here>"],
    ["a branch name", "feature/rotate-secrets-2026"],
    ["a short ghp prefix", "ghp_short"],
    ["an ordinary URL", "https://github.com/acme/web/pull/42"],
  ])("leaves %s alone", (_what, input) => {
    expect(redact(input)).toBe(input);
  });

  it("redacts several secrets in one text and is idempotent", () => {
    const text = `a ${GH("ghp")} b AKIAIOSFODNN7EXAMPLE c password="hunter2hunter2" d token=abcdef0123456789`;
    const once = redact(text);
    expect(once).toBe(`a ${REDACTED} b ${REDACTED} c password="${REDACTED}" d token=${REDACTED}`);
    expect(redact(once)).toBe(once);
  });

  it("takes linear time on hostile input", () => {
    const hostile = [
      "a-".repeat(40_000),
      "eyJ".repeat(20_000),
      `token ${"1".repeat(60_000)}`,
      "password=".repeat(7000),
      `-----BEGIN PRIVATE KEY-----${" x".repeat(30_000)}`,
      "https://a:".repeat(6000),
    ];
    for (const text of hostile) {
      const started = performance.now();
      redact(text);
      expect(performance.now() - started, text.slice(0, 20)).toBeLessThan(500);
    }
  });
});

describe("redactDeep", () => {
  it("redacts every string of a value, keeps keys and other values, and copies", () => {
    const value = {
      title: `Fix ${GH("ghs")}`,
      number: 42,
      draft: false,
      none: null,
      labels: ["ok", "AKIAIOSFODNN7EXAMPLE"],
      nested: { body: "password=hunter2hunter2", [`key_${GH("ghp")}`]: 1 },
    };
    const copy = structuredClone(value);
    expect(redactDeep(value)).toEqual({
      title: `Fix ${REDACTED}`,
      number: 42,
      draft: false,
      none: null,
      labels: ["ok", REDACTED],
      nested: { body: `password=${REDACTED}`, [`key_${GH("ghp")}`]: 1 },
    });
    expect(value).toEqual(copy);
  });

  it("survives a cycle", () => {
    const a: Record<string, unknown> = { s: "AKIAIOSFODNN7EXAMPLE" };
    a.self = a;
    expect(redactDeep(a)).toEqual({ s: REDACTED, self: "[Circular]" });
  });
});
