import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCaptured, tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { runCommand } from "../src/command.js";
import { ERROR_CODES } from "../src/index.js";
import { FIXTURES, ROOT } from "./helpers.js";

function run(argv: string[], cwd = ROOT) {
  return runCaptured(runCommand, argv, { cwd, env: {} });
}

describe("workflow-policy", () => {
  it("passes this project's workflows (exit 0)", async () => {
    const result = await run([".github/workflows", "examples/workflows"]);
    expect(result).toEqual({ code: 0, stdout: "7 workflow(s) follow every rule\n", stderr: "" });
  });

  it("reports each finding with its rule and fix, exit 1, and JSON with --json", async () => {
    const fixture = join(FIXTURES, "policy/checkout-credentials.yml");
    const text = await run([fixture, "--root", ROOT]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("(job build): checkout-credentials: actions/checkout without persist-credentials: false");
    expect(text.stdout).toContain("fix: Add `with: { persist-credentials: false }`");
    const json = await run(["check", fixture, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(["checkout-credentials"]);
  });

  it("refuses invalid YAML (exit 1) and missing paths (exit 2)", async () => {
    const invalid = await run([join(FIXTURES, "invalid.yml")]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^error WC_INVALID_WORKFLOW: /);
    const missing = await run(["no/such/dir"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error WC_NO_WORKFLOWS: /);
    const none = await run(["check"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error USAGE: missing <paths>/);
  });

  it("says when it is outside the workspace (exit 2)", async () => {
    const result = await run([".github/workflows"], "/");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error WC_NO_WORKSPACE: /);
  });

  it("reports generated files as up to date, lists rules, prints help", async () => {
    expect(await run(["generate"])).toEqual({ code: 0, stdout: "generated files are up to date\n", stderr: "" });
    expect((await run(["rules"])).stdout).toContain("pinned-uses: Every `uses:` is pinned");
    expect((await run(["--help"])).stdout).toContain("workflow-policy 0.1.0");
  });

  it("refuses a stale generated file in check mode (exit 1, WC_STALE_GENERATED) until --write rewrites it", async () => {
    // A temp workspace with all that `generate` reads and compares: the workflows (and their README), the example
    // callers, the scenario table; pnpm-workspace.yaml lets it find the root from its cwd, as in the repository.
    const root = tempDir("wc-stale-generated-");
    for (const dir of [".github/workflows", "examples/workflows", "packages/workflow-checks/generated"]) {
      cpSync(join(ROOT, dir), join(root, dir), { recursive: true });
    }
    cpSync(join(ROOT, "pnpm-workspace.yaml"), join(root, "pnpm-workspace.yaml"));
    const stalePath = ".github/workflows/README.md";
    const committed = readFileSync(join(root, stalePath));
    expect(await run(["generate"], root)).toEqual({ code: 0, stdout: "generated files are up to date\n", stderr: "" });

    // One byte edited by hand: "# The workflows" becomes "# the workflows".
    const edited = Buffer.from(committed);
    expect(edited.subarray(0, 15).toString()).toBe("# The workflows");
    edited[2] = "t".charCodeAt(0);
    writeFileSync(join(root, stalePath), edited);

    const check = await run(["generate"], root);
    expect(check.code).toBe(1);
    expect(check.stdout).toBe("");
    expect(check.stderr).toBe(
      `error WC_STALE_GENERATED: stale generated file(s): ${stalePath}\n` +
        `  next step: ${ERROR_CODES.WC_STALE_GENERATED!.fix}\n` +
        "  docs: https://pypi-workflows.github.io/pypi-workflows/troubleshooting#wc_stale_generated\n",
    );
    const json = await run(["generate", "--json"], root);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error).toMatchObject({
      code: "WC_STALE_GENERATED",
      message: `stale generated file(s): ${stalePath}`,
      hint: "Run `workflow-policy generate --write` and commit the result",
      exitCode: 1,
    });
    expect(readFileSync(join(root, stalePath))).toEqual(edited); // check mode writes nothing

    const write = await run(["generate", "--write"], root);
    expect(write).toEqual({ code: 0, stdout: `wrote ${stalePath}\n`, stderr: "" });
    expect(readFileSync(join(root, stalePath))).toEqual(committed);
    expect(await run(["generate"], root)).toEqual({ code: 0, stdout: "generated files are up to date\n", stderr: "" });
  });

  it("catalogs every error code its sources can throw", () => {
    const sources = readdirSync(join(import.meta.dirname, "../src"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(join(import.meta.dirname, "../src", f), "utf8"))
      .join("\n");
    const thrown = [...sources.matchAll(/"(WC_[A-Z_]+)"/g)].map((m) => m[1]!);
    expect(thrown.length).toBeGreaterThan(0);
    for (const code of thrown) expect(Object.keys(ERROR_CODES)).toContain(code);
  });

  it("runs as the built bin (dist/bin/cli.cjs)", () => {
    const out = execFileSync(process.execPath, [join(import.meta.dirname, "../dist/bin/cli.cjs"), ".github/workflows", "--json"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(JSON.parse(out)).toEqual({ files: expect.arrayContaining([".github/workflows/build.yml"]), findings: [] });
  });
});
