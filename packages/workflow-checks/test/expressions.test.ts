import { describe, expect, it } from "vitest";
import { EVENTS, evaluateExpression, evaluateTemplate, githubContext, isTriggered, isTruthy, matchesFilters } from "../src/index.js";

const event = (id: string) => EVENTS.find((e) => e.id === id)!;

describe("expressions (GitHub's evaluator with job status functions)", () => {
  it("evaluates contexts, functions and status", () => {
    const github = githubContext(event("tag-v1.2.3"));
    expect(evaluateExpression("startsWith(github.ref, 'refs/tags/v') && github.ref_name", { github })).toBe("v1.2.3");
    expect(evaluateExpression("success()", {}, { success: false, failure: true })).toBe(false);
    expect(evaluateExpression("!cancelled() && failure()", {}, { success: false, failure: true })).toBe(true);
    expect(evaluateExpression("inputs.missing", { inputs: {} })).toBe(null);
  });

  it("evaluates templates: a whole expression keeps its type, mixed text becomes a string", () => {
    expect(evaluateTemplate("${{ 1 == 1 }}", {})).toBe(true);
    expect(evaluateTemplate("a-${{ inputs.x }}-b", { inputs: { x: 3 } })).toBe("a-3-b");
    expect(evaluateTemplate("plain", {})).toBe("plain");
  });

  it("has GitHub's truthiness", () => {
    expect([null, false, 0, ""].map(isTruthy)).toEqual([false, false, false, false]);
    expect(["false", 1, [], {}].map((v) => isTruthy(v as never))).toEqual([true, true, true, true]);
  });
});

describe("triggers (GitHub's filter patterns)", () => {
  it("matches tag and branch patterns", () => {
    expect(matchesFilters("v1.2.3", ["v*.*.*"])).toBe(true);
    expect(matchesFilters("v1.2.3rc1", ["v*.*.*"])).toBe(true);
    expect(matchesFilters("v1.2", ["v*.*.*"])).toBe(false);
    expect(matchesFilters("vfoo", ["v*.*.*"])).toBe(false);
    expect(matchesFilters("feature/x", ["*"])).toBe(false);
    expect(matchesFilters("feature/x", ["**"])).toBe(true);
    expect(matchesFilters("release/1", ["release/**", "!release/1"])).toBe(false);
  });

  it("runs branch-only push filters for branches, tag-only filters for tags", () => {
    const on = { push: { branches: ["main"] } };
    expect(isTriggered(on, event("push-main"), "main")).toBe(true);
    expect(isTriggered(on, event("tag-v1.2.3"), "main")).toBe(false);
    expect(isTriggered({ push: { tags: ["v*"] } }, event("push-main"), "main")).toBe(false);
    expect(isTriggered({ push: null }, event("tag-vfoo"), "main")).toBe(true);
    expect(isTriggered("pull_request", event("pull-request"), "main")).toBe(true);
    expect(isTriggered(["push"], event("pull-request"), "main")).toBe(false);
    expect(isTriggered({ pull_request: { branches: ["release"] } }, event("pull-request"), "main")).toBe(false);
  });
});
