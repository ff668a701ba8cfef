import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type RunResult, runWorkflow } from "@pypi-workflows/job-runner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ThrowawayIndex } from "../src/index.js";
import {
  ASSETS, GUARD_ENV, failures, filesContaining, makeProject, removeScratch, scratchDir, sharedTools, startHelpers, startIndex, writeManifest,
} from "./support.js";

const run = promisify(execFile);
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
    const tools = await sharedTools();
    const env = { ...process.env, ...GUARD_ENV, PATH: `${join(tools.venv, "bin")}:${process.env.PATH}` };
    const names = Array.from({ length: COUNT }, (_, i) => `pw-load-${String(i).padStart(2, "0")}`);
    const built = await pooled(names.map((name) => async () => {
      const project = makeProject({ name, version: "2.0.0" });
      // The "dist" artifact as build.yml leaves it: dist/ and manifest.json.
      const runDir = scratchDir("pw-load-run-");
      const artifact = join(runDir, "artifacts", "dist");
      mkdirSync(artifact, { recursive: true });
      await run(tools.python, ["-m", "build", "--no-isolation", "--outdir", join(artifact, "dist"), project], { env });
      await writeManifest(join(artifact, "dist"), join(artifact, "manifest.json"), name, "2.0.0");
      return { name, runDir };
    }), 2);
    const results: [string, RunResult][] = await Promise.all(built.map(async ({ name, runDir }) => [name, await runWorkflow({
      workflow: join(ASSETS.workflowsDir, "testpypi.yml"), workflowsDir: ASSETS.workflowsDir, runDir,
      python: tools.python, extraEnv: { ...helpers.env, ...GUARD_ENV },
      inputs: { name, version: "2.0.0", "index-url": index.simpleUrl, "upload-url": index.uploadUrl,
        "deps-index-url": index.simpleUrl, "verify-timeout": 300 },
      secrets: { username: index.username, password: CANARY },
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
    expect(filesContaining(built.map((b) => b.runDir), CANARY)).toEqual([]);
  });
});
