import { execFile } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { RunResult } from "@pypi-workflows/job-runner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ThrowawayIndex } from "../src/index.js";
import {
  ASSETS, GUARD_ENV, builtArtifact, failures, filesContaining, publishTestpypi, removeScratch, scratchDir, startHelpers, startIndex,
} from "./support.js";

const CANARY = "canary-load-upload-token-51aa0e";
const COUNT = 20;

let index: ThrowawayIndex;
let helpers: Awaited<ReturnType<typeof startHelpers>>;

/** Runs at most `limit` of the tasks at once (builds are CPU-bound: two cores). */
async function pooled<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  }));
  return results;
}

beforeAll(async () => {
  [index, helpers] = await Promise.all([startIndex(CANARY), startHelpers()]);
});
afterAll(async () => {
  await Promise.all([index?.stop(), helpers?.stop()]);
  removeScratch();
});

// The builds are made first, two at a time (build.yml's own runs are covered by the rehearsal tests); the load on
// the index comes from the upload and the verification, so those run as the real testpypi.yml, through the job
// runner, all twenty at once against one index: each its own upload job (the uploader CLI from the local npm
// registry, twine) and verify job (install-verifier polling the index, then installing from it).
describe("load: 20 packages published and verified through testpypi.yml against one index at the same time", () => {
  it("all published, all verified, none lost, the canary password nowhere", async () => {
    const names = Array.from({ length: COUNT }, (_, i) => `pw-load-${String(i).padStart(2, "0")}`);
    const built = await pooled(names.map((name) => async () => {
      const { runDir } = await builtArtifact({ name, version: "2.0.0" }, "pw-load-run-");
      return { name, runDir };
    }), 2);
    // One npm cache for all twenty runs (not one each, as the job runner's default): the uploader and the
    // install-verifier are fetched from the local registry once, not forty times (npx locks its shared install).
    const extraEnv = { npm_config_cache: scratchDir("pw-load-npm-cache-") };
    // npx installs a package into that cache on its first use, and twenty first uses at once race (one run
    // read a package another was still writing: MODULE_NOT_FOUND). One call of each helper testpypi.yml runs
    // fills the cache first, as on a runner whose cache is warm; the twenty runs then only read it.
    const workflow = readFileSync(join(ASSETS.workflowsDir, "testpypi.yml"), "utf8");
    const specs = [...new Set([...workflow.matchAll(/npx --yes (@pypi-workflows\/[a-z0-9-]+@[0-9][^\s]*)/g)].map((m) => m[1]!))];
    expect(specs.length).toBeGreaterThanOrEqual(2);
    for (const spec of specs) {
      // Where and how the job runner runs a step: outside this workspace (here npx would take the workspace's
      // package), without this process's npm_config_* (pnpm's).
      const home = scratchDir("pw-load-home-");
      const env = { PATH: process.env.PATH ?? "", HOME: home, ...helpers.env, ...GUARD_ENV, ...extraEnv };
      await promisify(execFile)("npx", ["--yes", spec, "--help"], { cwd: home, env });
    }
    const results: [string, RunResult][] = await Promise.all(built.map(async ({ name, runDir }) => [name, await publishTestpypi({
      name, version: "2.0.0", runDir, index, helpers, password: CANARY, verifyTimeout: 300, extraEnv,
    })] as [string, RunResult]));
    const stored = readdirSync(index.packagesDir).filter((f) => f.startsWith("pw_load_"));
    expect(stored).toHaveLength(COUNT * 2);
    for (const [name, result] of results) {
      expect(failures(result.jobs), name).toEqual([]);
      expect(result.jobs.upload!.steps.at(-1)!.outputs, name).toEqual({ uploaded: "2", skipped: "0" });
      expect(result.jobs.verify!.outputs, name).toEqual({ published: "true", installable: "true" });
      const texts = [JSON.stringify(result), readFileSync(join(result.runDir, "result.json"), "utf8")];
      for (const text of texts) expect(text, name).not.toContain(CANARY);
    }
    // The shared npm cache is no longer inside a run directory: grepped too, as each run's own cache was.
    expect(filesContaining([...built.map((b) => b.runDir), extraEnv.npm_config_cache], CANARY)).toEqual([]);
  });
});
