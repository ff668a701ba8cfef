import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@pypi-workflows/testkit";
import { beforeAll, describe, expect, it } from "vitest";

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  engines?: { node?: string };
  files?: string[];
  exports?: Record<string, { types?: string; import?: string }>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const PACKAGES_DIR = join(REPO_ROOT, "packages");
const packages = readdirSync(PACKAGES_DIR)
  .filter((d) => existsSync(join(PACKAGES_DIR, d, "package.json")))
  .map((dir) => ({ dir: join(PACKAGES_DIR, dir), manifest: JSON.parse(readFileSync(join(PACKAGES_DIR, dir, "package.json"), "utf8")) as Manifest }));
/** The helpers users run with npx: public packages with a bin. */
const helpers = packages.filter((p) => !p.manifest.private && p.manifest.bin);

/** The helpers declare engines >=22.12 and are tested on the oldest supported Node (tools/node-engine.sh names it) and on the development Node. */
const SUPPORTED_ENGINES = ">=22.12";

describe("every helper package", () => {
  let floorNode = "";
  // Installing the floor Node (npm package `node`) can take minutes on a cold, busy machine: a hook, not a test.
  beforeAll(() => {
    floorNode = execFileSync("bash", [join(REPO_ROOT, "tools/node-engine.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
    expect(execFileSync(floorNode, ["--version"], { encoding: "utf8" })).toMatch(/^v22\./);
  }, 600_000);

  it("exists", () => {
    expect(helpers.map((h) => h.manifest.name)).toContain("@pypi-workflows/version-util");
  });

  it.each(helpers.map((h) => [h.manifest.name, h] as const))("%s is packaged to run alone", (_name, { dir, manifest }) => {
    expect(manifest.engines?.node).toBe(SUPPORTED_ENGINES);
    expect(manifest.files).toEqual(["dist"]);
    expect(manifest.exports?.["."]).toEqual({ types: "./dist/index.d.ts", import: "./dist/index.js" });
    // Workspace packages are bundled by tsup: nothing a user would install may point into this repository.
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) expect(range, dep).not.toMatch(/^workspace:/);
    for (const bin of Object.values(manifest.bin ?? {})) expect(existsSync(join(dir, bin)), bin).toBe(true);
    expect(existsSync(join(dir, "dist/index.d.ts"))).toBe(true);
  });

  it("is built before these checks run (repo-checks depends on every helper)", () => {
    const self = packages.find((p) => p.manifest.name === "@pypi-workflows/repo-checks")!.manifest;
    for (const h of helpers) expect(Object.keys(self.devDependencies ?? {})).toContain(h.manifest.name);
  });

  it.each(helpers.map((h) => [h.manifest.name, h] as const))(
    "%s starts and answers --help on the floor Node (22) and on the development Node",
    (_name, { dir, manifest }) => {
      for (const node of [floorNode, process.execPath]) {
        for (const [bin, path] of Object.entries(manifest.bin ?? {})) {
          const run = spawnSync(node, [join(dir, path), "--help"], { encoding: "utf8", cwd: dir });
          expect(run.stderr, `${bin} on ${node}`).toBe("");
          expect(run.status, `${bin} on ${node}`).toBe(0);
          expect(run.stdout).toContain(bin);
        }
      }
    },
  );
});

describe("the README", () => {
  it("lists every package in its table", () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    for (const p of packages) expect(readme, p.manifest.name).toContain(`\`${p.manifest.name}\``);
  });
});
