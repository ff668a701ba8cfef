import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { mulberry32, pythonTools, tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { checkDistributions } from "../src/index.js";
import { CSV_FIELD_LIMIT, compareRecord, indexRecord, otherDigestsWanted, parseRecord, readRecordCsv } from "../src/record.js";
import { writeWheel } from "./support/generate.js";

// A seeded random differential test of how dist-check reads a wheel's RECORD against how pip reads it:
// `csv.reader(text.splitlines())` (pip/_internal/operations/install/wheel.py; installer reads it the same way), in one
// Python process. RECORD texts are built from a random member list (paths with commas, quotes, line breaks of every
// kind, NUL, non-ASCII; hashes in sha256/384/512, md5, sha1, sha224, blake2b, upper-case names, urlsafe base64 with
// and without padding, standard base64, hex; sizes right, wrong, empty and in forms int() takes but the spec does not),
// serialized with fields quoted or not, quotes doubled or not, stray and unclosed quotes, every line break
// str.splitlines knows, blank lines, a BOM, with or without a final newline, then mutated a character at a time; a
// few carry a field at csv's field_size_limit. Compared for each: the rows readRecordCsv gives with csv.reader's rows
// (and whether csv.reader raises), and the findings of parseRecord + compareRecord with the verdict a Python model
// gives: the port's documented row rules (three fields, a path, "=" in the hash, digits in the size, no NUL, no second
// row for a path, no empty row, no csv error) applied to csv.reader's rows, then each member checked as installer's
// RecordEntry.validate does (hashlib's digest, urlsafe base64 without padding, compared as a string; the size as int),
// with md5/sha1 refused, only sha256/384/512 known, every member but RECORD (and its signatures) listed, and every
// listed path present.

const SEED = 0x5eed_4ec0;
const CASES = 12000;
/** Every BIG_EVERY-th case also has a field of about CSV_FIELD_LIMIT characters. */
const BIG_EVERY = 3000;
const RECORD = "demo-1.0.dist-info/RECORD";

const REFERENCE = `
import base64, csv, hashlib, json, re, sys

def rows_of(text):
    rows, error = [], None
    try:
        for row in csv.reader(text.splitlines()):
            rows.append(row)
    except csv.Error as e:
        error = str(e)
    return rows, error

def verdict(rows, error, members, record_path):
    out, by_path = [], {}
    for row in rows:
        if len(row) != 3 or not row[0] or (row[1] and "=" not in row[1]) or (row[2] and not re.fullmatch(r"[0-9]+", row[2])) or any("\\0" in c for c in row):
            out.append("DC_RECORD_INVALID -")
        elif row[0] in by_path:
            out.append("DC_RECORD_INVALID " + row[0])
        else:
            by_path[row[0]] = row
    if error:
        out.append("DC_RECORD_INVALID -")
    unsigned = {record_path, record_path + ".jws", record_path + ".p7s"}
    for name, data in members.items():
        row = by_path.get(name)
        if row is None:
            if name not in unsigned:
                out.append("DC_RECORD_MISSING_ENTRY " + name)
            continue
        path, hash_, size = row
        if not hash_:
            if name not in unsigned:
                out.append("DC_RECORD_INVALID " + name)
            continue
        name_, value = hash_.split("=", 1)
        algorithm = name_.lower()
        if algorithm in ("md5", "sha1"):
            out.append("DC_RECORD_WEAK_HASH " + name)
            continue
        if algorithm not in ("sha256", "sha384", "sha512"):
            out.append("DC_RECORD_INVALID " + name)
        elif base64.urlsafe_b64encode(hashlib.new(algorithm, data).digest()).decode("ascii").rstrip("=") != value:
            out.append("DC_RECORD_HASH_MISMATCH " + name)
        if size and int(size) != len(data):
            out.append("DC_RECORD_SIZE_MISMATCH " + name)
    for path in by_path:
        if path not in members:
            out.append("DC_RECORD_EXTRA_ENTRY " + path)
    return out

result = []
for case in json.loads(sys.stdin.buffer.read().decode("utf-8")):
    rows, error = rows_of(case["text"])
    members = {k: base64.b64decode(v) for k, v in case["members"].items()}
    result.append({"rows": rows, "error": error, "verdict": verdict(rows, error, members, case["record"])})
sys.stdout.write(json.dumps(result))
`;

interface Case {
  text: string;
  /** Member name -> content, base64. */
  members: Record<string, string>;
  record: string;
}

interface Reference {
  rows: string[][];
  error: string | null;
  verdict: string[];
}

function pythonReads(cases: Case[]): Reference[] {
  return JSON.parse(execFileSync(pythonTools().python, ["-c", REFERENCE], { input: JSON.stringify(cases), encoding: "utf8", maxBuffer: 1 << 30 }));
}

/** Python's csv.reader over str.splitlines, for fixed texts. */
function csvRows(texts: string[]): (string[][] | string)[] {
  const script = [
    "import csv, json, sys",
    "def rows(t):",
    "    try:",
    "        return list(csv.reader(t.splitlines()))",
    "    except csv.Error as e:",
    "        return 'csv.Error: ' + str(e)",
    "print(json.dumps([rows(t) for t in json.loads(sys.stdin.buffer.read().decode('utf-8'))]))",
  ].join("\n");
  return JSON.parse(execFileSync(pythonTools().python, ["-c", script], { input: JSON.stringify(texts), encoding: "utf8", maxBuffer: 1 << 28 }));
}

const NAME_PARTS = [
  ...["demo", "pkg", "a.py", "__init__.py", "data.bin", "x,y.py", 'q"uote.py', "sp ace.txt", "é.py", "名前.py", "\u212a.py", "ı.py", "٣.txt", "ﬁ.txt", "e\u0301.py", "😀.py"],
  ...[" lead.py", "trail .py", "tab\t.py", "=eq.py", "sha256=x", ",", '"', '""', "a\rb", "a\nb", "a\r\nb", "v\x0bt", "f\x0cf", "g\x1cs", "n\x85l", "l\u2028s", "p\u2029s"],
  ...["nul\x00.py", "\ufeffbom.py", "\xa0nb.py"],
];
const SEPS = ["\n", "\n", "\n", "\n", "\r\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028", "\u2029", "\n\n", "\r\r\n", "\n\r"];
const ALPHABET = [..." \t\r\n,\"=.-_/+0aZ", "\r\n", '""', "\x00", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x7f", "\x85", "\xa0", "\u2028", "\u2029", "\ufeff", "ı", "\u212a", "٣", "²", "ﬁ", "é", "\u0301", "😀"];
/** What a writer must quote: the separator, the quote, and every line break str.splitlines knows. */
const QUOTE_WORTHY = '",\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029';
const ODD_SIZES = (n: number) => ["", "0", "999", ` ${n}`, `+${n}`, "-1", `0${n}`, "٣", "1_0", `${n}.0`, "1e2"];

function digestIn(algorithm: string, data: Buffer, form: string): string {
  const digest = createHash(algorithm).update(data).digest();
  if (form === "padded") return digest.toString("base64").replaceAll("+", "-").replaceAll("/", "_");
  if (form === "standard") return digest.toString("base64").replace(/=+$/, "");
  if (form === "standard-padded") return digest.toString("base64");
  if (form === "hex") return digest.toString("hex");
  return digest.toString("base64url");
}

/** One random wheel: members, and a RECORD text written for them (then damaged). */
function generate(rand: () => number, big: boolean): Case {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;
  const members = new Map<string, Buffer>();
  const count = Math.floor(rand() * 6);
  for (let i = 0; i < count; i++) {
    let name = chance(0.5) ? `demo/${pick(NAME_PARTS)}` : `${pick(NAME_PARTS)}${chance(0.3) ? pick(NAME_PARTS) : ""}`;
    if (chance(0.1)) name = name.toUpperCase();
    members.set(name, Buffer.from(Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256))));
  }
  if (chance(0.9)) members.set(RECORD, Buffer.alloc(0));
  if (chance(0.05)) members.set(`${RECORD}.jws`, Buffer.from("signature"));
  const rows: string[][] = [];
  for (const [name, data] of members) {
    if (chance(0.08)) continue;
    for (let copy = chance(0.05) ? 2 : 1; copy > 0; copy--) {
      let hash = "";
      if (name !== RECORD || chance(0.2)) {
        const r = rand();
        const algorithm = r < 0.6 ? "sha256" : r < 0.7 ? "sha384" : r < 0.8 ? "sha512" : r < 0.85 ? "md5" : r < 0.9 ? "sha1" : r < 0.95 ? "sha224" : "blake2b512";
        const label = algorithm === "blake2b512" ? "blake2b" : chance(0.1) ? algorithm.toUpperCase() : algorithm;
        const digest = chance(0.1) ? digestIn(algorithm, Buffer.from("other"), "url") : digestIn(algorithm, data, chance(0.7) ? "url" : pick(["padded", "standard", "standard-padded", "hex"]));
        hash = chance(0.05) ? "" : chance(0.03) ? digest : `${label}=${digest}`;
      }
      let size = name === RECORD && chance(0.8) ? "" : String(data.length);
      if (chance(0.1)) size = pick(ODD_SIZES(data.length));
      const row = [name, hash, size];
      if (chance(0.03)) row.push(pick(["", "x"]));
      if (chance(0.03)) row.pop();
      rows.push(row);
    }
  }
  if (chance(0.1)) rows.push([`demo/${pick(NAME_PARTS)}gone.py`, `sha256=${digestIn("sha256", Buffer.from("x"), "url")}`, "1"]);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  const field = (f: string) => {
    const needsQuotes = [...QUOTE_WORTHY].some((c) => f.includes(c));
    const quoted = `"${f.replaceAll('"', '""')}"`;
    switch (chance(0.85) ? (needsQuotes ? "csv" : "plain") : pick(["plain", "csv", "undoubled", "unclosed", "closed only", "space before", "space after"])) {
      case "csv":
        return quoted;
      case "undoubled":
        return `"${f}"`;
      case "unclosed":
        return `"${f}`;
      case "closed only":
        return `${f}"`;
      case "space before":
        return ` ${quoted}`;
      case "space after":
        return `${quoted} `;
      default:
        return f;
    }
  };
  const fixedSep = chance(0.6) ? pick(SEPS) : undefined;
  let text = chance(0.03) ? "\ufeff" : "";
  rows.forEach((row, i) => {
    if (i) text += fixedSep !== undefined && chance(0.95) ? fixedSep : pick(SEPS);
    text += row.map(field).join(chance(0.97) ? "," : pick([", ", " ,", ";"]));
  });
  if (chance(0.7)) text += fixedSep ?? pick(SEPS);
  if (chance(0.05)) text += pick(["\n", "\r\n", " \n", "\n\n"]);
  if (chance(0.05)) text = pick(["\n", " ", "", "\r\n"]) + text;
  const mutations = chance(0.5) ? 0 : Math.floor(rand() * 4) + 1;
  for (let m = 0; m < mutations; m++) {
    const chars = [...text];
    const at = Math.floor(rand() * (chars.length + 1));
    const r = rand();
    if (r < 0.4) chars.splice(at, 0, pick(ALPHABET));
    else if (r < 0.7) chars.splice(at, 1);
    else chars.splice(at, 1, pick(ALPHABET));
    text = chars.join("");
  }
  if (big) {
    const long = (chance(0.5) ? "a" : "😀").repeat(CSV_FIELD_LIMIT + Math.floor(rand() * 5) - 3);
    const row = chance(0.5) ? `"${long}${chance(0.5) ? "\n" : ""}",,` : `${long},,`;
    text = chance(0.5) ? `${row}\n${text}` : `${text}\n${row}`;
  }
  return { text, members: Object.fromEntries([...members].map(([name, data]) => [name, data.toString("base64")])), record: RECORD };
}

/** What parseRecord and compareRecord report, as "CODE member" (or "CODE -"), sorted. */
function portVerdict(c: Case): string[] {
  const findings: string[] = [];
  const report = (code: string, _message: string, extra?: { member?: string }) => void findings.push(`${code} ${extra?.member ?? "-"}`);
  const rows = parseRecord(c.text, report);
  const contents = new Map(Object.entries(c.members).map(([name, data]) => [name, Buffer.from(data, "base64")]));
  const members = [...contents].map(([name, data]) => ({ name, isDirectory: false, size: data.length, sha256: createHash("sha256").update(data).digest("base64url") }));
  const index = indexRecord(rows, members);
  const other = new Map<string, string>();
  for (const [name, algorithm] of otherDigestsWanted(index)) other.set(name, createHash(algorithm).update(contents.get(name)!).digest("base64url"));
  compareRecord(index, c.record, report, other);
  return findings.sort();
}

const printable = (s: string) => JSON.stringify(s.length > 300 ? `${s.slice(0, 300)}... (${s.length} characters)` : s);

describe("RECORD read as pip reads it (csv.reader over str.splitlines)", () => {
  it("splits rows as csv.reader does: every splitlines break, quoted fields across lines, quotes inside fields, empty lines", () => {
    const texts = [
      "a,sha256=x,1\nb,,\n",
      "a,,\r\nb,,\r\n",
      // Every line break str.splitlines knows ends a row (the old reader split only at \n and \r\n).
      "a,,\rb,,",
      "a,,\x0bb,,\x0cc,,\x1cd,,\x1de,,\x1ef,,\x85g,,\u2028h,,\u2029i,,",
      // ... but not \x1f, nor U+FEFF, NEL-lookalikes or NUL.
      "a\x1fb,,",
      // A quoted field goes on over the line break and loses it.
      '"a\nb",,\nc,,',
      '"a\r\nb",,',
      '"a\n\nb",,',
      'a,"sha256=\nx",1',
      // A quote opens a field only at its start; elsewhere it is a character.
      'a"b,,',
      'a"b,c",',
      ' "a",,',
      '"a" ,,',
      '"a"b"c",,',
      '"a",,1"',
      '"a""b",,',
      '"",,',
      // A quote still open at the end ends the field there.
      '"a',
      'a,"',
      // Empty and blank lines: [] and [" "].
      "a,,\n\nb,,",
      "a,,\n\n",
      "\n",
      "a,,\n \n",
      "",
      "\ufeffa,,",
      "a\x00b,,",
    ];
    const expected = csvRows(texts);
    const actual = texts.map((t) => readRecordCsv(t).rows.map((r) => r.cells));
    expect(actual).toEqual(expected);
    expect(readRecordCsv('a,,\n"b\nc",,\nd,,').rows.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it("stops where csv.reader raises: a field longer than field_size_limit (code points, not UTF-16 units)", () => {
    const texts = [`${"a".repeat(CSV_FIELD_LIMIT)},,`, `${"a".repeat(CSV_FIELD_LIMIT + 1)},,`, `x,,\n"${"😀".repeat(CSV_FIELD_LIMIT)}",,`, `x,,\n"${"😀".repeat(CSV_FIELD_LIMIT)}a`, `x,,\n"a\n${"b".repeat(CSV_FIELD_LIMIT)}\n",,`];
    const expected = csvRows(texts);
    const actual = texts.map((t) => {
      const csv = readRecordCsv(t);
      return csv.tooLong === undefined ? csv.rows.map((r) => r.cells) : `stops at line ${csv.tooLong} after ${JSON.stringify(csv.rows.map((r) => r.cells))}`;
    });
    expect(actual.map((a, i) => (typeof expected[i] === "string" ? typeof a === "string" : a))).toEqual(expected.map((e) => (typeof e === "string" ? true : e)));
    expect(actual[1]).toBe("stops at line 1 after []");
    expect(actual[3]).toBe('stops at line 2 after [["x","",""]]');
    const findings: string[] = [];
    parseRecord(texts[3]!, (_code, message) => void findings.push(message));
    expect(findings).toEqual([`RECORD line 2 starts a field longer than ${CSV_FIELD_LIMIT} characters: Python's csv module (and pip's install) stops there with an error`]);
  });

  it("reports the lines pip cannot install from, and reads the rest", () => {
    const messages = (text: string) => {
      const found: string[] = [];
      const rows = parseRecord(text, (code, message) => void found.push(`${code}: ${message}`));
      return { paths: rows.map((r) => r.path), found };
    };
    // An empty line: csv.reader gives [] and pip's install fails on row[0] (IndexError).
    expect(messages("a,,\n\nb,,\n")).toEqual({ paths: ["a", "b"], found: ["DC_RECORD_INVALID: RECORD line 2 is empty: pip's install fails on an empty line (csv.reader gives a row with no path)"] });
    expect(messages("a,,\r\n\r\n").found).toHaveLength(1);
    // A blank line is a row with one field.
    expect(messages("a,,\n \nb,,").found).toEqual(['DC_RECORD_INVALID: RECORD line 2 is not "path,algorithm=digest,size": " "']);
    // Lone \r, \v, U+2028 end rows.
    expect(messages("a,,\rb,,\x0bc,,\u2028d,,")).toEqual({ paths: ["a", "b", "c", "d"], found: [] });
    // A quoted path with a comma, a quote and a line break.
    expect(messages('"x,y.py",sha256=abc,3\n"q""uote.py",,\n"a\r\nb",,').paths).toEqual(["x,y.py", 'q"uote.py', "ab"]);
    // A quote that is not at a field's start is a character of the field (the size is then not digits).
    expect(messages('a,sha256=abc,"3"\nb,sha256=abc,3"').found).toEqual(['DC_RECORD_INVALID: RECORD line 2 is not "path,algorithm=digest,size": "b,sha256=abc,3\\""']);
    expect(messages(' "a",,').paths).toEqual([' "a"']);
    // NUL: csv.reader before Python 3.11 (pip runs on 3.10) refuses the file.
    expect(messages("a\x00,,").found).toEqual(['DC_RECORD_INVALID: RECORD line 1 has a NUL character, which pip on Python 3.10 cannot read (csv: "line contains NUL"): "a\\u0000,,"']);
    // A BOM (when the caller keeps it, as pip's decode("utf-8") does) belongs to the first path.
    expect(messages("\ufeffa,,").paths).toEqual(["\ufeffa"]);
    // Algorithm names are compared in lower case; the digest as written (padding, standard base64 and hex mismatch).
    expect(parseRecord("a,SHA256=ab=,1", () => {})).toEqual([{ path: "a", algorithm: "sha256", digest: "ab=", size: 1 }]);
  });

  it("refuses a wheel whose RECORD has an empty line, as pip's install does", async () => {
    const dir = tempDir("dc-record-blank-");
    const path = writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { mutateRecord: (lines) => [...lines.slice(0, 1), "", ...lines.slice(1)] });
    const result = await checkDistributions({ paths: [dir], cwd: dir, env: process.env, python: pythonTools().python });
    const record = result.findings.filter((f) => f.code.startsWith("DC_RECORD_"));
    expect(record.map((f) => `${f.code}: ${f.message}`)).toEqual(["DC_RECORD_INVALID: RECORD line 2 is empty: pip's install fails on an empty line (csv.reader gives a row with no path)"]);
    const pip = spawnSync(
      pythonTools().python,
      ["-m", "pip", "install", "--no-deps", "--no-index", "--no-cache-dir", "--disable-pip-version-check", "--no-compile", "--target", join(dir, "target"), path],
      { encoding: "utf8", env: { ...process.env, PIP_CONFIG_FILE: "/dev/null" } },
    );
    expect(pip.status).not.toBe(0);
    expect(pip.stderr).toContain("IndexError");
  });

  it("reads a wheel's RECORD with \\r line ends and quoted paths with commas", async () => {
    const dir = tempDir("dc-record-quoted-");
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", {
      files: { "demo_pkg/__init__.py": "", "demo_pkg/x,y.txt": "comma\n", 'demo_pkg/q"uote.txt': "quote\n" },
      mutateRecord: (lines) => [lines.map((l) => l.replace(/^(demo_pkg\/x,y\.txt|demo_pkg\/q"uote\.txt),/, (_, p: string) => `"${p.replaceAll('"', '""')}",`)).join("\r")],
    });
    const result = await checkDistributions({ paths: [dir], cwd: dir, env: process.env, python: pythonTools().python });
    expect(result.findings.filter((f) => f.code.startsWith("DC_RECORD_")).map((f) => `${f.code} ${f.member}`)).toEqual([]);
  });

  it(`gives csv.reader's rows and the reference verdict on ${CASES} random RECORD texts`, () => {
    const rand = mulberry32(SEED);
    const cases = Array.from({ length: CASES }, (_, i) => generate(rand, i % BIG_EVERY === BIG_EVERY - 1));
    const reference = pythonReads(cases);
    const failures: string[] = [];
    cases.forEach((c, i) => {
      const want = reference[i]!;
      const csv = readRecordCsv(c.text);
      const rows = csv.rows.map((r) => r.cells);
      if (JSON.stringify(rows) !== JSON.stringify(want.rows) || (csv.tooLong !== undefined) !== (want.error !== null)) {
        failures.push(`${printable(c.text)}: rows ${printable(JSON.stringify(rows))}${csv.tooLong ? " (too long)" : ""}, csv.reader ${printable(JSON.stringify(want.rows))} ${want.error ?? ""}`);
        return;
      }
      const got = portVerdict(c);
      const expected = [...want.verdict].sort();
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        failures.push(`${printable(c.text)} with ${JSON.stringify(Object.keys(c.members))}: port ${JSON.stringify(got)}, reference ${JSON.stringify(expected)}`);
      }
    });
    expect(failures.slice(0, 20), `${failures.length} of ${CASES} disagree`).toEqual([]);
  });
});
