import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pythonTools, tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { checkDistributions } from "../src/index.js";
import { DEFECTS, writeSdist, writeWheel } from "./support/generate.js";

const python = () => pythonTools().python;

describe("one generated defect per rule", () => {
  it("passes the generated good wheel and sdist with no findings", async () => {
    const dir = tempDir("dc-good-");
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl");
    writeSdist(dir, "demo_pkg-1.0.0.tar.gz");
    const result = await checkDistributions({ paths: [dir], cwd: dir, env: process.env, python: python(), strict: true });
    expect(result.findings).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result).toMatchObject({ name: "demo-pkg", version: "1.0.0" });
  });

  it.each(DEFECTS.map((d) => [d.id, d] as const))("%s", async (_id, defect) => {
    const dir = join(tempDir("dc-defect-"), "dist");
    mkdirSync(dir);
    const file = defect.make(dir);
    const result = await checkDistributions({ paths: [file], cwd: dir, env: process.env, python: python(), strict: true });
    const codes = result.findings.map((f) => f.code);
    expect(codes, JSON.stringify(result.findings, null, 1)).toContain(defect.code);
    expect(result.ok).toBe(false);
  });
});
