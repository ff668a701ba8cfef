import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type FaultProxy, type FaultRule, startFaultProxy } from "@pypi-workflows/testkit";
import type { RunResult } from "@pypi-workflows/job-runner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ThrowawayIndex } from "../src/index.js";
import {
  GUARD_ENV, REPO, builtArtifact, failures, filesContaining, publishTestpypi, removeScratch, sharedTools, startHelpers, startIndex,
} from "./support.js";

const run = promisify(execFile);
const CANARY = "canary-fault-upload-token-9d41c7";
const WRONG = "wrong-password-c0ffee";

let index: ThrowawayIndex;
let helpers: Awaited<ReturnType<typeof startHelpers>>;
const proxies: FaultProxy[] = [];
const runDirs: string[] = [];
const outputs: string[] = [];

/** A built project's "dist" artifact in a fresh run directory (kept for the canary grep at the end). */
async function artifactOf(name: string, payloadBytes = 0): Promise<{ runDir: string; artifact: string }> {
  const built = await builtArtifact({ name, version: "1.0.0", payloadBytes }, "pw-fault-run-");
  runDirs.push(built.runDir);
  return built;
}

async function proxy(rules: FaultRule[]): Promise<FaultProxy> {
  const p = await startFaultProxy(index.baseUrl, rules);
  proxies.push(p);
  return p;
}

/** The real testpypi.yml (token upload, then verification), both through the fault proxy. */
async function publish(name: string, runDir: string, via: FaultProxy, password = CANARY): Promise<RunResult> {
  const result = await publishTestpypi({ name, version: "1.0.0", runDir, index, helpers, password, via: via.url, verifyTimeout: 60 });
  outputs.push(JSON.stringify(result));
  return result;
}

const uploads = (p: FaultProxy) => p.requests.filter((r) => r.method === "POST");
const stored = (prefix: string) => readdirSync(index.packagesDir).filter((f) => f.startsWith(prefix)).sort();
const uploadStep = (r: RunResult) => r.jobs.upload!.steps.at(-1)!;

beforeAll(async () => {
  [index, helpers] = await Promise.all([startIndex(CANARY), startHelpers()]);
});
afterAll(async () => {
  await Promise.all([index?.stop(), helpers?.stop(), ...proxies.map((p) => p.stop())]);
  removeScratch();
});

describe.concurrent("faults between the workflows and a real index (testkit's fault proxy)", () => {
  it("503 on the second file: retried with backoff, the release completes; a re-run uploads nothing twice", async () => {
    const { runDir } = await artifactOf("pw-fault-503");
    const p = await proxy([{ method: "POST", after: 1, times: 1, fault: { kind: "status", status: 503 } }]);
    const first = await publish("pw-fault-503", runDir, p);
    expect(failures(first.jobs)).toEqual([]);
    expect(uploadStep(first).log.join("\n")).toMatch(/503/);
    expect(uploads(p).map((r) => r.fault)).toEqual(["none", "status", "none"]);
    const again = await publish("pw-fault-503", runDir, p);
    expect(uploadStep(again).outputs).toEqual({ uploaded: "0", skipped: "2" });
    expect(uploads(p)).toHaveLength(3);
    expect(stored("pw_fault_503")).toEqual(["pw_fault_503-1.0.0-py3-none-any.whl", "pw_fault_503-1.0.0.tar.gz"]);
  });

  it("a connection reset mid-upload: retried, published and verified", async () => {
    // 2 MiB that does not compress: the wheel's upload cannot arrive in one piece.
    const { runDir } = await artifactOf("pw-fault-reset", 2 << 20);
    const p = await proxy([{ method: "POST", times: 1, fault: { kind: "reset" } }]);
    const result = await publish("pw-fault-reset", runDir, p);
    expect(failures(result.jobs)).toEqual([]);
    expect(uploads(p).map((r) => r.fault)).toEqual(["reset", "none", "none"]);
    // Cut while the body was still coming, not after it had all arrived.
    const cut = uploads(p)[0]!;
    expect(cut.contentLength).toBeGreaterThan(2 << 20);
    expect(cut.bodyBytes).toBeLessThan(cut.contentLength!);
    expect(result.jobs.verify!.outputs).toEqual({ published: "true", installable: "true" });
  });

  it("the response to a successful upload is lost: the uploader finds the identical file; a re-run converges", async () => {
    const { runDir } = await artifactOf("pw-fault-lost");
    const p = await proxy([{ method: "POST", times: 1, fault: { kind: "lose-response" } }]);
    const first = await publish("pw-fault-lost", runDir, p);
    expect(failures(first.jobs)).toEqual([]);
    expect(uploads(p)[0]!.fault).toBe("lose-response");
    const again = await publish("pw-fault-lost", runDir, p);
    expect(uploadStep(again).outputs).toEqual({ uploaded: "0", skipped: "2" });
    expect(stored("pw_fault_lost")).toHaveLength(2);
  });

  it("a stale simple page for some seconds: verification waits, then reports published and installable", async () => {
    const { runDir } = await artifactOf("pw-fault-stale");
    // Stale after the upload: the next two looks at the project's page get 404, whoever asks.
    const p = await proxy([{ method: "GET", path: /^\/simple\/pw-fault-stale\/?$/, afterMethod: "POST", times: 2, fault: { kind: "status", status: 404 } }]);
    const result = await publish("pw-fault-stale", runDir, p);
    expect(failures(result.jobs)).toEqual([]);
    const verify = result.jobs.verify!;
    expect(verify.outputs).toEqual({ published: "true", installable: "true" });
    expect(verify.steps.at(-1)!.log.join("\n")).toMatch(/waiting for pw-fault-stale 1\.0\.0/);
    expect(p.requests.filter((r) => r.method === "GET" && r.fault === "status")).toHaveLength(2);
  });

  it("wrong credentials: 403 after one attempt, nothing retried, the error says what to check", async () => {
    const { runDir } = await artifactOf("pw-fault-auth");
    const p = await proxy([]);
    const result = await publish("pw-fault-auth", runDir, p, WRONG);
    expect(result.jobs.upload!.status).toBe("failure");
    expect(result.jobs.verify!.status).toBe("skipped");
    const log = uploadStep(result).log.join("\n");
    expect(log).toMatch(/UP_AUTH/);
    expect(log).toMatch(/token/i);
    expect(log).not.toContain(WRONG);
    expect(uploads(p)).toHaveLength(1);
    expect(uploads(p)[0]!.status).toBe(403);
    expect(stored("pw_fault_auth")).toEqual([]);
  });

  // testpypi.yml has no input for the uploader's per-attempt timeout (default 300 s), so the hang is tested at the
  // uploader (the very CLI the workflow runs) with --timeout, rather than adding an input only a test would use.
  it("a hung upload times out with a clear error (uploader --timeout), after bounded attempts", async () => {
    const { artifact } = await artifactOf("pw-fault-hang");
    const p = await proxy([{ method: "POST", fault: { kind: "hang" } }]);
    const tools = await sharedTools();
    const error = await run(process.execPath, [
      join(REPO, "packages", "uploader", "dist", "bin", "cli.cjs"), join(artifact, "dist"), "--manifest", join(artifact, "manifest.json"),
      "--index-url", `${p.url}/simple/`, "--upload-url", `${p.url}/`, "--timeout", "2", "--attempts", "2", "--twine", tools.bin("twine"),
    ], { env: { ...process.env, ...GUARD_ENV, TWINE_USERNAME: index.username, TWINE_PASSWORD: CANARY } }).catch((e: unknown) => e);
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    expect(code).toBe(1);
    expect(stderr).toMatch(/UP_RETRIES_EXHAUSTED/);
    expect(stderr).toMatch(/not uploaded after 2 attempts: no answer within 2 s/);
    expect(uploads(p)).toHaveLength(2);
    outputs.push(stdout, stderr);
    expect(stored("pw_fault_hang")).toEqual([]);
  });
});

describe("secrets", () => {
  it("the canary upload password appears in no result, log, summary or file of any run", async () => {
    expect(runDirs.length).toBe(6);
    for (const text of outputs) expect(text).not.toContain(CANARY);
    expect(filesContaining(runDirs, CANARY)).toEqual([]);
  });
});
