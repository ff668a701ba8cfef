import { createHash } from "node:crypto";
import { copyFileSync, readFileSync, readdirSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { buildDist, exampleRepo, tag, tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import type { DistFacts } from "../src/dist-file.js";
import { type Finding, reporterFor } from "../src/findings.js";
import { reportCopies, sourceContents, sourceDifferences } from "../src/published-source.js";
import { writeSdist, writeWheel } from "./support/generate.js";

// The index side of --use-published runs against a real pypiserver in index.test.ts; these are the archives an
// index would not accept from twine, given to the comparison directly.
function copyOf(built: DistFacts, stagedPath: string) {
  return { built, filename: built.filename, stagedPath, sha256: "0".repeat(64), size: statSync(stagedPath).size, message: "the index's copy replaces it" };
}

const facts = (filename: string, kind: DistFacts["kind"]): DistFacts => ({ filename, kind, size: 0, sha256: "", name: "demo-pkg", version: "1.0.0", description: undefined });

async function findingsFor(kind: DistFacts["kind"], cut: "copy" | "build"): Promise<Finding[]> {
  const dir = tempDir("dc-source-");
  const filename = kind === "wheel" ? "demo_pkg-1.0.0-py3-none-any.whl" : "demo_pkg-1.0.0.tar.gz";
  const built = kind === "wheel" ? writeWheel(dir, filename) : writeSdist(dir, filename);
  const staged = join(tempDir("dc-staged-"), filename);
  copyFileSync(built, staged);
  truncateSync(cut === "copy" ? staged : built, Math.floor(statSync(built).size * 0.6));
  const findings: Finding[] = [];
  const wheel = facts(filename, kind);
  await reportCopies([copyOf(wheel, staged)], [facts("demo_pkg-1.0.0-other", "sdist")], new Map([[wheel, built]]), (file) => reporterFor(file, findings));
  return findings;
}

describe("comparing the index's copy with this build (--use-published)", () => {
  it.each(["wheel", "sdist"] as const)("refuses a %s copy that cannot be read to the end: nothing proves it is the same source", async (kind) => {
    expect(await findingsFor(kind, "copy")).toEqual([
      expect.objectContaining({ code: "DC_PUBLISHED_SOURCE_DIFFERS", severity: "error", message: expect.stringContaining("(the index's copy could not be read to the end)") }),
    ]);
    expect(await findingsFor(kind, "build")).toEqual([
      expect.objectContaining({ code: "DC_PUBLISHED_SOURCE_DIFFERS", message: expect.stringContaining("(this build could not be read to the end)") }),
    ]);
  });

  it("reads what the source made: a wheel's files without its .dist-info, an sdist's tree without its top directory", async () => {
    const dir = tempDir("dc-source-");
    const wheel = await sourceContents(writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl"), "wheel");
    expect([...wheel!.keys()].sort()).toEqual(["demo_pkg/__init__.py", "demo_pkg/data/greeting.txt"]);
    const sdist = await sourceContents(writeSdist(dir, "demo_pkg-1.0.0.tar.gz"), "sdist");
    expect([...sdist!.keys()].sort()).toEqual(["LICENSE", "pyproject.toml", "src/demo_pkg/__init__.py"]);
    expect(sdist!.get("LICENSE")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("finds no difference between two real builds of one commit at other times (setuptools-scm: egg-info in the sdist)", async () => {
    const source = exampleRepo("scm-dynamic");
    tag(source, "v0.3.0");
    const [early, late] = ["1000000000", "1500000000"].map((epoch) => buildDist(source, { SOURCE_DATE_EPOCH: epoch }).distDir);
    const files = readdirSync(early!).sort();
    expect(files).toEqual(["scm_dynamic_demo-0.3.0-py3-none-any.whl", "scm_dynamic_demo-0.3.0.tar.gz"]);
    const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
    for (const file of files) {
      // Other bytes (timestamps), the same source.
      expect(sha256(join(early!, file))).not.toBe(sha256(join(late!, file)));
      const kind = file.endsWith(".whl") ? "wheel" : "sdist";
      const [a, b] = await Promise.all([sourceContents(join(early!, file), kind), sourceContents(join(late!, file), kind)]);
      expect(sourceDifferences(a!, b!)).toEqual([]);
      expect([...a!.keys()].filter((path) => path.includes(".egg-info") || path.includes(".dist-info"))).toEqual([]);
      expect(a!.size).toBeGreaterThan(1);
    }
  }, 120_000);
});
