import type { Position } from "./diagnostics.js";

export type DecodeResult = { ok: true; text: string } | { ok: false; at: Position; byte: number };

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Decodes UTF-8, or finds the line and column of the first byte that is not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): DecodeResult {
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    const offset = firstInvalidOffset(bytes);
    const before = new TextDecoder("utf-8").decode(bytes.subarray(0, offset));
    const lines = before.split("\n");
    const last = lines[lines.length - 1] ?? "";
    return {
      ok: false,
      at: { line: lines.length, column: [...last].length + 1 },
      byte: bytes[offset] ?? 0,
    };
  }
}

function firstInvalidOffset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong, surrogate and out-of-range forms are caught by checking the whole sequence.
    try {
      strict.decode(bytes.subarray(i, i + need + 1));
    } catch {
      return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
