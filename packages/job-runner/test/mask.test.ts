import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFixture } from "./helpers.js";

const PASSWORD = "hunter2-very-secret";

describe("masking", () => {
  it("prints secrets and ::add-mask:: values as *** and keeps them out of results, outputs, summaries and logs", async () => {
    const result = await runFixture("mask.yml", { secrets: { PASSWORD } });
    const job = result.jobs.mask!;
    // stdout and stderr are two pipes: the stderr line may land anywhere, stdout keeps its own order.
    const log = job.steps[0]!.log;
    expect(log.filter((line) => !line.includes("stderr"))).toEqual(["the password is ***", "generated: ***"]);
    expect(log.filter((line) => line.includes("stderr"))).toEqual(["the password on stderr: ***"]);
    expect(job.steps[1]!.log).toEqual(["direct *** and token ***"]);
    expect(job.summary).toBe("summary with *** and ***\n");
    expect(job.outputs).toEqual({ fine: "nothing secret" });
    expect(job.warnings).toEqual(["output leaky was dropped: it holds a masked value (a secret)"]);
    expect(job.steps[2]!.conclusion).toBe("failure");
    expect(job.steps[2]!.error).toMatch(/^JR_EXPRESSION: .*fromJSON\(secrets.PASSWORD\)/);
    expect(job.steps[2]!.error).not.toContain(PASSWORD);
    const stored = [
      JSON.stringify(result),
      readFileSync(join(result.runDir, "result.json"), "utf8"),
      ...readdirSync(join(result.runDir, "logs")).map((f) => readFileSync(join(result.runDir, "logs", f), "utf8")),
    ];
    for (const text of stored) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain("generated-sekret-value-42");
    }
    expect(stored[2]).toContain("the password is ***");
  });
});
