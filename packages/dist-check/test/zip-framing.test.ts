import { execFileSync } from "node:child_process";
import { tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { checkDistributions } from "../src/index.js";
import { BASE_FILES, type WheelOptions, writeWheel } from "./support/generate.js";
import { toolsPython } from "./support/run.js";
import type { ZipInput } from "./support/zip-writer.js";

// PyPI's sequential reading of a zip ("ZIP archive not accepted: ..."): one wheel per reason, built with the test
// zip writer, each otherwise valid. zipfile (so pip) opens all but one of them: only PyPI's reading refuses them.

const WHL = "demo_pkg-1.0.0-py3-none-any.whl";

async function framing(options: WheelOptions): Promise<{ messages: string[]; zipfileOpens: boolean }> {
  const dir = tempDir("dc-framing-");
  const path = writeWheel(dir, WHL, options);
  const result = await checkDistributions({ paths: [dir], cwd: dir, env: process.env, python: toolsPython() });
  const script = "import sys, zipfile\ntry:\n    zipfile.ZipFile(sys.argv[1]).testzip()\n    print('ok')\nexcept zipfile.BadZipFile:\n    print('bad')";
  const opens = execFileSync(toolsPython(), ["-c", script, path], { encoding: "utf8" }).trim() === "ok";
  return { messages: result.findings.filter((f) => f.code === "DC_ZIP_FRAMING").map((f) => `${f.member ?? "."}: ${f.message}`), zipfileOpens: opens };
}

/** The wheel with `change` applied to the member demo_pkg/__init__.py. */
const onInit = (change: Partial<ZipInput>): WheelOptions => ({ mutate: (entries) => entries.map((e) => (e.name === "demo_pkg/__init__.py" ? { ...e, ...change } : e)) });

/** An extra field: id, then data. */
const extra = (id: number, data: Buffer) => {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(data.length, 2);
  return Buffer.concat([head, data]);
};
const unicodePath = (name: Buffer) => extra(0x7075, Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), name]));

const PREFIX = "PyPI refuses the archive's framing: ";

describe("zip framing PyPI refuses", () => {
  // [what, wheel, the one finding expected (or several), whether zipfile opens the file]
  const cases: Array<[string, WheelOptions, string | string[], boolean?]> = [
    ["a data descriptor", onInit({ descriptor: true }), "demo_pkg/__init__.py: a data descriptor"],
    ["a comment on an entry", onInit({ comment: "made by hand" }), "demo_pkg/__init__.py: a comment on a central directory entry"],
    ["a stub before the first member", { zip: { leading: Buffer.from("#!/bin/sh\n") } }, ".: 10 bytes at offset 0 that are no zip record, before the member"],
    ["bytes between members", onInit({ paddingAfter: 7 }), ".: 7 bytes at offset"],
    ["bytes before the central directory", { zip: { beforeCentral: Buffer.alloc(5) } }, ".: 5 bytes at offset"],
    ["a local size that disagrees", onInit({ localCompressedSize: 3 }), "demo_pkg/__init__.py: a local header giving 3 compressed bytes where the central directory gives"],
    ["a local uncompressed size that disagrees", onInit({ localSize: 99 }), "demo_pkg/__init__.py: a local header giving a size of 99 bytes where the central directory gives 22"],
    ["a malformed ZIP64 extra", onInit({ localExtra: extra(0x0001, Buffer.alloc(4)) }), "demo_pkg/__init__.py: a malformed ZIP64 extra field"],
    ["a ZIP64 extra with one size on deflated data", onInit({ localExtra: extra(0x0001, Buffer.alloc(8)) }), "demo_pkg/__init__.py: a malformed ZIP64 extra field"],
    ["a truncated extra", onInit({ localExtra: Buffer.from([0x01, 0x00, 0x10]) }), "demo_pkg/__init__.py: a malformed extra field"],
    ["an extra twice", onInit({ localExtra: Buffer.concat([unicodePath(Buffer.from("demo_pkg/__init__.py")), unicodePath(Buffer.from("demo_pkg/__init__.py"))]) }), "demo_pkg/__init__.py: extra field 0x7075 twice"],
    ["a Unicode Path that is not UTF-8", onInit({ localExtra: unicodePath(Buffer.from([0x64, 0xff, 0x2e])) }), "demo_pkg/__init__.py: a Unicode Path extra field that is not UTF-8"],
    ["a control character in a Unicode Path", onInit({ localExtra: unicodePath(Buffer.from("demo\u0007.py")) }), "demo_pkg/__init__.py: a control character in the member's Unicode Path"],
    ["end records whose counts differ", { zip: { entriesOnDisk: 1 } }, ".: an end record whose two counts of central directory entries differ"],
    // The uncounted entry's member is then also bytes no counted entry accounts for.
    ["more entries than the end record counts", { zip: { uncountedEntries: 1 } }, [".: a central directory holding more than the 5 entries", "bytes at offset"]],
    // zipfile itself cannot find the central directory behind extensible data.
    ["a ZIP64 end record with extensible data", { zip: { zip64: { extensible: true } } }, ".: a ZIP64 end record with extensible data", false],
    ["bytes between the ZIP64 end record and its locator", { zip: { zip64: { beforeLocator: Buffer.alloc(6) } } }, ".: bytes between the ZIP64 end record and its locator", false],
  ];
  for (const [what, options, expected, opens = true] of cases) {
    it(`refuses ${what}`, async () => {
      const { messages, zipfileOpens } = await framing(options);
      expect(messages.map((m) => m.replace(PREFIX, ""))).toEqual([expected].flat().map((e) => expect.stringContaining(e)));
      expect(zipfileOpens).toBe(opens);
    });
  }

  it("refuses a control character in a name, in both headers", async () => {
    const { messages } = await framing({ files: { ...BASE_FILES, "demo_pkg/bell\u0007.txt": "x\n" } });
    expect(messages).toEqual([
      `demo_pkg/bell\u0007.txt: ${PREFIX}a control character in a member's name in the central directory`,
      `demo_pkg/bell\u0007.txt: ${PREFIX}a control character in the member's name`,
    ]);
  });

  it("refuses a non-ASCII name without the UTF-8 flag, and takes it with the flag", async () => {
    const files = { ...BASE_FILES, "demo_pkg/café.txt": "x\n" };
    const flagged = await framing({ files });
    expect(flagged.messages).toEqual([]);
    const unflagged = await framing({ files, mutate: (entries) => entries.map((e) => (e.name === "demo_pkg/café.txt" ? { ...e, noUtf8Flag: true } : e)) });
    expect(unflagged.messages).toEqual([expect.stringContaining("a non-ASCII member name without the UTF-8 flag")]);
  });

  it("takes a plain zip, a ZIP64 one, and members with well-formed extras", async () => {
    expect((await framing({})).messages).toEqual([]);
    expect((await framing({ zip: { zip64: {} } })).messages).toEqual([]);
    expect((await framing(onInit({ localExtra: Buffer.concat([extra(0x5455, Buffer.from([3, 1, 2, 3, 4])), unicodePath(Buffer.from("demo_pkg/__init__.py"))]) }))).messages).toEqual([]);
  });
});
