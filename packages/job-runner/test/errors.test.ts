// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are GitHub expressions (${{ }}), not JS templates
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, RunnerError, runWorkflow } from "../src/index.js";
import { inlineWorkflow } from "./helpers.js";

function job(steps: string, extra = ""): string {
  return `on: push\njobs:\n  only:\n    runs-on: ubuntu-latest\n${extra}    steps:\n${steps}`;
}

async function runInline(yaml: string, options = {}) {
  return runWorkflow({ workflow: inlineWorkflow(yaml), runDir: tempDir("jr-run-"), ...options });
}

async function rejection(yaml: string, options = {}): Promise<RunnerError> {
  const error = await runInline(yaml, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RunnerError);
  return error as RunnerError;
}

describe("errors: the runner never skips what it cannot do", () => {
  it("names an unknown action before any step runs", async () => {
    const error = await rejection(job("      - run: touch ran\n      - uses: someone/unknown-action@v1\n"));
    expect(error.code).toBe("JR_UNKNOWN_ACTION");
    expect(error.message).toContain("uses: someone/unknown-action@v1 has no local substitute");
    expect(error.data).toMatchObject({ action: "someone/unknown-action" });
  });

  it("refuses local (composite) and docker actions, services, containers, real matrices and other shells", async () => {
    const cases: [string, RegExp][] = [
      [job("      - uses: ./.github/actions/mine\n"), /local\/composite or docker actions/],
      [job("      - uses: docker://alpine:3\n"), /local\/composite or docker actions/],
      [job("      - run: true\n", "    services:\n      db:\n        image: postgres\n"), /uses services:/],
      [job("      - run: true\n", "    container: node:22\n"), /uses container:/],
      [job("      - run: true\n", "    strategy:\n      matrix:\n        py: ['3.12', '3.13']\n"), /matrix.py has 2 values/],
      [job("      - run: true\n", "    continue-on-error: true\n"), /uses continue-on-error:/],
      [job("      - run: true\n        unknown-key: 1\n"), /step 1 uses unknown-key:/],
    ];
    for (const [yaml, message] of cases) {
      const error = await rejection(yaml);
      expect(error.code).toBe("JR_UNSUPPORTED");
      expect(error.message).toMatch(message);
    }
    const shell = await runInline(job("      - run: Write-Host hi\n        shell: pwsh\n"));
    expect(shell.jobs.only!.steps[0]!.error).toMatch(/JR_UNSUPPORTED: shell: pwsh is not supported/);
  });

  it("runs a matrix of exactly one combination with its matrix context", async () => {
    const result = await runInline(job("      - run: echo \"py=${{ matrix.py }}\"\n", "    strategy:\n      matrix:\n        py: ['3.13']\n"));
    expect(result.jobs.only!.steps[0]!.log).toEqual(["py=3.13"]);
  });

  it("reports an expression that cannot be parsed as a clear step error, and a bad job if: as a failed job", async () => {
    const result = await runInline(job("      - env:\n          X: ${{ github.ref == }}\n        run: echo never\n      - if: nope.value\n        run: echo never\n      - if: always()\n        run: echo runs\n"));
    const [first, second, third] = result.jobs.only!.steps;
    expect(first!.error).toBe("JR_EXPRESSION: only step 1 (Run echo never) env.X: cannot evaluate ${{ github.ref == }}: Unexpected end of expression: '=='");
    expect(second!.error).toMatch(/JR_EXPRESSION: .*Unrecognized named-value: 'nope'/);
    expect(third!.log).toEqual(["runs"]);
    expect(result.status).toBe("failure");
    const bad = await runInline("on: push\njobs:\n  a:\n    if: ${{ github.ref == 'x' && }}\n    runs-on: x\n    steps:\n      - run: true\n");
    expect(bad.jobs.a!.status).toBe("failure");
    expect(bad.jobs.a!.error).toMatch(/^JR_EXPRESSION: job "a" if: cannot evaluate/);
    const unclosed = await runInline(job("      - run: echo ${{ github.ref\n"));
    expect(unclosed.jobs.only!.steps[0]!.error).toMatch(/unclosed \$\{\{/);
  });

  it("fails a step whose GITHUB_OUTPUT heredoc has no closing delimiter, or whose working-directory is missing", async () => {
    const result = await runInline(job("      - run: printf 'x<<END\\nvalue\\n' >> \"$GITHUB_OUTPUT\"\n      - if: always()\n        working-directory: missing\n        run: true\n"));
    expect(result.jobs.only!.steps[0]!.error).toMatch(/matching delimiter "END" not found for "x"/);
    expect(result.jobs.only!.steps[1]!.error).toMatch(/working-directory .*missing does not exist/);
  });

  it("rejects a missing job id, unknown needs, cyclic needs, a missing reusable workflow and invalid YAML", async () => {
    expect((await rejection(job("      - run: true\n"), { jobs: ["other"] })).message).toMatch(/has no job "other" \(jobs: only\)/);
    const unknownNeed = await rejection("on: push\njobs:\n  a:\n    needs: ghost\n    runs-on: x\n    steps:\n      - run: true\n");
    expect([unknownNeed.code, unknownNeed.message]).toEqual(["JR_NEEDS_INVALID", expect.stringMatching(/job "a" needs "ghost"/)]);
    const cycle = await rejection("on: push\njobs:\n  a:\n    needs: b\n    runs-on: x\n    steps: [{run: 'true'}]\n  b:\n    needs: a\n    runs-on: x\n    steps: [{run: 'true'}]\n");
    expect(cycle.code).toBe("JR_NEEDS_INVALID");
    const missing = await rejection("on: push\njobs:\n  a:\n    uses: ./.github/workflows/absent.yml\n");
    expect([missing.code, missing.message]).toEqual(["JR_REUSABLE_NOT_FOUND", expect.stringMatching(/absent.yml/)]);
    expect((await rejection("on: push\njobs: [\n")).code).toBe("JR_WORKFLOW_INVALID");
    const timeout = await rejection(job("      - run: echo\n", "    timeout-minutes: ${{ inputs.absent }}\n"));
    expect([timeout.code, timeout.message]).toEqual(["JR_WORKFLOW_INVALID", 'job "only": timeout-minutes must be a positive number']);
    expect((await rejection("on: push\njobs:\n  a:\n    runs-on: x\n")).message).toMatch(/neither steps: nor uses:/);
    expect((await rejection(job("      - run: true\n        uses: actions/checkout@v4\n"))).message).toMatch(/exactly one of run: or uses:/);
  });

  it("lists every error code thrown in src/ in the ERROR_CODES catalog", () => {
    const dir = join(import.meta.dirname, "..", "src");
    const thrown = new Set<string>();
    for (const file of readdirSync(dir)) {
      for (const match of readFileSync(join(dir, file), "utf8").matchAll(/RunnerError\("([A-Z_]+)"|"(PROGRAM_NOT_FOUND|USAGE)"/g)) {
        thrown.add(match[1] ?? match[2]!);
      }
    }
    expect(thrown.size).toBeGreaterThan(5);
    for (const code of thrown) expect(ERROR_CODES, code).toHaveProperty(code);
  });
});
