import { createHash } from "node:crypto";
import { copyFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { type FaultProxy, type FaultRule, freePort, startFaultProxy, startLocalIndex, tempDir, type LocalIndex } from "@pypi-workflows/testkit";
import { afterAll, beforeAll, describe, test } from "vitest";
import { buildFixtures, type BuiltFixture } from "./helpers/fixtures.js";
import { failedStep, runVerifier, verifyJson } from "./helpers/run.js";

// After publishing: a real pypiserver as the "test" index (the package) and another as the "main" index (its
// dependency), recording proxies (testkit's fault proxy) in front of both, a lagging proxy, a dead port.
let built: Record<"good" | "with-dep" | "dep-only", BuiltFixture>;
let testIndex: LocalIndex;
let depsIndex: LocalIndex;
type IndexProxy = FaultProxy & { simpleUrl: string };
let testProxy: IndexProxy;
let depsProxy: IndexProxy;
const proxies: FaultProxy[] = [];

function publish(index: LocalIndex, fixture: BuiltFixture): void {
  for (const file of [fixture.wheel, fixture.sdist]) copyFileSync(file, join(index.packagesDir, basename(file)));
}

/** dist-check's manifest for a fixture's files, optionally with a wrong sha256 for the wheel. */
function writeManifest(fixture: BuiltFixture, name: string, options: { wrongWheelSha?: boolean } = {}): string {
  const files = [fixture.wheel, fixture.sdist].map((file) => ({
    filename: basename(file),
    kind: file.endsWith(".whl") ? "wheel" : "sdist",
    size: statSync(file).size,
    sha256: file.endsWith(".whl") && options.wrongWheelSha ? "0".repeat(64) : createHash("sha256").update(readFileSync(file)).digest("hex"),
  }));
  const path = join(tempDir("iv-manifest-"), "manifest.json");
  writeFileSync(path, JSON.stringify({ name, version: "1.0.0", files }, null, 2));
  return path;
}

async function proxy(index: LocalIndex, rules: FaultRule[] = []): Promise<IndexProxy> {
  const started = await startFaultProxy(index.baseUrl, rules);
  proxies.push(started);
  return Object.assign(started, { simpleUrl: `${started.url}/simple/` });
}

beforeAll(async () => {
  [built, testIndex, depsIndex] = await Promise.all([buildFixtures(["good", "with-dep", "dep-only"]), startLocalIndex(), startLocalIndex()]);
  publish(testIndex, built.good);
  publish(testIndex, built["with-dep"]);
  publish(depsIndex, built["dep-only"]);
  [testProxy, depsProxy] = await Promise.all([proxy(testIndex), proxy(depsIndex)]);
});

afterAll(async () => {
  await Promise.all([...proxies.map((p) => p.stop()), testIndex?.stop(), depsIndex?.stop()]);
});

describe.concurrent("verify --index-url (after publishing)", () => {
  test.for(["pip", "uv"])("published and installable, with the manifest's sha256 pinned (%s)", async (installer, { expect }) => {
    const manifest = writeManifest(built.good, "iv-good");
    const { exitCode, report } = await verifyJson(["--index-url", testIndex.simpleUrl, "--manifest", manifest, "--installer", installer]);
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ mode: "index", name: "iv-good", version: "1.0.0", published: true, installable: true, ok: true });
    const names = report.steps.map((s) => s.name);
    expect(names).toContain(`index: install iv-good==1.0.0 from ${testIndex.simpleUrl} with the manifest's sha256 pinned (--no-deps)`);
    expect(report.steps[0]!.detail).toContain("with the manifest's sha256: iv_good-1.0.0-py3-none-any.whl, iv_good-1.0.0.tar.gz (1 attempt)");
    expect(names).toEqual(expect.arrayContaining(["index: import iv_good", "index: run iv-good --version"]));
  });

  test("the package from the test index, its dependency from the deps index, never both in one call", async ({ expect }) => {
    const args = ["--index-url", testProxy.simpleUrl, "--name", "iv-with-dep", "--version", "1.0.0", "--deps-index-url", depsProxy.simpleUrl];
    const { exitCode, report } = await verifyJson([...args, "--installer", "pip"]);
    expect(exitCode).toBe(0);
    // The extra's requirement is passed too: the installer evaluates its marker (false: no extra asked for).
    expect(report.steps.find((s) => s.name === `index: install dependencies from ${depsProxy.simpleUrl}`)).toMatchObject({
      status: "ok",
      detail: "iv-dep-only>=2, iv-never-needed; extra == 'extra'",
    });
    expect(report.steps.map((s) => s.name)).toContain("index: import iv_with_dep");
    // The test index was never asked for the dependency, the deps index never for the package.
    expect(testProxy.requests.some((r) => r.path.includes("iv-dep-only"))).toBe(false);
    expect(depsProxy.requests.some((r) => r.path.includes("iv-with-dep"))).toBe(false);
    expect(depsProxy.requests.some((r) => r.path === "/simple/iv-dep-only/")).toBe(true);
  });

  test("a dependency only the main index has: deps from the test index fail the deps step", async ({ expect }) => {
    const args = ["--index-url", testIndex.simpleUrl, "--name", "iv-with-dep", "--version", "1.0.0", "--deps-index-url", testIndex.simpleUrl];
    const { exitCode, report } = await verifyJson([...args, "--installer", "uv"]);
    expect(exitCode).toBe(1);
    expect(report).toMatchObject({ published: true, installable: false });
    expect(failedStep(report)).toMatchObject({ code: "IV_DEPS_INSTALL_FAILED" });
    expect(failedStep(report)!.output).toContain("iv-dep-only");
    expect(report.steps.at(-1)).toMatchObject({ status: "skipped", name: "index: checks" });
  });

  test("--dist takes dependencies from --deps-index-url too", async ({ expect }) => {
    const { exitCode, report } = await verifyJson(["--dist", built["with-dep"].distDir, "--deps-index-url", depsIndex.simpleUrl, "--installer", "uv"]);
    expect(exitCode).toBe(0);
    expect(report.installable).toBe(true);
  });

  test("a file that appears on the index only after a delay is waited for", async ({ expect }) => {
    // A stale index / CDN: the first two looks at the project's page get 404 (counted, not timed).
    const lagging = await proxy(testIndex, [{ method: "GET", path: /^\/simple\/iv-good\//, times: 2, fault: { kind: "status", status: 404 } }]);
    // A version as a tag spells it is verified as its PEP 440 normal form.
    const { exitCode, report } = await verifyJson(["--index-url", lagging.simpleUrl, "--name", "iv-good", "--version", "v1.0", "--timeout", "60", "--installer", "uv"]);
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ published: true, version: "1.0" });
    // Two stale answers, then the listing: the third look finds it (the installer's own look comes after).
    expect(report.steps[0]!.detail).toMatch(/\(3 attempts\)$/);
    expect(lagging.requests.filter((r) => r.path === "/simple/iv-good/").map((r) => r.status).slice(0, 3)).toEqual([404, 404, 200]);
  });

  test("the index down: a clear error after --timeout, exit 2", async ({ expect }) => {
    const dead = `http://127.0.0.1:${await freePort()}/simple/`;
    const run = await runVerifier(["verify", "--index-url", dead, "--name", "iv-good", "--version", "1.0.0", "--timeout", "2", "--deps-index-url", dead]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/error IV_INDEX_UNREACHABLE: the index did not answer in 2 s \(\d+ attempts?\): cannot read http:\/\/127\.0\.0\.1:\d+\/simple\/iv-good\/: ECONNREFUSED/);
    expect(run.stderr).toContain("waiting for iv-good 1.0.0 (attempt 1): index not reachable");
  });

  test("a version that does not exist: not published after --timeout, exit 1", async ({ expect }) => {
    const { exitCode, report } = await verifyJson(["--index-url", testIndex.simpleUrl, "--name", "iv-good", "--version", "9.9.9", "--timeout", "2"]);
    expect(exitCode).toBe(1);
    expect(report).toMatchObject({ published: false, installable: false, failed: [`index: wait for iv-good 9.9.9 on ${testIndex.simpleUrl}`] });
    expect(failedStep(report)).toMatchObject({ code: "IV_NOT_PUBLISHED" });
    expect(failedStep(report)!.detail).toMatch(/^no file of version 9\.9\.9 listed; versions listed: 1\.0\.0 \(\d+ attempts?\)$/);
  });

  test("a project the index does not know", async ({ expect }) => {
    const { exitCode, report } = await verifyJson(["--index-url", testIndex.simpleUrl, "--name", "iv-nope", "--version", "1.0.0", "--timeout", "1"]);
    expect(exitCode).toBe(1);
    expect(failedStep(report)!.detail).toMatch(/^the index has no project iv-nope \(yet\)/);
  });

  test("the index lists other bytes than the manifest's: not published, no install", async ({ expect }) => {
    const manifest = writeManifest(built.good, "iv-good", { wrongWheelSha: true });
    const { exitCode, report } = await verifyJson(["--index-url", testIndex.simpleUrl, "--manifest", manifest, "--timeout", "30"]);
    expect(exitCode).toBe(1);
    expect(report).toMatchObject({ published: false, installable: false });
    expect(failedStep(report)).toMatchObject({ code: "IV_SHA_MISMATCH" });
    expect(failedStep(report)!.detail).toContain(`iv_good-1.0.0-py3-none-any.whl: index ${createHash("sha256").update(readFileSync(built.good.wheel)).digest("hex")}, manifest ${"0".repeat(64)} (1 attempt)`);
    expect(report.steps).toHaveLength(1);
  });

  test.for(["pip", "uv"])("an index without hashes: the installer refuses bytes the manifest does not name (%s)", async (installer, { expect }) => {
    // An index that publishes no hashes: its simple pages asked for as HTML (pypiserver speaks PEP 503), the
    // #sha256= fragments cut; the files themselves pass unchanged.
    const stripHashes = (html: string) => html.replace(/#sha256=[0-9a-f]{64}/g, "");
    const noHashes = await proxy(testIndex, [{ path: /^\/simple\//, fault: { kind: "rewrite", headers: { accept: "text/html", "accept-encoding": "identity" }, body: stripHashes } }]);
    const good = await verifyJson(["--index-url", noHashes.simpleUrl, "--manifest", writeManifest(built.good, "iv-good"), "--installer", installer]);
    expect(good.exitCode).toBe(0);
    expect(good.report.steps[0]!.detail).toContain("the index gives no sha256 for iv_good-1.0.0-py3-none-any.whl, iv_good-1.0.0.tar.gz: the install pins it");
    const wrong = await verifyJson(["--index-url", noHashes.simpleUrl, "--manifest", writeManifest(built.good, "iv-good", { wrongWheelSha: true }), "--installer", installer]);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.report).toMatchObject({ published: true, installable: false });
    expect(failedStep(wrong.report)).toMatchObject({ code: "IV_HASH_MISMATCH" });
  });
});
