import type { ProcessResult } from "@pypi-workflows/cli-kit";
import type { ErrorCode } from "./errors.js";

export type StepStatus = "ok" | "failed" | "skipped";

/** One step of a verification, with its time: the report is a list of these. */
export interface StepReport {
  /** e.g. "wheel: install", "index: import mypkg". */
  name: string;
  status: StepStatus;
  durationMs: number;
  /** Why it failed, from ERROR_CODES. */
  code?: ErrorCode;
  /** One line: what was checked or found. */
  detail?: string;
  /** The output of the failing process (its tail), shown when the step fails. */
  output?: string;
}

export type StepOutcome = Omit<StepReport, "name" | "durationMs" | "status"> & { ok: boolean };

const OUTPUT_LIMIT = 12_000;

/** Runs one step, timing it; an unexpected exception propagates (it is a bug or an environment error). */
export async function timeStep(name: string, run: () => Promise<StepOutcome>, clock: () => number = () => performance.now()): Promise<StepReport> {
  const started = clock();
  const { ok, ...rest } = await run();
  return { name, status: ok ? "ok" : "failed", durationMs: Math.round(clock() - started), ...rest };
}

export function skippedStep(name: string, detail: string): StepReport {
  return { name, status: "skipped", durationMs: 0, detail };
}

/** A process's combined output, trimmed to its end (where the error usually is). */
export function processOutput(result: ProcessResult): string {
  const text = [result.stdout.trim(), result.stderr.trim()].filter(Boolean).join("\n");
  const timedOut = result.timedOut ? "\n(killed: the step's time limit was reached)" : "";
  return text.length > OUTPUT_LIMIT ? `...${text.slice(-OUTPUT_LIMIT)}${timedOut}` : `${text}${timedOut}`;
}

/** Maps over items with at most `limit` running at once, keeping the order of the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
