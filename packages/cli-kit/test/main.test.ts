import { afterEach, describe, expect, it, vi } from "vitest";
import { mainFromProcess } from "../src/main.js";
import type { CommandResult } from "../src/run-cli.js";

describe("mainFromProcess", () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  it("a command that never settles ends with status 1 and says so when the event loop runs dry", async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => written.push(String(chunk)) > 0);
    void mainFromProcess(() => new Promise<CommandResult>(() => undefined));
    await new Promise((done) => setImmediate(done));
    process.emit("beforeExit", 0);
    expect(process.exitCode).toBe(1);
    expect(written.join("")).toContain("error INTERNAL: the command stopped before it finished");
  });

  it("a command that settles is left alone by that check", async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => written.push(String(chunk)) > 0);
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    await mainFromProcess(async () => ({ text: "done", data: null }));
    process.emit("beforeExit", 0);
    expect(process.exitCode).toBe(0);
    expect(written.join("")).not.toContain("INTERNAL");
  });
});
