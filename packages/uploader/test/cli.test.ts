import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pythonTools, runCaptured, startLocalIndex } from "@pypi-workflows/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { uploadCommand } from "../src/index.js";
import { builtExample, type BuiltDist } from "./helpers.js";

const CANARY = "pypi-CANARY-secret-token-4242";
let dist: BuiltDist;
beforeAll(async () => {
  dist = await builtExample();
});

function run(argv: string[], env: NodeJS.ProcessEnv) {
  return runCaptured(uploadCommand, argv, { cwd: dist.distDir, env, secrets: env.TWINE_PASSWORD ? [env.TWINE_PASSWORD] : [] });
}

describe("pypi-upload as a function", () => {
  it("uploads, reports, and never prints the password even when the index refuses it", async () => {
    const index = await startLocalIndex({ password: CANARY });
    try {
      const twine = pythonTools().bin("twine");
      const args = [dist.distDir, "--manifest", dist.manifestPath, "--index-url", index.simpleUrl, "--upload-url", index.uploadUrl, "--twine", twine];
      const wrong = await run(args, { ...process.env, TWINE_USERNAME: index.username, TWINE_PASSWORD: `${CANARY}-wrong` });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/error UP_AUTH/);
      const ok = await run([...args, "--json"], { ...process.env, TWINE_USERNAME: index.username, TWINE_PASSWORD: CANARY });
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ uploaded: ["hatch_static_demo-0.1.0-py3-none-any.whl", "hatch_static_demo-0.1.0.tar.gz"] });
      for (const output of [wrong.stdout, wrong.stderr, ok.stdout, ok.stderr]) expect(output).not.toContain(CANARY);
    } finally {
      await index.stop();
    }
  });

  it.each([
    [["dist"], { TWINE_PASSWORD: "x" }, /missing --manifest/],
    [["dist", "--manifest", "m.json"], { TWINE_PASSWORD: "x" }, /no index given/],
    [["dist", "--manifest", "m.json", "--index-url", "http://127.0.0.1:1/simple/"], { TWINE_PASSWORD: "x" }, /no upload endpoint/],
    [["dist", "--manifest", "m.json", "--target", "testpypi"], {}, /UP_NO_CREDENTIALS[^\n]*TWINE_PASSWORD is not set/],
    [["dist", "--manifest", "m.json", "--target", "testpypi", "--attempts", "0"], { TWINE_PASSWORD: "x" }, /--attempts must be a positive/],
    [["dist", "--bogus"], {}, /bogus/],
  ])("refuses %j with exit 2", async (argv, env, message) => {
    const result = await run(argv as string[], env as NodeJS.ProcessEnv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe("the built CLI", () => {
  it("runs from dist/bin/cli.cjs through node", () => {
    const cli = join(dirname(fileURLToPath(import.meta.url)), "../dist/bin/cli.cjs");
    expect(execFileSync(process.execPath, [cli, "--help"], { encoding: "utf8" })).toMatch(/^pypi-upload 0\.1\.0: upload a checked build/);
    const missing = spawnSync(process.execPath, [cli, "dist"], { encoding: "utf8" });
    expect(missing.status).toBe(2);
  });
});
