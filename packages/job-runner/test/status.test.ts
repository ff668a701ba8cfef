import { describe, expect, it } from "vitest";
import { runFixture } from "./helpers.js";

describe("step conditions, failures and jobs' needs", () => {
  it("runs steps by if:, success()/failure()/always(), continue-on-error, bash -e/pipefail and timeout-minutes", async () => {
    const result = await runFixture("status.yml");
    const job = result.jobs.status!;
    const view = job.steps.map((s) => [s.name, s.outcome, s.conclusion]);
    expect(view).toEqual([
      ["Run exit 3", "failure", "success"],
      ["runs after a tolerated failure", "success", "success"],
      ["skipped by a false condition", "skipped", "skipped"],
      ["fails", "failure", "failure"],
      ["skipped after a failure", "skipped", "skipped"],
      ["on failure", "success", "success"],
      ["always", "success", "success"],
      ["pipefail", "failure", "success"],
      ["times out", "failure", "failure"],
    ]);
    expect(job.steps[0]!.error).toBe("Process completed with exit code 3.");
    expect(job.steps[3]!.log).toEqual(["before", "error: Process completed with exit code 1."]);
    expect(job.steps[6]!.log).toEqual(["always ran, fails=failure"]);
    expect(job.steps[8]!.error).toMatch(/timed out after 1 s/);
    expect(job.outputs).toEqual({ tolerated: "failure/success" });
    expect(job.status).toBe("failure");
    expect(result.status).toBe("failure");
  });

  it("runs jobs in needs order, skips dependants of a failed job, and honours job if:", async () => {
    const result = await runFixture("needs.yml");
    const statuses = Object.fromEntries(Object.entries(result.jobs).map(([id, j]) => [id, j.status]));
    expect(statuses).toEqual({
      first: "success",
      broken: "failure",
      "after-broken": "skipped",
      "third-level": "skipped",
      report: "success",
      "on-failure": "success",
      "uses-first": "success",
      conditional: "skipped",
    });
    expect(Object.keys(result.jobs).indexOf("first")).toBeLessThan(Object.keys(result.jobs).indexOf("broken"));
    expect(result.jobs.report!.steps[0]!.log).toEqual(["first=from first third=skipped"]);
    expect(result.jobs["uses-first"]!.steps[0]!.log).toEqual(["got from first"]);
    expect(result.status).toBe("failure");
  });

  it("runs only the wanted job and the jobs it needs, or takes given results instead", async () => {
    const only = await runFixture("needs.yml", { jobs: ["uses-first"] });
    expect(Object.keys(only.jobs)).toEqual(["first", "uses-first"]);
    const given = await runFixture("needs.yml", { jobs: ["uses-first"], given: { first: { result: "success", outputs: { value: "given" } } } });
    expect(Object.keys(given.jobs)).toEqual(["uses-first"]);
    expect(given.jobs["uses-first"]!.steps[0]!.log).toEqual(["got given"]);
  });
});
