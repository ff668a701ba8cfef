// tools/browser/setup.sh: a no-op when Chromium is there; without root it says how to install it, exit 2.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CHROMIUM, ensureChromium } from "./support/browser.ts";
import { ROOT } from "./support/site.ts";

const SETUP = join(ROOT, "tools", "browser", "setup.sh");

/** Runs setup.sh as an unprivileged user (nobody when this is root), so it must not try apt-get. */
function runUnprivileged(env: Record<string, string>) {
  const asRoot = process.getuid?.() === 0;
  const [cmd, args] = asRoot
    ? ["setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "bash", SETUP]]
    : ["bash", [SETUP]];
  return spawnSync(cmd, args, { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env } });
}

describe("tools/browser/setup.sh", () => {
  test("does nothing when Chromium is installed", () => {
    ensureChromium();
    const run = spawnSync("bash", [SETUP], { encoding: "utf8", env: { ...process.env, CHROMIUM_PATH: CHROMIUM } });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
  });

  test("without root and without Chromium: exit 2 and the command to run", () => {
    const run = runUnprivileged({ CHROMIUM_PATH: "/nonexistent/chromium" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("/nonexistent/chromium is missing and this is not root");
    expect(run.stderr).toContain("apt-get update && apt-get install -y chromium");
  });
});
