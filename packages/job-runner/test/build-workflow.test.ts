import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  FakeGitHub, type LocalIndex, REPO_ROOT, buildDist, commit, exampleRepo, git, pythonTools, repackToolsWheels, startLocalIndex, tag, tempDir, twineUpload,
} from "@pypi-workflows/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JobResult, type LocalRegistry, type RunResult, type RunWorkflowOptions, runWorkflow, startHelpersRegistry } from "../src/index.js";
import { inlineWorkflow } from "./helpers.js";

let index: LocalIndex;
let registry: LocalRegistry;
let wheelhouse: string;

/**
 * No step may reach the network: every https request goes to a closed loopback port (pip, uv and npm honour
 * the proxy variables), the local index and registry are reached directly, and pip finds the build backend
 * (hatchling) in a wheelhouse repacked from the tools venv.
 */
function offlineEnv(): Record<string, string> {
  return {
    ...registry.env,
    HTTPS_PROXY: "http://127.0.0.1:9",
    HTTP_PROXY: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost",
    PIP_NO_INDEX: "1",
    PIP_FIND_LINKS: wheelhouse,
  };
}

/** A caller workflow kept as a file in test/fixtures/workflows. */
function fixtureWorkflow(name: string): string {
  return join(import.meta.dirname, "fixtures", "workflows", name);
}

/** Runs `workflow` (a caller) on this repository's reusable workflows, offline, in a fresh run directory. */
function runOffline(workflow: string, source: string, options: Partial<RunWorkflowOptions> = {}): Promise<RunResult> {
  return runWorkflow({ workflow, workflowsDir: join(REPO_ROOT, ".github", "workflows"), runDir: tempDir("jr-run-"), source, python: pythonTools().python, extraEnv: offlineEnv(), ...options });
}

beforeAll(async () => {
  // Only the helpers the workflows call: those are this package's dependencies, which turbo builds first.
  [index, registry] = await Promise.all([startLocalIndex(), startHelpersRegistry(join(REPO_ROOT, "packages"), join(REPO_ROOT, ".github", "workflows"))]);
  wheelhouse = tempDir("jr-wheels-");
  await repackToolsWheels(wheelhouse, "hatchling", "packaging", "pathspec", "pluggy", "tomlkit", "trove-classifiers");
});
afterAll(async () => {
  await Promise.all([index?.stop(), registry?.stop()]);
});

/** Every failed step with its error and last log lines: a failing assertion then says why. */
function failures(jobs: Record<string, JobResult>): string[] {
  return Object.values(jobs).flatMap((job) => [
    ...job.steps.filter((s) => s.conclusion === "failure").map((s) => `${job.key} / ${s.name}: ${s.error}\n${s.log.slice(-8).join("\n")}`),
    ...failures(job.jobs ?? {}),
  ]);
}

function stepView(result: RunResult) {
  const job = result.jobs.build!.jobs!.build!;
  return job.steps.map((s) => `${s.conclusion.padEnd(7)} ${s.name}${s.error ? ` -- ${s.error}` : ""}`);
}

describe("the real build.yml, executed on examples/hatch-static", () => {
  it("runs on a push to the default branch with helper CLIs from the local registry and the local index", async () => {
    const source = exampleRepo("hatch-static");
    const caller = inlineWorkflow([
      "on: push",
      "jobs:",
      "  build:",
      `    uses: ./.github/workflows/build.yml`,
      "    with:",
      `      index-url: ${index.simpleUrl}`,
      `      upload-url: ${index.uploadUrl}`,
      "      import-names: hatch_static_demo",
      // Offline: no isolated build env (it would fetch hatchling from PyPI); the runner's Python has it.
      "      build-isolation: false",
      "",
    ].join("\n"));
    const result = await runOffline(caller, source, {
      event: { name: "push", ref: "refs/heads/main", repository: "octo/hatch-static" },
    });
    expect(stepView(result)).toEqual([
      "success Check out the repository (full history for versions and notes)",
      "success Set up Python",
      "success Set up Node (runs the helper CLIs)",
      "skipped Check that the tag matches the project's version",
      "success Choose a unique dev version for TestPyPI",
      "skipped Hand the dev version to the build backend (setuptools-scm, hatch-vcs)",
      "success Take SOURCE_DATE_EPOCH from the commit (reproducible archives)",
      "success Install the build frontend",
      "success Build the sdist and the wheel, once",
      "success Check the distributions (and collisions with the target index); install them in fresh environments",
      "success Upload the artifact (dist/ and manifest.json)",
    ]);
    const steps = result.jobs.build!.jobs!.build!.steps;
    const byName = (prefix: string) => steps.find((s) => s.name.startsWith(prefix))!;
    expect(byName("Choose a unique dev version").outputs).toMatchObject({ version: "0.1.0.dev1", apply: "write" });
    expect(byName("Check the distributions").outputs).toMatchObject({ name: "hatch-static-demo", version: "0.1.0.dev1", files: "2" });
    // install-verifier ran in the same step, its outputs kept out of the step's (dist-check's stand alone).
    expect(byName("Check the distributions").outputs).not.toHaveProperty("installable");
    const log = byName("Check the distributions").log.join("\n");
    const verify = log.slice(log.indexOf("install-verifier (the built files in fresh environments):"));
    expect(verify.length).toBeLessThan(log.length);
    expect(log).not.toContain("INTERNAL");
    expect(verify).toMatch(/ok .* wheel: import hatch_static_demo/);
    expect(verify).toMatch(/ok .* wheel: run hatch-static-demo --version: hatch-static-demo 0\.1\.0\.dev1/);
    expect(verify).toMatch(/ok .* sdist: import hatch_static_demo/);
    expect(result.jobs.build!.status).toBe("success");
    expect(result.jobs.build!.outputs).toMatchObject({ name: "hatch-static-demo", version: "0.1.0.dev1", target: "testpypi" });
  });

  it("hands dist-check the limits PyPI granted the project (max-file-size, max-project-size)", async () => {
    const run = (limits: string[]) =>
      runOffline(
        inlineWorkflow(
          ["on: push", "jobs:", "  build:", "    uses: ./.github/workflows/build.yml", "    with:", `      index-url: ${index.simpleUrl}`, "      build-isolation: false", ...limits.map((l) => `      ${l}`), ""].join("\n"),
        ),
        exampleRepo("hatch-static"),
        { event: { name: "push", ref: "refs/heads/main", repository: "octo/hatch-static" } },
      );
    const checkLog = (result: RunResult) => {
      const step = result.jobs.build!.jobs!.build!.steps.find((s) => s.name.startsWith("Check the distributions"))!;
      return { conclusion: step.conclusion, log: step.log.join("\n") };
    };
    // A limit of about 100 bytes reaches dist-check: both built files are over it.
    const small = checkLog(await run(['max-file-size: "0.0001"']));
    expect(small.conclusion).toBe("failure");
    expect(small.log.match(/DC_FILE_TOO_LARGE error the file is .*, over the per-file upload limit of 104 B/g)).toHaveLength(2);
    // So does the project limit: a value dist-check cannot read stops it as usage, before any file is read.
    const project = checkLog(await run(['max-project-size: "plenty"']));
    expect(project.conclusion).toBe("failure");
    expect(project.log).toContain('--max-project-size "plenty" is not a positive number of GiB');
  });

  it("uploads with the real testpypi.yml (token path) to the local index and verifies by installing from it", async () => {
    const password = "canary-upload-token-7f3a";
    const local = await startLocalIndex({ password });
    try {
      const result = await runOffline(fixtureWorkflow("token-release.yml"), exampleRepo("hatch-static"), {
        vars: { INDEX_URL: local.simpleUrl, UPLOAD_URL: local.uploadUrl },
        secrets: { INDEX_USER: local.username, INDEX_PASSWORD: password },
      });
      expect(failures(result.jobs)).toEqual([]);
      const testpypi = result.jobs.testpypi!;
      const steps = (job: string) => testpypi.jobs![job]!.steps.map((s) => `${s.conclusion} ${s.name}${s.error ? ` -- ${s.error}` : ""}`);
      expect(result.jobs.build!.status).toBe("success");
      expect(steps("upload")).toEqual([
        "success Check the publish input",
        "success Set up Python (twine)",
        "success Set up Node (runs the helper CLIs)",
        "success Download the artifact",
        "success Upload the files TestPyPI lacks (checked against the manifest; a re-run converges)",
      ]);
      expect(readdirSync(local.packagesDir).sort()).toEqual(["hatch_static_demo-0.1.0-py3-none-any.whl", "hatch_static_demo-0.1.0.tar.gz"]);
      expect(testpypi.jobs!.verify!.status).toBe("success");
      expect(testpypi.outputs).toEqual({ published: "true", installable: "true" });
      const stored = [JSON.stringify(result), readFileSync(join(result.runDir, "result.json"), "utf8")];
      for (const file of readdirSync(join(result.runDir, "logs"))) stored.push(readFileSync(join(result.runDir, "logs", file), "utf8"));
      for (const text of stored) expect(text).not.toContain(password);
    } finally {
      await local.stop();
    }
  });
  it("fails the real testpypi.yml and pypi.yml at their first step when publish is neither token nor none", async () => {
    for (const file of ["testpypi.yml", "pypi.yml"]) {
      const caller = inlineWorkflow(
        ["on: push", "jobs:", "  publish:", `    uses: ./.github/workflows/${file}`, "    with:", "      name: demo", "      version: 1.0.0", "      publish: trusted", ""].join("\n"),
      );
      const result = await runOffline(caller, exampleRepo("hatch-static"));
      const called = result.jobs.publish!;
      // Before: a misspelt value skipped both upload and verification, and the call was green.
      expect(called.status, file).toBe("failure");
      const upload = called.jobs!.upload!;
      expect(upload.steps.map((s) => `${s.conclusion} ${s.name}`)[0]).toBe("failure Check the publish input");
      expect(upload.steps[0]!.log.join("\n")).toContain('publish is "trusted"; it must be token (upload here) or none');
      expect(called.jobs!.verify!.status).toBe("skipped");
      expect(called.outputs).toEqual({ published: "", installable: "" });
    }
  });

  it("publishes a tag with the real pypi.yml and makes the GitHub release with the real release.yml (fake API)", async () => {
    const password = "canary-pypi-token-91c2";
    const token = "ghs_canary_github_token_5d1e";
    const [local, github] = await Promise.all([startLocalIndex({ password }), new FakeGitHub().start()]);
    try {
      const source = exampleRepo("hatch-static");
      tag(source, "v0.1.0");
      const result = await runOffline(fixtureWorkflow("tag-release.yml"), source, {
        event: { name: "push", ref: "refs/tags/v0.1.0", repository: "acme/demo", apiUrl: github.url, token },
        vars: { INDEX_URL: local.simpleUrl, UPLOAD_URL: local.uploadUrl },
        secrets: { INDEX_USER: local.username, INDEX_PASSWORD: password },
      });
      expect(failures(result.jobs)).toEqual([]);
      expect(Object.fromEntries(Object.entries(result.jobs).map(([id, j]) => [id, j.status]))).toEqual({
        build: "success", pypi: "success", release: "success",
      });
      expect(result.jobs.pypi!.outputs).toEqual({ published: "true", installable: "true" });
      const release = github.releases.find((r) => r.tag_name === "v0.1.0")!;
      expect(release.assets.map((a) => a.name).sort()).toEqual([
        "SHA256SUMS", "hatch_static_demo-0.1.0-py3-none-any.whl", "hatch_static_demo-0.1.0.tar.gz",
      ]);
      expect(github.requests.every((r) => r.authorization?.endsWith(token))).toBe(true);
      // Every file the run left (logs, result.json, artifacts, workspaces, scripts, step files, caches) and the result.
      const files = readdirSync(result.runDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(files.length).toBeGreaterThan(20);
      const texts = [JSON.stringify(result), ...files.map((e) => readFileSync(join(e.parentPath, e.name), "latin1"))];
      for (const secret of [password, token]) expect(texts.filter((t) => t.includes(secret))).toEqual([]);
    } finally {
      await Promise.all([local.stop(), github.stop()]);
    }
  });

  it("release.yml with draft: a draft release, found again by a re-run (GitHub's get-by-tag does not see drafts), published by a run with draft false", async () => {
    const github = await new FakeGitHub().start();
    try {
      const source = exampleRepo("hatch-static");
      tag(source, "v0.1.0");
      const release = async (draft: boolean) => {
        const before = github.requests.length;
        const result = await runOffline(fixtureWorkflow("draft-release.yml"), source, {
          event: { name: "push", ref: "refs/tags/v0.1.0", repository: "acme/demo", apiUrl: github.url, token: "ghs_draft_test" },
          vars: { DRAFT: String(draft) },
        });
        expect(failures(result.jobs)).toEqual([]);
        const requests = github.requests.slice(before);
        return { requests, calls: requests.map((r) => `${r.method} ${r.path.replace(/\?.*/, "")}`) };
      };
      const wheel = "hatch_static_demo-0.1.0-py3-none-any.whl";
      const sdist = "hatch_static_demo-0.1.0.tar.gz";

      const first = await release(true);
      expect(first.calls.slice(0, 3)).toEqual(["GET /repos/acme/demo/releases/tags/v0.1.0", "GET /repos/acme/demo/releases", "POST /repos/acme/demo/releases"]);
      expect(first.requests[2]!.body).toMatchObject({ tag_name: "v0.1.0", draft: true });
      expect(github.releases).toHaveLength(1);
      const [draft] = github.releases;
      expect(draft).toMatchObject({ tag_name: "v0.1.0", draft: true });
      expect(draft!.assets.map((a) => a.name).sort()).toEqual(["SHA256SUMS", wheel, sdist]);

      // The re-run finds the draft in the list and keeps it (and its assets) as it is.
      const again = await release(true);
      expect(again.calls).toEqual(["GET /repos/acme/demo/releases/tags/v0.1.0", "GET /repos/acme/demo/releases", `PATCH /repos/acme/demo/releases/${draft!.id}`]);
      expect(again.requests[2]!.body).not.toHaveProperty("draft");
      expect(github.releases).toHaveLength(1);
      expect(github.releases[0]!.draft).toBe(true);

      // draft false publishes that same release; nothing is uploaded again.
      const published = await release(false);
      expect(published.calls).toEqual(["GET /repos/acme/demo/releases/tags/v0.1.0", "GET /repos/acme/demo/releases", `PATCH /repos/acme/demo/releases/${draft!.id}`]);
      expect(published.requests[2]!.body).toMatchObject({ draft: false });
      expect(github.releases).toHaveLength(1);
      expect(github.releases[0]).toMatchObject({ id: draft!.id, draft: false });
      expect(github.releases[0]!.assets.map((a) => a.name).sort()).toEqual(["SHA256SUMS", wheel, sdist]);
    } finally {
      await github.stop();
    }
  });

  /** A workflow_dispatch of build.yml for the tag v0.1.0, against `local` (the index that has the release). */
  const republish = (local: LocalIndex, source: string) =>
    runOffline(
      inlineWorkflow([
        "on: workflow_dispatch",
        "jobs:",
        "  build:",
        "    uses: ./.github/workflows/build.yml",
        "    with:",
        "      tag: v0.1.0",
        `      index-url: ${local.simpleUrl}`,
        `      upload-url: ${local.uploadUrl}`,
        "      import-names: hatch_static_demo",
        "      build-isolation: false",
        "",
      ].join("\n")),
      source,
      { event: { name: "workflow_dispatch", ref: "refs/heads/main", repository: "octo/hatch-static" } },
    );
  const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
  const wheel = "hatch_static_demo-0.1.0-py3-none-any.whl";

  it("re-publishes a tag given as input: a rebuilt wheel that differs from the index's is replaced by the index's copy", async () => {
    const local = await startLocalIndex();
    try {
      const source = exampleRepo("hatch-static");
      tag(source, "v0.1.0");
      // The release as the index has it: its wheel built at another time (as by an older backend), bytes that
      // the workflow's rebuild (SOURCE_DATE_EPOCH = the commit time) cannot match. Its sdist is missing.
      const published = join(buildDist(source, { SOURCE_DATE_EPOCH: "1000000000" }).distDir, wheel);
      const publishedSha = sha256(published);
      twineUpload(local, [published]);
      const result = await republish(local, source);
      expect(failures(result.jobs)).toEqual([]);
      expect(result.jobs.build!.outputs).toMatchObject({ name: "hatch-static-demo", version: "0.1.0", target: "pypi" });
      const check = result.jobs.build!.jobs!.build!.steps.find((s) => s.name.startsWith("Check the distributions"))!;
      const log = check.log.join("\n");
      // The same commit built by real hatchling: the package files agree, so the missing sdist may join the copy.
      expect(log).toContain(`${wheel}: DC_PUBLISHED_COPY info the index has ${wheel} with sha256 ${publishedSha}`);
      expect(check.outputs).toMatchObject({ files: "2", "already-published": "1" });
      // The installs ran after the check, on the index's copy; the artifact and its manifest hold that copy.
      expect(log.slice(log.indexOf("install-verifier (the built files"))).toMatch(/ok .* wheel: import hatch_static_demo/);
      const artifact = join(result.runDir, "artifacts", "dist");
      expect(sha256(join(artifact, "dist", wheel))).toBe(publishedSha);
      const manifest = JSON.parse(readFileSync(join(artifact, "manifest.json"), "utf8"));
      expect(manifest.files.find((f: { filename: string }) => f.filename === wheel).sha256).toBe(publishedSha);
    } finally {
      await local.stop();
    }
  });

  it("refuses to re-publish a tag moved after publishing: the missing sdist would be other code than the published wheel", async () => {
    const local = await startLocalIndex();
    try {
      const source = exampleRepo("hatch-static");
      tag(source, "v0.1.0");
      twineUpload(local, [join(buildDist(source).distDir, wheel)]);
      // The tag is then moved to a commit with other code (delete and re-create), and the release re-run.
      commit(source, "fix: another greeting", { "src/hatch_static_demo/greeting.txt": "Hello from the moved tag\n" });
      git(source, ["tag", "-f", "v0.1.0"]);
      const result = await republish(local, source);
      const job = result.jobs.build!.jobs!.build!;
      const check = job.steps.find((s) => s.name.startsWith("Check the distributions"))!;
      expect(check.conclusion).toBe("failure");
      expect(check.log.join("\n")).toContain(
        `${wheel}: DC_PUBLISHED_SOURCE_DIFFERS error the index's ${wheel} was built from other sources than this build (hatch_static_demo/greeting.txt differs), and hatch_static_demo-0.1.0.tar.gz would be uploaded beside it`,
      );
      // Nothing handed on: no artifact for a publish job to upload.
      expect(readdirSync(join(result.runDir, "artifacts"))).toEqual([]);
    } finally {
      await local.stop();
    }
  });
});
