import { execFileSync } from "node:child_process";
import { mulberry32, pythonTools } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { parseCoreMetadata } from "../src/core-metadata.js";
import table from "../src/data/metadata-fields.json" with { type: "json" };
import type { DistCheckCode } from "../src/errors.js";
import { checkFieldsAsParsed } from "../src/metadata-fields.js";

// A seeded random differential test of how dist-check reads METADATA / PKG-INFO against what PyPI (warehouse) and
// twine read: packaging.metadata.parse_email on the file's bytes. Documents are built from field lines (known and
// unknown names in random case, odd names), folded lines, lines without a colon, "From " lines, every kind of line
// end and whitespace, with and without a body, then mutated a character at a time. For each, parseCoreMetadata's
// fields and body are mapped the way parse_email classifies them (a single-use field given once -> raw, Keywords split
// at commas, Project-URL into label/url pairs, anything unknown or repeated -> unparsed, the body and a Description
// field combined) and compared with parse_email's raw dict and unparsed; checkFieldsAsParsed must report an unknown or
// repeated field exactly when parse_email leaves something unparsed, and CoreMetadata.description must be raw's.

const SEED = 0x5eed_3e7a;
const CASES = 12000;

const REFERENCE = `
import json, sys
from packaging import metadata

def one(text):
    raw, unparsed = metadata.parse_email(text.encode("utf-8"))
    out = {}
    for key, value in raw.items():
        out[metadata._RAW_TO_EMAIL_MAPPING[key]] = [list(p) for p in value.items()] if key == "project_urls" else value
    return {"raw": out, "unparsed": unparsed}

print(json.dumps([one(t) for t in json.load(sys.stdin)]))
`;

interface Parsed {
  raw: Record<string, unknown>;
  unparsed: Record<string, unknown[]>;
}

const KNOWN = Object.keys(table.fields).map((name) => name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase()));
const UNKNOWN = ["X-Custom", "Homepage", "constructor", "__proto__", "toString", "hasOwnProperty", "Content-Type", "MIME-Version", "From", "Description_Content_Type", "N!me", "~", "A.b"];
const ODD_NAMES = ["Home page", "Näme", "Name ", " Name", "\tName", "", "Na\u00a0me", "Name\x0b", "From x", "Fromage", "Na:me", "\ufeffName"];
const WORDS = ["demo", "demo-pkg", "1.0.0", "2.4", "MIT", "text/markdown", "https://example.com", "Source, https://example.com/s", "Source , https://example.com/t", "a, b ,c"];
const MORE_WORDS = ["requests>=2", "Programming Language :: Python :: 3", "=?utf-8?q?caf=C3=A9?=", "=?iso-8859-1?b?Y2Fm6Q==?=", "café", "名前", "x:y", "a,b", "UNKNOWN", ":", ",", "|", "        |", ""];
const SPACES = [" ", "  ", "\t", " \t", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0", "\u2028", "\u2029", "\ufeff", "\x00", "\x7f", "\u3000"];
const ENDS = ["\n", "\n", "\n", "\r\n", "\r\n", "\r", "\n\r", "\r\r\n"];
const ODD_ENDS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"];
const ALPHABET = [..." \t\r\n:,;|-_.=?@Fromz0", "\x00", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x7f", "\x85", "\xa0", "\u2028", "\u2029", "\ufeff", "ı", "\u212a", "٣", "²", "ﬁ", "é", "e\u0301"];

/** One random METADATA-like document. */
function generate(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;
  const randomCase = (s: string) => (chance(0.6) ? s : [...s].map((c) => (chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join(""));
  const value = (): string => {
    let v = "";
    const n = Math.floor(rand() * 4);
    for (let i = 0; i < n; i++) v += (i ? pick([" ", " ", ",", ", ", pick(SPACES)]) : "") + pick(chance(0.5) ? WORDS : MORE_WORDS);
    if (chance(0.2)) v = pick(SPACES) + v;
    if (chance(0.2)) v += pick(SPACES);
    return v;
  };
  const fixedEnd = chance(0.5) ? pick(ENDS) : undefined;
  const eol = () => (fixedEnd !== undefined && chance(0.9) ? fixedEnd : (chance(0.05) ? pick(ODD_ENDS) : "") + (chance(0.1) ? pick(ENDS) : "\n"));
  let doc = "";
  if (chance(0.05)) doc += `${pick([" ", "\t"])}${value()}${eol()}`;
  if (chance(0.05)) doc += `From ${value()}${eol()}`;
  const count = Math.floor(rand() * 10);
  for (let i = 0; i < count; i++) {
    const r = rand();
    const name = r < 0.7 ? randomCase(pick(KNOWN)) : r < 0.88 ? randomCase(pick(UNKNOWN)) : pick(ODD_NAMES);
    doc += `${name}${pick([": ", ": ", ":", ":  ", ":\t", ": \t"])}${value()}${eol()}`;
    while (chance(0.15)) {
      const k = rand();
      if (k < 0.5) doc += `${pick([" ", "\t", "        ", "       |", "        |", "\t|"])}${value()}${eol()}`;
      else if (k < 0.7) doc += `${pick(SPACES.slice(0, 4))}${eol()}`;
      else if (k < 0.8) doc += `no colon here${eol()}`;
      else if (k < 0.9) doc += `:${value()}${eol()}`;
      else doc += `From ${value()}${eol()}`;
    }
  }
  const b = rand();
  if (b < 0.5) {
    doc += pick(ENDS);
    const lines = Math.floor(rand() * 4);
    for (let i = 0; i < lines; i++) doc += `${chance(0.3) ? `Name: ${value()}` : chance(0.3) ? pick(SPACES) : value()}${eol()}`;
  } else if (b < 0.6) {
    doc += pick(ENDS) + pick(["", "\n", " ", "\r\n", "\t\n", "\x0c"]);
  } else if (b < 0.7) {
    doc += pick(ENDS) + pick(["From x", "# Title", "Name: other"]);
  }
  if (chance(0.3)) doc = doc.replace(/\r?\n$|\r$/, "");
  const chars = [...doc];
  const mutations = chance(0.5) ? 0 : Math.floor(rand() * 4);
  for (let m = 0; m < mutations; m++) {
    const at = Math.floor(rand() * (chars.length + 1));
    const k = rand();
    if (k < 0.4) chars.splice(at, 0, pick(ALPHABET));
    else if (k < 0.7) chars.splice(at, 1);
    else chars.splice(at, 1, pick(ALPHABET));
  }
  return chars.join("");
}

const KINDS = table.fields as Record<string, { kind: string }>;
// biome-ignore lint/suspicious/noControlCharactersInRegex: str.isspace() holds the FS, GS, RS and US separators and NEL
const PYTHON_SPACE = /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
const pythonStrip = (text: string) => text.replace(PYTHON_SPACE, "");

/** parseCoreMetadata's reading, classified the way parse_email classifies the fields it reads. */
function ours(text: string): Parsed & { refuses: boolean; description: string | undefined } {
  const meta = parseCoreMetadata(text);
  const raw: Record<string, unknown> = Object.create(null);
  const unparsed: Record<string, unknown[]> = Object.create(null);
  for (const [name, values] of meta.fields) {
    const kind = Object.hasOwn(KINDS, name) ? KINDS[name]!.kind : undefined;
    if (kind === "single" && values.length === 1) raw[name] = values[0];
    else if (name === "import-name" && values.length === 1 && values[0] === "") raw[name] = [];
    else if (kind === "multiple") raw[name] = values;
    else if (kind === "keywords" && values.length === 1) raw[name] = values[0]!.split(",").map(pythonStrip);
    else if (kind === "project-urls") {
      const pairs = values.map((v) => (v.includes(",") ? [v.slice(0, v.indexOf(",")), v.slice(v.indexOf(",") + 1)] : [v, ""]).map(pythonStrip));
      if (new Set(pairs.map(([label]) => label)).size === pairs.length) raw[name] = pairs;
      else unparsed[name] = values;
    } else unparsed[name] = values;
  }
  if (meta.body !== "") {
    if (raw.description !== undefined) {
      unparsed.description = [raw.description, meta.body];
      delete raw.description;
    } else if (Object.hasOwn(unparsed, "description")) unparsed.description!.push(meta.body);
    else raw.description = meta.body;
  }
  const codes: DistCheckCode[] = [];
  checkFieldsAsParsed(meta, undefined, (code) => void codes.push(code));
  const refuses = codes.includes("DC_METADATA_FIELD_UNKNOWN") || codes.includes("DC_METADATA_FIELD_REPEATED");
  return { raw, unparsed, refuses, description: meta.description };
}

const sorted = (record: Record<string, unknown>, leaveOut: string[]) =>
  JSON.stringify(
    Object.keys(record)
      .filter((key) => !leaveOut.includes(key))
      .sort()
      .map((key) => [key, record[key]]),
  );

describe("METADATA read as packaging.metadata.parse_email reads it (seeded random documents)", () => {
  it(`agrees on fields, values, unparsed fields and the description for ${CASES} documents`, () => {
    const rand = mulberry32(SEED);
    const texts = Array.from({ length: CASES }, () => generate(rand));
    const reference: Parsed[] = JSON.parse(execFileSync(pythonTools().python, ["-c", REFERENCE], { input: JSON.stringify(texts), encoding: "utf8", maxBuffer: 1 << 28 }));
    const differ: Array<{ text: string; what: string[]; packaging: Parsed; ours: Parsed }> = [];
    let refused = 0;
    let withBody = 0;
    texts.forEach((text, i) => {
      const ref = reference[i]!;
      const port = ours(text);
      // A Content-Type (multipart/*, message/*) or Content-Transfer-Encoding header makes the email parser read the
      // body as MIME parts or decode it. Both are unknown fields, so PyPI and dist-check refuse the file whatever the
      // description is; only the description is left out of the comparison.
      const mime = Object.keys(ref.unparsed).some((name) => /^content-(type|transfer-encoding)$/.test(name)) ? ["description"] : [];
      const what: string[] = [];
      if (sorted(ref.raw, mime) !== sorted(port.raw, mime)) what.push("raw");
      if (sorted(ref.unparsed, mime) !== sorted(port.unparsed, mime)) what.push("unparsed");
      if (port.refuses !== Object.keys(ref.unparsed).length > 0) what.push("refusal");
      if (mime.length === 0 && !Object.hasOwn(ref.unparsed, "description") && port.description !== ref.raw.description) what.push("description");
      if (what.length) differ.push({ text, what, packaging: ref, ours: port });
      if (Object.keys(ref.unparsed).length) refused++;
      if (typeof ref.raw.description === "string") withBody++;
    });
    expect(differ.slice(0, 20)).toEqual([]);
    // The generator reaches both outcomes, and documents with a description.
    expect(refused).toBeGreaterThan(CASES / 5);
    expect(CASES - refused).toBeGreaterThan(CASES / 5);
    expect(withBody).toBeGreaterThan(CASES / 5);
  });
});
