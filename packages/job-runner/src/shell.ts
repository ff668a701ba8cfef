import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { RunnerError } from "./errors.js";

export interface ScriptOptions {
  script: string;
  /** Where the script file is written (the job's RUNNER_TEMP). */
  tempDir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** 0 or undefined: no limit. */
  timeoutMs?: number;
  /** Each line of stdout and stderr, as it arrives (the caller masks and stores it). */
  onLine(line: string): void;
  /** The `shell:` of the step; bash (the default) and sh are supported. */
  shell?: string;
}

export interface ScriptResult {
  exitCode: number;
  timedOut: boolean;
}

/** The exact command lines GitHub uses for `shell: bash` (the default on Linux) and `shell: sh`. */
const SHELLS: Record<string, string[]> = {
  bash: ["bash", "--noprofile", "--norc", "-eo", "pipefail"],
  sh: ["sh", "-e"],
};

let counter = 0;

/**
 * Runs a `run:` script as GitHub does: written to a file, started with the shell's fixed arguments, in its own
 * process group so a timeout ends the script and everything it started.
 */
export function runScript(options: ScriptOptions): Promise<ScriptResult> {
  const shellName = options.shell ?? "bash";
  const command = SHELLS[shellName];
  if (!command) {
    throw new RunnerError("JR_UNSUPPORTED", `shell: ${shellName} is not supported by the local job runner (bash, sh)`);
  }
  const file = join(options.tempDir, `step-${process.pid}-${++counter}.sh`);
  writeFileSync(file, options.script);
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, [...command.slice(1), file], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let timedOut = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          killGroup(child.pid);
        }, options.timeoutMs)
      : undefined;
    for (const stream of [child.stdout, child.stderr]) splitLines(stream, options.onLine);
    child.on("error", (error) => {
      if (timer) clearTimeout(timer);
      reject(new RunnerError("PROGRAM_NOT_FOUND", `cannot run ${command[0]}: ${error.message}`, { cause: error }));
    });
    // Background processes left by the script end with the step (they would hold the pipes open).
    child.on("exit", () => killGroup(child.pid));
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ exitCode: code ?? (signal ? 128 : 1), timedOut });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // the group is already gone
  }
}

function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const parts = (pending + chunk).split(/\r?\n/);
    pending = parts.pop() ?? "";
    for (const line of parts) onLine(line);
  });
  stream.on("end", () => {
    if (pending) onLine(pending);
  });
}
