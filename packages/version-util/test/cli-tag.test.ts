import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@pypi-workflows/testkit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { versionFromTag } from "../src/tag.js";
import { runVersionUtil } from "./helpers.js";

describe("from-tag", () => {
  it.each([
    ["v1.2.3", "1.2.3", false],
    ["refs/tags/v1.2.3", "1.2.3", false],
    ["V1.2.3-rc.1", "1.2.3rc1", true],
    ["v1.2.3-RC.1", "1.2.3rc1", true],
    ["1.2.3", "1.2.3", false],
    ["v1.2.3-alpha.1", "1.2.3a1", true],
    ["v2.0.0-beta.2", "2.0.0b2", true],
    ["v1.2.3-post.1", "1.2.3.post1", false],
    ["v1.2.3-dev.3", "1.2.3.dev3", true],
    ["v1.2.3-preview.1", "1.2.3rc1", true],
    ["v01.002.0003", "1.2.3", false],
    ["v1!2.0.0", "1!2.0.0", false],
    ["v1.2.3.4", "1.2.3.4", false],
  ])("%s stands for %s", async (tag, version, prerelease) => {
    const run = await runVersionUtil(["from-tag", tag, "--json"]);
    expect(run.code).toBe(0);
    expect(run.json).toEqual({ tag: tag.replace("refs/tags/", ""), version, isPrerelease: prerelease });
    expect(versionFromTag(tag).version).toBe(version);
  });

  it.each([
    ["garbage", "VU_INVALID_TAG", /"garbage" is not a PEP 440 version/],
    ["release-1.2.3", "VU_INVALID_TAG", /not a PEP 440 version/],
    ["v1.2.3-SNAPSHOT", "VU_INVALID_TAG", /not a PEP 440 version/],
    ["latest", "VU_INVALID_TAG", /not a PEP 440 version/],
    ["v1.2", "VU_TAG_TOO_SHORT", /has 2 release numbers; release tags need three/],
    ["v1", "VU_TAG_TOO_SHORT", /has 1 release number;/],
    ["v1.2.3+abc", "VU_TAG_LOCAL_VERSION", /local version part "\+abc", which PyPI rejects/],
    ["v1.2rc1+x", "VU_TAG_LOCAL_VERSION", /local version part/],
  ])("rejects %s with %s (exit 1), a reason and a next step", async (tag, code, message) => {
    const run = await runVersionUtil(["from-tag", tag, "--json"]);
    expect(run.code).toBe(1);
    expect(run.json.error.code).toBe(code);
    expect(run.json.error.message).toMatch(message);
    expect(run.json.error.hint).toMatch(/\w/);
    const text = await runVersionUtil(["from-tag", tag]);
    expect(text.stderr).toContain(`error ${code}:`);
    expect(text.stderr).toContain("next step:");
  });

  it("suggests the three-number tag for v1.2 and v1.2rc1", async () => {
    expect((await runVersionUtil(["from-tag", "v1.2", "--json"])).json.error.hint).toBe("tag the release as v1.2.0 instead");
    expect((await runVersionUtil(["from-tag", "v1.2rc1", "--json"])).json.error.hint).toBe("tag the release as v1.2.0rc1 instead");
  });
});

describe("normalize and usage", () => {
  it("prints the canonical form", async () => {
    expect((await runVersionUtil(["normalize", "V1.2.3-RC.1"])).stdout).toBe("1.2.3rc1\n");
    expect((await runVersionUtil(["normalize", "1.0+Ubuntu_01"])).stdout).toBe("1.0+ubuntu.1\n");
  });

  it("exits 1 on an invalid version, 2 on usage errors", async () => {
    const invalid = await runVersionUtil(["normalize", "1.0-SNAPSHOT", "--json"]);
    expect([invalid.code, invalid.json.error.code]).toEqual([1, "VU_INVALID_VERSION"]);
    const unknown = await runVersionUtil(["frobnicate"]);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining("unknown command")]);
    const missing = await runVersionUtil(["from-tag"]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("missing <tag>")]);
    const badOption = await runVersionUtil(["from-tag", "v1.2.3", "--nope"]);
    expect(badOption.code).toBe(2);
  });

  it("prints help for the CLI and for each command", async () => {
    const help = await runVersionUtil(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["normalize", "from-tag", "current", "check-tag", "bump", "dev-version"]) expect(help.stdout).toContain(command);
    expect((await runVersionUtil(["dev-version", "--help"])).stdout).toContain("--index-url <URL>");
  });
});

describe("in GitHub Actions", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("writes the results as step outputs", async () => {
    const output = join(tempDir(), "output");
    writeFileSync(output, "");
    vi.stubEnv("GITHUB_OUTPUT", output);
    vi.stubEnv("GITHUB_ACTIONS", "true");
    const run = await runVersionUtil(["from-tag", "refs/tags/v2.0.0rc2"], { env: { GITHUB_ACTIONS: "true", GITHUB_OUTPUT: output } });
    expect(run.code).toBe(0);
    const text = readFileSync(output, "utf8");
    expect(text).toMatch(/version<<ghadelimiter_[^\n]+\n2\.0\.0rc2\n/);
    expect(text).toMatch(/is-prerelease<<ghadelimiter_[^\n]+\ntrue\n/);
  });
});
