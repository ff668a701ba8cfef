import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/** The test context's onTestFinished (`test("...", ({ onTestFinished }) => ...)`). */
export type OnFinished = (fn: () => void) => void;

/**
 * A fresh temporary directory removed when the current test finishes (or, outside a test, at process exit).
 * Inside a concurrent test, pass the test context's `onTestFinished`: Vitest's global one cannot tell
 * concurrent tests apart, and may remove the directory when ANOTHER test finishes, while this one still uses it.
 */
export function tempDir(prefix = "pw-test-", onFinished: OnFinished = onTestFinished): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onFinished(remove);
  } catch {
    process.once("exit", remove);
  }
  return dir;
}
