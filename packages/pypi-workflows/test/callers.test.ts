// The caller workflows maintainers copy (examples/workflows), executed as written through the job runner: their
// `uses: <org>/pypi-workflows/.github/workflows/X.yml@<sha>` calls run this repository's reusable workflows, the
// pypa action runs as its local stand-in, and GitHub's API is a fake one on 127.0.0.1. The one change: every
// called workflow that declares index-url / upload-url / deps-index-url gets the local index (callDefaults), the
// way a maintainer points them at a private index (which also serves the build backend, hatchling, copied from
// this repository's wheelhouse, for the isolated builds); nothing else in the callers is rewritten. Their CI jobs
// (lint, test: ruff and pytest from PyPI) are given as results, so that "a CI job failed" is a case too.
import { copyFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type RunResult, runWorkflow } from "@pypi-workflows/job-runner";
import { FakeGitHub, exampleRepo, tag } from "@pypi-workflows/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ThrowawayIndex } from "../src/index.js";
import { ASSETS, GUARD_ENV, failures, filesContaining, removeScratch, scratchDir, sharedTools, startHelpers, startIndex } from "./support.js";

// Canaries: upload passwords and the GitHub token must appear in no result, log, summary or file of any run.
const TOKEN_PASSWORD = "canary-caller-api-token-6f2a90";
const TRUSTED_PASSWORD = "canary-caller-oidc-stand-in-c41d7e";
const GITHUB_TOKEN = "ghs_canary_caller_github_token_83b0";
const WHEEL = "hatch_static_demo-0.1.0-py3-none-any.whl";
const SDIST = "hatch_static_demo-0.1.0.tar.gz";

/** hatchling and what it needs (tomli only before Python 3.11). */
const BACKEND = /^(hatchling|packaging|pathspec|pluggy|tomlkit|trove_classifiers|tomli)-[^-]+-.+\.whl$/;

type Caller = "token" | "trusted-publishing";
type EventName = "pull-request" | "push-branch" | "push-main" | "tag" | "dispatch";

interface CallerRun {
  result: RunResult;
  /** The index's files after the run. */
  files: string[];
  /** The fake GitHub API's requests during the run (method and path). */
  github: string[];
}

interface CallerSetup {
  index: ThrowawayIndex;
  /** The build backend's wheels put on the index before the runs (not counted in CallerRun.files). */
  seeded: string[];
  github: FakeGitHub;
  source: string;
}

let helpers: Awaited<ReturnType<typeof startHelpers>>;
const setups = new Map<Caller, CallerSetup>();
/** Every run's directory (scratch, removed after the file), for the secrets scan. */
const runDirs: string[] = [];

/** Runs one caller example on one event; CI jobs given as `ci` (success unless a failure is asked for). */
async function runCaller(caller: Caller, event: EventName, options: { ci?: "success" | "failure"; inputs?: Record<string, string> } = {}): Promise<CallerRun> {
  const { index, github, source, seeded } = setups.get(caller)!;
  const tools = await sharedTools();
  const runDir = scratchDir(`pw-caller-${caller}-`);
  runDirs.push(runDir);
  const ci = { result: options.ci ?? "success" } as const;
  const before = github.requests.length;
  const result = await runWorkflow({
    workflow: join(ASSETS.workspaceRoot!, "examples", "workflows", `${caller}.yml`),
    workflowsDir: ASSETS.workflowsDir,
    runDir,
    source,
    python: tools.python,
    twine: tools.bin("twine"),
    given: { lint: ci, test: ci },
    inputs: options.inputs ?? {},
    callDefaults: { "index-url": index.simpleUrl, "upload-url": index.uploadUrl, "deps-index-url": index.simpleUrl, "verify-timeout": 60 },
    // The token example's repository secrets; the trusted-publishing example has none (OIDC), so the pypa
    // action's stand-in gets the index password from the runner, as a trusted publisher's short-lived token.
    secrets: caller === "token" ? { TEST_PYPI_API_TOKEN: TOKEN_PASSWORD, PYPI_API_TOKEN: TOKEN_PASSWORD } : {},
    ...(caller === "trusted-publishing" ? { publish: { password: TRUSTED_PASSWORD, username: index.username } } : {}),
    event: {
      name: { "pull-request": "pull_request", "push-branch": "push", "push-main": "push", tag: "push", dispatch: "workflow_dispatch" }[event],
      ref: { "pull-request": "refs/pull/7/merge", "push-branch": "refs/heads/feature/faster-import", "push-main": "refs/heads/main", tag: "refs/tags/v0.1.0", dispatch: "refs/heads/main" }[event],
      defaultBranch: "main",
      repository: "acme/demo",
      apiUrl: github.url,
      token: GITHUB_TOKEN,
      ...(options.inputs ? { payload: { inputs: options.inputs } } : {}),
    },
    // Offline: the isolated builds (build.yml's `python -m build`, install-verifier's wheel from the sdist) take
    // the build backend from the local index, through deps-index-url alone.
    extraEnv: { ...helpers.env, ...GUARD_ENV },
  });
  const files = readdirSync(index.packagesDir).filter((f) => !seeded.includes(f)).sort();
  return { result, files, github: github.calls().slice(before) };
}

/** Each top-level job's status, and the called workflows' jobs as caller/job. */
function statuses(result: RunResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, job] of Object.entries(result.jobs)) {
    out[id] = job.status;
    for (const [inner, called] of Object.entries(job.jobs ?? {})) out[`${id}/${inner}`] = called.status;
  }
  return out;
}

/**
 * The runs of each caller, in order: a CI failure, a pull request and a push to another branch first (nothing may
 * move), then a push to the default branch, the tag, a dispatch.
 */
interface Chain {
  failedCi: CallerRun;
  pullRequest: CallerRun;
  /** A push to a branch other than the default one (the examples run on every branch push: build and check only). */
  pushBranch: CallerRun;
  push: CallerRun;
  tag: CallerRun;
  dispatch: CallerRun;
}
const chains = new Map<Caller, Promise<Chain>>();

beforeAll(async () => {
  const tools = await sharedTools();
  expect(tools.wheelhouse, "these runs build offline from this repository's wheelhouse").toBeTruthy();
  helpers = await startHelpers();
  for (const caller of ["token", "trusted-publishing"] as const) {
    const source = exampleRepo("hatch-static");
    tag(source, "v0.1.0");
    // The token example uploads as __token__ (the workflows' default user) with the repository secret.
    const index = caller === "token" ? await startIndex(TOKEN_PASSWORD, "__token__") : await startIndex(TRUSTED_PASSWORD);
    const seeded = readdirSync(tools.wheelhouse!).filter((f) => BACKEND.test(f));
    expect(seeded.filter((f) => f.startsWith("hatchling-"))).toHaveLength(1);
    for (const wheel of seeded) copyFileSync(join(tools.wheelhouse!, wheel), join(index.packagesDir, wheel));
    const github = await new FakeGitHub("acme/demo").start();
    setups.set(caller, { index, github, source, seeded });
  }
  for (const caller of ["token", "trusted-publishing"] as const) {
    const chain = (async () => {
      const failedCi = await runCaller(caller, "tag", { ci: "failure" });
      const pullRequest = await runCaller(caller, "pull-request");
      const pushBranch = await runCaller(caller, "push-branch");
      const push = await runCaller(caller, "push-main");
      const tagRun = await runCaller(caller, "tag");
      const dispatch = await runCaller(caller, "dispatch", { inputs: { tag: "v0.1.0", action: caller === "token" ? "publish" : "verify" } });
      return { failedCi, pullRequest, pushBranch, push, tag: tagRun, dispatch };
    })();
    chain.catch(() => {});
    chains.set(caller, chain);
  }
});
afterAll(async () => {
  await Promise.all([...setups.values()].flatMap((s) => [s.index.stop(), s.github.stop()]));
  await helpers?.stop();
  removeScratch();
});

/** The runs that must publish nothing, by their description and their place in the chain. */
const UNPUBLISHED = [
  ["a pull request", "pullRequest"],
  ["a push to another branch", "pushBranch"],
] as const;

function expectClean(run: CallerRun): void {
  expect(failures(run.result.jobs)).toEqual([]);
  expect(run.result.status).toBe("success");
}

describe.concurrent("examples/workflows/token.yml, executed", () => {
  it("a CI job failed on a tag: nothing built, uploaded or released", async () => {
    const { failedCi } = await chains.get("token")!;
    expect(statuses(failedCi.result)).toEqual({ build: "skipped", testpypi: "skipped", pypi: "skipped", release: "skipped" });
    expect(failedCi.files).toEqual([]);
    expect(failedCi.github).toEqual([]);
  });

  it.each(UNPUBLISHED)("%s: built and checked (target none), nothing uploaded or released", async (_, which) => {
    const run = (await chains.get("token")!)[which];
    expectClean(run);
    expect(run.result.jobs.build!.outputs).toMatchObject({ name: "hatch-static-demo", version: "0.1.0", target: "none" });
    expect(statuses(run.result)).toMatchObject({ build: "success", testpypi: "skipped", pypi: "skipped", release: "skipped" });
    expect(run.files).toEqual([]);
    expect(run.github).toEqual([]);
  });

  it("a push to the default branch: a dev version uploaded with the repository secret and verified; nothing for PyPI", async () => {
    const { push } = await chains.get("token")!;
    expectClean(push);
    const built = push.result.jobs.build!.outputs;
    expect(built).toMatchObject({ name: "hatch-static-demo", target: "testpypi", "is-prerelease": "true" });
    expect(built.version).toMatch(/^0\.1\.1\.dev\d+$/);
    expect(statuses(push.result)).toMatchObject({ build: "success", testpypi: "success", pypi: "skipped", release: "skipped" });
    expect(push.result.jobs.testpypi!.outputs).toEqual({ published: "true", installable: "true" });
    expect(push.files).toEqual([`hatch_static_demo-${built.version}-py3-none-any.whl`, `hatch_static_demo-${built.version}.tar.gz`]);
    expect(push.github).toEqual([]);
  });

  it("tag v0.1.0: uploaded, verified, then the GitHub release with the files and SHA256SUMS", async () => {
    const { push, tag: run } = await chains.get("token")!;
    expectClean(run);
    expect(run.result.jobs.build!.outputs).toMatchObject({ version: "0.1.0", target: "pypi", "is-prerelease": "false" });
    expect(statuses(run.result)).toMatchObject({ testpypi: "skipped", pypi: "success", release: "success" });
    expect(run.result.jobs.pypi!.outputs).toEqual({ published: "true", installable: "true" });
    expect(run.files).toEqual([...push.files, WHEEL, SDIST].sort());
    const release = setups.get("token")!.github.releases.find((r) => r.tag_name === "v0.1.0")!;
    expect(release.assets.map((a) => a.name).sort()).toEqual(["SHA256SUMS", WHEEL, SDIST]);
    expect(run.github).toContain("POST /repos/acme/demo/releases");
  });

  it("a dispatch re-publishing the tag converges: nothing uploaded twice, the release and its assets kept", async () => {
    const { tag: tagRun, dispatch } = await chains.get("token")!;
    expectClean(dispatch);
    expect(statuses(dispatch.result)).toMatchObject({ build: "success", testpypi: "skipped", pypi: "success", release: "success" });
    expect(dispatch.files).toEqual(tagRun.files);
    const upload = dispatch.result.jobs.pypi!.jobs!.upload!.steps.map((s) => s.log.join("\n")).join("\n");
    for (const file of [WHEEL, SDIST]) expect(upload).toContain(`skip ${file}: already on the index with the same sha256`);
    expect(setups.get("token")!.github.releases.filter((r) => r.tag_name === "v0.1.0")).toHaveLength(1);
    // The release is found and updated in place; no asset is uploaded again.
    expect(dispatch.github).toEqual(["GET /repos/acme/demo/releases/tags/v0.1.0", `PATCH /repos/acme/demo/releases/${setups.get("token")!.github.releases[0]!.id}`]);
  });
});

describe.concurrent("examples/workflows/trusted-publishing.yml, executed (the pypa action's local stand-in uploads)", () => {
  it("a CI job failed on a tag: nothing built, uploaded or released", async () => {
    const { failedCi } = await chains.get("trusted-publishing")!;
    expect(Object.values(statuses(failedCi.result)).every((s) => s === "skipped")).toBe(true);
    expect(Object.keys(statuses(failedCi.result))).toEqual(["build", "publish-testpypi", "verify-testpypi", "publish-pypi", "verify-pypi", "release"]);
    expect(failedCi.files).toEqual([]);
    expect(failedCi.github).toEqual([]);
  });

  it.each(UNPUBLISHED)("%s: built and checked (target none), nothing uploaded or released", async (_, which) => {
    const run = (await chains.get("trusted-publishing")!)[which];
    expectClean(run);
    expect(run.result.jobs.build!.outputs).toMatchObject({ version: "0.1.0", target: "none" });
    expect(statuses(run.result)).toMatchObject({
      build: "success", "publish-testpypi": "skipped", "verify-testpypi": "skipped", "publish-pypi": "skipped", "verify-pypi": "skipped", release: "skipped",
    });
    expect(run.files).toEqual([]);
    expect(run.github).toEqual([]);
  });

  it("a push to the default branch: the dev version uploaded to the URL build.yml resolved, then verified", async () => {
    const { push } = await chains.get("trusted-publishing")!;
    expectClean(push);
    const built = push.result.jobs.build!.outputs;
    expect(built).toMatchObject({ target: "testpypi", "upload-url": setups.get("trusted-publishing")!.index.uploadUrl });
    expect(statuses(push.result)).toMatchObject({
      build: "success", "publish-testpypi": "success", "verify-testpypi": "success", "publish-pypi": "skipped", "verify-pypi": "skipped", release: "skipped",
    });
    expect(push.result.jobs["verify-testpypi"]!.outputs).toEqual({ published: "true", installable: "true" });
    expect(push.files).toEqual([`hatch_static_demo-${built.version}-py3-none-any.whl`, `hatch_static_demo-${built.version}.tar.gz`]);
  });

  it("tag v0.1.0: uploaded, verified, then the GitHub release; nothing for TestPyPI", async () => {
    const { push, tag: run } = await chains.get("trusted-publishing")!;
    expectClean(run);
    expect(statuses(run.result)).toMatchObject({
      "publish-testpypi": "skipped", "verify-testpypi": "skipped", "publish-pypi": "success", "verify-pypi": "success", release: "success",
    });
    expect(run.result.jobs["verify-pypi"]!.outputs).toEqual({ published: "true", installable: "true" });
    expect(run.files).toEqual([...push.files, WHEEL, SDIST].sort());
    const release = setups.get("trusted-publishing")!.github.releases.find((r) => r.tag_name === "v0.1.0")!;
    expect(release.assets.map((a) => a.name).sort()).toEqual(["SHA256SUMS", WHEEL, SDIST]);
  });

  it("a dispatch with action verify: only the verification runs; nothing uploaded, the release untouched", async () => {
    const { tag: tagRun, dispatch } = await chains.get("trusted-publishing")!;
    expectClean(dispatch);
    expect(statuses(dispatch.result)).toMatchObject({ build: "success", "publish-pypi": "skipped", "verify-pypi": "success", release: "skipped" });
    expect(dispatch.result.jobs["verify-pypi"]!.outputs).toEqual({ published: "true", installable: "true" });
    expect(dispatch.files).toEqual(tagRun.files);
    expect(dispatch.github).toEqual([]);
  });
});

describe("the callers' secrets", () => {
  it("no upload password or GitHub token in any result, log, summary or file of any run", async () => {
    const runs = (await Promise.all([...chains.values()])).flatMap((r) => Object.values(r));
    expect(runs).toHaveLength(12);
    for (const secret of [TOKEN_PASSWORD, TRUSTED_PASSWORD, GITHUB_TOKEN]) {
      expect(runs.filter((r) => JSON.stringify(r.result).includes(secret))).toEqual([]);
      expect(filesContaining(runDirs, secret)).toEqual([]);
    }
  });
});
