import { copyFileSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import type { DistFacts } from "../src/dist-file.js";
import { type Finding, reporterFor } from "../src/findings.js";
import { reportCopies, sourceContents } from "../src/published-source.js";
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
});
