/**
 * FNV-1a over a text's UTF-16 code units, 32 bits: a quick, stable hash for telling texts apart
 * without keeping them (never for security). `seed` continues an earlier hash, to hash a sequence.
 */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
