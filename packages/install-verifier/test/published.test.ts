import { createHash } from "node:crypto";
import { copyFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { type FaultProxy, type FaultRule, freePort, pythonTools, repackToolsWheels, startFaultProxy, startLocalIndex, tempDir, type LocalIndex } from "@pypi-workflows/testkit";
import { afterAll, beforeAll, describe, test } from "vitest";
import { buildFixtures, type BuiltFixture } from "./helpers/fixtures.js";
import { failedStep, NO_DEPS_INDEX, runVerifier, verifyJson } from "./helpers/run.js";

// After publishing: a real pypiserver as the "test" index (the package) and another as the "main" index (its
// dependency), recording proxies (testkit's fault proxy) in front of both, a lagging proxy, a dead port.
let built: Record<"good" | "with-dep" | "dep-only" | "sdist-only", BuiltFixture>;
let testIndex: LocalIndex;
let depsIndex: LocalIndex;
type IndexProxy = FaultProxy & { simpleUrl: string };
let testProxy: IndexProxy;
let depsProxy: IndexProxy;
const proxies: FaultProxy[] = [];

function publish(index: LocalIndex, fixture: BuiltFixture, files = [fixture.wheel, fixture.sdist]): void {
  for (const file of files) copyFileSync(file, join(index.packagesDir, basename(file)));
}

/** dist-check's manifest for a fixture's files (or its sdist only), optionally with a wrong sha256 for the wheel. */
function writeManifest(fixture: BuiltFixture, name: string, options: { wrongWheelSha?: boolean; sdistOnly?: boolean } = {}): string {
  const files = (options.sdistOnly ? [fixture.sdist] : [fixture.wheel, fixture.sdist]).map((file) => ({
    filename: basename(file),
    kind: file.endsWith(".whl") ? "wheel" : "sdist",
    size: statSync(file).size,
    sha256: file.endsWith(".whl") && options.wrongWheelSha ? "0".repeat(64) : createHash("sha256").update(readFileSync(file)).digest("hex"),
  }));
  // One directory for the whole file: a test's own temp dir could be removed when a concurrent test ends.
  const path = join(manifests, `${name}-${++manifestCount}.json`);
  writeFileSync(path, JSON.stringify({ name, version: "1.0.0", files }, null, 2));
  return path;
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

// An index that publishes no hashes: its simple pages asked for as HTML (pypiserver speaks PEP 503), the
// #sha256= fragments cut; the files themselves pass unchanged.
const stripHashesRule: FaultRule = {
  path: /^\/simple\//,
  fault: { kind: "rewrite", headers: { accept: "text/html", "accept-encoding": "identity" }, body: (html) => html.replace(/#sha256=[0-9a-f]{64}/g, "") },
};

async function proxy(index: LocalIndex, rules: FaultRule[] = []): Promise<IndexProxy> {
  const started = await startFaultProxy(index.baseUrl, rules);
  proxies.push(started);
  return Object.assign(started, { simpleUrl: `${started.url}/simple/` });
}

let manifests: string;
let manifestCount = 0;

beforeAll(async () => {
  manifests = tempDir("iv-manifests-");
  [built, testIndex, depsIndex] = await Promise.all([buildFixtures(["good", "with-dep", "dep-only", "sdist-only"]), startLocalIndex(), startLocalIndex()]);
  publish(testIndex, built.good);
  publish(testIndex, built["with-dep"]);
  // A release without a wheel: installing it means building it, with flit_core, which only the deps index has.
  publish(testIndex, built["sdist-only"], [built["sdist-only"].sdist]);
  publish(depsIndex, built["dep-only"]);
  await repackToolsWheels(depsIndex.packagesDir, "flit_core");
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
    // The release has a wheel: wheels only, so no sdist is ever built with a backend from the test index.
    expect(names).toContain(`index: install iv-good==1.0.0 from ${testIndex.simpleUrl} (wheels only, with the manifest's sha256 pinned) (--no-deps)`);
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
    expect(failedStep(report)!.detail).toContain(`iv_good-1.0.0-py3-none-any.whl: index ${sha256(built.good.wheel)}, manifest ${"0".repeat(64)} (1 attempt)`);
    expect(report.steps).toHaveLength(1);
  });

  test.for(["pip", "uv"])("an index without hashes: published only once the downloaded bytes are the manifest's (%s)", async (installer, { expect }) => {
    const noHashes = await proxy(testIndex, [stripHashesRule]);
    const good = await verifyJson(["--index-url", noHashes.simpleUrl, "--manifest", writeManifest(built.good, "iv-good"), "--installer", installer]);
    expect(good.exitCode).toBe(0);
    expect(good.report.published).toBe(true);
    expect(good.report.steps[0]!.detail).toContain("the index gives no sha256 for iv_good-1.0.0-py3-none-any.whl, iv_good-1.0.0.tar.gz: downloaded, the manifest's sha256 checked");
    // Other bytes than the manifest's: not published, found before any install.
    const wrong = await verifyJson(["--index-url", noHashes.simpleUrl, "--manifest", writeManifest(built.good, "iv-good", { wrongWheelSha: true }), "--installer", installer]);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.report).toMatchObject({ published: false, installable: false });
    expect(failedStep(wrong.report)).toMatchObject({ code: "IV_SHA_MISMATCH" });
    expect(failedStep(wrong.report)!.detail).toContain(`iv_good-1.0.0-py3-none-any.whl: downloaded ${sha256(built.good.wheel)}, manifest ${"0".repeat(64)}`);
    expect(wrong.report.steps).toHaveLength(1);
  });

  test("bytes that change after the check (a proxy altering files): the installer refuses them, not published", async ({ expect }) => {
    // The first download of the wheel (the poll's hash check) passes unchanged, the installer's is altered.
    // pip: uv reads the altered wheel as a broken zip (an install failure) before it compares hashes.
    const tampering = await proxy(testIndex, [stripHashesRule, { path: /\/iv_good-1\.0\.0-py3-none-any\.whl$/, after: 1, fault: { kind: "rewrite", body: (text) => `${text}tampered` } }]);
    const { exitCode, report } = await verifyJson(["--index-url", tampering.simpleUrl, "--manifest", writeManifest(built.good, "iv-good"), "--installer", "pip"]);
    expect(exitCode).toBe(1);
    expect(report.steps[0]).toMatchObject({ status: "ok" });
    expect(failedStep(report)).toMatchObject({ code: "IV_HASH_MISMATCH" });
    expect(failedStep(report)!.output).toContain("THESE PACKAGES DO NOT MATCH THE HASHES");
    expect(report).toMatchObject({ published: false, installable: false });
  });

  test.for(["pip", "uv"])("an sdist-only release: built with the backend from the deps index, never from the package's index (%s)", async (installer, { expect }) => {
    // Anyone can upload "flit_core" or "hatchling" to a test index: the build requirements must not come from it.
    const testSide = await proxy(testIndex);
    const depsSide = await proxy(depsIndex);
    const args = ["--index-url", testSide.simpleUrl, "--name", "iv-sdist-only", "--version", "1.0.0", "--deps-index-url", depsSide.simpleUrl, "--installer", installer];
    const { exitCode, report } = await verifyJson(args);
    expect(failedStep(report)).toBeUndefined();
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ published: true, installable: true });
    const names = report.steps.map((s) => s.name);
    expect(names).toContain(`index: download iv_sdist_only-1.0.0.tar.gz from ${testSide.simpleUrl}`);
    expect(names).toContain(`index: build a wheel from iv_sdist_only-1.0.0.tar.gz (no wheel on the index: build requirements from ${depsSide.simpleUrl} only)`);
    expect(names).toContain("index: install iv_sdist_only-1.0.0-py3-none-any.whl (--no-deps)");
    expect(report.steps.find((s) => s.name.startsWith("index: download"))!.detail).toBe(`sha256 ${sha256(built["sdist-only"].sdist)}: matches the index's`);
    expect(names).toContain("index: import iv_sdist_only");
    // The package's index served the page and the sdist only; the backend came from the deps index.
    expect(testSide.requests.map((r) => r.path).filter((p) => !p.includes("iv-sdist-only") && !p.includes("iv_sdist_only"))).toEqual([]);
    expect(depsSide.requests.some((r) => r.path === "/simple/flit-core/")).toBe(true);
    expect(depsSide.requests.some((r) => /iv[-_]sdist[-_]only/.test(r.path))).toBe(false);
  });

  test("an sdist-only release on an index without hashes: downloaded once (by the poll), checked, built from that copy", async ({ expect }) => {
    const noHashes = await proxy(testIndex, [stripHashesRule]);
    const depsSide = await proxy(depsIndex);
    const manifest = writeManifest(built["sdist-only"], "iv-sdist-only", { sdistOnly: true });
    const { exitCode, report } = await verifyJson(["--index-url", noHashes.simpleUrl, "--manifest", manifest, "--deps-index-url", depsSide.simpleUrl, "--installer", "uv"]);
    expect(failedStep(report)).toBeUndefined();
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ published: true, installable: true });
    expect(report.steps[0]!.detail).toContain("the index gives no sha256 for iv_sdist_only-1.0.0.tar.gz: downloaded, the manifest's sha256 checked");
    expect(report.steps.find((s) => s.name === `index: download iv_sdist_only-1.0.0.tar.gz from ${noHashes.simpleUrl}`)!.detail).toBe(
      `sha256 ${sha256(built["sdist-only"].sdist)}: matches the manifest's (downloaded once, while waiting for the release)`,
    );
    expect(report.steps.map((s) => s.name)).toContain("index: import iv_sdist_only");
    // One download of the sdist in the whole run: the poll's, whose copy was built.
    expect(noHashes.requests.filter((r) => r.path.endsWith("/iv_sdist_only-1.0.0.tar.gz"))).toHaveLength(1);
    expect(depsSide.requests.some((r) => r.path === "/simple/flit-core/")).toBe(true);
  });

  test("an sdist-only release whose build fails (no backend on the deps index): IV_SDIST_BUILD_FAILED", async ({ expect }) => {
    // The deps index without flit_core; the package's index (which has no flit_core either) is never asked.
    const testSide = await proxy(testIndex);
    const noBackend = await proxy(depsIndex, [{ path: /^\/simple\/flit-core\//, fault: { kind: "status", status: 404 } }]);
    const args = ["--index-url", testSide.simpleUrl, "--name", "iv-sdist-only", "--version", "1.0.0", "--deps-index-url", noBackend.simpleUrl, "--installer", "pip"];
    const { exitCode, report } = await verifyJson(args);
    expect(exitCode).toBe(1);
    expect(report).toMatchObject({
      published: true,
      installable: false,
      failed: [`index: build a wheel from iv_sdist_only-1.0.0.tar.gz (no wheel on the index: build requirements from ${noBackend.simpleUrl} only)`],
    });
    expect(failedStep(report)).toMatchObject({ code: "IV_SDIST_BUILD_FAILED" });
    expect(failedStep(report)!.output).toMatch(/flit[-_]core/i);
    expect(noBackend.requests.some((r) => r.path === "/simple/flit-core/" && r.status === 404)).toBe(true);
    expect(testSide.requests.map((r) => r.path).filter((p) => !p.includes("iv-sdist-only") && !p.includes("iv_sdist_only"))).toEqual([]);
  });

  test("an sdist-only release whose downloaded bytes are not the manifest's: refused before any build, not published", async ({ expect }) => {
    // The index lists the right sha256 (the poll does not download); the one download, to build from, is altered.
    const tampering = await proxy(testIndex, [{ path: /\/iv_sdist_only-1\.0\.0\.tar\.gz$/, after: 0, fault: { kind: "rewrite", body: (text) => `${text}tampered` } }]);
    const manifest = writeManifest(built["sdist-only"], "iv-sdist-only", { sdistOnly: true });
    const { exitCode, report } = await verifyJson(["--index-url", tampering.simpleUrl, "--manifest", manifest, "--deps-index-url", depsIndex.simpleUrl, "--installer", "uv"]);
    expect(exitCode).toBe(1);
    expect(report).toMatchObject({ published: false, installable: false, failed: [`index: download iv_sdist_only-1.0.0.tar.gz from ${tampering.simpleUrl}`] });
    expect(failedStep(report)).toMatchObject({ code: "IV_HASH_MISMATCH" });
    expect(failedStep(report)!.detail).toMatch(new RegExp(`^downloaded sha256 [0-9a-f]{64}, the manifest's ${sha256(built["sdist-only"].sdist)}$`));
    expect(report.steps).toHaveLength(2);
  });

  test("an sdist-only release the index lists but does not serve: exit 2 with IV_INDEX_UNREACHABLE, nothing built", async ({ expect }) => {
    // The index lists the right sha256 (the poll does not download); the download to build from gets a 503.
    const failing = await proxy(testIndex, [{ path: /\/iv_sdist_only-1\.0\.0\.tar\.gz$/, fault: { kind: "status", status: 503 } }]);
    const manifest = writeManifest(built["sdist-only"], "iv-sdist-only", { sdistOnly: true });
    const run = await runVerifier(["verify", "--index-url", failing.simpleUrl, "--manifest", manifest, "--deps-index-url", depsIndex.simpleUrl, "--installer", "uv", "--python", pythonTools().python]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/error IV_INDEX_UNREACHABLE: cannot download iv_sdist_only-1\.0\.0\.tar\.gz: .*HTTP 503/);
    expect(failing.requests.filter((r) => r.path.endsWith(".tar.gz")).map((r) => r.status)).toEqual([503]);
  });

  test("an index that refuses the listing (401): exit 2, no credentials asked for or sent", async ({ expect }) => {
    const refusing = await proxy(testIndex, [{ path: /^\/simple\//, fault: { kind: "status", status: 401 } }]);
    const run = await runVerifier(["verify", "--index-url", refusing.simpleUrl, "--name", "iv-good", "--version", "1.0.0", "--timeout", "30", "--deps-index-url", NO_DEPS_INDEX]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`error IV_INDEX_UNAUTHORIZED: the index refused ${refusing.simpleUrl}iv-good/ with 401`);
    expect(run.stderr).toContain("next step: Verify on an index that lists the project without login");
    expect(refusing.requests).toHaveLength(1);
  });
});
