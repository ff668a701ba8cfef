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

export function decodeUtf8(buf: Buffer): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    return undefined;
  }
}
