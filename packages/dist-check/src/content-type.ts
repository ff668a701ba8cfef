/**
 * Description-Content-Type as PyPI and twine judge it: packaging.metadata's `_process_description_content_type`
 * (packaging 26.3), which hands the value to Python's email package (`EmailMessage()["content-type"] = value`,
 * email._header_value_parser.parse_content_type_header) and refuses it on any parse defect, then checks the type,
 * the charset and the Markdown variant.
 *
 * The port covers the whole of what build backends and people write: tokens, white space, `;` parameters with
 * token or quoted values. The email parser's rarer grammar (comments in parentheses, backslash escapes, RFC 2231
 * `name*=` parameters, encoded words, non-ASCII or control characters) is not ported: such a value is reported as
 * not checked (a warning), never refused or passed on a guess. test/fuzz-content-type.test.ts holds every verdict
 * to packaging's on random values.
 */

import { stripPythonWhitespace } from "@pypi-workflows/version-util";
import { splitLines } from "./python-str.js";

export type DescriptionType = "text/plain" | "text/x-rst" | "text/markdown";

export type ContentTypeVerdict =
  | { kind: "valid"; type: DescriptionType }
  | { kind: "invalid"; problem: string }
  | { kind: "unchecked"; reason: string };

const CONTENT_TYPES: readonly string[] = ["text/plain", "text/x-rst", "text/markdown"];
const MARKDOWN_VARIANTS: readonly string[] = ["GFM", "CommonMark"];

// The email parser's character classes: TSPECIALS (RFC 2045's, without ".") and white space end a token; a
// parameter name also ends at * ' %, and a parameter value at * ' (RFC 2231's markers).
const TOKEN_ENDS = new Set([..."()<>@,:;\\\"[]/?=", " ", "\t"]);
const ATTRIBUTE_ENDS = new Set([...TOKEN_ENDS, "*", "'", "%"]);
const EXTENDED_ATTRIBUTE_ENDS = new Set([...TOKEN_ENDS, "*", "'"]);


/** The grammar this port does not follow: what makes a value "not checked". */
function unported(value: string): string | undefined {
  if (/[^\t\x20-\x7e]/.test(value)) return "a non-ASCII or control character";
  if (/[()]/.test(value)) return "a comment in parentheses";
  if (value.includes("\\")) return "a backslash escape";
  if (/[*']/.test(value)) return "an RFC 2231 parameter";
  if (value.includes("=?")) return "an encoded word";
  return undefined;
}

class Defect extends Error {}
class ParseError extends Error {}

/** A cursor over the value, with the email parser's token readers. */
class Reader {
  i = 0;
  constructor(readonly s: string) {}

  get done(): boolean {
    return this.i >= this.s.length;
  }

  /** The character at the cursor ("" at the end). */
  peek(): string {
    return this.s[this.i] ?? "";
  }

  skipWhiteSpace(): void {
    while (this.peek() === " " || this.peek() === "\t") this.i++;
  }

  /** A run of characters not in `ends` (at least one, else the parser's HeaderParseError). */
  run(ends: ReadonlySet<string>): string {
    const start = this.i;
    while (!this.done && !ends.has(this.peek())) this.i++;
    if (this.i === start) throw new ParseError();
    return this.s.slice(start, this.i);
  }

  /** get_token / get_attribute / get_extended_attribute: [white space] run [white space]. */
  word(ends: ReadonlySet<string>): string {
    this.skipWhiteSpace();
    const text = this.run(ends);
    this.skipWhiteSpace();
    return text;
  }

  /** get_quoted_string: the text between the quotes (white space kept); an unclosed quote is a defect. */
  quoted(): string {
    this.i++;
    const end = this.s.indexOf('"', this.i);
    if (end === -1) throw new Defect("end of header inside quoted string");
    const text = this.s.slice(this.i, end);
    this.i = end + 1;
    this.skipWhiteSpace();
    return text;
  }
}

/** get_parameter: `name = value`, or a name alone (a defect). */
function parameter(r: Reader): [string, string] {
  const name = r.word(ATTRIBUTE_ENDS);
  if (r.done || r.peek() === ";") throw new Defect(`parameter ${name} has no value`);
  if (r.peek() !== "=") throw new ParseError();
  r.i++;
  r.skipWhiteSpace();
  if (r.done) throw new ParseError();
  return [name, r.peek() === '"' ? r.quoted() : r.word(EXTENDED_ATTRIBUTE_ENDS)];
}

/** parse_mime_parameters, then MimeParameters.params and the header's params dict (names lower-cased, last wins). */
function parameters(r: Reader): Map<string, string> {
  const seen = new Set<string>();
  const params = new Map<string, string>();
  while (!r.done) {
    const start = r.i;
    try {
      const [name, value] = parameter(r);
      // A name given twice exactly (not in another case) is a defect; in another case, the later value wins.
      if (seen.has(name)) throw new Defect(`parameter ${name} is given twice`);
      seen.add(name);
      params.set(name.toLowerCase(), value);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      // The parser goes back to where the parameter began (Python's strings do not move with a failed read).
      r.i = start;
      r.skipWhiteSpace();
      if (r.done) return params;
      throw new Defect(r.peek() === ";" ? "an empty parameter" : `an invalid parameter at ${JSON.stringify(r.s.slice(r.i))}`);
    }
    if (!r.done && r.peek() !== ";") throw new Defect(`text after a parameter: ${JSON.stringify(r.s.slice(r.i))}`);
    if (!r.done) r.i++;
  }
  return params;
}

/** parse_content_type_header: maintype "/" subtype *(";" parameter). Throws Defect for what the parser flags. */
function parseHeader(value: string): Map<string, string> {
  if (value === "") throw new Defect("the value is empty");
  const r = new Reader(value);
  try {
    r.word(TOKEN_ENDS);
  } catch {
    throw new Defect("it does not start with a type");
  }
  if (r.peek() !== "/") throw new Defect("it has no type/subtype");
  r.i++;
  try {
    r.word(TOKEN_ENDS);
  } catch {
    throw new Defect("it has no subtype");
  }
  if (r.done) return new Map();
  if (r.peek() !== ";") throw new Defect(`only parameters may follow the type, found ${JSON.stringify(r.s.slice(r.i))}`);
  r.i++;
  return parameters(r);
}


/** PyPI's verdict on a Description-Content-Type value. */
export function checkDescriptionContentType(value: string): ContentTypeVerdict {
  // EmailMessage refuses a value of more than one line; a single line break at the end is dropped.
  const lines = splitLines(value);
  if (lines.length > 1) return { kind: "invalid", problem: "it holds a line break" };
  const joined = lines.join("");
  const reason = unported(value);
  if (reason) return { kind: "unchecked", reason };
  let params: Map<string, string>;
  try {
    params = parseHeader(joined);
  } catch (error) {
    if (error instanceof Defect) return { kind: "invalid", problem: `it is not a valid MIME type: ${error.message}` };
    throw error;
  }
  // Message.get_content_type: the text before the first ";", lower-cased. (Its text/plain for a value that is not
  // one type/subtype, and packaging's check that the type is in the value, only matter in the unported grammar: a
  // value that parsed has exactly one "/" before any ";".)
  const semicolon = joined.indexOf(";");
  const type = stripPythonWhitespace(semicolon === -1 ? joined : joined.slice(0, semicolon)).toLowerCase();
  if (!CONTENT_TYPES.includes(type)) {
    return { kind: "invalid", problem: "the type must be text/plain, text/x-rst or text/markdown" };
  }
  const charset = params.get("charset") ?? "UTF-8";
  if (charset.toLowerCase() !== "utf-8") return { kind: "invalid", problem: `charset ${JSON.stringify(charset)} is not UTF-8` };
  const variant = params.get("variant") ?? "GFM";
  if (type === "text/markdown" && !MARKDOWN_VARIANTS.includes(variant)) {
    return { kind: "invalid", problem: `variant ${JSON.stringify(variant)} is not GFM or CommonMark` };
  }
  return { kind: "valid", type: type as DescriptionType };
}
