import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pythonTools } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import classifiers from "../src/data/classifiers.json" with { type: "json" };
import metadataFields from "../src/data/metadata-fields.json" with { type: "json" };
import stdlibNames from "../src/data/stdlib-names.json" with { type: "json" };
import { CLI_SPEC, checkLicenseExpression, classifyClassifier, ERROR_CODES } from "../src/index.js";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

describe("error catalog and shipped data", () => {
  it("lists every DC_ code used in src/, and each listed code is used", () => {
    const used = new Set<string>();
    for (const file of readdirSync(SRC).filter((f) => f.endsWith(".ts") && f !== "errors.ts")) {
      for (const m of readFileSync(join(SRC, file), "utf8").matchAll(/"(DC_[A-Z0-9_]+)"/g)) used.add(m[1]!);
    }
    const errorsFile = readFileSync(join(SRC, "errors.ts"), "utf8");
    for (const m of errorsFile.matchAll(/super\("(DC_[A-Z0-9_]+)"/g)) used.add(m[1]!);
    const catalog = Object.keys(ERROR_CODES);
    expect([...used].filter((c) => !catalog.includes(c))).toEqual([]);
    expect(catalog.filter((c) => c.startsWith("DC_") && !used.has(c))).toEqual([]);
    // index-client's codes, raised by the calls dist-check makes to it: listing the project (--target,
    // --index-url) and downloading a file while keeping it (--use-published).
    expect(catalog.filter((c) => !c.startsWith("DC_"))).toEqual(["IDX_UNREACHABLE", "IDX_UNAUTHORIZED", "IDX_SAVE_FAILED"]);
    for (const info of Object.values(ERROR_CODES)) expect(info.summary.length * info.fix.length).toBeGreaterThan(0);
  });

  it("ships the classifiers of the pinned trove-classifiers release (scripts/refresh-data.mjs)", () => {
    const script = "import json, importlib.metadata as m, trove_classifiers as t; print(json.dumps([m.version('trove-classifiers'), len(t.classifiers), len(t.deprecated_classifiers)]))";
    const [version, count, deprecated] = JSON.parse(execFileSync(pythonTools().python, ["-c", script], { encoding: "utf8" }));
    expect(classifiers.version).toBe(version);
    expect(classifiers.classifiers.length).toBe(count);
    expect(Object.keys(classifiers.deprecated_classifiers).length).toBe(deprecated);
    expect(classifyClassifier("Programming Language :: Python :: 3")).toEqual({ ok: true });
    expect(classifyClassifier("Private :: Do Not Upload")).toEqual({ ok: false, reason: "unknown" });
  });

  it("ships warehouse's standard library names from the pinned stdlib-list release (scripts/refresh-data.mjs)", () => {
    // warehouse's STDLIB_PROHIBITED, computed here as warehouse/packaging/services.py does.
    const script = [
      "import json, importlib.metadata as m, stdlib_list",
      "from packaging.utils import canonicalize_name",
      "names = {canonicalize_name(p.rstrip('-_.').lstrip('-_.')) for v in stdlib_list.short_versions for mod in stdlib_list.stdlib_list(v) for p in ('.'.join(mod.split('.')[: i + 1]) for i in range(mod.count('.') + 1))}",
      "print(json.dumps([m.version('stdlib-list'), sorted(names)]))",
    ].join("\n");
    const [version, names] = JSON.parse(execFileSync(pythonTools().python, ["-c", script], { encoding: "utf8", maxBuffer: 1 << 24 }));
    expect(stdlibNames.source).toMatch(new RegExp(`^stdlib-list ${version.replace(/\./g, "\\.")} `));
    expect(stdlibNames.names).toEqual(names);
    expect(stdlibNames.names).toEqual(expect.arrayContaining(["asyncio", "os-path", "tomllib", "distutils", "email-mime-text"]));
  });

  it("ships the core metadata fields of the pinned packaging release, as PyPI parses METADATA (scripts/refresh-data.mjs)", () => {
    const script = [
      "import json, importlib.metadata as m, packaging.metadata as pm",
      "kind = lambda raw: 'single' if raw in pm._STRING_FIELDS else 'multiple' if raw in pm._LIST_FIELDS else raw.replace('_', '-')",
      "print(json.dumps([m.version('packaging'), list(pm._VALID_METADATA_VERSIONS), {e: {'kind': kind(r), 'added': pm.Metadata.__dict__[r].added} for e, r in pm._EMAIL_TO_RAW_MAPPING.items()}]))",
    ].join("\n");
    const [version, versions, fields] = JSON.parse(execFileSync(pythonTools().python, ["-c", script], { encoding: "utf8" }));
    expect(metadataFields.source).toBe(`packaging ${version} (packaging.metadata)`);
    expect(metadataFields.versions).toEqual(versions);
    expect(metadataFields.fields).toEqual(fields);
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(["requires-dist", "license-expression", "import-name"]));
  });

  it("validates SPDX license expressions", () => {
    expect(checkLicenseExpression("MIT")).toBeUndefined();
    expect(checkLicenseExpression("(Apache-2.0 OR MIT) AND LicenseRef-Custom")).toBeUndefined();
    expect(checkLicenseExpression("GPL-2.0-or-later WITH Classpath-exception-2.0")).toBeUndefined();
    expect(checkLicenseExpression("MIT OR")).toBe("the expression ends early");
    expect(checkLicenseExpression("(MIT")).toBe("a parenthesis is not closed");
    expect(checkLicenseExpression("MIT WITH Nope")).toBe('"Nope" is not an SPDX license exception');
    expect(checkLicenseExpression("MIT MIT")).toBe('unexpected "MIT"');
  });

  it("names every source file in the README's map of src/, so a newcomer finds each one", () => {
    const readme = readFileSync(join(SRC, "../README.md"), "utf8");
    expect(readdirSync(SRC).filter((f) => f.endsWith(".ts") && !readme.includes(`\`${f}\``))).toEqual([]);
  });

  it("exports the CLI definition the docs generate from", () => {
    expect(CLI_SPEC.name).toBe("dist-check");
    expect(CLI_SPEC.version).toBe(JSON.parse(readFileSync(join(SRC, "../package.json"), "utf8")).version);
    expect(Object.keys(CLI_SPEC.commands[0]!.options ?? {})).toEqual(["target", "index-url", "use-published", "manifest", "strict", "python", "max-file-size", "max-project-size"]);
  });
});
