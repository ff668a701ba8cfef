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
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    const cells = parseCsvLine(line);
    const [path = "", hash = "", size = ""] = cells;
    if (cells.length !== 3 || path === "" || (hash !== "" && !hash.includes("=")) || (size !== "" && !/^\d+$/.test(size))) {
      report("DC_RECORD_INVALID", `RECORD line ${index + 1} is not "path,algorithm=digest,size": ${JSON.stringify(line.slice(0, 200))}`);
      return;
    }
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

/** Every member in RECORD with a matching sha256 and size; md5/sha1 refused; RECORD's own row may be empty. */
export function compareRecord(index: RecordIndex, recordPath: string, report: Report): void {
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
    if (row.algorithm === "sha256" && member.sha256 !== undefined && row.digest !== member.sha256) {
      report("DC_RECORD_HASH_MISMATCH", `sha256 is ${member.sha256}, RECORD says ${row.digest}`, { member: member.name });
    } else if (row.algorithm !== "sha256" && !["sha384", "sha512"].includes(row.algorithm)) {
      report("DC_RECORD_INVALID", `unknown hash algorithm ${JSON.stringify(row.algorithm)} in RECORD`, { member: member.name });
    }
    if (row.size !== undefined && row.size !== member.size) {
      report("DC_RECORD_SIZE_MISMATCH", `is ${member.size} bytes, RECORD says ${row.size}`, { member: member.name });
    }
  }
  for (const row of rows) {
    if (!present.has(row.path)) report("DC_RECORD_EXTRA_ENTRY", "is listed in RECORD but not in the wheel", { member: row.path });
  }
}
