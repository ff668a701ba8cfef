import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { readManifest, sha256File, verifyAgainstManifest, type Manifest } from "../src/index.js";

async function distWithManifest() {
  const dir = tempDir();
  writeFileSync(join(dir, "demo-1.0.tar.gz"), "sdist bytes");
  writeFileSync(join(dir, "demo-1.0-py3-none-any.whl"), "wheel bytes");
  const manifest: Manifest = {
    name: "demo",
    version: "1.0",
    files: [
      { filename: "demo-1.0-py3-none-any.whl", kind: "wheel", size: 11, sha256: await sha256File(join(dir, "demo-1.0-py3-none-any.whl")) },
      { filename: "demo-1.0.tar.gz", kind: "sdist", size: 11, sha256: await sha256File(join(dir, "demo-1.0.tar.gz")) },
    ],
  };
  const path = join(tempDir(), "manifest.json");
  writeFileSync(path, JSON.stringify(manifest));
  return { dir, manifest, path };
}

describe("manifest", () => {
  it("reads a manifest and verifies the directory against it", async () => {
    const { dir, path } = await distWithManifest();
    const manifest = await readManifest(path);
    expect(await verifyAgainstManifest(dir, manifest)).toEqual([
      join(dir, "demo-1.0-py3-none-any.whl"),
      join(dir, "demo-1.0.tar.gz"),
    ]);
  });

  it("refuses changed, missing and extra files, naming each", async () => {
    const { dir, manifest } = await distWithManifest();
    writeFileSync(join(dir, "demo-1.0.tar.gz"), "sdist bytez");
    writeFileSync(join(dir, "demo-1.1.tar.gz"), "other");
    const missing = { ...manifest, files: [...manifest.files, { ...manifest.files[0]!, filename: "demo-1.0-py2-none-any.whl" }] };
    const error = await verifyAgainstManifest(dir, missing).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "MANIFEST_MISMATCH", exitCode: 1 });
    expect((error as Error).message).toContain("demo-1.0.tar.gz: bytes differ from the manifest");
    expect((error as Error).message).toContain("demo-1.1.tar.gz: not in the manifest");
    expect((error as Error).message).toContain("demo-1.0-py2-none-any.whl: missing");
  });

  it.each([
    ["not json", "{"],
    ["no files", JSON.stringify({ name: "x", version: "1", files: [] })],
    ["bad hash", JSON.stringify({ name: "x", version: "1", files: [{ filename: "a.whl", kind: "wheel", size: 1, sha256: "xyz" }] })],
  ])("refuses a manifest that is %s", async (_label, text) => {
    const path = join(tempDir(), "m.json");
    writeFileSync(path, text);
    await expect(readManifest(path)).rejects.toMatchObject({ code: "MANIFEST_INVALID", exitCode: 2 });
  });
});
