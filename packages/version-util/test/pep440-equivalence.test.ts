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

  it("agrees on public, base_version, local and the is_prerelease/is_devrelease/is_postrelease flags", () => {
    const ours = valid.map((input) => {
      const v = parseVersion(input)!;
      const { public: pub, baseVersion, local, isPrerelease, isDevrelease, isPostrelease } = v;
      return { public: pub, baseVersion, local, isPrerelease, isDevrelease, isPostrelease, preLetter: v.pre?.[0] ?? null };
    });
    expect(ours).toEqual(reference.properties);
  });

  it("sorts the valid versions in the same order", () => {
    expect(sortVersions(valid)).toEqual(reference.sorted);
  });

  it("compares a sample of pairs the same way", () => {
    expect(pairs.length).toBeGreaterThan(600);
    expect(pairs.map(([a, b]) => compareVersions(a, b))).toEqual(reference.pairs);
  });
});

describe("where @renovatebot/pep440's explain() departs from packaging (fixed in src/pep440.ts)", () => {
  it.each([
    [" 1.0\t", "1.0"], // surrounding whitespace is stripped (Python's \s, including \x1c-\x1f)
    ["\x1c1.0", "1.0"],
    ["9007199254740993", "9007199254740993"], // beyond 2^53: digit strings, not JS numbers
    ["1.0.post123456789012345678901234567890", "1.0.post123456789012345678901234567890"],
    ["1.0+1e5", "1.0+1e5"], // local parts are numbers only when all digits
    ["1.0+0x1f", "1.0+0x1f"],
    ["1.0+Infinity", "1.0+infinity"],
  ])("%j -> %s", (input, normalized) => {
    expect(parseVersion(input)?.normalized).toBe(normalized);
  });

  it("\ufeff (BOM) and U+212A KELVIN SIGN are not whitespace or letters to packaging", () => {
    expect(isValidVersion("\ufeff1.0")).toBe(false);
    expect(isValidVersion("1.0\u212a")).toBe(false);
  });

  it("orders local parts and huge numbers exactly", () => {
    expect(sortVersions(["1.0+abc.10", "1.0+abc.9", "1.0+10", "1.0+abc", "1.0"])).toEqual(["1.0", "1.0+abc", "1.0+abc.9", "1.0+abc.10", "1.0+10"]);
    expect(compareVersions("9007199254740993", "9007199254740992")).toBe(1);
  });
});
