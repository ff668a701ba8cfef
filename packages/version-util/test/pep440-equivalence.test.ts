import { beforeAll, describe, expect, it } from "vitest";
import { compareVersions, isValidVersion, parseVersion, sortVersions } from "../src/pep440.js";
import { askReference, readFixtureJson, type ReferenceAnswer } from "./helpers.js";

const corpus = readFixtureJson<string[]>("pep440-corpus.json");

/** A fixed sample of pairs: every valid version against a spread of others (deterministic). */
function samplePairs(valid: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  valid.forEach((a, i) => {
    for (const step of [1, 7, 31, 97]) pairs.push([a, valid[(i * 13 + step) % valid.length]!]);
  });
  return pairs;
}

describe("PEP 440 equivalence with Python's packaging (the reference)", () => {
  let reference: ReferenceAnswer;
  let valid: string[];
  let pairs: [string, string][];

  beforeAll(() => {
    valid = corpus.filter((v) => isValidVersion(v));
    pairs = samplePairs(valid);
    reference = askReference({ versions: corpus, pairs });
  });

  it("has a corpus of at least 300 strings, valid and invalid", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(reference.versions.filter((v) => v.valid).length).toBeGreaterThan(150);
    expect(reference.versions.filter((v) => !v.valid).length).toBeGreaterThan(60);
  });

  it("agrees on validity and the normalized form of every string", () => {
    const ours = corpus.map((input) => ({ input, valid: isValidVersion(input), normalized: parseVersion(input)?.normalized ?? null }));
    const differences = ours.filter((o, i) => JSON.stringify(o) !== JSON.stringify(reference.versions[i]));
    expect(differences).toEqual([]);
  });

  it("sorts the valid versions in the same order", () => {
    expect(sortVersions(valid)).toEqual(reference.sorted);
  });

  it("compares a sample of pairs the same way", () => {
    expect(pairs.length).toBeGreaterThan(600);
    expect(pairs.map(([a, b]) => compareVersions(a, b))).toEqual(reference.pairs);
  });
});
