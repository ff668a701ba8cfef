import type { ArchiveMember } from "./archive.js";
import type { Report } from "./findings.js";
import { splitLines } from "./python-str.js";

export interface RecordRow {
  path: string;
  algorithm: string | undefined;
  digest: string | undefined;
  size: number | undefined;
}

/** One row as csv.reader gives it, with the number of the line it starts on (1-based, as str.splitlines counts). */
export interface RecordCsvRow {
  cells: string[];
  line: number;
}

export interface RecordCsv {
  rows: RecordCsvRow[];
  /** The text's lines (split as str.splitlines splits). */
  lines: string[];
  /** The line of the row where a field outgrew csv's field_size_limit: csv.reader raises there, and nothing after it is read. */
  tooLong?: number;
}

/** csv.field_size_limit()'s default, in characters (code points): a longer field makes csv.reader raise. */
export const CSV_FIELD_LIMIT = 131072;

/** csv.reader's states within a row (the C module's START_FIELD, IN_FIELD, IN_QUOTED_FIELD, QUOTE_IN_QUOTED_FIELD). */
const State = { StartField: 0, InField: 1, InQuoted: 2, QuoteInQuoted: 3 } as const;

/** Code points in s (a well-formed string): what Python's csv counts against field_size_limit. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--;
  }
  return n;
}

/**
 * RECORD's rows as pip reads them: `csv.reader(text.splitlines())` with the default (excel) dialect, Python 3.11+.
 * The text is split at every line break str.splitlines knows (also \r, \v, \f, \x1c-\x1e, \x85, \u2028, \u2029), so
 * a quoted field that spans lines loses its line breaks; a quote only opens a field at the field's start (elsewhere it
 * is a plain character), `""` inside quotes is one quote, and what follows a closing quote up to the next comma is
 * kept; an empty line is an empty row; a quote still open at the end closes the field there.
 */
export function readRecordCsv(text: string): RecordCsv {
  const lines = splitLines(text);
  const rows: RecordCsvRow[] = [];
  for (const row of csvRows(lines)) {
    if ("tooLong" in row) return { rows, lines, tooLong: row.tooLong };
    rows.push(row);
  }
  return { rows, lines };
}


/**
 * readRecordCsv's rows one at a time (a wheel of 100,000 files has as many rows: none is kept longer than its
 * check), ending with { tooLong } where csv.reader would raise.
 */
function* csvRows(lines: string[]): Generator<RecordCsvRow | { tooLong: number }> {
  let cells: string[] = [];
  let field = "";
  /** Code points in `field`. */
  let points = 0;
  let state: number = State.StartField;
  /** The line the current row started on, while a quoted field continues on the next line. */
  let open = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (open === 0) {
      // Almost every line has no quotes; splitting keeps the strings flat (fast Map keys for 100,000 rows).
      if (!line.includes('"')) {
        const split = line === "" ? [] : line.split(",");
        if (line.length > CSV_FIELD_LIMIT && split.some((cell) => codePoints(cell) > CSV_FIELD_LIMIT)) {
          yield { tooLong: index + 1 };
          return;
        }
        yield { cells: split, line: index + 1 };
        continue;
      }
      open = index + 1;
      cells = [];
      field = "";
      points = 0;
      state = State.StartField;
    }
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      const code = line.charCodeAt(i);
      let add = false;
      if (state === State.InQuoted) {
        if (c === '"') state = State.QuoteInQuoted;
        else add = true;
      } else if (c === '"' && state !== State.InField) {
        // A quote opens a field only at its start; after a closing quote, a second one is a quote in the field.
        if (state === State.StartField) state = State.InQuoted;
        else {
          add = true;
          state = State.InQuoted;
        }
      } else if (c === ",") {
        cells.push(field);
        field = "";
        points = 0;
        state = State.StartField;
      } else {
        // Not strict: what follows a closing quote is kept, and the field goes on unquoted.
        add = true;
        state = State.InField;
      }
      if (add) {
        field += c;
        // The second half of a surrogate pair is no second character to Python.
        if ((code < 0xdc00 || code > 0xdfff) && ++points > CSV_FIELD_LIMIT) {
          yield { tooLong: open };
          return;
        }
      }
    }
    // The end of a line ends the row, unless a quoted field is open (it goes on with the next line, without the break).
    if (state === State.InQuoted) continue;
    cells.push(field);
    yield { cells, line: open };
    open = 0;
  }
  // A quoted field still open at the end of the text ends there (csv.reader is not strict).
  if (open !== 0) {
    cells.push(field);
    yield { cells, line: open };
  }
}

/**
 * RECORD's rows, read as pip reads them (readRecordCsv), with the wheel spec's form required of each: three fields, a
 * path, an empty hash or algorithm=digest, an empty size or decimal digits. A row that is not is reported and left out
 * (its member is then reported as not listed), as is a second row for a path. Also reported: an empty line (pip's
 * install fails on it: csv.reader gives an empty row, and pip reads its path as row[0]), a NUL (csv.reader before
 * Python 3.11, which pip still runs on, refuses the whole file) and a field too long for csv.reader (which raises).
 */
export function parseRecord(text: string, report: Report): RecordRow[] {
  const lines = splitLines(text);
  const shown = (line: number) => JSON.stringify(lines[line - 1]!.slice(0, 200));
  const hasNul = text.includes("\0");
  const rows: RecordRow[] = [];
  /** Line number of each path's first row. */
  const firstLine = new Map<string, number>();
  let tooLong: number | undefined;
  for (const row of csvRows(lines)) {
    if ("tooLong" in row) {
      tooLong = row.tooLong;
      break;
    }
    const { cells, line } = row;
    if (cells.length === 0) {
      report("DC_RECORD_INVALID", `RECORD line ${line} is empty: pip's install fails on an empty line (csv.reader gives a row with no path)`);
      continue;
    }
    const [path = "", hash = "", size = ""] = cells;
    if (cells.length !== 3 || path === "" || (hash !== "" && !hash.includes("=")) || (size !== "" && !/^\d+$/.test(size))) {
      report("DC_RECORD_INVALID", `RECORD line ${line} is not "path,algorithm=digest,size": ${shown(line)}`);
      continue;
    }
    if (hasNul && cells.some((cell) => cell.includes("\0"))) {
      report("DC_RECORD_INVALID", `RECORD line ${line} has a NUL character, which pip on Python 3.10 cannot read (csv: "line contains NUL"): ${shown(line)}`);
      continue;
    }
    // Installers disagree on which of two rows wins (a dict keeps the last, a check may read the first): a
    // second row could hide a changed file behind a matching hash, so it is an error and the first row is compared.
    const first = firstLine.get(path);
    if (first !== undefined) {
      report("DC_RECORD_INVALID", `RECORD line ${line} lists ${JSON.stringify(path)} again (first on line ${first})`, { member: path });
      continue;
    }
    firstLine.set(path, line);
    const eq = hash.indexOf("=");
    rows.push({
      path,
      algorithm: hash ? hash.slice(0, eq).toLowerCase() : undefined,
      digest: hash ? hash.slice(eq + 1) : undefined,
      size: size === "" ? undefined : Number(size),
    });
  }
  if (tooLong !== undefined) {
    report("DC_RECORD_INVALID", `RECORD line ${tooLong} starts a field longer than ${CSV_FIELD_LIMIT} characters: Python's csv module (and pip's install) stops there with an error`);
  }
  return rows;
}

/** RECORD's rows by path and the wheel's files: needs only member names, so it can be built before the hashes. */
export interface RecordIndex {
  rows: RecordRow[];
  byPath: Map<string, RecordRow>;
  files: ArchiveMember[];
  present: Set<string>;
}

export function indexRecord(rows: RecordRow[], members: ArchiveMember[]): RecordIndex {
  const files = members.filter((m) => !m.isDirectory);
  return { rows, byPath: new Map(rows.map((r) => [r.path, r])), files, present: new Set(files.map((m) => m.name)) };
}

/** The algorithms the wheel spec allows in RECORD besides sha256 (members are hashed with them on demand). */
export const OTHER_ALGORITHMS = ["sha384", "sha512"] as const;

/** The members whose RECORD row uses sha384 or sha512, with that algorithm: hashed in a second, targeted read. */
export function otherDigestsWanted(index: RecordIndex): Map<string, string> {
  const wanted = new Map<string, string>();
  for (const member of index.files) {
    const algorithm = index.byPath.get(member.name)?.algorithm;
    // Members that could not be read (no sha256) are reported already and cannot be hashed either.
    if (member.sha256 && (OTHER_ALGORITHMS as readonly (string | undefined)[]).includes(algorithm)) wanted.set(member.name, algorithm!);
  }
  return wanted;
}

/**
 * Every member in RECORD with a matching hash and size; md5/sha1 refused; RECORD's own row may be empty.
 * `otherDigests`: each sha384/sha512 row's member hashed with that algorithm (urlsafe base64, no padding).
 */
export function compareRecord(index: RecordIndex, recordPath: string, report: Report, otherDigests: ReadonlyMap<string, string>): void {
  const { rows, byPath, files, present } = index;
  const unsigned = new Set([recordPath, `${recordPath}.jws`, `${recordPath}.p7s`]);
  for (const member of files) {
    const row = byPath.get(member.name);
    if (!row) {
      if (!unsigned.has(member.name)) report("DC_RECORD_MISSING_ENTRY", "is not listed in RECORD", { member: member.name });
      continue;
    }
    if (row.algorithm === undefined) {
      if (!unsigned.has(member.name)) report("DC_RECORD_INVALID", "has no hash in RECORD", { member: member.name });
      continue;
    }
    if (row.algorithm === "md5" || row.algorithm === "sha1") {
      report("DC_RECORD_WEAK_HASH", `RECORD uses ${row.algorithm}, which the wheel spec forbids`, { member: member.name });
      continue;
    }
    const actual = row.algorithm === "sha256" ? member.sha256 : otherDigests.get(member.name);
    if (row.algorithm !== "sha256" && !(OTHER_ALGORITHMS as readonly string[]).includes(row.algorithm)) {
      report("DC_RECORD_INVALID", `unknown hash algorithm ${JSON.stringify(row.algorithm)} in RECORD`, { member: member.name });
    } else if (actual !== undefined && row.digest !== actual) {
      report("DC_RECORD_HASH_MISMATCH", `${row.algorithm} is ${actual}, RECORD says ${row.digest}`, { member: member.name });
    }
    if (row.size !== undefined && row.size !== member.size) {
      report("DC_RECORD_SIZE_MISMATCH", `is ${member.size} bytes, RECORD says ${row.size}`, { member: member.name });
    }
  }
  for (const row of rows) {
    if (!present.has(row.path)) report("DC_RECORD_EXTRA_ENTRY", "is listed in RECORD but not in the wheel", { member: row.path });
  }
}
