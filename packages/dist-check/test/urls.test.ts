import { describe, expect, it } from "vitest";
import { parseCoreMetadata } from "../src/core-metadata.js";
import type { DistCheckCode } from "../src/errors.js";
import { checkMetadata } from "../src/metadata-rules.js";
import { uriProblem } from "../src/uri.js";
import { warehouseAcceptsUrls } from "./support/warehouse-checks.js";

// warehouse validates Home-page, Download-URL and each Project-URL with the rfc3986 library (normalized, scheme
// required and http/https only, scheme/host/port/path/query checked for validity, no host required). The reference
// (test/support/warehouse_checks.py) calls the pinned rfc3986 that way: dist-check refuses exactly what it refuses (DC_URL_INVALID), and warns
// (DC_URL_BROKEN) where PyPI accepts what a browser cannot open.

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

/** Inputs a differential fuzz found the port getting wrong (test/fuzz-urls-emails.test.ts), with the port's verdict now. */
const REGRESSIONS: Array<[string, string]> = [
  // The path is checked once "." and ".." segments are removed: a "[" they remove is not refused.
  ["https://example.com/[x]/..", "passes"],
  ["https://example.com/a/[/../b", "passes"],
  ["http:x/x/[/..", "passes"],
  ["https://example.com/[x]/.", 'has "[" or "]" in its path'],
  ["https://example.com/[/%2E%2E", 'has "[" or "]" in its path'],
  // An IP literal rfc3986 reads has its port checked; one it cannot read is dropped like any other authority.
  ["https://[::1]:99999/", "has port 99999, over 65535"],
  ["https://[::1]:65535/", "passes"],
  ["https://user@[fe80::1%eth0]:65536/", "has port 65536, over 65535"],
  ["https://[::%25]:65536", "has port 65536, over 65535"],
  ["https://[v1.x]:99999/", "has port 99999, over 65535"],
  ["https://[::1%]:99999/", "passes"],
  ["https://[1.2.3.4]:99999/", "passes"],
  ["https://[::1]x:99999/", "passes"],
  // Python's "$" also matches before a final newline, so an authority ending in one is still read.
  ["https://example.com:65536\n", "has port 65536, over 65535"],
  ["http://user@:99999\n/..", "has port 99999, over 65535"],
  ["https://example.com:65536\n\n", "passes"],
];

function findingsFor(url: string): DistCheckCode[] {
  const text = `Metadata-Version: 2.4\nName: demo-pkg\nVersion: 1.0.0\nSummary: A demo\nLicense-Expression: MIT\nDescription-Content-Type: text/markdown\nProject-URL: Home, ${url}\n\n# demo\n`;
  const codes: DistCheckCode[] = [];
  checkMetadata(parseCoreMetadata(text), { report: (code) => codes.push(code), filenameName: "demo-pkg", filenameVersion: "1.0.0", hasLicenseFile: () => true });
  return codes.filter((code) => code.startsWith("DC_URL_"));
}

/** Schemes, authorities, paths and queries combined: every shape of each part rfc3986 treats differently. */
function generated(): string[] {
  const schemes = ["https://", "HTTP://", "ftp://", "", "https:"];
  const authorities = ["example.com", "Example.COM:8443", "example.com:65535", "example.com:65536", "example.com:99999", "example.com:123456", "example.com:", "example.com:abc",
    "user:pw@example.com:99999", "us er@example.com:99999", "127.0.0.1:99999", "300.1.1.1:99999", "300.1.1.1", "exa mple.com", "exa mple.com:99999", "ex%41mple.com:70000",
    "ex%zzample.com:70000", "", "@example.com:70000", "a:b:c", "example.com:99999\\x", "[::1]:99999", "[fe80::1%eth0]:65536", "[v1.x]:70000"];
  const paths = ["", "/", "/docs/", "/a b", "/ü", "/%zz", "/%41", "/[x]", "/a]", "//x", "/a:b@c", "/[x]/..", "/[x]/."];
  const queries = ["", "?q=1", "?q=[1]", "?q=a b", "?q=%zz#frag[x]", "#[fragment]"];
  const urls: string[] = [];
  for (const scheme of schemes) for (const authority of authorities) for (const path of paths) for (const query of queries) urls.push(`${scheme}${authority}${path}${query}`);
  return urls;
}

describe("URL fields as PyPI checks them", () => {
  it("refuses exactly what rfc3986 refuses, as warehouse calls it", () => {
    const urls = [...URLS, ...REGRESSIONS.map(([url]) => url), ...generated()];
    const accepted = warehouseAcceptsUrls(urls);
    const differing = urls.filter((url, i) => (uriProblem(url) === undefined) !== accepted[i]);
    expect(differing).toEqual([]);
    expect(accepted.filter((a) => !a).length).toBeGreaterThan(urls.length / 4);
  });

  it("judges IP literals, dot segments and a newline before the end as rfc3986 does (cases the fuzz found)", () => {
    const verdicts = REGRESSIONS.map(([url]) => uriProblem(url) ?? "passes");
    expect(verdicts).toEqual(REGRESSIONS.map(([, verdict]) => verdict));
    expect(warehouseAcceptsUrls(REGRESSIONS.map(([url]) => url))).toEqual(REGRESSIONS.map(([, verdict]) => verdict === "passes"));
  });

  it("warns where PyPI accepts what a browser cannot open, and says why it refuses", () => {
    const verdicts = URLS.map((url) => ({ url, ours: findingsFor(url).join(",") || "passes" }));
    expect(verdicts.filter((v) => v.ours === "DC_URL_BROKEN").map((v) => v.url)).toEqual([
      "http://",
      "https://exa mple.com",
      "https://example.com/a b",
      "https://example.com:abc/",
      "https://[::1/",
      "https://example.com/#frag ment",
      "https://300.1.1.1/",
    ]);
    expect(uriProblem("https://example.com:99999/")).toBe("has port 99999, over 65535");
    expect(uriProblem("https://example.com/[x]")).toBe('has "[" or "]" in its path');
    expect(uriProblem("https://example.com/?q=[x]")).toBe('has "[" or "]" in its query');
    expect(uriProblem("javascript:alert(1)")).toBe("is not an http(s) URL");
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
    // warehouse counts code points (an emoji is one), and packaging strips with str.strip (\x1c is whitespace to it).
    expect(codes(`${"\u{1F40D}".repeat(32)}, https://example.com`)).toEqual([]);
    expect(codes(`${"\u{1F40D}".repeat(33)}, https://example.com`)).toEqual(["DC_URL_INVALID"]);
    expect(codes("\x1c, https://example.com")).toEqual(["DC_URL_INVALID"]);
    expect(codes(`${"L".repeat(32)}\x1c, https://example.com\x1c`)).toEqual([]);
  });
});
