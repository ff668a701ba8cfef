import { IndexUnreachableError } from "./errors.js";
import { describeFetchError, fetchSimplePage, type ListOptions } from "./simple-api.js";

/** A project name in a PEP 691 JSON root page (`"projects": [{"name": "Frob", ...}]`); names need no escapes. */
const JSON_NAME = /"name"\s*:\s*"([^"\\]*)"/g;
/** A project in a PEP 503 HTML root page (`<a href="/simple/frob/">Frob</a>`). */
const HTML_NAME = /<a\s[^>]*>([^<]*)<\/a>/gi;
/** What is kept of a chunk's tail with no complete entry in it: far more than one entry ever takes. */
const MAX_CARRY = 4096;

/**
 * Calls `visit` with every project name the index's root page lists (PEP 691 JSON when offered, PEP 503 HTML
 * otherwise), read as a stream: PyPI lists some 700,000 projects (tens of megabytes), and neither the page nor
 * the list of names is ever held whole. Returns how many names were visited. Failures throw as listProjectFiles'
 * do (exit 2); a 404 is a failure here too (every index has a root page).
 */
export async function scanProjectNames(simpleUrl: string, visit: (name: string) => void, options: Omit<ListOptions, "fresh"> = {}): Promise<number> {
  const rootUrl = simpleUrl.endsWith("/") ? simpleUrl : `${simpleUrl}/`;
  const response = await fetchSimplePage(rootUrl, options, 120_000);
  if (!response.ok || !response.body) throw new IndexUnreachableError(rootUrl, `HTTP ${response.status} for the list of projects`);
  const pattern = (response.headers.get("content-type") ?? "").includes("json") ? JSON_NAME : HTML_NAME;
  const decoder = new TextDecoder();
  let carry = "";
  let count = 0;
  const scan = (text: string): string => {
    let end = 0;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      const name = decodeName(match[1]!);
      if (name) {
        visit(name);
        count += 1;
      }
      end = pattern.lastIndex;
    }
    // The unmatched tail may hold the start of an entry the next chunk completes.
    const rest = text.slice(end);
    return rest.length > MAX_CARRY ? rest.slice(-MAX_CARRY) : rest;
  };
  const reader = response.body.getReader();
  for (;;) {
    let next: Awaited<ReturnType<typeof reader.read>>;
    try {
      next = await reader.read();
    } catch (error) {
      throw new IndexUnreachableError(rootUrl, `the list of projects broke off: ${describeFetchError(error)}`, error);
    }
    if (next.done) break;
    carry = scan(carry + decoder.decode(next.value, { stream: true }));
  }
  scan(carry + decoder.decode());
  return count;
}

function decodeName(raw: string): string {
  return raw
    .replace(/&amp;/g, "&")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .trim();
}
