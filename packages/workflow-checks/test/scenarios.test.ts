import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ASSUMED_STEP_OUTPUTS,
  EVENTS,
  jobsThatRun,
  readWorkflow,
  type ScenarioRow,
  simulateScenarios,
  simulateWorkflow,
} from "../src/index.js";
import { ROOT } from "./helpers.js";

const CI = ["lint", "test"];
const BUILD = [...CI, "build", "build/build"];
const CI_FAILED = ["lint", "test"];
const NOT_TRIGGERED: string[] = [];

/** Exactly the jobs that run, per caller and event: with every CI job passing, and with `test` failing. */
const EXPECTED: Record<string, Record<string, { pass: string[]; fail: string[] }>> = {
  "examples/workflows/trusted-publishing.yml": {
    "push-main": { pass: [...BUILD, "publish-testpypi", "verify-testpypi", "verify-testpypi/verify"], fail: CI_FAILED },
    "push-branch": { pass: BUILD, fail: CI_FAILED },
    "tag-v1.2.3": {
      pass: [...BUILD, "publish-pypi", "verify-pypi", "verify-pypi/verify", "release", "release/github-release"],
      fail: CI_FAILED,
    },
    "tag-v1.2.3rc1": {
      pass: [...BUILD, "publish-pypi", "verify-pypi", "verify-pypi/verify", "release", "release/github-release"],
      fail: CI_FAILED,
    },
    "tag-v1.2": { pass: NOT_TRIGGERED, fail: NOT_TRIGGERED },
    "tag-vfoo": { pass: NOT_TRIGGERED, fail: NOT_TRIGGERED },
    "pull-request": { pass: BUILD, fail: CI_FAILED },
    "pull-request-fork": { pass: BUILD, fail: CI_FAILED },
    "dispatch-publish": {
      pass: [...BUILD, "publish-pypi", "verify-pypi", "verify-pypi/verify", "release", "release/github-release"],
      fail: CI_FAILED,
    },
    "dispatch-verify": { pass: [...BUILD, "verify-pypi", "verify-pypi/verify"], fail: CI_FAILED },
  },
  "examples/workflows/token.yml": {
    "push-main": { pass: [...BUILD, "testpypi", "testpypi/upload", "testpypi/verify"], fail: CI_FAILED },
    "push-branch": { pass: BUILD, fail: CI_FAILED },
    "tag-v1.2.3": { pass: [...BUILD, "pypi", "pypi/upload", "pypi/verify", "release", "release/github-release"], fail: CI_FAILED },
    "tag-v1.2.3rc1": { pass: [...BUILD, "pypi", "pypi/upload", "pypi/verify", "release", "release/github-release"], fail: CI_FAILED },
    "tag-v1.2": { pass: NOT_TRIGGERED, fail: NOT_TRIGGERED },
    "tag-vfoo": { pass: NOT_TRIGGERED, fail: NOT_TRIGGERED },
    "pull-request": { pass: BUILD, fail: CI_FAILED },
    "pull-request-fork": { pass: BUILD, fail: CI_FAILED },
    "dispatch-publish": {
      pass: [...BUILD, "pypi", "pypi/upload", "pypi/verify", "release", "release/github-release"],
      fail: CI_FAILED,
    },
    "dispatch-verify": { pass: [...BUILD, "pypi", "pypi/verify"], fail: CI_FAILED },
  },
};

let rows: ScenarioRow[] = [];
const rowsFor = (file: string) => rows.filter((r) => r.simulation.file === file);
const publishers = (row: ScenarioRow) => row.simulation.jobs.filter((j) => j.publishes && j.result !== "skipped").map((j) => j.path);

describe("which jobs run on which event", async () => {
  rows = await simulateScenarios(ROOT);

  it("covers every event for both callers, passing and failing", () => {
    expect(rows.length).toBe(2 * (EVENTS.length * 2 + 1));
  });

  for (const [file, events] of Object.entries(EXPECTED)) {
    it.each(Object.entries(events))(`${file}: %s runs exactly the expected jobs`, (event, expected) => {
      const [pass, fail] = rowsFor(file).filter((r) => r.event.id === event && r.failing.join() !== "publish-pypi" && r.failing.join() !== "pypi/upload");
      expect(jobsThatRun(pass!.simulation)).toEqual(expected.pass);
      expect(jobsThatRun(fail!.simulation)).toEqual(expected.fail);
    });
  }

  it("never runs a publishing job on a pull request, forked or not", () => {
    const pulls = rows.filter((r) => r.event.event === "pull_request");
    expect(pulls.length).toBe(8);
    for (const row of pulls) expect(publishers(row)).toEqual([]);
  });

  it("never runs a publishing job after a failed CI job", () => {
    const failed = rows.filter((r) => r.failing.includes("test"));
    expect(failed.length).toBe(2 * EVENTS.length);
    for (const row of failed) expect(publishers(row)).toEqual([]);
  });

  it("publishes to TestPyPI only on pushes to the default branch, to PyPI only for tags v*.*.* or a dispatch", () => {
    for (const row of rows) {
      const paths = publishers(row).join(" ");
      if (/testpypi/.test(paths)) expect(row.event.id).toBe("push-main");
      if (/(^| )(publish-pypi|pypi)\b/.test(paths)) expect(row.event.id).toMatch(/^(tag-v1\.2\.3|tag-v1\.2\.3rc1|dispatch-)/);
    }
  });

  it("never runs a publishing job when any one CI job fails, on any event", async () => {
    for (const file of Object.keys(EXPECTED)) {
      for (const event of EVENTS) {
        for (const failing of CI) {
          const sim = await simulateWorkflow(file, event, { root: ROOT, failing: [failing], stepOutputs: ASSUMED_STEP_OUTPUTS });
          const ran = sim.jobs.filter((j) => j.result !== "skipped").map((j) => j.path);
          expect(ran.filter((p) => !CI.includes(p)), `${file} ${event.id} ${failing}`).toEqual([]);
        }
      }
    }
  });

  it("creates no GitHub release when the PyPI upload fails", () => {
    const failedUploads = rows.filter((r) => r.failing.join() === "publish-pypi" || r.failing.join() === "pypi/upload");
    expect(failedUploads.map((r) => jobsThatRun(r.simulation))).toEqual([
      [...BUILD, "publish-pypi"],
      [...BUILD, "pypi", "pypi/upload"],
    ]);
  });

  it("does not upload to TestPyPI when build resolved no upload URL (the action would default to PyPI)", async () => {
    const push = EVENTS.find((e) => e.id === "push-main")!;
    const check = { name: "hatch-static-demo", version: "1.2.3.dev4" };
    const sim = await simulateWorkflow("examples/workflows/trusted-publishing.yml", push, {
      root: ROOT,
      stepOutputs: { "build/build": { check } },
    });
    expect(jobsThatRun(sim)).toEqual(BUILD);
  });

  it("assumes only outputs that build.yml's dist-check step (id: check) provides to its job outputs", () => {
    const build = readWorkflow(join(ROOT, ".github/workflows/build.yml"), ROOT).doc.jobs.build!;
    const check = build.steps!.find((s) => s.id === "check")!;
    const helpers = check.run!.split("\n").filter((line) => line.includes("npx --yes "));
    expect(helpers.filter((line) => line.includes("@pypi-workflows/dist-check@"))).toHaveLength(1);
    // The other helper run in that step (beside dist-check) writes its outputs to a file of its own.
    for (const line of helpers.filter((l) => !l.includes("@pypi-workflows/dist-check@"))) expect(line.trim()).toMatch(/^GITHUB_OUTPUT="\$SCRATCH\/outputs" npx /);
    const outputs = build.outputs as Record<string, string>;
    for (const name of Object.keys(ASSUMED_STEP_OUTPUTS["build/build"].check)) {
      expect(outputs[name]).toContain(`steps.check.outputs.${name}`);
    }
  });

  it("skips the callers' jobs after a failed build, and the jobs inside the reusable workflow", async () => {
    const push = EVENTS.find((e) => e.id === "push-main")!;
    const sim = await simulateWorkflow("examples/workflows/token.yml", push, { root: ROOT, failing: ["build/build"] });
    expect(jobsThatRun(sim)).toEqual([...CI, "build", "build/build"]);
    expect(sim.jobs.find((j) => j.path === "build")!.result).toBe("failure");
  });
});
