import { beforeAll, describe, expect, it } from "vitest";
import { bumpVersion } from "../src/bump.js";
import { compareVersions, isValidVersion, parseExactVersion, parseVersion, sortVersions } from "../src/pep440.js";
import { versionFromTag } from "../src/tag.js";
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

describe("disagreements the random test (test/pep440-fuzz.test.ts) found, checked against the reference", () => {
  const digits = (n: number, d = "1") => d.repeat(n);
  // Python's int() refuses more than 4300 digits (leading zeros counted): packaging raises ValueError.
  const LIMIT = [
    digits(4300), digits(4301), digits(4301, "0"), `1.0.${digits(4300, "0")}1`, `1.0+${digits(4301)}`, `1.0+a${digits(4301)}`, `1.0rc${digits(4301)}`,
  ];
  // Surrounding whitespace of a tag is Python's (str.strip, packaging's \s), not JS's trim(); hints keep big numbers exact.
  const TAGS = [
    "\ufeffv1.2.3", "\x1crefs/tags/v1.2.3", "v1.2.3\x85", "\u3000v1.2.3rc1", "v18446744073709551616.2", "99999999999999999999999!1rc1", "v1.9007199254740993",
  ];
  // hatchling's bumps are Python ints: exact beyond 2^53, and a number past 4300 digits is a ValueError.
  const BUMPS: [string, string][] = [
    ["9007199254740993.0.0", "micro"],
    ["9007199254740993.5", "minor"],
    ["1.2.3rc9007199254740993", "rc"],
    ["99999999999999999999999!1.0", "major"],
    ["1.0.post9007199254740993", "post"],
    ["1.0.dev18446744073709551615", "dev"],
    [digits(4300, "9"), "major"],
    [digits(4300, "9"), "release"],
  ];
  let reference: ReferenceAnswer;
  beforeAll(() => {
    reference = askReference({ versions: LIMIT, tags: TAGS, bumps: BUMPS });
  });

  it("refuses a number of more than 4300 digits, as packaging does", () => {
    expect(LIMIT.map((v) => isValidVersion(v))).toEqual(reference.versions.map((v) => v.valid));
    expect(LIMIT.map((v) => isValidVersion(v))).toEqual([true, false, false, false, false, true, false]);
  });

  it("maps tags as packaging's Version of the tag", () => {
    const ours = TAGS.map((tag) => {
      try {
        const { tag: name, version, isPrerelease } = versionFromTag(tag);
        return { tag: name, version, isPrerelease };
      } catch (error) {
        const { code, data, hint } = error as { code: string; data: { tag: string }; hint: string };
        const padded = /^tag the release as v(.*) instead$/.exec(hint)?.[1];
        return code === "VU_TAG_TOO_SHORT" ? { code, tag: data.tag, padded } : { code, tag: data.tag };
      }
    });
    expect(ours).toEqual(reference.tags);
    expect(ours[0]).toEqual({ code: "VU_INVALID_TAG", tag: "\ufeffv1.2.3" });
    expect(ours[4]).toEqual({ code: "VU_TAG_TOO_SHORT", tag: "v18446744073709551616.2", padded: "18446744073709551616.2.0" });
  });

  it("bumps big numbers exactly, as hatchling does", () => {
    const ours = BUMPS.map(([version, segments]) => {
      try {
        return { version: bumpVersion(version, segments) };
      } catch {
        return { error: true };
      }
    });
    expect(ours).toEqual(reference.bumps.map((b) => ("version" in b ? b : { error: true })));
    expect(ours[0]).toEqual({ version: "9007199254740993.0.1" });
  });

  it("gives the exact numbers with parseExactVersion (ParsedVersion's are the nearest JS numbers)", () => {
    const exact = parseExactVersion("18446744073709551616!9007199254740993rc9007199254740995.post1.dev2");
    const expected = { epoch: 18446744073709551616n, release: [9007199254740993n], pre: ["rc", 9007199254740995n], post: 1n, dev: 2n, local: null };
    expect(exact).toEqual(expected);
    expect(parseVersion("9007199254740993")!.release).toEqual([9007199254740992]);
  });
});
