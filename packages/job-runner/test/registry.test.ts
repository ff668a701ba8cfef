import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO_ROOT, tempDir } from "@pypi-workflows/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalRegistry, helpersNamedIn, startHelpersRegistry, startLocalRegistry } from "../src/index.js";
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
