import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";

const CLI = join(import.meta.dirname, "../dist/bin/cli.cjs");

describe("the built dist/bin/cli.cjs (run `pnpm build` first; turbo does)", () => {
  it("runs from-tag and a project command through node", () => {
    expect(existsSync(CLI), "dist/bin/cli.cjs is missing: run pnpm build").toBe(true);
    const env = { PATH: process.env.PATH };
    expect(JSON.parse(execFileSync(process.execPath, [CLI, "from-tag", "V1.2.3-RC.1", "--json"], { env, encoding: "utf8" }))).toEqual({
      tag: "V1.2.3-RC.1",
      version: "1.2.3rc1",
      isPrerelease: true,
    });
    const current = execFileSync(process.execPath, [CLI, "current", "--project", exampleRepo("hatch-static")], { env, encoding: "utf8" });
    expect(current).toBe("hatch-static-demo 0.1.0 ([project] version in pyproject.toml)\n");
    const bad = spawnSync(process.execPath, [CLI, "from-tag", "v1.2"], { env, encoding: "utf8" });
    expect([bad.status, bad.stderr.split("\n")[0]]).toEqual([1, 'error VU_TAG_TOO_SHORT: the tag "v1.2" has 2 release numbers; release tags need three (X.Y.Z)']);
  });
});
