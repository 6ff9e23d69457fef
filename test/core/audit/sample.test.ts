import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRepository } from "../../../src/adapters/read-repository.js";
import { allChanges, type ChangeItem } from "../../../src/core/audit/population.js";
import {
  drawSample,
  parseFrequency,
  SAMPLE_SIZES,
  sampleKey,
} from "../../../src/core/audit/sample.js";
import { validateRepository } from "../../../src/core/validate.js";
import { runDemo } from "../../../src/dev/demo/run-demo.js";
import { steppingClock, TEST_NOW } from "../../helpers/clock.js";
import { shuffled } from "../../helpers/seeded.js";

let root: string;
let population: ChangeItem[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "soc2-sample-core-"));
  const dir = join(root, "evidence");
  await runDemo({ dir, out: () => {}, now: steppingClock(TEST_NOW.toISOString()) });
  const { repository } = validateRepository(await readRepository(dir), { now: TEST_NOW });
  const recorded = allChanges(repository);
  expect(recorded).toHaveLength(3);
  // The demo's three changes, plus generated ones like them, make a population large enough
  // for different seeds to give different samples.
  const generated = Array.from({ length: 57 }, (_, i) => ({
    ...recorded[i % 3]!,
    id: `changes/acme/web/2026/10/pr-${100 + i}`,
    number: 100 + i,
  }));
  population = [...recorded, ...generated];
}, 60_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe("drawSample", () => {
  it("gives the same items for the same seed, whatever the order of the population", () => {
    const first = drawSample(population, "7", 2).items.map((s) => s.item.id);
    expect(first).toHaveLength(2);
    for (let run = 1; run <= 20; run++) {
      expect(drawSample(shuffled(population, run), "7", 2).items.map((s) => s.item.id)).toEqual(
        first,
      );
    }
  });

  it("is the n lowest SHA-256(seed:id) keys, which anyone can recompute", () => {
    const sample = drawSample(population, "7", 5);
    const expected = population
      .map((c) => ({
        id: c.id,
        key: createHash("sha256").update(`7:${c.id}`).digest("hex"),
      }))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .slice(0, 5);
    expect(sample.items.map((s) => ({ id: s.item.id, key: s.key }))).toEqual(expected);
    expect(sample.items.map((s) => s.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(sampleKey("7", population[0]!.id)).toBe(
      createHash("sha256").update(`7:${population[0]!.id}`).digest("hex"),
    );
  });

  it("gives different samples for different seeds", () => {
    const ids = (seed: string) =>
      drawSample(population, seed, 5)
        .items.map((s) => s.item.id)
        .join(",");
    const samples = new Set(["7", "8", "9", "audit-2026"].map(ids));
    expect(samples.size).toBe(4);
  });

  it("takes every item when the population is no larger than the size, and says so", () => {
    const demoOnly = population.slice(0, 3);
    const sample = drawSample(demoOnly, "7", 25);
    expect(sample.allTaken).toBe(true);
    expect(sample.items).toHaveLength(3);
    expect(sample.populationSize).toBe(3);
    expect(drawSample(demoOnly, "7", 3).allTaken).toBe(true);
    expect(drawSample(demoOnly, "7", 2).allTaken).toBe(false);
    expect(drawSample([], "7", 2).items).toEqual([]);
  });

  it("a larger sample with the same seed extends the smaller one", () => {
    const small = drawSample(population, "s", 3).items.map((s) => s.item.id);
    const large = drawSample(population, "s", 10).items.map((s) => s.item.id);
    expect(large.slice(0, 3)).toEqual(small);
  });
});

describe("sample sizes by frequency", () => {
  it("follows the low end of the usual conventions", () => {
    expect(Object.fromEntries(Object.entries(SAMPLE_SIZES).map(([f, s]) => [f, s.size]))).toEqual({
      annually: 1,
      quarterly: 2,
      monthly: 2,
      weekly: 5,
      daily: 20,
      "per-occurrence": 25,
    });
  });

  it("reads soc2.yml's frequency names and the spellings auditors use", () => {
    expect(parseFrequency("quarterly")).toBe("quarterly");
    expect(parseFrequency("Annual")).toBe("annually");
    expect(parseFrequency("many-times-a-day")).toBe("per-occurrence");
    expect(parseFrequency("hourly")).toBeUndefined();
  });
});
