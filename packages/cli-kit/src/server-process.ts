import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { EnvironmentError } from "./errors.js";

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface WaitOptions {
  /** What the server is, for the error ("pypi-server", "verdaccio"). */
  name: string;
  /** The error code when it does not come up. */
  code: string;
  /** The next step printed with that error. */
  hint: string;
  timeoutMs: number;
}

/**
 * Polls `url` until it answers 2xx; fails fast when the process exits, and kills it after the timeout.
 * The error carries the server's own output (`log`), which is what explains a failed start.
 */
export async function waitUntilServing(url: string, child: ChildProcess, log: readonly string[], options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new EnvironmentError(options.code, `${options.name} exited (${child.exitCode}) before it served ${url}:\n${log.join("")}`, { hint: options.hint });
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new EnvironmentError(options.code, `${options.name} did not answer at ${url} within ${options.timeoutMs} ms:\n${log.join("")}`, { hint: options.hint });
}

/** SIGTERM, then SIGKILL after 3 s; resolves when the process is gone. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("close", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3000).unref();
  });
}

/** A started server, watched: its output so far, and how to stop it. */
export interface SupervisedServer {
  /** Everything it printed on stdout and stderr (and a spawn error), in order. */
  output: string[];
  /** Stops it (stopChild) and forgets the kill-at-exit hook. */
  stop(): Promise<void>;
}

/**
 * The life of a server this process started: keeps its output, kills it if this process exits first, and
 * waits until `url` answers (waitUntilServing). When it does not come up, it is stopped and the hook removed
 * before the error is thrown.
 */
export async function superviseServer(child: ChildProcess, url: string, options: WaitOptions): Promise<SupervisedServer> {
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) stream?.setEncoding("utf8").on("data", (c: string) => output.push(c));
  child.on("error", (error) => output.push(String(error)));
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const stop = async () => {
    process.removeListener("exit", kill);
    await stopChild(child);
  };
  try {
    await waitUntilServing(url, child, output, options);
  } catch (error) {
    await stop();
    throw error;
  }
  return { output, stop };
}
