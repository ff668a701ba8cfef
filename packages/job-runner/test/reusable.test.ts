import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunnerError } from "../src/index.js";
import { WORKFLOWS, inlineWorkflow, runFixture } from "./helpers.js";

const SECRET = "s3cr3t-token-value";

describe("reusable workflows", () => {
  it("maps with:/secrets: to the called workflow's typed inputs, runs its jobs and exposes its outputs", async () => {
    const result = await runFixture("caller.yml", {
      workflowsDir: WORKFLOWS,
      secrets: { MY_TOKEN: SECRET },
      event: { ref: "refs/heads/feature" },
    });
    const local = result.jobs["call-local"]!;
    expect(local.status).toBe("success");
    expect(Object.keys(local.jobs!)).toEqual(["greet", "check"]);
    expect(local.jobs!.greet!.key).toBe("call-local/greet");
    expect(local.workflow).toBe("callee.yml");
    expect(local.jobs!.greet!.steps[0]!.log).toEqual([
      "name=world flag=true count=3 ref=feature bool=true",
      "token is ***",
    ]);
    expect(local.outputs).toEqual({ greeting: "hello world", checked: "success" });
    expect(result.jobs["call-remote"]!.jobs!.greet!.steps[0]!.log[0]).toBe("name=remote flag=false count=2 ref=feature bool=false");
    expect(result.jobs.after!.steps[0]!.log).toEqual(["local=hello world remote=hello remote checked=success"]);
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it("rejects a missing required input, a wrong type, an unknown input and a missing required secret", async () => {
    const cases: [Record<string, string>, Record<string, string>, RegExp][] = [
      [{}, { token: "x" }, /required input "name" was not given/],
      [{ name: "a", flag: "yes" }, { token: "x" }, /input "flag" must be a boolean, got "yes"/],
      [{ name: "a", colour: "red" }, { token: "x" }, /unknown input\(s\) colour/],
      [{ name: "a" }, {}, /required secret "token" was not given/],
    ];
    for (const [inputs, secrets, message] of cases) {
      const error = await runFixture("callee.yml", { inputs, secrets }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunnerError);
      expect((error as RunnerError).code).toBe("JR_INPUT_INVALID");
      expect((error as RunnerError).message).toMatch(message);
    }
  });

  it("gives a called workflow's outputs the same string form as a job's (objects as JSON, unset as \"\")", async () => {
    const workflow = inlineWorkflow(`on: push
jobs:
  direct:
    runs-on: ubuntu-latest
    outputs:
      object: \${{ fromJSON('{"a":[1,2]}') }}
      number: \${{ 1.5 }}
      unset: \${{ steps.none.outputs.x }}
    steps:
      - run: "true"
  called:
    uses: ./.github/workflows/values.yml
`);
    writeFileSync(join(dirname(workflow), "values.yml"), `on:
  workflow_call:
    outputs:
      object:
        value: \${{ fromJSON('{"a":[1,2]}') }}
      number:
        value: \${{ 1.5 }}
      unset:
        value: \${{ jobs.skipped.outputs.x }}
jobs:
  skipped:
    if: false
    runs-on: ubuntu-latest
    steps:
      - run: "true"
`);
    const result = await runFixture("", { workflow });
    expect(result.jobs.direct!.outputs).toEqual({ object: JSON.stringify({ a: [1, 2] }, null, 2), number: "1.5", unset: "" });
    expect(result.jobs.called!.outputs).toEqual(result.jobs.direct!.outputs);
  });

  it("callDefaults gives a called workflow the inputs it declares and its caller left unset, nothing else", async () => {
    const workflow = inlineWorkflow(`on: push
jobs:
  unset:
    uses: ./.github/workflows/echo.yml
  set:
    uses: ./.github/workflows/echo.yml
    with:
      index-url: \${{ 'https://caller.example/simple/' }}
  plain:
    uses: ./.github/workflows/plain.yml
`);
    writeFileSync(join(dirname(workflow), "echo.yml"), `on:
  workflow_call:
    inputs:
      index-url:
        type: string
        default: ""
      verify-timeout:
        type: number
        default: 120
    outputs:
      seen:
        value: \${{ jobs.echo.outputs.seen }}
jobs:
  echo:
    runs-on: ubuntu-latest
    outputs:
      seen: \${{ format('{0} {1}', inputs.index-url, inputs.verify-timeout) }}
    steps:
      - run: "true"
`);
    writeFileSync(join(dirname(workflow), "plain.yml"), `on:
  workflow_call:
    outputs:
      ok:
        value: done
jobs:
  plain:
    runs-on: ubuntu-latest
    steps:
      - run: "true"
`);
    const callDefaults = { "index-url": "http://127.0.0.1:1/simple/", "verify-timeout": 5 };
    const result = await runFixture("", { workflow, callDefaults });
    expect(result.status).toBe("success");
    expect(result.jobs.unset!.outputs).toEqual({ seen: "http://127.0.0.1:1/simple/ 5" });
    expect(result.jobs.set!.outputs).toEqual({ seen: "https://caller.example/simple/ 5" });
    // A workflow that declares none of them gets none (an undeclared input would be refused as unknown).
    expect(result.jobs.plain!.outputs).toEqual({ ok: "done" });
    // Without callDefaults the declared defaults hold.
    const plainRun = await runFixture("", { workflow });
    expect(plainRun.jobs.unset!.outputs).toEqual({ seen: " 120" });
  });
});
