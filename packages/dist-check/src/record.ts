import type { ArchiveMember } from "./archive.js";
import type { Report } from "./findings.js";

export interface RecordRow {
  path: string;
  algorithm: string | undefined;
  digest: string | undefined;
  size: number | undefined;
}

/** RECORD is CSV: fields with commas or quotes are quoted, quotes doubled. */
export function parseCsvLine(line: string): string[] {
  // Almost every line has no quotes; splitting keeps the strings flat (fast Map keys for 100,000 rows).
  if (!line.includes('"')) return line.split(",");
  const fields: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      fields.push(current);
      current = "";
    } else current += c;
  }
  fields.push(current);
  return fields;
}

export function parseRecord(text: string, report: Report): RecordRow[] {
  const rows: RecordRow[] = [];
  /** Line number of each path's first row. */
  const firstLine = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    const cells = parseCsvLine(line);
    const [path = "", hash = "", size = ""] = cells;
    if (cells.length !== 3 || path === "" || (hash !== "" && !hash.includes("=")) || (size !== "" && !/^\d+$/.test(size))) {
      report("DC_RECORD_INVALID", `RECORD line ${index + 1} is not "path,algorithm=digest,size": ${JSON.stringify(line.slice(0, 200))}`);
      return;
    }
    // Installers disagree on which of two rows wins (a dict keeps the last, a check may read the first): a
    // second row could hide a changed file behind a matching hash, so it is an error and the first row is compared.
    const first = firstLine.get(path);
    if (first !== undefined) {
      report("DC_RECORD_INVALID", `RECORD line ${index + 1} lists ${JSON.stringify(path)} again (first on line ${first})`, { member: path });
      return;
    }
    firstLine.set(path, index + 1);
    const eq = hash.indexOf("=");
    rows.push({
      path,
      algorithm: hash ? hash.slice(0, eq).toLowerCase() : undefined,
      digest: hash ? hash.slice(eq + 1) : undefined,
      size: size === "" ? undefined : Number(size),
    });
  });
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
