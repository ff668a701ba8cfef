import { spawn } from "node:child_process";
import { EnvironmentError } from "./errors.js";

export interface ProcessOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the process (SIGKILL) after this many milliseconds; 0 or undefined: no limit. */
  timeoutMs?: number;
  input?: string;
  /** Called with each chunk of stdout as it arrives (long output is streamed, never a fixed buffer). */
  onStdout?: (chunk: string) => void;
}

export interface ProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

/**
 * Runs a program with an argument array (never a shell string) and collects its output.
 * A program that cannot be started is an EnvironmentError (exit 2) naming it.
 */
export function runProcess(file: string, args: readonly string[], options: ProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const out: string[] = [];
    const err: string[] = [];
    let timedOut = false;
    const timer =
      options.timeoutMs && options.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, options.timeoutMs)
        : undefined;
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out.push(chunk);
      options.onStdout?.(chunk);
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => err.push(chunk));
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      reject(
        new EnvironmentError("PROGRAM_NOT_FOUND", `cannot run ${file}: ${error.message}`, {
          hint: `install ${file} or put it on PATH`,
          cause: error,
        }),
      );
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: out.join(""),
        stderr: err.join(""),
        timedOut,
        durationMs: performance.now() - started,
      });
    });
  });
}
