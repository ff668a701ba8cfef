// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are GitHub expressions (${{ }}), not JS templates
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { Masker, RunnerError, evaluateCondition, evaluateString, parseKeyValueFile } from "../src/index.js";

const scope = {
  contexts: { github: { ref: "refs/tags/v1.2.3", event_name: "push" }, inputs: { flag: true, tag: "" } },
  status: { success: true, failure: false, cancelled: false },
};

describe("expressions (GitHub's evaluator)", () => {
  it("replaces each ${{ }} in a string and keeps text around it, even with }} inside a quoted literal", () => {
    expect(evaluateString("ref=${{ github.ref }} x=${{ '}}' }}", scope, "t")).toBe("ref=refs/tags/v1.2.3 x=}}");
    expect(evaluateString("${{ inputs.flag }}", scope, "t")).toBe("true");
    expect(evaluateString("${{ inputs.tag || 'fallback' }}", scope, "t")).toBe("fallback");
    expect(evaluateString("${{ startsWith(github.ref, 'refs/tags/v') && 'pypi' || 'none' }}", scope, "t")).toBe("pypi");
  });

  it("reads if: with or without ${{ }}, adding success() unless a status function is named", () => {
    const failed = { ...scope, status: { success: false, failure: true, cancelled: false } };
    expect(evaluateCondition("github.event_name == 'push'", scope, "t")).toBe(true);
    expect(evaluateCondition("github.event_name == 'push'", failed, "t")).toBe(false);
    expect(evaluateCondition("${{ failure() && github.event_name == 'push' }}", failed, "t")).toBe(true);
    expect(evaluateCondition("${{ !cancelled() }}", failed, "t")).toBe(true);
    expect(evaluateCondition(undefined, failed, "t")).toBe(false);
    // Text around ${{ }} makes a non-empty string: true, as on GitHub.
    expect(evaluateCondition("x ${{ false }}", scope, "t")).toBe(true);
  });

  it("throws JR_EXPRESSION naming the place for unknown contexts and functions", () => {
    for (const source of ["${{ secret.x }}", "${{ hashFiles('x') }}", "${{ github.ref == }}"]) {
      const error = (() => {
        try {
          evaluateString(source, scope, "job x step 2 env.A");
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(RunnerError);
      expect((error as RunnerError).message).toMatch(/^job x step 2 env\.A: cannot evaluate/);
    }
  });
});

describe("the file protocol parser and the masker", () => {
  it("parses name=value, heredocs (with = and << inside) and empty values", () => {
    const file = join(tempDir(), "out");
    writeFileSync(file, "a=1\nempty=\nb<<EOF\nx=y\nz<<w\nEOF\nc=last=one\n");
    expect(parseKeyValueFile(file)).toEqual({ a: "1", empty: "", b: "x=y\nz<<w", c: "last=one" });
    writeFileSync(file, "just a line\n");
    expect(() => parseKeyValueFile(file)).toThrow(/invalid line .*"just a line"/);
  });

  it("masks longest values first, each line of a multi-line value, and not values under 3 characters", () => {
    const masker = new Masker();
    masker.add("abc");
    masker.add("abcdef");
    masker.add("line-one\nline-two");
    masker.add("ab");
    expect(masker.mask("abcdef abc line-two ab")).toBe("*** *** *** ab");
    expect(masker.maskDeep({ list: ["xline-onex"] })).toEqual({ list: ["x***x"] });
  });
});
