import type { ArchiveLimits, ArchiveScan } from "./archive.js";
import type { Report } from "./findings.js";
import type { DescriptionJob } from "./metadata-rules.js";

/** What checking one distribution file learned, beside its findings. */
export interface DistFacts {
  filename: string;
  kind: "wheel" | "sdist";
  size: number;
  sha256: string;
  /** From the metadata when readable, else from the file name. */
  name: string | undefined;
  version: string | undefined;
  description: DescriptionJob | undefined;
}

export interface DistCheckInput {
  path: string;
  filename: string;
  report: Report;
  limits: ArchiveLimits;
}

/** Turns archive-level problems into findings, capping repeats so a broken 100,000-member wheel stays readable. */
export function reportArchiveProblems(scan: ArchiveScan, report: Report): void {
  for (const problem of scan.problems) report(problem.code, problem.message, problem.member === undefined ? {} : { member: problem.member });
}

/** UTF-8 text as Python's "utf-8" codec decodes it (as pip and PyPI do): a byte order mark is kept, not dropped. */
export function decodeUtf8(buf: Buffer): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    return undefined;
  }
}

/**
 * METADATA or PKG-INFO as text, or why PyPI cannot read its fields: bytes that are not UTF-8, or a leading byte
 * order mark (the email parser PyPI runs then takes the first line for the body, so no field is read at all).
 */
export function metadataText(buf: Buffer, where: string): { text: string } | { problem: string } {
  const text = decodeUtf8(buf);
  if (text === undefined) return { problem: `${where} is not UTF-8` };
  if (text.startsWith("\ufeff")) return { problem: `${where} starts with a byte order mark (BOM): PyPI then reads none of its fields (write it as UTF-8 without a BOM)` };
  return { text };
}
