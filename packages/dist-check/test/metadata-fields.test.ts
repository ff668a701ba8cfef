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
  // Python counts code points: an emoji is one character to PyPI, two UTF-16 units to JavaScript.
  ["Summary of 512 emoji", metadataText("2.4").replace("Summary: A demo", `Summary: ${"\u{1F40D}".repeat(512)}`)],
  ["Summary of 513 emoji", metadataText("2.4").replace("Summary: A demo", `Summary: ${"\u{1F40D}".repeat(513)}`)],
  // How packaging.metadata.parse_email (the standard library's email parser, policy compat32) splits the file.
  ["Name with a trailing space (values are not trimmed)", metadataText("2.4").replace("Name: demo-pkg", "Name: demo-pkg ")],
  ["Name after a no-break space (only spaces and tabs are dropped)", metadataText("2.4").replace("Name: demo-pkg", "Name:\u00a0demo-pkg")],
  ["Metadata-Version with a trailing tab", metadataText("2.4").replace("Metadata-Version: 2.4", "Metadata-Version: 2.4\t")],
  ["Version with a trailing space", metadataText("2.4").replace("Version: 1.0.0", "Version: 1.0.0 ")],
  ["Requires-Python with a trailing space", metadataText("2.4", ["Requires-Python: >=3.8 "])],
  ["a line without a colon ends the headers (the rest is the body)", metadataText("2.4", ["Home page: https://example.com"])],
  ["a space before the colon ends the headers", metadataText("2.4", ["Name : other"])],
  ["a non-ASCII field name ends the headers", metadataText("2.4", ["Näme: other"])],
  ["a header line after a line without a colon is body text", metadataText("2.4", ["no colon here", "Name: other", "X-Custom: 1"])],
  ["a first line that is a continuation is dropped", ` Name: other\n${metadataText("2.4")}`],
  ["a From line is dropped", metadataText("2.4", ["From somewhere: x", "Platform: any"])],
  ["a From line last among the headers starts the body", metadataText("2.4", ["From somewhere: x"])],
  ["a line starting with a colon is dropped, with its continuation", metadataText("2.4", [":x", " Name: other"])],
  ["a whitespace-only line continues the field before it", metadataText("2.4").replace("Name: demo-pkg", "Name: demo-pkg\n ")],
  ["a vertical tab does not end a line", metadataText("2.4").replace("Summary: A demo", "Summary: A demo\vName: other")],
  ["CR line ends", metadataText("2.4").replace(/\n/g, "\r")],
  ["CRLF line ends", metadataText("2.4").replace(/\n/g, "\r\n")],
  ["Description field and a whitespace-only body", metadataText("2.4", ["Description: also here"], "\n")],
  ["Description field twice", metadataText("2.4", ["Description: one", "Description: two"], "")],
  ["a field named constructor", metadataText("2.4", ["Constructor: x"])],
  ["a field named __proto__", metadataText("2.4", ["__proto__: x"])],
  ["Dynamic constructor", metadataText("2.4", ["Dynamic: constructor"])],
  ["Project-URL labels equal once str.strip()ped", metadataText("2.4", ["Project-URL: Source\x1c, https://example.com/s", "Project-URL: Source, https://example.com/t"])],
  ["Project-URL labels differing by a BOM", metadataText("2.4", ["Project-URL: Source\ufeff, https://example.com/s", "Project-URL: Source, https://example.com/t"])],
];

// How parse_email reads values and the description (no Keywords or Project-URL here: parse_email reshapes those).
const PARSE_REFERENCE = `
import json, sys
from packaging import metadata

def one(text):
    raw, unparsed = metadata.parse_email(text.encode("utf-8"))
    fields = {metadata._RAW_TO_EMAIL_MAPPING[k]: v if isinstance(v, list) else [v] for k, v in raw.items() if k != "description"}
    return {"fields": {**fields, **unparsed}, "description": raw.get("description")}

print(json.dumps([one(t) for t in json.load(sys.stdin)]))
`;

const PARSE_CASES: string[] = [
  "Name: demo \nSummary:  \t a summary\t\nVersion: 1.0\n",
  "Summary: folded\n  over\n\tthree lines\nName: demo\n\nbody\n",
  "Description: Title\n        =====\n        |\n        |text\nName: demo\n",
  "Name: demo\r\nVersion: 1.0\r\n\r\nline one\r\nline two\r\n",
  "Name: demo\rVersion: 1.0\r\rbody\r",
  "Name: demo\r\r\n\r\nbody",
  "Name: demo\nno colon here\nVersion: 1.0\n\nbody\n",
  "Name: demo\nHome page: https://example.com\nVersion: 1.0\n",
  " Name: other\nName: demo\n",
  "Name: demo\n:no name\n continued\nVersion: 1.0\n",
  "Name: demo\nFrom x: y\nVersion: 1.0\nFrom z\n\nbody\n",
  "Name: demo\n \nVersion: 1.0\n",
  "Summary: a\vb\fc\x1cd\x85e\u2028f\nName: demo\n",
  "Summary: =?utf-8?q?caf=C3=A9?= café\nName: demo\n",
  "Name: demo\nVersion: 1.0\n\n\n",
  "Name: demo\nVersion: 1.0\n\v\nbody",
  "Description: in the field\n\n",
  "NAME: demo\nname: again\n",
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

  it("reads fields, values and the description exactly as parse_email does", () => {
    const reference: Array<{ fields: Record<string, string[]>; description: string | null }> = JSON.parse(
      execFileSync(pythonTools().python, ["-c", PARSE_REFERENCE], { input: JSON.stringify(PARSE_CASES), encoding: "utf8" }),
    );
    const ours = PARSE_CASES.map((text) => {
      const meta = parseCoreMetadata(text);
      const fields = Object.fromEntries(meta.fields);
      const header = meta.fields.get("description");
      // parse_email: a lone Description field with no body is the description; with a body, or repeated, it is unparsed.
      const unparsed = header !== undefined && (header.length > 1 || meta.body !== "");
      if (header && !unparsed) delete fields.description;
      if (header && meta.body !== "") fields.description = [...header, meta.body];
      return { fields, description: unparsed ? null : (meta.description ?? null) };
    });
    const sortFields = (r: { fields: Record<string, string[]>; description: string | null }) => ({ ...r, fields: Object.fromEntries(Object.entries(r.fields).sort()) });
    expect(ours.map(sortFields)).toEqual(reference.map(sortFields));
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
