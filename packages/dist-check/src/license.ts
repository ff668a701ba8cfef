import { PYTHON_WHITESPACE } from "@pypi-workflows/version-util";
import spdx from "./data/spdx.json" with { type: "json" };

// License-Expression as PyPI reads it: packaging.licenses.canonicalize_license_expression. A port of that function,
// quirks included: the expression is split at Python's whitespace (str.split(), not JavaScript's \s) after "(" and
// ")" are padded, compared in lower case (String.prototype.toLowerCase and str.lower agree on every character that
// lowers to ASCII), its grammar is Python's own for `False or/and (...)` with WITH read as OR, plus the checks
// packaging adds around WITH and LicenseRef-; "LicenseRef-" is matched in any case and DocumentRef- is not
// accepted. test/fuzz-names.test.ts holds it to packaging's answers, canonical form included.

const licenses = new Map(spdx.licenses.map((id) => [id.toLowerCase(), id]));
const exceptions = new Map(spdx.exceptions.map((id) => [id.toLowerCase(), id]));
/** packaging's license_ref_allowed, on what follows "LicenseRef-". */
const LICENSE_REF_ID = /^[A-Za-z0-9.-]+$/;
/** Python's whitespace (str.split() with no argument). */
const PY_WS = new RegExp(`${PYTHON_WHITESPACE}+`);
const OPERATORS = new Set(["and", "or", "with", "(", ")"]);
/** CPython's tokenizer refuses more nested parentheses than this ("too many nested parentheses"). */
const MAX_NESTING = 200;

/**
 * Checks an SPDX license expression the way packaging.licenses does (ids from the SPDX list, LicenseRef-,
 * AND / OR / WITH, parentheses; case-insensitive). Returns undefined when valid, else the reason.
 */
export function checkLicenseExpression(expression: string): string | undefined {
  const result = canonicalizeLicenseExpression(expression);
  return "problem" in result ? result.problem : undefined;
}

/**
 * packaging's canonicalize_license_expression: the canonical form (ids as the SPDX list spells them, operators
 * in upper case, single spaces, none inside parentheses), or why the expression is refused.
 */
export function canonicalizeLicenseExpression(expression: string): { canonical: string } | { problem: string } {
  const padded = expression.replaceAll("(", " ( ").replaceAll(")", " ) ");
  const original = padded.split(PY_WS).filter(Boolean);
  const tokens = original.map((token) => token.toLowerCase());
  if (tokens.length === 0) return { problem: "the expression is empty" };
  // A LicenseRef- id keeps its spelling, the last one written when the same id is written in several cases.
  const licenseRefs = new Map<string, string>();
  original.forEach((token, i) => {
    if (tokens[i]!.startsWith("licenseref-")) licenseRefs.set(tokens[i]!, `LicenseRef-${token.slice("LicenseRef-".length)}`);
  });
  const problem = grammarProblem(tokens, original);
  if (problem) return { problem };
  const canonical: string[] = [];
  for (const [i, token] of tokens.entries()) {
    if (OPERATORS.has(token)) {
      // The grammar check above already refuses WITH anywhere but between a license and an exception.
      canonical.push(token.toUpperCase());
    } else if (canonical.at(-1) === "WITH") {
      const exception = exceptions.get(token);
      if (!exception) return { problem: `"${original[i]}" is not an SPDX license exception` };
      canonical.push(exception);
    } else {
      const plus = token.endsWith("+");
      const id = plus ? token.slice(0, -1) : token;
      if (id.startsWith("licenseref-")) {
        if (plus || !LICENSE_REF_ID.test(id.slice("licenseref-".length))) {
          return { problem: `"${original[i]}" is not a valid LicenseRef- id (letters, digits, "." and "-" after "LicenseRef-", no "+")` };
        }
        canonical.push(licenseRefs.get(id)!);
      } else {
        const known = licenses.get(id);
        if (!known) return { problem: `"${original[i]}" is not an SPDX license id` };
        canonical.push(known + (plus ? "+" : ""));
      }
    }
  }
  return { canonical: canonical.join(" ").replaceAll("( ", "(").replaceAll(" )", ")") };
}

/**
 * packaging's syntax check: every token that is not an operator stands for `False`, WITH for `or`, and the result
 * must be a Python expression, without a call (`False (`, `) (`) or an empty tuple (`( )`); then each WITH must
 * sit between a license (not a closing parenthesis, not an exception) and an operand.
 */
function grammarProblem(tokens: string[], original: string[]): string | undefined {
  let p = 0;
  let depth = 0;
  let failure: string | undefined;
  const fail = (message: string): false => {
    failure ??= message;
    return false;
  };
  const operand = (): boolean => {
    const token = tokens[p];
    if (token === undefined) return fail("the expression ends early");
    if (token === "(") {
      if (++depth > MAX_NESTING) return fail(`parentheses nest more than ${MAX_NESTING} deep`);
      p++;
      if (tokens[p] === ")") return fail("empty parentheses");
      if (!disjunction()) return false;
      if (tokens[p] !== ")") return fail(tokens[p] === undefined ? "a parenthesis is not closed" : `unexpected "${original[p]}"`);
      p++;
      depth--;
      return true;
    }
    if (OPERATORS.has(token)) return fail(`unexpected "${original[p]}"`);
    p++;
    return true;
  };
  const conjunction = (): boolean => {
    if (!operand()) return false;
    while (tokens[p] === "and") {
      p++;
      if (!operand()) return false;
    }
    return true;
  };
  const disjunction = (): boolean => {
    if (!conjunction()) return false;
    while (tokens[p] === "or" || tokens[p] === "with") {
      p++;
      if (!conjunction()) return false;
    }
    return true;
  };
  if (!disjunction()) return failure;
  if (p < tokens.length) return `unexpected "${original[p]}"`;
  for (const [i, token] of tokens.entries()) {
    if (token !== "with") continue;
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    const licenseBefore = before !== undefined && !OPERATORS.has(before) && tokens[i - 2] !== "with";
    if (!licenseBefore || after === undefined || OPERATORS.has(after)) return `WITH must join a license and an exception (at "${original[i]}")`;
  }
  return undefined;
}
