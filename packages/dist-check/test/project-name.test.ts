import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { TARGETS } from "@pypi-workflows/index-client";
import { type LocalIndex, startLocalIndex, tempDir, twineUpload } from "@pypi-workflows/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { isStdlibName, ultranormalizeName, ultranormalizesTo } from "../src/project-name.js";
import { writeWheel } from "./support/generate.js";
import { runDistCheckCli } from "./support/run.js";

// PyPI's rules for a new project's name, predicted from the index's list of projects. PyPI itself cannot be
// reached: its Simple API address is answered by a real pypiserver on 127.0.0.1 (a fetch that rewrites only the
// address; TestPyPI's too), which lists the projects uploaded below.

let index: LocalIndex;
let requested: string[] = [];
/** Paths under PyPI's Simple API root answered with this status instead of the local index's answer. */
let overrides: Record<string, number> = {};

function wheelOf(project: string, version = "1.0.0"): string {
  const stem = `${project.replace(/[-.]+/g, "_")}-${version}`;
  const dir = join(tempDir(`dc-name-${project}-`), "dist");
  mkdirSync(dir);
  const files = { [`${stem.toLowerCase().split("-")[0]}/__init__.py`]: `__version__ = "${version}"\n` };
  writeWheel(dir, `${stem.toLowerCase()}-py3-none-any.whl`, { fields: { Name: project, Version: version }, distInfo: `${stem.toLowerCase()}.dist-info`, files });
  return dir;
}

beforeAll(async () => {
  index = await startLocalIndex();
  for (const project of ["pw-l1b", "tomllib", "other-thing"]) {
    const dir = wheelOf(project);
    twineUpload(index, [join(dir, `${project.replace(/-/g, "_")}-1.0.0-py3-none-any.whl`)]);
  }
  const realFetch = globalThis.fetch;
  const asPyPI: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    requested.push(url);
    const root = [TARGETS.pypi.simpleUrl, TARGETS.testpypi.simpleUrl].find((r) => url.startsWith(r));
    if (!root) throw new Error(`a test must not reach ${url}`);
    const path = url.slice(root.length);
    if (overrides[path] !== undefined) return new Response("overridden", { status: overrides[path] });
    return realFetch(index.simpleUrl + path, init);
  };
  vi.stubGlobal("fetch", asPyPI);
}, 120_000);

afterEach(() => {
  requested = [];
  overrides = {};
});

afterAll(async () => {
  vi.unstubAllGlobals();
  await index?.stop();
});

type Found = { file: string; code: string; severity: string; message: string; hint: string };
async function check(dir: string, ...extra: string[]) {
  const r = await runDistCheckCli([dir, "--json", ...extra], dir);
  return { code: r.code, findings: JSON.parse(r.stdout).findings as Found[], stdout: r.stdout, stderr: r.stderr };
}

describe("a new project's name (--target pypi|testpypi)", () => {
  it("refuses a name too similar to an existing project, naming it (PyPI's 400 does not)", async () => {
    const dir = wheelOf("pwlib");
    const manifest = join(tempDir("dc-man-"), "manifest.json");
    const r = await check(dir, "--target", "pypi", "--manifest", manifest);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([
      {
        file: ".",
        code: "DC_NAME_TOO_SIMILAR",
        severity: "error",
        message:
          'pwlib is not on the index yet, and the index will refuse to create it ("too similar to an existing project"): it reads as "pw11b" with ".", "_" and "-" dropped, "l" and "i" as "1" and "o" as "0", as the existing project pw-l1b does',
        hint: expect.stringContaining("Rename the distribution"),
      },
    ]);
    expect(existsSync(manifest)).toBe(false);
    // The project's page first (not there), then the list of every project.
    expect(requested).toEqual([`${TARGETS.pypi.simpleUrl}pwlib/`, TARGETS.pypi.simpleUrl]);
  });

  it("refuses a standard library module's name for a new project", async () => {
    const r = await check(wheelOf("graphlib"), "--target", "testpypi");
    expect(r.code).toBe(1);
    expect(r.findings.map((f) => `${f.file} ${f.code} ${f.severity}`)).toEqual([". DC_NAME_STDLIB error"]);
    expect(r.findings[0]!.message).toMatch(/^graphlib is not on the index yet, and the index will refuse to create it: graphlib is the name of a Python standard library module \(stdlib-list \d/);
    expect(requested).toEqual([`${TARGETS.testpypi.simpleUrl}graphlib/`, TARGETS.testpypi.simpleUrl]);
  });

  it("never asks again about a project the index has, whatever its name (PyPI checks names only when creating)", async () => {
    // tomllib is a standard library name, and PW_L1B is pw-l1b under another spelling: both exist on the index.
    for (const project of ["tomllib", "PW_L1B"]) {
      const r = await check(wheelOf(project, "2.0.0"), "--target", "pypi");
      expect(r.findings).toEqual([]);
      expect(r.code).toBe(0);
      expect(requested.filter((u) => u === TARGETS.pypi.simpleUrl)).toEqual([]);
      requested = [];
    }
  });

  it("passes a new name that collides with nothing, after reading the list", async () => {
    const r = await check(wheelOf("pw-fresh-name"), "--target", "pypi");
    expect(r.code).toBe(0);
    expect(r.findings).toEqual([]);
    expect(requested).toEqual([`${TARGETS.pypi.simpleUrl}pw-fresh-name/`, TARGETS.pypi.simpleUrl]);
  });

  it("trusts the list when the project's own page lags behind it (a project created minutes ago)", async () => {
    // tomllib exists (a standard library name taken before PyPI's rule): only the list says so here.
    overrides = { "tomllib/": 404 };
    const r = await check(wheelOf("tomllib", "2.0.0"), "--target", "pypi");
    expect(r.findings).toEqual([]);
    expect(r.code).toBe(0);
    expect(requested).toContain(TARGETS.pypi.simpleUrl);
  });

  it("warns when the list cannot be read (exit 0; --strict fails), and still reports a standard library name", async () => {
    overrides = { "": 503 };
    const fresh = await check(wheelOf("pw-other-fresh"), "--target", "pypi");
    expect(fresh.code).toBe(0);
    expect(fresh.findings).toEqual([expect.objectContaining({ file: ".", code: "DC_NAME_NOT_CHECKED", severity: "warning", message: expect.stringContaining("HTTP 503") })]);
    expect((await check(wheelOf("pw-other-fresh"), "--target", "pypi", "--strict")).code).toBe(1);
    const stdlib = await check(wheelOf("graphlib"), "--target", "pypi");
    expect(stdlib.code).toBe(1);
    expect(stdlib.findings.map((f) => f.code)).toEqual(["DC_NAME_NOT_CHECKED", "DC_NAME_STDLIB"]);
  });

  it("applies no such rule to an index given by URL (a private index creates projects under any name)", async () => {
    const r = await check(wheelOf("pwlib"), "--index-url", TARGETS.pypi.simpleUrl);
    expect(r.code).toBe(0);
    expect(r.findings).toEqual([]);
    expect(requested).toEqual([`${TARGETS.pypi.simpleUrl}pwlib/`]);
  });
});

describe("warehouse's name rules", () => {
  it("ultranormalizes as warehouse's SQL function does", () => {
    expect(ultranormalizeName("l10n")).toBe(ultranormalizeName("lion"));
    expect(ultranormalizeName("Foo.Bar_baz-QUX")).toBe("f00barbazqux");
    expect(ultranormalizeName("I-O")).toBe("10");
    expect(ultranormalizeName("requests")).not.toBe(ultranormalizeName("request"));
  });

  it("compares a listed name with the wanted form as building it would (the fast path the whole list goes through)", () => {
    const names = ["l10n", "lion", "LION", "l-i-o-n", "li0n", "lio", "lionx", "xlion", "", "-", "Foo.Bar", "f00bar", "FOOBAR_", "foobar", "f0-0bar", "I-O", "10", "1o", "io", "ß", "Lioñ", "LIOÑ", "lİon"];
    for (const a of names) {
      for (const b of names) expect([a, b, ultranormalizesTo(a, ultranormalizeName(b))]).toEqual([a, b, ultranormalizeName(a) === ultranormalizeName(b)]);
    }
  });

  it("knows standard library names in any spelling, dotted submodules included, and nothing else", () => {
    expect(["asyncio", "AsyncIO", "os.path", "os_path", "email.mime", "distutils", "tomllib"].filter((n) => !isStdlibName(n))).toEqual([]);
    expect(["numpy", "requests", "asyncio-extra", "pw-l1b"].filter(isStdlibName)).toEqual([]);
  });
});
