// The built site, served on 127.0.0.1 and driven with Debian's Chromium as a person would use it.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { TROUBLESHOOTING_URL, troubleshootingLink } from "@pypi-workflows/cli-kit";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { renderDocs } from "../scripts/lib/generate-docs.mjs";
import { CLI_KIT_CODES } from "../scripts/lib/render-troubleshooting.mjs";
import { launchBrowser } from "./support/browser.ts";
import { BASE, builtPages, builtSite, DOCS_DIR, ROOT, serveSite, type StaticSite } from "./support/site.ts";

const ARTIFACTS = join(DOCS_DIR, "test-artifacts");

interface Visited {
  ids: Set<string>;
  errors: string[];
}
interface Link {
  from: string;
  path: string;
  hash: string;
}

let site: StaticSite;
let siteDir: string;
let browser: BrowserContext;
let page: Page;
const visited = new Map<string, Visited>();
const links: Link[] = [];
let pageErrors: string[] = [];
/**
 * Requests the browser cancelled (net::ERR_ABORTED): VitePress prefetches the chunks of linked pages when the
 * browser is idle, which may be after "networkidle", and the next page.goto cancels them. That is not a page
 * error, but each such URL must still be served: the test fetches every one of them itself.
 */
const aborted = new Set<string>();

/** Opens a page and records its element ids, its internal links and every console error or failed request. */
async function visit(path: string): Promise<Visited> {
  pageErrors = [];
  const response = await page.goto(`${site.origin}${path}`, { waitUntil: "networkidle" });
  if (response?.status() !== 200) pageErrors.push(`HTTP ${response?.status()} for ${path}`);
  const ids = new Set(await page.$$eval("[id]", (els) => els.map((e) => e.id)));
  const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => (a as HTMLAnchorElement).href));
  for (const href of hrefs) {
    const url = new URL(href);
    if (url.origin !== site.origin) continue;
    links.push({ from: path, path: url.pathname, hash: decodeURIComponent(url.hash.slice(1)) });
  }
  const result = { ids, errors: pageErrors };
  visited.set(path, result);
  return result;
}

/** Every page reachable from the home page through internal links (nav, sidebar, content). */
async function crawl(): Promise<void> {
  const queue = [BASE];
  while (queue.length) {
    const path = queue.shift()!;
    if (visited.has(path)) continue;
    await visit(path);
    for (const link of links) if (!visited.has(link.path) && !queue.includes(link.path)) queue.push(link.path);
  }
}

beforeAll(async () => {
  siteDir = builtSite();
  site = await serveSite(siteDir);
  browser = await launchBrowser();
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => pageErrors.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    const reason = r.failure()?.errorText ?? "unknown";
    if (reason === "net::ERR_ABORTED") aborted.add(r.url());
    else pageErrors.push(`request failed (${reason}): ${r.url()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) pageErrors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await crawl();
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe("every page", () => {
  test("the crawl reached every built page through links (none is orphaned)", () => {
    const paths = [...visited.keys()];
    const built = builtPages(siteDir).map((p) => `${BASE}${p}`);
    expect(built.filter((p) => !paths.includes(p))).toEqual([]);
    for (const expected of ["getting-started", "troubleshooting", "rollback", "security", "guides/versions", "reference/workflows/build", "reference/cli/version-util"]) {
      expect(paths).toContain(`${BASE}${expected}`);
    }
  });

  test("loads without console errors, page errors or failed requests", () => {
    const failures = [...visited].filter(([, v]) => v.errors.length).map(([p, v]) => `${p}: ${v.errors.join("; ")}`);
    expect(failures).toEqual([]);
    expect(site.missing).toEqual([]);
  });

  test("every request the browser cancelled (a prefetch cut short by the next page) is served", async () => {
    const statuses = await Promise.all([...aborted].map(async (url) => `${(await fetch(url)).status} ${url}`));
    expect(statuses.filter((s) => !s.startsWith("200 "))).toEqual([]);
  });

  test("every internal link and anchor resolves", () => {
    const broken = links
      .filter((l) => l.hash && !visited.get(l.path)?.ids.has(l.hash))
      .map((l) => `${l.from} -> ${l.path}#${l.hash}`);
    expect([...new Set(broken)]).toEqual([]);
  });
});

describe("troubleshooting", () => {
  test("the link every error prints points at this site's troubleshooting page", () => {
    const url = new URL(TROUBLESHOOTING_URL);
    expect(url.pathname).toBe(`${BASE}troubleshooting`);
  });

  test("has the anchor of every error code of every helper", async () => {
    const { helpers } = await renderDocs(ROOT);
    const codes = [...Object.keys(CLI_KIT_CODES), ...helpers.flatMap((h) => Object.keys(h.codes ?? {}))];
    expect(helpers.filter((h) => !h.codes).map((h) => h.dir), "helpers whose built dist/index.js has no ERROR_CODES").toEqual([]);
    const ids = visited.get(`${BASE}troubleshooting`)?.ids ?? new Set();
    const missing = codes.filter((c) => !ids.has(new URL(troubleshootingLink(c)).hash.slice(1)));
    expect(missing, "codes without an entry on the built page: run the docs' generate, then build").toEqual([]);
    expect(codes.length).toBeGreaterThan(20);
  });

  test("the exact link an error prints opens the entry", async () => {
    const printed = new URL(troubleshootingLink("VU_TAG_MISMATCH"));
    await page.goto(`${site.origin}${printed.pathname}${printed.hash}`, { waitUntil: "networkidle" });
    const heading = page.locator(`[id="${printed.hash.slice(1)}"]`);
    await expect.poll(() => heading.isVisible()).toBe(true);
    expect(await heading.textContent()).toContain("VU_TAG_MISMATCH");
    expect(await page.locator(`[id="${printed.hash.slice(1)}"] ~ p`).first().textContent()).not.toBe("");
  });
});

describe("search", () => {
  test("finds a workflow input by name", async () => {
    const { workflows } = await renderDocs(ROOT);
    const withInputs = workflows.map((w) => ({ w, names: Object.keys(w.call.inputs ?? {}) })).filter((x) => x.names.length);
    // The longest input name is the most specific query (e.g. verify-timeout, entry-point-args).
    const name = withInputs.flatMap((x) => x.names).sort((a, b) => b.length - a.length)[0]!;
    const pagesWithIt = withInputs.filter((x) => x.names.includes(name)).map((x) => `${BASE}reference/workflows/${x.w.file.replace(/\.ya?ml$/, "")}`);
    await page.goto(`${site.origin}${BASE}`, { waitUntil: "networkidle" });
    await page.getByRole("button", { name: "Search" }).first().click();
    await page.locator("#localsearch-input").fill(name);
    const results = page.locator("#localsearch-list a.result");
    await results.first().waitFor({ timeout: 15_000 });
    const hrefs = await results.evaluateAll((as) => as.map((a) => {
      const url = new URL((a as HTMLAnchorElement).href);
      return `${url.pathname}${url.hash}`;
    }));
    // The input's own section comes first: its name is a heading (#input-NAME) on the workflow's page.
    expect(pagesWithIt.map((p) => `${p}#input-${name}`), `results for "${name}": ${hrefs.join(", ")}`).toContain(hrefs[0]);
    await results.first().click();
    await page.waitForURL((u) => pagesWithIt.includes(u.pathname) && u.hash === `#input-${name}`);
    await expect.poll(() => page.locator(`[id="input-${name}"]`).isVisible()).toBe(true);
  });
});

describe("search for an error code", () => {
  test("lands on the code's troubleshooting entry first", async () => {
    const { helpers } = await renderDocs(ROOT);
    const codes = helpers.flatMap((h) => Object.keys(h.codes ?? {}));
    const code = codes.includes("VU_TAG_MISMATCH") ? "VU_TAG_MISMATCH" : codes[0]!;
    await page.goto(`${site.origin}${BASE}`, { waitUntil: "networkidle" });
    await page.getByRole("button", { name: "Search" }).first().click();
    await page.locator("#localsearch-input").fill(code);
    const first = page.locator("#localsearch-list a.result").first();
    await first.waitFor({ timeout: 15_000 });
    const href = new URL((await first.getAttribute("href"))!, site.origin);
    expect(`${href.pathname}${href.hash}`).toBe(`${BASE}troubleshooting#${code.toLowerCase()}`);
  });
});

describe("getting started", () => {
  for (const [label, viewport] of [
    ["phone", { width: 390, height: 844 }],
    ["desktop", { width: 1440, height: 900 }],
  ] as const) {
    test(`reads well at ${label} width (${viewport.width}x${viewport.height}); screenshot in docs/test-artifacts/`, async () => {
      await page.setViewportSize(viewport);
      await page.goto(`${site.origin}${BASE}getting-started`, { waitUntil: "networkidle" });
      await expect.poll(() => page.getByRole("heading", { level: 1, name: "Getting started" }).isVisible()).toBe(true);
      // Nothing wider than the screen: tables and code scroll inside their own boxes.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      // The caller workflow is included from examples/workflows/, not copied.
      expect(await page.locator("div.language-yml, div.language-yaml").count()).toBeGreaterThanOrEqual(2);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `getting-started-${label}.png`) });
      await page.screenshot({ path: join(ARTIFACTS, `getting-started-${label}-full.png`), fullPage: true });
    });
  }
});
