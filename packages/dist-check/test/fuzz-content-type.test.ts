import { execFileSync } from "node:child_process";
import { mulberry32, pythonTools } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { checkDescriptionContentType } from "../src/content-type.js";

// A seeded random differential test of Description-Content-Type against what PyPI and twine run: packaging's
// validation of that one field (Metadata.from_raw with validate=True), which parses the value with Python's email
// package. Values are built from types, parameters (token and quoted values, names in any case, given twice),
// white space and separators in every arrangement, then mutated a character at a time, also with characters from
// the grammar the port leaves unchecked. Every verdict the port gives must be packaging's; "not checked" only for a
// value holding that grammar.

const SEED = Number(process.env.DC_FUZZ_CT_SEED ?? 0x0c7e);
const CASES = Number(process.env.DC_FUZZ_CT_CASES ?? 8000);

const REFERENCE = `
import json, sys
from packaging import metadata

def one(value):
    raw = {"metadata_version": "2.1", "name": "demo", "version": "1.0", "description_content_type": value}
    try:
        metadata.Metadata.from_raw(raw, validate=True)
        return None
    except metadata.ExceptionGroup as group:
        return "; ".join(str(e) for e in group.exceptions)

print(json.dumps([one(v) for v in json.load(sys.stdin)]))
`;

const TYPES = ["text/markdown", "text/x-rst", "text/plain", "TEXT/Markdown", "text/html", "text", "markdown", "text/", "/markdown", "text/markdown/x", "text/x-rst/"];
const NAMES = ["charset", "variant", "Charset", "VARIANT", "format", "x", "char set", "", "%n"];
const VALUES = ["UTF-8", "utf-8", "Utf-8", "utf8", "latin-1", "GFM", "CommonMark", "gfm", "commonmark", "", "a;b", "a b", "=", "%41", "\"UTF-8\"", '"GFM"', '""', '"a;b"', '"GFM', 'x"y'];
const SPACE = ["", "", "", " ", "  ", "\t", " \t"];
const SEPARATORS = [";", ";", ";", ",", ";;", "; ;", ""];
// Characters from the whole grammar: what the port reads and what it leaves unchecked.
const MUTATIONS = [..." \t;=/\"%,:<>@[]?.", "(", ")", "\\", "*", "'", "=?", "\n", "\r\n", "\x0b", "\x85", "\u2028", "é", "\x00", "\x7f"];

function generate(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let value = pick(SPACE) + pick(TYPES) + pick(SPACE);
  if (rand() < 0.1) value = value.replace("/", `${pick(SPACE)}/${pick(SPACE)}`);
  for (let n = Math.floor(rand() * 4); n > 0; n--) {
    value += pick(SEPARATORS) + pick(SPACE);
    if (rand() < 0.9) value += pick(NAMES);
    if (rand() < 0.9) value += `${pick(SPACE)}=${pick(SPACE)}${pick(VALUES)}`;
    value += pick(SPACE);
  }
  if (rand() < 0.1) value += pick(SEPARATORS);
  for (let m = rand() < 0.35 ? 1 + Math.floor(rand() * 2) : 0; m > 0; m--) {
    const at = Math.floor(rand() * (value.length + 1));
    const cut = rand() < 0.3 ? 1 : 0;
    value = value.slice(0, at) + pick(MUTATIONS) + value.slice(at + cut);
  }
  return value;
}

describe("Description-Content-Type against packaging's own validation", () => {
  it(`gives packaging's verdict on ${CASES} random values, and leaves only the unported grammar unchecked`, () => {
    const rand = mulberry32(SEED);
    const values = [
      // The values backends write and the docs show, and edge cases of the parser.
      "text/markdown", "text/x-rst", "text/plain", "text/markdown; charset=UTF-8; variant=GFM", "text/markdown; variant=CommonMark",
      "text/markdown; charset=utf-8", "text/plain; variant=GFM", "text/markdown; variant=gfm", "text/markdown;", "text/markdown; ",
      "text/markdown;;", "text/markdown; charset", "text/markdown; charset=UTF-8; charset=UTF-8", "text/markdown; charset=UTF-8; CHARSET=latin-1",
      'text/markdown; variant="GFM"', 'text/markdown; variant="GFM', "text/markdown x", "text / markdown", "", " ", "text/markdown\n",
      "text/markdown\nx", "text/markdown (readme)", "text/markdown; charset*=utf-8''UTF-8",
      ...Array.from({ length: CASES }, () => generate(rand)),
    ];
    const reference: (string | null)[] = JSON.parse(
      execFileSync(pythonTools().python, ["-c", REFERENCE], { input: JSON.stringify(values), encoding: "utf8", maxBuffer: 1 << 26 }),
    );
    const differ: { value: string; packaging: string | null; ours: string }[] = [];
    const counts = { valid: 0, invalid: 0, unchecked: 0 };
    values.forEach((value, i) => {
      const verdict = checkDescriptionContentType(value);
      counts[verdict.kind] += 1;
      if (verdict.kind === "unchecked") {
        // Only the grammar the port leaves out: a comment, a backslash, RFC 2231, an encoded word, non-ASCII or control.
        if (!/[()\\*']|=\?|[^\t\x20-\x7e]/.test(value)) differ.push({ value, packaging: reference[i] ?? null, ours: "unchecked" });
        return;
      }
      if ((verdict.kind === "valid") !== (reference[i] === null)) {
        differ.push({ value, packaging: reference[i] ?? null, ours: verdict.kind === "valid" ? "valid" : verdict.problem });
      }
    });
    expect(differ.slice(0, 10)).toEqual([]);
    // Not vacuous: many verdicts of each kind, and most values checked.
    expect(counts.valid).toBeGreaterThan(CASES / 20);
    expect(counts.invalid).toBeGreaterThan(CASES / 5);
    expect(counts.unchecked).toBeLessThan(CASES / 4);
  });

  it("names the problem, and says what it did not check", () => {
    expect(checkDescriptionContentType("text/markdown; charset=UTF-8; variant=GFM")).toEqual({ kind: "valid", type: "text/markdown" });
    expect(checkDescriptionContentType("TEXT/X-RST")).toEqual({ kind: "valid", type: "text/x-rst" });
    // packaging reads variant only for Markdown: on text/plain it is no error (dist-check refused it before).
    expect(checkDescriptionContentType("text/plain; variant=GFM")).toEqual({ kind: "valid", type: "text/plain" });
    expect(checkDescriptionContentType("text/markdown; variant=gfm")).toMatchObject({ kind: "invalid", problem: 'variant "gfm" is not GFM or CommonMark' });
    expect(checkDescriptionContentType("text/markdown; charset=latin-1")).toMatchObject({ kind: "invalid", problem: 'charset "latin-1" is not UTF-8' });
    expect(checkDescriptionContentType("text/markdown; charset=UTF-8; charset=UTF-8")).toMatchObject({ kind: "invalid", problem: expect.stringMatching(/given twice/) });
    expect(checkDescriptionContentType("text/markdown; charset")).toMatchObject({ kind: "invalid", problem: expect.stringMatching(/has no value/) });
    expect(checkDescriptionContentType("text/html")).toMatchObject({ kind: "invalid", problem: expect.stringMatching(/must be text\/plain/) });
    expect(checkDescriptionContentType("text/markdown\nvariant=GFM")).toMatchObject({ kind: "invalid", problem: "it holds a line break" });
    expect(checkDescriptionContentType("text/markdown (the readme)")).toMatchObject({ kind: "unchecked", reason: "a comment in parentheses" });
  });
});
