import { beforeAll, describe, expect, it } from "vitest";
import { bumpVersion } from "../src/bump.js";
import { compareVersions, isValidVersion, parseExactVersion, parseVersion, sortVersions } from "../src/pep440.js";
import { versionFromTag } from "../src/tag.js";
import { askReference, type ReferenceAnswer } from "./helpers.js";
import { mulberry32 } from "@pypi-workflows/testkit";

/**
 * A seeded random differential test against the real packaging.version.Version (and hatchling for bumps), in one
 * Python process: strings built from PEP 440's grammar (epochs, numbers beyond 2^53 and up to Python's 4300-digit
 * int limit, leading zeros, every spelling and separator of pre/post/dev, implicit post releases, local parts),
 * then mutated with separators, Python and non-Python whitespace, case, non-ASCII letters and digits, controls.
 * PEP440_FUZZ_SEED=<n> explores another seed; the default is fixed so that every run checks the same cases.
 */
const SEED = Number(process.env.PEP440_FUZZ_SEED ?? 440);
const VERSIONS = 6000;
const PAIRS = 4000;
const TAGS = 1500;
const BUMPS = 1500;

const SPACES = [
  " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0", "\u1680", "\u2000", "\u200a", "\u2028", "\u2029",
  "\u202f", "\u205f", "\u3000", "\ufeff", "\u200b", "\u180e", "\x00",
];
// Non-ASCII letters that case-fold onto ASCII ones (ı İ K ſ), non-ASCII digits, ligatures, a combining mark.
const WEIRD = ["ı", "İ", "\u212a", "ſ", "٣", "²", "ﬁ", "\u0301", "\x00", "\x7f", "é", "Ａ", "１", "v", "V", "!", "+", ".", "-", "_", "e", "x", "ß"];
const TOKENS = [
  "1", "0", "00", "2", "9007199254740993", ".", ".", "-", "-", "_", "a", "A", "b", "c", "rc", "r", "pre", "preview", "alpha", "beta", "post",
  "rev", "dev", "DEV", "v", "V", "!", "+", "x", "e", " ", "ı", "\u212a", "\x1c", "\ufeff",
];
const EDGES = ["", " ", "v", "1", "1.", ".1", "1..0", "1!", "!1", "+", "1+", "1.0+", "1.0-", "1.0--1", "1.0-r-1", "1.0a-1", "1.0a.post", "1.0rc-r", "1.0-1-1"];
const SEGMENTS = [
  "release", "major", "minor", "micro", "patch", "fix", "a", "alpha", "b", "beta", "c", "rc", "pre", "preview", "post", "rev", "r", "dev",
  "minor,rc", "rc,dev", "post,dev,dev", "b,a", "Major", "", "minor,",
];

function generator(seed: number) {
  const random = mulberry32(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number) => random() < p;
  const randomCase = (s: string) => [...s].map((c) => (chance(0.3) ? c.toUpperCase() : c)).join("");
  const sep = () => pick(["", "", ".", "-", "_"]);

  function num(): string {
    const k = int(10);
    if (k < 4) return String(int(3));
    if (k < 6) return String(int(1000));
    if (k === 6) return "0".repeat(1 + int(4)) + String(int(100));
    if (k === 7) return pick(["9007199254740991", "9007199254740992", "9007199254740993", "18446744073709551616", "99999999999999999999999"]);
    if (k === 8) return String(int(10)) + "0".repeat(int(30));
    return "1".repeat(int(3) === 0 ? 4299 + int(3) : 1 + int(25)); // 4300 digits is Python's int() limit
  }
  function local(): string {
    const words = ["abc", "ubuntu", "a", "z", "dev", "post", "inf", "infinity", "nan", "1e5", "0x1f", "e"];
    const parts = Array.from({ length: 1 + int(4) }, () => {
      const kind = int(5);
      if (kind === 0) return num();
      if (kind === 1) return randomCase(pick(words));
      return Array.from({ length: 1 + int(5) }, () => pick([..."abcxyz0123456789AZ"])).join("");
    });
    return parts.reduce((text, part) => `${text}${pick([".", "-", "_"])}${part}`);
  }
  function version(): string {
    let s = chance(0.15) ? pick(["v", "V"]) : "";
    if (chance(0.2)) s += `${num()}!`;
    s += Array.from({ length: 1 + int(chance(0.1) ? 8 : 4) }, () => (chance(0.4) ? "0" : num())).join(".");
    if (chance(0.35)) s += sep() + randomCase(pick(["a", "alpha", "b", "beta", "c", "rc", "pre", "preview"])) + sep() + (chance(0.7) ? num() : "");
    if (chance(0.3)) s += chance(0.3) ? `-${num()}` : sep() + randomCase(pick(["post", "rev", "r"])) + sep() + (chance(0.7) ? num() : "");
    if (chance(0.3)) s += sep() + randomCase("dev") + sep() + (chance(0.7) ? num() : "");
    if (chance(0.25)) s += `+${local()}`;
    if (chance(0.1)) s = pick(SPACES) + s;
    if (chance(0.1)) s += pick(SPACES);
    return s;
  }
  function mutate(s: string): string {
    const chars = [...s];
    for (let k = 1 + int(3); k > 0; k--) {
      const at = int(chars.length + 1);
      const c = chance(0.5) ? pick(WEIRD) : chance(0.5) ? pick(SPACES) : pick([..."0123456789.-_+!vabcdeprostvwlinhRCDEV"]);
      const op = int(4);
      if (op === 0) chars.splice(at, 0, c);
      else if (op === 1) chars.splice(at, 1);
      else if (op === 2) chars.splice(at, 1, c);
      else if (chars.length) chars.splice(at, 0, pick(chars).repeat(1 + int(3)));
    }
    return chars.join("");
  }
  /** Grammar tokens run together: the regex's alternations, separators and possessive groups meet here. */
  function soup(): string {
    const s = Array.from({ length: 1 + int(9) }, () => pick(TOKENS)).join("");
    return chance(0.7) ? pick(["1", "1.0", "v1", "0!1", "1.2.3"]) + s : s;
  }
  function input(): string {
    if (chance(0.3)) return soup();
    const k = int(10);
    if (k < 5) return version();
    if (k < 9) return mutate(version());
    return pick(EDGES) + (chance(0.3) ? pick(WEIRD) : "");
  }
  /** From a small pool, so that equal versions (1.0 == 1 == 01.00, 1.0+a.01 == 1.0+a.1) and near ones are common. */
  function near(): string {
    let s = chance(0.1) ? `${pick(["0", "1", "00", "18446744073709551616"])}!` : "";
    s += Array.from({ length: 1 + int(4) }, () => pick(["0", "1", "00", "01", "9007199254740993", "9007199254740992"])).join(".");
    if (chance(0.4)) s += pick(["a", "b", "rc", "c", "alpha"]) + pick(["", "0", "1", "01"]);
    if (chance(0.3)) s += pick([".post", "-", "r", ".rev"]) + pick(["0", "1", "00"]);
    if (chance(0.3)) s += pick([".dev", "dev"]) + pick(["", "0", "1"]);
    const locals = ["a", "1", "01", "a.1", "a.01", "1.a", "a-1", "A", "b", "1.0", "a.b", "a1", "10", "9", "z.9007199254740993", "z.9007199254740992"];
    if (chance(0.3)) s += `+${pick(locals)}`;
    return s;
  }
  /** One version spelled two ways (aliases, separators, case, leading zeros, trailing .0), or with one part changed. */
  function spellings(): [string, string] {
    const n = () => pick(["0", "0", "1", "1", "2", "9007199254740993"]);
    const PHASES = ["a", "b", "rc"] as const;
    const parts = {
      epoch: chance(0.2) ? n() : "0",
      release: Array.from({ length: 1 + int(3) }, n),
      pre: chance(0.4) ? ([pick(PHASES), n()] as const) : null,
      post: chance(0.3) ? n() : null,
      dev: chance(0.3) ? n() : null,
      local: chance(0.3) ? Array.from({ length: 1 + int(2) }, () => pick(["a", "B", "ab", "0", "1", "01", "9007199254740993"])) : null,
    };
    const aliases: Record<"a" | "b" | "rc", string[]> = { a: ["a", "alpha"], b: ["b", "beta"], rc: ["c", "rc", "pre", "preview"] };
    const zeros = (digits: string) => "0".repeat(chance(0.2) ? 1 + int(2) : 0) + digits;
    const spell = (p: typeof parts): string => {
      let s = p.epoch !== "0" || chance(0.1) ? `${zeros(p.epoch)}!` : "";
      s += [...p.release, ...(chance(0.3) ? ["0"] : [])].map(zeros).join(".");
      if (p.pre) s += sep() + randomCase(pick(aliases[p.pre[0]])) + sep() + (p.pre[1] === "0" && chance(0.3) ? "" : zeros(p.pre[1]));
      if (p.post) s += p.post !== "0" && chance(0.3) ? `-${zeros(p.post)}` : sep() + randomCase(pick(["post", "rev", "r"])) + sep() + zeros(p.post);
      if (p.dev) s += sep() + randomCase("dev") + sep() + (p.dev === "0" && chance(0.3) ? "" : zeros(p.dev));
      const local = p.local?.map((x) => (/^[0-9]+$/.test(x) ? zeros(x) : randomCase(x)));
      if (local) s += `+${local.reduce((t, x) => `${t}${pick([".", "-", "_"])}${x}`)}`;
      return s;
    };
    const other = { ...parts };
    if (chance(0.5)) {
      const field = pick(["epoch", "release", "pre", "post", "dev", "local"] as const);
      if (field === "epoch") other.epoch = n();
      if (field === "release") other.release = [...parts.release.slice(0, -1), n()];
      if (field === "pre") other.pre = chance(0.3) ? null : [pick(PHASES), n()];
      if (field === "post") other.post = chance(0.3) ? null : n();
      if (field === "dev") other.dev = chance(0.3) ? null : n();
      if (field === "local") other.local = chance(0.3) ? null : [...(parts.local ?? []), pick(["a", "0", "1", "z"])];
    }
    return [spell(parts), spell(other)];
  }
  return { input, near, spellings, pick, chance };
}

describe(`PEP 440 random differential test against packaging and hatchling (seed ${SEED})`, () => {
  const gen = generator(SEED);
  const versions = Array.from({ length: VERSIONS }, () => gen.input());
  const valid = versions.filter((v) => isValidVersion(v));
  const pool = Array.from({ length: 400 }, () => gen.near());
  const pairs = Array.from({ length: PAIRS }, (): [string, string] => {
    const k = gen.pick([0, 1, 2]);
    return k === 0 ? gen.spellings() : k === 1 ? [gen.near(), gen.near()] : [gen.pick(valid), gen.pick(valid)];
  });
  const tags = Array.from({ length: TAGS }, () => {
    const tag = gen.chance(0.2) ? `refs/tags/${gen.input()}` : gen.input();
    return gen.chance(0.1) ? gen.pick([" ", "\ufeff", "\x1c", "\x85", "\u3000"]) + tag : tag;
  });
  const bumps = Array.from({ length: BUMPS }, (): [string, string] => [
    gen.chance(0.7) ? gen.near() : gen.pick(valid),
    gen.chance(0.8) ? gen.pick(SEGMENTS) : gen.chance(0.5) ? gen.near() : gen.input(),
  ]);
  let reference: ReferenceAnswer;
  let sortReference: ReferenceAnswer;

  beforeAll(() => {
    reference = askReference({ versions, pairs, tags, bumps });
    sortReference = askReference({ versions: pool });
  });

  it("agrees on validity and the normalized form", () => {
    expect(reference.versions.filter((v) => v.valid).length).toBeGreaterThan(VERSIONS / 4);
    expect(reference.versions.filter((v) => !v.valid).length).toBeGreaterThan(VERSIONS / 4);
    const differences = versions.flatMap((input, i) => {
      const ours = { input, valid: isValidVersion(input), normalized: parseVersion(input)?.normalized ?? null };
      return JSON.stringify(ours) === JSON.stringify(reference.versions[i]) ? [] : [{ input, ours, theirs: reference.versions[i] }];
    });
    expect(differences).toEqual([]);
  });

  it("agrees on every property, the numbers exactly (parseExactVersion) and as the nearest JS number (parseVersion)", () => {
    // reference.properties and .parts list the versions packaging accepts, in order.
    const accepted = versions.filter((_, i) => reference.versions[i]!.valid);
    const differences = accepted.flatMap((input, i): unknown[] => {
      const v = parseVersion(input);
      if (!v) return [{ input, ours: "invalid" }];
      const exact = parseExactVersion(input);
      const theirs = { ...reference.properties[i], ...reference.parts[i] };
      const ours = {
        public: v.public,
        baseVersion: v.baseVersion,
        local: v.local,
        isPrerelease: v.isPrerelease,
        isDevrelease: v.isDevrelease,
        isPostrelease: v.isPostrelease,
        preLetter: v.pre?.[0] ?? null,
        epoch: String(exact.epoch),
        release: exact.release.map(String),
        pre: exact.pre ? [exact.pre[0], String(exact.pre[1])] : null,
        post: exact.post === null ? null : String(exact.post),
        dev: exact.dev === null ? null : String(exact.dev),
      };
      const asNumbers = (p: typeof ours) => [p.epoch, ...p.release, p.pre?.[1] ?? null, p.post, p.dev].map((n) => (n === null ? null : Number(n)));
      const numbers = [v.epoch, ...v.release, v.pre?.[1] ?? null, v.post, v.dev];
      const same = JSON.stringify(ours) === JSON.stringify(theirs) && JSON.stringify(numbers) === JSON.stringify(asNumbers(theirs as typeof ours));
      return same ? [] : [{ input, ours, theirs }];
    });
    expect(accepted.length).toBe(reference.properties.length);
    expect(differences).toEqual([]);
  });

  it("compares random pairs the same way (-1, 0, 1)", () => {
    const both = pairs.map(([a, b]) => isValidVersion(a) && isValidVersion(b));
    expect(both.filter(Boolean).length).toBeGreaterThan(PAIRS * 0.9);
    expect(reference.pairs.filter((c) => c === 0).length).toBeGreaterThan(PAIRS / 10);
    const differences = pairs.flatMap(([a, b], i) => {
      if (!both[i]) return [];
      const ours = compareVersions(a, b);
      return ours === reference.pairs[i] ? [] : [{ a, b, ours, theirs: reference.pairs[i] }];
    });
    expect(differences).toEqual([]);
  });

  it("sorts a pool of near and equal versions in the same (stable) order", () => {
    expect(sortReference.versions.every((v) => v.valid)).toBe(true);
    expect(sortVersions(pool)).toEqual(sortReference.sorted);
  });

  it("maps tags as packaging's Version of the tag does (refusals and the suggested tag included)", () => {
    const differences = tags.flatMap((tag, i) => {
      const theirs = reference.tags[i]!;
      let ours: Record<string, unknown>;
      try {
        const { tag: name, version, isPrerelease } = versionFromTag(tag);
        ours = { tag: name, version, isPrerelease };
      } catch (error) {
        const { code, data, hint } = error as { code: string; data: { tag: string }; hint: string };
        ours = { code, tag: data.tag };
        if (code === "VU_TAG_LOCAL_VERSION") ours.public = /^tag the release as v(.*)$/.exec(hint)?.[1];
        if (code === "VU_TAG_TOO_SHORT") ours.padded = /^tag the release as v(.*) instead$/.exec(hint)?.[1];
      }
      return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : [{ tag, ours, theirs }];
    });
    expect(reference.tags.filter((t) => "version" in t).length).toBeGreaterThan(TAGS / 20);
    expect(differences).toEqual([]);
  });

  it("bumps as hatchling's standard scheme does, or refuses the same bumps", () => {
    const differences = bumps.flatMap(([version, segments], i) => {
      const theirs = "version" in reference.bumps[i]! ? reference.bumps[i] : { error: true };
      let ours: { version: string } | { error: true };
      try {
        ours = { version: bumpVersion(version, segments) };
      } catch {
        ours = { error: true };
      }
      return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : [{ version, segments, ours, theirs }];
    });
    expect(reference.bumps.filter((b) => "version" in b).length).toBeGreaterThan(BUMPS / 2);
    expect(differences).toEqual([]);
  });
});
