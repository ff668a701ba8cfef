import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkPolicy, checkWorkflow, readWorkflow, readWorkspacePackages, RULES } from "../src/index.js";
import { FIXTURES, ROOT, WORKFLOW_DIRS } from "./helpers.js";

const POLICY_FIXTURES = join(FIXTURES, "policy");
const packages = readWorkspacePackages(ROOT);

function rulesBrokenBy(fixture: string): string[] {
  const findings = checkWorkflow(readWorkflow(join(POLICY_FIXTURES, fixture), POLICY_FIXTURES), packages);
  return [...new Set(findings.map((f) => f.rule))];
}

describe("the hardening policy", () => {
  it("holds for every workflow this project ships, examples included", () => {
    const report = checkPolicy({ paths: WORKFLOW_DIRS, cwd: ROOT, root: ROOT });
    expect(report.files).toEqual([
      ".github/workflows/build.yml",
      ".github/workflows/ci.yml",
      ".github/workflows/pypi.yml",
      ".github/workflows/release.yml",
      ".github/workflows/testpypi.yml",
      "examples/workflows/token.yml",
      "examples/workflows/trusted-publishing.yml",
    ]);
    expect(report.findings).toEqual([]);
  });

  it("holds for the good fixture the bad ones are made from", () => {
    expect(rulesBrokenBy("good.yml")).toEqual([]);
  });

  const fixtures = readdirSync(POLICY_FIXTURES).filter((f) => f !== "good.yml");

  it("has at least one bad fixture for every rule", () => {
    const covered = new Set(fixtures.map((f) => f.replace(/(--.*)?\.yml$/, "")));
    expect([...covered].sort()).toEqual(Object.keys(RULES).sort());
  });

  it.each(fixtures)("refuses %s with exactly its rule", (fixture) => {
    expect(rulesBrokenBy(fixture)).toEqual([fixture.replace(/(--.*)?\.yml$/, "")]);
  });

  it("names the file, the job and the line where it can", () => {
    const pinned = checkWorkflow(readWorkflow(join(POLICY_FIXTURES, "pinned-uses.yml"), POLICY_FIXTURES), packages);
    expect(pinned).toEqual([
      { rule: "pinned-uses", file: "pinned-uses.yml", line: 14, message: "`actions/checkout@v5` is not pinned to a full 40-hex commit SHA" },
    ]);
    const version = checkWorkflow(readWorkflow(join(POLICY_FIXTURES, "helper-version.yml"), POLICY_FIXTURES), packages);
    expect(version).toEqual([
      {
        rule: "helper-version",
        file: "helper-version.yml",
        job: "build",
        message: `@pypi-workflows/version-util@0.0.9 differs from packages' version ${packages.get("@pypi-workflows/version-util")!.version}`,
      },
    ]);
  });
});
