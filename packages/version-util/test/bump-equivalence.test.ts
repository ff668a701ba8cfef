import { beforeAll, describe, expect, it } from "vitest";
import { bumpVersion } from "../src/bump.js";
import { askReference, type ReferenceAnswer } from "./helpers.js";

const VERSIONS = [
  "1", "1.2", "1.2.3", "1.2.3.4", "0.0.0", "0.9.9", "1.2.3a1", "1.2.3b2", "1.2.3rc1", "1.2.3c4", "1.2.3rc1.post2.dev3",
  "1.2.3.post1", "1.2.3.dev4", "1!1.2.3", "1.2.3+local.1", "1.2.3a0.dev0", "V1.2.3-RC.1",
];
const SEGMENTS = [
  "release", "major", "minor", "micro", "patch", "fix", "a", "alpha", "b", "beta", "c", "rc", "pre", "preview", "post", "rev",
  "r", "dev", "minor,rc", "major,a", "patch,dev", "rc,dev", "release,post", "minor,minor", "rc,rc", "b,a", "post,dev,dev",
  "micro,release", "1.3.0", "2.0.0rc1", "1.2.0", "1.2.3", "2.0.0,minor", "minor,2.0.0", "foo", "", "Major", "minor,", " 3.0 ",
];

describe("bump equals hatchling's standard scheme (StandardScheme.update, the real one)", () => {
  const cases = VERSIONS.flatMap((v) => SEGMENTS.map((s) => [v, s] as [string, string]));
  let reference: ReferenceAnswer;
  beforeAll(() => {
    reference = askReference({ bumps: cases });
  });

  it("gives the same version, or refuses the same bumps, on every case of the table", () => {
    expect(cases.length).toBeGreaterThan(500);
    const ours = cases.map(([version, segments]) => {
      try {
        return { version: bumpVersion(version, segments) };
      } catch {
        return { error: true };
      }
    });
    const theirs = reference.bumps.map((r) => ("version" in r ? r : { error: true }));
    const differences = cases.filter((_, i) => JSON.stringify(ours[i]) !== JSON.stringify(theirs[i]));
    expect(differences).toEqual([]);
    expect(theirs.filter((r) => "version" in r).length).toBeGreaterThan(400);
  });

  it("explains a refused bump with the stable code", () => {
    expect(() => bumpVersion("1.2.3", "1.2.0")).toThrow(/not higher than the current version 1.2.3/);
    expect(() => bumpVersion("1.2.3", "foo")).toThrow(expect.objectContaining({ code: "VU_BAD_BUMP" }));
    expect(() => bumpVersion("1.2.3", "minor,2.0.0")).toThrow(expect.objectContaining({ code: "VU_BAD_BUMP" }));
  });
});
