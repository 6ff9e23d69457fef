import { createHash } from "node:crypto";
import type { Frequency } from "../model.js";

/**
 * Sample sizes by how often a control operates. AICPA prescribes none; these are the low ends of
 * the ranges audit firms commonly use when no deviation is expected (annual 1, quarterly 2,
 * monthly 2–5, weekly 5–15, daily 20–40, many times a day 25–60). 25 for a control that operates
 * on every change is also the zero-deviation attribute sample for 90% confidence and a 9%
 * tolerable rate: ln(1 − 0.90) / ln(1 − 0.09) ≈ 24.4. An auditor who wants more passes --size.
 */
export const SAMPLE_SIZES: Readonly<Record<Frequency, { size: number; convention: string }>> = {
  annually: { size: 1, convention: "1" },
  quarterly: { size: 2, convention: "2" },
  monthly: { size: 2, convention: "2–5" },
  weekly: { size: 5, convention: "5–15" },
  daily: { size: 20, convention: "20–40" },
  "per-occurrence": { size: 25, convention: "25–60" },
};

const FREQUENCY_ALIASES: Readonly<Record<string, Frequency>> = {
  annual: "annually",
  yearly: "annually",
  "many-times-a-day": "per-occurrence",
  "multiple-times-a-day": "per-occurrence",
  occurrence: "per-occurrence",
};

/** The frequency named (soc2.yml's names, plus a few spellings auditors use), or undefined. */
export function parseFrequency(value: string): Frequency | undefined {
  const key = value.trim().toLowerCase();
  if (key in SAMPLE_SIZES) return key as Frequency;
  return FREQUENCY_ALIASES[key];
}

/** How the sample is drawn, in words an auditor can put in a working paper. */
export const SELECTION_METHOD =
  'each item of the population gets the key SHA-256("<seed>:<record id>") (hex); items are sorted by key and the first n are taken';

/** The selection key of one item: reproducible with any SHA-256 tool. */
export function sampleKey(seed: string, id: string): string {
  return createHash("sha256").update(`${seed}:${id}`, "utf8").digest("hex");
}

export interface Sampled<T> {
  /** 1 for the item with the lowest key. */
  rank: number;
  key: string;
  item: T;
}

export interface Sample<T> {
  seed: string;
  /** The size asked for. */
  requested: number;
  populationSize: number;
  /** True when the population had no more items than asked for, so every item was taken. */
  allTaken: boolean;
  items: Sampled<T>[];
}

/**
 * A reproducible sample: the same seed and the same population (as a set of ids) always give the
 * same items in the same order, whatever order the population arrives in. No state, no PRNG: an
 * auditor can recompute each key with `printf '%s' "7:changes/…" | sha256sum`.
 */
export function drawSample<T extends { id: string }>(
  population: readonly T[],
  seed: string,
  size: number,
): Sample<T> {
  const keyed = population.map((item) => ({ key: sampleKey(seed, item.id), item }));
  // Ties cannot happen for distinct ids short of a SHA-256 collision; the id keeps the sort total anyway.
  keyed.sort((a, b) =>
    a.key < b.key
      ? -1
      : a.key > b.key
        ? 1
        : a.item.id < b.item.id
          ? -1
          : a.item.id > b.item.id
            ? 1
            : 0,
  );
  const n = Math.max(0, Math.min(size, keyed.length));
  return {
    seed,
    requested: size,
    populationSize: population.length,
    allTaken: population.length <= size,
    items: keyed.slice(0, n).map((k, i) => ({ rank: i + 1, key: k.key, item: k.item })),
  };
}
