import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { commit, exampleRepo, pythonTools, tag } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { projectCopy, runVersionUtil, testEnv } from "./helpers.js";

/** The real `hatchling version [SEGMENTS]` in a project (reads, or bumps and writes, the version). */
function hatchling(dir: string, ...args: string[]): string {
  const tools = pythonTools();
  return execFileSync(tools.bin("hatchling"), ["version", ...args], { cwd: dir, env: { ...testEnv(), PATH: tools.path() }, encoding: "utf8" }).trim();
}

async function ours(dir: string, ...argv: string[]) {
  return (await runVersionUtil([...argv, "--project", dir, "--json"], { env: testEnv() })).json;
}

describe("the same answers as the real hatchling on hatch projects", () => {
  it("reads the static version and the [tool.hatch.version] path version as hatchling does", async () => {
    for (const dir of [exampleRepo("hatch-static"), projectCopy("hatch-path", { git: false })]) {
      expect((await ours(dir, "current")).version).toBe(hatchling(dir));
    }
  });

  it("bumps a [tool.hatch.version] path file to the same bytes as `hatchling version SEGMENTS`", async () => {
    const file = "src/hatch_path_demo/__about__.py";
    for (const segments of ["minor,rc", "major", "patch", "post", "dev", "2.5.0"]) {
      const theirs = projectCopy("hatch-path", { git: false });
      const mine = projectCopy("hatch-path", { git: false });
      hatchling(theirs, segments);
      expect((await ours(mine, "bump", segments)).written).toBe(true);
      expect(readFileSync(join(mine, file), "utf8")).toBe(readFileSync(join(theirs, file), "utf8"));
    }
  });

  it("computes hatch-vcs versions as hatchling with hatch-vcs does, at and after tags", async () => {
    const dir = projectCopy("hatch-vcs");
    tag(dir, "v1.0.0");
    expect((await ours(dir, "current")).version).toBe(hatchling(dir));
    commit(dir, "fix: one");
    commit(dir, "fix: two");
    expect((await ours(dir, "current")).version).toBe(hatchling(dir));
    expect(hatchling(dir)).toBe("1.0.1.dev2");
  });
});
