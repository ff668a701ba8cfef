import spdx from "./data/spdx.json" with { type: "json" };

const licenses = new Set(spdx.licenses.map((id) => id.toLowerCase()));
const exceptions = new Set(spdx.exceptions.map((id) => id.toLowerCase()));
const LICENSE_REF = /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/;

/**
 * Checks an SPDX license expression the way packaging.licenses does (ids from the SPDX list, LicenseRef-,
 * AND / OR / WITH, parentheses; case-insensitive). Returns undefined when valid, else the reason.
 */
export function checkLicenseExpression(expression: string): string | undefined {
  const tokens = expression.replace(/([()])/g, " $1 ").trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return "the expression is empty";
  let p = 0;
  const peek = () => tokens[p]?.toUpperCase();
  const parseFactor = (): string | undefined => {
    const token = tokens[p++];
    if (token === undefined) return "the expression ends early";
    if (token === "(") {
      const inner = parseExpression();
      if (inner) return inner;
      if (tokens[p++] !== ")") return "a parenthesis is not closed";
      return undefined;
    }
    const id = token.endsWith("+") ? token.slice(0, -1) : token;
    if (!licenses.has(id.toLowerCase()) && !LICENSE_REF.test(token)) return `"${token}" is not an SPDX license id`;
    if (peek() === "WITH") {
      p++;
      const exception = tokens[p++];
      if (!exception || !exceptions.has(exception.toLowerCase())) return `"${exception ?? ""}" is not an SPDX license exception`;
    }
    return undefined;
  };
  const parseTerm = (): string | undefined => {
    let problem = parseFactor();
    while (!problem && peek() === "AND") {
      p++;
      problem = parseFactor();
    }
    return problem;
  };
  const parseExpression = (): string | undefined => {
    let problem = parseTerm();
    while (!problem && peek() === "OR") {
      p++;
      problem = parseTerm();
    }
    return problem;
  };
  const problem = parseExpression();
  if (problem) return problem;
  return p < tokens.length ? `unexpected "${tokens[p]}"` : undefined;
}
