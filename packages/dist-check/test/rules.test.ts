import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { checkDistributions, DEFAULT_LIMITS } from "../src/index.js";
import { ExtractedTree } from "../src/paths.js";
import { BASE_FILES, writeSdist, writeWheel } from "./support/generate.js";
import { runDistCheckCli, toolsPython } from "./support/run.js";
import type { TarInput } from "./support/tar-writer.js";

const check = (dir: string, paths = [dir], extra: Partial<Parameters<typeof checkDistributions>[0]> = {}) =>
  checkDistributions({ paths, cwd: dir, env: process.env, python: toolsPython(), ...extra });

describe("sdist links, resolved the way tarfile's data filter resolves them", () => {
  // The oracle: Python's own tarfile extracting with filter="data" (PEP 706) into an empty directory.
  const EXTRACT = [
    "import sys, tarfile, tempfile",
    "try:",
    "    with tarfile.open(sys.argv[1]) as t: t.extractall(tempfile.mkdtemp(), filter='data')",
    "    print('ok')",
    "except tarfile.FilterError as e:",
    "    print(type(e).__name__)",
  ].join("\n");
  const sdistWith = (links: (top: string) => TarInput[]) => {
    const dir = tempDir("dc-links-");
    const path = writeSdist(dir, "demo_pkg-1.0.0.tar.gz", { mutate: (entries, top) => [...entries, ...links(top)] });
    return { dir, path, python: execFileSync(toolsPython(), ["-c", EXTRACT, path], { encoding: "utf8" }).trim() };
  };

  it("refuses a link that escapes through a symlink extracted before it, though each is inside on its own", async () => {
    const { dir, python } = sdistWith((t) => [
      { name: `${t}/a/b/up`, type: "2", linkName: "../.." },
      { name: `${t}/a/b/up/x/esc`, type: "2", linkName: "../../.." },
    ]);
    expect(python).toBe("LinkOutsideDestinationError");
    const result = await check(dir);
    expect(result.findings.map((f) => `${f.code} ${f.member}`)).toEqual(["DC_SDIST_UNSAFE_MEMBER demo_pkg-1.0.0/a/b/up/x/esc"]);
  });

  it("refuses a member whose path leaves the tree through links that a later link redirected", async () => {
    // q and p stay inside when made; r2 then collapses three levels, so p (through q) resolves far above the tree.
    const { dir, python } = sdistWith((t) => [
      { name: `${t}/q`, type: "2", linkName: "a/b/c/r2/s" },
      { name: `${t}/p`, type: "2", linkName: "q/../../../../.." },
      { name: `${t}/a/b/c/r2`, type: "2", linkName: "../../.." },
      { name: `${t}/p/evil.txt`, data: "x" },
    ]);
    expect(python).toBe("OutsideDestinationError");
    const result = await check(dir);
    expect(result.findings.map((f) => `${f.code} ${f.member}: ${f.message}`)).toEqual([
      "DC_SDIST_UNSAFE_MEMBER demo_pkg-1.0.0/p/evil.txt: its path leads outside the source tree through a symlink extracted before it",
    ]);
  });

  it("refuses absolute link targets (symlink and hard link), also once symlinks exist that paths resolve through", async () => {
    const { dir, python } = sdistWith((t) => [
      { name: `${t}/up`, type: "2", linkName: "src/demo_pkg" },
      { name: `${t}/abs`, type: "2", linkName: "/etc/passwd" },
      { name: `${t}/hard`, type: "1", linkName: "/etc/passwd" },
    ]);
    expect(python).toBe("AbsoluteLinkError");
    const result = await check(dir);
    expect(result.findings.map((f) => `${f.code} ${f.member}: ${f.message}`)).toEqual([
      'DC_SDIST_UNSAFE_MEMBER demo_pkg-1.0.0/abs: symlink to "/etc/passwd" leaves the source tree',
      'DC_SDIST_UNSAFE_MEMBER demo_pkg-1.0.0/hard: hard link to "/etc/passwd" leaves the source tree',
    ]);
  });

  it("resolves an absolute path to nothing with or without symlinks recorded", () => {
    const tree = new ExtractedTree();
    expect(tree.resolve("/etc/passwd")).toBeUndefined();
    expect(tree.linkStaysInside("top", "top/d", "/etc/passwd")).toBe(false);
    expect(tree.linkStaysInside("top", "", "/top/x")).toBe(false);
    expect(tree.linkStaysInside("top", "top/d", "../x")).toBe(true);
    tree.addSymlink("top/up", "d");
    expect(tree.resolve("/etc/passwd")).toBeUndefined();
    expect(tree.resolve("/top/x")).toBeUndefined();
    expect(tree.resolve("top/up/x")).toBe("top/d/x");
    expect(tree.linkStaysInside("top", "top/d", "/etc/passwd")).toBe(false);
    expect(tree.linkStaysInside("top", "", "/top/x")).toBe(false);
    expect(tree.linkStaysInside("top", "", "top/up/x")).toBe(true);
  });

  it("passes links that stay inside, including one that is outside only when read textually", async () => {
    const { dir, python } = sdistWith((t) => [
      { name: `${t}/readme-link`, type: "2", linkName: "pyproject.toml" },
      { name: `${t}/hard.txt`, type: "1", linkName: `${t}/LICENSE` },
      { name: `${t}/up`, type: "2", linkName: "src/demo_pkg" },
      // up/../.. is the tree's parent as text, but realpath goes through up first: src/demo_pkg/../.. is the tree.
      { name: `${t}/license-link`, type: "2", linkName: "up/../../LICENSE" },
    ]);
    expect(python).toBe("ok");
    expect((await check(dir)).findings).toEqual([]);
  });
});

describe("wheel platform tags PyPI accepts", () => {
  const ACCEPTED = [
    "any",
    "win_amd64",
    "win32",
    "win_arm64",
    "manylinux1_x86_64",
    "manylinux2014_aarch64",
    "manylinux_2_17_x86_64.manylinux2014_x86_64",
    "manylinux_2_28_ppc64",
    "musllinux_1_2_aarch64",
    "linux_armv7l",
    "macosx_10_9_x86_64",
    "macosx_11_0_arm64",
    "macosx_14_0_universal2",
    "ios_13_0_arm64_iphoneos",
    "android_21_arm64_v8a",
    "pyemscripten_2024_0_wasm32",
  ];
  // [platform part of the file name, the tag the finding names]
  const REFUSED = [
    ["linux_x86_64", "linux_x86_64"],
    ["linux_aarch64", "linux_aarch64"],
    ["manylinux2014_x86_64.linux_x86_64", "linux_x86_64"],
    ["musllinux_1_2_ppc64", "musllinux_1_2_ppc64"],
    ["manylinux_2_17_sparc", "manylinux_2_17_sparc"],
    ["macosx_11_3_arm64", "macosx_11_3_arm64"],
    ["macosx_9_0_x86_64", "macosx_9_0_x86_64"],
    ["win_x86", "win_x86"],
    ["freebsd_14_0_amd64", "freebsd_14_0_amd64"],
  ] as const;

  it.each(ACCEPTED)("accepts %s", async (platform) => {
    const dir = tempDir("dc-plat-");
    writeWheel(dir, `demo_pkg-1.0.0-cp311-cp311-${platform}.whl`);
    expect((await check(dir)).findings).toEqual([]);
  });

  it.each(REFUSED)("refuses %s", async (platform, refused) => {
    const dir = tempDir("dc-plat-");
    writeWheel(dir, `demo_pkg-1.0.0-cp311-cp311-${platform}.whl`);
    const result = await check(dir);
    expect(result.findings.map((f) => `${f.code}: ${f.message}`)).toEqual([`DC_WHEEL_PLATFORM_TAG: PyPI refuses the platform tag ${refused} (unsupported platform tag)`]);
    expect(result.ok).toBe(false);
  });
});

describe("RECORD", () => {
  const b64 = (algorithm: string, data: string | Buffer) => createHash(algorithm).update(data).digest("base64url");
  const init = BASE_FILES["demo_pkg/__init__.py"]!;
  const withInitRow = (dir: string, row: (line: string) => string) =>
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { mutateRecord: (lines) => lines.map((l) => (l.startsWith("demo_pkg/__init__.py,") ? row(l) : l)) });

  it("compares sha384 and sha512 rows with the member's bytes (stored and deflated members)", async () => {
    for (const algorithm of ["sha384", "sha512"]) {
      const dir = tempDir("dc-sha-");
      withInitRow(dir, (l) => l.replace(/sha256=[^,]+/, `${algorithm}=${b64(algorithm, init)}`));
      expect((await check(dir)).findings, `${algorithm} right`).toEqual([]);
      withInitRow(dir, (l) => l.replace(/sha256=[^,]+/, `${algorithm}=${b64(algorithm, "changed after RECORD")}`));
      const bad = await check(dir);
      expect(bad.findings.map((f) => `${f.code} ${f.member}: ${f.message.split(" ")[0]}`), `${algorithm} wrong`).toEqual([`DC_RECORD_HASH_MISMATCH demo_pkg/__init__.py: ${algorithm}`]);
    }
    const dir = tempDir("dc-sha-stored-");
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", {
      files: { ...BASE_FILES, "demo_pkg/empty.txt": "" },
      mutateRecord: (lines) => lines.map((l) => (l.startsWith("demo_pkg/") ? l.replace(/sha256=[^,]+/, `sha512=${b64("sha512", l.startsWith("demo_pkg/__init__") ? "x" : l.startsWith("demo_pkg/empty") ? "" : "hello\n")}`) : l)),
      mutate: (entries) => entries.map((e) => ({ ...e, method: 0 })),
    });
    expect((await check(dir)).findings.map((f) => `${f.code} ${f.member}`)).toEqual(["DC_RECORD_HASH_MISMATCH demo_pkg/__init__.py"]);
  });

  it("compares sha512 rows of thousands of members (each read in one call) and of a large member (streamed)", async () => {
    const dir = tempDir("dc-sha512-many-");
    const files: Record<string, string | Buffer> = { ...BASE_FILES, "demo_pkg/blob.bin": randomBytes(9 * 1024 * 1024) };
    for (let i = 0; i < 3000; i++) files[`demo_pkg/m${i % 30}/f${i}.py`] = `X = ${i}\n`;
    // Every package row in sha512; members ending in 7.py stored, the rest deflated; `changed` altered after RECORD.
    const write = (changed?: string, data?: Buffer | string) =>
      writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", {
        files,
        mutateRecord: (lines) =>
          lines.map((l) => {
            const path = l.slice(0, l.indexOf(","));
            return path.startsWith("demo_pkg/") ? `${path},sha512=${b64("sha512", files[path]!)},${Buffer.byteLength(files[path]!)}` : l;
          }),
        mutate: (entries) => entries.map((e) => ({ ...e, ...(e.name === changed ? { data: data! } : {}), ...(e.name.endsWith("7.py") ? { method: 0 } : {}) })),
      });
    const mismatches = async () => (await check(dir)).findings.map((f) => `${f.code} ${f.member}: ${f.message.split(" ")[0]}`);
    write();
    expect(await mismatches()).toEqual([]);
    // Same size, other bytes: only the sha512 comparison can tell.
    write("demo_pkg/m29/f2999.py", "X = 0000\n");
    expect(await mismatches()).toEqual(["DC_RECORD_HASH_MISMATCH demo_pkg/m29/f2999.py: sha512"]);
    write("demo_pkg/m7/f1717.py", "X = 0000\n");
    expect(await mismatches()).toEqual(["DC_RECORD_HASH_MISMATCH demo_pkg/m7/f1717.py: sha512"]);
    const blob = Buffer.from(files["demo_pkg/blob.bin"]!);
    blob[0]! ^= 1;
    write("demo_pkg/blob.bin", blob);
    expect(await mismatches()).toEqual(["DC_RECORD_HASH_MISMATCH demo_pkg/blob.bin: sha512"]);
  });

  it("reports a path listed twice, whichever row is the right one", async () => {
    const right = `demo_pkg/__init__.py,sha256=${b64("sha256", init)},${init.length}`;
    const wrong = `demo_pkg/__init__.py,sha256=${b64("sha256", "evil")},4`;
    for (const rows of [
      [right, wrong],
      [wrong, right],
    ]) {
      const dir = tempDir("dc-duprow-");
      withInitRow(dir, () => rows.join("\n"));
      const result = await check(dir);
      expect(result.findings.filter((f) => f.code === "DC_RECORD_INVALID").map((f) => f.message)).toEqual(['RECORD line 2 lists "demo_pkg/__init__.py" again (first on line 1)']);
      expect(result.ok).toBe(false);
    }
  });
});

describe("PyPI's upload rules", () => {
  it("refuses a wheel whose file name is not normalized, as an error (not only with --strict)", async () => {
    const dir = tempDir("dc-norm-");
    writeWheel(dir, "Demo.Pkg-1.0.0-py3-none-any.whl");
    const result = await check(dir);
    expect(result.findings.map((f) => `${f.code} ${f.severity}`)).toEqual(["DC_WHEEL_FILENAME_NOT_NORMALIZED error"]);
    expect(result.ok).toBe(false);
  });

  it("warns (does not refuse) a wheel whose only unnormalized part is the version: PyPI compares it as a Version", async () => {
    const dir = tempDir("dc-norm-version-");
    writeWheel(dir, "demo_pkg-1.0.0RC1-py3-none-any.whl", { fields: { Version: "1.0.0rc1" }, distInfo: "demo_pkg-1.0.0RC1.dist-info" });
    const result = await check(dir);
    expect(result.findings.map((f) => `${f.code} ${f.severity}`)).toEqual(["DC_WHEEL_VERSION_NOT_NORMALIZED warning"]);
    expect(result.findings[0]?.message).toContain("spells the version 1.0.0rc1 (found 1.0.0RC1)");
    expect(result.ok).toBe(true);
  });

  it("refuses a .dist-info spelled otherwise than the file name (PyPI reads WHEEL and METADATA from the name it spells)", async () => {
    const dir = tempDir("dc-spelled-");
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { distInfo: "Demo_Pkg-1.0.0.dist-info" });
    const result = await check(dir);
    expect(result.findings.map((f) => `${f.code} ${f.message}`)).toEqual([
      "DC_DIST_INFO_INVALID Demo_Pkg-1.0.0.dist-info is not spelled as the file name spells it: PyPI reads the wheel's WHEEL and METADATA from demo_pkg-1.0.0.dist-info",
    ]);
    const same = tempDir("dc-spelled-ok-");
    writeWheel(same, "demo_pkg-1.0.0-1build-py3-none-any.whl");
    expect((await check(same)).findings).toEqual([]);
  });

  it("judges Description-Content-Type as packaging does: variant is read for Markdown only, unported syntax is a warning", async () => {
    const findings = async (value: string) => {
      const dir = tempDir("dc-content-type-");
      writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { fields: { "Description-Content-Type": value } });
      const result = await check(dir);
      return { ok: result.ok, findings: result.findings.map((f) => `${f.code} ${f.severity}: ${f.message}`) };
    };
    // PyPI takes these: dist-check refused the first (variant on a type that is not Markdown) before.
    expect(await findings("text/plain; variant=GFM")).toEqual({ ok: true, findings: [] });
    expect(await findings("text/markdown; charset=utf-8; variant=CommonMark")).toEqual({ ok: true, findings: [] });
    // PyPI refuses these: dist-check passed the first two before (a name given twice, a parameter without a value).
    for (const [value, problem] of [
      ["text/markdown; charset=UTF-8; charset=UTF-8", "it is not a valid MIME type: parameter charset is given twice"],
      ["text/markdown; charset", "it is not a valid MIME type: parameter charset has no value"],
      ["text/markdown; variant=gfm", 'variant "gfm" is not GFM or CommonMark'],
    ]) {
      expect(await findings(value as string)).toEqual({ ok: false, findings: [`DC_CONTENT_TYPE_INVALID error: Description-Content-Type ${JSON.stringify(value)}: ${problem}`] });
    }
    expect(await findings("text/markdown (the readme)")).toEqual({
      ok: true,
      findings: ['DC_CONTENT_TYPE_UNCHECKED warning: Description-Content-Type "text/markdown (the readme)" holds a comment in parentheses: not checked'],
    });
  });

  it("refuses a file over the per-file size limit (100 MiB by default, or the limit given)", async () => {
    expect(DEFAULT_LIMITS.maxFileBytes).toBe(100 * 1024 * 1024);
    const dir = tempDir("dc-size-");
    const wheel = writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { files: { ...BASE_FILES, "demo_pkg/blob.bin": randomBytes(1536 * 1024) } });
    const sdist = writeSdist(dir, "demo_pkg-1.0.0.tar.gz", { mutate: (e, t) => [...e, { name: `${t}/blob.bin`, data: randomBytes(1536 * 1024) }] });
    expect((await check(dir)).findings).toEqual([]);
    const limited = await check(dir, [wheel, sdist], { limits: { maxFileBytes: 1024 * 1024 } });
    expect(limited.findings.map((f) => `${f.file}: ${f.code}`)).toEqual(["demo_pkg-1.0.0-py3-none-any.whl: DC_FILE_TOO_LARGE", "demo_pkg-1.0.0.tar.gz: DC_FILE_TOO_LARGE"]);
    expect(limited.findings[0]!.message).toMatch(/^the file is 1\.5 MiB, over the per-file upload limit of 1\.0 MiB/);
    expect(limited.findings[0]!.hint).toContain("file size limit increase");

    const cli = await runDistCheckCli([dir, "--max-file-size", "1", "--python", toolsPython()], dir);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain("demo_pkg-1.0.0-py3-none-any.whl: DC_FILE_TOO_LARGE error the file is 1.5 MiB");
    expect((await runDistCheckCli([dir, "--max-file-size", "2", "--python", toolsPython()], dir)).code).toBe(0);
    const usage = await runDistCheckCli([dir, "--max-file-size", "lots"], dir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--max-file-size");
    // A limit of 0 (or one that rounds to 0 bytes) would refuse every file: a usage error, not a finding per file.
    for (const zero of ["0", "0.0000001"]) {
      const refused = await runDistCheckCli([dir, "--max-file-size", zero], dir);
      expect(refused.code, zero).toBe(2);
      expect(refused.stderr).toContain(`--max-file-size "${zero}" is not a positive number of MiB`);
      expect(refused.stdout).not.toContain("DC_FILE_TOO_LARGE");
    }
  });
});
