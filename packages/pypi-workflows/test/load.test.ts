import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ThrowawayIndex } from "../src/index.js";
import { GUARD_ENV, REPO, filesContaining, makeProject, removeScratch, scratchDir, sharedTools, startIndex, writeManifest } from "./support.js";

const run = promisify(execFile);
const CANARY = "canary-load-upload-token-51aa0e";
const COUNT = 20;

let index: ThrowawayIndex;

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
  index = await startIndex(CANARY);
});
afterAll(async () => {
  await index?.stop();
  removeScratch();
});

// Twenty full workflow runs (each ~20 s of build, npx and venvs) would take minutes on two cores; the load on the
// index comes from the upload and the verification, so those run here through the very CLIs the workflows call
// (pypi-upload, install-verifier), all twenty at once against one index, from twenty distinct built projects.
describe("load: 20 packages published and verified against one index at the same time", () => {
  it("all published, all verified, none lost, the canary password nowhere", async () => {
    const tools = await sharedTools();
    const env = { ...process.env, ...GUARD_ENV, PATH: `${join(tools.venv, "bin")}:${process.env.PATH}` };
    const names = Array.from({ length: COUNT }, (_, i) => `pw-load-${String(i).padStart(2, "0")}`);
    const built = await pooled(names.map((name) => async () => {
      const project = makeProject({ name, version: "2.0.0" });
      const dist = join(scratchDir("pw-load-dist-"), "dist");
      await run(tools.python, ["-m", "build", "--no-isolation", "--outdir", dist, project], { env });
      const manifest = join(dist, "..", "manifest.json");
      await writeManifest(dist, manifest, name, "2.0.0");
      return { name, dist, manifest };
    }), 2);
    const cli = (pkg: string) => join(REPO, "packages", pkg, "dist", "cli.js");
    const results = await Promise.all(built.map(async ({ name, dist, manifest }) => {
      const upload = await run(process.execPath, [
        cli("uploader"), dist, "--manifest", manifest, "--index-url", index.simpleUrl, "--upload-url", index.uploadUrl,
        "--twine", tools.bin("twine"),
      ], { env: { ...env, TWINE_USERNAME: index.username, TWINE_PASSWORD: CANARY } });
      const verify = await run(process.execPath, [
        cli("install-verifier"), "verify", "--index-url", index.simpleUrl, "--deps-index-url", index.simpleUrl,
        "--name", name, "--version", "2.0.0", "--manifest", manifest, "--timeout", "120", "--python", tools.python, "--json",
      ], { env });
      return { name, upload: upload.stdout + upload.stderr, verify: JSON.parse(verify.stdout) as Record<string, unknown> };
    }));
    const stored = readdirSync(index.packagesDir).filter((f) => f.startsWith("pw_load_"));
    expect(stored).toHaveLength(COUNT * 2);
    for (const { name, upload, verify } of results) {
      expect(upload, name).toMatch(/uploaded/);
      expect(JSON.stringify(verify), name).toMatch(/"published":\s*true/);
      expect(JSON.stringify(verify), name).toMatch(/"installable":\s*true/);
      expect(upload + JSON.stringify(verify)).not.toContain(CANARY);
    }
    expect(filesContaining(built.map((b) => join(b.dist, "..")), CANARY)).toEqual([]);
  });
});
