import { spawn } from "node:child_process";

export interface ExecOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Each output line (the caller masks it). */
  log(line: string): void;
}

/**
 * Runs a program with an argument array for a substitute, streaming its lines to the step's log.
 * A non-zero exit is an Error naming the program: the step fails with it.
 */
export function execProgram(file: string, args: readonly string[], options: ExecOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    const tail: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      let pending = "";
      stream.setEncoding("utf8").on("data", (chunk: string) => {
        const lines = (pending + chunk).split(/\r?\n/);
        pending = lines.pop() ?? "";
        for (const line of lines) {
          options.log(line);
          tail.push(line);
          if (tail.length > 5) tail.shift();
        }
      });
      stream.on("end", () => pending && options.log(pending));
    }
    child.on("error", (error) => reject(new Error(`cannot run ${file}: ${error.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${file} ${args[0] ?? ""} exited with ${code}: ${tail.join(" | ")}`));
    });
  });
}
