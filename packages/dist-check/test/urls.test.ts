import { execFileSync } from "node:child_process";
import { pythonTools } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { parseCoreMetadata } from "../src/core-metadata.js";
import type { DistCheckCode } from "../src/errors.js";
import { checkMetadata } from "../src/metadata-rules.js";

// warehouse validates Home-page, Download-URL and each Project-URL with the rfc3986 library (normalized, scheme
// required and http/https only, scheme/host/port/path/query checked for validity, no host required). The reference
// below calls the pinned rfc3986 that way. dist-check must never refuse a URL PyPI accepts (DC_URL_INVALID only
// where rfc3986 refuses), and warns (DC_URL_BROKEN) where PyPI accepts what a browser cannot open.

const REFERENCE = `
import json, sys
from rfc3986 import exceptions, uri_reference, validators

def accepted(url):
    validator = validators.Validator().allow_schemes("http", "https")
    validator.require_presence_of("scheme")
    validator.check_validity_of("scheme", "host", "port", "path", "query")
    try:
        validator.validate(uri_reference(url).normalize())
        return True
    except exceptions.ValidationError:
        return False

print(json.dumps([accepted(u) for u in json.load(sys.stdin)]))
`;

const URLS = [
  "https://example.com",
  "http://example.com/path?q=1#f",
  "HTTPS://EXAMPLE.COM/Docs",
  "https://example.com:8443/x",
  "https://user:pw@example.com/",
  "https://127.0.0.1/",
  "https://[::1]/",
  "https://bücher.de/",
  "https://example.com/ü?q=ü",
  "https://example.com/%zz",
  "https:foo",
  "https:/foo",
  "https:///foo",
  "http://",
  "https://exa mple.com",
  "https://example.com/a b",
  "https://example.com:abc/",
  "https://example.com:99999/",
  "https://[::1/",
  "https://example.com/#frag ment",
  "https://300.1.1.1/",
  "https://example.com/[x]",
  "https://example.com/a|b",
  "https://ex_ample.com/",
  "ftp://example.com",
  "javascript:alert(1)",
  "mailto:dev@example.com",
  "git+https://github.com/o/r",
  "example.com",
  "www.example.com/path",
  "//example.com",
  "/docs",
  "ht tp://example.com",
  "https//example.com",
  "C:/docs/index.html",
];

function rfc3986Accepts(urls: string[]): boolean[] {
  return JSON.parse(execFileSync(pythonTools().python, ["-c", REFERENCE], { input: JSON.stringify(urls), encoding: "utf8" }));
}

function findingsFor(url: string): DistCheckCode[] {
  const text = `Metadata-Version: 2.4\nName: demo-pkg\nVersion: 1.0.0\nSummary: A demo\nLicense-Expression: MIT\nDescription-Content-Type: text/markdown\nProject-URL: Home, ${url}\n\n# demo\n`;
  const codes: DistCheckCode[] = [];
  checkMetadata(parseCoreMetadata(text), { report: (code) => codes.push(code), filenameName: "demo-pkg", filenameVersion: "1.0.0", hasLicenseFile: () => true });
  return codes.filter((code) => code.startsWith("DC_URL_"));
}

describe("URL fields as PyPI checks them", () => {
  it("refuses exactly the URLs without an http(s) scheme, and warns where PyPI accepts what a browser cannot open", () => {
    const accepted = rfc3986Accepts(URLS);
    const verdicts = URLS.map((url, i) => ({ url, pypi: accepted[i] ? "accepts" : "refuses", ours: findingsFor(url).join(",") || "passes" }));
    // Never a refusal PyPI would not make.
    expect(verdicts.filter((v) => v.ours === "DC_URL_INVALID" && v.pypi === "accepts")).toEqual([]);
    // Every URL PyPI refuses for its scheme is refused. Refusals for a port over 65535 (warned about: a browser
    // cannot open it either) or for brackets in the path are not predicted: rfc3986's rules there are not ported.
    expect(verdicts.filter((v) => v.pypi === "refuses" && v.ours !== "DC_URL_INVALID").map((v) => `${v.url} ${v.ours}`)).toEqual([
      "https://example.com:99999/ DC_URL_BROKEN",
      "https://example.com/[x] passes",
    ]);
    expect(verdicts.filter((v) => v.ours === "DC_URL_BROKEN").map((v) => v.url)).toEqual([
      "http://",
      "https://exa mple.com",
      "https://example.com/a b",
      "https://example.com:abc/",
      "https://example.com:99999/",
      "https://[::1/",
      "https://example.com/#frag ment",
      "https://300.1.1.1/",
    ]);
  });

  it("refuses a Project-URL without a label or with one over 32 characters", () => {
    const codes = (entry: string) => {
      const found: DistCheckCode[] = [];
      const text = `Metadata-Version: 2.4\nName: demo-pkg\nVersion: 1.0.0\nSummary: A demo\nLicense-Expression: MIT\nDescription-Content-Type: text/markdown\nProject-URL: ${entry}\n\n# demo\n`;
      checkMetadata(parseCoreMetadata(text), { report: (code) => found.push(code), filenameName: "demo-pkg", filenameVersion: "1.0.0", hasLicenseFile: () => true });
      return found;
    };
    expect(codes(", https://example.com")).toEqual(["DC_URL_INVALID"]);
    expect(codes("https://example.com")).toEqual(["DC_URL_INVALID"]);
    expect(codes(`${"L".repeat(33)}, https://example.com`)).toEqual(["DC_URL_INVALID"]);
    expect(codes(`${"L".repeat(32)}, https://example.com`)).toEqual([]);
  });
});
