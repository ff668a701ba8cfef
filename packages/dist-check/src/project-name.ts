import { HelperError } from "@pypi-workflows/cli-kit";
import { normalizeProjectName, scanProjectNames } from "@pypi-workflows/index-client";
import stdlib from "./data/stdlib-names.json" with { type: "json" };
import type { Report } from "./findings.js";

// PyPI's (warehouse's) rules for the name of a NEW project, checked when its first file is uploaded: a project
// that already exists is never asked again. The upload then fails with a 400 that does not say which project the
// name collides with; here it is predicted before anything is uploaded, with the colliding names.

const STDLIB = new Set<string>(stdlib.names);

/** The release the standard library names come from (scripts/refresh-data.mjs). */
export const STDLIB_NAMES_SOURCE: string = stdlib.source;

/** Core metadata's Name rule (packaging's and PyPI's): ASCII letters and digits, with ".", "_" or "-" between them. */
export function isValidProjectName(name: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(name);
}

/** Why the name part of a wheel's or sdist's file name is not a valid project name, if it is not. */
export function projectNameProblem(name: string): string | undefined {
  if (isValidProjectName(name)) return undefined;
  return `the project name ${JSON.stringify(name)} in the file name is not a valid project name (ASCII letters and digits, with ".", "_" or "-" between them)`;
}

/**
 * warehouse's ultranormalize_name (a SQL function): ".", "_" and "-" dropped, "l" and "i" read as "1", "o" as
 * "0", lower case. Two project names equal under it are "too similar" for PyPI.
 */
export function ultranormalizeName(name: string): string {
  return name.replace(/[._-]/g, "").replace(/[li]/gi, "1").replace(/o/gi, "0").toLowerCase();
}

/**
 * Whether `name` ultranormalizes to `wanted` (an ultranormalizeName result), without building the string: the
 * index's whole list of projects (some 700,000 on PyPI) goes through here, and almost every name differs early.
 * Project names are ASCII (warehouse's PROJECT_NAME_RE); a name with other characters takes the slow path.
 */
export function ultranormalizesTo(name: string, wanted: string): boolean {
  let at = 0;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c > 0x7f) return ultranormalizeName(name) === wanted;
    if (c === 0x2e || c === 0x5f || c === 0x2d) continue; // . _ -
    if (c >= 0x41 && c <= 0x5a) c += 0x20; // A-Z -> a-z
    if (c === 0x6c || c === 0x69) c = 0x31; // l, i -> 1
    else if (c === 0x6f) c = 0x30; // o -> 0
    if (at >= wanted.length || wanted.charCodeAt(at) !== c) return false;
    at++;
  }
  return at === wanted.length;
}

/** Whether PyPI refuses `name` for a new project as a standard library module's (warehouse's STDLIB_PROHIBITED). */
export function isStdlibName(name: string): boolean {
  return STDLIB.has(normalizeProjectName(name));
}

export interface NewProjectNameOptions {
  /** The index's Simple API root (its root page lists every project). */
  simpleUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** At most this many colliding names are printed. */
const SHOWN = 5;

/**
 * For a project the index does not have yet: reports, on the set as a whole, a standard library module's name
 * (DC_NAME_STDLIB) and names too similar to projects the index lists (DC_NAME_TOO_SIMILAR, naming them). The
 * index's whole project list is read once, as a stream. When it cannot be read, DC_NAME_NOT_CHECKED (a warning:
 * the index's own refusal still stands behind it). When it lists the project itself (its page lagged), nothing.
 */
export async function reportNewProjectName(name: string, options: NewProjectNameOptions, report: Report): Promise<void> {
  const normalized = normalizeProjectName(name);
  const wanted = ultranormalizeName(name);
  let exists = false;
  const similar: string[] = [];
  try {
    const fetchOptions = { ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) };
    await scanProjectNames(
      options.simpleUrl,
      (listed) => {
        if (!ultranormalizesTo(listed, wanted)) return;
        if (normalizeProjectName(listed) === normalized) exists = true;
        else if (!similar.includes(listed)) similar.push(listed);
      },
      fetchOptions,
    );
  } catch (error) {
    if (!(error instanceof HelperError)) throw error;
    report("DC_NAME_NOT_CHECKED", `${name} is not on the index yet, and the index's list of projects could not be read to check the new name against it (${error.message})`);
    reportStdlib(name, report);
    return;
  }
  if (exists) return;
  reportStdlib(name, report);
  if (similar.length === 0) return;
  const shown = similar.slice(0, SHOWN).join(", ") + (similar.length > SHOWN ? ` and ${similar.length - SHOWN} more` : "");
  report(
    "DC_NAME_TOO_SIMILAR",
    `${name} is not on the index yet, and the index will refuse to create it ("too similar to an existing project"): it reads as ${JSON.stringify(wanted)} with ".", "_" and "-" dropped, "l" and "i" as "1" and "o" as "0", as the existing ${similar.length === 1 ? "project" : "projects"} ${shown} ${similar.length === 1 ? "does" : "do"}`,
  );
}

function reportStdlib(name: string, report: Report): void {
  if (isStdlibName(name)) {
    report("DC_NAME_STDLIB", `${name} is not on the index yet, and the index will refuse to create it: ${normalizeProjectName(name)} is the name of a Python standard library module (${STDLIB_NAMES_SOURCE})`);
  }
}
