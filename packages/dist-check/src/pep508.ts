// Dependency specifiers (PEP 508) and version specifiers (PEP 440) as packaging parses them: PyPI reads
// Requires-Dist, Provides-Dist, Obsoletes-Dist and Requires-Python with packaging, and refuses a file whose
// values do not parse. This is a port of packaging's tokenizer and recursive-descent parser (_tokenizer.py,
// _parser.py) that only answers whether a value parses, and why not; test/pep508.test.ts holds it to packaging's
// own answers, and test/fuzz-names.test.ts to random ones.
//
// Python's regular expressions are Unicode-aware where JavaScript's are not, and the port spells that out:
// `\s` and str.strip() take Python's whitespace (version-util's PYTHON_WHITESPACE), and packaging's case-insensitive specifier regex lets
// the few non-ASCII letters that fold to an ASCII one ("ı" and "İ" to i, "ſ" to s) through in the one branch
// (`~=`) it did not mark ASCII-only with (?a:...).

import { PYTHON_WHITESPACE, stripPythonWhitespace } from "@pypi-workflows/version-util";

const PY_WS = PYTHON_WHITESPACE;

/** Pre-, post- and dev-release parts; `fold` also lets through what Python's Unicode IGNORECASE matches. */
function releaseTail(fold: boolean): string {
  const [i, s] = fold ? ["[i\\u0130\\u0131]", "[s\\u017f]"] : ["i", "s"];
  return (
    `(?:[-_.]?(?:alpha|beta|prev${i}ew|pre|a|b|c|rc)[-_.]?[0-9]*)?` +
    `(?:(?:-[0-9]+)|(?:[-_.]?(?:po${s}t|rev|r)[-_.]?[0-9]*))?` +
    "(?:[-_.]?dev[-_.]?[0-9]*)?"
  );
}
/** packaging's Specifier regex (one clause: operator and version), case-insensitive. */
const SPECIFIER =
  `(?:===${PY_WS}*(?:(?!${PY_WS})[^;)])*)` +
  `|(?:(?:==|!=)${PY_WS}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*(?:\\.\\*|${releaseTail(false)}(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?)?)` +
  `|(?:~=${PY_WS}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+${releaseTail(true)})` +
  `|(?:(?:<=|>=|<|>)${PY_WS}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*${releaseTail(false)})`;

/** One clause of a specifier set, whole (packaging's Specifier). */
const ONE_SPECIFIER = new RegExp(`^${PY_WS}*(?:${SPECIFIER})${PY_WS}*$`, "i");

const RULES = {
  LEFT_PARENTHESIS: /\(/y,
  RIGHT_PARENTHESIS: /\)/y,
  LEFT_BRACKET: /\[/y,
  RIGHT_BRACKET: /\]/y,
  SEMICOLON: /;/y,
  COMMA: /,/y,
  QUOTED_STRING: /(?:'[^']*')|(?:"[^"]*")/y,
  OP: /(?:===|==|~=|!=|<=|>=|<|>)/y,
  BOOLOP: /\b(?:or|and)\b/y,
  IN: /\bin\b/y,
  NOT: /\bnot\b/y,
  VARIABLE:
    /\b(?:python_version|python_full_version|os[._]name|sys[._]platform|platform_(?:release|system)|platform[._](?:version|machine|python_implementation)|python_implementation|implementation_(?:name|version)|extras?|dependency_groups)\b/y,
  SPECIFIER: new RegExp(SPECIFIER, "iy"),
  AT: /@/y,
  URL: /[^ \t]+/y,
  IDENTIFIER: /\b[a-zA-Z0-9][a-zA-Z0-9._-]*\b/y,
  VERSION_PREFIX_TRAIL: /\.\*/y,
  VERSION_LOCAL_LABEL_TRAIL: /\+[a-z0-9]+(?:[-_.][a-z0-9]+)*/y,
  WS: /[ \t]+/y,
  END: /$(?![\s\S])/y,
} as const;

type Rule = keyof typeof RULES;

class SyntaxProblem extends Error {}

class Tokenizer {
  position = 0;
  constructor(readonly source: string) {}

  /** The text the rule matches at the current position, or undefined. */
  peek(rule: Rule): string | undefined {
    const pattern = RULES[rule];
    pattern.lastIndex = this.position;
    return pattern.exec(this.source)?.[0];
  }

  /** Reads the rule's token when it is next (packaging's check() followed by read()). */
  take(rule: Rule): string | undefined {
    const text = this.peek(rule);
    if (text !== undefined) this.position += text.length;
    return text;
  }

  consume(rule: Rule): void {
    this.take(rule);
  }

  expect(rule: Rule, expected: string): string {
    const text = this.take(rule);
    if (text === undefined) this.fail(`Expected ${expected}`);
    return text;
  }

  fail(message: string): never {
    throw new SyntaxProblem(`${message} (at position ${this.position})`);
  }

  /** packaging's enclosing_tokens: an optional opening token, then `body`, then its closing token if it was opened. */
  enclosed(open: Rule, close: Rule, around: string, body: () => void): void {
    const opened = this.take(open) !== undefined;
    body();
    if (opened && this.take(close) === undefined) this.fail(`Expected matching ${close} for ${open}, after ${around}`);
  }
}

/** Why `text` is not a dependency specifier packaging accepts, or undefined when it is one. */
export function requirementProblem(text: string): string | undefined {
  return attempt(() => {
    const t = new Tokenizer(text);
    t.consume("WS");
    t.expect("IDENTIFIER", "package name at the start of dependency specifier");
    t.consume("WS");
    if (t.peek("LEFT_BRACKET") !== undefined) t.enclosed("LEFT_BRACKET", "RIGHT_BRACKET", "extras", () => extrasList(t));
    t.consume("WS");
    const specifiers = requirementDetails(t);
    t.expect("END", "end of dependency specifier");
    // Requirement then builds a SpecifierSet from the clauses read, split at commas again: a `===` clause reads up
    // to whitespace, ";" or ")", commas included, so "===a,b" holds the clause "b".
    const problem = specifierSetProblem(specifiers);
    if (problem) t.fail(problem);
  });
}

/** Why `text` is not a specifier set packaging accepts (Requires-Python), or undefined when it is one. */
export function specifierSetProblem(text: string): string | undefined {
  for (const part of text.split(",")) {
    const clause = stripPythonWhitespace(part);
    if (clause !== "" && !ONE_SPECIFIER.test(clause)) return `Invalid specifier: ${JSON.stringify(clause)}`;
  }
  return undefined;
}

function attempt(parse: () => void): string | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxProblem) return error.message;
    throw error;
  }
}

function extrasList(t: Tokenizer): void {
  t.consume("WS");
  if (t.take("IDENTIFIER") !== undefined) {
    for (;;) {
      t.consume("WS");
      if (t.peek("IDENTIFIER") !== undefined) t.fail("Expected comma between extra names");
      if (t.take("COMMA") === undefined) break;
      t.consume("WS");
      t.expect("IDENTIFIER", "extra name after comma");
    }
  }
  t.consume("WS");
}

/** Reads the URL or the version specifiers, and the marker; returns the specifiers (packaging's `specifier`). */
function requirementDetails(t: Tokenizer): string {
  if (t.take("AT") !== undefined) {
    t.consume("WS");
    t.expect("URL", "URL after @");
    if (t.peek("END") !== undefined) return "";
    t.expect("WS", "whitespace after URL");
    if (t.peek("END") !== undefined) return "";
    requirementMarker(t, "semicolon (after URL and whitespace)");
    return "";
  }
  let specifiers = "";
  t.enclosed("LEFT_PARENTHESIS", "RIGHT_PARENTHESIS", "version specifier", () => {
    t.consume("WS");
    specifiers = versionMany(t);
    t.consume("WS");
  });
  t.consume("WS");
  if (t.peek("END") === undefined) {
    requirementMarker(t, specifiers ? "comma (within version specifier), semicolon (after version specifier)" : "semicolon (after name with no version specifier)");
  }
  return specifiers;
}

/** The clauses and commas read, as packaging joins them (no whitespace). */
function versionMany(t: Tokenizer): string {
  let read = "";
  for (let specifier = t.take("SPECIFIER"); specifier !== undefined; specifier = t.take("SPECIFIER")) {
    read += specifier;
    if (t.peek("VERSION_PREFIX_TRAIL") !== undefined) {
      const equality = specifier.startsWith("!=") || (specifier.startsWith("==") && !specifier.startsWith("==="));
      t.fail(equality ? ".* suffix cannot be used with pre-release, post-release, dev or local versions" : ".* suffix can only be used with `==` or `!=` operators");
    }
    if (t.peek("VERSION_LOCAL_LABEL_TRAIL") !== undefined) t.fail("Local version label can only be used with `==` or `!=` operators");
    t.consume("WS");
    if (t.take("COMMA") === undefined) break;
    read += ",";
    t.consume("WS");
  }
  return read;
}

function requirementMarker(t: Tokenizer, expected: string): void {
  if (t.take("SEMICOLON") === undefined) t.fail(`Expected ${expected} or end`);
  marker(t);
  t.consume("WS");
}

function marker(t: Tokenizer): void {
  markerAtom(t);
  while (t.take("BOOLOP") !== undefined) markerAtom(t);
}

function markerAtom(t: Tokenizer): void {
  t.consume("WS");
  if (t.peek("LEFT_PARENTHESIS") !== undefined) {
    t.enclosed("LEFT_PARENTHESIS", "RIGHT_PARENTHESIS", "marker expression", () => {
      t.consume("WS");
      marker(t);
      t.consume("WS");
    });
  } else {
    t.consume("WS");
    markerVar(t);
    t.consume("WS");
    markerOp(t);
    t.consume("WS");
    markerVar(t);
    t.consume("WS");
  }
  t.consume("WS");
}

function markerVar(t: Tokenizer): void {
  if (t.take("VARIABLE") !== undefined) return;
  const quoted = t.take("QUOTED_STRING");
  if (quoted === undefined) t.fail("Expected a marker variable or quoted string");
  if (!isPythonStringLiteral(quoted)) t.fail("Invalid quoted string");
}

function markerOp(t: Tokenizer): void {
  if (t.take("IN") !== undefined) return;
  if (t.take("NOT") !== undefined) {
    t.expect("WS", "whitespace after 'not'");
    t.expect("IN", "'in' after 'not'");
    return;
  }
  if (t.take("OP") === undefined) t.fail("Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in");
}

/**
 * Whether a quoted marker value is a Python string literal ast.literal_eval accepts: its escapes complete
 * (\x with 2 hex digits, \u 4, \U 8 up to U+10FFFF, \N{name}), no backslash before the closing quote, no line
 * break but one a backslash continues (Python reads \r\n and \r as \n), no NUL, and nothing UTF-8 cannot encode
 * (a lone surrogate). Of \N{name} only the form of the name is checked (letters, digits, single spaces and
 * hyphens, as Unicode's names are written; Python looks them up in any case): whether a character has that
 * name is not known here, so "\N{NO SUCH THING}" passes where Python refuses it.
 */
function isPythonStringLiteral(quoted: string): boolean {
  const body = quoted.slice(1, -1).replace(/\r\n?/g, "\n");
  if (body.includes("\0") || /\p{Cs}/u.test(body)) return false;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\n") return false;
    if (body[i] !== "\\") continue;
    const next = body[i + 1];
    if (next === undefined) return false;
    const hex = { x: 2, u: 4, U: 8 }[next];
    if (hex !== undefined) {
      const digits = body.slice(i + 2, i + 2 + hex);
      if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits) || (next === "U" && Number.parseInt(digits, 16) > 0x10ffff)) return false;
      i += 1 + hex;
    } else if (next === "N") {
      const close = body.indexOf("}", i + 2);
      if (body[i + 2] !== "{" || close < 0 || !/^[A-Za-z0-9]+(?:[ -]-?[A-Za-z0-9]+)*$/.test(body.slice(i + 3, close))) return false;
      i = close;
    } else i += 1;
  }
  return true;
}
