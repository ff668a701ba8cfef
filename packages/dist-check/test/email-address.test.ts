import { describe, expect, it } from "vitest";
import { checkEmailField, SPECIAL_USE_DOMAINS } from "../src/email-address.js";
import { emailValidatorSpecialUseDomains, warehouseEmailVerdicts } from "./support/warehouse-checks.js";

// The port is held to what warehouse runs on Author-email and Maintainer-email: the address `email.utils.parseaddr`
// finds, then the pinned email-validator's `validate_email(address, check_deliverability=False)`. On warehouse's Python
// (3.13) parseaddr is strict by default: it gives ('', '') for unbalanced parentheses, an address holding "[" and more
// than one address. The reference (test/support/warehouse_checks.py) is that strict parseaddr as CPython 3.13 writes it, run on this Python's
// address parser (email/_parseaddr.py is the same in 3.11 and 3.13, and the fuzz found no value where the two differ).
// For every value the port checks, the address and the message must be the reference's.

const LOCALS = ["user", "first.last", "u+tag", "o'neil", "x#y!z", "a..b", ".a", "a.", "", "UPPER", "a".repeat(64), "a".repeat(65), "_", "a-b"];
const DOMAINS = [
  "example.com",
  "EXAMPLE.Com",
  "MAIL.EXAMPLE.COM",
  "HOST.LOCAL",
  "Ab--C.org",
  "mail.example.org",
  "users.noreply.github.com",
  "localhost",
  "x.local",
  "host.test",
  "a.b.invalid",
  "b.onion",
  "in-addr.arpa",
  "localhost.example",
  "test.example",
  "com",
  "a-b.org",
  "-a.org",
  "a-.org",
  "a.-b.org",
  "ab--c.org",
  "xn--bcher-kva.ch",
  "xn--.ch",
  "xn--bcher-kva.local",
  "x.xn--p1ai",
  "1.2.3.4",
  "a.123",
  "a.b1",
  "a..b",
  ".a.b",
  "a.b.",
  "a_b.com",
  "a+b.com",
  "a'b.com",
  "a/b=c.com",
  "b@c.com",
  "",
  `${"l".repeat(63)}.com`,
  `${"l".repeat(64)}.com`,
  `${"l".repeat(65)}.com`,
  `${`${"d".repeat(60)}.`.repeat(4)}com`,
  `${`${"d".repeat(61)}.`.repeat(4)}com`,
  `${`${"d".repeat(62)}.`.repeat(4)}com`,
];
const FORMS: Array<(address: string) => string> = [
  (a) => a,
  (a) => `<${a}>`,
  (a) => `Jane Doe <${a}>`,
  (a) => `  J. R. Doe   <${a}>  `,
  (a) => `Jane<${a}>`,
  // Display names as backends write them: quoted when they hold specials, and non-ASCII letters.
  (a) => `"Doe, Jane" <${a}>`,
  (a) => `"Astral Software Inc." <${a}>`,
  (a) => `"J. (Dev) Doe <x@y.z>" <${a}>`,
  (a) => `Jürgen Größe <${a}>`,
  (a) => `"Łukasz" Langa <${a}>`,
];

/** Every local part with every domain in every form, plus values with no @-sign and odd shapes. */
function generated(): string[] {
  const values: string[] = [];
  for (const local of LOCALS) for (const domain of DOMAINS) for (const form of FORMS) values.push(form(`${local}@${domain}`));
  for (const local of LOCALS) for (const form of FORMS) values.push(form(local));
  values.push("", " ", "<>", "Jane <>", "@", "a@", "@b.com", "a@@b.com", "<a@b.com", "a@b.com>", "Jane Doe", "Jane <a@b.com> x", "a@b.com <c@d.com>");
  values.push(`${"u".repeat(64)}@${`${"d".repeat(60)}.`.repeat(3)}${"d".repeat(7)}.com`, `${"u".repeat(64)}@${`${"d".repeat(60)}.`.repeat(3)}${"d".repeat(8)}.com`);
  return values;
}

/** Random strings over characters that matter to both parsers (seeded: the same every run). */
function fuzzed(count: number): string[] {
  const alphabet = ["a", "b", "x", "n", "-", ".", "@", " ", "<", ">", "1", "_", "l", "o", "c", "m", "t", "s", '"', ",", "(", "ü"];
  let seed = 20261124;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = 1 + (next() % 16);
    values.push(Array.from({ length }, () => alphabet[next() % alphabet.length]).join(""));
  }
  return values;
}

describe("Author-email and Maintainer-email as PyPI checks them", () => {
  it("gives email-validator's address and message for every value it checks", () => {
    const values = [...generated(), ...fuzzed(4000)];
    const expected = warehouseEmailVerdicts(values);
    let checked = 0;
    const refusedBoth = new Set<string>();
    const mismatches: string[] = [];
    values.forEach((value, i) => {
      const result = checkEmailField(value);
      if (!result.checked) return;
      checked += 1;
      const [address, problem] = expected[i]!;
      if (result.address !== address || (result.problem ?? null) !== problem) {
        mismatches.push(`${JSON.stringify(value)}: port ${JSON.stringify([result.address, result.problem ?? null])}, reference ${JSON.stringify([address, problem])}`);
      }
      if (problem) refusedBoth.add(problem);
    });
    expect(mismatches).toEqual([]);
    // The comparison means something: most values are checked, and they reach most of the refusals.
    expect(checked).toBeGreaterThan(values.length * 0.6);
    expect(refusedBoth.size).toBeGreaterThanOrEqual(30);
  });

  it("leaves unchecked only Punycode domains and the shapes it does not follow", () => {
    const unchecked = generated().filter((value) => !checkEmailField(value).checked && !value.includes("xn--"));
    expect(unchecked).toEqual(["", "", " ", "<a@b.com", "a@b.com>", "Jane Doe", "Jane <a@b.com> x", "a@b.com <c@d.com>"]);
  });

  it("checks the shapes build backends write, and leaves lists, comments, escapes and non-ASCII addresses to PyPI", () => {
    for (const value of ["dev@example.com", "Jane Doe <jane@example.com>", "<jane@example.com>", "Jane <jane@localhost>", '"Doe, Jane" <jane@example.com>', "Jürgen <j@example.com>"]) {
      expect(checkEmailField(value).checked, value).toBe(true);
    }
    for (const value of ["a@example.com, b@example.com", "Jane (dev) <j@x.io>", '"Doe \\"JD\\" Jane" <j@x.io>', "j@bücher.de", "x@[127.0.0.1]", "=?utf-8?q?J=C3=BC?= <j@x.io>"]) {
      expect(checkEmailField(value), value).toEqual({ checked: false });
    }
  });

  it("refuses what PyPI refuses, with email-validator's words", () => {
    expect(checkEmailField("Dev <dev@localhost>")).toEqual({ checked: true, address: "dev@localhost", problem: "The part after the @-sign is not valid. It should have a period." });
    expect(checkEmailField("dev@build.local")).toEqual({ checked: true, address: "dev@build.local", problem: "The part after the @-sign is a special-use or reserved name that cannot be used with email." });
    expect(checkEmailField("Jane <jane..doe@example.com>").checked && checkEmailField("Jane <jane..doe@example.com>")).toMatchObject({ problem: "An email address cannot have two periods in a row." });
    expect(checkEmailField("dev@example.com")).toEqual({ checked: true, address: "dev@example.com", problem: undefined });
    // A domain holding Punycode is decoded and checked against IDNA 2008 next: not ported, so not judged.
    expect(checkEmailField("dev@xn--bcher-kva.ch")).toEqual({ checked: false });
  });

  it("knows email-validator's special-use domain names", () => {
    expect(SPECIAL_USE_DOMAINS).toEqual(emailValidatorSpecialUseDomains());
  });
});
