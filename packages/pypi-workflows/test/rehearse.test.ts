import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo } from "@pypi-workflows/testkit";
import { runWorkflow } from "@pypi-workflows/job-runner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RehearsalReport, type RehearseOptions, type ThrowawayIndex, rehearse, renderReport } from "../src/index.js";
import { ASSETS, GUARD_ENV, buildProject, commitChange, filesContaining, makeProject, removeScratch, sharedTools, startHelpers, startIndex } from "./support.js";

// The upload password of the shared index: a canary that must appear in no output, log, summary or file.
const CANARY = "canary-rehearsal-upload-token-3b8e1f";

let index: ThrowawayIndex;
let helpers: Awaited<ReturnType<typeof startHelpers>>;
const reports: RehearsalReport[] = [];
const outputs: string[] = [];

async function run(options: Pick<RehearseOptions, "projectDir" | "event" | "tag" | "depsIndexUrl" | "maxFileSize">): Promise<RehearsalReport> {
  const progress: string[] = [];
  const report = await rehearse({
    ...options,
    index: { simpleUrl: index.simpleUrl, uploadUrl: index.uploadUrl, username: index.username, password: CANARY },
    env: process.env,
    tools: await sharedTools(),
    helpersEnv: helpers.env,
    extraEnv: GUARD_ENV,
    verifyTimeoutSeconds: 60,
    onProgress: (e) => progress.push(JSON.stringify(e)),
    assets: ASSETS,
    keepRunDir: true,
  });
  reports.push(report);
  outputs.push(JSON.stringify(report), renderReport(report), ...progress);
  return report;
}

function devNumber(version: string | undefined): number {
  const match = /\.dev(\d+)$/.exec(version ?? "");
  if (!match) throw new Error(`not a dev version: ${version}`);
  return Number(match[1]);
}

let pushes: Promise<RehearsalReport[]>;
let hatch: string;
let hatchForTag: string;
let scm: string;

beforeAll(async () => {
  [index, helpers] = await Promise.all([startIndex(CANARY), startHelpers()]);
  // Made here, not inside the concurrent tests: testkit's temp dirs belong to "the current test".
  hatch = exampleRepo("hatch-static");
  hatchForTag = exampleRepo("hatch-static");
  scm = exampleRepo("scm-dynamic");
  // Pushes depend on each other (each dev number comes from the index); they run in order, beside the tag cases.
  pushes = (async () => {
    const first = await run({ projectDir: hatch, event: "push" });
    const second = await run({ projectDir: hatch, event: "push" });
    commitChange(hatch, "NEWS.md", "a change\n");
    const third = await run({ projectDir: hatch, event: "push" });
    return [first, second, third];
  })();
  pushes.catch(() => {});
});
afterAll(async () => {
  await Promise.all([index?.stop(), helpers?.stop()]);
  removeScratch();
  for (const report of reports) rmSync(report.runDir, { recursive: true, force: true });
});

describe.concurrent("rehearse through the real workflows, against a real index", () => {
  it("push twice on one commit, then on a new commit: distinct dev versions, each published, installable, later sorts higher", async () => {
    const runs = await pushes;
    for (const report of runs) {
      expect(report.failure).toBeUndefined();
      expect(report.verification).toEqual({ published: "true", installable: "true" });
      expect(report.published.map((f) => f.matches)).toEqual([true, true]);
    }
    const numbers = runs.map((r) => devNumber(r.version));
    expect(new Set(numbers).size).toBe(3);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(readdirSync(index.packagesDir).filter((f) => f.startsWith("hatch_static_demo-") && f.includes(".dev")).length).toBe(6);
  });

  it("a re-run of the same upload converges: identical files are a no-op", async () => {
    const [first] = await pushes;
    const again = await runWorkflow({
      workflow: join(ASSETS.workflowsDir, "testpypi.yml"), workflowsDir: ASSETS.workflowsDir, runDir: first!.runDir,
      python: (await sharedTools()).python, extraEnv: { ...helpers.env, ...GUARD_ENV },
      inputs: { name: first!.name!, version: first!.version!, "index-url": index.simpleUrl, "upload-url": index.uploadUrl,
        "deps-index-url": index.simpleUrl, "verify-timeout": 60 },
      secrets: { username: index.username, password: CANARY },
    });
    expect(again.status).toBe("success");
    const upload = again.jobs.upload!.steps.at(-1)!;
    expect(upload.outputs).toEqual({ uploaded: "0", skipped: "2" });
    expect(again.jobs.verify!.outputs).toEqual({ published: "true", installable: "true" });
    outputs.push(JSON.stringify(again));
  });

  it("a push of the setuptools-scm example: the dev version reaches the build through the scm step, installable", async () => {
    const report = await run({ projectDir: scm, event: "push" });
    expect(report.failure).toBeUndefined();
    const step = report.steps.find((s) => s.step.startsWith("Hand the dev version to the build backend"));
    expect(step?.status).toBe("success");
    expect(report.version).toMatch(/^0\.0\.1\.dev\d+$/);
    // The built files carry the version the workflow chose, not setuptools-scm's own guess.
    expect(report.published.map((f) => f.filename).sort()).toEqual([
      `scm_dynamic_demo-${report.version}-py3-none-any.whl`, `scm_dynamic_demo-${report.version}.tar.gz`,
    ]);
    expect(report.verification).toEqual({ published: "true", installable: "true" });
  });

  it("tag v0.1.0 (the project's version): published, verified, the release notes as a dry run", async () => {
    const report = await run({ projectDir: hatchForTag, event: "tag", tag: "v0.1.0" });
    expect(report.failure).toBeUndefined();
    expect(report.version).toBe("0.1.0");
    expect(report.published.map((f) => f.filename).sort()).toEqual(["hatch_static_demo-0.1.0-py3-none-any.whl", "hatch_static_demo-0.1.0.tar.gz"]);
    expect(report.verification).toEqual({ published: "true", installable: "true" });
    expect(report.notes).toMatch(/would create/i);
    expect(report.notes).toContain("hatch_static_demo-0.1.0.tar.gz");
    expect(report.warnings.join("\n")).toMatch(/tag v0\.1\.0 was created at HEAD in the temporary clone/);
    expect(report.steps.some((s) => s.workflow === "release.yml")).toBe(true);
  });

  it("a project with a dependency: the checks and the verification take it from --deps-index-url, not the rehearsal's index", async () => {
    // The dependency lives only on a second index (as it would on PyPI); the rehearsal's index holds the project.
    const deps = await startIndex("canary-deps-index-password-0d3f");
    try {
      const dependency = makeProject({ name: "pw-needed-dep", version: "2.0.0" });
      await buildProject(dependency, deps.packagesDir);
      const project = makeProject({ name: "pw-with-dep", version: "1.0.0", dependencies: ["pw-needed-dep>=2"] });
      const report = await run({ projectDir: project, event: "push", depsIndexUrl: deps.simpleUrl });
      expect(report.failure).toBeUndefined();
      expect(report.verification).toEqual({ published: "true", installable: "true" });
      const log = readFileSync(join(report.runDir, "logs", "verify.log"), "utf8");
      expect(log).toContain(`install dependencies from ${deps.simpleUrl}`);
      expect(readdirSync(index.packagesDir).filter((f) => f.startsWith("pw_needed_dep"))).toEqual([]);
    } finally {
      await deps.stop();
    }
  });

  it("a tag that disagrees with the project's version: nothing uploaded, the error says why and what to do", async () => {
    const project = makeProject({ name: "pw-tag-mismatch", version: "1.0.0" });
    const report = await run({ projectDir: project, event: "tag", tag: "v1.0.1" });
    expect(report.status).toBe("failure");
    expect(report.failure).toMatchObject({ workflow: "build.yml", job: "build", step: "Check that the tag matches the project's version" });
    const text = renderReport(report);
    expect(text).toMatch(/VU_TAG_MISMATCH/);
    expect(text).toMatch(/1\.0\.1[\s\S]*1\.0\.0|1\.0\.0[\s\S]*1\.0\.1/);
    expect(text).toMatch(/next step/);
    expect(report.published).toEqual([]);
    expect(readdirSync(index.packagesDir).filter((f) => f.startsWith("pw_tag_mismatch"))).toEqual([]);
  });

  it("an invalid tag: nothing uploaded, the error says why", async () => {
    const project = makeProject({ name: "pw-bad-tag", version: "1.0.0" });
    const report = await run({ projectDir: project, event: "tag", tag: "vfoo" });
    expect(report.status).toBe("failure");
    expect(report.failure?.step).toBe("Check that the tag matches the project's version");
    expect(renderReport(report)).toMatch(/vfoo[\s\S]*next step/);
    expect(readdirSync(index.packagesDir).filter((f) => f.startsWith("pw_bad_tag"))).toEqual([]);
  });

  it("a flit project (the version as __version__ in the package): a push builds, publishes and verifies its dev version", async () => {
    const project = makeProject({ name: "pw-flit", version: "0.4.0", backend: "flit" });
    const report = await run({ projectDir: project, event: "push" });
    expect(report.failure).toBeUndefined();
    expect(report.version).toBe("0.4.0.dev1"); // no release tag yet: a dev release of the version in the package
    expect(report.published.map((f) => f.filename.replace(report.version ?? "", "V")).sort()).toEqual(["pw_flit-V-py3-none-any.whl", "pw_flit-V.tar.gz"]);
    expect(report.verification).toEqual({ published: "true", installable: "true" });
  });

  it("a pdm-backend project versioned by git tags: the push's dev version reaches the build through PDM_BUILD_SCM_VERSION", async () => {
    const project = makeProject({ name: "pw-pdm", version: "0.5.0", backend: "pdm-scm" });
    commitChange(project, "NEWS.md", "a change\n");
    const report = await run({ projectDir: project, event: "push" });
    expect(report.failure).toBeUndefined();
    expect(report.version).toBe("0.5.1.dev1"); // one commit after v0.5.0: no +g<hash> local part, which the index would refuse
    expect(report.published.map((f) => f.filename).sort()).toEqual(["pw_pdm-0.5.1.dev1-py3-none-any.whl", "pw_pdm-0.5.1.dev1.tar.gz"]);
    expect(report.verification).toEqual({ published: "true", installable: "true" });
  });

  it("a setuptools project configured in setup.cfg: the push's dev version is written there, built, published and verified", async () => {
    const project = makeProject({ name: "pw-setup-cfg", version: "0.6.0", backend: "setup-cfg" });
    const report = await run({ projectDir: project, event: "push" });
    expect(report.failure).toBeUndefined();
    expect(report.version).toBe("0.6.0.dev1");
    expect(report.published.map((f) => f.filename).sort()).toEqual(["pw_setup_cfg-0.6.0.dev1-py3-none-any.whl", "pw_setup_cfg-0.6.0.dev1.tar.gz"]);
    expect(report.verification).toEqual({ published: "true", installable: "true" });
  });

  it("--max-file-size reaches build.yml's dist-check: a limit of 1 KiB refuses the built files, nothing uploaded", async () => {
    const project = makeProject({ name: "pw-size-limit", version: "1.0.0" });
    const report = await run({ projectDir: project, event: "push", maxFileSize: "0.001" });
    expect(report.status).toBe("failure");
    expect(report.failure?.workflow).toBe("build.yml");
    expect(renderReport(report)).toMatch(/DC_FILE_TOO_LARGE[\s\S]*over the per-file upload limit of 1\.0 KiB/);
    expect(readdirSync(index.packagesDir).filter((f) => f.startsWith("pw_size_limit"))).toEqual([]);
  });

  it("a broken distribution (an unknown classifier): nothing uploaded, the error says why", async () => {
    const project = makeProject({ name: "pw-broken", version: "1.0.0", classifiers: ["Programming Language :: Cobol :: 85"] });
    const report = await run({ projectDir: project, event: "push" });
    expect(report.status).toBe("failure");
    expect(report.failure?.workflow).toBe("build.yml");
    expect(renderReport(report)).toMatch(/classifier/i);
    expect(report.steps.some((s) => s.workflow === "testpypi.yml")).toBe(false);
    expect(readdirSync(index.packagesDir).filter((f) => f.startsWith("pw_broken"))).toEqual([]);
  });
});

describe("secrets", () => {
  it("the canary upload password appears in no report, progress line, log, summary, result.json or artifact", async () => {
    await pushes;
    expect(reports.length).toBeGreaterThanOrEqual(7);
    for (const text of outputs) expect(text).not.toContain(CANARY);
    const runDirs = reports.map((r) => r.runDir).filter((d) => existsSync(d));
    expect(runDirs.length).toBe(reports.length);
    expect(filesContaining(runDirs, CANARY)).toEqual([]);
  });
});
