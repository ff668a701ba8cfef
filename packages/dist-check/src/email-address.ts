// PyPI refuses an upload whose Author-email or Maintainer-email holds an address email-validator rejects
// (warehouse: the address `email.utils.parseaddr` finds, checked with `validate_email(..., check_deliverability=False)`).
// This is a port of those two steps for the values it can follow exactly: one ASCII address, bare or in angle
// brackets after a display name (which may be quoted or hold non-ASCII letters), with no comments, groups,
// backslashes, encoded words or lists: "user@host", "Jane Doe <user@host>", "\"Doe, Jane\" <user@host>" (how
// build backends write them). Anything else is left unchecked, never guessed: a list of addresses, for one, is not
// checked by PyPI either (the strict parseaddr gives up on more than one address), and non-ASCII addresses need
// IDNA 2008 tables this port does not ship.
// test/email-address.test.ts holds every verdict and message to the pinned email-validator's.

/** What PyPI's check says about one field value: unchecked here, or the address it checks and its problem if any. */
export type EmailCheck = { checked: false } | { checked: true; address: string; problem: string | undefined };

/** email-validator's SPECIAL_USE_DOMAIN_NAMES (its test compares them with the pinned release's). */
export const SPECIAL_USE_DOMAINS = ["arpa", "invalid", "local", "localhost", "onion", "test"];

// RFC 5322 atext: printable ASCII minus the specials ()<>[]:;@\,." and space.
const ATEXT = "A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~";
/** A display name: atoms (non-ASCII letters too), dots, spaces and quoted strings without backslashes. */
const PHRASE = String.raw`(?:[${ATEXT}. \u0080-\uffff]|"[^"\\\x00-\x1f\x7f]*")*`;
/** A bare address, or a display name followed by an address in angle brackets. */
const SIMPLE_VALUE = new RegExp(`^ *(?:([${ATEXT}.@]+)|${PHRASE}<([${ATEXT}.@]*)>) *$`);
const DOT_ATOM = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`);
const HOSTNAME_LABEL = "(?:(?:[a-zA-Z0-9][a-zA-Z0-9\\-]*)?[a-zA-Z0-9])";
const DOT_ATOM_HOSTNAME = new RegExp(`^${HOSTNAME_LABEL}(?:\\.${HOSTNAME_LABEL})*$`);
const EMAIL_MAX_LENGTH = 254;
const DOMAIN_MAX_LENGTH = 253;
const LABEL_MAX_LENGTH = 63;

/** The check PyPI makes on an Author-email or Maintainer-email value, where this port can follow it exactly. */
export function checkEmailField(value: string): EmailCheck {
  const address = addressOf(value);
  if (address === undefined) return { checked: false };
  if (address === "") return { checked: true, address, problem: undefined };
  const problem = validateAddress(address);
  return problem === null ? { checked: false } : { checked: true, address, problem };
}

/**
 * The address parseaddr finds in a simple value ("" when it finds none, which PyPI does not check), or undefined
 * when the value is not one this port follows. Within these values parseaddr keeps the address's characters as
 * they are, and gives "" for a domain that is empty or holds a second "@".
 */
function addressOf(value: string): string | undefined {
  if (value.includes("=?")) return undefined;
  const match = SIMPLE_VALUE.exec(value);
  if (!match) return undefined;
  const spec = match[1] ?? match[2] ?? "";
  // In angle brackets a leading "@" starts a source route: parseaddr then finds no address.
  if (match[2] !== undefined && spec.startsWith("@")) return "";
  const at = spec.indexOf("@");
  if (at < 0) return spec;
  const domain = spec.slice(at + 1);
  return domain === "" || domain.includes("@") ? "" : spec;
}

/**
 * email-validator's verdict on an address of atext, "." and "@" only: undefined when valid, its message when not,
 * or null when the answer needs what this port leaves out (a domain holding Punycode).
 */
function validateAddress(address: string): string | undefined | null {
  const at = address.indexOf("@");
  if (at < 0) return "An email address must have an @-sign.";
  const local = address.slice(0, at);
  const domainPart = address.slice(at + 1);
  const localProblem = localPartProblem(local);
  if (localProblem) return localProblem;
  if (domainPart === "") return "There must be something after the @-sign.";
  const domainProblem = domainProblemOf(domainPart);
  if (domainProblem !== undefined) return domainProblem;
  if (address.length > EMAIL_MAX_LENGTH) return `The email address is too long ${lengthReason(address, EMAIL_MAX_LENGTH)}.`;
  return undefined;
}

function localPartProblem(local: string): string | undefined {
  if (local === "") return "There must be something before the @-sign.";
  if (DOT_ATOM.test(local)) return undefined;
  // Only dots can be wrong here (every other character is atext).
  return dotAtomProblem(local, "An email address cannot start with a {}.", "An email address cannot have a {} immediately before the @-sign.", false) ?? "The email address contains invalid characters before the @-sign.";
}

function domainProblemOf(domainPart: string): string | undefined | null {
  if (domainPart.length > DOMAIN_MAX_LENGTH) return `The email address is too long after the @-sign ${lengthReason(domainPart, DOMAIN_MAX_LENGTH)}.`;
  const bad = [...new Set([...domainPart].filter((c) => !/[a-zA-Z0-9.-]/.test(c)).map(display))].sort();
  if (bad.length > 0) return `The part after the @-sign contains invalid characters: ${bad.join(", ")}.`;
  // UTS #46 mapping of ASCII letters, digits, "." and "-": upper case to lower case, nothing else.
  const domain = domainPart.toLowerCase();
  const dots = dotAtomProblem(domain, "An email address cannot have a {} immediately after the @-sign.", "An email address cannot end with a {}.", true);
  if (dots) return dots;
  const labels = domain.split(".");
  if (labels.some((label) => /^(?!xn)..--/.test(label))) {
    return "An email address cannot have two letters followed by two dashes immediately after the @-sign or after a period, except Punycode.";
  }
  if (!DOT_ATOM_HOSTNAME.test(domain)) return null;
  const long = labels.find((label) => label.length > LABEL_MAX_LENGTH);
  if (long !== undefined) return `After the @-sign, periods cannot be separated by so many characters ${lengthReason(long, LABEL_MAX_LENGTH)}.`;
  if (!domain.includes(".")) return "The part after the @-sign is not valid. It should have a period.";
  if (!/[a-z]$/.test(domain)) return "The part after the @-sign is not valid. It is not within a valid top-level domain.";
  if (SPECIAL_USE_DOMAINS.some((name) => domain === name || domain.endsWith(`.${name}`))) {
    return "The part after the @-sign is a special-use or reserved name that cannot be used with email.";
  }
  // A Punycode label is decoded and checked against IDNA 2008 next: not ported.
  return domain.includes("xn--") ? null : undefined;
}

function dotAtomProblem(text: string, start: string, end: string, hostname: boolean): string | undefined {
  if (text.endsWith(".")) return end.replace("{}", "period");
  if (text.startsWith(".")) return start.replace("{}", "period");
  if (text.includes("..")) return "An email address cannot have two periods in a row.";
  if (!hostname) return undefined;
  if (text.endsWith("-")) return end.replace("{}", "hyphen");
  if (text.startsWith("-")) return start.replace("{}", "hyphen");
  if (text.includes(".-") || text.includes("-.")) return "An email address cannot have a period and a hyphen next to each other.";
  return undefined;
}

function lengthReason(text: string, limit: number): string {
  const over = text.length - limit;
  return `(${over} character${over > 1 ? "s" : ""} too many)`;
}

/** How email-validator shows a printable ASCII character: Python's repr. */
function display(c: string): string {
  return c === "'" ? `"'"` : `'${c}'`;
}
