// `rehearse --workflow`: a maintainer's own caller workflow, run as written. The bundled caller examples are the
// callers here; their CI jobs (ruff and pytest from PyPI) are skipped, as a maintainer whose CI runs on GitHub would.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadWorkflow } from "@pypi-workflows/job-runner";
import { exampleRepo } from "@pypi-workflows/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RehearsalReport, type RehearseOptions, callSecretNames, rehearse, renderReport } from "../src/index.js";
import { ASSETS, GUARD_ENV, removeScratch, scratchDir, sharedTools, startHelpers } from "./support.js";

const EXAMPLES = join(ASSETS.workspaceRoot!, "examples", "workflows");
let helpers: Awaited<ReturnType<typeof startHelpers>>;
const reports: RehearsalReport[] = [];
let forTag: string;
let forPush: string;
let forLimit: string;

async function run(file: string, options: Pick<RehearseOptions, "event" | "tag" | "maxFileSize">, projectDir?: string): Promise<RehearsalReport> {
  const report = await rehearse({
    ...options,
    projectDir: projectDir ?? (options.event === "tag" ? forTag : forPush),
    workflow: join(EXAMPLES, file),
    skipJobs: ["lint", "test"],
    env: process.env,
    tools: await sharedTools(),
    helpersEnv: helpers.env,
    extraEnv: GUARD_ENV,
    verifyTimeoutSeconds: 60,
    assets: ASSETS,
    keepRunDir: true,
  });
  reports.push(report);
  return report;
}

beforeAll(async () => {
  helpers = await startHelpers();
  forTag = exampleRepo("hatch-static");
  forPush = exampleRepo("hatch-static");
  forLimit = exampleRepo("hatch-static");
});
afterAll(async () => {
  await helpers?.stop();
  removeScratch();
  for (const report of reports) rmSync(report.runDir, { recursive: true, force: true });
});

describe.concurrent("rehearse --workflow: a caller workflow as written, against a throwaway index", () => {
  it("token.yml on tag v0.1.0: its pypi job uploads with the token it passes, verifies, and release.yml runs as a dry run", async () => {
    const report = await run("token.yml", { event: "tag", tag: "v0.1.0" });
    expect(report.failure).toBeUndefined();
    expect(report.workflow).toMatch(/examples\/workflows\/token\.yml$/);
    expect(report.version).toBe("0.1.0");
    expect(report.published.map((f) => f.filename).sort()).toEqual(["hatch_static_demo-0.1.0-py3-none-any.whl", "hatch_static_demo-0.1.0.tar.gz"]);
    expect(report.upload).toEqual({ uploaded: "2", skipped: "0" });
    expect(report.verification).toEqual({ published: "true", installable: "true" });
    expect(report.notes).toMatch(/would create/i);
    const jobs = new Set(report.steps.map((s) => s.job));
    expect([...jobs].sort()).toEqual(["build/build", "pypi/upload", "pypi/verify", "release/github-release"]);
    expect(renderReport(report)).toMatch(/^rehearsal of \. \(tag v0\.1\.0, .*token\.yml, commit/);
  });

  it("--max-file-size reaches the caller's build.yml call, which does not set it: 1 KiB refuses the files", async () => {
    const report = await run("token.yml", { event: "push", maxFileSize: "0.001" }, forLimit);
    expect(report.failure?.workflow).toMatch(/token\.yml$/);
    expect(report.failure?.job).toBe("build/build");
    expect(renderReport(report)).toMatch(/DC_FILE_TOO_LARGE[\s\S]*over the per-file upload limit of 1\.0 KiB/);
    expect(report.published).toEqual([]);
  });

  it("trusted-publishing.yml on a push: the pypa action's job uploads the dev version to the index, the verify call installs it", async () => {
    const report = await run("trusted-publishing.yml", { event: "push" });
    expect(report.failure).toBeUndefined();
    expect(report.version).toMatch(/^0\.1\.0\.dev\d+$/); // untagged: a dev release of the version in pyproject.toml
    expect(report.published).toHaveLength(2);
    expect(report.published.every((f) => f.matches)).toBe(true);
    // The upload ran in the caller's own job (the pypa action's stand-in), not in testpypi.yml's upload job.
    expect(report.upload).toBeUndefined();
    expect(report.steps.some((s) => s.job === "publish-testpypi" && s.status === "success")).toBe(true);
    expect(report.verification).toEqual({ published: "true", installable: "true" });
    expect(report.notes).toBeUndefined();
  });
});

describe("the secrets a caller passes to the workflows it calls get the index's password, no others", () => {
  it("token.yml's two repository secrets; none for trusted publishing", () => {
    expect(callSecretNames(loadWorkflow(join(EXAMPLES, "token.yml")))).toEqual(["PYPI_API_TOKEN", "TEST_PYPI_API_TOKEN"]);
    expect(callSecretNames(loadWorkflow(join(EXAMPLES, "trusted-publishing.yml")))).toEqual([]);
  });

  it("a secret only a CI job uses is not given; secrets: inherit gives password", () => {
    const file = join(scratchDir("pw-callsecrets-"), "release.yml");
    writeFileSync(file, `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: upload-coverage
        env:
          CODECOV_TOKEN: \${{ secrets.CODECOV_TOKEN }}
  pypi:
    uses: acme/pypi-workflows/.github/workflows/pypi.yml@v1
    secrets: inherit
  testpypi:
    uses: acme/pypi-workflows/.github/workflows/testpypi.yml@v1
    secrets:
      password: \${{ secrets.TEST_TOKEN }}
      username: \${{ secrets.GITHUB_TOKEN && '__token__' }}
`);
    expect(callSecretNames(loadWorkflow(file))).toEqual(["TEST_TOKEN", "password"]);
  });
});
