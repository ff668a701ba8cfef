import { explain, compare } from "@renovatebot/pep440";
import { InvalidVersionError } from "./errors.js";

/** A parsed PEP 440 version (the shape of packaging.version.Version). */
export interface ParsedVersion {
  epoch: number;
  release: number[];
  pre: [letter: "a" | "b" | "rc", number: number] | null;
  post: number | null;
  dev: number | null;
  local: string | null;
  /** The normalized version without the local part. */
  public: string;
  /** The normalized version, local part included: what `str(packaging.version.Version(s))` gives. */
  normalized: string;
  baseVersion: string;
  /** True for pre-releases and dev releases, as packaging's `is_prerelease`. */
  isPrerelease: boolean;
  isDevrelease: boolean;
  isPostrelease: boolean;
}

/** Parses a version as packaging.version.Version does; null when it is not PEP 440. */
/** What @renovatebot/pep440's explain() returns at run time (its typings are looser). */
interface Explained {
  epoch: number;
  release: number[];
  pre: ["a" | "b" | "rc", number] | null;
  post: number | null;
  dev: number | null;
  local: string | null;
  public: string;
  base_version: string;
  is_prerelease: boolean;
  is_devrelease: boolean;
  is_postrelease: boolean;
}

export function parseVersion(input: string): ParsedVersion | null {
  const info = explain(input) as unknown as Explained | null;
  if (!info) return null;
  const local = info.local ?? null;
  return {
    epoch: info.epoch,
    release: [...info.release],
    pre: info.pre ? [info.pre[0], info.pre[1]] : null,
    post: info.post ?? null,
    dev: info.dev ?? null,
    local,
    public: info.public,
    normalized: local === null ? info.public : `${info.public}+${local}`,
    baseVersion: info.base_version,
    isPrerelease: info.is_prerelease,
    isDevrelease: info.is_devrelease,
    isPostrelease: info.is_postrelease,
  };
}

export function isValidVersion(input: string): boolean {
  return parseVersion(input) !== null;
}

/** Parses or throws InvalidVersionError (exit 1). */
export function requireVersion(input: string): ParsedVersion {
  const parsed = parseVersion(input);
  if (!parsed) throw new InvalidVersionError(input);
  return parsed;
}

/** The canonical PEP 440 form: `normalizeVersion("V1.2.3-RC.1") === "1.2.3rc1"`. Throws when invalid. */
export function normalizeVersion(input: string): string {
  return requireVersion(input).normalized;
}

/** Orders two versions as PEP 440 does (-1, 0, 1). Both must be valid. */
export function compareVersions(a: string, b: string): number {
  requireVersion(a);
  requireVersion(b);
  return Math.sign(compare(a, b));
}

export function isPrerelease(input: string): boolean {
  return requireVersion(input).isPrerelease;
}

/** Sorts versions ascending by PEP 440 order (a new array). */
export function sortVersions(versions: readonly string[]): string[] {
  return [...versions].sort(compareVersions);
}
