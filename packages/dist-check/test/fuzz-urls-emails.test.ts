import { mulberry32 } from "@pypi-workflows/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { checkEmailField } from "../src/email-address.js";
import { uriProblem } from "../src/uri.js";
import { warehouseAcceptsUrls, warehouseEmailVerdicts } from "./support/warehouse-checks.js";

// A seeded differential fuzz of the URL and email ports against the real references, in test/support/warehouse_checks.py:
// - uriProblem against warehouse's is_valid_uri(url, require_authority=False) on the pinned rfc3986;
// - checkEmailField against warehouse's strict email.utils.parseaddr (CPython 3.13's, on this Python's address
//   parser, as in test/email-address.test.ts) then the pinned email-validator with check_deliverability=False.
// Inputs are built from each grammar's fragments (schemes, userinfo, IPv4-looking and IP-literal hosts, ports,
// dot segments, brackets, percent-escapes; display names, quoted strings, local parts, domains, lists, comments)
// and then mutated with every ASCII character, whitespace of every kind and non-ASCII letters, digits and marks.
// The same inputs every run (change SEED to explore). A longer hunt (1.5 million URLs, 1.1 million email values) found
// the URL cases test/urls.test.ts now holds as regressions, and no email value the port answers for wrongly.

const SEED = 20260517;
const URL_CASES = 15000;
const EMAIL_CASES = 15000;

const ASCII = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i));
/** Whitespace of every kind, controls, look-alikes, non-ASCII letters, digits and marks (whole code points). */
const ODD = ["\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000", "\0", "\x7f", "ı", "K", "٣", "²", "ﬁ", "\u0301", "\u0338", "ü", "ß", "İ", "ｅ", "＠", "﹫", "。", "😀", "\u200b", "\ufeff"];
const EVERY = [...ASCII, ...ODD];

class Fuzz {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  text(alphabet: readonly string[], length: number): string {
    return Array.from({ length }, () => this.pick(alphabet)).join("");
  }
  /** Inserts, deletes, replaces or changes the case of `count` code points. */
  mutate(value: string, alphabet: readonly string[], count: number): string {
    const chars = [...value];
    for (let k = 0; k < count; k++) {
      const i = Math.min(this.int(chars.length + 1), Math.max(chars.length - 1, 0));
      const op = this.int(4);
      if (op === 0 || chars.length === 0) chars.splice(this.int(chars.length + 1), 0, this.pick(alphabet));
      else if (op === 1) chars.splice(i, 1);
      else if (op === 2) chars[i] = this.pick(alphabet);
      else chars[i] = this.chance(0.5) ? (chars[i] ?? "").toUpperCase() : (chars[i] ?? "").toLowerCase();
    }
    return chars.join("");
  }
}

const SCHEMES = ["https", "https", "http", "HTTP", "HtTpS", "ftp", "http+x", "", "1http", "https ", "file"];
const SEPARATORS = ["://", "://", "://", ":/", ":", ":///", "//", ":\\\\"];
const USERINFO = ["", "", "", "user@", "user:pw@", "us%41er@", "u%zz@", "@", "a@b@", "u ser@", "ü@", ":@", "u!$&'()*+,;=:@", "[x]@"];
const IPV6 = ["::1", "::", "1:2:3:4:5:6:7:8", "1::8", "FE80::A", "::ffff:1.2.3.4", "::ffff:300.1.1.1", "1:2:3:4:5:6:7::", ":::", "1::2::3", "1:2:3:4:5:6:7", "g::1", "v1.x", "V1.x", "vF.a:b"];
const ZONES = ["", "", "%eth0", "%25eth0", "%25", "%", "%2", "%25%41", "%zz", "%%25", "%x%25"];
const HOSTS = ["example.com", "EXAMPLE.com", "", "127.0.0.1", "255.255.255.255", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.02.03.004", "1.1.1.1000", "ex%41mple", "ex%4", "ex ample", "bücher.de", "ex_ample", "!$&'()*+,;=", "[::1", "::1]", "[]", "[1.2.3.4]"];
const PORTS = ["", "", "", ":", ":0", ":80", ":65535", ":65536", ":99999", ":100000", ":00080", ":0065535", ":-1", ":8a", ": 80", "::80", ":٣"];
const PATHS = ["", "", "", "/", "/docs/", "/a/b", "/a;b=c", "/a@b:c", "/%41%2f", "/./a", "/a/..", "/.../", "/a b", "/[x]", "/[x]/..", "/[x]/.", "/a/../[", "/[/../..", "/]/../", "/[/%2e%2e", "/%zz", "\\x", "a", "/ü"];
const QUERIES = ["", "", "", "?q=1&r=2", "?a=%41", "?", "?[", "?a]b", "??", "?%", "?a b", "?ü", "?/?:@"];
const FRAGMENTS = ["", "", "#", "#[x]", "#a b", "#%"];
const URL_RAW = [..."abcXYZ019%:/?#[]@!$&'()*+,;=._~- \\\t\n\"<>^`{|}"];

function fuzzUrl(f: Fuzz): string {
  if (f.chance(0.15)) return f.pick(["http://", "https://", "HTTPS://", "https:", "http:/"]) + f.text(f.chance(0.85) ? URL_RAW : EVERY, f.int(16));
  const host = f.chance(0.3) ? `[${f.pick(IPV6)}${f.pick(ZONES)}]` : f.pick(HOSTS);
  let url = f.pick(SCHEMES) + f.pick(SEPARATORS) + f.pick(USERINFO) + host + f.pick(PORTS) + f.pick(PATHS) + f.pick(QUERIES) + f.pick(FRAGMENTS);
  if (f.chance(0.5)) url = f.mutate(url, EVERY, 1 + f.int(3));
  if (f.chance(0.04)) url = url.replace(/(:\d+)/, "$1\n");
  return url;
}

const NAMES = ["", "", "Jane", "Jane Doe", "J. R. Doe", '"Doe, Jane"', '"x(y"', '"a<b>c@d"', "Jürgen Größe", ".", "a.b", '""', 'Jane"x"Doe', "Jane\tDoe", "Jane (c)", "=?utf-8?q?x?=", "a,b", "a:b", "@", "李", "x\u2028y", "\u0301a"];
const LOCALS = ["user", "first.last", "u+tag", "o'neil", "x#y!z", ".a", "a.", "a..b", "", "_", "UPPER", "a".repeat(64), "a-b", '"quoted"', '"a b"', "a\\b", "ü", "a b", "%", "{x}"];
const DOMAINS = ["example.com", "EXAMPLE.Com", "HOST.LOCAL", "Ab--C.org", "localhost", "x.local", "host.test", "a.b.invalid", "in-addr.arpa", "com", "-a.org", "a-.org", "a.-b.org", "xn--bcher-kva.ch", "x.xn--p1ai", "1.2.3.4", "a.123", "a.b1", "a..b", ".a.b", "a.b.", "a_b.com", "a'b.com", "b@c.com", "", "[1.2.3.4]", "[IPv6:::1]", "bücher.de", "ＥＸＡＭＰＬＥ.com", `${"l".repeat(64)}.com`, `${`${"d".repeat(62)}.`.repeat(4)}com`, "a!b~c.com"];
const FORMS: Array<(address: string, name: string) => string> = [
  (a) => a,
  (a) => a,
  (a) => `<${a}>`,
  (a, n) => `${n} <${a}>`,
  (a, n) => `${n} <${a}>`,
  (a, n) => `${n}<${a}>`,
  (a, n) => `  ${n}   <${a}>  `,
  (a) => `${a} (comment)`,
  (a, n) => `${n} <${a}> x`,
  (a) => `${a}, b@example.com`,
  (a) => `g: ${a};`,
  (a) => `<@route.com:${a}>`,
  (a) => `${a}>`,
];
const ATEXT = [..."abcXYZ019!#$%&'*+-/=?^_`{|}~."];
const EMAIL_PUNCTUATION = [..."ab.@<>\" ,()-_xX1"];

function fuzzEmail(f: Fuzz): string {
  let address: string;
  const shape = f.next();
  if (shape < 0.1) address = `${f.chance(0.5) ? f.text(ATEXT, 1 + f.int(8)) : "a".repeat(f.int(260))}@${f.chance(0.5) ? f.text(ATEXT, 1 + f.int(8)) : `${"d".repeat(f.int(64))}.${"e".repeat(f.int(200))}.com`}`;
  else if (shape < 0.2) address = f.text([..."ab.@-_<>\" ,()[]:;\\%+xn1"], f.int(14));
  else address = f.chance(0.08) ? f.pick(LOCALS) : `${f.pick(LOCALS)}@${f.pick(DOMAINS)}`;
  let value = f.pick(FORMS)(address, f.pick(NAMES));
  if (f.chance(0.45)) value = f.mutate(value, f.chance(0.6) ? EMAIL_PUNCTUATION : [...EVERY, ...EMAIL_PUNCTUATION], 1 + f.int(3));
  return value;
}

const fuzz = new Fuzz(SEED);
const urls = Array.from({ length: URL_CASES }, () => fuzzUrl(fuzz));
const emails = Array.from({ length: EMAIL_CASES }, () => fuzzEmail(fuzz));
let reference: { urls: boolean[]; emails: Array<[string, string | null]> };

beforeAll(() => {
  reference = { urls: warehouseAcceptsUrls(urls), emails: warehouseEmailVerdicts(emails) };
});

describe(`URLs and email addresses against warehouse's checks (seed ${SEED})`, () => {
  it(`uriProblem refuses exactly what rfc3986 refuses, over ${URL_CASES} generated URLs`, () => {
    const differing = urls.flatMap((url, i) => {
      const ours = uriProblem(url);
      return (ours === undefined) === reference.urls[i] ? [] : [`${JSON.stringify(url)}: port ${ours ?? "accepts"}, rfc3986 ${reference.urls[i] ? "accepts" : "refuses"}`];
    });
    expect(differing).toEqual([]);
    // The cases reach both verdicts, and each of the port's reasons.
    const refused = reference.urls.filter((accepted) => !accepted).length;
    expect(refused).toBeGreaterThan(URL_CASES * 0.3);
    expect(refused).toBeLessThan(URL_CASES * 0.8);
    const reasons = new Set(urls.map((url) => uriProblem(url)?.replace(/\d+/g, "N")));
    expect([...reasons].sort()).toEqual(
      ['has "[" or "]" in its path', 'has "[" or "]" in its query', "has port N, over N", "is not an http(s) URL", undefined].sort(),
    );
  });

  it(`checkEmailField gives email-validator's address and message wherever it answers, over ${EMAIL_CASES} generated values`, () => {
    let checked = 0;
    const refusals = new Set<string>();
    const differing = emails.flatMap((value, i) => {
      const result = checkEmailField(value);
      if (!result.checked) return [];
      checked += 1;
      const [address, problem] = reference.emails[i] ?? ["", null];
      if (problem) refusals.add(problem);
      if (result.address === address && (result.problem ?? null) === problem) return [];
      return [`${JSON.stringify(value)}: port ${JSON.stringify([result.address, result.problem ?? null])}, reference ${JSON.stringify([address, problem])}`];
    });
    expect(differing).toEqual([]);
    // It answers for about a quarter of these values (the rest are shapes it leaves to PyPI), and they reach many refusals.
    expect(checked).toBeGreaterThan(EMAIL_CASES * 0.18);
    expect(refusals.size).toBeGreaterThan(100);
  });
});
