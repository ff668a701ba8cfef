import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  EVENTS,
  evaluateTemplate,
  githubContext,
  listWorkflowFiles,
  readWorkflow,
  readWorkspacePackages,
  stepsOfWorkflow,
  syncGeneratedFiles,
} from "../src/index.js";
import { ROOT } from "./helpers.js";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

describe("the reusable workflows", () => {
  it("pypi.yml is testpypi.yml with the index swapped (below the header comment)", () => {
    const body = (text: string) => text.slice(text.indexOf("\nname:"));
    const fromTestPyPI = body(read(".github/workflows/testpypi.yml")).replaceAll("testpypi", "pypi").replaceAll("TestPyPI", "PyPI");
    expect(body(read(".github/workflows/pypi.yml"))).toBe(fromTestPyPI);
  });

  it("call every published helper at the version of its package", () => {
    const called = new Set<string>();
    for (const file of ["build", "testpypi", "pypi", "release"]) {
      const workflow = readWorkflow(join(ROOT, `.github/workflows/${file}.yml`), ROOT);
      for (const run of stepsOfWorkflow(workflow).map((s) => s.run).filter((r): r is string => typeof r === "string")) {
        for (const [, name, version] of run.matchAll(/npx --yes (@pypi-workflows\/[a-z-]+)@(\S+)/g)) {
          expect(version).toBe(readWorkspacePackages(ROOT).get(name!)!.version);
          called.add(name!);
        }
      }
    }
    expect([...called].sort()).toEqual([
      "@pypi-workflows/dist-check",
      "@pypi-workflows/install-verifier",
      "@pypi-workflows/notes-gen",
      "@pypi-workflows/uploader",
      "@pypi-workflows/version-util",
    ]);
  });

  it("contain no index URL: the helpers resolve targets (one module owns the URLs)", () => {
    for (const file of ["build", "testpypi", "pypi", "release", "ci"]) {
      expect(read(`.github/workflows/${file}.yml`)).not.toMatch(/https?:\/\/[^\s]*pypi\.org/);
    }
  });

  it("build without isolation only when build-isolation is false", () => {
    const build = readWorkflow(join(ROOT, ".github/workflows/build.yml"), ROOT).doc.jobs.build!;
    const step = build.steps!.find((s) => String(s.name).startsWith("Build the sdist"))!;
    const env = (step.env as Record<string, string>).NO_ISOLATION;
    expect(evaluateTemplate(env, { inputs: { "build-isolation": false } })).toBe("true");
    expect(evaluateTemplate(env, { inputs: { "build-isolation": true } })).toBe("");
    expect(step.run).toContain("${NO_ISOLATION:+--no-isolation}");
  });

  it("decide the target from the event alone (the scenario tests evaluate the same expression)", () => {
    const build = readWorkflow(join(ROOT, ".github/workflows/build.yml"), ROOT).doc.jobs.build!;
    const target = (build.env as Record<string, string>).TARGET!;
    const decide = (scenario: string, inputs: Record<string, string> = {}) =>
      evaluateTemplate(target, { github: githubContext(EVENTS.find((e) => e.id === scenario)!), inputs: { target: "auto", tag: "", ...inputs } });
    expect(EVENTS.map((e) => `${e.id}=${decide(e.id, e.inputs?.tag ? { tag: e.inputs.tag } : {})}`)).toEqual([
      "push-main=testpypi",
      "push-branch=none",
      "tag-v1.2.3=pypi",
      "tag-v1.2.3rc1=pypi",
      "tag-v1.2=pypi",
      "tag-vfoo=pypi",
      "pull-request=none",
      "pull-request-fork=none",
      "dispatch-publish=pypi",
      "dispatch-verify=pypi",
    ]);
    expect(decide("push-main", { target: "none" })).toBe("none");
  });

  it("grant contents: write in release.yml only", () => {
    const writers = ["build", "testpypi", "pypi", "release", "ci"].filter((f) => /contents: write/.test(read(`.github/workflows/${f}.yml`)));
    expect(writers).toEqual(["release"]);
  });
});

describe("action pins", () => {
  it("are the ones in .github/actions-pins.md, same SHA and version everywhere", () => {
    const table = new Map(
      [...read(".github/actions-pins.md").matchAll(/^\| ([\w-]+\/[\w-]+) \| (v[\d.]+) \| `([0-9a-f]{40})` \|/gm)].map((m) => [m[1]!, `${m[3]} # ${m[2]}`]),
    );
    expect(table.size).toBe(6);
    const used = new Set<string>();
    for (const file of listWorkflowFiles([".github/workflows", "examples/workflows"], ROOT)) {
      for (const [, action, pin] of readFileSync(file, "utf8").matchAll(/uses: ([\w-]+\/[\w-]+)@([0-9a-f]{40} # v\S+)/g)) {
        if (action === "pypi-workflows/pypi-workflows") continue;
        expect(pin, `${file}: ${action}`).toBe(table.get(action!));
        used.add(action!);
      }
    }
    expect([...used].sort()).toEqual([...table.keys()].sort());
  });
});

describe("third-party actions", () => {
  it("are only the five the local job runner substitutes, and the pypa action only in the callers' upload jobs", () => {
    const allowed = ["actions/checkout", "actions/setup-python", "actions/setup-node", "actions/upload-artifact", "actions/download-artifact"];
    const seen = new Set<string>();
    for (const file of listWorkflowFiles([".github/workflows", "examples/workflows"], ROOT)) {
      const inExamples = file.includes("/examples/workflows/");
      for (const [, action] of readFileSync(file, "utf8").matchAll(/uses: ([\w-]+\/[\w-]+)(?:\/[^@\s]*)?@/g)) {
        if (action === "pypi-workflows/pypi-workflows") continue;
        const ok = allowed.includes(action!) || (inExamples && action === "pypa/gh-action-pypi-publish");
        expect(ok, `${file}: ${action}`).toBe(true);
        seen.add(action!);
      }
    }
    expect(seen.size).toBe(6);
  });
});

describe("generated files", () => {
  it("are up to date (scenarios.md and .github/workflows/README.md)", async () => {
    const result = await syncGeneratedFiles(ROOT, false);
    expect(result).toEqual({ stale: [], written: [] });
  });
});
