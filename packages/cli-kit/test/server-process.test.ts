import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { freePort, stopChild, superviseServer, waitUntilServing } from "../src/index.js";

const options = { name: "demo-server", code: "DEMO_FAILED", hint: "read the demo server's output", timeoutMs: 400 };

describe("waitUntilServing", () => {
  it("returns once the URL answers 2xx", async () => {
    const server = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 10000)"]);
    try {
      await expect(waitUntilServing(`http://127.0.0.1:${port}/`, child, [], options)).resolves.toBeUndefined();
    } finally {
      await stopChild(child);
      server.close();
    }
    expect(child.signalCode).toBe("SIGTERM");
  });

  it("fails fast with the server's own output when the process exits", async () => {
    const child = spawn(process.execPath, ["-e", "console.error('port in use'); process.exit(3)"]);
    const log: string[] = [];
    child.stderr.setEncoding("utf8").on("data", (c: string) => log.push(c));
    const port = await freePort();
    const error = await waitUntilServing(`http://127.0.0.1:${port}/`, child, log, { ...options, timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "DEMO_FAILED", exitCode: 2 });
    expect((error as Error).message).toMatch(/demo-server exited \(3\)[\s\S]*port in use/);
  });

  it("kills a server that never answers, after the timeout", async () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 10000)"]);
    const port = await freePort();
    await expect(waitUntilServing(`http://127.0.0.1:${port}/`, child, [], options)).rejects.toThrow(/did not answer .* within 400 ms/);
    await new Promise((r) => child.once("close", r));
    expect(child.signalCode).toBe("SIGKILL");
  });
});

describe("superviseServer", () => {
  it("keeps the output, and stops a server that does not come up without leaving its exit hook", async () => {
    const hooks = process.listenerCount("exit");
    const child = spawn(process.execPath, ["-e", "console.log('starting'); console.error('bad config'); setTimeout(() => {}, 10000)"]);
    const port = await freePort();
    const error = await superviseServer(child, `http://127.0.0.1:${port}/`, options).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/did not answer[\s\S]*starting[\s\S]*bad config/);
    expect(error).toMatchObject({ code: "DEMO_FAILED", exitCode: 2, hint: "read the demo server's output" });
    expect(child.exitCode !== null || child.signalCode !== null).toBe(true);
    expect(process.listenerCount("exit")).toBe(hooks);
  });

  it("returns once the server answers; stop() ends it and removes the exit hook", async () => {
    const hooks = process.listenerCount("exit");
    const port = await freePort();
    const child = spawn(process.execPath, ["-e", `require("http").createServer((q, s) => s.end("ok")).listen(${port}, "127.0.0.1", () => console.log("listening"))`]);
    const server = await superviseServer(child, `http://127.0.0.1:${port}/`, { ...options, timeoutMs: 10_000 });
    expect(process.listenerCount("exit")).toBe(hooks + 1);
    await server.stop();
    expect(server.output.join("")).toContain("listening");
    expect(child.signalCode).toBe("SIGTERM");
    expect(process.listenerCount("exit")).toBe(hooks);
  });
});
