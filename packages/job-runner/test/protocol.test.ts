import { describe, expect, it } from "vitest";
import { runFixture } from "./helpers.js";

describe("the file protocol and env", () => {
  it("passes outputs (multi-line too), GITHUB_ENV, GITHUB_PATH, env levels and the summary between steps", async () => {
    const result = await runFixture("protocol.yml", { event: { repository: "octo/demo" } });
    const job = result.jobs.protocol!;
    expect(job.status).toBe("success");
    const [write, use, last] = job.steps;
    expect(write!.outputs).toEqual({ single: "one value", multi: "line 1\nline 2 = with equals" });
    expect(write!.log).toContain("FROM_ENV_FILE in the same step: unset");
    expect(use!.log).toEqual([
      "level=step workflow=w greeting=hello octo/demo",
      "env file: set by step 1",
      "single: one value",
      "multi: line 1",
      "line 2 = with equals",
      "pwd: sub",
      "ci=true actions=true event=push ref=refs/heads/main",
    ]);
    expect(last!.log).toEqual(["level=job"]);
    expect(job.steps[3]!.name).toBe("greet hello octo/demo (tool-ran)");
    expect(job.outputs).toEqual({ single: "one value", multi: "line 1\nline 2 = with equals", tool: "tool-ran" });
    expect(job.summary).toBe("### step one\n");
    expect(result.status).toBe("success");
  });
});
