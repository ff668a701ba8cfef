import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { ROOT } from "./site.ts";

/** Debian's Chromium: playwright cannot download a browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Installs Chromium through tools/browser/setup.sh when it is missing (needs root), or throws its message. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const setup = spawnSync("bash", [join(ROOT, "tools", "browser", "setup.sh")], { encoding: "utf8", timeout: 600_000 });
  if (setup.status !== 0 || !existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM} and tools/browser/setup.sh could not install it:\n${setup.stderr}`);
  }
}

/** A headless Chromium with a fresh profile, nothing reaching beyond 127.0.0.1 on its own. */
export async function launchBrowser(): Promise<BrowserContext> {
  ensureChromium();
  // Playwright passes --headless and --user-data-dir itself (launchPersistentContext with a fresh dir).
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "docs-chromium-")), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage", // containers often have a tiny /dev/shm
    ],
    viewport: { width: 1440, height: 900 },
  });
}
