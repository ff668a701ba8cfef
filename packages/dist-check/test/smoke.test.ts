import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tempDir } from "@pypi-workflows/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { writeSdist, writeWheel } from "./support/generate.js";

const CLI = fileURLToPath(new URL("../dist/bin/cli.cjs", import.meta.url));
const PKG = fileURLToPath(new URL("..", import.meta.url));

beforeAll(() => {
  // turbo builds before testing; a direct `vitest run` builds here so the smoke test never runs a stale bundle.
  if (!existsSync(CLI) || process.env.PYPI_WORKFLOWS_REBUILD === "1") execFileSync("pnpm", ["build"], { cwd: PKG, stdio: "ignore" });
}, 120_000);

describe("the built dist/bin/cli.cjs", () => {
  it("runs under node: checks a directory, exits 0, and exits 1 on a broken file", () => {
    const dir = tempDir("dc-smoke-");
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl");
    writeSdist(dir, "demo_pkg-1.0.0.tar.gz");
    const ok = spawnSync(process.execPath, [CLI, dir], { encoding: "utf8" });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("demo-pkg 1.0.0: 2 file(s) checked");
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { trailing: Buffer.from("junk") });
    const bad = spawnSync(process.execPath, [CLI, dir], { encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain("demo_pkg-1.0.0-py3-none-any.whl: DC_TRAILING_DATA error 4 bytes follow the end of the zip archive");
    const help = spawnSync(process.execPath, [CLI, "check", "--help"], { encoding: "utf8" });
    expect(help.stdout).toContain("usage: dist-check [check] [paths...] [options]");
  });
});
