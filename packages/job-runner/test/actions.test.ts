import { readdirSync } from "node:fs";
import { join } from "node:path";
import { type LocalIndex, commit, exampleRepo, pythonTools, startLocalIndex, tag } from "@pypi-workflows/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SUBSTITUTES, actionName } from "../src/index.js";
import { runFixture } from "./helpers.js";

let index: LocalIndex;
beforeAll(async () => {
  index = await startLocalIndex({ password: "index-password-canary" });
});
afterAll(() => index?.stop());

describe("third-party actions replaced by local equivalents", () => {
  it("checks out, sets up Python and Node, builds, passes the artifact on and uploads with twine to a local index", async () => {
    const source = exampleRepo("hatch-static");
    tag(source, "v0.1.0");
    commit(source, "chore: one more commit");
    const tools = pythonTools();
    const result = await runFixture("actions.yml", {
      source,
      python: tools.python,
      vars: { UPLOAD_URL: index.uploadUrl },
      secrets: { INDEX_USER: index.username, INDEX_PASSWORD: index.password },
    });
    const build = result.jobs.build!;
    expect(build.status).toBe("success");
    expect(build.outputs["python-path"]).toBe(tools.python);
    expect(build.outputs.describe).toMatch(/^v0\.1\.0-1-g[0-9a-f]+$/);
    expect(build.steps[3]!.log[0]).toBe("shallow=false branch=main");
    expect(readdirSync(join(result.artifactsDir, "dist")).sort()).toEqual([
      "hatch_static_demo-0.1.0-py3-none-any.whl",
      "hatch_static_demo-0.1.0.tar.gz",
    ]);
    expect(result.jobs.shallow!.steps[1]!.log).toEqual(["shallow=true commits=1 tags=0"]);
    const publish = result.jobs.publish!;
    expect(publish.steps.map((s) => [s.outcome, s.conclusion])).toEqual([
      ["success", "success"],
      ["success", "success"],
      ["success", "success"],
      ["failure", "success"],
      ["success", "success"],
      ["failure", "success"],
    ]);
    expect(publish.steps[1]!.log).toEqual(["hatch_static_demo-0.1.0-py3-none-any.whl", "hatch_static_demo-0.1.0.tar.gz"]);
    expect(readdirSync(index.packagesDir).sort()).toEqual(["hatch_static_demo-0.1.0-py3-none-any.whl", "hatch_static_demo-0.1.0.tar.gz"]);
    expect(publish.steps[3]!.error).toMatch(/twine --no-color exited with 1/);
    expect(publish.steps[4]!.log.join("\n")).toMatch(/Skipping hatch_static_demo-0.1.0/);
    expect(publish.steps[5]!.error).toBe(
      "refusing to upload to https://upload.pypi.org/legacy/: the local runner uploads only to an index on this machine (pass publish.uploadUrl)",
    );
    expect(result.jobs["missing-artifact"]!.steps[0]!.error).toMatch(/artifact "nothing-here" not found \(this run has: dist\)/);
    expect(JSON.stringify(result)).not.toContain("index-password-canary");
  });

  it("keys the one substitutes table by action name without @ref", () => {
    expect(Object.keys(SUBSTITUTES).sort()).toEqual([
      "actions/checkout",
      "actions/download-artifact",
      "actions/setup-node",
      "actions/setup-python",
      "actions/upload-artifact",
      "pypa/gh-action-pypi-publish",
    ]);
    expect(actionName("pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc")).toBe("pypa/gh-action-pypi-publish");
  });
});
