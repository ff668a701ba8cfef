import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO_ROOT, tempDir } from "@pypi-workflows/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES, type LocalRegistry, RunnerError, helpersNamedIn, startHelpersRegistry, startLocalRegistry } from "../src/index.js";
import { inlineWorkflow, runFixture } from "./helpers.js";

let registry: LocalRegistry;
beforeAll(async () => {
  registry = await startLocalRegistry();
});
afterAll(() => registry?.stop());

describe("helper CLIs from a local npm registry (verdaccio)", () => {
  it("serves exactly the helpers the workflows call, each a dependency of this package so turbo builds it first", () => {
    const helpers = helpersNamedIn(join(REPO_ROOT, ".github", "workflows"));
    expect(helpers).toEqual([
      "@pypi-workflows/dist-check", "@pypi-workflows/install-verifier", "@pypi-workflows/notes-gen",
      "@pypi-workflows/uploader", "@pypi-workflows/version-util",
    ]);
    const own = JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    for (const name of helpers) expect(own.devDependencies, name).toHaveProperty([name]);
  });

  it("publishes the packed workspace package and runs it with npx from the registry, caching inside the run", async () => {
    const published = await registry.publishWorkspacePackages(join(REPO_ROOT, "packages"), ["@pypi-workflows/version-util"]);
    expect(published.map((p) => `${p.name}@${p.version}`)).toEqual(["@pypi-workflows/version-util@0.1.0"]);
    const packument = (await (await fetch(`${registry.url}@pypi-workflows%2fversion-util`)).json()) as { versions: object };
    expect(Object.keys(packument.versions)).toEqual(["0.1.0"]);
    const workflow = inlineWorkflow(`on: push
jobs:
  helper:
    runs-on: ubuntu-latest
    steps:
      - id: version
        env:
          TAG: v1.2.3rc1
        run: npx --yes @pypi-workflows/version-util@0.1.0 from-tag "$TAG"
      - name: a name the registry does not have
        if: always()
        run: npx --yes @pypi-workflows/not-published@0.1.0 --help
`);
    const runDir = tempDir("jr-run-");
    const result = await runFixture("", { workflow, runDir, extraEnv: registry.env });
    const [version, missing] = result.jobs.helper!.steps;
    expect(version!.conclusion).toBe("success");
    expect(version!.outputs).toMatchObject({ version: "1.2.3rc1", "is-prerelease": "true" });
    expect(missing!.conclusion).toBe("failure");
    expect(missing!.log.join("\n")).toMatch(/404/);
    expect(existsSync(join(runDir, "npm-cache", "_npx"))).toBe(true);
    expect(readdirSync(join(runDir, "home"))).toEqual([]);
  });

  it("startHelpersRegistry starts a registry serving exactly the helpers a workflows directory calls", async () => {
    const workflowsDir = dirname(inlineWorkflow(`on: push
jobs:
  helper:
    runs-on: ubuntu-latest
    steps:
      - run: npx --yes @pypi-workflows/version-util@0.1.0 from-tag v1.0.0
`));
    const helpers = await startHelpersRegistry(join(REPO_ROOT, "packages"), workflowsDir);
    try {
      expect(helpers.env).toEqual({ npm_config_registry: helpers.url });
      expect((await fetch(`${helpers.url}@pypi-workflows%2fversion-util`)).status).toBe(200);
      expect((await fetch(`${helpers.url}@pypi-workflows%2fuploader`)).status).toBe(404);
    } finally {
      await helpers.stop();
    }
  });
});

/** A packages/ directory holding one package (name, version), with a built dist/ unless `built` is false. */
function packagesDir(name: string, { built = true } = {}): string {
  const root = tempDir("jr-packages-");
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, version: "1.0.0", files: ["dist"] }, null, 2));
  if (built) {
    mkdirSync(join(dir, "dist"));
    writeFileSync(join(dir, "dist", "index.js"), "export const x = 1;\n");
  }
  return root;
}

/** The error a promise rejects with (it must reject). */
async function rejectionOf(promise: Promise<unknown>): Promise<RunnerError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error, "expected a rejection").toBeInstanceOf(Error);
  return error as RunnerError;
}

describe("JR_REGISTRY: the local registry cannot be installed, started or published to (exit 2, with the registry's words)", () => {
  it("npm cannot fetch verdaccio (offline, empty cache): cannot install, nothing half-made left behind", async () => {
    const cache = tempDir("jr-verdaccio-cache-");
    const toolsDir = join(cache, "verdaccio");
    const env = { ...process.env, npm_config_offline: "true", npm_config_cache: join(cache, "npm") };
    const error = await rejectionOf(startLocalRegistry({ toolsDir, env }));
    expect(error).toBeInstanceOf(RunnerError);
    expect([error.code, error.exitCode, error.hint]).toEqual(["JR_REGISTRY", 2, ERROR_CODES.JR_REGISTRY!.fix]);
    expect(error.message).toMatch(new RegExp(`^cannot install verdaccio into ${toolsDir}: npm ci exited with 1`));
    expect(error.message).toMatch(/ENOTCACHED/);
    expect(readdirSync(cache).filter((f) => f.startsWith("verdaccio"))).toEqual([]);
  });

  // The installed verdaccio (beforeAll made sure of it), started with a NODE_OPTIONS its node cannot honour.
  let startFailure: Promise<RunnerError> | undefined;
  const failedStart = () =>
    (startFailure ??= rejectionOf(startLocalRegistry({ env: { ...process.env, NODE_OPTIONS: "--require=/nonexistent/jr-preload.cjs" } })));

  it("verdaccio exits at start (its node cannot load a --require): it exited before it served, with its output", async () => {
    const error = await failedStart();
    expect([error.code, error.exitCode]).toEqual(["JR_REGISTRY", 2]);
    expect(error.message).toMatch(/^verdaccio exited \(1\) before it served http:\/\/127\.0\.0\.1:\d+\/-\/ping:/);
    expect(error.message).toMatch(/Cannot find module '\/nonexistent\/jr-preload\.cjs'/);
  });

  it("verdaccio exits at start: the error carries JR_REGISTRY's next step", async () => {
    expect((await failedStart()).hint).toBe(ERROR_CODES.JR_REGISTRY!.fix);
  });

  it("pnpm pack fails (a prepack script exits 3): cannot pack, with pnpm's words, nothing published", async () => {
    const packages = packagesDir("jr-unpackable");
    const file = join(packages, "jr-unpackable", "package.json");
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), scripts: { prepack: "echo prepack refuses >&2; exit 3" } }));
    const error = await rejectionOf(registry.publishWorkspacePackages(packages));
    expect(error).toBeInstanceOf(RunnerError);
    expect([error.code, error.exitCode, error.hint]).toEqual(["JR_REGISTRY", 2, ERROR_CODES.JR_REGISTRY!.fix]);
    expect(error.message).toMatch(/^cannot pack jr-unpackable: /);
    expect((await fetch(`${registry.url}jr-unpackable`)).status).toBe(404);
  });

  it("a package that was never built (no dist/): nothing packed, the message says to build first", async () => {
    const error = await rejectionOf(registry.publishWorkspacePackages(packagesDir("jr-unbuilt", { built: false })));
    expect(error).toBeInstanceOf(RunnerError);
    expect([error.code, error.exitCode, error.hint]).toEqual(["JR_REGISTRY", 2, ERROR_CODES.JR_REGISTRY!.fix]);
    expect(error.message).toBe("jr-unbuilt has no dist/: build the workspace first (pnpm build)");
    expect((await fetch(`${registry.url}jr-unbuilt`)).status).toBe(404);
  });

  it("npm publish refused (that version is already published): cannot publish, with npm's words", async () => {
    const [published] = await registry.publishWorkspacePackages(packagesDir("jr-published-twice"));
    const error = await rejectionOf(registry.publishTarball(published!.tarball));
    expect(error).toBeInstanceOf(RunnerError);
    expect([error.code, error.exitCode, error.hint]).toEqual(["JR_REGISTRY", 2, ERROR_CODES.JR_REGISTRY!.fix]);
    expect(error.message).toMatch(new RegExp(`^cannot publish ${published!.tarball}: npm publish exited with 1`));
    expect(error.message).toMatch(/You cannot publish over the previously published versions: 1\.0\.0/);
  });
});
