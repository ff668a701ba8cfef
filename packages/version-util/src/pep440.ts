import { VERSION_PATTERN } from "@renovatebot/pep440/lib/version.js";
import { InvalidVersionError } from "./errors.js";

/**
 * PEP 440 versions, answering exactly as Python's `packaging.version.Version` (the reference; the corpus test
 * in test/pep440-equivalence.test.ts proves it). The grammar is @renovatebot/pep440's VERSION_PATTERN, which
 * spells every form packaging accepts; its explain()/compare() are not used because they diverge from
 * packaging: no surrounding whitespace, JS numbers (precision lost above 2^53, `1e5` or `Infinity` read as
 * numbers in local segments), and clean() mangles local segments. Numbers are kept as digit strings here.
 * ParsedVersion's number fields are JS numbers (inexact above 2^53); its strings, comparisons and
 * parseExactVersion are exact at any size.
 */

/** A parsed PEP 440 version (the shape of packaging.version.Version; the numbers inexact above 2^53). */
export interface ParsedVersion {
  epoch: number;
  release: number[];
  pre: [letter: PreKind, number: number] | null;
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

/** The exact parts, numbers as canonical digit strings (no precision limit). */
export type PreKind = "a" | "b" | "rc";

interface Parts {
  epoch: string;
  release: string[];
  pre: [PreKind, string] | null;
  post: string | null;
  dev: string | null;
  /** Digit-only parts are canonical digit strings; others are lower case. */
  local: string[] | null;
}

/**
 * Python's whitespace as a regular-expression character class: what `\s` matches in a str pattern, str.isspace(),
 * and what str.strip() and str.split() take away. Not JavaScript's \s: U+FEFF is not in it; \x1c-\x1f and \x85 are.
 * Every port of Python code in these packages uses this one.
 */
export const PYTHON_WHITESPACE = "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const PY_SPACE = `${PYTHON_WHITESPACE}*`;
const PY_STRIP = new RegExp(`^${PYTHON_WHITESPACE}+|${PYTHON_WHITESPACE}+$`, "g");
// Python's int() refuses strings of more than 4300 digits (sys.int_info.default_max_str_digits, leading zeros
// counted), so packaging raises ValueError for a version with such a number: not a version to pip or PyPI.
const PY_INT_MAX_STR_DIGITS = 4300;
// No `u` flag: with it, /i would fold non-ASCII letters (U+212A KELVIN SIGN) onto ASCII ones; packaging's
// pattern is ASCII-only.
const VERSION_REGEX = new RegExp(`^${PY_SPACE}${VERSION_PATTERN}${PY_SPACE}$`, "i");
/** PEP 440's spellings of the pre-release phases (also hatch's bump segment names for them). */
export const PRE_RELEASE_SPELLINGS: Readonly<Record<string, PreKind>> = { a: "a", alpha: "a", b: "b", beta: "b", c: "rc", rc: "rc", pre: "rc", preview: "rc" };

function canonicalDigits(digits: string): string {
  const trimmed = digits.replace(/^0+/, "");
  return trimmed === "" ? "0" : trimmed;
}

/** Python's str.strip() (and what packaging's `\s*` around a version takes away): not JavaScript's trim(). */
export function stripPythonWhitespace(text: string): string {
  return text.replace(PY_STRIP, "");
}

function parseParts(input: string): Parts | null {
  if (typeof input !== "string") return null;
  const groups = VERSION_REGEX.exec(input)?.groups;
  if (!groups) return null;
  const g = (name: string): string | undefined => groups[name];
  const preLetter = g("pre_l");
  const postNumber = g("post_n1") ?? g("post_n2");
  const local = g("local")?.split(/[._-]/);
  const numbers = [g("epoch"), ...g("release")!.split("."), g("pre_n"), postNumber, g("dev_n"), ...(local ?? []).filter((p) => /^[0-9]+$/.test(p))];
  if (numbers.some((n) => n !== undefined && n.length > PY_INT_MAX_STR_DIGITS)) return null;
  return {
    epoch: canonicalDigits(g("epoch") ?? "0"),
    release: (g("release") ?? "0").split(".").map(canonicalDigits),
    pre: preLetter ? [PRE_RELEASE_SPELLINGS[preLetter.toLowerCase()]!, canonicalDigits(g("pre_n") ?? "0")] : null,
    post: g("post_l") || g("post_n1") ? canonicalDigits(postNumber ?? "0") : null,
    dev: g("dev_l") ? canonicalDigits(g("dev_n") ?? "0") : null,
    local: local ? local.map((p) => (/^[0-9]+$/.test(p) ? canonicalDigits(p) : p.toLowerCase())) : null,
  };
}

function formatPublic(p: Parts): string {
  let text = p.epoch === "0" ? "" : `${p.epoch}!`;
  text += p.release.join(".");
  if (p.pre) text += `${p.pre[0]}${p.pre[1]}`;
  if (p.post !== null) text += `.post${p.post}`;
  if (p.dev !== null) text += `.dev${p.dev}`;
  return text;
}

/** The parts' numbers as `toNumber` reads their digits (Number for ParsedVersion, BigInt for the exact parts). */
function numbersOf<N>(p: Parts, toNumber: (digits: string) => N) {
  return {
    epoch: toNumber(p.epoch),
    release: p.release.map((n) => toNumber(n)),
    pre: p.pre ? ([p.pre[0], toNumber(p.pre[1])] as [PreKind, N]) : null,
    post: p.post === null ? null : toNumber(p.post),
    dev: p.dev === null ? null : toNumber(p.dev),
    local: p.local ? p.local.join(".") : null,
  };
}

function toParsed(p: Parts): ParsedVersion {
  const pub = formatPublic(p);
  const { local, ...numbers } = numbersOf(p, Number);
  return {
    ...numbers,
    local,
    public: pub,
    normalized: local === null ? pub : `${pub}+${local}`,
    baseVersion: (p.epoch === "0" ? "" : `${p.epoch}!`) + p.release.join("."),
    isPrerelease: p.pre !== null || p.dev !== null,
    isDevrelease: p.dev !== null,
    isPostrelease: p.post !== null,
  };
}

/** Parses a version as packaging.version.Version does; null when it is not PEP 440. */
export function parseVersion(input: string): ParsedVersion | null {
  const parts = parseParts(input);
  return parts ? toParsed(parts) : null;
}

export function isValidVersion(input: string): boolean {
  return parseParts(input) !== null;
}

function requireParts(input: string): Parts {
  const parts = parseParts(input);
  if (!parts) throw new InvalidVersionError(input);
  return parts;
}

/** A version's parts with exact numbers, as packaging's Python ints hold them at any size. */
export interface ExactVersionParts {
  epoch: bigint;
  release: bigint[];
  pre: [PreKind, bigint] | null;
  post: bigint | null;
  dev: bigint | null;
  local: string | null;
}

/** The exact parts of a version (bigint numbers); throws InvalidVersionError when invalid. */
export function parseExactVersion(input: string): ExactVersionParts {
  return numbersOf(requireParts(input), BigInt);
}

/** Parses or throws InvalidVersionError (exit 1). */
export function requireVersion(input: string): ParsedVersion {
  return toParsed(requireParts(input));
}

/** The canonical PEP 440 form: `normalizeVersion("V1.2.3-RC.1") === "1.2.3rc1"`. Throws when invalid. */
export function normalizeVersion(input: string): string {
  return requireVersion(input).normalized;
}

/** Compares canonical digit strings numerically, at any length. */
function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

type KeyItem = string | number;

/** packaging's _cmpkey suffix: (pre_rank, pre_n, post_rank, post_n, dev_rank, dev_n). */
function suffixKey(p: Parts): KeyItem[] {
  const PRE_RANK = { a: 0, b: 1, rc: 2 } as const;
  let pre: KeyItem[] = [3, "0"];
  if (p.pre) pre = [PRE_RANK[p.pre[0]], p.pre[1]];
  else if (p.post === null && p.dev !== null) pre = [-1, "0"]; // 1.0.dev0 sorts before 1.0a0
  const post: KeyItem[] = p.post === null ? [0, "0"] : [1, p.post];
  const dev: KeyItem[] = p.dev === null ? [1, "0"] : [0, p.dev];
  return [...pre, ...post, ...dev];
}

function compareItems(a: readonly KeyItem[], b: readonly KeyItem[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    const c = typeof x === "number" ? Math.sign(x - (y as number)) : compareDigits(x, y as string);
    if (c !== 0) return c;
  }
  return Math.sign(a.length - b.length);
}

function trimRelease(release: readonly string[]): string[] {
  let end = release.length;
  while (end > 0 && release[end - 1] === "0") end--;
  return release.slice(0, end);
}

/** PEP 440 local ordering: strings before numbers, numbers numerically, a shorter prefix first. */
function compareLocal(a: readonly string[] | null, b: readonly string[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xNum = /^[0-9]+$/.test(x);
    const yNum = /^[0-9]+$/.test(y);
    const c = xNum && yNum ? compareDigits(x, y) : xNum !== yNum ? (xNum ? 1 : -1) : x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c;
  }
  return Math.sign(a.length - b.length);
}

function compareParts(a: Parts, b: Parts): number {
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareItems(trimRelease(a.release), trimRelease(b.release)) ||
    compareItems(suffixKey(a), suffixKey(b)) ||
    compareLocal(a.local, b.local)
  );
}

/** Orders two versions as PEP 440 does (-1, 0, 1). Both must be valid. */
export function compareVersions(a: string, b: string): number {
  return compareParts(requireParts(a), requireParts(b));
}

export function isPrerelease(input: string): boolean {
  return requireVersion(input).isPrerelease;
}

/** Sorts versions ascending by PEP 440 order (a new array; equal versions keep their order). */
export function sortVersions(versions: readonly string[]): string[] {
  const keyed = versions.map((v) => ({ v, p: requireParts(v) }));
  return keyed.sort((x, y) => compareParts(x.p, y.p)).map((x) => x.v);
}

/** The parts of a version to format (numbers as packaging holds them; bigints are exact at any size). */
export interface VersionParts {
  epoch: number | bigint;
  release: readonly (number | bigint)[];
  pre: readonly [PreKind, number | bigint] | null;
  post: number | bigint | null;
  dev: number | bigint | null;
  local: string | null;
}

/** Formats parts the way str(packaging.version.Version) does. */
export function formatVersion(p: VersionParts): string {
  let text = p.epoch ? `${p.epoch}!` : "";
  text += p.release.join(".");
  if (p.pre) text += `${p.pre[0]}${p.pre[1]}`;
  if (p.post !== null) text += `.post${p.post}`;
  if (p.dev !== null) text += `.dev${p.dev}`;
  if (p.local !== null) text += `+${p.local}`;
  return text;
}
