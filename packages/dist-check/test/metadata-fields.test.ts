import { execFileSync } from "node:child_process";
import { pythonTools } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { parseCoreMetadata } from "../src/core-metadata.js";
import { type DistCheckCode, ERROR_CODES } from "../src/errors.js";
import { checkMetadata } from "../src/metadata-rules.js";

// METADATA as PyPI parses it. The reference is packaging run the way twine does before every upload (parse_email:
// anything unparsed refuses the file; License-File dropped below 2.4; Metadata.from_raw validates), plus warehouse's
// own rules on top (Summary at most 512 characters; Provides-Dist and Obsoletes-Dist parsed as requirements).

const REFERENCE = `
import json, sys
from packaging import metadata, version
from packaging.requirements import Requirement

def refused(text):
    meta, unparsed = metadata.parse_email(text)
    if unparsed:
        return True
    if version.Version(meta.get("metadata_version", "0")) < version.Version("2.4"):
        meta.pop("license_files", None)
    try:
        m = metadata.Metadata.from_raw(meta)
    except Exception:
        return True
    if m.summary is not None and len(m.summary) > 512:
        return True
    for field in ("provides_dist", "obsoletes_dist"):
        for req in getattr(m, field) or []:
            try:
                Requirement(req)
            except Exception:
                return True
    return False

print(json.dumps([refused(t) for t in json.load(sys.stdin)]))
`;

/** A valid METADATA of `version` (fields it would not allow left out), with `headers` added and an optional body. */
function metadataText(version: string, headers: string[] = [], body = "# demo\n"): string {
  const atLeast = (v: string) => Number(version) >= Number(v);
  const lines = [`Metadata-Version: ${version}`, "Name: demo-pkg", "Version: 1.0.0", "Summary: A demo"];
  lines.push(atLeast("2.4") ? "License-Expression: MIT" : "License: MIT");
  if (atLeast("2.1")) lines.push("Description-Content-Type: text/markdown");
  return `${[...lines, ...headers].join("\n")}\n\n${body}`;
}

const CASES: Array<[string, string]> = [
  ["valid 2.4", metadataText("2.4")],
  ["valid 1.0", metadataText("1.0")],
  ["valid 2.5 with import names", metadataText("2.5", ["Import-Name: demo.core", "Import-Name: demo_priv; private", "Import-Namespace: demo"])],
  ["empty Import-Name (no import names)", metadataText("2.5", ["Import-Name: "])],
  ["Import-Name keyword", metadataText("2.5", ["Import-Name: demo.class"])],
  ["Import-Name not an identifier", metadataText("2.5", ["Import-Name: 1demo"])],
  ["Import-Name bad option", metadataText("2.5", ["Import-Name: demo; public"])],
  ["Import-Name in 2.4", metadataText("2.4", ["Import-Name: demo"])],
  ["unknown field", metadataText("2.4", ["X-Custom: 1"])],
  ["misspelled field", metadataText("2.4", ["Homepage: https://example.com"])],
  ["field name case", metadataText("2.4", ["HOME-PAGE: https://example.com"])],
  ["Summary twice", metadataText("2.4", ["Summary: again"])],
  ["Name twice", metadataText("2.4", ["Name: demo-pkg"])],
  ["Requires-Python twice", metadataText("2.4", ["Requires-Python: >=3.8", "Requires-Python: >=3.9"])],
  ["Keywords twice", metadataText("2.4", ["Keywords: a,b", "Keywords: c"])],
  ["Classifier twice", metadataText("2.4", ["Classifier: Programming Language :: Python :: 3", "Classifier: Operating System :: OS Independent"])],
  ["Project-URL labels distinct", metadataText("2.4", ["Project-URL: Source, https://example.com/s", "Project-URL: Docs, https://example.com/d"])],
  ["Project-URL label twice", metadataText("2.4", ["Project-URL: Source, https://example.com/s", "Project-URL: Source, https://example.com/t"])],
  ["Description field and body", metadataText("2.4", ["Description: also here"])],
  ["Description field only", metadataText("2.4", ["Description: only here"], "")],
  ["Dynamic valid", metadataText("2.4", ["Dynamic: Requires-Dist", "Dynamic: license-file"])],
  ["Dynamic not a field", metadataText("2.4", ["Dynamic: Colour"])],
  ["Dynamic in 2.1", metadataText("2.1", ["Dynamic: Requires-Dist"])],
  ["License-Expression in 2.3", `${metadataText("2.3")}`.replace("License: MIT", "License-Expression: MIT")],
  ["License-File in 2.1 (dropped, as twine does)", metadataText("2.1", ["License-File: LICENSE"])],
  ["License-File valid", metadataText("2.4", ["License-File: LICENSE", "License-File: LICENSES/MIT.txt"])],
  ["License-File parent", metadataText("2.4", ["License-File: ../LICENSE"])],
  ["License-File backslash", metadataText("2.4", ["License-File: LICENSES\\MIT.txt"])],
  ["License-File absolute", metadataText("2.4", ["License-File: /LICENSE"])],
  ["License-File drive", metadataText("2.4", ["License-File: C:/LICENSE"])],
  ["License-File double slash", metadataText("2.4", ["License-File: LICENSES//MIT.txt"])],
  ["License-File dot part", metadataText("2.4", ["License-File: ./LICENSE"])],
  ["License-File glob", metadataText("2.4", ["License-File: LICEN*"])],
  ["Description-Content-Type in 1.2", `${metadataText("1.2")}`.replace("License: MIT", "License: MIT\nDescription-Content-Type: text/plain")],
  ["Maintainer in 1.1", metadataText("1.1", ["Maintainer: Someone"])],
  ["Classifier in 1.0", metadataText("1.0", ["Classifier: Programming Language :: Python :: 3"])],
  ["Supported-Platform in 1.0", metadataText("1.0", ["Supported-Platform: linux"])],
  ["Provides-Extra valid", metadataText("2.4", ["Provides-Extra: test", "Provides-Extra: Docs.Extra"])],
  ["Provides-Extra invalid", metadataText("2.4", ["Provides-Extra: te st"])],
  ["Provides-Extra dash start", metadataText("2.4", ["Provides-Extra: -x"])],
  ["Requires-Dist valid", metadataText("2.4", ["Requires-Dist: requests>=2; python_version >= '3.8'", "Requires-Dist: rich[jupyter]; extra == 'test'"])],
  ["Requires-Dist invalid", metadataText("2.4", ["Requires-Dist: requests>=2.*"])],
  ["Requires-Dist bad marker", metadataText("2.4", ["Requires-Dist: requests; python_version =! '3'"])],
  ["Provides-Dist invalid", metadataText("2.4", ["Provides-Dist: demo pkg"])],
  ["Obsoletes-Dist invalid", metadataText("2.4", ["Obsoletes-Dist: old (<1.0"])],
  ["Provides-Dist valid", metadataText("2.4", ["Provides-Dist: demo-virtual (1.0)"])],
  ["Requires-Python valid", metadataText("2.4", ["Requires-Python: >=3.8, <4"])],
  ["Requires-Python invalid", metadataText("2.4", ["Requires-Python: 3.8"])],
  ["Summary folded over two lines", metadataText("2.4").replace("Summary: A demo", "Summary: A demo\n  on two lines")],
  ["Summary 512 characters", metadataText("2.4").replace("Summary: A demo", `Summary: ${"x".repeat(512)}`)],
  ["Summary 513 characters", metadataText("2.4").replace("Summary: A demo", `Summary: ${"x".repeat(513)}`)],
];

const NEW_CODES = new Set<DistCheckCode>(["DC_METADATA_FIELD_UNKNOWN", "DC_METADATA_FIELD_REPEATED", "DC_METADATA_FIELD_TOO_NEW", "DC_METADATA_VALUE_INVALID"]);

/** Runs dist-check's metadata rules on `text` (a wheel of demo-pkg 1.0.0 holding every license file). */
function check(text: string, report: (code: DistCheckCode, message: string) => void): void {
  checkMetadata(parseCoreMetadata(text), { report, filenameName: "demo-pkg", filenameVersion: "1.0.0", hasLicenseFile: () => true });
}

function errorsOf(text: string): DistCheckCode[] {
  const codes: DistCheckCode[] = [];
  check(text, (code) => void (ERROR_CODES[code].severity === "error" && codes.push(code)));
  return codes;
}

describe("core metadata fields, as PyPI's parser reads them", () => {
  it("refuses exactly the METADATA packaging (with twine's and warehouse's rules) refuses", () => {
    const refused: boolean[] = JSON.parse(execFileSync(pythonTools().python, ["-c", REFERENCE], { input: JSON.stringify(CASES.map(([, t]) => t)), encoding: "utf8" }));
    const differ = CASES.map(([label, text], i) => ({ label, packaging: refused[i], ours: errorsOf(text) })).filter((c) => c.packaging !== c.ours.length > 0);
    expect(differ).toEqual([]);
    expect(refused.filter(Boolean).length).toBeGreaterThan(30);
    expect(refused.filter((r) => !r).length).toBeGreaterThan(12);
  });

  it("names the rule: unknown, repeated, too new for the declared version, or an invalid value", () => {
    const only = (label: string) => errorsOf(CASES.find(([l]) => l === label)![1]).filter((c) => NEW_CODES.has(c));
    expect(only("misspelled field")).toEqual(["DC_METADATA_FIELD_UNKNOWN"]);
    expect(only("Project-URL label twice")).toEqual(["DC_METADATA_FIELD_REPEATED"]);
    expect(only("Description field and body")).toEqual(["DC_METADATA_FIELD_REPEATED"]);
    expect(only("License-Expression in 2.3")).toEqual(["DC_METADATA_FIELD_TOO_NEW"]);
    expect(only("Requires-Python invalid")).toEqual(["DC_METADATA_VALUE_INVALID"]);
    const messages: string[] = [];
    check(metadataText("2.4", ["Requires-Dist: requests>=2.*"]), (_code, message) => void messages.push(message));
    expect(messages).toEqual(['Requires-Dist "requests>=2.*" is not a valid dependency specifier: .* suffix can only be used with `==` or `!=` operators (at position 11)']);
  });
});
