import { type DistCheckCode, ERROR_CODES, type Severity } from "./errors.js";

/** One problem (or fact) about one file; `file` is the file name, or "." for the set as a whole. */
export interface Finding {
  file: string;
  code: DistCheckCode;
  severity: Severity;
  message: string;
  /** The archive member concerned, when there is one. */
  member?: string;
  /** What to do next (from the catalog unless the finding knows better). */
  hint: string;
}

export function finding(file: string, code: DistCheckCode, message: string, extra: { member?: string; hint?: string } = {}): Finding {
  const info = ERROR_CODES[code];
  return {
    file,
    code,
    severity: info.severity,
    message,
    ...(extra.member === undefined ? {} : { member: extra.member }),
    hint: extra.hint ?? info.fix,
  };
}

/** A collector bound to one file, so checks say only what is wrong. */
export type Report = (code: DistCheckCode, message: string, extra?: { member?: string; hint?: string }) => void;

export function reporterFor(file: string, into: Finding[]): Report {
  return (code, message, extra) => void into.push(finding(file, code, message, extra));
}

/** Control characters and odd code points are shown escaped so one finding stays on one line. */
export function quote(text: string): string {
  return JSON.stringify(text);
}
